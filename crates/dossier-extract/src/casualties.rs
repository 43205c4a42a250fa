//! Killed and injured counts in a sentence: "41 villagers massacred",
//! "killing at least nine", "wounding more than 140", "no one was hurt".

use dossier_model::{ClaimKind, Count, Span};

use crate::numbers::count_at;
use crate::text::{Token, TokenKind};

/// A casualty count found in a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CasualtyMention {
    /// Killed or injured.
    pub kind: ClaimKind,
    /// The phrase stating it.
    pub span: Span,
    /// The count.
    pub count: Count,
}

/// Words after a number that make it a count of people harmed, by kind
/// ("41 villagers massacred", "nine dead", "14 were arrested").
const AFTER: [(ClaimKind, &[&str]); 5] = [
    (
        ClaimKind::Killed,
        &[
            "killed",
            "dead",
            "died",
            "massacred",
            "murdered",
            "slain",
            "slaughtered",
            "executed",
            "perished",
            "deaths",
            "death",
            "bodies",
            "fatalities",
            "martyred",
        ],
    ),
    (ClaimKind::Injured, &["injured", "wounded", "hurt"]),
    (ClaimKind::Missing, &["missing", "disappeared", "unaccounted"]),
    (ClaimKind::Detained, &["detained", "arrested", "abducted", "kidnapped", "captured", "hostage", "hostages"]),
    (ClaimKind::Displaced, &["displaced", "fled", "homeless", "uprooted"]),
];

/// Verbs before a number ("killing nine", "wounding 37", "arrested 14").
const BEFORE: [(ClaimKind, &[&str]); 4] = [
    (
        ClaimKind::Killed,
        &[
            "killed",
            "killing",
            "kills",
            "kill",
            "murdered",
            "murdering",
            "massacred",
            "massacring",
            "slaying",
            "slew",
            "executed",
            "executing",
        ],
    ),
    (ClaimKind::Injured, &["wounding", "injuring", "wounded", "injured", "injures", "wounds"]),
    (
        ClaimKind::Detained,
        &["arrested", "arresting", "detained", "detaining", "abducted", "abducting", "kidnapped", "kidnapping"],
    ),
    (ClaimKind::Displaced, &["displaced", "displacing", "uprooting"]),
];

/// Who the attackers are, when they are the ones counted.
const ATTACKERS: [&str; 9] =
    ["attackers", "attacker", "gunmen", "gunman", "assailants", "bombers", "bomber", "insurgents", "militants"];

/// Nouns naming the people counted.
const POPULATION: &[&str] = &[
    "people",
    "persons",
    "person",
    "residents",
    "resident",
    "civilians",
    "civilian",
    "others",
    "members",
    "exiles",
    "iranians",
    "refugees",
    "children",
    "women",
    "men",
    "policemen",
    "police",
    "soldiers",
    "troops",
    "protesters",
    "demonstrators",
    "prisoners",
    "detainees",
    "individuals",
    "militants",
    "fighters",
    "attackers",
    "gunmen",
    "officers",
    "guards",
    "worshippers",
    "students",
    "villagers",
    "pilgrims",
    "assailants",
    "bombers",
];

const GAP_BREAKERS: [&str; 9] = ["said", "says", "told", "according", "while", "but", "because", "since", "with"];

fn kind_in(table: &[(ClaimKind, &[&str])], t: &Token<'_>) -> Option<ClaimKind> {
    if t.kind != TokenKind::Word {
        return None;
    }
    let w = t.lower();
    table.iter().find(|(_, words)| words.contains(&w.as_ref())).map(|(k, _)| *k)
}

fn is_possessive(t: Option<&Token<'_>>) -> bool {
    t.is_some_and(|t| ["their", "his", "her"].iter().any(|w| t.is(w)))
}

fn kind_after(t: &Token<'_>) -> Option<ClaimKind> {
    kind_in(&AFTER, t)
}

