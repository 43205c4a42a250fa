//! Robustness: intake and extraction over many generated and mutated inputs
//! never panic, and every claim's span lies on character boundaries of the
//! body. (Deterministic: a fixed-seed generator, so a failure reproduces.)

use chrono::NaiveDate;

use crate::{extract, read_document, Context, Gazetteer, DEFAULT_MAX_BYTES};

/// xorshift64*: a tiny deterministic generator for test inputs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const PIECES: [&str; 48] = [
    "killed",
    "killing",
    "41",
    "2,700",
    "forty-one",
    "a dozen",
    "dozens",
    "at least",
    "more than",
    "up to",
    "no one",
    "was",
    "were",
    "injured",
    "wounded",
    "bodies of",
    "deaths of",
    "March",
    "5th",
    "5",
    ",",
    "2014",
    "on Tuesday",
    "yesterday",
    "14–15 May",
    "Camp Ossa",
    "Kerena Province",
    "said",
    "according to",
    "\"",
    "“",
    "’",
    ".",
    "?",
    "\n",
    "\n\n",
    " ",
    "é",
    "‑",
    "-",
    "–",
    "Mr.",
    "U.S.",
    "TITLE: x\n",
    "---\n",
    "<p>",
    "</p>",
    "\u{0}",
];

fn check_all(bytes: &[u8], g: &Gazetteer) {
    let published = NaiveDate::from_ymd_opt(2014, 3, 11);
    for name in ["r.txt", "r.html", "r.md"] {
        let Ok(doc) = read_document(bytes, name, DEFAULT_MAX_BYTES) else { continue };
        let ex = extract(&doc.body, &Context { published }, g);
        for c in &ex.claims {
            assert!(c.span.start < c.span.end, "empty span in {:?}", doc.body);
            assert!(doc.body.get(c.span.start..c.span.end).is_some(), "span off a char boundary in {:?}", doc.body);
            assert!(
                c.sentence.contains(c.span) || c.sentence == c.span,
                "claim outside its sentence in {:?}",
                doc.body
            );
        }
        for s in &ex.sentences {
            assert!(doc.body.get(s.start..s.end).is_some());
        }
    }
}

#[test]
fn generated_texts_never_break_extraction() {
    let g = Gazetteer::builtin();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for _ in 0..3000 {
        let n = rng.below(40);
        let text: String = (0..n)
            .map(|_| PIECES[rng.below(PIECES.len())])
            .collect::<Vec<_>>()
            .join(if rng.below(2) == 0 { " " } else { "" });
        check_all(text.as_bytes(), &g);
    }
}

#[test]
fn mutated_real_reports_never_break_intake_or_extraction() {
    let g = Gazetteer::builtin();
    let seeds = [
        "TITLE: Raid\nSOURCE-TYPE: ngo\nPUBLISHED: 2013-05-17\n\nVelan forces raided Camp Ossa on Tuesday, killing at least nine, officials said.",
        "<html><head><title>T</title></head><body><p>Forty-one villagers were killed on March 5th, 2014.</p></body></html>",
        "---\ntitle: x\n---\nNo one was hurt, the army said, but 260 others were injured according to the villagers.",
    ];
    let mut rng = Rng(42);
    for seed in seeds {
        for _ in 0..1500 {
            let mut bytes = seed.as_bytes().to_vec();
            for _ in 0..1 + rng.below(6) {
                let at = rng.below(bytes.len() + 1);
                match rng.below(3) {
                    0 if at < bytes.len() => bytes[at] = (rng.next() & 0xff) as u8,
                    1 if at < bytes.len() => {
                        bytes.remove(at);
                    }
                    _ => bytes.insert(at.min(bytes.len()), (rng.next() & 0xff) as u8),
                }
            }
            check_all(&bytes, &g);
        }
    }
}
