//! Dossier's audit log, over bytes: entry encoding, RFC 9162 Merkle hashing,
//! and the checks `verify` runs.
//!
//! Invariant: pure. No I/O, no clock; callers pass times in.

#[cfg(test)]
mod ct_vectors;
mod entry;
mod merkle;
mod proof;
mod signed;

pub use entry::{Entry, ENTRY_FORMAT};
pub use merkle::{leaf_hash, node_hash, root_of, Frontier, Hash, EMPTY_ROOT};
pub use proof::{consistency_proof, inclusion_proof, verify_consistency, verify_inclusion, ProofError};
pub use signed::{public_key, TreeHeadBody, TREE_HEAD_FORMAT};

/// An error from decoding ledger data.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LedgerError {
    /// A stored hash that is not 32 bytes of hex.
    #[error("not a 32-byte hex hash: {0:?}")]
    BadHash(String),
    /// A tree-head signature that does not verify.
    #[error("bad tree-head signature: {0}")]
    BadSignature(String),
    /// A stored frontier that does not fit its tree size.
    #[error("frontier of {nodes} nodes does not fit a tree of {size} leaves")]
    BadFrontier {
        /// Nodes found.
        nodes: usize,
        /// Tree size claimed.
        size: u64,
    },
}

/// Parses a lowercase or uppercase hex hash.
pub fn parse_hash(s: &str) -> Result<Hash, LedgerError> {
    let mut out = [0u8; 32];
    hex::decode_to_slice(s, &mut out).map_err(|_| LedgerError::BadHash(s.chars().take(80).collect()))?;
    Ok(out)
}

/// Hex text of a hash.
pub fn hash_hex(h: &Hash) -> String {
    hex::encode(h)
}
