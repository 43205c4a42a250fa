//! Times of day: "4:45 am", "5:30am", "at dawn", "early morning", "overnight".

use dossier_model::Span;

use crate::text::{Token, TokenKind};

/// A time of day found in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeMention {
    /// The words stating it.
    pub span: Span,
    /// Hour (0–23) and minute, when given on the clock.
    pub clock: Option<(u8, u8)>,
    /// Part of the day, when given in words (`early morning`, `dawn`, `night`…).
    pub part: Option<&'static str>,
}

const PARTS: [(&[&str], &str); 9] = [
    (&["early", "morning"], "early morning"),
    (&["dawn"], "dawn"),
    (&["daybreak"], "dawn"),
    (&["overnight"], "night"),
    (&["midnight"], "midnight"),
    (&["noon"], "noon"),
    (&["morning"], "morning"),
    (&["afternoon"], "afternoon"),
    (&["evening"], "evening"),
];

/// "am", "pm", "a.m", "p.m" at token `i`: afternoon or not, and how many tokens.
fn meridiem(tokens: &[Token<'_>], i: usize) -> Option<(bool, usize)> {
    let w = tokens.get(i)?.lower();
    match w.as_ref() {
        "am" => return Some((false, 1)),
        "pm" => return Some((true, 1)),
        _ => {}
    }
    let dotted = tokens.get(i + 1).is_some_and(|t| t.text == ".") && tokens.get(i + 2).is_some_and(|t| t.is("m"));
    match w.as_ref() {
        "a" if dotted => Some((false, 3)),
        "p" if dotted => Some((true, 3)),
        _ => None,
    }
}

/// Clock times and parts of the day in a sentence's tokens.
pub fn find_times(tokens: &[Token<'_>]) -> Vec<TimeMention> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        // "4:45 am", "16:30"
        if t.kind == TokenKind::Number && tokens.get(i + 1).is_some_and(|c| c.text == ":") {
            if let (Ok(h), Some(m)) =
                (t.text.parse::<u8>(), tokens.get(i + 2).and_then(|m| m.text.get(..2)?.parse::<u8>().ok()))
            {
                let m_tok = &tokens[i + 2];
                let suffix = m_tok.text.get(2..).unwrap_or("").to_ascii_lowercase();
                let (pm, end) = match meridiem(tokens, i + 3) {
                    Some((pm, len)) => (Some(pm), i + 3 + len),
                    None if suffix == "am" => (Some(false), i + 3),
                    None if suffix == "pm" => (Some(true), i + 3),
                    None => (None, i + 3),
                };
                let hour = match pm {
                    Some(true) if h < 12 => h + 12,
                    Some(false) if h == 12 => 0,
                    _ => h,
                };
                if h <= 23 && m <= 59 && (pm.is_some() || m_tok.text.len() == 2) {
                    out.push(TimeMention {
                        span: Span::new(t.span.start, tokens[end - 1].span.end),
                        clock: Some((hour, m)),
                        part: None,
                    });
                    i = end;
                    continue;
                }
            }
        }
        if let Some((words, part)) =
            PARTS.iter().find(|(ws, _)| ws.iter().enumerate().all(|(k, w)| tokens.get(i + k).is_some_and(|x| x.is(w))))
        {
            out.push(TimeMention {
                span: Span::new(t.span.start, tokens[i + words.len() - 1].span.end),
                clock: None,
                part: Some(part),
            });
            i += words.len();
            continue;
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokenize;

    /// The words, the clock time and the part of the day.
    type Found<'a> = (&'a str, Option<(u8, u8)>, Option<&'a str>);

    fn check(s: &str, want: &[Found<'_>]) {
        let toks = tokenize(s, 0);
        let got: Vec<Found<'_>> =
            find_times(&toks).iter().map(|m| (&s[m.span.start..m.span.end], m.clock, m.part)).collect();
        assert_eq!(got, want.to_vec(), "{s}");
    }

    #[test]
    fn clock_times_and_parts_of_the_day() {
        check("The shelling started at 2:10 am near the depot.", &[("2:10 am", Some((2, 10)), None)]);
        check("At 6:05am about a dozen shells fell.", &[("6:05am", Some((6, 5)), None)]);
        check("at 9:15 p.m. on Friday", &[("9:15 p.m", Some((21, 15)), None)]);
        check("during the early morning hours on March 3rd", &[("early morning", None, Some("early morning"))]);
        check("soldiers raided the camp at dawn", &[("dawn", None, Some("dawn"))]);
        check("95% of 3:1 ratios", &[]);
    }
}
