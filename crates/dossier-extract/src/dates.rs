//! Date mentions: absolute, partial, ranges and relative expressions,
//! resolved against the publication date when one is known.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use dossier_model::{DateValue, Precision, Span};

use crate::text::{Token, TokenKind};

/// A date found in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateMention {
    /// The words that state it.
    pub span: Span,
    /// The resolved value.
    pub value: DateValue,
    /// Whether it needed the publication date to resolve ("on Tuesday", "July 28").
    pub relative: bool,
}

/// Whether a capitalised word names a month or a day of the week.
pub fn is_calendar_word(w: &str) -> bool {
    month_of(w).is_some() || weekday_of(&w.to_lowercase()).is_some()
}

fn month_of(w: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let w = w.to_lowercase();
    let w = w.trim_end_matches('.');
    if let Some(i) = MONTHS.iter().position(|m| *m == w) {
        return Some(i as u32 + 1);
    }
    if w == "sept" {
        return Some(9);
    }
    // Abbreviations, but not "may"/"mar" as ordinary words unless capitalised (checked by the caller).
    (w.len() == 3).then(|| MONTHS.iter().position(|m| m.starts_with(w)).map(|i| i as u32 + 1)).flatten()
}

fn is_month(t: &Token<'_>) -> Option<u32> {
    let capitalised = t.text.starts_with(|c: char| c.is_uppercase());
    (t.kind == TokenKind::Word && capitalised).then(|| month_of(t.text)).flatten()
}

fn day_of(t: &Token<'_>) -> Option<u32> {
    let digits = t.text.trim_end_matches(|c: char| c.is_alphabetic());
    let suffix = &t.text[digits.len()..];
    let ok_suffix = matches!(suffix.to_lowercase().as_str(), "" | "st" | "nd" | "rd" | "th");
    let d: u32 = digits.parse().ok().filter(|_| ok_suffix && !digits.is_empty() && digits.len() <= 2)?;
    (1..=31).contains(&d).then_some(d)
}

fn year_of(t: &Token<'_>) -> Option<i32> {
    let y: i32 = (t.kind == TokenKind::Number && t.text.len() == 4).then(|| t.text.parse().ok()).flatten()?;
    (1900..=2100).contains(&y).then_some(y)
}

fn day_range_of(t: &Token<'_>) -> Option<(u32, u32)> {
    let (a, b) = t.text.split_once(['-', '‑'])?;
    let a: u32 = a.parse().ok()?;
    let b: u32 = b.parse().ok()?;
    ((1..=31).contains(&a) && (1..=31).contains(&b) && a < b).then_some((a, b))
}

fn is_dash(t: Option<&Token<'_>>) -> bool {
    t.is_some_and(|t| matches!(t.text, "-" | "–" | "—" | "‑") || t.is("to") || t.is("and"))
}

struct Scan<'t, 'a> {
    tokens: &'t [Token<'a>],
    published: Option<NaiveDate>,
    /// What a day and month without a year are read against when the
    /// publication date is unknown (the latest date the text states in full).
    year_reference: Option<NaiveDate>,
}

