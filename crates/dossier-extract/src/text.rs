//! Tokens and sentences over a normalised body, with byte spans.

use std::borrow::Cow;

use dossier_model::Span;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// Letters (and digits mixed in: "5th", "2,500-strong").
    Word,
    /// Digits with separators ("3,400", "1.5").
    Number,
    /// One character of punctuation.
    Punct,
}

/// A token of the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token<'a> {
    /// Its text.
    pub text: &'a str,
    /// Where it is.
    pub span: Span,
    /// What it is.
    pub kind: TokenKind,
    /// Its text in ASCII lower case, when tokenised with [`tokenize_with`]
    /// (a slice of the sentence lowercased once, so [`Token::lower`] of an
    /// ASCII word allocates nothing).
    ascii_lower: Option<&'a str>,
}

impl<'a> Token<'a> {
    /// Lowercased text, with typographic apostrophes and hyphens made plain (borrowed when already so).
    pub fn lower(&self) -> Cow<'a, str> {
        if let Some(l) = self.ascii_lower {
            return Cow::Borrowed(l);
        }
        if self.text.is_ascii() {
            return if self.text.bytes().any(|b| b.is_ascii_uppercase()) {
                Cow::Owned(self.text.to_ascii_lowercase())
            } else {
                Cow::Borrowed(self.text)
            };
        }
        if self.text.chars().any(|c| c.is_uppercase() || matches!(c, '’' | '\u{2010}' | '\u{2011}')) {
            Cow::Owned(self.text.to_lowercase().replace('’', "'").replace(['\u{2010}', '\u{2011}'], "-"))
        } else {
            Cow::Borrowed(self.text)
        }
    }

    /// Whether it is a word equal (ignoring case) to `w`.
    #[inline]
    pub fn is(&self, w: &str) -> bool {
        self.kind != TokenKind::Punct && self.text.eq_ignore_ascii_case(w)
    }
}

fn joins_word(c: char) -> bool {
    matches!(c, '-' | '\'' | '’' | '‑')
}

/// Splits `text` (which starts at byte `base` of the body) into tokens.
pub fn tokenize(text: &str, base: usize) -> Vec<Token<'_>> {
    tokens_of(text, None, base)
}

/// [`tokenize`], with `lower` = `text.to_ascii_lowercase()` (the same byte
/// offsets) giving every ASCII token its lower case without allocating.
pub fn tokenize_with<'a>(text: &'a str, lower: &'a str, base: usize) -> Vec<Token<'a>> {
    debug_assert_eq!(text.len(), lower.len());
    tokens_of(text, Some(lower).filter(|l| l.len() == text.len()), base)
}

fn tokens_of<'a>(text: &'a str, lower: Option<&'a str>, base: usize) -> Vec<Token<'a>> {
    // Only ASCII tokens take the ASCII lower case; others lower themselves.
    let low = |start: usize, end: usize| lower.and_then(|l| l.get(start..end)).filter(|_| text[start..end].is_ascii());
    let mut tokens = Vec::new();
    let mut iter = text.char_indices().peekable();
    while let Some((start, c)) = iter.next() {
        if c.is_whitespace() {
            continue;
        }
        if !c.is_alphanumeric() {
            tokens.push(Token {
                text: &text[start..start + c.len_utf8()],
                span: Span::new(base + start, base + start + c.len_utf8()),
                kind: TokenKind::Punct,
                ascii_lower: low(start, start + c.len_utf8()),
            });
            continue;
        }
        let acronym = acronym_len(&text[start..]);
        if acronym > 0 {
            for _ in 1..acronym {
                iter.next();
            }
            let end = start + acronym;
            tokens.push(Token {
                text: &text[start..end],
                span: Span::new(base + start, base + end),
                kind: TokenKind::Word,
                ascii_lower: low(start, end),
            });
            continue;
        }
        let mut end = start + c.len_utf8();
        let mut prev = c;
        while let Some(&(i, n)) = iter.peek() {
            let after = || text[i + n.len_utf8()..].chars().next();
            let keep = if n.is_alphanumeric() {
                true
            } else if matches!(n, ',' | '.') {
                prev.is_ascii_digit() && after().is_some_and(|d| d.is_ascii_digit())
            } else {
                joins_word(n) && prev.is_alphanumeric() && after().is_some_and(char::is_alphanumeric)
            };
            if !keep {
                break;
            }
            prev = n;
            end = i + n.len_utf8();
            iter.next();
        }
        let word = &text[start..end];
        let kind = if word.chars().all(|ch| ch.is_ascii_digit() || ch == ',' || ch == '.') {
            TokenKind::Number
        } else {
            TokenKind::Word
        };
        tokens.push(Token {
            text: word,
            span: Span::new(base + start, base + end),
            kind,
            ascii_lower: low(start, end),
        });
    }
    tokens
}

