//! Digests of stored records, written into log entries so `verify` can tell
//! whether a row was changed after it was logged, under a named, versioned
//! record encoding.
//!
//! ## `dossier-record/1`
//!
//! The bytes hashed for a record of kind `K` (`source`, `claims`, `review`,
//! `decisions`, `move`, `mentions`, `incidents`) are
//!
//! ```text
//! "dossier-record/1" 0x0A K 0x0A canonical-json(record)
//! ```
//!
//! where `canonical-json` is the record's fields as a JSON value with
//! - object keys in ascending byte order, no whitespace, strings escaped as
//!   JSON requires (and nothing more), integers in decimal;
//! - every field that is `null`, an empty array or an empty object left out
//!   (so adding an optional or list field to a record leaves the encoding of
//!   every record that does not use it unchanged, and the order in which a
//!   struct declares its fields never matters);
//! - `seq` fields of reviews, decisions and moves left out (the log entry that
//!   recorded them holds the sequence number).
//!
//! A log entry that used this encoding says so with `"encoding":
//! "dossier-record/1"` in its payload. Entries written before encodings were
//! versioned have no `encoding` field: their digests are SHA-256 of the
//! record's compact JSON with fields in declaration order
//! ([`Encoding::Legacy`]), which `verify` still checks.

use dossier_model::{Claim, ClaimMove, GroupingDecision, Incident, Mention, Review, Sha256Hex, Source};
use serde::Serialize;
use serde_json::Value;

/// The record encoding this build writes.
pub const RECORD_ENCODING: &str = "dossier-record/1";

/// The encoding a log entry's digests were computed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// Before encodings were versioned: compact JSON in declaration order.
    Legacy,
    /// `dossier-record/1` (module docs).
    V1,
}

impl Encoding {
    /// The encoding a payload names (`encoding` field); `None` for one this
    /// build does not know (made by a later Dossier).
    pub fn of(payload: &Value) -> Option<Encoding> {
        match payload.get("encoding").and_then(Value::as_str) {
            None => Some(Encoding::Legacy),
            Some(RECORD_ENCODING) => Some(Encoding::V1),
            Some(_) => None,
        }
    }
}

/// Drops nulls, empty arrays and empty objects, recursively; keys stay sorted
/// (serde_json's map is ordered by key).
fn canonical(v: Value) -> Option<Value> {
    match v {
        Value::Null => None,
        Value::Array(items) => {
            let items: Vec<Value> = items.into_iter().map(|i| canonical(i).unwrap_or(Value::Null)).collect();
            (!items.is_empty()).then_some(Value::Array(items))
        }
        Value::Object(map) => {
            let map: serde_json::Map<String, Value> =
                map.into_iter().filter_map(|(k, v)| canonical(v).map(|v| (k, v))).collect();
            (!map.is_empty()).then_some(Value::Object(map))
        }
        other => Some(other),
    }
}

/// The `dossier-record/1` bytes of one record of `kind`.
pub fn encode_v1(kind: &str, record: &impl Serialize) -> Vec<u8> {
    let value = serde_json::to_value(record).expect("records serialise");
    let body = canonical(value).map(|v| v.to_string()).unwrap_or_default();
    let mut out = Vec::with_capacity(RECORD_ENCODING.len() + kind.len() + body.len() + 2);
    out.extend_from_slice(RECORD_ENCODING.as_bytes());
    out.push(b'\n');
    out.extend_from_slice(kind.as_bytes());
    out.push(b'\n');
    out.extend_from_slice(body.as_bytes());
    out
}

fn digest(kind: &str, record: &impl Serialize, encoding: Encoding) -> Sha256Hex {
    match encoding {
        Encoding::Legacy => Sha256Hex::of(serde_json::to_string(record).expect("records serialise").as_bytes()),
        Encoding::V1 => Sha256Hex::of(&encode_v1(kind, record)),
    }
}

/// Digest of a source record (metadata, body, everything stored).
pub fn source_digest(s: &Source, encoding: Encoding) -> Sha256Hex {
    digest("source", s, encoding)
}

/// Digest of a source's claims as extracted, in order.
pub fn claims_digest(claims: &[Claim], encoding: Encoding) -> Sha256Hex {
    digest("claims", &claims, encoding)
}

