//! Audit-log entries and their canonical, versioned byte encoding (the leaf data).

use serde::{Deserialize, Serialize};

use crate::merkle::{leaf_hash, Hash};

/// The version tag that starts every encoded entry.
pub const ENTRY_FORMAT: &str = "dossier-log/1";

/// One audit-log entry: who did what to which subject, when, with what payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Position in the log, from 0.
    pub seq: u64,
    /// When it was recorded (RFC 3339, UTC), as given by the caller's clock.
    pub recorded_at: String,
    /// Who made the change (a user name, or `dossier` for the machine).
    pub actor: String,
    /// What was done (`source.ingested`, `claims.extracted`...).
    pub action: String,
    /// The id of the record changed.
    pub subject: String,
    /// The change itself, as JSON text; never holds a protected name in clear.
    pub payload: String,
}

impl Entry {
    /// The canonical encoding: the format tag, then the seq as 8 big-endian
    /// bytes, then each text field as an 8-byte big-endian length and its bytes.
    pub fn canonical_bytes(&self) -> Vec<u8> {
        let fields = [self.recorded_at.as_str(), &self.actor, &self.action, &self.subject, &self.payload];
        let mut out = Vec::with_capacity(64 + fields.iter().map(|f| f.len() + 8).sum::<usize>());
        out.extend_from_slice(ENTRY_FORMAT.as_bytes());
        out.push(0);
        out.extend_from_slice(&self.seq.to_be_bytes());
        for f in fields {
            out.extend_from_slice(&(f.len() as u64).to_be_bytes());
            out.extend_from_slice(f.as_bytes());
        }
        out
    }

    /// The entry's leaf hash in the log's Merkle tree.
    pub fn leaf_hash(&self) -> Hash {
        leaf_hash(&self.canonical_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Entry {
        Entry {
            seq: 0,
            recorded_at: "2026-01-01T00:00:00Z".into(),
            actor: "dossier".into(),
            action: "source.ingested".into(),
            subject: "src-0123456789abcdef".into(),
            payload: "{\"sha256\":\"00\"}".into(),
        }
    }

    #[test]
    fn encoding_is_pinned() {
        // Golden value: changing the entry encoding breaks every existing log.
        assert_eq!(
            hex::encode(sample().leaf_hash()),
            "b6228006cc962adb44668104cd7472d3e4ae1f7c7c42a27b6829439fc0378d62"
        );
    }

    #[test]
    fn every_field_changes_the_hash() {
        let base = sample().leaf_hash();
        let mut e = sample();
        e.seq = 1;
        assert_ne!(e.leaf_hash(), base);
        for i in 0..5 {
            let mut e = sample();
            match i {
                0 => e.recorded_at.push('x'),
                1 => e.actor.push('x'),
                2 => e.action.push('x'),
                3 => e.subject.push('x'),
                _ => e.payload.push('x'),
            }
            assert_ne!(e.leaf_hash(), base, "field {i}");
        }
    }

    #[test]
    fn field_boundaries_are_unambiguous() {
        let mut a = sample();
        let mut b = sample();
        a.actor = "ab".into();
        a.action = "c".into();
        b.actor = "a".into();
        b.action = "bc".into();
        assert_ne!(a.leaf_hash(), b.leaf_hash());
    }
}
