//! Fuzz target: the bundle reader (`dossier verify FILE`). Arbitrary bytes,
//! and mutations of a real bundle from the seed corpus, must give a report
//! or a clear error, never a panic; a report for changed bytes is never "ok"
//! unless the bytes are the canonical bundle itself.
#![no_main]

use dossier_app::verify_bundle;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = verify_bundle(data, None);
    let _ = verify_bundle(data, Some([7; 32]));
    if data.len() > 2 {
        let (a, b) = data.split_at(data.len() / 2);
        let _ = dossier_app::verify_extension(a, b, [7; 32]);
    }
});
