//! From a file's original bytes to a document: format detection, decoding,
//! header block or YAML front matter, HTML to text.
//!
//! The body of a text or Markdown file is kept exactly as written (after the
//! header), so spans index the original bytes after the header too.

use dossier_model::{MediaType, SourceMeta, SourceType};

use crate::html::html_to_text;

/// Largest report accepted by default (bytes).
pub const DEFAULT_MAX_BYTES: u64 = 16 * 1024 * 1024;

/// A decoded report, ready for extraction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// How the bytes were read.
    pub media_type: MediaType,
    /// Metadata the file itself gives.
    pub meta: SourceMeta,
    /// The normalised text every span indexes.
    pub body: String,
}

/// Why a file could not be read as a report. Messages never quote the file's content.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IntakeError {
    /// Nothing but whitespace.
    #[error("file is empty")]
    Empty,
    /// Bigger than the limit.
    #[error("file is {size} bytes, over the limit of {limit} bytes for one report")]
    TooLarge {
        /// Size of the file.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// A binary format, not text.
    #[error("binary file ({0}), not a text, Markdown or HTML report")]
    Binary(&'static str),
    /// Bytes that are not UTF-8.
    #[error("not valid UTF-8 text (invalid byte at offset {0}); convert it to UTF-8 first")]
    NotUtf8(usize),
    /// A header block or front matter key Dossier does not know.
    #[error("unknown header key {key:?} on line {line} (known: title, url, source-type, publisher, published, author, language, note)")]
    UnknownKey {
        /// The key as written (at most 40 characters).
        key: String,
        /// 1-based line.
        line: usize,
    },
    /// A header value that does not parse.
    #[error("invalid {key} on line {line}: {reason}")]
    BadValue {
        /// The key.
        key: &'static str,
        /// 1-based line.
        line: usize,
        /// Why.
        reason: String,
    },
    /// YAML front matter that is not a mapping of simple values.
    #[error("invalid YAML front matter: {0}")]
    BadFrontMatter(String),
    /// HTML nested deeper than [`crate::html::MAX_NESTING`] elements.
    #[error("HTML nested about {0} elements deep, more than the {max} accepted", max = crate::html::MAX_NESTING)]
    TooDeep(usize),
    /// A document with a header but no text after it.
    #[error("no report text after the header")]
    NoText,
}

/// Reads `bytes` (named `file_name`, used only to pick the format) as a report.
pub fn read_document(bytes: &[u8], file_name: &str, max_bytes: u64) -> Result<Document, IntakeError> {
    if bytes.len() as u64 > max_bytes {
        return Err(IntakeError::TooLarge { size: bytes.len() as u64, limit: max_bytes });
    }
    if let Some(kind) = binary_kind(bytes) {
        return Err(IntakeError::Binary(kind));
    }
    let text = decode(bytes)?;
    if text.trim().is_empty() {
        return Err(IntakeError::Empty);
    }
    let media_type = media_type_of(file_name, &text);
    let (mut meta, rest) = split_header(&text)?;
    let body = match media_type {
        MediaType::Html => {
            let depth = crate::html::nesting_estimate(rest);
            if depth > crate::html::MAX_NESTING {
                return Err(IntakeError::TooDeep(depth));
            }
            let page = html_to_text(rest);
            fill_from_html_head(&mut meta, &page.head);
            page.text
        }
        MediaType::Text | MediaType::Markdown => rest.to_string(),
    };
    if body.trim().is_empty() {
        return Err(IntakeError::NoText);
    }
    Ok(Document { media_type, meta, body })
}

fn binary_kind(bytes: &[u8]) -> Option<&'static str> {
    const MAGIC: [(&[u8], &str); 9] = [
        (b"\x89PNG\r\n\x1a\n", "PNG image"),
        (b"\xff\xd8\xff", "JPEG image"),
        (b"GIF8", "GIF image"),
        (b"%PDF-", "PDF document"),
        (b"PK\x03\x04", "ZIP archive or office document"),
        (b"\x1f\x8b", "gzip archive"),
        (b"\x7fELF", "executable"),
        (b"RIFF", "RIFF media"),
        (b"\xd0\xcf\x11\xe0", "legacy office document"),
    ];
    if let Some((_, kind)) = MAGIC.iter().find(|(m, _)| bytes.starts_with(m)) {
        return Some(kind);
    }
    let head = &bytes[..bytes.len().min(8192)];
    let utf16 = head.starts_with(b"\xff\xfe") || head.starts_with(b"\xfe\xff");
    (!utf16 && head.contains(&0)).then_some("contains NUL bytes")
}

