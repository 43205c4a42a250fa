//! Event types from a small vocabulary, found by their trigger words.

use dossier_model::Span;

use crate::text::Token;

/// One term of Dossier's event-type vocabulary: the words that signal it, and
/// the ACLED event type and sub-event type it corresponds to (see
/// `docs/event-vocabulary.md`).
#[derive(Debug, Clone, Copy)]
pub struct EventTerm {
    /// Dossier's term.
    pub term: &'static str,
    /// Words that signal it.
    pub triggers: &'static [&'static str],
    /// ACLED event type.
    pub acled_event_type: &'static str,
    /// ACLED sub-event type.
    pub acled_sub_event_type: &'static str,
}

/// Dossier's event-type vocabulary.
pub const VOCABULARY: [EventTerm; 11] = [
    EventTerm {
        term: "raid",
        triggers: &["raid", "raided", "raids", "stormed", "storming"],
        acled_event_type: "Violence against civilians",
        acled_sub_event_type: "Attack",
    },
    EventTerm {
        term: "attack",
        triggers: &["attack", "attacked", "assault", "onslaught"],
        acled_event_type: "Violence against civilians",
        acled_sub_event_type: "Attack",
    },
    EventTerm {
        term: "shooting",
        triggers: &["gunfire", "shooting", "shot", "shootings"],
        acled_event_type: "Violence against civilians",
        acled_sub_event_type: "Attack",
    },
    EventTerm {
        term: "massacre",
        triggers: &["massacre", "massacred", "massacres", "executed", "executions"],
        acled_event_type: "Violence against civilians",
        acled_sub_event_type: "Attack",
    },
    EventTerm {
        term: "shelling",
        triggers: &[
            "rocket",
            "rockets",
            "mortar",
            "mortars",
            "shelling",
            "shelled",
            "artillery",
            "missile",
            "missiles",
            "katyusha",
        ],
        acled_event_type: "Explosions/Remote violence",
        acled_sub_event_type: "Shelling/artillery/missile attack",
    },
    EventTerm {
        term: "bombing",
        triggers: &["bomb", "bombing", "bombed", "explosion", "blast", "bomber", "ied"],
        acled_event_type: "Explosions/Remote violence",
        acled_sub_event_type: "Remote explosive/landmine/IED",
    },
    EventTerm {
        term: "airstrike",
        triggers: &["airstrike", "airstrikes", "air-strike", "air-strikes", "drone"],
        acled_event_type: "Explosions/Remote violence",
        acled_sub_event_type: "Air/drone strike",
    },
    EventTerm {
        term: "abduction",
        triggers: &["abducted", "abduction", "kidnapped", "kidnapping", "disappeared"],
        acled_event_type: "Violence against civilians",
        acled_sub_event_type: "Abduction/forced disappearance",
    },
    EventTerm {
        term: "detention",
        triggers: &["detained", "arrested", "detention", "imprisoned", "arrests"],
        acled_event_type: "Strategic developments",
        acled_sub_event_type: "Arrests",
    },
    EventTerm {
        term: "relocation",
        triggers: &["relocated", "relocation", "transferred", "evicted", "expelled"],
        acled_event_type: "Strategic developments",
        acled_sub_event_type: "Other",
    },
    EventTerm {
        term: "siege",
        triggers: &["siege", "besieged", "blockade", "blockaded"],
        acled_event_type: "Strategic developments",
        acled_sub_event_type: "Other",
    },
];

/// The first mention of each vocabulary term, in order of appearance.
pub fn find_event_types(tokens: &[Token<'_>]) -> Vec<(&'static str, Span)> {
    let mut out: Vec<(&'static str, Span)> = Vec::new();
    for t in tokens.iter().filter(|t| t.kind == crate::text::TokenKind::Word && t.text.len() >= 4) {
        let w = t.lower();
        for e in VOCABULARY {
            if e.triggers.contains(&w.as_ref()) && !out.iter().any(|(seen, _)| *seen == e.term) {
                out.push((e.term, t.span));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_term_is_documented_with_its_mapping() {
        let doc = include_str!("../../../docs/event-vocabulary.md");
        for e in VOCABULARY {
            let row = format!("| `{}` | {} | {} |", e.term, e.acled_event_type, e.acled_sub_event_type);
            assert!(doc.contains(&row), "docs/event-vocabulary.md lacks the row {row}");
        }
    }

    #[test]
    fn triggers_find_terms_in_order() {
        let toks = crate::text::tokenize("Katyusha rockets hit the camp; residents were later relocated.", 0);
        let terms: Vec<&str> = find_event_types(&toks).into_iter().map(|(t, _)| t).collect();
        assert_eq!(terms, vec!["shelling", "relocation"]);
    }
}
