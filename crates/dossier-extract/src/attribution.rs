//! Who gives a figure: "according to X", "X said", "…, said officials",
//! "X, a spokesman for Y, said", pronouns and quotes carried from the
//! sentence before. Attribution is per claim: the speech verb governing the
//! clause a figure sits in.

use crate::text::{Token, TokenKind};

pub(crate) const SAY_VERBS: [&str; 30] = [
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
    "acknowledged",
    "admitted",
    "alleged",
    "estimated",
    "revealed",
    "asserted",
    "declared",
    "noted",
    "wrote",
    "testified",
    "explained",
    "conceded",
    "disclosed",
    "maintained",
];

const PRONOUNS: [&str; 12] = ["he", "she", "they", "it", "we", "i", "who", "which", "him", "her", "them", "us"];

const CLAUSE_OPENERS: [&str; 6] = ["that", "but", "and", "while", "although", "where"];

const BE: [&str; 7] = ["is", "are", "was", "were", "been", "be", "being"];

const AUXILIARIES: [&str; 14] =
    ["had", "has", "have", "was", "is", "were", "also", "then", "later", "earlier", "again", "will", "would", "had"];

const SENTENCE_ADVERBS: [&str; 8] =
    ["however", "meanwhile", "though", "too", "also", "moreover", "instead", "separately"];

/// Nouns that name a speaker right after an inverted speech verb ("…, said officials").
const SPEAKER_NOUNS: [&str; 16] = [
    "officials",
    "official",
    "police",
    "witnesses",
    "witness",
    "residents",
    "sources",
    "doctors",
    "medics",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "authorities",
    "officers",
    "activists",
    "survivors",
];

const MAX_PARTY_TOKENS: usize = 12;

/// Words that open a speaker's role in an appositive ("Anselm Rook, chief executive of…").
const ROLE_WORDS: [&str; 22] = [
    "chief",
    "head",
    "director",
    "deputy",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "minister",
    "commander",
    "official",
    "executive",
    "president",
    "secretary",
    "member",
    "resident",
    "researcher",
    "officer",
    "coordinator",
    "representative",
    "senior",
    "leader",
    "chairman",
];

/// A speech verb and the party it gives, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Speaker {
    /// Token index of the verb (or of "according").
    pub at: usize,
    /// The party as stated.
    pub party: String,
}

fn is_clause_break(t: &Token<'_>) -> bool {
    matches!(t.text, ";" | ":") || t.is("while") || t.is("but") || t.is("whereas")
}

