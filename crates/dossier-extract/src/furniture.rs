//! Page furniture and datelines: the parts of a report that say when and
//! where it was filed or posted, not when and where the event happened.
//!
//! - A date is furniture when a furniture word heads it ("date 2022-12-02",
//!   "Updated: 3 May 2019", "Published on …", "© 2021") or when it stands on a
//!   line of its own with nothing but a weekday, a time and punctuation
//!   ("Tuesday, March 26, 2019", "12:40 GMT | 3 May 2019").
//! - A dateline opens a paragraph: a place in capitals or title case, perhaps
//!   a date, perhaps an agency in brackets, then a dash or a colon
//!   ("KINSHASA (Reuters) -", "GENEVA —", "Jan. 29 (UPI) --"). Places and
//!   numbers inside it are the filing's, never the event's.
//!
//! Vocabulary in `data/furniture.txt`.

use std::sync::OnceLock;

use dossier_model::Span;

struct Words {
    heads: Vec<String>,
    agencies: Vec<&'static str>,
    line_words: Vec<&'static str>,
}

fn words() -> &'static Words {
    static WORDS: OnceLock<Words> = OnceLock::new();
    WORDS.get_or_init(|| {
        let mut s = crate::lexicon::sections(include_str!("../data/furniture.txt"));
        let mut take = |name: &str| s.remove(name).unwrap_or_default();
        Words {
            heads: take("date-heads").into_iter().map(str::to_lowercase).collect(),
            agencies: take("agencies"),
            line_words: take("line-words"),
        }
    })
}

/// The line of `body` that holds `span`.
fn line_of(body: &str, span: Span) -> Span {
    let start = body[..span.start].rfind('\n').map_or(0, |i| i + 1);
    let end = body[span.end..].find('\n').map_or(body.len(), |i| span.end + i);
    Span::new(start, end)
}

/// Whether the date at `span` is page furniture (module docs).
pub fn is_furniture_date(body: &str, span: Span) -> bool {
    let line = line_of(body, span);
    let before = body[line.start..span.start].trim_end_matches([' ', ':', '\t']).to_lowercase();
    let w = words();
    let headed = w.heads.iter().any(|h| {
        before.strip_suffix(h.as_str()).is_some_and(|rest| rest.is_empty() || rest.ends_with([' ', '|', '(', '\t']))
    });
    if headed {
        return true;
    }
    let rest = format!("{} {}", &body[line.start..span.start], &body[span.end..line.end]);
    rest.split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .all(|t| t.chars().all(|c| c.is_ascii_digit()) || w.line_words.iter().any(|x| x.eq_ignore_ascii_case(t)))
}

/// The datelines of `body`: for each paragraph or line that opens with one,
/// its span (up to and including the dash or colon).
pub fn datelines(body: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut at = 0;
    for line in body.split_inclusive('\n') {
        if let Some(len) = dateline_len(line) {
            let lead = line.len() - line.trim_start().len();
            out.push(Span::new(at + lead, at + lead + len));
        }
        at += line.len();
    }
    out
}

