//! Dossier's stable wire formats. `dossier-export/1`: one JSON object with
//! sources (and their normalised bodies), incidents with per-source figures,
//! and claims. Field names are fixed by DESIGN.md; fields may be added, never
//! renamed or removed.

mod csv_out;

pub use csv_out::incidents_csv;

use dossier_model::{
    Claim, ClaimKind, ClaimPlacement, ClaimReview, ClaimValue, DateValue, Figure, Incident, JoinReason,
    PerpetratorEntry, PlaceRef, Source,
};
use serde::Serialize;

/// The format tag of this export.
pub const FORMAT: &str = "dossier-export/1";

/// The whole export.
#[derive(Debug, Serialize)]
pub struct Export<'a> {
    /// Always [`FORMAT`].
    pub format: &'static str,
    /// Every source.
    pub sources: Vec<SourceOut<'a>>,
    /// Every incident.
    pub incidents: Vec<IncidentOut<'a>>,
    /// Every claim.
    pub claims: Vec<ClaimOut<'a>>,
    /// Actors (not resolved across sources yet: always empty in this version;
    /// perpetrators are listed per incident).
    pub actors: Vec<serde_json::Value>,
    /// Commitments: who pledged what to whom, when, with the passage.
    pub commitments: Vec<StatementOut<'a>>,
    /// Calls for action: who demanded what, with the passage.
    pub calls: Vec<StatementOut<'a>>,
    /// Individual cases: who, what happened, for how long, with the passage.
    pub cases: Vec<StatementOut<'a>>,
    /// Sources the reports cite (books, testimonies, reports).
    pub cited_sources: Vec<StatementOut<'a>>,
}

/// A source as exported.
#[derive(Debug, Serialize)]
pub struct SourceOut<'a> {
    /// Id.
    pub id: &'a str,
    /// SHA-256 of the original bytes.
    pub sha256: &'a str,
    /// Title.
    pub title: Option<&'a str>,
    /// Address.
    pub url: Option<&'a str>,
    /// Author's kind.
    pub source_type: &'static str,
    /// Publisher.
    pub publisher: Option<&'a str>,
    /// Publication date (YYYY-MM-DD).
    pub published: Option<String>,
    /// Author.
    pub author: Option<&'a str>,
    /// Language.
    pub language: Option<&'a str>,
    /// Note.
    pub note: Option<&'a str>,
    /// The name of the file it was ingested from.
    pub file_name: &'a str,
    /// `text`, `markdown` or `html`.
    pub media_type: &'static str,
    /// When it was ingested.
    pub ingested_at: &'a str,
    /// The normalised text every span indexes (`body[start..end] == text`).
    pub body: &'a str,
}

/// A span as exported.
#[derive(Debug, Serialize)]
pub struct SpanOut {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

/// A date as exported.
#[derive(Debug, Serialize)]
pub struct DateOut {
    /// First day.
    pub start: String,
    /// Last day.
    pub end: String,
    /// `day`, `range`, `month` or `year`.
    pub precision: &'static str,
}

/// One source's figure.
#[derive(Debug, Serialize)]
pub struct FigureEntryOut<'a> {
    /// Source id.
    pub source: &'a str,
    /// Claim id.
    pub claim: &'a str,
    /// Lower bound.
    pub min: Option<u64>,
    /// Upper bound.
    pub max: Option<u64>,
    /// Qualifier.
    pub qualifier: &'a str,
    /// Who gives it.
    pub according_to: &'a str,
    /// The passage.
    pub text: &'a str,
    /// Where the passage is.
    pub span: SpanOut,
    /// The same voice's later figure that revised this one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub superseded_by: Option<&'a str>,
}

/// A figure: range and every source's value.
#[derive(Debug, Serialize)]
pub struct FigureOut<'a> {
    /// Smallest bound given.
    pub min: Option<u64>,
    /// Largest bound given.
    pub max: Option<u64>,
    /// The best figure, and the rule that chose it.
    pub best: Option<u64>,
    /// How `best` is chosen.
    pub best_rule: &'static str,
    /// Each source's value.
    pub by_source: Vec<FigureEntryOut<'a>>,
}

/// An incident as exported.
#[derive(Debug, Serialize)]
pub struct IncidentOut<'a> {
    /// Id.
    pub id: &'a str,
    /// Title.
    pub title: &'a str,
    /// Event types.
    pub types: &'a [String],
    /// When.
    pub date: Option<DateOut>,
    /// Where.
    pub place: Option<&'a PlaceRef>,
    /// Killed.
    pub killed: FigureOut<'a>,
    /// Injured.
    pub injured: FigureOut<'a>,
    /// Missing.
    pub missing: FigureOut<'a>,
    /// Detained, arrested, abducted.
    pub detained: FigureOut<'a>,
    /// Displaced.
    pub displaced: FigureOut<'a>,
    /// Attackers killed or injured, kept apart from the victims' figures.
    pub attacker_casualties: FigureOut<'a>,
    /// Perpetrators as each source names them: name, kind, status, source, according_to, text, span.
    pub perpetrators: &'a [PerpetratorEntry],
    /// Victims and detainees its sources name (protected persons: by name
    /// in the key holder's export, by pseudonym in a public one); filled by
    /// the app, empty from [`build`].
    pub victims: Vec<serde_json::Value>,
    /// Source ids.
    pub sources: Vec<&'a str>,
    /// Corroboration grade.
    pub grade: &'static str,
    /// Why each source was grouped into this incident.
    pub why: &'a [JoinReason],
}

