//! Spellings: typographic quotes, apostrophes and dashes are read as their
//! plain forms, and a decomposed text (NFD) as its composed form, with every
//! span pointing into the text as written. Reads the dev reports in
//! `../shared/data/dev/reports` (the only I/O here; the crate does none).
#![allow(clippy::disallowed_methods)]

use chrono::NaiveDate;
use dossier_extract::{extract, read_document, Context, Gazetteer, DEFAULT_MAX_BYTES};
use unicode_normalization::UnicodeNormalization;

/// What a claim says, without where: kind, value, attribution, frame, and its passage's words.
fn meanings(body: &str, g: &Gazetteer) -> Vec<String> {
    let plain = |s: &str| -> String {
        s.nfc()
            .map(|c| match c {
                '’' | '‘' => '\'',
                '“' | '”' => '"',
                '–' | '—' | '‑' => '-',
                c => c,
            })
            .collect()
    };
    let ex = extract(body, &Context { published: NaiveDate::from_ymd_opt(2011, 4, 14) }, g);
    ex.claims
        .iter()
        .map(|c| {
            let text = c.span.slice(body).expect("span on char boundaries");
            // Debug escapes a straight quote, not a curly one: compare unescaped.
            plain(&format!("{:?} {} {:?} {:?} {}", c.kind, c.frame, c.value, c.according_to, text))
                .replace("\\\"", "\"")
        })
        .collect()
}

/// Typographic quotes, apostrophes and dashes are read as their plain forms,
/// and a decomposed text (NFD) as its composed form: every dev report gives
/// the same claims in each spelling, each span pointing into its own text.
#[test]
fn typographic_and_decomposed_spellings_give_the_same_claims() {
    let g = Gazetteer::builtin();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/dev/reports");
    let mut compared = 0;
    for entry in std::fs::read_dir(&dir).expect("../shared/data/dev/reports") {
        let path = entry.unwrap().path();
        let doc = read_document(&std::fs::read(&path).unwrap(), &path.display().to_string(), DEFAULT_MAX_BYTES)
            .expect("a dev report");
        let body = doc.body.nfc().collect::<String>();
        let curly: String = {
            let mut open = true;
            body.chars()
                .map(|c| match c {
                    '\'' => '’',
                    '"' => {
                        open = !open;
                        if open {
                            '”'
                        } else {
                            '“'
                        }
                    }
                    '-' => '‑',
                    c => c,
                })
                .collect()
        };
        let straight: String = body
            .chars()
            .map(|c| match c {
                '’' | '‘' => '\'',
                '“' | '”' => '"',
                c => c,
            })
            .collect();
        let decomposed: String = body.nfd().collect();
        let want = meanings(&straight, &g);
        assert!(!want.is_empty(), "{}", path.display());
        for (name, variant) in [("typographic", &curly), ("decomposed", &decomposed)] {
            assert_eq!(meanings(variant, &g), want, "{} spelled {name}", path.display());
        }
        compared += 1;
    }
    assert!(compared >= 10, "only {compared} dev reports");
    // Accented names, where NFD differs from NFC.
    let composed = "At least 12 people were killed in Khān Yūnis on 10 January 2024, the ministry said.";
    let decomposed: String = composed.nfd().collect();
    assert_ne!(composed, decomposed);
    let want = meanings(composed, &g);
    assert!(want.iter().any(|m| m.starts_with("IncidentPlace") && m.ends_with("Khān Yūnis")), "{want:?}");
    assert_eq!(meanings(&decomposed, &g), want);
}