fn decode(bytes: &[u8]) -> Result<String, IntakeError> {
    if let Some(rest) = bytes.strip_prefix(b"\xef\xbb\xbf") {
        return decode_utf8(rest).map_err(|e| match e {
            IntakeError::NotUtf8(at) => IntakeError::NotUtf8(at + 3),
            other => other,
        });
    }
    for (bom, big_endian) in [(b"\xff\xfe", false), (b"\xfe\xff", true)] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            let units: Vec<u16> = rest
                .chunks_exact(2)
                .map(|c| if big_endian { u16::from_be_bytes([c[0], c[1]]) } else { u16::from_le_bytes([c[0], c[1]]) })
                .collect();
            if rest.len() % 2 != 0 {
                return Err(IntakeError::NotUtf8(bytes.len() - 1));
            }
            return String::from_utf16(&units).map_err(|_| IntakeError::NotUtf8(2));
        }
    }
    decode_utf8(bytes)
}

fn decode_utf8(bytes: &[u8]) -> Result<String, IntakeError> {
    std::str::from_utf8(bytes).map(str::to_string).map_err(|e| IntakeError::NotUtf8(e.valid_up_to()))
}

fn media_type_of(file_name: &str, text: &str) -> MediaType {
    let lower = file_name.to_ascii_lowercase();
    if lower.ends_with(".html") || lower.ends_with(".htm") || lower.ends_with(".xhtml") {
        return MediaType::Html;
    }
    if lower.ends_with(".md") || lower.ends_with(".markdown") {
        return MediaType::Markdown;
    }
    let start: String = text.trim_start().chars().take(64).collect::<String>().to_ascii_lowercase();
    if start.starts_with("<!doctype html") || start.starts_with("<html") {
        MediaType::Html
    } else {
        MediaType::Text
    }
}

/// The header keys Dossier knows, in their canonical spelling.
const KNOWN_KEYS: [&str; 9] =
    ["title", "url", "source-type", "publisher", "published", "author", "language", "note", "confidential"];

fn canonical_key(raw: &str) -> Option<&'static str> {
    let k = raw.trim().to_ascii_lowercase().replace(['_', ' '], "-");
    let k = match k.as_str() {
        "type" | "sourcetype" => "source-type",
        "date" | "published-at" | "publication-date" => "published",
        "link" | "source-url" => "url",
        "lang" => "language",
        other => other,
    };
    KNOWN_KEYS.iter().copied().find(|known| *known == k)
}

/// Splits a leading YAML front matter or `Key: value` header block from the text.
fn split_header(text: &str) -> Result<(SourceMeta, &str), IntakeError> {
    if let Some(found) = front_matter(text) {
        let (yaml, rest) = found;
        return Ok((parse_front_matter(yaml)?, rest));
    }
    let Some((lines, rest)) = header_block(text) else {
        return Ok((SourceMeta::default(), text));
    };
    let mut meta = SourceMeta::default();
    for (i, (key, value)) in lines.iter().enumerate() {
        let Some(key) = canonical_key(key) else {
            return Err(IntakeError::UnknownKey { key: key.chars().take(40).collect(), line: i + 1 });
        };
        set_field(&mut meta, key, value, i + 1)?;
    }
    Ok((meta, rest))
}

/// A header block: the lines before the first blank line, each `Key: value`,
/// with at least one key Dossier knows. Anything else is body text.
fn header_block(text: &str) -> Option<(Vec<(&str, &str)>, &str)> {
    let (block, rest) = split_at_blank_line(text)?;
    let mut lines = Vec::new();
    for line in block.lines() {
        let (key, value) = line.split_once(':')?;
        let key_ok = !key.is_empty()
            && key.len() <= 40
            && key.starts_with(|c: char| c.is_ascii_alphabetic())
            && key.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ' '));
        if !key_ok {
            return None;
        }
        lines.push((key, value.trim()));
    }
    let any_known = lines.iter().any(|(k, _)| canonical_key(k).is_some());
    (any_known && !lines.is_empty()).then_some((lines, rest))
}

