//! Counts in text: digits, number words, qualifiers and vague quantities,
//! read into min/max with the conventions of `dossier_model::Count`.

use crate::text::{Token, TokenKind};

/// A count phrase found at a token position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountPhrase {
    /// Index of its first token (the qualifier, if any).
    pub first: usize,
    /// Index one past its last token.
    pub end: usize,
    /// Lower bound.
    pub min: Option<u64>,
    /// Upper bound.
    pub max: Option<u64>,
    /// `exact`, `at least`, `more than`, `up to`, `about`, `nearly`, `less than`, `vague:<word>`.
    pub qualifier: String,
}

const QUALIFIERS: [(&[&str], &str); 28] = [
    (&["no", "fewer", "than"], "at least"),
    (&["no", "less", "than"], "at least"),
    (&["at", "least"], "at least"),
    (&["a", "minimum", "of"], "at least"),
    (&["more", "than"], "more than"),
    (&["over"], "more than"),
    (&["upwards", "of"], "more than"),
    (&["up", "to"], "up to"),
    (&["as", "many", "as"], "up to"),
    (&["at", "most"], "up to"),
    (&["fewer", "than"], "less than"),
    (&["less", "than"], "less than"),
    (&["just", "over"], "more than"),
    (&["under"], "less than"),
    (&["below"], "less than"),
    (&["just", "under"], "less than"),
    (&["close", "to"], "nearly"),
    (&["nearly"], "nearly"),
    (&["almost"], "nearly"),
    (&["about"], "about"),
    (&["around"], "about"),
    (&["approximately"], "about"),
    (&["roughly"], "about"),
    (&["some"], "about"),
    (&["an", "estimated"], "about"),
    (&["estimated"], "about"),
    (&["only"], "exact"),
    (&["just"], "exact"),
];

const VAGUE: [&str; 7] = ["dozens", "hundreds", "thousands", "scores", "several", "many", "tens"];

/// Whether a word is a number ("Five", "12").
pub fn is_number_word(w: &str) -> bool {
    w.chars().all(|c| c.is_ascii_digit() || c == ',') && w.chars().any(|c| c.is_ascii_digit())
        || !w.eq_ignore_ascii_case("a") && unit_value(&w.to_lowercase()).is_some()
}

fn unit_value(w: &str) -> Option<u64> {
    const UNITS: [&str; 20] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS: [&str; 8] = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];
    if let Some(i) = UNITS.iter().position(|u| *u == w) {
        return Some(i as u64);
    }
    if let Some(i) = TENS.iter().position(|t| *t == w) {
        return Some(20 + 10 * i as u64);
    }
    let (tens, unit) = w.split_once(['-', '‑'])?;
    let t = TENS.iter().position(|x| *x == tens)?;
    let u = UNITS[1..10].iter().position(|x| *x == unit)?;
    Some(20 + 10 * t as u64 + u as u64 + 1)
}

