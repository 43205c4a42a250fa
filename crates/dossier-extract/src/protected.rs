//! Protected persons: the detainee of a case ("Mr. Safar Zakery, has been
//! abducted"), named victims ("Ahmed Saleh, 34, was shot dead", "the victim,
//! Rana Aziz,", "identified as …") and witnesses ("eyewitness Omar Khalil
//! said", "Huda Karim, a witness,"). For each, every place in the body where
//! the name or one of its words is written, so the app can seal and mask them.

use dossier_model::{ClaimKind, ClaimValue, PersonRole, ProtectedName, Span};

use crate::text::{tokenize, Token, TokenKind};
use crate::ExtractedClaim;

/// A protected person and every mention of their name in the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtectedPerson {
    /// The name as the report writes it, without a title.
    pub name: ProtectedName,
    /// Why the person is protected.
    pub role: PersonRole,
    /// Every span of the body holding the name or one of its words, in order.
    pub mentions: Vec<Span>,
}

const TITLES: [&str; 8] = ["mr", "mrs", "ms", "miss", "dr", "sheikh", "mister", "madam"];
const PARTICLES: [&str; 8] = ["al", "el", "bin", "ibn", "abu", "de", "van", "von"];
const NOT_NAMES: [&str; 16] =
    ["The", "A", "An", "In", "On", "At", "He", "She", "They", "It", "His", "Her", "Their", "This", "That", "But"];
const HARM: [&str; 14] = [
    "killed",
    "shot",
    "died",
    "dead",
    "murdered",
    "wounded",
    "injured",
    "tortured",
    "beaten",
    "executed",
    "slain",
    "hurt",
    "stabbed",
    "massacred",
];
const HELD: [&str; 7] = ["arrested", "detained", "abducted", "kidnapped", "disappeared", "imprisoned", "held"];
const WITNESS: [&str; 4] = ["witness", "eyewitness", "eye-witness", "witnesses"];

/// Cheap test for sentences worth tokenising again.
fn may_name_someone(sentence: &str) -> bool {
    let b = sentence.as_bytes();
    let age = b.windows(3).any(|w| w[0] == b',' && w[1] == b' ' && w[2].is_ascii_digit());
    age || ["witness", "victim", "named", "identified"].iter().any(|w| sentence.contains(w))
}

/// The persons a report names as victims, witnesses or detainees.
pub fn persons(body: &str, sentences: &[Span], claims: &[ExtractedClaim]) -> Vec<ProtectedPerson> {
    let mut named: Vec<(String, PersonRole)> = Vec::new();
    for c in claims.iter().filter(|c| c.kind == ClaimKind::Case) {
        if let ClaimValue::Statement { to: Some(person), .. } = &c.value {
            named.push((without_title(person), PersonRole::Detainee));
        }
    }
    for s in sentences {
        let Some(text) = body.get(s.start..s.end) else { continue };
        if !may_name_someone(text) {
            continue;
        }
        let tokens = tokenize(text, s.start);
        for (span, role) in find_named(&tokens) {
            named.push((body[span.start..span.end].to_string(), role));
        }
    }
    let mut out: Vec<ProtectedPerson> = Vec::new();
    for (name, role) in named {
        let key = name_key(&name);
        if key.split(' ').filter(|w| !w.is_empty()).count() < 2 || out.iter().any(|p| name_key(p.name.reveal()) == key)
        {
            continue;
        }
        let mentions = mentions_of(body, &name);
        out.push(ProtectedPerson { name: ProtectedName::new(name), role, mentions });
    }
    out
}

fn name_key(name: &str) -> String {
    name.split_whitespace().map(str::to_lowercase).collect::<Vec<_>>().join(" ")
}

/// "Mr. Safar Zakery" → "Safar Zakery".
fn without_title(name: &str) -> String {
    let mut rest = name.trim();
    loop {
        let word = rest.split(|c: char| c.is_whitespace() || c == '.').next().unwrap_or("");
        if !word.is_empty() && TITLES.iter().any(|t| word.eq_ignore_ascii_case(t)) {
            rest = rest[word.len()..].trim_start_matches('.').trim_start();
        } else {
            return rest.trim_end_matches([',', '.']).to_string();
        }
    }
}

fn capitalised(t: &Token<'_>) -> bool {
    t.kind == TokenKind::Word && t.text.starts_with(char::is_uppercase)
}

