//! Who gives a figure: "according to X", "X said", "..., X told Reuters".

use crate::text::{Token, TokenKind};

const SAY_VERBS: [&str; 16] = [
    "said",
    "says",
    "say",
    "told",
    "tells",
    "reported",
    "reports",
    "stated",
    "states",
    "claimed",
    "claims",
    "announced",
    "added",
    "confirmed",
    "denied",
    "insisted",
];

const PRONOUNS: [&str; 8] = ["he", "she", "they", "it", "we", "i", "who", "which"];

const CLAUSE_OPENERS: [&str; 7] = ["that", "but", "and", "while", "as", "although", "where"];

/// The party a sentence attributes its statements to, as stated, or `None`
/// when the sentence speaks in the source's own voice. `previous` is the
/// party of the sentence before, used for pronouns ("he said").
pub fn party_of_sentence(sentence: &str, tokens: &[Token<'_>], base: usize, previous: Option<&str>) -> Option<String> {
    let slice = |a: usize, b: usize| -> Option<String> {
        (a < b).then(|| sentence[tokens[a].span.start - base..tokens[b - 1].span.end - base].to_string())
    };
    if let Some(i) = (0..tokens.len().saturating_sub(1)).find(|&i| tokens[i].is("according") && tokens[i + 1].is("to"))
    {
        let start = i + 2;
        let mut end = start;
        while end < tokens.len() && end - start < 8 && tokens[end].kind != TokenKind::Punct && !tokens[end].is("that") {
            end += 1;
        }
        if let Some(party) = slice(start, end) {
            return resolve_pronoun(party, previous);
        }
    }
    let verb = tokens.iter().position(|t| SAY_VERBS.iter().any(|v| t.is(v)))?;
    // Inverted: `"...," said the police chief.`
    let is_quote =
        |k: Option<usize>| k.and_then(|k| tokens.get(k)).is_some_and(|t| matches!(t.text, "\"" | "”" | "'" | "’"));
    let before = verb.checked_sub(1);
    let after_quote =
        is_quote(before) || before.is_some_and(|b| tokens[b].text == ",") && is_quote(verb.checked_sub(2));
    if after_quote || verb == 0 {
        let start = verb + 1;
        let mut end = start;
        while end < tokens.len() && end - start < 8 && tokens[end].kind != TokenKind::Punct {
            end += 1;
        }
        return slice(start, end).and_then(|p| resolve_pronoun(p, previous));
    }
    subject_before(tokens, verb).and_then(|(a, b)| slice(a, b)).and_then(|p| resolve_pronoun(p, previous))
}

const AUXILIARIES: [&str; 12] =
    ["had", "has", "have", "was", "is", "were", "also", "then", "later", "earlier", "again", "had"];

/// The subject before a speech verb: back to the clause start, without
/// trailing auxiliaries and adverbs; across an appositive ("X, the
/// commander, had said") to the name before it.
fn subject_before(tokens: &[Token<'_>], verb: usize) -> Option<(usize, usize)> {
    let mut end = verb;
    loop {
        while end > 0 && (AUXILIARIES.iter().any(|w| tokens[end - 1].is(w)) || tokens[end - 1].lower().ends_with("ly"))
        {
            end -= 1;
        }
        let mut start = end;
        while start > 0 && end - start < 8 {
            let t = &tokens[start - 1];
            if t.kind == TokenKind::Punct && t.text != "-" || CLAUSE_OPENERS.iter().any(|w| t.is(w)) {
                break;
            }
            start -= 1;
        }
        if start < end {
            return Some((start, end));
        }
        // Nothing but auxiliaries since a comma: try the segment before it.
        if start == 0 || tokens[start - 1].text != "," {
            return None;
        }
        end = start - 1;
    }
}

fn resolve_pronoun(party: String, previous: Option<&str>) -> Option<String> {
    let lower = party.to_lowercase();
    let first = lower.split_whitespace().next().unwrap_or("");
    if PRONOUNS.contains(&first) {
        return previous.map(str::to_string);
    }
    if lower.split_whitespace().count() == 0 {
        return None;
    }
    Some(party)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokenize;

    fn check(sentence: &str, want: Option<&str>) {
        let toks = tokenize(sentence, 0);
        assert_eq!(party_of_sentence(sentence, &toks, 0, Some("police")).as_deref(), want, "{sentence}");
    }

    #[test]
    fn parties() {
        check("Iraqi officials said the seven residents had been killed.", Some("Iraqi officials"));
        check("At least five people were killed, according to police sources.", Some("police sources"));
        check("\"Seven dead,\" said Joe Stork of Human Rights Watch.", Some("Joe Stork of Human Rights Watch"));
        check("A hospital official told Reuters that 92 bodies had arrived.", Some("A hospital official"));
        check("He said six people died.", Some("police"));
        check(
            "The commander of Iraqi ground forces, Ali Ghaidan, had said that only three people died.",
            Some("Ali Ghaidan"),
        );
        check(
            "Shahin Gobadi, a spokesman for the group, said 44 people were killed.",
            Some("a spokesman for the group"),
        );
        check("36 residents were massacred and 350 injured.", None);
    }
}