/// Reads a number (digits or words) starting at token `i`: its value and the index after it.
pub fn number_at(tokens: &[Token<'_>], i: usize) -> Option<(u64, usize)> {
    let t = tokens.get(i)?;
    if t.kind == TokenKind::Number {
        if t.text.contains('.') {
            return None;
        }
        let digits: String = t.text.chars().filter(char::is_ascii_digit).collect();
        let mut value: u64 = digits.parse().ok()?;
        let mut end = i + 1;
        if let Some(scale) = tokens.get(end).and_then(|n| scale_of(&n.lower())) {
            value = value.checked_mul(scale)?;
            end += 1;
        }
        return Some((value, end));
    }
    word_number_at(tokens, i)
}

fn scale_of(w: &str) -> Option<u64> {
    match w {
        "thousand" => Some(1_000),
        "million" => Some(1_000_000),
        _ => None,
    }
}

fn word_number_at(tokens: &[Token<'_>], i: usize) -> Option<(u64, usize)> {
    let first = tokens.get(i)?.lower();
    if first == "a" || first == "one" {
        let next = tokens.get(i + 1).map(|t| t.lower());
        match next.as_deref() {
            Some("dozen") => return Some((12, i + 2)),
            Some("hundred") => return Some((100, i + 2)),
            Some("thousand") => return Some((1000, i + 2)),
            _ if first == "a" => return None,
            _ => {}
        }
    }
    if first == "dozen" {
        return Some((12, i + 1));
    }
    let (mut total, mut current, mut end, mut seen) = (0u64, 0u64, i, false);
    while let Some(t) = tokens.get(end) {
        let w = t.lower();
        if let Some(v) = unit_value(&w) {
            current = current.saturating_add(v);
        } else if w == "hundred" && seen {
            current = current.saturating_mul(100);
        } else if let Some(scale) = scale_of(&w).filter(|_| seen) {
            total = total.saturating_add(current.saturating_mul(scale));
            current = 0;
        } else if w == "and" && seen && tokens.get(end + 1).is_some_and(|n| unit_value(&n.lower()).is_some()) {
            // "two hundred and fifty"
        } else {
            break;
        }
        seen = true;
        end += 1;
    }
    seen.then_some((total.saturating_add(current), end))
}

fn qualifier_at(tokens: &[Token<'_>], i: usize) -> Option<(&'static str, usize)> {
    QUALIFIERS.iter().find_map(|(words, q)| {
        let matches = words.iter().enumerate().all(|(k, w)| tokens.get(i + k).is_some_and(|t| t.is(w)));
        matches.then_some((*q, i + words.len()))
    })
}

/// Whether a count phrase can start with this token (a cheap first check).
fn may_start_count(t: &Token<'_>) -> bool {
    if t.kind == TokenKind::Number {
        return true;
    }
    if t.kind != TokenKind::Word {
        return false;
    }
    let w = t.lower();
    let w = w.as_ref();
    QUALIFIERS.iter().any(|(words, _)| words[0] == w)
        || VAGUE.contains(&w)
        || unit_value(w).is_some()
        || matches!(w, "a" | "dozen" | "between")
}

/// Reads a count phrase (qualifier, then a number or a vague quantity) starting at token `i`.
pub fn count_at(tokens: &[Token<'_>], i: usize) -> Option<CountPhrase> {
    if !may_start_count(tokens.get(i)?) {
        return None;
    }
    let (qualifier, j) = qualifier_at(tokens, i).unwrap_or(("exact", i));
    if let Some(t) = tokens.get(j) {
        let w = t.lower();
        // "how many died", "so many were killed": a question or an exclamation, not a count.
        let asks = j > 0 && (tokens[j - 1].is("how") || tokens[j - 1].is("so"));
        if VAGUE.contains(&w.as_ref()) && !(asks && w == "many") {
            return Some(CountPhrase { first: i, end: j + 1, min: None, max: None, qualifier: format!("vague:{w}") });
        }
        if w == "a"
            && tokens.get(j + 1).is_some_and(|n| n.is("number"))
            && tokens.get(j + 2).is_some_and(|n| n.is("of"))
        {
            return Some(CountPhrase { first: i, end: j + 2, min: None, max: None, qualifier: "vague".into() });
        }
    }
    // "between 30 and 40": a range.
    if tokens.get(j).is_some_and(|t| t.is("between")) {
        let (low, mid) = number_at(tokens, j + 1)?;
        if !tokens.get(mid).is_some_and(|t| t.is("and")) {
            return None;
        }
        let (high, end) = number_at(tokens, mid + 1)?;
        if looks_like_a_year_or_measure(tokens, mid + 1, end, high) || low > high {
            return None;
        }
        return Some(CountPhrase { first: i, end, min: Some(low), max: Some(high), qualifier: "between".into() });
    }
    let (n, end) = number_at(tokens, j)?;
    if looks_like_a_year_or_measure(tokens, j, end, n) {
        return None;
    }
    let a_dozen = tokens.get(j).is_some_and(|t| t.is("a")) && tokens.get(j + 1).is_some_and(|t| t.is("dozen"));
    let qualifier = if a_dozen && qualifier == "exact" { "about" } else { qualifier };
    let (min, max) = match qualifier {
        "at least" => (Some(n), None),
        "more than" => (Some(n.saturating_add(1)), None),
        "up to" => (None, Some(n)),
        "less than" => (None, Some(n.saturating_sub(1))),
        "nearly" => (None, Some(n)),
        _ => (Some(n), Some(n)),
    };
    Some(CountPhrase { first: i, end, min, max, qualifier: qualifier.to_string() })
}

fn looks_like_a_year_or_measure(tokens: &[Token<'_>], start: usize, end: usize, n: u64) -> bool {
    let next = tokens.get(end).map(|t| t.lower()).unwrap_or_default();
    let after_next = tokens.get(end + 1).map(|t| t.kind);
    let is_year =
        tokens[start].kind == TokenKind::Number && tokens[start].text.len() == 4 && (1900..=2100).contains(&n);
    let measure = matches!(
        next.as_ref(),
        "%" | "percent"
            | "per"
            | "km"
            | "kilometres"
            | "kilometers"
            | "miles"
            | "metres"
            | "meters"
            | "years"
            | "year"
            | "days"
            | "day"
            | "hours"
            | "hour"
            | "minutes"
            | "weeks"
            | "months"
            | "am"
            | "pm"
            | "a.m"
            | "p.m"
    );
    let time = next == ":" && after_next == Some(TokenKind::Number);
    is_year || measure || time
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokenize;

    fn check(text: &str, want: Option<(Option<u64>, Option<u64>, &str)>) {
        let toks = tokenize(text, 0);
        let got = count_at(&toks, 0).map(|c| (c.min, c.max, c.qualifier));
        assert_eq!(got, want.map(|(a, b, q)| (a, b, q.to_string())), "{text}");
    }

    #[test]
    fn counts_with_qualifiers() {
        check("36 residents", Some((Some(36), Some(36), "exact")));
        check("at least seven Iranians", Some((Some(7), None, "at least")));
        check("more than 300", Some((Some(301), None, "more than")));
        check("over 100 injured", Some((Some(101), None, "more than")));
        check("up to 400 injured", Some((None, Some(400), "up to")));
        check("About 40 members", Some((Some(40), Some(40), "about")));
        check("nearly 3,400 members", Some((None, Some(3400), "nearly")));
        check("thirty-six people", Some((Some(36), Some(36), "exact")));
        check("two hundred and fifty", Some((Some(250), Some(250), "exact")));
        check("a dozen had been killed", Some((Some(12), Some(12), "about")));
        check("Hundreds were wounded", Some((None, None, "vague:hundreds")));
        check("a number of deaths", Some((None, None, "vague")));
        check("1.5 million", None);
        check("3 million people", Some((Some(3_000_000), Some(3_000_000), "exact")));
        check("more than 18446744073709551615", Some((Some(u64::MAX), None, "more than")));
        check("99999999999999999999 dead", None);
        check("between 30 and 40 villagers", Some((Some(30), Some(40), "between")));
        check("between forty and 30", None);
        check("under 20 people", Some((None, Some(19), "less than")));
        check("just over 60", Some((Some(61), None, "more than")));
        check("close to 90 people", Some((None, Some(90), "nearly")));
        // A question or an exclamation is no count.
        for text in ["how many died", "so many were killed"] {
            assert!(count_at(&tokenize(text, 0), 1).is_none(), "{text}");
        }
        assert!(count_at(&tokenize("that many died", 0), 1).is_some());
    }

    #[test]
    fn years_times_and_measures_are_not_counts() {
        check("2011 was bad", None);
        check("95% of resources", None);
        check("4:45 am", None);
        check("three weeks", None);
        check("the raid", None);
    }
}
