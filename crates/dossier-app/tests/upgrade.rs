//! Evidence verifies across upgrades: a store and a bundle made by an earlier
//! Dossier (`tests/fixtures/store-f63ede0`, made before record encodings and
//! resolver versions were logged) open with today's code, verify, are
//! re-grouped under the current resolver as a logged event, and verify again;
//! a change made to them after they were logged is still named.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use dossier_app::{App, Config, IngestInput, SystemClock};
use dossier_model::SourceMetaOverride;
use sqlx::any::AnyPoolOptions;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/store-f63ede0")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A writable copy of the fixture's data directory (git keeps no file modes).
fn data_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    copy_dir(&fixture().join("data"), &data);
    for key in ["signing.key", "data.key"] {
        let path = data.join("keys").join(key);
        std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    }
    (dir, data)
}

async fn open(data: &Path) -> App {
    App::open(Config::new(data), Arc::new(SystemClock)).await.expect("the earlier store opens")
}

fn public_key() -> [u8; 32] {
    let text = std::fs::read_to_string(fixture().join("public.key")).unwrap();
    let mut key = [0u8; 32];
    hex::decode_to_slice(text.trim(), &mut key).unwrap();
    key
}

#[tokio::test]
async fn a_store_made_by_an_earlier_release_verifies_and_is_brought_up_to_date() {
    let (_dir, data) = data_copy();
    let app = open(&data).await;
    let before = app.verify().await.unwrap();
    assert!(before.ok(), "{:?}", before.problems);
    assert_eq!(before.sources, 4);
    assert!(
        before.notices.iter().any(|n| n.contains("dossier-resolve/0") && n.contains(dossier_app::RESOLVER_VERSION)),
        "verify says which resolver made the incidents: {:?}",
        before.notices
    );

    // Grouping again under today's rules is one logged event naming the version.
    let r = app.resolve_current().await.unwrap();
    assert!(r.logged);
    assert_eq!(r.previous.iter().map(String::as_str).collect::<Vec<_>>(), ["dossier-resolve/0"]);
    let after = app.verify().await.unwrap();
    assert!(after.ok(), "{:?}", after.problems);
    assert!(after.notices.is_empty(), "{:?}", after.notices);
    let again = app.resolve_current().await.unwrap();
    assert!(!again.logged, "nothing to record the second time");

    // A new report goes in beside the old ones, logged with the extractor's version.
    let report = "TITLE: An invented follow-up\nSOURCE-TYPE: news\nPUBLISHED: 2013-09-03\n\n\
        Residents said 52 people were killed at Camp Ashraf on 1 September 2013.\n";
    let input = IngestInput {
        bytes: report.as_bytes().to_vec(),
        file_name: "new.txt".into(),
        overrides: SourceMetaOverride::default(),
    };
    let dossier_app::IngestOutcome::New { source, .. } = app.ingest(input).await.unwrap() else { panic!("new") };
    app.resolve_new(&[source]).await.unwrap();
    let report = app.verify().await.unwrap();
    assert!(report.ok(), "{:?}", report.problems);
    let log = app.log_entries().await.unwrap();
    let extracted = log.iter().rev().find(|e| e.action == "claims.extracted").unwrap();
    assert!(extracted.payload.contains(dossier_app::EXTRACTOR_VERSION), "{}", extracted.payload);
    assert!(extracted.payload.contains("dossier-record/1"), "{}", extracted.payload);
    app.close().await;
}

