//! Incidents: real-world events assembled from the claims of one or more sources.

use serde::{Deserialize, Serialize};

use crate::{Attribution, ClaimId, DateValue, IncidentId, PlaceRef, SourceId, Span};

/// One source's (or one quoted party's) figure for an incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FigureEntry {
    /// The claim it comes from.
    pub claim: ClaimId,
    /// The source that reports it.
    pub source: SourceId,
    /// Lower bound.
    pub min: Option<u64>,
    /// Upper bound.
    pub max: Option<u64>,
    /// Qualifier as in [`crate::Count`].
    pub qualifier: String,
    /// Who gives it.
    pub according_to: Attribution,
    /// Exactly the source text at `span`.
    pub text: String,
    /// Where in the source's normalised text.
    pub span: Span,
    /// The claim by which the same voice, in a later report, revised this
    /// figure (this one is kept, and shown before it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub superseded_by: Option<ClaimId>,
}

/// A perpetrator named by one source for an incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PerpetratorEntry {
    /// The name as stated.
    pub name: String,
    /// `state_forces`, `armed_group`, `state`, `person` or `unknown`.
    pub kind: String,
    /// `asserted`, `alleged`, `denied` or `claimed responsibility`.
    pub status: String,
    /// The fuller name the report gave earlier, when `name` is a short form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refers_to: Option<String>,
    /// The source that names it.
    pub source: SourceId,
    /// The claim.
    pub claim: ClaimId,
    /// Who says so.
    pub according_to: Attribution,
    /// The passage.
    pub text: String,
    /// Where.
    pub span: Span,
}

/// A computed figure: every source's value side by side, and the range they span.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Figure {
    /// The smallest bound any entry gives.
    pub min: Option<u64>,
    /// The largest bound any entry gives.
    pub max: Option<u64>,
    /// Every entry, in source order.
    pub by_source: Vec<FigureEntry>,
    /// The best figure, by [`BEST_RULE`], when some voice gives a number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub best: Option<u64>,
}

/// How an incident's best figure is chosen (shown with it).
pub const BEST_RULE: &str = "the figure the most voices give in their latest report (a voice is a party a \
    source quotes, or the source itself; copies of one text are one voice); on a tie, the lower";

impl Figure {
    /// Builds the figure from its entries: min and max over every bound given.
    pub fn from_entries(by_source: Vec<FigureEntry>) -> Self {
        let bounds = || by_source.iter().flat_map(|e| [e.min, e.max]).flatten();
        Figure { min: bounds().min(), max: bounds().max(), by_source, best: None }
    }
}

/// How well an incident is corroborated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Grade {
    /// Independent sources of at least two kinds agree.
    Confirmed,
    /// Several independent sources of two or more kinds, without agreement on figures.
    Fair,
    /// Several sources, all of one kind.
    Weak,
    /// Sources disagree on whether it happened or who did it.
    Contested,
    /// One source only.
    SingleSource,
}

impl Grade {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Grade::Confirmed => "confirmed",
            Grade::Fair => "fair",
            Grade::Weak => "weak",
            Grade::Contested => "contested",
            Grade::SingleSource => "single_source",
        }
    }

    /// The rule that gives this grade, in words (ARCHITECTURE.md has them all).
    pub fn rule(self) -> &'static str {
        match self {
            Grade::Contested => "a voice denies the deaths others report, or a perpetrator's role is denied or counter-claimed",
            Grade::SingleSource => "one independent source (republications of one text count once)",
            Grade::Weak => "several sources, all of one type",
            Grade::Confirmed => {
                "independent voices from sources of different types give the same killed figure, or a perpetrator claims responsibility"
            }
            Grade::Fair => "independent sources of several types, without agreement on the killed figure",
        }
    }
}

/// A figure's range as text: `36`, `3–34`, `≥7`, `≤400`, `?`.
pub fn range_text(min: Option<u64>, max: Option<u64>) -> String {
    match (min, max) {
        (Some(a), Some(b)) if a == b => a.to_string(),
        (Some(a), Some(b)) => format!("{a}–{b}"),
        (Some(a), None) => format!("≥{a}"),
        (None, Some(b)) => format!("≤{b}"),
        (None, None) => "?".to_string(),
    }
}

/// One signal that a source's report describes the incident, with its weight.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// What was compared: `date`, `place`, `event type`.
    pub signal: String,
    /// What was found, in words.
    pub detail: String,
    /// How much it counts (0 to 1).
    pub weight: f64,
}

/// Why a source's report was grouped into an incident.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JoinReason {
    /// The source.
    pub source: SourceId,
    /// The source already in the incident that it was matched with; `None`
    /// for the report that founded the incident.
    pub matched: Option<SourceId>,
    /// The signals compared.
    pub evidence: Vec<Evidence>,
}

/// The report an incident is matched against: its most specific one (the
/// earliest among equals), and the order key of the report that founded it.
/// Kept so that a new report can be placed without reading every report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Anchor {
    /// The most specific report's source.
    pub source: SourceId,
    /// Its date.
    pub date: Option<DateValue>,
    /// Its place.
    pub place: Option<PlaceRef>,
    /// The founding report's ingestion time and id, which order incidents.
    pub founded: String,
    /// The names its reports tell the event with (lowercased, first told
    /// first, capped), which linkage weighs for a new report.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub names: Vec<String>,
}

/// A real-world event; every figure is computed from claims, never typed over.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Incident {
    /// Stable id.
    pub id: IncidentId,
    /// A readable title (type, place, date).
    pub title: String,
    /// Event types from the vocabulary.
    pub types: Vec<String>,
    /// When.
    pub date: Option<DateValue>,
    /// Where.
    pub place: Option<PlaceRef>,
    /// People killed.
    pub killed: Figure,
    /// People injured.
    pub injured: Figure,
    /// People missing.
    #[serde(default)]
    pub missing: Figure,
    /// People detained, arrested, abducted.
    #[serde(default)]
    pub detained: Figure,
    /// People displaced.
    #[serde(default)]
    pub displaced: Figure,
    /// Attackers killed or injured, kept apart from the victims' figures.
    #[serde(default)]
    pub attacker_casualties: Figure,
    /// Perpetrators, as each source names them.
    #[serde(default)]
    pub perpetrators: Vec<PerpetratorEntry>,
    /// The sources that report it.
    pub sources: Vec<SourceId>,
    /// Every claim grouped into it.
    pub claims: Vec<ClaimId>,
    /// Corroboration grade.
    pub grade: Grade,
    /// Why each source was grouped here.
    #[serde(default)]
    pub why: Vec<JoinReason>,
    /// What a new report is matched against.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anchor: Option<Anchor>,
}
