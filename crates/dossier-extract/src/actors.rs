//! Perpetrators: who carried out an attack, according to the text — the
//! subject of a violent verb ("Chadian forces raided"), the agent after "by"
//! ("an attack by the Chadian Army 7th Brigade led by Staff Brigadier General
//! …"), claims of responsibility, accusations and denials.

use dossier_model::Span;

use crate::text::{Token, TokenKind};

/// A perpetrator named in a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PerpetratorMention {
    /// The name as stated.
    pub span: Span,
    /// `state_forces`, `armed_group`, `state`, `person` or `unknown`.
    pub kind: &'static str,
    /// `asserted`, `alleged`, `denied` or `claimed responsibility`; callers
    /// turn `asserted` into `alleged` when a party, not the source, says it.
    pub status: &'static str,
    /// Who accuses or blames, when the sentence says ("X blamed Y").
    pub accuser: Option<Span>,
}

/// Nouns that head a phrase naming an armed actor, and the actor's kind.
const HEADS: [(&str, &str); 33] = [
    ("forces", "state_forces"),
    ("force", "state_forces"),
    ("army", "state_forces"),
    ("police", "state_forces"),
    ("policemen", "state_forces"),
    ("troops", "state_forces"),
    ("soldiers", "state_forces"),
    ("division", "state_forces"),
    ("battalion", "state_forces"),
    ("battalions", "state_forces"),
    ("brigade", "state_forces"),
    ("brigades", "state_forces"),
    ("officers", "state_forces"),
    ("guards", "state_forces"),
    ("units", "state_forces"),
    ("commandos", "state_forces"),
    ("military", "state_forces"),
    ("militia", "armed_group"),
    ("militias", "armed_group"),
    ("militants", "armed_group"),
    ("gunmen", "armed_group"),
    ("insurgents", "armed_group"),
    ("fighters", "armed_group"),
    ("snipers", "armed_group"),
    ("terrorists", "armed_group"),
    ("bombers", "armed_group"),
    ("attackers", "armed_group"),
    ("group", "armed_group"),
    ("rebels", "armed_group"),
    ("government", "state"),
    ("regime", "state"),
    ("authorities", "state"),
    ("ministry", "state"),
];

/// Verbs whose subject carried out violence.
/// (Past tenses only: "a police raid" uses "raid" as a noun.)
const VIOLENT: [&str; 20] = [
    "raided",
    "attacked",
    "stormed",
    "shelled",
    "bombed",
    "fired",
    "opened",
    "killed",
    "shot",
    "beat",
    "abducted",
    "arrested",
    "detained",
    "launched",
    "targeted",
    "massacred",
    "murdered",
    "besieged",
    "struck",
    "crushed",
];

/// Words before "by" that make it name an agent of violence.
const BY_TRIGGERS: [&str; 21] = [
    "attack",
    "raid",
    "assault",
    "onslaught",
    "bombing",
    "shelling",
    "killed",
    "attacked",
    "raided",
    "shot",
    "crushed",
    "stormed",
    "carried",
    "led",
    "launched",
    "ordered",
    "committed",
    "commanded",
    "perpetrated",
    "fired",
    "targeted",
];

const TITLES: [&str; 14] = [
    "general",
    "brigadier",
    "colonel",
    "major",
    "captain",
    "lieutenant",
    "commander",
    "minister",
    "staff",
    "gen.",
    "brig.",
    "col.",
    "lt.",
    "sergeant",
];

const STOP: [&str; 26] = [
    "led",
    "with",
    "from",
    "including",
    "equipped",
    "in",
    "on",
    "at",
    "after",
    "before",
    "during",
    "who",
    "which",
    "that",
    "and",
    "against",
    "of",
    "for",
    "when",
    "while",
    "as",
    "sold",
    "made",
    "supplied",
    "to",
    "into",
];

/// Words a subject phrase does not reach back across.
const SUBJECT_STOP: [&str; 23] = [
    "that", "and", "but", "while", "when", "as", "after", "then", "of", "during", "in", "on", "at", "from", "with",
    "by", "for", "we", "said", "says", "told", "reported", "stated",
];