/// The run of name words starting at `i` (capitalised, particles allowed
/// inside), at least two capitalised words, at most five words.
fn name_at(tokens: &[Token<'_>], i: usize) -> Option<(usize, usize)> {
    let first = tokens.get(i)?;
    if !capitalised(first) || NOT_NAMES.contains(&first.text) || TITLES.iter().any(|t| first.is(t)) {
        return None;
    }
    let mut end = i;
    let mut caps = 0;
    while end < tokens.len() && end - i < 5 {
        let t = &tokens[end];
        if capitalised(t) {
            caps += 1;
        } else if !(t.kind == TokenKind::Word && PARTICLES.iter().any(|p| t.is(p)) && end > i) {
            break;
        }
        end += 1;
    }
    while end > i && !capitalised(&tokens[end - 1]) {
        end -= 1;
    }
    (caps >= 2).then_some((i, end))
}

/// The name run that ends just before `end` (skipping a comma).
fn name_before(tokens: &[Token<'_>], end: usize) -> Option<(usize, usize)> {
    let end = if end > 0 && tokens[end - 1].text == "," { end - 1 } else { end };
    let mut start = end;
    while start > 0
        && end - start < 5
        && (capitalised(&tokens[start - 1]) || PARTICLES.iter().any(|p| tokens[start - 1].is(p)))
    {
        start -= 1;
    }
    while start < end && !capitalised(&tokens[start]) {
        start += 1;
    }
    // Never past the sentence's first word unless it is the name itself.
    name_at(tokens, start).filter(|&(_, e)| e == end)
}

fn span_of(tokens: &[Token<'_>], (s, e): (usize, usize)) -> Span {
    Span::new(tokens[s].span.start, tokens[e - 1].span.end)
}

fn any_within(tokens: &[Token<'_>], from: usize, n: usize, words: &[&str]) -> bool {
    tokens[from.min(tokens.len())..(from + n).min(tokens.len())].iter().any(|t| words.iter().any(|w| t.is(w)))
}

/// Named victims, detainees and witnesses in one sentence's tokens.
fn find_named(tokens: &[Token<'_>]) -> Vec<(Span, PersonRole)> {
    let mut out = Vec::new();
    let harm_in_sentence = tokens.iter().any(|t| HARM.iter().any(|w| t.is(w)));
    let held_in_sentence = tokens.iter().any(|t| HELD.iter().any(|w| t.is(w)));
    for i in 0..tokens.len() {
        let t = &tokens[i];
        // "eyewitness Omar Khalil said", "witnesses, including Omar Khalil"
        if WITNESS.iter().any(|w| t.is(w)) {
            let mut j = i + 1;
            while j < tokens.len() && (tokens[j].text == "," || tokens[j].is("including") || tokens[j].is("named")) {
                j += 1;
            }
            if let Some(run) = name_at(tokens, j) {
                out.push((span_of(tokens, run), PersonRole::Witness));
            }
            // "Huda Karim, a witness," / "Huda Karim, an eyewitness,"
            if i >= 2 && (tokens[i - 1].is("a") || tokens[i - 1].is("an")) {
                if let Some(run) = name_before(tokens, i - 1) {
                    out.push((span_of(tokens, run), PersonRole::Witness));
                }
            } else if i >= 3
                && (tokens[i - 2].is("a") || tokens[i - 2].is("an"))
                && (tokens[i - 1].is("local") || tokens[i - 1].is("key"))
            {
                if let Some(run) = name_before(tokens, i - 2) {
                    out.push((span_of(tokens, run), PersonRole::Witness));
                }
            }
        }
        // "Ahmed Saleh, 34, was shot dead"
        if t.kind == TokenKind::Number
            && t.text.len() <= 3
            && i >= 2
            && tokens[i - 1].text == ","
            && tokens.get(i + 1).is_some_and(|n| n.text == ",")
        {
            if let Some(run) = name_before(tokens, i - 1) {
                if any_within(tokens, i + 2, 10, &HARM) {
                    out.push((span_of(tokens, run), PersonRole::Victim));
                } else if any_within(tokens, i + 2, 10, &HELD) {
                    out.push((span_of(tokens, run), PersonRole::Detainee));
                }
            }
        }
        // "identified as Rana Aziz", "named as Rana Aziz"
        if (t.is("identified") || t.is("named")) && tokens.get(i + 1).is_some_and(|n| n.is("as")) {
            if let Some(run) = name_at(tokens, i + 2) {
                if harm_in_sentence {
                    out.push((span_of(tokens, run), PersonRole::Victim));
                } else if held_in_sentence {
                    out.push((span_of(tokens, run), PersonRole::Detainee));
                }
            }
        }
        // "the victim, Rana Aziz," / "victims included Rana Aziz"
        if t.is("victim") || t.is("victims") {
            let mut j = i + 1;
            while j < tokens.len() && (tokens[j].text == "," || tokens[j].is("included") || tokens[j].is("was")) {
                j += 1;
            }
            if let Some(run) = name_at(tokens, j) {
                out.push((span_of(tokens, run), PersonRole::Victim));
            }
        }
    }
    out
}

/// Every whole-word occurrence in `body` of the name and of its words (of
/// three letters or more, particles and titles aside), merged and in order.
pub fn mentions_of(body: &str, name: &str) -> Vec<Span> {
    let mut needles: Vec<&str> = vec![name];
    for w in name.split(|c: char| c.is_whitespace()) {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        if w.chars().count() >= 3 && !PARTICLES.iter().any(|p| w.eq_ignore_ascii_case(p)) && !needles.contains(&w) {
            needles.push(w);
        }
    }
    let mut spans: Vec<Span> = Vec::new();
    for needle in needles {
        let mut from = 0;
        while let Some(pos) = body[from..].find(needle) {
            let start = from + pos;
            let end = start + needle.len();
            let before = body[..start].chars().next_back();
            let after = body[end..].chars().next();
            if !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric) {
                spans.push(Span::new(start, end));
            }
            from = end;
        }
    }
    spans.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
    let mut merged: Vec<Span> = Vec::new();
    for s in spans {
        match merged.last_mut() {
            Some(last) if s.start <= last.end => last.end = last.end.max(s.end),
            _ => merged.push(s),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(sentence: &str) -> Vec<(String, PersonRole)> {
        let toks = tokenize(sentence, 0);
        find_named(&toks).into_iter().map(|(s, r)| (sentence[s.start..s.end].to_string(), r)).collect()
    }

    #[test]
    fn victims_witnesses_and_detainees() {
        use PersonRole::*;
        assert_eq!(named("Ahmed Saleh, 34, was shot dead at the checkpoint."), [("Ahmed Saleh".into(), Victim)]);
        assert_eq!(named("Omar al Khalil, 19, was arrested at dawn."), [("Omar al Khalil".into(), Detainee)]);
        assert_eq!(named("Eyewitness Omar Khalil said the troops fired first."), [("Omar Khalil".into(), Witness)]);
        assert_eq!(named("Huda Karim, a witness, said she saw the car."), [("Huda Karim".into(), Witness)]);
        assert_eq!(named("Huda Karim, a local witness, said so."), [("Huda Karim".into(), Witness)]);
        assert_eq!(named("The dead man was identified as Rana Aziz by relatives."), [("Rana Aziz".into(), Victim)]);
        assert_eq!(named("The victim, Rana Aziz, was a teacher."), [("Rana Aziz".into(), Victim)]);
        // Not persons, or not protected.
        assert!(named("The United Nations, 12, said nothing.").is_empty());
        assert!(named("In Baghdad, 34, people were counted.").is_empty());
        assert!(named("He was named as Prime Minister in 2006.").is_empty());
        assert!(named("The witness statements were published.").is_empty());
        assert!(named("Victims of the war were remembered.").is_empty());
    }

    #[test]
    fn titles_are_dropped() {
        assert_eq!(without_title("Mr. Safar Zakery"), "Safar Zakery");
        assert_eq!(without_title("Dr Zafar Iqbal,"), "Zafar Iqbal");
        assert_eq!(without_title("Safar Zakery"), "Safar Zakery");
    }

    #[test]
    fn every_mention_of_the_name_and_its_words() {
        let body = "Mr. Safar Zakery was taken. Zakery's family said Safar was ill. Zakeryan is someone else.";
        let got: Vec<&str> = mentions_of(body, "Safar Zakery").iter().map(|s| &body[s.start..s.end]).collect();
        assert_eq!(got, ["Safar Zakery", "Zakery", "Safar"]);
    }

    #[test]
    fn persons_from_cases_and_sentences() {
        let body = "As we speak a resident, Mr. Safar Zakery, has been abducted. Eyewitness Omar Khalil said Zakery was beaten.";
        let sentences = crate::text::sentences(body);
        let claims = crate::extract(body, &crate::Context::default(), &crate::Gazetteer::builtin()).claims;
        let got = persons(body, &sentences, &claims);
        let names: Vec<(&str, PersonRole)> = got.iter().map(|p| (p.name.reveal(), p.role)).collect();
        assert_eq!(names, [("Safar Zakery", PersonRole::Detainee), ("Omar Khalil", PersonRole::Witness)]);
        let zakery: Vec<&str> = got[0].mentions.iter().map(|s| &body[s.start..s.end]).collect();
        assert_eq!(zakery, ["Safar Zakery", "Zakery"]);
    }
}
