//! Tolls told as a toll: "the death toll rose to 62", "officials put the
//! toll at 28", "a death toll of 95", "the toll hits 160", "bringing the
//! total to 22", "the number of dead reached 40". The figure is the one the
//! toll is brought to ("rose from 30 to 62" gives 62). Vocabulary in
//! `data/tolls.txt`.

use std::sync::OnceLock;

use dossier_model::{ClaimKind, Count, Span};

use crate::casualties::CasualtyMention;
use crate::numbers::count_at;
use crate::text::Token;

struct Words {
    nouns: Vec<&'static str>,
    modifiers: Vec<&'static str>,
    number_of: Vec<&'static str>,
    reaching: Vec<&'static str>,
    prepositions: Vec<&'static str>,
    totals: Vec<&'static str>,
    not_after: Vec<&'static str>,
    aggregates: Vec<Vec<&'static str>>,
}

fn words() -> &'static Words {
    static WORDS: OnceLock<Words> = OnceLock::new();
    WORDS.get_or_init(|| {
        let mut s = crate::lexicon::sections(include_str!("../data/tolls.txt"));
        let mut take = |name: &str| s.remove(name).unwrap_or_default();
        Words {
            nouns: take("nouns"),
            modifiers: take("modifiers"),
            number_of: take("number-of"),
            reaching: take("reaching"),
            prepositions: take("prepositions"),
            totals: take("totals"),
            not_after: take("not-after"),
            aggregates: take("aggregates").into_iter().map(|l| l.split(' ').collect()).collect(),
        }
    })
}

fn is_any(t: Option<&Token<'_>>, list: &[&str]) -> bool {
    t.is_some_and(|t| list.iter().any(|w| t.is(w)))
}