/// Possessive pronouns: "his forces" names no one until coreference resolves it.
const POSSESSIVES: [&str; 5] = ["his", "her", "their", "its", "our"];

fn head_kind(t: &Token<'_>) -> Option<&'static str> {
    HEADS.iter().find(|(w, _)| t.is(w)).map(|(_, k)| *k)
}

fn span(tokens: &[Token<'_>], a: usize, b: usize) -> Span {
    Span::new(tokens[a].span.start, tokens[b - 1].span.end)
}

/// The noun phrase after position `start`, up to punctuation or a stop word.
fn phrase_after(tokens: &[Token<'_>], start: usize, limit: usize) -> (usize, usize) {
    let mut end = start;
    while end < tokens.len() && end - start < limit {
        let t = &tokens[end];
        let quote = matches!(t.text, "“" | "”" | "\"");
        if (t.kind == TokenKind::Punct && !quote && t.text != "’" && t.text != "'") || STOP.iter().any(|w| t.is(w)) {
            break;
        }
        end += 1;
    }
    (start, end)
}

/// The noun phrase ending just before `end`, back to punctuation or a clause opener.
fn phrase_before(tokens: &[Token<'_>], end: usize, limit: usize) -> (usize, usize) {
    let mut start = end;
    while start > 0 && end - start < limit {
        let t = &tokens[start - 1];
        let opener = SUBJECT_STOP.iter().any(|w| t.is(w));
        if t.kind == TokenKind::Punct && !matches!(t.text, "“" | "”" | "\"") || opener {
            break;
        }
        start -= 1;
    }
    (start, end)
}

fn kind_of_phrase(tokens: &[Token<'_>]) -> Option<&'static str> {
    if let Some(k) = tokens.iter().rev().find_map(head_kind) {
        return Some(k);
    }
    let titled = tokens.iter().any(|t| TITLES.iter().any(|w| t.is(w)));
    let names = tokens.iter().filter(|t| t.text.starts_with(char::is_uppercase)).count();
    (titled && names >= 2).then_some("person")
}

/// The side a name speaks for, from a demonym among its first three words
/// ("Chadian officials", "the Chadian Army 7th Brigade", "U.S. troops").
pub fn side_of(name: &str) -> Option<&'static str> {
    name.split(|c: char| c.is_whitespace() || c == '-')
        .take(3)
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '.').trim_end_matches('.').to_lowercase())
        .find_map(|w| crate::lexicon::country_of_demonym(&w))
}

/// Perpetrators named in one sentence's tokens.
pub fn find_perpetrators(tokens: &[Token<'_>]) -> Vec<PerpetratorMention> {
    let mut out: Vec<PerpetratorMention> = Vec::new();
    let mut accusers: Vec<(Span, Span)> = Vec::new();
    let mut push = |s: Span, kind: &'static str, status: &'static str| {
        let first = tokens.iter().find(|t| t.span.start == s.start);
        let possessive = first.is_some_and(|t| POSSESSIVES.iter().any(|p| t.is(p)));
        if !possessive && !out.iter().any(|m| m.span == s) {
            out.push(PerpetratorMention { span: s, kind, status, accuser: None });
        }
    };
    let skip_aux = |mut end: usize| {
        while end > 0
            && ["had", "has", "have", "were", "was", "also", "then", "reportedly"].iter().any(|w| tokens[end - 1].is(w))
        {
            end -= 1;
        }
        end
    };
    for i in 0..tokens.len() {
        let t = &tokens[i];
        // "claimed responsibility"
        if t.is("claimed") && tokens.get(i + 1).is_some_and(|n| n.is("responsibility")) {
            let end = skip_aux(i);
            let quoted = end > 0 && matches!(tokens[end - 1].text, "”" | "\"");
            let opening = quoted.then(|| (0..end - 1).rev().find(|&k| matches!(tokens[k].text, "“" | "\""))).flatten();
            let (a, b) = match opening {
                Some(k) if end - k <= 10 => (k, end),
                _ => phrase_before(tokens, end, 8),
            };
            if a < b {
                push(
                    span(tokens, a, b),
                    kind_of_phrase(&tokens[a..b]).unwrap_or("armed_group"),
                    "claimed responsibility",
                );
            }
            continue;
        }
        // "X denied involvement / responsibility / that its forces …"
        if (t.is("denied") || t.is("denies") || t.is("deny")) && t.text.starts_with(char::is_lowercase) {
            let about_blame = tokens[i + 1..].iter().take(6).any(|n| {
                n.is("involvement")
                    || n.is("responsibility")
                    || n.is("responsible")
                    || n.is("involved")
                    || n.is("forces")
            });
            if about_blame {
                let (a, b) = phrase_before(tokens, skip_aux(i), 8);
                if a < b {
                    push(span(tokens, a, b), kind_of_phrase(&tokens[a..b]).unwrap_or("state"), "denied");
                }
            }
            continue;
        }
        // "X accused / blamed Y", "…, blaming Y"
        if (t.is("accused") || t.is("blamed") || t.is("blaming") || t.is("blames")) && i > 0 {
            // What is blamed may be a list: "blaming looting and Velan Front snipers".
            let (a, mut b) = phrase_after(tokens, i + 1, 8);
            while b + 1 < tokens.len() && tokens[b].is("and") && b - a < 10 {
                let (_, next) = phrase_after(tokens, b + 1, 6);
                if next == b + 1 {
                    break;
                }
                b = next;
            }
            if a < b {
                if let Some(kind) = kind_of_phrase(&tokens[a..b]) {
                    let s = span(tokens, a, b);
                    push(s, kind, "alleged");
                    // The accuser: the subject before "blamed", or, for "…, blaming",
                    // the sentence's opening noun phrase ("Chadian officials have …").
                    let (c, d) = if tokens[i - 1].text == "," {
                        let d = tokens
                            .iter()
                            .position(|t| {
                                t.kind == TokenKind::Punct
                                    || ["have", "has", "had", "was", "were", "is", "are", "said", "says", "have"]
                                        .iter()
                                        .any(|w| t.is(w))
                                    || (t.text.starts_with(char::is_lowercase) && t.text.ends_with("ed"))
                            })
                            .unwrap_or(0);
                        (0, d)
                    } else {
                        phrase_before(tokens, skip_aux(i), 8)
                    };
                    if c < d {
                        accusers.push((s, span(tokens, c, d)));
                    }
                }
            }
            continue;
        }
        // "… by X"
        let triggered = || {
            (i.saturating_sub(10)..i)
                .rev()
                .take_while(|&k| !matches!(tokens[k].text, "," | ";" | "."))
                .any(|k| BY_TRIGGERS.iter().any(|w| tokens[k].is(w)))
        };
        if t.is("by") && triggered() {
            let (a, b) = phrase_after(tokens, i + 1, 10);
            if a < b {
                if let Some(kind) = kind_of_phrase(&tokens[a..b]) {
                    push(span(tokens, a, b), kind, "asserted");
                }
            }
            continue;
        }
        // "X raided / attacked / opened fire …"
        let lowercase = t.text.starts_with(char::is_lowercase);
        // A passive's subject is who suffered it: "23 members of the group were killed".
        let passive = (i.saturating_sub(3)..i)
            .rev()
            .find(|&k| !["also", "reportedly", "allegedly"].iter().any(|w| tokens[k].is(w)))
            .is_some_and(|k| ["was", "were", "been", "being", "is", "are"].iter().any(|w| tokens[k].is(w)));
        if lowercase && !passive && VIOLENT.iter().any(|w| t.is(w)) {
            let end = skip_aux(i);
            let (a, b) = phrase_before(tokens, end, 8);
            if a < b {
                if let Some(kind) = tokens[..b].last().and_then(head_kind).or_else(|| head_kind(&tokens[b - 1])) {
                    push(span(tokens, a, b), kind, "asserted");
                }
            }
        }
    }
    out.sort_by_key(|m| m.span.start);
    for (s, by) in accusers {
        if let Some(m) = out.iter_mut().find(|m| m.span == s) {
            m.accuser = Some(by);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokenize;

    fn check(sentence: &str, want: &[(&str, &str, &str)]) {
        let toks = tokenize(sentence, 0);
        let got: Vec<(String, String, String)> = find_perpetrators(&toks)
            .into_iter()
            .map(|m| (sentence[m.span.start..m.span.end].to_string(), m.kind.to_string(), m.status.to_string()))
            .collect();
        let want: Vec<(String, String, String)> =
            want.iter().map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string())).collect();
        assert_eq!(got, want, "{sentence}");
    }

    #[test]
    fn subjects_of_violent_verbs() {
        check(
            "Chadian forces attacked sleeping villagers near the well.",
            &[("Chadian forces", "state_forces", "asserted")],
        );
        check(
            "A nurse said that Malian prison officers stormed the ward and beat patients.",
            &[("Malian prison officers", "state_forces", "asserted")],
        );
        check("Rockets hit the camp.", &[]);
        // A passive's subject suffered it.
        check("State television said 23 members of the group were killed.", &[]);
        check("Fighters of the front were reportedly attacked at dawn.", &[]);
    }

    #[test]
    fn agents_after_by() {
        check(
            "The assault on the depot started at 3:20 am by the Chadian Army 7th Brigade led by Staff Brigadier General Tamar Osei Veld.",
            &[
                ("the Chadian Army 7th Brigade", "state_forces", "asserted"),
                ("Staff Brigadier General Tamar Osei Veld", "person", "asserted"),
            ],
        );
        check("Two farmers were crushed by American-made Humvees supplied to the Malian police.", &[]);
        check(
            "They were shot by Velan Front snipers as they ran for the gate.",
            &[("Velan Front snipers", "armed_group", "asserted")],
        );
        check("With each round fired by their forces at the crowd", &[]);
        check("the deaths of at least four Ugandans during a police raid at the market", &[]);
    }

    #[test]
    fn responsibility_accusations_and_denials() {
        check(
            "“Army of the Red Dawn” claimed responsibility for the bombing.",
            &[("“Army of the Red Dawn”", "state_forces", "claimed responsibility")],
        );
        check(
            "The group accused Kenyan riot police of the killings.",
            &[("Kenyan riot police", "state_forces", "alleged")],
        );
        check(
            "The Nigerian government denied that its soldiers were involved.",
            &[("The Nigerian government", "state", "denied")],
        );
    }
}

/// A command relation or an order, as one sentence states it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelationMention {
    /// The passage stating it.
    pub span: Span,
    /// `commands` (from commands to) or `ordered` (from ordered to).
    pub relation: &'static str,
    /// The commander, or who gave the order.
    pub from: Span,
    /// The unit commanded, or what was ordered.
    pub to: Span,
}

/// Names in a phrase: from its first capitalised word after any lower-case
/// title words ("Former Chadian defence minister Idris Kamoto" → "Idris Kamoto"
/// when the phrase holds a title; else the whole phrase).
fn person_in(tokens: &[Token<'_>], a: usize, b: usize) -> (usize, usize) {
    let lower_title = (a..b).rev().find(|&k| tokens[k].text.starts_with(char::is_lowercase));
    match lower_title {
        Some(k) if k + 1 < b && (k + 1..b).all(|j| tokens[j].text.starts_with(char::is_uppercase)) => (k + 1, b),
        _ => (a, b),
    }
}

/// Command relations ("the 7th Brigade led by Staff Brigadier General …",
/// "under the command of …") and orders ("… issued the order to attack
/// Camp Ossa", "ordered the raid", "on the orders of …") in one sentence.
pub fn find_relations(tokens: &[Token<'_>]) -> Vec<RelationMention> {
    let mut out = Vec::new();
    let at =
        |i: usize, words: &[&str]| words.iter().enumerate().all(|(k, w)| tokens.get(i + k).is_some_and(|t| t.is(w)));
    for i in 0..tokens.len() {
        // "UNIT led by / commanded by COMMANDER"
        if (at(i, &["led", "by"]) || at(i, &["commanded", "by"]) || at(i, &["headed", "by"])) && i > 0 {
            let (ua, ub) = phrase_before(tokens, i, 8);
            let (ca, cb) = phrase_after(tokens, i + 2, 8);
            let unit_kind = (ua < ub).then(|| kind_of_phrase(&tokens[ua..ub])).flatten();
            if ca < cb && matches!(unit_kind, Some("state_forces" | "armed_group")) {
                out.push(RelationMention {
                    span: span(tokens, ua, cb),
                    relation: "commands",
                    from: span(tokens, ca, cb),
                    to: span(tokens, ua, ub),
                });
            }
        }
        // "UNIT, under the command of COMMANDER"
        if at(i, &["under", "the", "command", "of"]) {
            let (ca, cb) = phrase_after(tokens, i + 4, 8);
            let before = if i > 0 && tokens[i - 1].text == "," { i - 1 } else { i };
            let (ua, ub) = phrase_before(tokens, before, 8);
            if ca < cb && ua < ub {
                out.push(RelationMention {
                    span: span(tokens, ua, cb),
                    relation: "commands",
                    from: span(tokens, ca, cb),
                    to: span(tokens, ua, ub),
                });
            }
        }
        // "on the orders of X"
        if at(i, &["on", "the", "orders", "of"]) || at(i, &["on", "the", "order", "of"]) {
            let (fa, fb) = phrase_after(tokens, i + 4, 8);
            if fa < fb {
                let (pa, pb) = person_in(tokens, fa, fb);
                out.push(RelationMention {
                    span: span(tokens, i, fb),
                    relation: "ordered",
                    from: span(tokens, pa, pb),
                    to: span(tokens, i, fb),
                });
            }
        }
        // "X (personally) ordered the attack" / "X issued (gave) the order to attack Y"
        let ordered = tokens[i].is("ordered")
            && tokens
                .get(i + 1)
                .is_some_and(|n| ["the", "an", "a", "troops", "forces", "his", "their"].iter().any(|w| n.is(w)));
        let issued = (tokens[i].is("issued") || tokens[i].is("gave"))
            && tokens.get(i + 1).is_some_and(|n| n.is("the") || n.is("an"))
            && tokens.get(i + 2).is_some_and(|n| n.is("order") || n.is("orders"));
        if !(ordered || issued) {
            continue;
        }
        let mut end = i;
        while end > 0
            && ["personally", "reportedly", "allegedly", "then", "had", "has", "also"]
                .iter()
                .any(|w| tokens[end - 1].is(w))
        {
            end -= 1;
        }
        // Step back over an appositive: "Idris Kamoto, as acting president, personally issued …".
        if end > 0 && tokens[end - 1].text == "," {
            if let Some(open) = (0..end - 1).rev().find(|&k| tokens[k].text == ",") {
                end = open;
            }
        }
        let (sa, sb) = phrase_before(tokens, end, 10);
        if sa >= sb || !tokens[sa..sb].iter().any(|t| t.text.starts_with(char::is_uppercase)) {
            continue;
        }
        let (pa, pb) = person_in(tokens, sa, sb);
        let what_start = if issued { i + 3 } else { i + 1 };
        let mut what_end = what_start;
        while what_end < tokens.len() && what_end - what_start < 10 && tokens[what_end].kind != TokenKind::Punct {
            what_end += 1;
        }
        if what_start < what_end {
            out.push(RelationMention {
                span: span(tokens, pa, what_end),
                relation: "ordered",
                from: span(tokens, pa, pb),
                to: span(tokens, what_start, what_end),
            });
        }
    }
    out
}

#[cfg(test)]
mod relation_tests {
    use super::*;
    use crate::text::tokenize;

    fn relations(s: &str) -> Vec<(&'static str, &str, &str)> {
        find_relations(&tokenize(s, 0))
            .into_iter()
            .map(|r| (r.relation, &s[r.from.start..r.from.end], &s[r.to.start..r.to.end]))
            .collect()
    }

    #[test]
    fn commanders_and_orders_are_read_with_both_ends() {
        assert_eq!(
            relations("The assault on the depot started at 3:20 am by the Chadian Army 7th Brigade led by Staff Brigadier General Tamar Osei Veld."),
            [("commands", "Staff Brigadier General Tamar Osei Veld", "the Chadian Army 7th Brigade")]
        );
        assert_eq!(
            relations("Former Chadian defence minister Idris Kamoto, as acting president, personally issued the order to storm Camp Ossa."),
            [("ordered", "Idris Kamoto", "to storm Camp Ossa")]
        );
        assert_eq!(
            relations("Police units, under the command of Colonel Ruta Maalo, opened fire."),
            [("commands", "Colonel Ruta Maalo", "Police units")]
        );
        assert_eq!(
            relations("The raid was carried out on the orders of Interior Minister Anan Kolbe."),
            [("ordered", "Interior Minister Anan Kolbe", "on the orders of Interior Minister Anan Kolbe")]
        );
        assert!(relations("The protest was led by students from the university.").is_empty());
        assert!(relations("He ordered lunch.").is_empty());
    }
}

/// Generic nouns for armed actors that a report uses after naming them in full.
const GENERIC: [&str; 12] = [
    "army",
    "military",
    "police",
    "forces",
    "troops",
    "soldiers",
    "regime",
    "government",
    "militants",
    "gunmen",
    "militia",
    "group",
];

/// Links short forms of actors to the fuller names the same report gave
/// earlier: a surname to the person ("Kamoto" → "Idris Kamoto"), "the army"
/// to the army named ("the Chadian Army 7th Brigade"). Names come from
/// perpetrators, commanders, those who gave orders, and who made statements.
pub fn link_short_forms(claims: &mut [crate::ExtractedClaim]) {
    use dossier_model::ClaimValue;
    let mut order: Vec<usize> = (0..claims.len()).collect();
    order.sort_by_key(|&i| claims[i].span.start);
    let mut named: Vec<String> = Vec::new();
    for i in order {
        let c = &mut claims[i];
        let full_names: Vec<String> = match &c.value {
            ClaimValue::Relation { from, to, .. } => vec![from.clone(), to.clone()],
            ClaimValue::Statement { by: Some(by), .. } => vec![by.clone()],
            _ => Vec::new(),
        };
        if let ClaimValue::Actor { name, refers_to, .. } = &mut c.value {
            *refers_to = fuller_name(name, &named);
            if refers_to.is_none() {
                named.push(name.clone());
            }
        }
        named.extend(full_names);
    }
}

/// How many earlier names a short form is compared with (keeps long texts linear).
const LOOK_BACK: usize = 256;

/// The most recent earlier name that `short` abbreviates, if any.
fn fuller_name(short: &str, earlier: &[String]) -> Option<String> {
    let words: Vec<&str> = short.split_whitespace().collect();
    let bare: Vec<&str> = match words.as_slice() {
        [the, rest @ ..] if the.eq_ignore_ascii_case("the") => rest.to_vec(),
        _ => words.clone(),
    };
    let [word] = bare.as_slice() else { return None };
    let word = word.trim_end_matches("’s").trim_end_matches("'s");
    let generic = GENERIC.iter().any(|g| g.eq_ignore_ascii_case(word));
    earlier.iter().rev().take(LOOK_BACK).find_map(|full| {
        let full_words: Vec<&str> = full.split_whitespace().collect();
        if full_words.len() < 2 || full.eq_ignore_ascii_case(short) {
            return None;
        }
        let matches = if generic {
            full_words.iter().any(|w| w.eq_ignore_ascii_case(word))
        } else {
            word.starts_with(char::is_uppercase) && full_words.last().is_some_and(|w| *w == word)
        };
        matches.then(|| full.clone())
    })
}

#[cfg(test)]
mod coreference_tests {
    use super::fuller_name;

    #[test]
    fn short_forms_find_the_fuller_name_given_earlier() {
        let earlier =
            ["the Chadian Army 7th Brigade".to_string(), "Idris Kamoto".to_string(), "Chadian police".to_string()];
        assert_eq!(fuller_name("Kamoto", &earlier).as_deref(), Some("Idris Kamoto"));
        assert_eq!(fuller_name("the army", &earlier).as_deref(), Some("the Chadian Army 7th Brigade"));
        assert_eq!(fuller_name("The police", &earlier).as_deref(), Some("Chadian police"));
        assert_eq!(fuller_name("the militants", &earlier), None);
        assert_eq!(fuller_name("Veld", &earlier), None);
        assert_eq!(fuller_name("the Chadian Army", &earlier), None, "a name of two words or more is not a short form");
    }
}
