//! Digests of stored records, written into log entries so `verify` can tell
//! whether a row was changed after it was logged.

use dossier_model::{Claim, Sha256Hex, Source};

/// Digest of a source record (metadata, body, everything stored).
pub fn source_digest(s: &Source) -> Sha256Hex {
    Sha256Hex::of(serde_json::to_string(s).expect("sources serialise").as_bytes())
}

/// Digest of a source's claims as extracted, in order.
pub fn claims_digest(claims: &[Claim]) -> Sha256Hex {
    Sha256Hex::of(serde_json::to_string(claims).expect("claims serialise").as_bytes())
}
