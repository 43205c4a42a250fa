//! Claims: one structured, attributed assertion from one span of one source.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

use crate::{ClaimId, SourceId};

/// A byte range of a source's normalised text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end`.
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// The text this span covers in `body`, if it lies on character boundaries.
    pub fn slice(self, body: &str) -> Option<&str> {
        body.get(self.start..self.end)
    }

    /// Whether `other` lies inside this span.
    pub fn contains(self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

/// What kind of assertion a claim makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimKind {
    /// When the incident happened.
    IncidentDate,
    /// At what time of day.
    IncidentTime,
    /// Where the incident happened.
    IncidentPlace,
    /// What kind of event it was (raid, bombing...).
    EventType,
    /// People killed.
    Killed,
    /// People injured.
    Injured,
    /// People missing or disappeared.
    Missing,
    /// People detained, arrested, abducted or taken hostage.
    Detained,
    /// People displaced.
    Displaced,
    /// Who carried it out (asserted, alleged, denied, claimed).
    Perpetrator,
    /// A pledge: who promised what to whom, when.
    Commitment,
    /// A call for action: who demanded what.
    Call,
    /// An individual's detention, abduction or disappearance.
    Case,
    /// A source the text cites (a book, a testimony, a report).
    CitedSource,
    /// A weapon or materiel used ("armored vehicles", "a car bomb").
    Materiel,
    /// The size of the force that carried it out ("a 2,500-strong force").
    ForceSize,
    /// Who commanded a unit ("the 5th Division led by General …").
    Command,
    /// Who gave an order ("issued the order to attack …").
    Order,
}

impl ClaimKind {
    /// The kinds that count people.
    pub const COUNTS: [ClaimKind; 5] =
        [ClaimKind::Killed, ClaimKind::Injured, ClaimKind::Missing, ClaimKind::Detained, ClaimKind::Displaced];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            ClaimKind::IncidentDate => "incident_date",
            ClaimKind::IncidentTime => "incident_time",
            ClaimKind::IncidentPlace => "incident_place",
            ClaimKind::EventType => "event_type",
            ClaimKind::Killed => "killed",
            ClaimKind::Injured => "injured",
            ClaimKind::Missing => "missing",
            ClaimKind::Detained => "detained",
            ClaimKind::Displaced => "displaced",
            ClaimKind::Perpetrator => "perpetrator",
            ClaimKind::Commitment => "commitment",
            ClaimKind::Call => "call",
            ClaimKind::Case => "case",
            ClaimKind::CitedSource => "cited_source",
            ClaimKind::Materiel => "materiel",
            ClaimKind::ForceSize => "force_size",
            ClaimKind::Command => "command",
            ClaimKind::Order => "order",
        }
    }

    /// Parses a wire name.
    pub fn parse(s: &str) -> Option<Self> {
        [
            ClaimKind::IncidentDate,
            ClaimKind::IncidentTime,
            ClaimKind::IncidentPlace,
            ClaimKind::EventType,
            ClaimKind::Killed,
            ClaimKind::Injured,
            ClaimKind::Missing,
            ClaimKind::Detained,
            ClaimKind::Displaced,
            ClaimKind::Perpetrator,
            ClaimKind::Commitment,
            ClaimKind::Call,
            ClaimKind::Case,
            ClaimKind::CitedSource,
            ClaimKind::Materiel,
            ClaimKind::ForceSize,
            ClaimKind::Command,
            ClaimKind::Order,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

/// Review state of a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ClaimStatus {
    /// Found by the machine, not yet reviewed.
    #[default]
    Extracted,
    /// Accepted by a reviewer.
    Accepted,
    /// Rejected by a reviewer.
    Rejected,
    /// Value corrected by a reviewer (the original stays in the log).
    Edited,
}

impl ClaimStatus {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            ClaimStatus::Extracted => "extracted",
            ClaimStatus::Accepted => "accepted",
            ClaimStatus::Rejected => "rejected",
            ClaimStatus::Edited => "edited",
        }
    }

    /// Parses a wire name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "extracted" => Some(ClaimStatus::Extracted),
            "accepted" => Some(ClaimStatus::Accepted),
            "rejected" => Some(ClaimStatus::Rejected),
            "edited" => Some(ClaimStatus::Edited),
            _ => None,
        }
    }
}

