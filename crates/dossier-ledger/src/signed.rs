//! Signed tree heads: the log's size and root, with the time they were
//! signed, under the installation's Ed25519 key. Pure: keys come in as bytes.

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};

use crate::{hash_hex, Hash, LedgerError};

/// The version tag that starts every signed tree head.
pub const TREE_HEAD_FORMAT: &str = "dossier-tree-head/1";

/// What is signed: the log's size and Merkle root at a moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeHeadBody {
    /// Number of entries.
    pub size: u64,
    /// Merkle tree hash over every entry.
    pub root: Hash,
    /// When it was signed (RFC 3339, UTC).
    pub signed_at: String,
}

impl TreeHeadBody {
    /// The canonical bytes signed: format tag, size, root, time.
    pub fn canonical_bytes(&self) -> Vec<u8> {
        format!("{TREE_HEAD_FORMAT}\n{}\n{}\n{}", self.size, hash_hex(&self.root), self.signed_at).into_bytes()
    }

    /// Signs with a 32-byte Ed25519 secret key; returns the signature in hex.
    pub fn sign(&self, secret: &[u8; 32]) -> String {
        let key = SigningKey::from_bytes(secret);
        hex::encode(key.sign(&self.canonical_bytes()).to_bytes())
    }

    /// Checks a hex signature against a 32-byte Ed25519 public key.
    pub fn verify(&self, public: &[u8; 32], signature_hex: &str) -> Result<(), LedgerError> {
        let key =
            VerifyingKey::from_bytes(public).map_err(|_| LedgerError::BadSignature("invalid public key".into()))?;
        let mut raw = [0u8; 64];
        hex::decode_to_slice(signature_hex, &mut raw)
            .map_err(|_| LedgerError::BadSignature("not a 64-byte hex signature".into()))?;
        key.verify(&self.canonical_bytes(), &Signature::from_bytes(&raw))
            .map_err(|_| LedgerError::BadSignature("the signature does not match the tree head".into()))
    }
}

/// The public key of a 32-byte secret key.
pub fn public_key(secret: &[u8; 32]) -> [u8; 32] {
    SigningKey::from_bytes(secret).verifying_key().to_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signed_head_verifies_and_any_change_breaks_it() {
        let secret = [7u8; 32];
        let public = public_key(&secret);
        let head = TreeHeadBody { size: 3, root: [1u8; 32], signed_at: "2026-01-01T00:00:00Z".into() };
        let sig = head.sign(&secret);
        assert!(head.verify(&public, &sig).is_ok());
        for changed in [
            TreeHeadBody { size: 4, ..head.clone() },
            TreeHeadBody { root: [2u8; 32], ..head.clone() },
            TreeHeadBody { signed_at: "2026-01-01T00:00:01Z".into(), ..head.clone() },
        ] {
            assert!(changed.verify(&public, &sig).is_err());
        }
        assert!(head.verify(&public_key(&[8u8; 32]), &sig).is_err(), "another key");
        assert!(head.verify(&public, "00").is_err());
    }

    #[test]
    fn signing_is_deterministic_and_pinned() {
        let head = TreeHeadBody { size: 1, root: [0u8; 32], signed_at: "t".into() };
        assert_eq!(head.sign(&[7u8; 32]), head.sign(&[7u8; 32]));
        assert_eq!(hex::encode(public_key(&[7u8; 32])).len(), 64);
    }
}