fn split_at_blank_line(text: &str) -> Option<(&str, &str)> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.trim().is_empty() {
            return Some((&text[..offset], &text[offset + line.len()..]));
        }
        offset += line.len();
    }
    None
}

fn front_matter(text: &str) -> Option<(&str, &str)> {
    let first = text.split_inclusive('\n').next()?;
    if first.trim_end() != "---" {
        return None;
    }
    let mut offset = first.len();
    for line in text[first.len()..].split_inclusive('\n') {
        if matches!(line.trim_end(), "---" | "...") {
            let yaml = &text[first.len()..offset];
            let mut rest = &text[offset + line.len()..];
            if let Some(r) = rest.strip_prefix("\r\n").or_else(|| rest.strip_prefix('\n')) {
                rest = r;
            }
            return Some((yaml, rest));
        }
        offset += line.len();
    }
    None
}

fn parse_front_matter(yaml: &str) -> Result<SourceMeta, IntakeError> {
    let value: serde_yaml_ng::Value =
        serde_yaml_ng::from_str(yaml).map_err(|e| IntakeError::BadFrontMatter(first_line(&e.to_string())))?;
    let mut meta = SourceMeta::default();
    let map = match value {
        serde_yaml_ng::Value::Mapping(m) => m,
        serde_yaml_ng::Value::Null => return Ok(meta),
        _ => return Err(IntakeError::BadFrontMatter("expected a mapping of keys to values".into())),
    };
    for (i, (k, v)) in map.iter().enumerate() {
        let raw_key = scalar_text(k).unwrap_or_default();
        let line = i + 2;
        let Some(key) = canonical_key(&raw_key) else {
            return Err(IntakeError::UnknownKey { key: raw_key.chars().take(40).collect(), line });
        };
        let Some(value) = scalar_text(v) else {
            if v.is_null() {
                continue;
            }
            return Err(IntakeError::BadValue { key, line, reason: "expected a single value".into() });
        };
        set_field(&mut meta, key, &value, line)?;
    }
    Ok(meta)
}

fn scalar_text(v: &serde_yaml_ng::Value) -> Option<String> {
    match v {
        serde_yaml_ng::Value::String(s) => Some(s.clone()),
        serde_yaml_ng::Value::Number(n) => Some(n.to_string()),
        serde_yaml_ng::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or_default().chars().take(160).collect()
}

fn set_field(meta: &mut SourceMeta, key: &'static str, value: &str, line: usize) -> Result<(), IntakeError> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(());
    }
    let text = Some(value.to_string());
    match key {
        "title" => meta.title = text,
        "url" => meta.url = text,
        "publisher" => meta.publisher = text,
        "author" => meta.author = text,
        "language" => meta.language = text,
        "note" => meta.note = text,
        "confidential" => {
            meta.confidential = match value.to_ascii_lowercase().as_str() {
                "yes" | "true" => true,
                "no" | "false" => false,
                _ => {
                    return Err(IntakeError::BadValue { key, line, reason: "expected yes or no".into() });
                }
            }
        }
        "source-type" => {
            meta.source_type =
                SourceType::parse(value).map_err(|e| IntakeError::BadValue { key, line, reason: e.to_string() })?
        }
        "published" => {
            meta.published = Some(SourceMeta::parse_date(value).map_err(|e| IntakeError::BadValue {
                key,
                line,
                reason: e.to_string(),
            })?)
        }
        _ => unreachable!("set_field is only called with known keys"),
    }
    Ok(())
}

