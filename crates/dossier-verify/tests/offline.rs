//! An auditor's check of a bundle made by an earlier Dossier (the upgrade
//! fixture's, `dossier-app/tests/fixtures/store-f63ede0/bundle.json`), with
//! this crate alone: no store, no database driver, no async runtime.

use std::path::{Path, PathBuf};

use dossier_verify::verify_bundle;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../dossier-app/tests/fixtures/store-f63ede0")
}

fn public_key() -> [u8; 32] {
    let text = std::fs::read_to_string(fixture().join("public.key")).unwrap();
    let mut key = [0u8; 32];
    hex::decode_to_slice(text.trim(), &mut key).unwrap();
    key
}

fn bundle() -> String {
    std::fs::read_to_string(fixture().join("bundle.json")).unwrap()
}

#[test]
fn a_bundle_made_by_an_earlier_release_verifies_offline() {
    let report = verify_bundle(bundle().as_bytes(), Some(public_key())).unwrap();
    assert!(report.ok(), "{:?}", report.problems);
    assert_eq!(report.sources, 4);
    assert!(report.log_entries > 4);
    // Made before resolver versions were logged: checked against the log, and said so.
    assert!(
        report.notices.iter().any(|n| n.contains("dossier-resolve/0") && n.contains(dossier_resolve::VERSION)),
        "{:?}",
        report.notices
    );
}

#[test]
fn a_changed_figure_in_an_earlier_bundle_is_named() {
    let text = bundle();
    let damaged = text.replacen("\"min\":34", "\"min\":35", 1);
    assert_ne!(damaged, text);
    let report = verify_bundle(damaged.as_bytes(), Some(public_key())).unwrap();
    assert!(!report.ok());
    assert!(
        report.problems.iter().any(|p| p.subject.starts_with("claims of source ")),
        "the changed claim set is named: {:?}",
        report.problems
    );
}

#[test]
fn another_key_and_a_file_that_is_no_bundle_are_told_apart() {
    let report = verify_bundle(bundle().as_bytes(), Some([7; 32])).unwrap();
    assert!(report.problems.iter().any(|p| p.subject == "public key"), "{:?}", report.problems);
    let err = verify_bundle(b"{\"format\":\"something else\"}", None).unwrap_err();
    assert!(err.to_string().contains("dossier-bundle/1"), "{err}");
}