#[tokio::test]
async fn an_earlier_store_is_extracted_again_under_the_running_extractor() {
    let (_dir, data) = data_copy();
    let app = open(&data).await;
    let reviews_before = app.log_entries().await.unwrap().iter().filter(|e| e.action.starts_with("claim.")).count();
    assert!(reviews_before > 0, "the fixture holds reviews");
    let all = dossier_app::ReextractScope::All;
    let dry = app.reextract(&all, true).await.unwrap();
    let entries = app.log_entries().await.unwrap().len();
    assert!(dry.sources.iter().any(|s| !s.same()), "the running extractor reads the fixture differently");
    assert!(dry.sources.iter().all(|s| s.previous_extractor == "dossier-extract/1"), "{dry:?}");

    let run = app.reextract(&all, false).await.unwrap();
    let strip = |v: &[dossier_app::SourceReextraction]| {
        v.iter().map(|s| dossier_app::SourceReextraction { written: None, ..s.clone() }).collect::<Vec<_>>()
    };
    assert_eq!(strip(&run.sources), strip(&dry.sources), "the run does what the dry run said");
    let log = app.log_entries().await.unwrap();
    assert!(log.len() > entries);
    let sets: Vec<_> = log[entries..].iter().filter(|e| e.action == "claims.extracted").collect();
    assert_eq!(sets.len(), run.sources.iter().filter(|s| s.written.is_some()).count());
    for e in &sets {
        assert!(
            e.payload.contains(dossier_app::EXTRACTOR_VERSION) && e.payload.contains("dossier-extract/1"),
            "{}",
            e.payload
        );
    }
    let carried = run.sources.iter().map(|s| s.carried).sum::<usize>();
    let uncarried = run.sources.iter().map(|s| s.uncarried.len()).sum::<usize>();
    assert_eq!(carried + uncarried, reviews_before, "every review is carried or listed");
    let resolved = log[entries..].iter().find(|e| e.action == "incidents.resolved").expect("regrouped");
    assert!(resolved.payload.contains(dossier_app::RESOLVER_VERSION));
    let report = app.verify().await.unwrap();
    assert!(report.ok(), "{:?}", report.problems);
    assert!(report.notices.is_empty(), "{:?}", report.notices);
    let again = app.reextract(&all, false).await.unwrap();
    assert!(again.sources.iter().all(|s| s.same() && s.written.is_none()));
    app.close().await;
}

#[tokio::test]
async fn a_change_to_an_earlier_store_is_still_named() {
    for (statement, named) in [
        ("UPDATE claims SET text = 'killed 340' WHERE kind = 'killed'", "claims of source"),
        ("UPDATE reviews SET reason = 'no reason'", "review of claim"),
        ("UPDATE incidents SET doc = replace(doc, 'Camp Ashraf', 'Camp Elsewhere')", "incidents"),
        ("UPDATE sources SET title = 'Another title'", "source src-"),
    ] {
        let (_dir, data) = data_copy();
        let url = dossier_store::Store::sqlite_url(&data.join("dossier.sqlite"));
        sqlx::any::install_default_drivers();
        let pool = AnyPoolOptions::new().max_connections(1).connect(&url).await.unwrap();
        sqlx::query(statement).execute(&pool).await.unwrap();
        pool.close().await;
        let app = open(&data).await;
        let report = app.verify().await.unwrap();
        assert!(
            report.problems.iter().any(|p| p.subject.starts_with(named)),
            "{statement}: expected a problem naming {named}, got {:?}",
            report.problems
        );
        app.close().await;
    }
}

#[test]
fn a_bundle_made_by_an_earlier_release_verifies_offline() {
    let bytes = std::fs::read(fixture().join("bundle.json")).unwrap();
    let report = dossier_app::verify_bundle(&bytes, Some(public_key())).unwrap();
    assert!(report.ok(), "{:?}", report.problems);
    assert!(report.notices.iter().any(|n| n.contains("dossier-resolve/0")), "{:?}", report.notices);
    // One changed figure inside it is still named.
    let text = String::from_utf8(bytes).unwrap();
    let damaged = text.replacen("\"min\":34", "\"min\":35", 1);
    assert_ne!(damaged, text);
    let report = dossier_app::verify_bundle(damaged.as_bytes(), Some(public_key())).unwrap();
    assert!(!report.ok());
}