/// Where a toll noun phrase ends (its last token), if one starts at `i`'s
/// noun: "toll", "number of dead", "total" after "bringing the".
fn toll_noun(tokens: &[Token<'_>], i: usize) -> Option<usize> {
    let w = words();
    if is_any(tokens.get(i), &w.nouns) {
        return (!is_any(tokens.get(i + 1), &w.not_after)).then_some(i);
    }
    if tokens[i].is("number") && tokens.get(i + 1).is_some_and(|t| t.is("of")) {
        let next = i + 2;
        if is_any(tokens.get(next), &w.number_of) {
            return Some(next);
        }
        // "the number of people killed"
        if is_any(tokens.get(next + 1), &["killed", "dead"]) {
            return Some(next + 1);
        }
    }
    if tokens[i].is("total") && i >= 2 && tokens[i - 1].is("the") && is_any(tokens.get(i - 2), &w.totals) {
        return Some(i);
    }
    None
}

/// The toll phrases of a sentence; marks their tokens `used`.
pub fn find_tolls(
    tokens: &[Token<'_>],
    used: &mut [bool],
    blocked: &dyn Fn(&Token<'_>) -> bool,
) -> Vec<CasualtyMention> {
    let w = words();
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let Some(noun_end) = toll_noun(tokens, i).filter(|_| !used[i]) else {
            i += 1;
            continue;
        };
        let mut first = i;
        while first > 0 && is_any(tokens.get(first - 1), &w.modifiers) {
            first -= 1;
        }
        let mut found = None;
        for k in noun_end + 1..tokens.len().min(noun_end + 26) {
            let t = &tokens[k];
            if matches!(t.text, "." | ";" | "!" | "?")
                || is_any(Some(t), &["said", "says", "according", "but", "while"])
            {
                break;
            }
            let preposition = is_any(Some(t), &w.prepositions);
            let reaching = is_any(Some(t), &w.reaching);
            if !(preposition || reaching) {
                continue;
            }
            let Some(c) = count_at(tokens, k + 1) else { continue };
            // "stood at 40", "reached to" never: a preposition after a reaching verb is read there.
            if tokens[k + 1..c.end].iter().any(blocked) || used[k + 1..c.end].iter().any(|u| *u) {
                break;
            }
            found = Some(c);
            break;
        }
        match found {
            Some(c) => {
                for u in &mut used[first..c.end] {
                    *u = true;
                }
                out.push(CasualtyMention {
                    kind: ClaimKind::Killed,
                    span: Span::new(tokens[first].span.start, tokens[c.end - 1].span.end),
                    count: Count { min: c.min, max: c.max, qualifier: c.qualifier, population: None, attackers: false },
                });
                i = c.end;
            }
            None => i = noun_end + 1,
        }
    }
    out
}

/// Whether the tokens `from..to` (a count's clause) tell a statistic over a
/// period ("since January", "this year", "over the past decade") rather
/// than one event's toll.
pub fn is_aggregate(tokens: &[Token<'_>], from: usize, to: usize) -> bool {
    let w = words();
    (from..to.min(tokens.len())).any(|k| {
        w.aggregates.iter().any(|phrase| {
            phrase.iter().enumerate().all(|(j, p)| tokens.get(k + j).is_some_and(|t| t.is(p)))
                // "since" only before a time: a month, a weekday, a year, "the start".
                && (phrase != &["since"]
                    || tokens.get(k + 1).is_some_and(|t| {
                        crate::dates::is_calendar_word(t.text)
                            || t.text.len() == 4 && t.text.chars().all(|c| c.is_ascii_digit())
                            || t.is("then")
                            || t.is("last")
                    }) || tokens.get(k + 1).is_some_and(|t| t.is("the"))
                        && tokens.get(k + 2).is_some_and(|t| ["start", "beginning", "outbreak"].iter().any(|w| t.is(w))))
        })
    })
}

#[cfg(test)]
mod tests {
    use crate::casualties::find_casualties;
    use crate::text::tokenize;

    /// (text, min, max) of every killed figure in `sentence`.
    fn killed(sentence: &str) -> Vec<(String, Option<u64>, Option<u64>)> {
        let tokens = tokenize(sentence, 0);
        find_casualties(&tokens, sentence, &[])
            .into_iter()
            .filter(|m| m.kind == dossier_model::ClaimKind::Killed)
            .map(|m| (sentence[m.span.start..m.span.end].to_string(), m.count.min, m.count.max))
            .collect()
    }

    fn one(sentence: &str, text: &str, min: Option<u64>, max: Option<u64>) {
        assert_eq!(killed(sentence), vec![(text.to_string(), min, max)], "{sentence}");
    }

    #[test]
    fn a_toll_brought_to_a_figure_is_that_figure() {
        one("The death toll rose to 62 on Tuesday.", "death toll rose to 62", Some(62), Some(62));
        one("The toll has risen to at least 71, officials said.", "toll has risen to at least 71", Some(71), None);
        one("By Friday the toll stood at 19.", "toll stood at 19", Some(19), Some(19));
        one("The death toll reached 40 by nightfall.", "death toll reached 40", Some(40), Some(40));
        one("Ossatou massacre: toll hits 160", "toll hits 160", Some(160), Some(160));
        one("The toll rose from 30 to 62.", "toll rose from 30 to 62", Some(62), Some(62));
    }

    #[test]
    fn a_toll_put_at_a_figure_and_a_toll_of_a_figure() {
        one("Officials put the death toll at 53.", "death toll at 53", Some(53), Some(53));
        one(
            "The monitor revised the death toll from Friday's shelling on the village of Ossatou to 28.",
            "death toll from Friday's shelling on the village of Ossatou to 28",
            Some(28),
            Some(28),
        );
        one("It gave an earlier toll of 95.", "earlier toll of 95", Some(95), Some(95));
        one("Raiders struck again, bringing the total to 22.", "total to 22", Some(22), Some(22));
        one("The number of dead reached 40.", "number of dead reached 40", Some(40), Some(40));
    }

    #[test]
    fn a_toll_without_a_figure_is_none() {
        assert!(killed("The toll of the war is heavy.").is_empty());
        assert!(killed("The toll road to 5 towns was closed.").is_empty());
    }

    #[test]
    fn statistics_over_a_period_are_no_event_s_toll() {
        assert!(killed("Nearly 200 herders have died in feuds like this since January.").is_empty());
        assert!(killed("The fighting has killed 488 people this year.").is_empty());
        assert!(killed("Over the past decade, 3,000 villagers were killed.").is_empty());
        one("Since the blast, 12 people died in Ossa.", "12 people died", Some(12), Some(12));
        one("Gunmen killed 9 people on Monday.", "killed 9 people", Some(9), Some(9));
    }

    #[test]
    fn counts_of_things_and_parts_of_the_dead_are_no_tolls() {
        assert!(killed("Huts burned; at least one with bodies in it was found.").is_empty());
        assert!(killed("Many of the dead were children.").is_empty());
        assert_eq!(killed("Nine dead, with scores of others hurt, was the night's cost.").len(), 1);
    }

    #[test]
    fn an_official_figure_and_the_killing_of_a_number() {
        one("That is below the official figure of 54 fatalities.", "official figure of 54", Some(54), Some(54));
        one(
            "Inspectors found evidence of the execution of around 30 villagers.",
            "execution of around 30 villagers",
            Some(30),
            Some(30),
        );
        one("Its count listed the deaths of just eight villagers.", "deaths of just eight villagers", Some(8), Some(8));
        assert!(killed("She is a key figure of the movement.").is_empty());
    }

    #[test]
    fn lives_lost_and_claimed_and_martyrs() {
        one("Twenty people lost their lives in the fire.", "Twenty people lost their lives", Some(20), Some(20));
        one("The blast claimed the lives of 30 people.", "lives of 30 people", Some(30), Some(30));
        one("Seven residents were martyred.", "Seven residents were martyred", Some(7), Some(7));
        one("Between 30 and 40 villagers were killed.", "Between 30 and 40 villagers were killed", Some(30), Some(40));
    }
}
