//! Unicode NFC for matching, with spans mapped back to the text as written.
//! The archive keeps a report's bytes as they came; a report written in a
//! decomposed form ("Kha\u{304}n") is read as its composed form ("Khān"),
//! and every span still indexes the original body.

use dossier_model::Span;
use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::UnicodeNormalization;

/// A body in NFC, and where each of its pieces came from.
pub(crate) struct Normalized {
    /// The NFC text.
    pub text: String,
    /// Per piece (a character with the marks that follow it): its start in
    /// `text`, and its start and end in the original.
    pieces: Vec<(usize, usize, usize)>,
}

/// The NFC form of `body` with its map, or `None` when `body` is already NFC.
pub(crate) fn nfc(body: &str) -> Option<Normalized> {
    if unicode_normalization::is_nfc(body) {
        return None;
    }
    let mut text = String::with_capacity(body.len());
    let mut pieces = Vec::new();
    let mut piece_start = 0;
    let flush = |from: usize, to: usize, text: &mut String, pieces: &mut Vec<(usize, usize, usize)>| {
        if from < to {
            pieces.push((text.len(), from, to));
            text.extend(body[from..to].nfc());
        }
    };
    for (i, c) in body.char_indices() {
        if i > piece_start && canonical_combining_class(c) == 0 {
            flush(piece_start, i, &mut text, &mut pieces);
            piece_start = i;
        }
    }
    flush(piece_start, body.len(), &mut text, &mut pieces);
    Some(Normalized { text, pieces })
}

impl Normalized {
    /// The span of the original that `s` (a span of the NFC text) was read from.
    pub fn original(&self, s: Span) -> Span {
        let piece_at = |at: usize| self.pieces.partition_point(|&(n, _, _)| n <= at).saturating_sub(1);
        let start = self.pieces.get(piece_at(s.start)).map_or(0, |p| p.1);
        let end = if s.end == 0 { start } else { self.pieces.get(piece_at(s.end - 1)).map_or(start, |p| p.2) };
        Span::new(start, end.max(start))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_of_the_composed_text_map_back_to_the_decomposed_original() {
        let body = "Shelling hit Kha\u{304}n Yu\u{304}nis, 12 killed.";
        let n = nfc(body).expect("not NFC");
        assert_eq!(n.text, "Shelling hit Khān Yūnis, 12 killed.");
        let at = n.text.find("Khān Yūnis").unwrap();
        let span = n.original(Span::new(at, at + "Khān Yūnis".len()));
        assert_eq!(&body[span.start..span.end], "Kha\u{304}n Yu\u{304}nis");
        let at = n.text.find("12").unwrap();
        assert_eq!(&body[n.original(Span::new(at, at + 2)).start..n.original(Span::new(at, at + 2)).end], "12");
        assert!(nfc("Khān Yūnis").is_none());
    }
}
