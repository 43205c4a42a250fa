//! Fuzz target: arbitrary bytes through intake (as text, HTML and Markdown,
//! so header blocks, front matter and the HTML parser are all reached) and
//! extraction. Nothing may panic; every claim's span must index the body,
//! and so must every mention of a protected person (they are masked byte
//! for byte), in order and apart.
#![no_main]

use dossier_extract::{extract, read_document, Context, Gazetteer};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let gazetteer = Gazetteer::builtin();
    let published = chrono::NaiveDate::from_ymd_opt(2013, 2, 9);
    for name in ["report.txt", "page.html", "notes.md"] {
        let Ok(doc) = read_document(data, name, 1 << 20) else { continue };
        let ex = extract(&doc.body, &Context { published }, &gazetteer);
        for c in &ex.claims {
            assert!(doc.body.get(c.span.start..c.span.end).is_some(), "span off the body");
        }
        for p in &ex.persons {
            for w in p.mentions.windows(2) {
                assert!(w[0].end <= w[1].start, "mentions overlap or are out of order");
            }
            for m in &p.mentions {
                assert!(m.start < m.end && doc.body.get(m.start..m.end).is_some(), "mention off the body");
            }
        }
    }
});