/// Who gives a claim: the source itself, or a party the source quotes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Attribution {
    /// The source states it in its own voice.
    #[default]
    Source,
    /// A party the source quotes ("police said", "according to the UN").
    Party(String),
}

impl Attribution {
    /// The wire text: `source`, or the party as stated.
    pub fn as_str(&self) -> &str {
        match self {
            Attribution::Source => "source",
            Attribution::Party(p) => p,
        }
    }

    /// Reads the wire text back.
    pub fn parse(s: &str) -> Self {
        if s == "source" || s.is_empty() {
            Attribution::Source
        } else {
            Attribution::Party(s.to_string())
        }
    }
}

impl fmt::Display for Attribution {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Attribution {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Attribution {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Ok(Attribution::parse(&s))
    }
}

/// How precisely a date is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Precision {
    /// A single day.
    Day,
    /// A span of days stated as a range.
    Range,
    /// A month.
    Month,
    /// A year.
    Year,
}

impl Precision {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Precision::Day => "day",
            Precision::Range => "range",
            Precision::Month => "month",
            Precision::Year => "year",
        }
    }
}

/// A date or date range with its precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct DateValue {
    /// First day.
    pub start: NaiveDate,
    /// Last day (inclusive).
    pub end: NaiveDate,
    /// Precision.
    pub precision: Precision,
}

impl DateValue {
    /// A single day.
    pub fn day(d: NaiveDate) -> Self {
        DateValue { start: d, end: d, precision: Precision::Day }
    }

    /// Whether the two date ranges share at least one day.
    pub fn overlaps(&self, other: &DateValue) -> bool {
        self.start <= other.end && other.start <= self.end
    }
}

/// A count of people with its qualifier, as the text gives it.
///
/// Conventions: "at least N" → min N; "more than N" → min N+1; "up to N" →
/// max N; "about N" → min = max = N; a denial → 0/0; vague words ("dozens") → none.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Count {
    /// Lower bound, if the text gives one.
    pub min: Option<u64>,
    /// Upper bound, if the text gives one.
    pub max: Option<u64>,
    /// `exact`, `at least`, `more than`, `up to`, `about`, `nearly`, `denial`, `vague:<word>`.
    pub qualifier: String,
    /// Who was counted, when the text says ("residents", "civilians").
    pub population: Option<String>,
    /// Whether the people counted were the attackers ("three gunmen were
    /// killed"): kept apart from the victims' figures.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub attackers: bool,
}

/// A place as resolved against the gazetteer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlaceRef {
    /// The most specific name (site, town, region or country).
    pub name: String,
    /// First-level administrative region, when known.
    pub admin1: Option<String>,
    /// Country.
    pub country: Option<String>,
    /// Latitude (WGS84).
    pub lat: Option<f64>,
    /// Longitude (WGS84).
    pub lon: Option<f64>,
}