fn fill_from_html_head(meta: &mut SourceMeta, head: &crate::html::HeadMeta) {
    if meta.title.is_none() {
        meta.title = head.title.clone();
    }
    if meta.author.is_none() {
        meta.author = head.author.clone();
    }
    if meta.language.is_none() {
        meta.language = head.language.clone();
    }
    if meta.published.is_none() {
        meta.published = head.published.as_deref().and_then(|d| SourceMeta::parse_date(d).ok());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Document, IntakeError> {
        read_document(text.as_bytes(), "report.txt", DEFAULT_MAX_BYTES)
    }

    #[test]
    fn header_block_gives_metadata_and_body_is_kept_verbatim() {
        let doc = read("TITLE: A raid\nSOURCE-TYPE: ngo\nPUBLISHED: 2009-07-31\n\nBody  text\nwrapped.\n").unwrap();
        assert_eq!(doc.meta.title.as_deref(), Some("A raid"));
        assert_eq!(doc.meta.source_type, SourceType::Ngo);
        assert_eq!(doc.meta.published.unwrap().to_string(), "2009-07-31");
        assert_eq!(doc.body, "Body  text\nwrapped.\n");
    }

    #[test]
    fn a_first_paragraph_that_merely_has_a_colon_is_body() {
        let doc = read("Breaking: five killed\n\nMore text.").unwrap();
        assert_eq!(doc.body, "Breaking: five killed\n\nMore text.");
        assert_eq!(doc.meta, SourceMeta::default());
    }

    #[test]
    fn unknown_keys_and_bad_values_are_named() {
        let e = read("Title: x\nColour: red\n\nbody").unwrap_err();
        assert_eq!(e, IntakeError::UnknownKey { key: "Colour".into(), line: 2 });
        let e = read("Title: x\nPublished: 31/07/2009\n\nbody").unwrap_err();
        assert!(matches!(e, IntakeError::BadValue { key: "published", line: 2, .. }), "{e}");
        let e = read("Source-Type: blog\n\nbody").unwrap_err();
        assert!(e.to_string().contains("unknown source type"), "{e}");
    }

    #[test]
    fn yaml_front_matter() {
        let doc = read("---\ntitle: \"Shelling\"\nsource_type: un\npublished: 2013-02-09\n---\nText.").unwrap();
        assert_eq!(doc.meta.title.as_deref(), Some("Shelling"));
        assert_eq!(doc.meta.source_type, SourceType::Un);
        assert_eq!(doc.body, "Text.");
        assert!(matches!(read("---\nweird: 1\n---\nText."), Err(IntakeError::UnknownKey { .. })));
        assert!(matches!(read("---\n[1, 2\n---\nText."), Err(IntakeError::BadFrontMatter(_))));
    }

    #[test]
    fn bad_bytes_get_clear_errors() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        assert_eq!(read_document(png, "x.txt", DEFAULT_MAX_BYTES), Err(IntakeError::Binary("PNG image")));
        assert_eq!(read_document(b"caf\xe9 au lait", "x.txt", DEFAULT_MAX_BYTES), Err(IntakeError::NotUtf8(3)));
        assert_eq!(read_document(b"  \n\t ", "x.txt", DEFAULT_MAX_BYTES), Err(IntakeError::Empty));
        assert!(matches!(read_document(b"abc", "x.txt", 2), Err(IntakeError::TooLarge { size: 3, limit: 2 })));
        assert_eq!(read("Title: only a header\n\n"), Err(IntakeError::NoText));
    }

    #[test]
    fn utf16_with_a_byte_order_mark_is_decoded() {
        let mut bytes = vec![0xff, 0xfe];
        for u in "Five killed.".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(read_document(&bytes, "x.txt", DEFAULT_MAX_BYTES).unwrap().body, "Five killed.");
    }

    #[test]
    fn html_is_detected_by_name_or_content() {
        let doc = read_document(b"<p>Hi <b>there</b></p>", "page.html", DEFAULT_MAX_BYTES).unwrap();
        assert_eq!(doc.media_type, MediaType::Html);
        assert_eq!(doc.body, "Hi there");
        let doc = read_document(b"<!DOCTYPE html><title>T</title><p>x</p>", "page", DEFAULT_MAX_BYTES).unwrap();
        assert_eq!(doc.media_type, MediaType::Html);
        assert_eq!(doc.meta.title.as_deref(), Some("T"));
        let deep = "<div>".repeat(20_000);
        assert_eq!(read_document(deep.as_bytes(), "deep.html", DEFAULT_MAX_BYTES), Err(IntakeError::TooDeep(20_000)));
    }
}