fn kind_before(t: &Token<'_>) -> Option<ClaimKind> {
    kind_in(&BEFORE, t)
}

fn is_attackers(population: Option<&str>) -> bool {
    population.is_some_and(|p| p.split_whitespace().any(|w| ATTACKERS.contains(&w.to_lowercase().as_str())))
}

fn is_population(t: &Token<'_>) -> bool {
    POPULATION.contains(&t.lower().as_ref())
}

fn population_of(tokens: &[Token<'_>], body: &str) -> Option<String> {
    let last = tokens.iter().rposition(is_population)?;
    let first = (0..=last).rev().take_while(|&k| tokens[k].kind == TokenKind::Word && !tokens[k].is("of")).last()?;
    Some(body[tokens[first].span.start..tokens[last].span.end].to_string())
}

fn span_of(tokens: &[Token<'_>], first: usize, end: usize) -> Span {
    Span::new(tokens[first].span.start, tokens[end - 1].span.end)
}

/// Every casualty count in a sentence's tokens; `body` is the whole normalised text.
pub fn find_casualties(tokens: &[Token<'_>], body: &str, blocked: &[Span]) -> Vec<CasualtyMention> {
    let mut out = Vec::new();
    let mut used = vec![false; tokens.len()];
    let in_blocked = |t: &Token<'_>| blocked.iter().any(|b| b.contains(t.span));
    denials(tokens, &mut out, &mut used);
    out.extend(crate::tolls::find_tolls(tokens, &mut used, &in_blocked));
    // Verb first: "killing at least nine people".
    for v in 0..tokens.len() {
        let of_phrase =
            ["bodies", "deaths", "death", "lives", "execution", "executions", "killing", "killings", "massacre"]
                .iter()
                .any(|w| tokens[v].is(w))
                && tokens.get(v + 1).is_some_and(|t| t.is("of"));
        // Two-word verbs: "shot dead four guards", "gunned down six".
        let two_word = v > 0
            && (tokens[v].is("dead") && ["shot", "shooting"].iter().any(|w| tokens[v - 1].is(w))
                || tokens[v].is("down") && ["gunned", "gunning"].iter().any(|w| tokens[v - 1].is(w)));
        let Some(kind) = kind_before(&tokens[v]).or((of_phrase || two_word).then_some(ClaimKind::Killed)) else {
            continue;
        };
        let verb = if two_word { v - 1 } else { v };
        let mut at = if of_phrase { v + 2 } else { v + 1 };
        if tokens.get(at).is_some_and(|t| t.is("a"))
            && tokens.get(at + 1).is_some_and(|t| t.is("total"))
            && tokens.get(at + 2).is_some_and(|t| t.is("of"))
        {
            at += 3;
        }
        let Some(c) = count_at(tokens, at) else { continue };
        if used[at..c.end].iter().any(|u| *u) || tokens[at..c.end].iter().any(&in_blocked) {
            continue;
        }
        let tail: Vec<usize> =
            (c.end..(c.end + 3).min(tokens.len())).take_while(|&k| tokens[k].kind == TokenKind::Word).collect();
        let end = tail.iter().position(|&k| is_population(&tokens[k])).map_or(c.end, |p| tail[p] + 1);
        for u in &mut used[verb..end] {
            *u = true;
        }
        let population = population_of(&tokens[c.end..end], body);
        let attackers = is_attackers(population.as_deref());
        out.push(CasualtyMention {
            kind,
            span: span_of(tokens, verb, end),
            count: Count { min: c.min, max: c.max, qualifier: c.qualifier, population, attackers },
        });
    }
    // Number first: "41 Kerena villagers massacred", "more than 30 wounded".
    let mut i = 0;
    while i < tokens.len() {
        let Some(c) = count_at(tokens, i).filter(|c| !used[c.first..c.end].iter().any(|u| *u)) else {
            i += 1;
            continue;
        };
        if tokens[c.first..c.end].iter().any(&in_blocked) {
            i = c.end;
            continue;
        }
        let mut j = c.end;
        let mut hit = None;
        while j < tokens.len() && j - c.end <= 10 {
            let t = &tokens[j];
            if matches!(t.text, "." | ";" | ":" | "!" | "?")
                || GAP_BREAKERS.iter().any(|w| t.is(w))
                || t.kind == TokenKind::Number && count_at(tokens, j).is_some()
            {
                break;
            }
            if let Some(kind) = kind_after(t) {
                hit = Some((kind, j));
                break;
            }
            // "20 lost their lives"
            if t.is("lost")
                && is_possessive(tokens.get(j + 1))
                && tokens.get(j + 2).is_some_and(|t| t.is("lives") || t.is("life"))
            {
                hit = Some((ClaimKind::Killed, j + 2));
                break;
            }
            j += 1;
        }
        let numeric = c.min.is_some() || c.max.is_some();
        if let Some((_, verb)) = hit.filter(|&(_, v)| {
            // "many of the dead" (not "scores of wounded": a vague count of its own).
            let of_the = v >= 2 && ["the", "those"].iter().any(|w| tokens[v - 1].is(w));
            (numeric || c.qualifier.starts_with("vague") && of_the) && is_breakdown(tokens, v)
                || numeric && unidentified_bodies(tokens, v)
        }) {
            // "9 children among the dead", "17 bodies have been identified": a part of a toll, not a toll.
            i = verb + 1;
            continue;
        }
        if let Some((kind, verb)) = hit {
            for u in &mut used[c.first..=verb] {
                *u = true;
            }
            let qualifier =
                if tokens[verb].is("bodies") && c.qualifier == "exact" { "at least".to_string() } else { c.qualifier };
            let (min, max) =
                if qualifier == "at least" && tokens[verb].is("bodies") { (c.min, None) } else { (c.min, c.max) };
            out.push(CasualtyMention {
                kind,
                span: span_of(tokens, c.first, verb + 1),
                count: {
                    let population = population_of(&tokens[c.end..verb], body);
                    let attackers = is_attackers(population.as_deref());
                    Count { min, max, qualifier, population, attackers }
                },
            });
            i = verb + 1;
        } else {
            i = c.end;
        }
    }
    // Statistics over a period ("… killed since January") are no event's toll.
    out.retain(|m| {
        let first = tokens.partition_point(|t| t.span.start < m.span.start);
        let aggregate = crate::tolls::is_aggregate(tokens, first.saturating_sub(6), tokens.len());
        !(aggregate && ClaimKind::COUNTS.contains(&m.kind) && m.count.qualifier != "denial")
    });
    out.sort_by_key(|m| m.span.start);
    out
}

/// "among the dead", "of those killed": the count is a part of a toll.
fn is_breakdown(tokens: &[Token<'_>], verb: usize) -> bool {
    let at =
        |k: Option<usize>, words: &[&str]| k.and_then(|k| tokens.get(k)).is_some_and(|t| words.iter().any(|w| t.is(w)));
    let prev = verb.checked_sub(1);
    let prev2 = verb.checked_sub(2);
    at(prev, &["among", "of"]) || at(prev, &["the", "those"]) && at(prev2, &["among", "of"])
}

/// "bodies have thus far been identified": counted bodies of a larger toll.
fn unidentified_bodies(tokens: &[Token<'_>], verb: usize) -> bool {
    tokens[verb].is("bodies") && tokens[verb + 1..].iter().take(5).any(|t| t.is("identified"))
}

/// "no one was killed", "no casualties", "denied any deaths", "denied anyone died".
fn denials(tokens: &[Token<'_>], out: &mut Vec<CasualtyMention>, used: &mut [bool]) {
    let zero = || Count { min: Some(0), max: Some(0), qualifier: "denial".into(), population: None, attackers: false };
    for i in 0..tokens.len() {
        // "no village policemen were wounded or killed": "no" and the people counted.
        let no_people = tokens[i].is("no")
            && (1..=3).any(|k| tokens.get(i + k).is_some_and(is_population))
            && (1..=3).all(|k| tokens.get(i + k).is_some_and(|t| t.kind == TokenKind::Word));
        let opener = tokens[i].is("nobody")
            || no_people
            || tokens[i].is("no") && tokens.get(i + 1).is_some_and(|t| t.is("one"))
            || tokens[i].is("denied")
                && tokens.get(i + 1).is_some_and(|t| t.is("any") || t.is("anyone") || t.is("that"));
        let direct = if tokens[i].is("no") { tokens.get(i + 1).map(|t| t.lower()) } else { None };
        match direct.as_deref() {
            Some("casualties") => {
                for kind in [ClaimKind::Killed, ClaimKind::Injured] {
                    out.push(CasualtyMention { kind, span: span_of(tokens, i, i + 2), count: zero() });
                }
                used[i] = true;
                used[i + 1] = true;
                continue;
            }
            Some("deaths" | "fatalities" | "dead") => {
                out.push(CasualtyMention { kind: ClaimKind::Killed, span: span_of(tokens, i, i + 2), count: zero() });
                used[i] = true;
                used[i + 1] = true;
                continue;
            }
            Some("injuries") => {
                out.push(CasualtyMention { kind: ClaimKind::Injured, span: span_of(tokens, i, i + 2), count: zero() });
                used[i] = true;
                used[i + 1] = true;
                continue;
            }
            _ => {}
        }
        if !opener {
            continue;
        }
        let window = (i + 1..(i + 6).min(tokens.len())).find_map(|j| kind_after(&tokens[j]).map(|k| (k, j)));
        if let Some((kind, j)) = window {
            if tokens[i..j].iter().any(|t| t.kind == TokenKind::Number) {
                continue;
            }
            let kind = if tokens[j].is("deaths") || tokens[j].is("died") || tokens[j].is("dead") {
                ClaimKind::Killed
            } else {
                kind
            };
            // "… were wounded or killed": each kind named is denied.
            let other = (tokens.get(j + 1).is_some_and(|t| t.is("or") || t.is("nor")))
                .then(|| tokens.get(j + 2).and_then(|t| kind_after(t).map(|k| (k, j + 2))))
                .flatten()
                .filter(|(k, _)| *k != kind);
            let end = other.map_or(j, |(_, e)| e);
            for u in &mut used[i..=end] {
                *u = true;
            }
            out.push(CasualtyMention { kind, span: span_of(tokens, i, j + 1), count: zero() });
            if let Some((k, e)) = other {
                out.push(CasualtyMention { kind: k, span: span_of(tokens, i, e + 1), count: zero() });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokenize;

    /// One expected mention: kind, text, min, max, qualifier.
    type Want<'a> = (&'a str, &'a str, Option<u64>, Option<u64>, &'a str);

    fn check(sentence: &str, want: &[Want<'_>]) {
        let toks = tokenize(sentence, 0);
        let got: Vec<String> = find_casualties(&toks, sentence, &[])
            .into_iter()
            .map(|m| {
                let text = &sentence[m.span.start..m.span.end];
                format!("{} {text:?} {:?} {:?} {}", m.kind.as_str(), m.count.min, m.count.max, m.count.qualifier)
            })
            .collect();
        let want: Vec<String> = want.iter().map(|(k, t, a, b, q)| format!("{k} {t:?} {a:?} {b:?} {q}")).collect();
        assert_eq!(got, want, "{sentence}");
    }

    #[test]
    fn no_people_of_a_kind_harmed_is_a_denial_of_each_kind() {
        check(
            "Officials added that no village policemen were wounded or killed.",
            &[
                ("injured", "no village policemen were wounded", Some(0), Some(0), "denial"),
                ("killed", "no village policemen were wounded or killed", Some(0), Some(0), "denial"),
            ],
        );
        check("There were no soldiers among them.", &[]);
    }

    #[test]
    fn number_first() {
        check(
            "41 Kerena villagers massacred and 260 others injured was the outcome; more than 150 of which were due to shellfire.",
            &[("killed", "41 Kerena villagers massacred", Some(41), Some(41), "exact"), ("injured", "260 others injured", Some(260), Some(260), "exact")],
        );
        check(
            "At least nine villagers were killed and more than 30 wounded.",
            &[
                ("killed", "At least nine villagers were killed", Some(9), None, "at least"),
                ("injured", "more than 30 wounded", Some(31), None, "more than"),
            ],
        );
        check("Hundreds were wounded.", &[("injured", "Hundreds were wounded", None, None, "vague:hundreds")]);
        check("medics counted 64 bodies and some remains", &[("killed", "64 bodies", Some(64), None, "at least")]);
        check("villagers with shrapnel wounds", &[]);
    }

    #[test]
    fn verb_first() {
        check(
            "The assault opened by killing at least nine and wounding more than 140.",
            &[
                ("killed", "killing at least nine", Some(9), None, "at least"),
                ("injured", "wounding more than 140", Some(141), None, "more than"),
            ],
        );
        check(
            "Medics confirmed the deaths of at least eight villagers.",
            &[("killed", "deaths of at least eight villagers", Some(8), None, "at least")],
        );
        check(
            "nurses saw the bodies of 38 people with apparent blast wounds",
            &[("killed", "bodies of 38 people", Some(38), Some(38), "exact")],
        );
        check(
            "The same gang that murdered 23 Ossa villagers back in June.",
            &[("killed", "murdered 23 Ossa villagers", Some(23), Some(23), "exact")],
        );
        check(
            "shells crashed into the depot, killing six people and wounding 37",
            &[
                ("killed", "killing six people", Some(6), Some(6), "exact"),
                ("injured", "wounding 37", Some(37), Some(37), "exact"),
            ],
        );
    }

    #[test]
    fn missing_detained_and_displaced() {
        check(
            "Seven residents remain missing.",
            &[("missing", "Seven residents remain missing", Some(7), Some(7), "exact")],
        );
        check(
            "Police arrested 12 protesters and seven were taken hostage.",
            &[
                ("detained", "arrested 12 protesters", Some(12), Some(12), "exact"),
                ("detained", "seven were taken hostage", Some(7), Some(7), "exact"),
            ],
        );
        check(
            "The shelling displaced more than 3,000 people.",
            &[("displaced", "displaced more than 3,000 people", Some(3001), None, "more than")],
        );
    }

    #[test]
    fn attackers_are_marked() {
        let s = "Two gunmen were killed and 12 civilians died.";
        let toks = tokenize(s, 0);
        let found = find_casualties(&toks, s, &[]);
        assert_eq!(found.iter().map(|m| m.count.attackers).collect::<Vec<_>>(), vec![true, false]);
    }

    #[test]
    fn denials_are_zero() {
        check("The government denied anyone died.", &[("killed", "denied anyone died", Some(0), Some(0), "denial")]);
        check("Officials said no one was hurt.", &[("injured", "no one was hurt", Some(0), Some(0), "denial")]);
    }

    #[test]
    fn parts_of_a_toll_are_not_tolls() {
        check("14 women, 9 children among dead, 31 in serious condition", &[]);
        check("Twelve of the dead are children.", &[]);
        check("only 17 bodies have thus far been identified", &[]);
        check(
            "28 of the villagers were killed",
            &[("killed", "28 of the villagers were killed", Some(28), Some(28), "exact")],
        );
    }

    #[test]
    fn numbers_that_are_not_tolls() {
        check("home to nearly 2,700 members of the banned Velan Front opposing the junta.", &[]);
        check("a 1,800-strong column equipped with armoured trucks", &[]);
        check("The assault started at 5:10 am and 80% of supplies were used.", &[]);
    }
}
