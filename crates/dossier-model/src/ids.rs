//! Identifiers: content digests and the stable ids derived from them.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;

use crate::ModelError;

/// A lowercase hex SHA-256 digest (64 characters).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Sha256Hex(String);

impl Sha256Hex {
    /// Digest of `bytes`.
    pub fn of(bytes: &[u8]) -> Self {
        Sha256Hex(hex::encode(Sha256::digest(bytes)))
    }

    /// Parses a 64-character hex digest (either case; stored lowercase).
    pub fn parse(s: &str) -> Result<Self, ModelError> {
        if s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit()) {
            Ok(Sha256Hex(s.to_ascii_lowercase()))
        } else {
            Err(ModelError::BadDigest(s.chars().take(80).collect()))
        }
    }

    /// The hex text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Sha256Hex {
    type Error = ModelError;
    fn try_from(s: String) -> Result<Self, ModelError> {
        Sha256Hex::parse(&s)
    }
}

impl From<Sha256Hex> for String {
    fn from(h: Sha256Hex) -> String {
        h.0
    }
}

impl fmt::Display for Sha256Hex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

macro_rules! prefixed_id {
    ($(#[$doc:meta])* $name:ident, $prefix:literal, $kind:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// The id's prefix, e.g. `src-`.
            pub const PREFIX: &'static str = $prefix;

            /// Parses an id: the prefix followed by 16 lowercase hex digits.
            pub fn parse(s: &str) -> Result<Self, ModelError> {
                let ok = s
                    .strip_prefix($prefix)
                    .is_some_and(|rest| rest.len() == 16 && rest.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
                if ok {
                    Ok($name(s.to_string()))
                } else {
                    Err(ModelError::BadId { kind: $kind, value: s.chars().take(80).collect() })
                }
            }

            /// Derives the id from the digest of `parts`, joined unambiguously.
            pub fn derive(parts: &[&str]) -> Self {
                let mut h = Sha256::new();
                for p in parts {
                    h.update((p.len() as u64).to_be_bytes());
                    h.update(p.as_bytes());
                }
                $name(format!("{}{}", $prefix, &hex::encode(h.finalize())[..16]))
            }

            /// The id text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = ModelError;
            fn try_from(s: String) -> Result<Self, ModelError> {
                $name::parse(&s)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

prefixed_id!(
    /// A source's id: `src-` and the first 16 hex digits of its SHA-256.
    SourceId, "src-", "source"
);
prefixed_id!(
    /// A claim's id, derived from its source, kind and span.
    ClaimId, "clm-", "claim"
);
prefixed_id!(
    /// An incident's id, derived from the first claim that founded it.
    IncidentId, "inc-", "incident"
);

impl SourceId {
    /// The id of the source whose original bytes have digest `sha`.
    pub fn for_digest(sha: &Sha256Hex) -> Self {
        SourceId(format!("src-{}", &sha.as_str()[..16]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_of_empty_input_is_the_known_value() {
        assert_eq!(Sha256Hex::of(b"").as_str(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    #[test]
    fn ids_parse_only_their_own_shape() {
        let sha = Sha256Hex::of(b"report");
        let id = SourceId::for_digest(&sha);
        assert_eq!(SourceId::parse(id.as_str()).unwrap(), id);
        assert!(SourceId::parse("src-XYZ").is_err());
        assert!(ClaimId::parse(id.as_str()).is_err());
        assert!(Sha256Hex::parse("abc").is_err());
    }

    #[test]
    fn derived_ids_separate_their_parts() {
        assert_ne!(ClaimId::derive(&["ab", "c"]), ClaimId::derive(&["a", "bc"]));
    }
}
