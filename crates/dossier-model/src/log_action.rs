//! What a log entry records: the closed set of actions Dossier writes into
//! its audit log. The wire names are part of every stored entry's bytes, so
//! they never change; a new kind of event is a new variant.

use std::fmt;

use crate::{GroupingAction, ReviewAction};

/// The action of one audit-log entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogAction {
    /// A source was archived and stored (`source.ingested`).
    SourceIngested,
    /// A protected person was recorded, name sealed (`person.recorded`).
    PersonRecorded,
    /// A source's claims were extracted: a claim set (`claims.extracted`).
    ClaimsExtracted,
    /// A reviewer accepted, rejected or edited a claim (`claim.accept`, …).
    ClaimReviewed(ReviewAction),
    /// A claim was moved to another incident (`claim.moved`).
    ClaimMoved,
    /// Reviewers decided sources are one incident or two (`incidents.together`, `incidents.apart`).
    Grouped(GroupingAction),
    /// Every incident was resolved again (`incidents.resolved`).
    IncidentsResolved,
    /// One incident was written by placing new reports (`incident.updated`).
    IncidentUpdated,
    /// A user account was added (`user.added`).
    UserAdded,
    /// An API token was issued (`token.issued`).
    TokenIssued,
    /// A user signed in (`session.started`).
    SessionStarted,
    /// A user signed out (`session.ended`).
    SessionEnded,
    /// The signing key was rotated (`keys.rotated`).
    KeysRotated,
}

impl LogAction {
    /// Every action.
    pub const ALL: [LogAction; 16] = [
        LogAction::SourceIngested,
        LogAction::PersonRecorded,
        LogAction::ClaimsExtracted,
        LogAction::ClaimReviewed(ReviewAction::Accept),
        LogAction::ClaimReviewed(ReviewAction::Reject),
        LogAction::ClaimReviewed(ReviewAction::Edit),
        LogAction::ClaimMoved,
        LogAction::Grouped(GroupingAction::Together),
        LogAction::Grouped(GroupingAction::Apart),
        LogAction::IncidentsResolved,
        LogAction::IncidentUpdated,
        LogAction::UserAdded,
        LogAction::TokenIssued,
        LogAction::SessionStarted,
        LogAction::SessionEnded,
        LogAction::KeysRotated,
    ];

    /// The wire name, as stored in log entries.
    pub fn as_str(self) -> &'static str {
        match self {
            LogAction::SourceIngested => "source.ingested",
            LogAction::PersonRecorded => "person.recorded",
            LogAction::ClaimsExtracted => "claims.extracted",
            LogAction::ClaimReviewed(ReviewAction::Accept) => "claim.accept",
            LogAction::ClaimReviewed(ReviewAction::Reject) => "claim.reject",
            LogAction::ClaimReviewed(ReviewAction::Edit) => "claim.edit",
            LogAction::ClaimMoved => "claim.moved",
            LogAction::Grouped(GroupingAction::Together) => "incidents.together",
            LogAction::Grouped(GroupingAction::Apart) => "incidents.apart",
            LogAction::IncidentsResolved => "incidents.resolved",
            LogAction::IncidentUpdated => "incident.updated",
            LogAction::UserAdded => "user.added",
            LogAction::TokenIssued => "token.issued",
            LogAction::SessionStarted => "session.started",
            LogAction::SessionEnded => "session.ended",
            LogAction::KeysRotated => "keys.rotated",
        }
    }

    /// Parses a wire name; `None` for one this build does not write.
    pub fn parse(s: &str) -> Option<LogAction> {
        LogAction::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// Whether `s` is this action's wire name.
    pub fn is(self, s: &str) -> bool {
        self.as_str() == s
    }
}

impl fmt::Display for LogAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_parses_back_and_names_are_distinct() {
        let mut names = std::collections::HashSet::new();
        for a in LogAction::ALL {
            assert_eq!(LogAction::parse(a.as_str()), Some(a));
            names.insert(a.as_str());
        }
        assert_eq!(names.len(), 16);
        assert_eq!(LogAction::parse("claim.delete"), None);
        assert_eq!(LogAction::parse("Source.Ingested"), None);
    }

    #[test]
    fn wire_names_are_pinned() {
        // Stored entries hold these bytes: changing one would orphan every entry written with it.
        let names: Vec<&str> = LogAction::ALL.iter().map(|a| a.as_str()).collect();
        assert_eq!(
            names.join(" "),
            "source.ingested person.recorded claims.extracted claim.accept claim.reject claim.edit claim.moved \
             incidents.together incidents.apart incidents.resolved incident.updated user.added token.issued \
             session.started session.ended keys.rotated"
        );
    }
}
