//! Commitments ("pledged to", "provided written guarantees"), calls for
//! action ("called for an investigation", "demanded a probe"), individual
//! cases ("has been abducted", "held for over three weeks") and cited
//! sources ("in a book entitled …", "testified in a hearing").

use dossier_model::Span;

use crate::text::{Token, TokenKind};

/// What kind of statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatementKind {
    /// A pledge.
    Commitment,
    /// A demand for action.
    Call,
    /// An individual's detention, abduction or disappearance.
    Case,
    /// A source the text cites.
    CitedSource,
}

/// A statement found in a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementMention {
    /// Kind.
    pub kind: StatementKind,
    /// The words that make it one ("pledging to respect …", "demanded a probe").
    pub span: Span,
    /// Who (the subject before the trigger), when stated.
    pub by: Option<Span>,
    /// To whom (commitments) or the person (cases), when stated.
    pub to: Option<Span>,
    /// What: the pledge, the demand, the situation, the title.
    pub content: Option<Span>,
    /// A duration as stated ("over three weeks"), for cases.
    pub duration: Option<Span>,
    /// `book`, `testimony`, `report` for cited sources; the case's event otherwise.
    pub detail: Option<String>,
}

const PLEDGES: [&str; 12] = [
    "pledged",
    "pledging",
    "pledges",
    "promised",
    "promising",
    "vowed",
    "guaranteed",
    "guarantees",
    "guarantee",
    "undertook",
    "assured",
    "committed",
];
const CALLS: [&str; 10] =
    ["called", "calls", "urged", "urges", "demanded", "demands", "appealed", "requested", "necessity", "insisted"];
const CASE_EVENTS: [&str; 6] = ["abducted", "detained", "arrested", "kidnapped", "disappeared", "imprisoned"];
const STOPS: [&str; 2] = [".", ";"];

