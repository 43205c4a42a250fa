//! Digests of stored records, written into log entries so `verify` can tell
//! whether a row was changed after it was logged.

use dossier_model::{Claim, ClaimMove, GroupingDecision, Review, Sha256Hex, Source};

/// Digest of a source record (metadata, body, everything stored).
pub fn source_digest(s: &Source) -> Sha256Hex {
    Sha256Hex::of(serde_json::to_string(s).expect("sources serialise").as_bytes())
}

/// Digest of a source's claims as extracted, in order.
pub fn claims_digest(claims: &[Claim]) -> Sha256Hex {
    Sha256Hex::of(serde_json::to_string(claims).expect("claims serialise").as_bytes())
}

/// Digest of the mentions of protected persons in one source, in order.
pub fn mentions_digest(mentions: &[dossier_store::Mention]) -> Sha256Hex {
    let rows: Vec<(&str, &str, usize, usize)> =
        mentions.iter().map(|m| (m.pseudonym.as_str(), m.role.as_str(), m.span.start, m.span.end)).collect();
    Sha256Hex::of(serde_json::to_string(&rows).expect("mentions serialise").as_bytes())
}

/// Digest of a review as recorded (its seq excluded: the log entry holds it).
pub fn review_digest(r: &Review) -> Sha256Hex {
    let r = Review { seq: 0, ..r.clone() };
    Sha256Hex::of(serde_json::to_string(&r).expect("reviews serialise").as_bytes())
}

/// Digest of the pairs one grouping decision recorded (seqs excluded).
pub fn decisions_digest(ds: &[GroupingDecision]) -> Sha256Hex {
    let ds: Vec<GroupingDecision> = ds.iter().map(|d| GroupingDecision { seq: 0, ..d.clone() }).collect();
    Sha256Hex::of(serde_json::to_string(&ds).expect("decisions serialise").as_bytes())
}

/// Digest of a claim's move as recorded (its seq excluded: the log entry holds it).
pub fn move_digest(m: &ClaimMove) -> Sha256Hex {
    let m = ClaimMove { seq: 0, ..m.clone() };
    Sha256Hex::of(serde_json::to_string(&m).expect("moves serialise").as_bytes())
}
