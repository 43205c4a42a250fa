//! Protected persons: victims, witnesses and detainees named in a report.
//! Their names are sensitive: stored sealed, shown only to those allowed,
//! and never printed by `Debug` or `Display`.

use std::fmt;

/// A protected person's name. `Debug` and `Display` print `<protected>`;
/// the name itself is read only through [`ProtectedName::reveal`].
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ProtectedName(String);

impl ProtectedName {
    /// Wraps a name.
    pub fn new(name: impl Into<String>) -> Self {
        ProtectedName(name.into())
    }

    /// The name, for those allowed to see it.
    pub fn reveal(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ProtectedName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ProtectedName(<protected>)")
    }
}

impl fmt::Display for ProtectedName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<protected>")
    }
}

/// Why a person named in a report is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PersonRole {
    /// Abducted, detained, arrested or disappeared (a case).
    Detainee,
    /// Killed or harmed.
    Victim,
    /// Saw or told what happened.
    Witness,
}

impl PersonRole {
    /// The stored name of the role.
    pub fn as_str(self) -> &'static str {
        match self {
            PersonRole::Detainee => "detainee",
            PersonRole::Victim => "victim",
            PersonRole::Witness => "witness",
        }
    }

    /// The role stored as `s`.
    pub fn parse(s: &str) -> Option<Self> {
        [PersonRole::Detainee, PersonRole::Victim, PersonRole::Witness].into_iter().find(|r| r.as_str() == s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_never_print_the_name() {
        let n = ProtectedName::new("Safar Zakery");
        assert!(!format!("{n:?} {n} {:?}", Some(&n)).contains("Zakery"));
        assert_eq!(n.reveal(), "Safar Zakery");
        assert_eq!(PersonRole::parse("witness"), Some(PersonRole::Witness));
    }
}

/// One mention of a protected person in a source's body, as stored: the
/// pseudonym, never the name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// The person's pseudonym.
    pub pseudonym: String,
    /// `detainee`, `victim` or `witness`.
    pub role: String,
    /// Where in the body.
    pub span: crate::Span,
}