/// Length in bytes of a dotted acronym at the start of `s` ("U.N.", "U.S.A."), or 0.
fn acronym_len(s: &str) -> usize {
    let b = s.as_bytes();
    let mut n = 0;
    while n + 1 < b.len() && b[n].is_ascii_uppercase() && b[n + 1] == b'.' {
        n += 2;
    }
    let next_is_letter = b.get(n).is_some_and(|c| c.is_ascii_alphanumeric());
    if n >= 4 && !next_is_letter {
        n
    } else {
        0
    }
}

const ABBREVIATIONS: [&str; 44] = [
    "mr", "mrs", "ms", "dr", "prof", "gen", "brig", "col", "lt", "capt", "sgt", "maj", "cpl", "pvt", "adm", "gov",
    "sen", "rep", "rev", "st", "no", "nos", "vs", "etc", "inc", "ltd", "co", "corp", "jan", "feb", "mar", "apr", "jun",
    "jul", "aug", "sep", "sept", "oct", "nov", "dec", "approx", "est", "fig", "jr",
];

/// Splits the body into sentences. Paragraph breaks always end a sentence;
/// `.`, `!` and `?` end one unless they close an abbreviation or an initial;
/// a short line without final punctuation (a headline, a menu item) stands alone.
pub fn sentences(body: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut para_start = 0;
    for (i, line) in line_starts(body) {
        if line.trim().is_empty() {
            split_paragraph(body, para_start, i, &mut out);
            para_start = i + line.len();
        }
    }
    split_paragraph(body, para_start, body.len(), &mut out);
    out
}

fn line_starts(body: &str) -> impl Iterator<Item = (usize, &str)> {
    body.split_inclusive('\n').scan(0usize, |off, line| {
        let start = *off;
        *off += line.len();
        Some((start, line))
    })
}

fn split_paragraph(body: &str, start: usize, end: usize, out: &mut Vec<Span>) {
    const CLOSERS: [char; 9] = ['"', '\'', '”', '’', ')', ']', '.', '!', '?'];
    let para = &body[start..end];
    let mut sent_start: Option<usize> = None;
    let mut seen_newline = false;
    let mut pos = 0;
    while let Some(c) = para[pos..].chars().next() {
        let i = pos;
        pos += c.len_utf8();
        if sent_start.is_none() && !c.is_whitespace() {
            sent_start = Some(i);
        }
        let first_line = !seen_newline;
        if c == '\n' {
            seen_newline = true;
        }
        let Some(s) = sent_start else { continue };
        let mut boundary: Option<usize> = None;
        if matches!(c, '.' | '!' | '?') {
            let mut j = pos;
            while let Some(n) = para[j..].chars().next().filter(|n| CLOSERS.contains(n)) {
                j += n.len_utf8();
            }
            if next_word_starts_sentence(para, j) && !(c == '.' && is_abbreviation(&para[s..i])) {
                boundary = Some(j);
                pos = j;
            }
        } else if c == '\n' && next_word_starts_sentence(para, i) {
            let line = para[..i].rsplit('\n').next().unwrap_or("");
            let next_line = para[i + 1..].split('\n').next().unwrap_or("");
            // A wrapped paragraph's lines are of a length; a headline sits above a longer line.
            let above_longer = next_line.trim().len() * 2 > line.trim().len() * 3;
            if is_standalone_line(&para[s..i])
                || first_line && above_longer && is_headline(line)
                || starts_with_bullet(&para[i + 1..])
            {
                boundary = Some(i);
            }
        }
        if let Some(b) = boundary {
            push_trimmed(para, start, s, b, out);
            sent_start = None;
        }
    }
    if let Some(s) = sent_start {
        push_trimmed(para, start, s, para.len(), out);
    }
}

fn push_trimmed(para: &str, base: usize, s: usize, e: usize, out: &mut Vec<Span>) {
    let text = &para[s..e];
    let trimmed = text.trim_end();
    if !trimmed.is_empty() {
        out.push(Span::new(base + s, base + s + trimmed.len()));
    }
}

/// After byte `j` of `para`: whitespace, then (past opening quotes, brackets,
/// dashes and bullets) an uppercase letter or digit; or the end of the paragraph.
fn next_word_starts_sentence(para: &str, j: usize) -> bool {
    let mut rest = para[j..].chars().peekable();
    if rest.peek().is_some_and(|c| !c.is_whitespace()) {
        return false;
    }
    for c in rest {
        if c.is_whitespace() || matches!(c, '"' | '\'' | '“' | '‘' | '(' | '[' | '-' | '–' | '—' | '*' | '•' | '·')
        {
            continue;
        }
        return c.is_uppercase() || c.is_ascii_digit();
    }
    true
}