/// The structured value of a claim.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClaimValue {
    /// A count (killed, injured...).
    Count(Count),
    /// A date.
    Date(DateValue),
    /// A time of day.
    Time {
        /// Hour (0–23), when given on the clock.
        #[serde(skip_serializing_if = "Option::is_none")]
        hour: Option<u8>,
        /// Minute, when given on the clock.
        #[serde(skip_serializing_if = "Option::is_none")]
        minute: Option<u8>,
        /// Part of the day in words (`early morning`, `dawn`, `night`…).
        #[serde(skip_serializing_if = "Option::is_none")]
        part_of_day: Option<String>,
    },
    /// A place.
    Place(PlaceRef),
    /// An actor and its role.
    Actor {
        /// The name as stated.
        name: String,
        /// `state_forces`, `armed_group`, `state`, `person` or `unknown`.
        actor_kind: String,
        /// `asserted`, `alleged`, `denied` or `claimed responsibility`.
        status: String,
        /// The fuller name a short form stands for in the same report
        /// ("Maliki" → "Nouri Maliki", "the army" → "the Iraqi Army").
        #[serde(default, skip_serializing_if = "Option::is_none")]
        refers_to: Option<String>,
    },
    /// A weapon or materiel, with its category (`armored_vehicle`,
    /// `firearm`, `explosive`, `indirect_fire`, `aircraft`, `chemical`,
    /// `less_lethal`, `blade`).
    Materiel {
        /// The category.
        category: String,
    },
    /// A command relation or an order: `from` commands (or ordered) `to`.
    Relation {
        /// `commands` or `ordered`.
        relation: String,
        /// The commander, or who gave the order, as stated.
        from: String,
        /// The unit commanded, or what was ordered, as stated.
        to: String,
    },
    /// A commitment, call, case or cited source, its parts as stated.
    Statement {
        /// Who pledged or demanded.
        #[serde(skip_serializing_if = "Option::is_none")]
        by: Option<String>,
        /// To whom (a commitment), or the person concerned (a case).
        #[serde(skip_serializing_if = "Option::is_none")]
        to: Option<String>,
        /// What was pledged or demanded, or the title cited.
        #[serde(skip_serializing_if = "Option::is_none")]
        content: Option<String>,
        /// When, if the sentence says.
        #[serde(skip_serializing_if = "Option::is_none")]
        date: Option<DateValue>,
        /// How long, as stated ("over three weeks").
        #[serde(skip_serializing_if = "Option::is_none")]
        duration: Option<String>,
        /// `book`, `testimony`, `report`; the case's event (`abducted`); or a
        /// pledge's fate as its sentence tells it (`breached`, `kept`).
        #[serde(skip_serializing_if = "Option::is_none")]
        detail: Option<String>,
    },
    /// An event type from Dossier's vocabulary.
    EventType {
        /// The vocabulary term (`raid`, `bombing`...).
        term: String,
    },
}

/// One structured assertion from one span of one source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Claim {
    /// Stable id derived from source, kind and span.
    pub id: ClaimId,
    /// What it asserts.
    pub kind: ClaimKind,
    /// The source it came from.
    pub source: SourceId,
    /// Where in the source's normalised text.
    pub span: Span,
    /// Exactly `body[span]`.
    pub text: String,
    /// The sentence containing the span.
    pub sentence: Span,
    /// Who gives it.
    pub according_to: Attribution,
    /// Review state.
    pub status: ClaimStatus,
    /// The value (the reviewed value, after an edit).
    pub value: ClaimValue,
    /// The latest human review, if any; the machine's value stays in `original`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<ClaimReview>,
    /// Which event of the report it belongs to: 0 for the event the report is
    /// about, 1, 2… for earlier events it mentions with their own dates.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub frame: u32,
    /// A reviewer's move of this claim to another incident, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moved: Option<ClaimPlacement>,
}

/// Where a reviewer moved a claim: into the incident holding `to`'s event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimPlacement {
    /// A claim of the incident it belongs to.
    pub to: ClaimId,
    /// Who.
    pub actor: String,
    /// When.
    pub recorded_at: String,
    /// Why.
    pub reason: String,
    /// The log entry that recorded it.
    pub seq: u64,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// The latest review of a claim, as shown beside it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimReview {
    /// `accept`, `reject` or `edit`.
    pub action: String,
    /// Who.
    pub actor: String,
    /// When.
    pub recorded_at: String,
    /// Why.
    pub reason: String,
    /// The log entry that recorded it.
    pub seq: u64,
    /// The value the machine extracted, when a reviewer changed it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub original: Option<ClaimValue>,
}

impl Claim {
    /// The id a claim of `kind` at `span` of `source` gets.
    pub fn id_for(source: &SourceId, kind: ClaimKind, span: Span) -> ClaimId {
        ClaimId::derive(&[source.as_str(), kind.as_str(), &span.start.to_string(), &span.end.to_string()])
    }

    /// The id a claim gets in the `generation`th claim set of its source (1:
    /// the extraction at ingest, [`Claim::id_for`]; later ones come from
    /// re-extraction and never reuse an earlier set's ids).
    pub fn id_in_set(source: &SourceId, kind: ClaimKind, span: Span, generation: u64) -> ClaimId {
        if generation <= 1 {
            return Claim::id_for(source, kind, span);
        }
        let set = format!("set {generation}");
        ClaimId::derive(&[source.as_str(), kind.as_str(), &span.start.to_string(), &span.end.to_string(), &set])
    }

    /// The count, for count claims.
    pub fn count(&self) -> Option<&Count> {
        match &self.value {
            ClaimValue::Count(c) => Some(c),
            _ => None,
        }
    }
}