/// The length of the dateline `line` opens with (after leading spaces), if any.
fn dateline_len(line: &str) -> Option<usize> {
    let text = line.trim_start();
    // The dash or colon must come early, after a short head.
    let limit = text.char_indices().nth(60).map_or(text.len(), |(i, _)| i);
    let (head, dash) = [" -- ", " — ", " – ", " - ", "—", ": ", ".- "]
        .iter()
        .filter_map(|d| text[..limit].find(d).map(|i| (i, d.len())))
        .min()?;
    let head_text = &text[..head];
    let words: Vec<&str> = head_text.split_whitespace().collect();
    if words.is_empty() || words.len() > 8 {
        return None;
    }
    let w = self::words();
    let bracketed = head_text.contains('(') && head_text.trim_end().ends_with(')');
    let agency = bracketed && {
        let inside = &head_text[head_text.rfind('(')? + 1..head_text.trim_end().len() - 1];
        w.agencies.iter().any(|a| a.eq_ignore_ascii_case(inside.trim()))
    };
    // The place part: words before a comma or bracket.
    let place_part = head_text.split([',', '(']).next().unwrap_or("").trim();
    let place_words: Vec<&str> = place_part.split_whitespace().collect();
    let shouting = !place_words.is_empty()
        && place_words.iter().all(|w| w.chars().any(char::is_alphabetic) && !w.chars().any(char::is_lowercase));
    let opener = place_words.first().is_some_and(|w| {
        crate::dates::is_calendar_word(w) && !head_text.contains('(')
            || ["On", "In", "At", "By", "The", "A", "An", "For", "From"].contains(w)
    });
    let titled = !opener
        && !place_words.is_empty()
        && place_words.len() <= 4
        && place_words.iter().all(|w| w.starts_with(char::is_uppercase) || w.starts_with(char::is_numeric));
    let dated = head_text.contains(',') || crate::dates::is_calendar_word(place_words.first().unwrap_or(&""));
    // "Riverside, 6 August 2021 –": a place, a comma, then a date with a month.
    let place_then_date = head_text.split_once(',').is_some_and(|(_, rest)| {
        rest.contains(char::is_numeric) && rest.split(|c: char| !c.is_alphabetic()).any(crate::dates::is_calendar_word)
    });
    // "GENEVA —", "KINSHASA (Reuters) -", "Jan. 29 (UPI) --", "Paris, Aug 6 (AFP) -".
    let dateline =
        (shouting && place_words.len() <= 3) || (titled && (agency || dated && bracketed || place_then_date));
    (dateline && !head_text.ends_with('.')).then_some(head + dash)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn furniture(body: &str, date: &str) -> bool {
        let start = body.find(date).unwrap();
        is_furniture_date(body, Span::new(start, start + date.len()))
    }

    #[test]
    fn dates_of_posting_are_furniture_and_dates_in_prose_are_not() {
        assert!(furniture(" date 2021-03-04 Gunmen killed nine people on Monday.", "2021-03-04"));
        assert!(furniture("Updated: 4 March 2021\n\nGunmen killed nine.", "4 March 2021"));
        assert!(furniture("Wednesday, March 3, 2021\n\nGunmen killed nine.", "March 3, 2021"));
        assert!(furniture("Wednesday, March 3, 2021\n\nGunmen killed nine.", "Wednesday"));
        assert!(!furniture("On Wednesday, March 3, gunmen killed nine.", "Wednesday"));
        assert!(furniture("Posted on 3 March 2021 | 10:45 GMT\nText.", "3 March 2021"));
        assert!(furniture("© 2021 Example Media", "2021"));
        assert!(!furniture("Gunmen killed nine people on 3 March 2021 in the village.", "3 March 2021"));
        assert!(!furniture("On 3 March 2021, gunmen killed nine people.", "3 March 2021"));
        assert!(!furniture("The attack took place on the date 3 March 2021 was chosen for", "chosen"));
    }

    #[test]
    fn datelines_are_found_at_the_head_of_paragraphs() {
        let body = "Headline here\n\nLOWTOWN (Example Press) - Nine people were killed.\n\nGENEVA — The agency said.\n\
                    Feb. 3 (UPI) -- Two people were hurt.\nRIVERSIDE, Feb 3 (AFP) - Police said.\n\
                    The mayor said: nine dead.\nResidents - many of them farmers - fled.\n\
                    Riverside, 6 August 2021 – The agency said.\nOn Monday, 6 August - it rained.\n\
                    Lowtown, Jun 14 (EFE).- The group said.";
        let found: Vec<&str> = datelines(body).into_iter().map(|s| &body[s.start..s.end]).collect();
        assert_eq!(
            found,
            vec![
                "LOWTOWN (Example Press) - ",
                "GENEVA — ",
                "Feb. 3 (UPI) -- ",
                "RIVERSIDE, Feb 3 (AFP) - ",
                "Riverside, 6 August 2021 – ",
                "Lowtown, Jun 14 (EFE).- "
            ]
        );
    }
}