fn is_abbreviation(sentence_so_far: &str) -> bool {
    let last = sentence_so_far.rsplit(|c: char| c.is_whitespace() || c == '(').next().unwrap_or("");
    let word = last.trim_start_matches(['"', '“', '\'']);
    if word.chars().count() == 1 && word.chars().all(char::is_uppercase) {
        return true; // an initial: "John F. Kennedy"
    }
    if word.contains('.') && word.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase) {
        return true; // "U.S", "U.N"
    }
    ABBREVIATIONS.contains(&word.to_lowercase().as_str())
}

/// A paragraph's first line without final punctuation, followed by a line
/// that starts a sentence: a title or headline above its story.
fn is_headline(line: &str) -> bool {
    const CONTINUES: [&str; 12] = ["the", "a", "an", "of", "and", "to", "in", "on", "at", "by", "for", "with"];
    let line = line.trim();
    let last_word = line.rsplit(' ').next().unwrap_or("").to_lowercase();
    !line.is_empty()
        && !line.ends_with(['.', '!', '?', ',', ';', ':', '-', '–', '—', '"', '”', '’', '\''])
        && !CONTINUES.contains(&last_word.as_str())
}

fn starts_with_bullet(rest: &str) -> bool {
    let t = rest.trim_start_matches([' ', '\t']);
    ["* ", "- ", "• ", "· "].iter().any(|b| t.starts_with(b))
}

/// Whether a sentence reads as a headline: no final punctuation.
pub fn is_headline_sentence(sentence: &str) -> bool {
    let t = sentence.trim_end_matches(['"', '”', '’', '\'', ')', ' ']);
    !t.ends_with(['.', '!', '?', ':', ';', ','])
}

fn is_standalone_line(line_so_far: &str) -> bool {
    const CONTINUES: [&str; 12] = ["the", "a", "an", "of", "and", "to", "in", "on", "at", "by", "for", "with"];
    let last_line = line_so_far.rsplit('\n').next().unwrap_or("").trim();
    let last_word = last_line.rsplit(' ').next().unwrap_or("").to_lowercase();
    !last_line.is_empty()
        && last_line.chars().count() < 50
        && !last_line.ends_with([',', ';', ':', '-', '–', '—'])
        && !CONTINUES.contains(&last_word.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        sentences(text).into_iter().map(|s| &text[s.start..s.end]).collect()
    }

    #[test]
    fn abbreviations_and_initials_do_not_end_sentences() {
        assert_eq!(
            split(
                "Staff Brig. Gen. Tamar Veld led it. Mr. Ostrov testified in the U.S. Senate. Anna K. Lindqvist spoke."
            ),
            vec![
                "Staff Brig. Gen. Tamar Veld led it.",
                "Mr. Ostrov testified in the U.S. Senate.",
                "Anna K. Lindqvist spoke."
            ]
        );
    }

    #[test]
    fn quotes_and_paragraphs() {
        assert_eq!(
            split("He said: \"Seven died.\" Police agreed.\n\nNew paragraph without end"),
            vec!["He said: \"Seven died.\"", "Police agreed.", "New paragraph without end"]
        );
    }

    #[test]
    fn hard_wraps_join_and_headlines_stand_alone() {
        assert_eq!(
            split("Skip to content\nKunduz raid leaves nine dead\nKUNDUZ (AFP) - Afghan police raided the\nmarket on Monday, officials said. It was bad."),
            vec![
                "Skip to content",
                "Kunduz raid leaves nine dead",
                "KUNDUZ (AFP) - Afghan police raided the\nmarket on Monday, officials said.",
                "It was bad."
            ]
        );
    }

    #[test]
    fn headlines_and_bullets_stand_alone() {
        assert_eq!(
            split("Six feared dead as gunmen attack market\nSix people are said to have died after gunmen opened fire in the market on Friday.\n\nVictims were mostly traders\n* 12 children among injured\n* Bridge closed"),
            vec![
                "Six feared dead as gunmen attack market",
                "Six people are said to have died after gunmen opened fire in the market on Friday.",
                "Victims were mostly traders",
                "* 12 children among injured",
                "* Bridge closed"
            ]
        );
        assert_eq!(
            split("The ministry denounced the brutal raid late on Friday and urged\nKenyan police to open a full inquiry."),
            vec!["The ministry denounced the brutal raid late on Friday and urged\nKenyan police to open a full inquiry."]
        );
    }

    #[test]
    fn numbers_with_separators_are_one_token() {
        let toks: Vec<&str> =
            tokenize("roughly 4,700 people; a 1,200-strong unit, 95% of 1.5m.", 0).iter().map(|t| t.text).collect();
        assert_eq!(
            toks,
            vec!["roughly", "4,700", "people", ";", "a", "1,200-strong", "unit", ",", "95", "%", "of", "1.5m", "."]
        );
    }
}