/// A commitment, call, case or cited source: the claim's passage and its parts.
#[derive(Debug, Serialize)]
pub struct StatementOut<'a> {
    /// Claim id.
    pub id: &'a str,
    /// Source id.
    pub source: &'a str,
    /// The passage.
    pub text: &'a str,
    /// Where.
    pub span: SpanOut,
    /// Who says so.
    pub according_to: &'a str,
    /// Review state.
    pub status: &'static str,
    /// The parts: by, to, content, date, duration, detail.
    #[serde(flatten)]
    pub value: &'a ClaimValue,
}

/// A claim as exported.
#[derive(Debug, Serialize)]
pub struct ClaimOut<'a> {
    /// Id.
    pub id: &'a str,
    /// Kind.
    pub kind: &'static str,
    /// Source id.
    pub source: &'a str,
    /// Where.
    pub span: SpanOut,
    /// The passage.
    pub text: &'a str,
    /// The sentence around it.
    pub sentence: SpanOut,
    /// Who gives it.
    pub according_to: &'a str,
    /// Review state.
    pub status: &'static str,
    /// The structured value.
    pub value: &'a ClaimValue,
    /// Which event of the report: 0 the one it is about, 1, 2… earlier ones it
    /// mentions, then separate ones it tells.
    pub frame: u32,
    /// The latest review (who, when, why, and the machine's original value).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub review: Option<&'a ClaimReview>,
    /// A reviewer's move into another incident (who, when, why, to which claim's incident).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub moved: Option<&'a ClaimPlacement>,
}

fn date_out(d: &DateValue) -> DateOut {
    DateOut { start: d.start.to_string(), end: d.end.to_string(), precision: d.precision.as_str() }
}

fn figure_out(f: &Figure) -> FigureOut<'_> {
    FigureOut {
        min: f.min,
        max: f.max,
        best: f.best,
        best_rule: dossier_model::BEST_RULE,
        by_source: f
            .by_source
            .iter()
            .map(|e| FigureEntryOut {
                source: e.source.as_str(),
                claim: e.claim.as_str(),
                min: e.min,
                max: e.max,
                qualifier: &e.qualifier,
                according_to: e.according_to.as_str(),
                text: &e.text,
                span: SpanOut { start: e.span.start, end: e.span.end },
                superseded_by: e.superseded_by.as_ref().map(|c| c.as_str()),
            })
            .collect(),
    }
}

/// Builds the export from the store's contents.
pub fn build<'a>(sources: &'a [Source], claims: &'a [Claim], incidents: &'a [Incident]) -> Export<'a> {
    Export {
        format: FORMAT,
        sources: sources
            .iter()
            .map(|s| SourceOut {
                id: s.id.as_str(),
                sha256: s.sha256.as_str(),
                title: s.meta.title.as_deref(),
                url: s.meta.url.as_deref(),
                source_type: s.meta.source_type.as_str(),
                publisher: s.meta.publisher.as_deref(),
                published: s.meta.published.map(|d| d.to_string()),
                author: s.meta.author.as_deref(),
                language: s.meta.language.as_deref(),
                note: s.meta.note.as_deref(),
                file_name: &s.file_name,
                media_type: s.media_type.as_str(),
                ingested_at: &s.ingested_at,
                body: &s.body,
            })
            .collect(),
        incidents: incidents
            .iter()
            .map(|i| IncidentOut {
                id: i.id.as_str(),
                title: &i.title,
                types: &i.types,
                date: i.date.as_ref().map(date_out),
                place: i.place.as_ref(),
                killed: figure_out(&i.killed),
                injured: figure_out(&i.injured),
                missing: figure_out(&i.missing),
                detained: figure_out(&i.detained),
                displaced: figure_out(&i.displaced),
                attacker_casualties: figure_out(&i.attacker_casualties),
                perpetrators: &i.perpetrators,
                victims: Vec::new(),
                sources: i.sources.iter().map(|s| s.as_str()).collect(),
                grade: i.grade.as_str(),
                why: &i.why,
            })
            .collect(),
        claims: claims
            .iter()
            .map(|c| ClaimOut {
                id: c.id.as_str(),
                kind: c.kind.as_str(),
                source: c.source.as_str(),
                span: SpanOut { start: c.span.start, end: c.span.end },
                text: &c.text,
                sentence: SpanOut { start: c.sentence.start, end: c.sentence.end },
                according_to: c.according_to.as_str(),
                status: c.status.as_str(),
                value: &c.value,
                frame: c.frame,
                review: c.review.as_ref(),
                moved: c.moved.as_ref(),
            })
            .collect(),
        actors: Vec::new(),
        commitments: statements(claims, ClaimKind::Commitment),
        calls: statements(claims, ClaimKind::Call),
        cases: statements(claims, ClaimKind::Case),
        cited_sources: statements(claims, ClaimKind::CitedSource),
    }
}

fn statements(claims: &[Claim], kind: ClaimKind) -> Vec<StatementOut<'_>> {
    claims
        .iter()
        .filter(|c| c.kind == kind)
        .map(|c| StatementOut {
            id: c.id.as_str(),
            source: c.source.as_str(),
            text: &c.text,
            span: SpanOut { start: c.span.start, end: c.span.end },
            according_to: c.according_to.as_str(),
            status: c.status.as_str(),
            value: &c.value,
        })
        .collect()
}
