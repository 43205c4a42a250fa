//! Event types from a small vocabulary, found by their trigger words.

use dossier_model::Span;

use crate::text::Token;

/// Dossier's event-type vocabulary and the words that signal each term.
pub const VOCABULARY: [(&str, &[&str]); 8] = [
    ("raid", &["raid", "raided", "raids", "stormed", "storming"]),
    ("attack", &["attack", "attacked", "assault", "onslaught"]),
    ("shooting", &["gunfire", "shooting", "shot", "shootings"]),
    ("shelling", &["rocket", "rockets", "mortar", "mortars", "shelling", "shelled", "artillery"]),
    ("bombing", &["bomb", "bombing", "bombed", "explosion", "blast", "bomber"]),
    ("airstrike", &["airstrike", "airstrikes", "air-strike", "airstrike"]),
    ("abduction", &["abducted", "abduction", "kidnapped", "kidnapping"]),
    ("detention", &["detained", "arrested", "detention", "imprisoned"]),
];

/// The first mention of each vocabulary term, in order of appearance.
pub fn find_event_types(tokens: &[Token<'_>]) -> Vec<(&'static str, Span)> {
    let mut out: Vec<(&'static str, Span)> = Vec::new();
    for t in tokens.iter().filter(|t| t.kind == crate::text::TokenKind::Word && t.text.len() >= 4) {
        let w = t.lower();
        for (term, triggers) in VOCABULARY {
            if triggers.contains(&w.as_ref()) && !out.iter().any(|(seen, _)| *seen == term) {
                out.push((term, t.span));
            }
        }
    }
    out
}
