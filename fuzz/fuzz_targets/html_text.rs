//! Fuzz target: HTML to text (the DOM walk that drops scripts and keeps
//! blocks as paragraphs) on arbitrary UTF-8, deeply nested markup included.
//! Nothing may panic.
#![no_main]

use dossier_extract::html_to_text;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let html = String::from_utf8_lossy(data);
    let page = html_to_text(&html);
    let _ = (page.text.len(), page.head);
});