/// Every speaker in a sentence, in order. `previous` resolves pronouns.
pub fn speakers(sentence: &str, tokens: &[Token<'_>], base: usize, previous: Option<&str>) -> Vec<Speaker> {
    let slice = |a: usize, b: usize| -> Option<String> {
        (a < b).then(|| sentence[tokens[a].span.start - base..tokens[b - 1].span.end - base].to_string())
    };
    let mut out = Vec::new();
    // A headline's closing "– UN", "- police": who gives what it tells.
    if let Some(dash) = tokens.iter().rposition(|t| matches!(t.text, "-" | "–" | "—")) {
        let after = &tokens[dash + 1..];
        let words = after.iter().filter(|t| t.kind != TokenKind::Punct).count();
        let only_words = after.iter().all(|t| t.kind == TokenKind::Word || t.text == ".");
        if dash > 3 && (1..=4).contains(&words) && only_words {
            if let Some(party) = slice(dash + 1, tokens.len()).and_then(|p| sane(p, None)) {
                out.push(Speaker { at: dash, party });
            }
        }
    }
    for i in 0..tokens.len() {
        if tokens[i].is("according") && tokens.get(i + 1).is_some_and(|t| t.is("to")) {
            let start = i + 2;
            let mut end = start;
            while end < tokens.len() && end - start < MAX_PARTY_TOKENS && !tokens[end].is("that") {
                if tokens[end].kind == TokenKind::Punct {
                    // "according to the Ossa Mission (OM) report": the bracketed acronym is the party's.
                    match bracket_end(tokens, end) {
                        Some(close) => end = close,
                        None => break,
                    }
                }
                end += 1;
            }
            if let Some(party) = slice(start, end).and_then(|p| sane(p, previous)) {
                out.push(Speaker { at: i, party });
            }
            continue;
        }
        let t = &tokens[i];
        let lowercase = t.text.starts_with(|c: char| c.is_lowercase());
        // "X is shocked by reports that …": X, the subject of the copula before.
        if lowercase
            && t.is("reports")
            && i > 0
            && tokens[i - 1].is("by")
            && tokens.get(i + 1).is_some_and(|n| n.is("that"))
        {
            let copula = (i.saturating_sub(7)..i).rev().find(|&k| BE.iter().any(|b| tokens[k].is(b)));
            if let Some(party) = copula
                .and_then(|k| subject_before(tokens, k))
                .and_then(|(a, b)| slice(a, b))
                .and_then(|p| sane(p, previous))
            {
                out.push(Speaker { at: i, party });
            }
            continue;
        }
        let speech = SAY_VERBS.iter().any(|v| t.is(v))
            // Reported statements ("condemned"); a statement in the present ("condemns") is the source's own.
            || crate::lexicon::statement_verbs().iter().any(|v| v.ends_with("ed") && t.is(v))
            || sets_a_toll(tokens, i);
        if !lowercase || !speech || is_passive(tokens, i) || is_noun_use(tokens, i) || claims_a_deed(tokens, i) {
            continue;
        }
        let range = if inverted(tokens, i) { subject_after(tokens, i) } else { subject_before(tokens, i) };
        if let Some(party) = range.and_then(|(a, b)| slice(a, b)).and_then(|p| sane(p, previous)) {
            out.push(Speaker { at: i, party });
        }
    }
    out.sort_by_key(|s| s.at);
    out
}

fn party_nouns() -> &'static [&'static str] {
    static NOUNS: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    NOUNS.get_or_init(|| {
        crate::lexicon::sections(include_str!("../data/attribution.txt")).remove("party-nouns").unwrap_or_default()
    })
}