impl Scan<'_, '_> {
    fn tok(&self, i: usize) -> Option<&Token<'_>> {
        self.tokens.get(i)
    }

    fn span(&self, first: usize, end: usize) -> Span {
        Span::new(self.tokens[first].span.start, self.tokens[end - 1].span.end)
    }

    /// An optional ", YYYY" or " YYYY" at `i`: the year and the index after it.
    fn year_after(&self, i: usize) -> Option<(i32, usize)> {
        if let Some(y) = self.tok(i).and_then(year_of) {
            return Some((y, i + 1));
        }
        if self.tok(i).is_some_and(|t| t.text == ",") {
            return self.tok(i + 1).and_then(year_of).map(|y| (y, i + 2));
        }
        None
    }

    /// Year for a day and month stated without one: the latest such date not
    /// after publication (or, unpublished, after the year reference).
    fn infer_year(&self, month: u32, day: u32) -> Option<i32> {
        let p = self.published.or(self.year_reference)?;
        let this_year = NaiveDate::from_ymd_opt(p.year(), month, day)?;
        Some(if this_year > p { p.year() - 1 } else { p.year() })
    }

    fn mention(
        &self,
        first: usize,
        end: usize,
        start: NaiveDate,
        last: NaiveDate,
        precision: Precision,
        relative: bool,
    ) -> (DateMention, usize) {
        (DateMention { span: self.span(first, end), value: DateValue { start, end: last, precision }, relative }, end)
    }

    fn at(&self, i: usize) -> Option<(DateMention, usize)> {
        let t = self.tok(i)?;
        if let Some(m) = self.iso(i) {
            return Some(m);
        }
        if let Some(month) = is_month(t) {
            return self.month_first(i, month);
        }
        if let Some(m) = self.day_first(i) {
            return Some(m);
        }
        self.relative(i)
    }

    fn iso(&self, i: usize) -> Option<(DateMention, usize)> {
        let t = self.tok(i)?;
        let b = t.text.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let d = NaiveDate::parse_from_str(t.text, "%Y-%m-%d").ok()?;
        Some(self.mention(i, i + 1, d, d, Precision::Day, false))
    }

    /// Days `a` to `b` of `month`, the year read from token `j` on (or
    /// inferred from publication); the mention runs from token `i`.
    fn days_of_month(&self, i: usize, j: usize, month: u32, a: u32, b: u32) -> Option<(DateMention, usize)> {
        let (year, end, relative) = match self.year_after(j) {
            Some((y, e)) => (y, e, false),
            None => (self.infer_year(month, a)?, j, true),
        };
        let start = NaiveDate::from_ymd_opt(year, month, a)?;
        let last = NaiveDate::from_ymd_opt(year, month, b)?;
        if last < start {
            return None;
        }
        let precision = if a == b { Precision::Day } else { Precision::Range };
        Some(self.mention(i, end, start, last, precision, relative))
    }

    /// "April 8th, 2011", "July 28", "Month 28-29, 2009", "December 2008".
    fn month_first(&self, i: usize, month: u32) -> Option<(DateMention, usize)> {
        // "Nov. 2022", "Sept. 3": the abbreviation's full stop.
        let abbreviated = self.tok(i).is_some_and(|t| t.text.len() <= 4);
        let j = if abbreviated && self.tok(i + 1).is_some_and(|t| t.text == ".") { i + 2 } else { i + 1 };
        if let Some((a, b)) = self.tok(j).and_then(day_range_of) {
            return self.days_of_month(i, j + 1, month, a, b);
        }
        if let Some(day) = self.tok(j).and_then(day_of) {
            let last_day =
                is_dash(self.tok(j + 1)).then(|| self.tok(j + 2).and_then(day_of)).flatten().filter(|b| *b > day);
            return match last_day {
                Some(b) => self.days_of_month(i, j + 3, month, day, b),
                None => self.days_of_month(i, j + 1, month, day, day),
            };
        }
        // "last March", "in March": the latest such month not after publication.
        let (year, end, relative) = match self.year_after(j) {
            Some((y, e)) => (y, e, false),
            None => {
                let prev = i.checked_sub(1).and_then(|p| self.tok(p))?;
                let full_name = self.tok(i).is_some_and(|t| t.text.len() > 3);
                if !(full_name && (prev.is("last") || prev.is("in") || prev.is("since"))) {
                    return None;
                }
                let reference = self.published.or(self.year_reference)?;
                let year = if month > reference.month() || prev.is("last") && month == reference.month() {
                    reference.year() - 1
                } else {
                    reference.year()
                };
                (year, i + 1, true)
            }
        };
        let first = if relative && i > 0 && self.tok(i - 1).is_some_and(|p| p.is("last")) { i - 1 } else { i };
        let start = NaiveDate::from_ymd_opt(year, month, 1)?;
        let next = if month == 12 {
            NaiveDate::from_ymd_opt(year + 1, 1, 1)?
        } else {
            NaiveDate::from_ymd_opt(year, month + 1, 1)?
        };
        Some(self.mention(first, end, start, next - Duration::days(1), Precision::Month, relative))
    }

    /// "8 April 2011", "28–29 July 2009", "28 July".
    fn day_first(&self, i: usize) -> Option<(DateMention, usize)> {
        let t = self.tok(i)?;
        let (a, b, mut j) = if let Some((a, b)) = day_range_of(t) {
            (a, b, i + 1)
        } else {
            let a = day_of(t)?;
            match is_dash(self.tok(i + 1)).then(|| self.tok(i + 2).and_then(day_of)).flatten() {
                Some(b) => (a, b, i + 3),
                None => (a, a, i + 1),
            }
        };
        if self.tok(j).is_some_and(|t| t.is("of")) {
            j += 1;
        }
        let month = self.tok(j).and_then(is_month)?;
        self.days_of_month(i, j + 1, month, a, b)
    }

    /// "yesterday", "today", "on Tuesday", "last Friday", "in 2012".
    fn relative(&self, i: usize) -> Option<(DateMention, usize)> {
        let t = self.tok(i)?;
        let w = t.lower();
        if let Some(y) = year_of(t) {
            let prev = i.checked_sub(1).and_then(|p| self.tok(p)).map(|p| p.lower()).unwrap_or_default();
            if matches!(prev.as_ref(), "in" | "during" | "since" | "until" | "of" | "throughout") {
                let start = NaiveDate::from_ymd_opt(y, 1, 1)?;
                let last = NaiveDate::from_ymd_opt(y, 12, 31)?;
                return Some(self.mention(i, i + 1, start, last, Precision::Year, false));
            }
            return None;
        }
        let p = self.published?;
        let next = self.tok(i + 1).map(|t| t.lower()).unwrap_or_default();
        let back = match (w.as_ref(), next.as_ref()) {
            ("today" | "tonight", _) => Some((0, 1)),
            ("yesterday", _) => Some((1, 1)),
            ("this", "morning" | "afternoon" | "evening") => Some((0, 2)),
            ("last", "night") => Some((1, 2)),
            _ => None,
        };
        if let Some((days, len)) = back {
            let d = p - Duration::days(days);
            return Some(self.mention(i, i + len, d, d, Precision::Day, true));
        }
        if (w == "this" || w == "last") && next == "week" {
            let monday = p - Duration::days(p.weekday().num_days_from_monday() as i64);
            let (start, end) =
                if w == "this" { (monday, p) } else { (monday - Duration::days(7), monday - Duration::days(1)) };
            return Some(self.mention(i, i + 2, start, end, Precision::Range, true));
        }
        let w = w.strip_suffix("'s").unwrap_or(&w);
        let weekday: Weekday = weekday_of(w)?;
        if !t.text.starts_with(|c: char| c.is_uppercase()) {
            return None;
        }
        let first = match i.checked_sub(1).and_then(|p| self.tok(p)) {
            Some(prev) if prev.is("on") || prev.is("last") || prev.is("this") => i - 1,
            _ => i,
        };
        let back = (7 + p.weekday().num_days_from_monday() as i64 - weekday.num_days_from_monday() as i64) % 7;
        let d = p - Duration::days(back);
        Some(self.mention(first, i + 1, d, d, Precision::Day, true))
    }
}

