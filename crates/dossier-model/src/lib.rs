//! Dossier's domain vocabulary: the values every other crate speaks.
//!
//! Invariant: this crate does no I/O and reads no clock; every type that can
//! be built from untrusted text has a `parse` returning `Result`.

mod claim;
mod ids;
mod incident;
mod log_action;
mod person;
mod review;
mod source;

pub use claim::{
    Attribution, Claim, ClaimKind, ClaimPlacement, ClaimReview, ClaimStatus, ClaimValue, Count, DateValue, PlaceRef,
    Precision, Span,
};
pub use ids::{ClaimId, IncidentId, Sha256Hex, SourceId};
pub use incident::{
    range_text, Anchor, Evidence, Figure, FigureEntry, Grade, Incident, JoinReason, PerpetratorEntry, BEST_RULE,
};
pub use log_action::LogAction;
pub use person::{Mention, PersonRole, ProtectedName};
pub use review::{ClaimMove, GroupingAction, GroupingDecision, Review, ReviewAction};
pub use source::{MediaType, Source, SourceMeta, SourceMetaOverride, SourceType};

/// An error from parsing a domain value out of untrusted text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModelError {
    /// A value that should have been a SHA-256 hex digest was not.
    #[error("not a SHA-256 hex digest: {0:?}")]
    BadDigest(String),
    /// An unknown source type.
    #[error(
        "unknown source type {0:?} (expected one of un, ngo, news, government, advocacy, testimony, court, other)"
    )]
    BadSourceType(String),
    /// A date that is not a valid calendar date in a supported format.
    #[error("invalid date {0:?} (expected YYYY-MM-DD)")]
    BadDate(String),
    /// An identifier with the wrong prefix or shape.
    #[error("not a valid {kind} id: {value:?}")]
    BadId {
        /// What kind of id was expected.
        kind: &'static str,
        /// The text given.
        value: String,
    },
}
