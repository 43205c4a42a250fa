//! Human decisions: reviews of claims and grouping decisions. Each is kept
//! beside the machine's original, never over it.

use serde::{Deserialize, Serialize};

use crate::{ClaimId, ClaimStatus, ClaimValue, SourceId};

/// What a reviewer did to a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewAction {
    /// The claim is right.
    Accept,
    /// The claim is wrong: it no longer counts.
    Reject,
    /// The value is corrected.
    Edit,
}

impl ReviewAction {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewAction::Accept => "accept",
            ReviewAction::Reject => "reject",
            ReviewAction::Edit => "edit",
        }
    }

    /// Parses a wire name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "accept" => Some(ReviewAction::Accept),
            "reject" => Some(ReviewAction::Reject),
            "edit" => Some(ReviewAction::Edit),
            _ => None,
        }
    }

    /// The status a claim has after this action.
    pub fn status(self) -> ClaimStatus {
        match self {
            ReviewAction::Accept => ClaimStatus::Accepted,
            ReviewAction::Reject => ClaimStatus::Rejected,
            ReviewAction::Edit => ClaimStatus::Edited,
        }
    }
}

/// A review of one claim, recorded by the log entry `seq`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Review {
    /// The log entry that recorded it.
    pub seq: u64,
    /// The claim reviewed.
    pub claim: ClaimId,
    /// What was done.
    pub action: ReviewAction,
    /// The corrected value (edits only).
    pub value: Option<ClaimValue>,
    /// Why.
    pub reason: String,
    /// Who.
    pub actor: String,
    /// When.
    pub recorded_at: String,
}

/// Whether two sources' reports are one incident or two.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupingAction {
    /// The same incident.
    Together,
    /// Different incidents.
    Apart,
}

impl GroupingAction {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            GroupingAction::Together => "together",
            GroupingAction::Apart => "apart",
        }
    }

    /// Parses a wire name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "together" => Some(GroupingAction::Together),
            "apart" => Some(GroupingAction::Apart),
            _ => None,
        }
    }
}

/// A reviewer's decision that two sources report the same incident, or
/// different ones; resolution always honours it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupingDecision {
    /// The log entry that recorded it.
    pub seq: u64,
    /// Its place among the pairs of that entry.
    pub ordinal: u64,
    /// Together or apart.
    pub action: GroupingAction,
    /// One source.
    pub a: SourceId,
    /// The other.
    pub b: SourceId,
    /// Why.
    pub reason: String,
    /// Who.
    pub actor: String,
    /// When.
    pub recorded_at: String,
}

/// A reviewer's decision that a claim belongs to another incident: the one
/// that holds the `target` claim's event. `None` gives the claim back to the
/// incident the machine placed it in. The latest move of a claim counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimMove {
    /// The log entry that recorded it.
    pub seq: u64,
    /// The claim moved.
    pub claim: ClaimId,
    /// A claim of the incident it moves to; `None`: back to the machine's placement.
    pub target: Option<ClaimId>,
    /// Why.
    pub reason: String,
    /// Who.
    pub actor: String,
    /// When.
    pub recorded_at: String,
}