/// "put the death toll at", "gave a preliminary toll of": a verb that states a
/// toll speaks for its subject, as a speech verb does.
fn sets_a_toll(tokens: &[Token<'_>], at: usize) -> bool {
    const SETTERS: [&str; 20] = [
        "put", "puts", "placed", "places", "place", "gave", "gives", "give", "revised", "revises", "revise", "raised",
        "raises", "raise", "lowered", "lowers", "lower", "updated", "updates", "update",
    ];
    SETTERS.iter().any(|v| tokens[at].is(v))
        && tokens[at + 1..tokens.len().min(at + 6)].iter().any(|t| t.is("toll") || t.is("tolls") || t.is("figure"))
}

/// A party as stated, if it can be one: a pronoun is the previous party; a
/// party names someone (a capitalised word, or a noun of speakers: "police",
/// "officials"); a figure is no party ("Five deaths").
fn sane(party: String, previous: Option<&str>) -> Option<String> {
    let party = resolve_pronoun(party, previous)?;
    // "al-Shabaab": a capitalised part after a particle names someone too.
    let names = party.split(|c: char| c.is_whitespace() || c == '-').any(|w| {
        w.starts_with(char::is_uppercase) && w.chars().any(char::is_lowercase)
            || w.chars().all(char::is_uppercase) && w.len() > 1
    }) || party.split_whitespace().any(|w| {
        let singular = w.strip_suffix('s').unwrap_or(w);
        SPEAKER_NOUNS
            .iter()
            .chain(&ROLE_WORDS)
            .chain(party_nouns())
            .any(|n| w.eq_ignore_ascii_case(n) || singular.eq_ignore_ascii_case(n))
    });
    let counted = party.split_whitespace().next().is_some_and(crate::numbers::is_number_word);
    (names && !counted).then_some(party)
}

/// The party for a figure at token `at`: the nearest speaker before it in
/// the same clause, else the nearest after it ("…, police said"), else the
/// previous sentence's party when this sentence is a quotation.
pub fn party_for(speakers: &[Speaker], tokens: &[Token<'_>], at: usize, quoted_from: Option<&str>) -> Option<String> {
    // "X says … killing 20 …, according to Y": the source named after the figure gives it.
    let according_after = speakers
        .iter()
        .find(|s| s.at > at && tokens[s.at].is("according") && !tokens[at..s.at].iter().any(is_clause_break));
    if let Some(s) = according_after {
        return Some(s.party.clone());
    }
    let before = speakers.iter().rev().find(|s| s.at < at && !tokens[s.at..at].iter().any(is_clause_break));
    if let Some(s) = before {
        return Some(s.party.clone());
    }
    if let Some(s) = speakers.iter().find(|s| s.at > at) {
        return Some(s.party.clone());
    }
    if let Some(s) = speakers.last() {
        return Some(s.party.clone());
    }
    let opens_with_quote = tokens.first().is_some_and(|t| matches!(t.text, "\"" | "“"));
    if opens_with_quote {
        return quoted_from.map(str::to_string);
    }
    None
}

/// "claimed responsibility for the attack that killed 70", "claimed the
/// bombing": a claim of a deed, not a statement of its toll.
fn claims_a_deed(tokens: &[Token<'_>], at: usize) -> bool {
    let claim = ["claimed", "claims", "claim"].iter().any(|w| tokens[at].is(w));
    let object = tokens
        .get(at + 1)
        .is_some_and(|t| ["responsibility", "credit", "the", "a", "an", "its", "their"].iter().any(|w| t.is(w)));
    claim && object
}

/// "casualty reports could not be checked", "the claims were": a noun, not a verb.
fn is_noun_use(tokens: &[Token<'_>], at: usize) -> bool {
    const AMBIGUOUS: [&str; 6] = ["reports", "claims", "states", "says", "estimates", "tells"];
    const FOLLOWS_NOUN: [&str; 14] =
        ["could", "would", "will", "can", "may", "might", "should", "are", "were", "is", "was", "have", "had", "of"];
    const DETERMINERS: [&str; 9] = ["the", "a", "an", "these", "those", "such", "casualty", "media", "news"];
    if !AMBIGUOUS.iter().any(|w| tokens[at].is(w)) {
        return false;
    }
    let next_says_noun = tokens.get(at + 1).is_some_and(|n| FOLLOWS_NOUN.iter().any(|w| n.is(w)));
    let prev_says_noun = at.checked_sub(1).is_some_and(|p| DETERMINERS.iter().any(|w| tokens[p].is(w)));
    next_says_noun || prev_says_noun
}

/// "are said to", "is reported", "reported killed": no speaker is named.
fn is_passive(tokens: &[Token<'_>], verb: usize) -> bool {
    let prev = verb.checked_sub(1).map(|p| &tokens[p]);
    let next = tokens.get(verb + 1);
    // "three reported killed" (the victims), but not "a port official said killed 31".
    let speaker_before = prev.is_some_and(|p| {
        let singular = p.text.strip_suffix('s').unwrap_or(p.text);
        SPEAKER_NOUNS
            .iter()
            .chain(&ROLE_WORDS)
            .chain(party_nouns())
            .any(|n| p.is(n) || singular.eq_ignore_ascii_case(n))
    });
    prev.is_some_and(|p| BE.iter().any(|b| p.is(b)))
        || !speaker_before && next.is_some_and(|n| n.is("killed") || n.is("dead") || n.is("injured") || n.is("wounded"))
        || next.is_some_and(|n| n.is("by"))
}

/// `"…," said X` or `…, said officials` or `…, he said`.
fn inverted(tokens: &[Token<'_>], verb: usize) -> bool {
    if verb == 0 {
        return true;
    }
    let is_quote = |k: usize| tokens.get(k).is_some_and(|t| matches!(t.text, "\"" | "”" | "'" | "’"));
    let prev = &tokens[verb - 1];
    if is_quote(verb - 1) || prev.text == "," && verb >= 2 && is_quote(verb - 2) {
        return true;
    }
    if prev.text != "," {
        return false;
    }
    let Some(next) = tokens.get(verb + 1) else { return false };
    let speaker_noun = |t: &Token<'_>| SPEAKER_NOUNS.iter().any(|w| t.is(w));
    let article = next.is("the") || next.is("a") || next.is("an");
    next.kind == TokenKind::Word
        && (speaker_noun(next)
            || next.text.starts_with(|c: char| c.is_uppercase()) && !article
            || article
                && tokens.get(verb + 2).is_some_and(|t| speaker_noun(t) || t.text.starts_with(char::is_uppercase)))
}

/// The speaker after an inverted verb, with a role that follows it:
/// "said Anselm Rook, chief executive of the clinic".
fn subject_after(tokens: &[Token<'_>], verb: usize) -> Option<(usize, usize)> {
    let segment_end = |start: usize, limit: usize| {
        let mut end = start;
        while end < tokens.len() && end - start < limit && tokens[end].kind != TokenKind::Punct {
            end += 1;
        }
        end
    };
    let start = verb + 1;
    let mut end = segment_end(start, MAX_PARTY_TOKENS);
    let is_role = |t: &Token<'_>| ROLE_WORDS.iter().any(|w| t.is(w));
    let role_follows = tokens.get(end).is_some_and(|t| t.text == ",")
        && (tokens.get(end + 1).is_some_and(is_role) || tokens.get(end + 2).is_some_and(is_role));
    if role_follows && start < end {
        end = segment_end(end + 1, MAX_PARTY_TOKENS + 4);
    }
    (start < end).then_some((start, end))
}

fn skip_back(tokens: &[Token<'_>], mut end: usize) -> usize {
    loop {
        while end > 0 && {
            let t = &tokens[end - 1];
            AUXILIARIES.iter().any(|w| t.is(w)) || SENTENCE_ADVERBS.iter().any(|w| t.is(w)) || t.lower().ends_with("ly")
        } {
            end -= 1;
        }
        // "State television on Monday gave …", "Police late Friday said …": the time is not the speaker.
        let calendar = |k: usize| crate::dates::is_calendar_word(tokens[k].text);
        if end > 0 && calendar(end - 1) {
            end -= 1;
            while end > 0 && ["on", "late", "early", "last", "this"].iter().any(|w| tokens[end - 1].is(w)) {
                end -= 1;
            }
            continue;
        }
        return end;
    }
}

fn segment_start(tokens: &[Token<'_>], end: usize) -> usize {
    let mut start = end;
    while start > 0 && end - start < MAX_PARTY_TOKENS {
        let t = &tokens[start - 1];
        if t.kind == TokenKind::Punct || CLAUSE_OPENERS.iter().any(|w| t.is(w)) {
            break;
        }
        start -= 1;
    }
    start
}

/// The index of the ")" closing a bracketed acronym that opens at `open`
/// ("(MSF)", "(U.N.)"), if it does.
fn bracket_end(tokens: &[Token<'_>], open: usize) -> Option<usize> {
    if tokens[open].text != "(" {
        return None;
    }
    let close = (open + 1..tokens.len().min(open + 6)).find(|&k| tokens[k].text == ")")?;
    let inside = &tokens[open + 1..close];
    let acronym = !inside.is_empty()
        && inside
            .iter()
            .all(|t| t.text == "." || t.text == "/" || t.text.chars().all(|c| c.is_uppercase() || c.is_ascii_digit()));
    acronym.then_some(close)
}

/// The subject before a speech verb, with its appositive when there is one:
/// "X, a spokesman for Y, said" → "X, a spokesman for Y"; "X, however, said" → "X".
fn subject_before(tokens: &[Token<'_>], verb: usize) -> Option<(usize, usize)> {
    let mut end = skip_back(tokens, verb);
    let trailing_comma = end > 0 && tokens[end - 1].text == ",";
    if trailing_comma {
        end = skip_back(tokens, end - 1);
    }
    // "Ossa Relief Network (ORN) said": the acronym belongs to the subject.
    let open = (end >= 3 && tokens[end - 1].text == ")")
        .then(|| (end.saturating_sub(6)..end - 1).rev().find(|&k| bracket_end(tokens, k) == Some(end - 1)))
        .flatten();
    let mut start = segment_start(tokens, open.unwrap_or(end));
    let comma_before = |s: usize| s > 0 && tokens[s - 1].text == ",";
    // "X, a farmer and survivor of the raid, said": an appositive may hold "and".
    if trailing_comma && !comma_before(start) {
        let mut loose = start;
        while loose > 0 && end - loose < MAX_PARTY_TOKENS + 4 && tokens[loose - 1].kind != TokenKind::Punct {
            loose -= 1;
        }
        let article = tokens.get(loose).is_some_and(|t| t.is("a") || t.is("an"));
        if loose < start && comma_before(loose) && article {
            start = loose;
        }
    }
    if start == end && comma_before(start) {
        // Only sentence adverbs between two commas ("X, however, said"): X is the subject.
        end = skip_back(tokens, start - 1);
        start = segment_start(tokens, end);
        return (start < end).then_some((start, end));
    }
    if start == end {
        return None;
    }
    if trailing_comma && comma_before(start) {
        let a_end = start - 1;
        let a_start = segment_start(tokens, a_end);
        if a_start < a_end {
            return Some((a_start, end));
        }
    }
    Some((start, end))
}

fn resolve_pronoun(party: String, previous: Option<&str>) -> Option<String> {
    let lower = party.to_lowercase();
    let first = lower.split_whitespace().next().unwrap_or("");
    if PRONOUNS.contains(&first) {
        return previous.map(str::to_string);
    }
    let starts_with_count = first.starts_with(|c: char| c.is_ascii_digit());
    if lower.split_whitespace().count() == 0 || starts_with_count {
        return None;
    }
    Some(party)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokenize;

    /// The party of the figure at the first token that starts with `figure`.
    fn check(sentence: &str, figure: &str, want: Option<&str>) {
        let toks = tokenize(sentence, 0);
        let at = toks.iter().position(|t| t.text == figure).unwrap_or_else(|| panic!("{figure} not in {sentence}"));
        let found = speakers(sentence, &toks, 0, Some("police"));
        assert_eq!(party_for(&found, &toks, at, Some("police")).as_deref(), want, "{sentence}");
    }

    #[test]
    fn speech_verbs_and_according_to() {
        check("Chadian officials said the nine villagers had been killed.", "nine", Some("Chadian officials"));
        check("At least eight people were killed, according to hospital sources.", "eight", Some("hospital sources"));
        check(
            "\"Six dead,\" said Mara Ilves of the Ossa Rights Desk.",
            "Six",
            Some("Mara Ilves of the Ossa Rights Desk"),
        );
        check("A clinic official told reporters that 64 bodies had arrived.", "64", Some("A clinic official"));
        check("On May 14, Chadian officials acknowledged that nine were killed.", "nine", Some("Chadian officials"));
        check("KERENA (AFP) - Velania's government acknowledged that nine died.", "nine", Some("Velania's government"));
        check("41 villagers were massacred and 260 injured.", "41", None);
        // A condemnation states the toll of what it condemns.
        check("The Ossa Council condemned the attack that left 19 people dead.", "19", Some("The Ossa Council"));
        check("Crowds were condemned by the mayor; 6 people died.", "6", None);
        check("The United States condemns the attack killing 6 people.", "6", None);
        check("Nine died, local officers and members of the group said.", "Nine", Some("members of the group"));
    }

    #[test]
    fn tolls_stated_by_their_subject_and_reactions_to_reports() {
        check("District authorities put the death toll at 47.", "47", Some("District authorities"));
        check("State television on Monday gave a preliminary toll of 88 dead.", "88", Some("State television"));
        check(
            "The High Commissioner is gravely alarmed by reports that at least 33 farmers were killed.",
            "33",
            Some("The High Commissioner"),
        );
        check("For its part, the Ossa Front claimed to have killed 43 soldiers.", "43", Some("the Ossa Front"));
        check("According to him, the raiders had killed 10 people.", "10", Some("police"));
        check("Nine people were shot dead, the Ossa Red Crescent\nsaid.", "Nine", Some("the Ossa Red Crescent"));
        // No one is named: no party.
        check("Witnessed and outraged by what happened, 12 people fled, said nobody.", "12", None);
    }

    #[test]
    fn pronouns_passives_and_quotes() {
        check("He said six people died.", "six", Some("police"));
        check("Hundreds were wounded, he said.", "Hundreds", Some("police"));
        check("Of the 250 people hurt, 9 are said to remain in hospital.", "250", None);
        check("Twelve villagers are reported to have died.", "Twelve", None);
        check("“Fourteen of the dead are children.", "Fourteen", Some("police"));
    }

    #[test]
    fn appositives_and_inversions() {
        check(
            "The commander of Chadian ground forces, General Ruta Maalo, had said that only two people died.",
            "two",
            Some("The commander of Chadian ground forces, General Ruta Maalo"),
        );
        check(
            "Teodor Vasku, a spokesman for the front, said 38 people were killed.",
            "38",
            Some("Teodor Vasku, a spokesman for the front"),
        );
        check(
            "A spokeswoman for the governor, however, said only one guard had died.",
            "one",
            Some("A spokeswoman for the governor"),
        );
        check(
            "The Velan Front, whose leaders live in exile in Lisbon, said in a communique that five were killed.",
            "five",
            Some("The Velan Front, whose leaders live in exile in Lisbon"),
        );
        check(
            "A truck bomb killed at least 71 people at the depot on Friday, said officials, late that night.",
            "71",
            Some("officials"),
        );
        check("Four were killed, a Chadian soldier at the depot said.", "Four", Some("a Chadian soldier at the depot"));
        check(
            "“We received 64 bodies,” said Anselm Rook, chief executive of the clinic.",
            "64",
            Some("Anselm Rook, chief executive of the clinic"),
        );
        check(
            "Officials denied any deaths, and casualty reports could not be checked on the ground.",
            "deaths",
            Some("Officials"),
        );
    }

    #[test]
    fn a_bracketed_acronym_and_an_adverb_do_not_hide_the_speaker() {
        check(
            "The medical charity Ossa Relief Network (ORN) said nine people were killed.",
            "nine",
            Some("The medical charity Ossa Relief Network (ORN)"),
        );
        check(
            "According to the Ossa Mission in Kerena (OMK) report, the strike left 71 people injured.",
            "71",
            Some("the Ossa Mission in Kerena (OMK) report"),
        );
        check("Police earlier said 14 guards had died.", "14", Some("Police"));
        check(
            "Tomas Vell, a farmer and survivor of the raid, later told reporters that at least 50 were killed.",
            "50",
            Some("Tomas Vell, a farmer and survivor of the raid"),
        );
    }

    #[test]
    fn a_headline_names_its_source_after_a_dash_or_as_the_subject_of_a_revision() {
        check("30 children killed in air strike on school in Kerena - UN", "30", Some("UN"));
        check("Police revise death toll from Kerena bombing to 20", "20", Some("Police"));
        check("Nine killed in Kerena – a week of clashes", "Nine", None);
    }

    #[test]
    fn the_source_named_after_a_figure_and_a_speaker_before_a_bare_verb_give_it() {
        check(
            "The navy says a gunboat wrongly shelled a ferry, drowning dozens and injuring many others, according to aid workers.",
            "dozens",
            Some("aid workers"),
        );
        check(
            "The navy admitted the shelling that a port official said killed 31 passengers.",
            "31",
            Some("a port official"),
        );
        check("Three villagers reported killed in the raid.", "Three", None);
        check("In a message, al-Ossa claimed it shot 19 guards.", "19", Some("al-Ossa"));
    }

    #[test]
    fn a_claim_of_responsibility_does_not_state_the_toll() {
        check("A wing of the Ossa Front claimed the blast, which left at least 70 people dead.", "70", None);
        check("The Ossa Front claimed responsibility for the attack, which killed 12.", "12", None);
        check("The Ossa Front claimed that 43 soldiers were killed.", "43", Some("The Ossa Front"));
    }

    #[test]
    fn each_figure_takes_the_speaker_of_its_clause() {
        let s = "The Velan Front said five people died, while the U.N. office in Kerena said it knew of a number of deaths.";
        check(s, "five", Some("The Velan Front"));
        check(s, "number", Some("the U.N. office in Kerena"));
    }
}