fn weekday_of(w: &str) -> Option<Weekday> {
    Some(match w {
        "monday" => Weekday::Mon,
        "tuesday" => Weekday::Tue,
        "wednesday" => Weekday::Wed,
        "thursday" => Weekday::Thu,
        "friday" => Weekday::Fri,
        "saturday" => Weekday::Sat,
        "sunday" => Weekday::Sun,
        _ => return None,
    })
}

/// Every date mention in `tokens`, in order, without overlaps.
pub fn find_dates(tokens: &[Token<'_>], published: Option<NaiveDate>) -> Vec<DateMention> {
    find_dates_with(tokens, published, None)
}

/// [`find_dates`], reading a day and month without a year against
/// `year_reference` when the publication date is unknown.
pub fn find_dates_with(
    tokens: &[Token<'_>],
    published: Option<NaiveDate>,
    year_reference: Option<NaiveDate>,
) -> Vec<DateMention> {
    let scan = Scan { tokens, published, year_reference };
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        match scan.at(i) {
            Some((m, end)) => {
                out.push(m);
                i = end.max(i + 1);
            }
            None => i += 1,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokenize;

    fn check(text: &str, published: Option<&str>, want: &[(&str, &str, &str, &str)]) {
        let published = published.map(|p| NaiveDate::parse_from_str(p, "%Y-%m-%d").unwrap());
        let toks = tokenize(text, 0);
        let got: Vec<(String, String, String, String)> = find_dates(&toks, published)
            .into_iter()
            .map(|m| {
                (
                    text[m.span.start..m.span.end].to_string(),
                    m.value.start.to_string(),
                    m.value.end.to_string(),
                    m.value.precision.as_str().to_string(),
                )
            })
            .collect();
        let want: Vec<(String, String, String, String)> =
            want.iter().map(|(a, b, c, d)| (a.to_string(), b.to_string(), c.to_string(), d.to_string())).collect();
        assert_eq!(got, want, "{text}");
    }

    #[test]
    fn a_month_without_its_year_is_the_latest_before_publication() {
        check(
            "in the raid last March, 150 died",
            Some("2020-02-15"),
            &[("last March", "2019-03-01", "2019-03-31", "month")],
        );
        check("in January, 20 died", Some("2020-02-15"), &[("January", "2020-01-01", "2020-01-31", "month")]);
        check("last February", Some("2020-02-15"), &[("last February", "2019-02-01", "2019-02-28", "month")]);
        // Without a publication date, or after a word that does not date it, no date.
        check("in March, 150 died", None, &[]);
        check("the March of the Living", Some("2020-02-15"), &[]);
    }

    #[test]
    fn absolute_dates() {
        check(
            "in the early hours of March 3rd, 2014.",
            None,
            &[("March 3rd, 2014", "2014-03-03", "2014-03-03", "day")],
        );
        check(
            "On 3 March 2014 and 2014-03-04",
            None,
            &[("3 March 2014", "2014-03-03", "2014-03-03", "day"), ("2014-03-04", "2014-03-04", "2014-03-04", "day")],
        );
        check("in March 2015 pledging", None, &[("March 2015", "2015-03-01", "2015-03-31", "month")]);
        check("the families fled to in 2017, lies", None, &[("2017", "2017-01-01", "2017-12-31", "year")]);
        check("the 14–15 May 2016 raid", None, &[("14–15 May 2016", "2016-05-14", "2016-05-15", "range")]);
        check("on May 14-15, 2016", None, &[("May 14-15, 2016", "2016-05-14", "2016-05-15", "range")]);
        check(
            "between Nov. 2019 and Feb. 2020",
            None,
            &[("Nov. 2019", "2019-11-01", "2019-11-30", "month"), ("Feb. 2020", "2020-02-01", "2020-02-29", "month")],
        );
        check("on Sept. 3, 2018", None, &[("Sept. 3, 2018", "2018-09-03", "2018-09-03", "day")]);
    }

    #[test]
    fn relative_dates_need_the_publication_date() {
        check(
            "Syrian forces shelled the village on Tuesday.",
            Some("2016-05-19"),
            &[("on Tuesday", "2016-05-17", "2016-05-17", "day")],
        );
        check("Syrian forces shelled the village on Tuesday.", None, &[]);
        check("Police said yesterday", Some("2016-03-01"), &[("yesterday", "2016-02-29", "2016-02-29", "day")]);
        check("the raid on May 14", Some("2016-05-19"), &[("May 14", "2016-05-14", "2016-05-14", "day")]);
        check("since December 30", Some("2016-05-19"), &[("December 30", "2015-12-30", "2015-12-30", "day")]);
        check("in Saturday's attack", Some("2016-05-21"), &[("Saturday's", "2016-05-21", "2016-05-21", "day")]);
        check(
            "gunmen seized the depot this week",
            Some("2016-05-19"),
            &[("this week", "2016-05-16", "2016-05-19", "range")],
        );
        check(
            "the attack this morning and last night",
            Some("2016-05-21"),
            &[("this morning", "2016-05-21", "2016-05-21", "day"), ("last night", "2016-05-20", "2016-05-20", "day")],
        );
    }

    #[test]
    fn words_that_look_like_months_are_not_dates() {
        check("He may return in march 5 days later", None, &[]);
        check("Article 3 of the convention", None, &[]);
    }
}
