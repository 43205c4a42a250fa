//! Fuzz target: the bundle reader (`dossier verify FILE`). Arbitrary bytes,
//! and mutations of a real bundle from the seed corpus, must give a report
//! or a clear error, never a panic; and no input verifies under a key that
//! signed nothing (a forged or altered bundle is never reported whole).
#![no_main]

use dossier_app::verify_bundle;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = verify_bundle(data, None);
    if let Ok(report) = verify_bundle(data, Some([7; 32])) {
        assert!(!report.ok(), "a bundle verified under a key that signed nothing");
    }
    if data.len() > 2 {
        let (a, b) = data.split_at(data.len() / 2);
        let _ = dossier_app::verify_extension(a, b, [7; 32]);
    }
});
