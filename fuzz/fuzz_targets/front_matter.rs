//! Fuzz target: the header block and YAML front matter parsers (through
//! intake, as a text file, as Markdown and from standard input). Nothing may
//! panic; a body is never longer than its decoded input could make it.
#![no_main]

use dossier_extract::read_document;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for name in ["report.txt", "notes.md", "-"] {
        if let Ok(doc) = read_document(data, name, 1 << 20) {
            assert!(doc.body.len() <= data.len() * 4 + 16, "a body far longer than its input");
        }
    }
});
