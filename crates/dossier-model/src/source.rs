//! Sources: ingested documents and their metadata.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

use crate::{ModelError, Sha256Hex, SourceId};

/// Who wrote a source (the author's kind, not the site a copy was found on).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum SourceType {
    /// A United Nations body.
    Un,
    /// A non-governmental organisation.
    Ngo,
    /// A news outlet or agency.
    News,
    /// A government or one of its agencies.
    Government,
    /// An advocacy group or a party's supporters.
    Advocacy,
    /// A witness's or victim's testimony.
    Testimony,
    /// A court record.
    Court,
    /// Anything else, or unknown.
    #[default]
    Other,
}

impl SourceType {
    /// Every source type, in a stable order.
    pub const ALL: [SourceType; 8] = [
        SourceType::Un,
        SourceType::Ngo,
        SourceType::News,
        SourceType::Government,
        SourceType::Advocacy,
        SourceType::Testimony,
        SourceType::Court,
        SourceType::Other,
    ];

    /// The wire name (`un`, `ngo`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            SourceType::Un => "un",
            SourceType::Ngo => "ngo",
            SourceType::News => "news",
            SourceType::Government => "government",
            SourceType::Advocacy => "advocacy",
            SourceType::Testimony => "testimony",
            SourceType::Court => "court",
            SourceType::Other => "other",
        }
    }

    /// Parses a wire name, case-insensitively.
    pub fn parse(s: &str) -> Result<Self, ModelError> {
        let lower = s.trim().to_ascii_lowercase();
        SourceType::ALL
            .into_iter()
            .find(|t| t.as_str() == lower)
            .ok_or_else(|| ModelError::BadSourceType(s.chars().take(40).collect()))
    }
}

impl fmt::Display for SourceType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The format the original bytes were read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MediaType {
    /// Plain text.
    Text,
    /// Markdown, kept as written.
    Markdown,
    /// HTML, converted to text.
    Html,
}

impl MediaType {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            MediaType::Text => "text",
            MediaType::Markdown => "markdown",
            MediaType::Html => "html",
        }
    }

    /// Parses a wire name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "text" => Some(MediaType::Text),
            "markdown" => Some(MediaType::Markdown),
            "html" => Some(MediaType::Html),
            _ => None,
        }
    }
}

/// Descriptive metadata of a source, from its header block, front matter,
/// HTML head, or command-line flags.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceMeta {
    /// Title.
    pub title: Option<String>,
    /// Address the report was captured from.
    pub url: Option<String>,
    /// The author's kind.
    pub source_type: SourceType,
    /// Publisher (outlet, organisation).
    pub publisher: Option<String>,
    /// Publication date.
    pub published: Option<NaiveDate>,
    /// Author.
    pub author: Option<String>,
    /// Language tag (e.g. `en`).
    pub language: Option<String>,
    /// A free note about the source (e.g. "paraphrase of ...").
    pub note: Option<String>,
    /// Confidential (a testimony, an informant's account): its text, title,
    /// author, address and file name are sealed; only its kind, date and
    /// the facts extracted from it are stored in the clear.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub confidential: bool,
}

impl SourceMeta {
    /// Parses a publication date given as `YYYY-MM-DD` (a time after it is ignored).
    pub fn parse_date(s: &str) -> Result<NaiveDate, ModelError> {
        let t = s.trim();
        let day = t.get(..10).unwrap_or(t);
        NaiveDate::parse_from_str(day, "%Y-%m-%d").map_err(|_| ModelError::BadDate(t.chars().take(40).collect()))
    }

    /// Fills every field of `self` that `other` sets, keeping the rest.
    pub fn overlay(&mut self, other: &SourceMetaOverride) {
        if let Some(v) = &other.title {
            self.title = Some(v.clone());
        }
        if let Some(v) = &other.url {
            self.url = Some(v.clone());
        }
        if let Some(v) = other.source_type {
            self.source_type = v;
        }
        if let Some(v) = &other.publisher {
            self.publisher = Some(v.clone());
        }
        if let Some(v) = other.published {
            self.published = Some(v);
        }
        if let Some(v) = &other.author {
            self.author = Some(v.clone());
        }
        if let Some(v) = &other.language {
            self.language = Some(v.clone());
        }
        if let Some(v) = &other.note {
            self.note = Some(v.clone());
        }
        if let Some(v) = other.confidential {
            self.confidential = v;
        }
    }
}

/// Metadata given explicitly (flags, API fields): each set field wins over the file's own.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceMetaOverride {
    /// Title.
    pub title: Option<String>,
    /// Address.
    pub url: Option<String>,
    /// The author's kind.
    pub source_type: Option<SourceType>,
    /// Publisher.
    pub publisher: Option<String>,
    /// Publication date.
    pub published: Option<NaiveDate>,
    /// Author.
    pub author: Option<String>,
    /// Language tag.
    pub language: Option<String>,
    /// A free note.
    pub note: Option<String>,
    /// Confidential (see [`SourceMeta::confidential`]).
    pub confidential: Option<bool>,
}

/// An ingested document: immutable original bytes (archived under `sha256`)
/// and the normalised text all spans index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// Stable id derived from `sha256`.
    pub id: SourceId,
    /// Digest of the original bytes.
    pub sha256: Sha256Hex,
    /// The file name it was ingested from (`-` for stdin).
    pub file_name: String,
    /// How the bytes were read.
    pub media_type: MediaType,
    /// Length of the original bytes.
    pub byte_len: u64,
    /// Metadata.
    pub meta: SourceMeta,
    /// The normalised text; every span of this source indexes it.
    pub body: String,
    /// When it was ingested (RFC 3339, UTC).
    pub ingested_at: String,
}

impl Source {
    /// Digest of the normalised body, recorded in the audit log so that a
    /// changed body is detected.
    pub fn body_sha256(&self) -> Sha256Hex {
        Sha256Hex::of(self.body.as_bytes())
    }
}