/// Digest of the mentions of protected persons in one source, in order.
pub fn mentions_digest(mentions: &[Mention], encoding: Encoding) -> Sha256Hex {
    let rows: Vec<(&str, &str, usize, usize)> =
        mentions.iter().map(|m| (m.pseudonym.as_str(), m.role.as_str(), m.span.start, m.span.end)).collect();
    digest("mentions", &rows, encoding)
}

/// Digest of a review as recorded (its seq excluded: the log entry holds it).
pub fn review_digest(r: &Review, encoding: Encoding) -> Sha256Hex {
    let r = Review { seq: 0, ..r.clone() };
    match encoding {
        Encoding::Legacy => digest("review", &r, encoding),
        Encoding::V1 => digest("review", &without_seq(&r), encoding),
    }
}

/// Digest of the pairs one grouping decision recorded (seqs excluded).
pub fn decisions_digest(ds: &[GroupingDecision], encoding: Encoding) -> Sha256Hex {
    let ds: Vec<GroupingDecision> = ds.iter().map(|d| GroupingDecision { seq: 0, ..d.clone() }).collect();
    match encoding {
        Encoding::Legacy => digest("decisions", &ds, encoding),
        Encoding::V1 => digest("decisions", &ds.iter().map(without_seq).collect::<Vec<_>>(), encoding),
    }
}

/// Digest of a claim's move as recorded (its seq excluded: the log entry holds it).
pub fn move_digest(m: &ClaimMove, encoding: Encoding) -> Sha256Hex {
    let m = ClaimMove { seq: 0, ..m.clone() };
    match encoding {
        Encoding::Legacy => digest("move", &m, encoding),
        Encoding::V1 => digest("move", &without_seq(&m), encoding),
    }
}

/// Digest of an incident projection (a set, or one incident), in order.
pub fn incidents_digest(incidents: &[Incident], encoding: Encoding) -> Sha256Hex {
    digest("incidents", &incidents, encoding)
}

/// A record's JSON value without its top-level `seq`.
fn without_seq(record: &impl Serialize) -> Value {
    let mut v = serde_json::to_value(record).expect("records serialise");
    if let Value::Object(map) = &mut v {
        map.remove("seq");
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;

    #[derive(Serialize)]
    struct Before {
        name: String,
        count: u64,
    }

    /// The same record after a later release added an optional field and a
    /// list, and declared its fields in another order.
    #[derive(Serialize)]
    struct After {
        added_note: Option<String>,
        count: u64,
        added_list: Vec<u64>,
        name: String,
    }

    #[test]
    fn adding_an_optional_field_or_reordering_leaves_the_encoding_unchanged() {
        let before = Before { name: "Camp Example".into(), count: 3 };
        let after = After { added_note: None, count: 3, added_list: vec![], name: "Camp Example".into() };
        assert_eq!(encode_v1("source", &before), encode_v1("source", &after));
        // A value in the new field is part of the record.
        let used = After { added_note: Some("x".into()), ..after };
        assert_ne!(encode_v1("source", &before), encode_v1("source", &used));
    }

    #[test]
    fn the_encoding_is_pinned() {
        let record = Before { name: "Q\u{e9}\"\n".into(), count: 12 };
        let bytes = encode_v1("review", &record);
        assert_eq!(
            String::from_utf8(bytes.clone()).unwrap(),
            "dossier-record/1\nreview\n{\"count\":12,\"name\":\"Q\u{e9}\\\"\\n\"}"
        );
        assert_eq!(Sha256Hex::of(&bytes).as_str(), "f5bdf501af65a90525668d0c40b9a78cd1d4fe0e9cc3a55231095d4d22b125f1");
    }

    #[test]
    fn kinds_are_apart_and_payloads_name_their_encoding() {
        let record = Before { name: "a".into(), count: 1 };
        assert_ne!(encode_v1("review", &record), encode_v1("move", &record));
        assert_eq!(Encoding::of(&serde_json::json!({})), Some(Encoding::Legacy));
        assert_eq!(Encoding::of(&serde_json::json!({"encoding": RECORD_ENCODING})), Some(Encoding::V1));
        assert_eq!(Encoding::of(&serde_json::json!({"encoding": "dossier-record/9"})), None);
    }
}