fn span(tokens: &[Token<'_>], a: usize, b: usize) -> Span {
    Span::new(tokens[a].span.start, tokens[b - 1].span.end)
}

fn until_punct(tokens: &[Token<'_>], start: usize, limit: usize, stop_at_comma: bool) -> usize {
    let mut end = start;
    while end < tokens.len() && end - start < limit {
        let t = tokens[end].text;
        if STOPS.contains(&t) || stop_at_comma && t == "," {
            break;
        }
        end += 1;
    }
    end
}

fn subject_before(tokens: &[Token<'_>], end: usize) -> Option<Span> {
    const OPENERS: [&str; 8] = ["that", "and", "but", "while", "when", "which", "who", "whereas"];
    const AUX: [&str; 7] = ["had", "has", "have", "was", "were", "also", "then"];
    let mut end = end;
    while end > 0 && (AUX.iter().any(|w| tokens[end - 1].is(w)) || tokens[end - 1].lower().ends_with("ly")) {
        end -= 1;
    }
    let mut start = end;
    while start > 0 && end - start < 16 {
        let t = &tokens[start - 1];
        if t.kind == TokenKind::Punct || OPENERS.iter().any(|w| t.is(w)) {
            break;
        }
        start -= 1;
    }
    // The subject of a clause, not a time or a preposition phrase.
    while start < end && ["following", "after", "before", "concurrently", "however"].iter().any(|w| tokens[start].is(w))
    {
        start += 1;
        while start < end && tokens[start].text.starts_with(char::is_lowercase) && !tokens[start].is("the") {
            start += 1;
        }
    }
    (start < end).then(|| span(tokens, start, end))
}

/// Words that say a pledge was broken, or kept.
const BREACHED: [&str; 9] =
    ["dishonored", "dishonoured", "broken", "broke", "violated", "breached", "reneged", "betrayed", "ignored"];
const KEPT: [&str; 5] = ["honored", "honoured", "kept", "fulfilled", "respected"];

/// What the sentence says of a pledge's fate: `breached`, `kept`, or nothing.
fn pledge_status(tokens: &[Token<'_>]) -> Option<String> {
    let negated = |i: usize| i > 0 && (tokens[i - 1].is("not") || tokens[i - 1].is("never") || tokens[i - 1].is("n't"));
    let said = |words: &[&str]| tokens.iter().enumerate().find(|(_, t)| words.iter().any(|w| t.is(w))).map(|(i, _)| i);
    if let Some(i) = said(&BREACHED) {
        return Some(if negated(i) { "kept" } else { "breached" }.into());
    }
    // "pledging to respect" states the pledge; "have been honoured" / "was kept" reports its fate.
    let reported = |i: usize| i > 0 && ["been", "was", "were", "is", "are"].iter().any(|w| tokens[i - 1].is(w));
    let i = said(&KEPT).filter(|&i| reported(i) || negated(i))?;
    Some(if negated(i) { "breached" } else { "kept" }.into())
}

/// Commitments, calls, cases and cited sources in one sentence's tokens.
pub fn find_statements(tokens: &[Token<'_>]) -> Vec<StatementMention> {
    let mut out = Vec::new();
    let mut used_case = false;
    for i in 0..tokens.len() {
        let t = &tokens[i];
        if t.kind != TokenKind::Word || !t.text.starts_with(char::is_lowercase) {
            continue;
        }
        if PLEDGES.iter().any(|w| t.is(w))
            && !out.iter().any(|m: &StatementMention| m.kind == StatementKind::Commitment)
        {
            // "had provided signed written assurances to the Velan government … pledging to uphold …"
            let end = until_punct(tokens, i + 1, 25, true);
            let to =
                (i + 1..end).find(|&k| tokens[k].is("to") && tokens.get(k + 1).is_some_and(|n| n.is("the"))).map(|k| {
                    span(tokens, k + 1, until_stop(tokens, k + 1, &["in", "on", "pledging", "that", "to"]).max(k + 2))
                });
            let subject_end = (0..i)
                .rev()
                .find(|&k| ["provided", "gave", "made", "signed", "issued"].iter().any(|w| tokens[k].is(w)))
                .unwrap_or(i);
            out.push(StatementMention {
                kind: StatementKind::Commitment,
                span: span(tokens, i, end.max(i + 1)),
                by: subject_before(tokens, subject_end),
                to,
                content: (i + 1 < end).then(|| span(tokens, i + 1, end)),
                duration: None,
                detail: pledge_status(tokens),
            });
            continue;
        }
        let call_for = t.is("called") || t.is("calls") || t.is("appealed");
        let is_call = CALLS.iter().any(|w| t.is(w))
            && (!call_for || tokens.get(i + 1).is_some_and(|n| n.is("for") || n.is("on")))
            && (!t.is("necessity") || tokens.get(i + 1).is_some_and(|n| n.is("to") || n.is("of")));
        if is_call && !out.iter().any(|m: &StatementMention| m.kind == StatementKind::Call && m.span.end > t.span.start)
        {
            let mut subject_end = i;
            if t.is("necessity") {
                // "insisted on the necessity to …": the subject precedes the verb.
                subject_end = (0..i).rev().find(|&k| tokens[k].lower().ends_with("ed")).unwrap_or(i);
            }
            let start = if call_for { i + 2 } else { i + 1 };
            let end = until_punct(tokens, start, 25, false);
            out.push(StatementMention {
                kind: StatementKind::Call,
                span: span(tokens, subject_end.min(i), end.max(i + 1)),
                by: subject_before(tokens, subject_end),
                to: None,
                content: (start < end).then(|| span(tokens, start, end)),
                duration: None,
                detail: None,
            });
            continue;
        }
        if !used_case
            && CASE_EVENTS.iter().any(|w| t.is(w))
            && i >= 2
            && tokens[i - 1].is("been")
            && (tokens[i - 2].is("has") || tokens[i - 2].is("had"))
        {
            // "Mr. Tomas Ilvane, has been abducted"
            let person = named_person_before(tokens, i - 2);
            if let Some(p) = person {
                used_case = true;
                out.push(StatementMention {
                    kind: StatementKind::Case,
                    span: Span::new(p.start, t.span.end),
                    by: None,
                    to: Some(p),
                    content: None,
                    duration: None,
                    detail: Some(t.lower().into_owned()),
                });
            }
            continue;
        }
        if (t.is("book") || t.is("report") || t.is("testified") || t.is("testimony"))
            && !out.iter().any(|m: &StatementMention| m.kind == StatementKind::CitedSource)
        {
            let kind = if t.is("book") {
                "book"
            } else if t.is("report") {
                "report"
            } else {
                "testimony"
            };
            let title = quoted_after(tokens, i);
            let venue = (kind == "testimony")
                .then(|| {
                    let start = (i + 1..tokens.len().min(i + 4))
                        .find(|&k| tokens[k].is("in") || tokens[k].is("before"))
                        .map(|k| k + 1)?;
                    let end = until_stop(tokens, start, &["that", "on", "about"]);
                    (start < end).then(|| span(tokens, start, end))
                })
                .flatten();
            if title.is_some() || venue.is_some() {
                out.push(StatementMention {
                    kind: StatementKind::CitedSource,
                    span: title.or(venue).unwrap_or(t.span),
                    by: None,
                    to: None,
                    content: title.or(venue),
                    duration: None,
                    detail: Some(kind.to_string()),
                });
            }
        }
    }
    out
}

/// Where a case's duration is stated in the sentence: "for over three weeks", "for 23 days".
pub fn duration_in(tokens: &[Token<'_>]) -> Option<Span> {
    const UNITS: [&str; 8] = ["days", "weeks", "months", "years", "day", "week", "month", "year"];
    let unit = tokens.iter().position(|t| UNITS.iter().any(|u| t.is(u)))?;
    let mut start = unit;
    while start > 0
        && unit - start < 4
        && tokens[start - 1].kind != TokenKind::Punct
        && !tokens[start - 1].is("for")
        && !tokens[start - 1].is("been")
    {
        start -= 1;
    }
    (start < unit).then(|| span(tokens, start, unit + 1))
}

fn until_stop(tokens: &[Token<'_>], start: usize, stops: &[&str]) -> usize {
    let mut end = start;
    while end < tokens.len()
        && end - start < 10
        && tokens[end].kind != TokenKind::Punct
        && !stops.iter().any(|w| tokens[end].is(w))
    {
        end += 1;
    }
    end
}

fn quoted_after(tokens: &[Token<'_>], from: usize) -> Option<Span> {
    let open = (from..tokens.len().min(from + 25)).find(|&k| matches!(tokens[k].text, "“" | "\""))?;
    let close = (open + 1..tokens.len().min(open + 25)).find(|&k| matches!(tokens[k].text, "”" | "\""))?;
    (open + 1 < close).then(|| span(tokens, open + 1, close))
}

/// A person's name before position `end`: an optional title and two or more capitalised words.
fn named_person_before(tokens: &[Token<'_>], end: usize) -> Option<Span> {
    let mut end = end;
    if end > 0 && tokens[end - 1].text == "," {
        end -= 1;
    }
    let mut start = end;
    while start > 0
        && tokens[start - 1].kind == TokenKind::Word
        && tokens[start - 1].text.starts_with(char::is_uppercase)
    {
        start -= 1;
    }
    // "Mr." is split into "Mr" and "."
    if start >= 2 && tokens[start - 1].text == "." && ["mr", "mrs", "ms", "dr"].iter().any(|w| tokens[start - 2].is(w))
    {
        start -= 2;
    }
    let capitalised = tokens[start..end].iter().filter(|t| t.text.starts_with(char::is_uppercase)).count();
    (capitalised >= 2).then(|| span(tokens, start, end))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokenize;

    fn kinds_and_texts(sentence: &str) -> Vec<(StatementKind, String, Option<String>, Option<String>)> {
        let toks = tokenize(sentence, 0);
        let s = |x: Option<Span>| x.map(|x| sentence[x.start..x.end].to_string());
        find_statements(&toks)
            .into_iter()
            .map(|m| (m.kind, sentence[m.span.start..m.span.end].to_string(), s(m.by), s(m.to)))
            .collect()
    }

    #[test]
    fn commitments() {
        let got = kinds_and_texts("The Kenyan ministry had provided formal guarantees to the UN refugee agency in March 2015 pledging to shield the detainees from harm.");
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].0, StatementKind::Commitment);
        assert_eq!(got[0].2.as_deref(), Some("The Kenyan ministry"));
        assert_eq!(got[0].3.as_deref(), Some("the UN refugee agency"));
    }

    #[test]
    fn calls() {
        let got = kinds_and_texts(
            "Concurrently, Mara Lindgren, then head of the panel demanded an inquiry into the shooting.",
        );
        assert_eq!(got[0].0, StatementKind::Call);
        assert_eq!(got[0].2.as_deref(), Some("then head of the panel"));
        let got = kinds_and_texts("Following this brutal shooting the Regional Ombudsman for Detainees stressed on the necessity to open a public inquiry.");
        assert_eq!(got[0].0, StatementKind::Call);
        assert_eq!(got[0].2.as_deref(), Some("the Regional Ombudsman for Detainees"));
    }

    #[test]
    fn cases_and_durations() {
        let s = "As of today a teacher from the village, Mr. Orin Halvek, has been detained without charge.";
        let got = kinds_and_texts(s);
        assert_eq!(got[0].0, StatementKind::Case);
        assert_eq!(got[0].3.as_deref(), Some("Mr. Orin Halvek"));
        let s2 = "By now it has been nearly five months since her arrest in the capital.";
        let toks = tokenize(s2, 0);
        let d = duration_in(&toks).unwrap();
        assert_eq!(&s2[d.start..d.end], "nearly five months");
    }

    #[test]
    fn what_a_sentence_says_of_a_pledge() {
        let status = |s: &str| pledge_status(&tokenize(s, 0));
        assert_eq!(
            status("The assurances given to the detainees have been entirely dishonored."),
            Some("breached".into())
        );
        assert_eq!(status("The ministry pledged to respect the prisoners' rights."), None);
        assert_eq!(status("The promises were kept, the UN said."), Some("kept".into()));
        assert_eq!(status("The guarantees were not honoured."), Some("breached".into()));
        assert_eq!(status("The guarantees were never violated, officials said."), Some("kept".into()));
    }

    #[test]
    fn cited_sources() {
        let got = kinds_and_texts(
            "In a book written by Lena Ostrova entitled, “The Silent Years of Kerena” she revealed it.",
        );
        assert_eq!(got[0].0, StatementKind::CitedSource);
        assert_eq!(got[0].1, "The Silent Years of Kerena");
        let got = kinds_and_texts(
            "Ms. Ostrova later testified in a Senate budget committee hearing that funds had vanished.",
        );
        assert_eq!(got[0].1, "a Senate budget committee hearing");
    }
}
