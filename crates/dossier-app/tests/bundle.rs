//! Verifiable bundles: written from a real store, checked offline with only
//! the public key; any changed byte, removed entry or reordered entry is found.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use dossier_app::{verify_bundle, App, Clock, Config, IngestInput};
use dossier_model::SourceMetaOverride;
use serde_json::Value;

struct TestClock(AtomicU64);

impl Clock for TestClock {
    fn now(&self) -> String {
        let n = self.0.fetch_add(1, Ordering::SeqCst);
        format!("2026-01-01T00:{:02}:{:02}Z", n / 60 % 60, n % 60)
    }
}

const REPORTS: [&str; 2] = [
    "TITLE: UN toll\nSOURCE-TYPE: un\nPUBLISHED: 2011-04-14\n\n\
     The United Nations says 34 residents were killed when soldiers stormed Camp Ashraf on 8 April 2011.\n",
    "TITLE: Army statement\nSOURCE-TYPE: government\nPUBLISHED: 2011-04-09\n\n\
     The army said only three people died at Camp Ashraf on April 8, 2011, and 20 were injured.\n",
];

async fn bundle() -> (Vec<u8>, [u8; 32]) {
    let dir = tempfile::tempdir().unwrap();
    let app = app_with(dir.path(), &REPORTS).await;
    app.resolve().await.unwrap();
    let three =
        app.incidents().await.unwrap()[0].killed.by_source.iter().find(|e| e.min == Some(3)).unwrap().claim.clone();
    app.review_claim(&three, dossier_model::ReviewAction::Reject, None, "vehicle deaths only", "alice").await.unwrap();
    let mut key = [0u8; 32];
    hex::decode_to_slice(app.public_key(), &mut key).unwrap();
    let bytes = app.export_bundle().await.unwrap();
    app.close().await;
    (bytes, key)
}

fn verifies(bytes: &[u8], key: [u8; 32]) -> bool {
    verify_bundle(bytes, Some(key)).is_ok_and(|r| r.ok())
}

#[tokio::test]
async fn a_bundle_verifies_offline_with_the_public_key_and_not_with_another() {
    let (bytes, key) = bundle().await;
    let r = verify_bundle(&bytes, Some(key)).unwrap();
    assert!(r.ok(), "{:?}", r.problems);
    assert_eq!((r.sources, r.incidents), (2, 1));
    assert!(r.log_entries >= 6);
    let r = verify_bundle(&bytes, Some([7; 32])).unwrap();
    assert!(r.problems.iter().any(|p| p.subject == "tree head signature"), "{:?}", r.problems);
}

#[tokio::test]
async fn any_changed_byte_is_found() {
    let (bytes, key) = bundle().await;
    // Every byte of the first 2 KB (format, key, tree head, first entries), then every 7th.
    let positions = (0..bytes.len()).filter(|&i| i < 2048 || i % 7 == 0);
    for i in positions {
        for flip in [0x01u8, 0x20] {
            let mut damaged = bytes.clone();
            damaged[i] ^= flip;
            assert!(
                !verifies(&damaged, key),
                "byte {i} ^ {flip:#x} went unnoticed: {:?}",
                String::from_utf8_lossy(&bytes[i.saturating_sub(60)..(i + 20).min(bytes.len())])
            );
        }
    }
}

fn reserialise(v: &Value) -> Vec<u8> {
    let mut out = serde_json::to_vec(v).unwrap();
    out.push(b'\n');
    out
}

#[tokio::test]
async fn removed_reordered_or_added_entries_and_records_are_found() {
    let (bytes, key) = bundle().await;
    let original: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(reserialise(&original), bytes, "the bundle is in its canonical form");
    let problems = |v: &Value| verify_bundle(&reserialise(v), Some(key)).unwrap().problems;

    let mut removed = original.clone();
    removed["entries"].as_array_mut().unwrap().remove(3);
    assert!(!problems(&removed).is_empty());

    let mut reordered = original.clone();
    reordered["entries"].as_array_mut().unwrap().swap(1, 2);
    let p = problems(&reordered);
    assert!(p.iter().any(|p| p.message.contains("missing or reordered")), "{p:?}");

    let mut no_review = original.clone();
    no_review["reviews"].as_array_mut().unwrap().clear();
    let p = problems(&no_review);
    assert!(p.iter().any(|p| p.message.contains("missing from the store")), "{p:?}");

    let mut no_source = original.clone();
    no_source["sources"].as_array_mut().unwrap().remove(0);
    assert!(!problems(&no_source).is_empty());

    let mut figure = original.clone();
    figure["incidents"][0]["killed"]["max"] = Value::from(3);
    let p = problems(&figure);
    assert!(p.iter().any(|p| p.subject == "incidents"), "{p:?}");

    let mut extra = original.clone();
    extra["note"] = Value::from("added");
    assert!(verify_bundle(&reserialise(&extra), Some(key)).is_err(), "unknown fields are refused");
}

async fn app_with(dir: &std::path::Path, reports: &[&str]) -> App {
    let app = App::open(Config::new(dir), Arc::new(TestClock(AtomicU64::new(0)))).await.unwrap();
    for (i, text) in reports.iter().enumerate() {
        let input = IngestInput {
            bytes: text.as_bytes().to_vec(),
            file_name: format!("{i}.txt"),
            overrides: SourceMetaOverride::default(),
        };
        app.ingest(input).await.unwrap();
    }
    app
}

#[tokio::test]
async fn a_later_bundle_proves_it_extends_an_earlier_one_and_a_rewritten_history_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let app = app_with(dir.path(), &REPORTS[..1]).await;
    let mut key = [0u8; 32];
    hex::decode_to_slice(app.public_key(), &mut key).unwrap();
    let earlier = app.export_bundle().await.unwrap();
    app.ingest(IngestInput {
        bytes: REPORTS[1].as_bytes().to_vec(),
        file_name: "1.txt".into(),
        overrides: SourceMetaOverride::default(),
    })
    .await
    .unwrap();
    let later = app.export_bundle().await.unwrap();
    let x = dossier_app::verify_extension(&earlier, &later, key).unwrap();
    assert!(x.earlier_size < x.later_size && !x.proof.is_empty(), "{x:?}");
    assert!(dossier_app::verify_extension(&later, &earlier, key).is_err(), "a log never shrinks");
    assert!(dossier_app::verify_extension(&earlier, &later, [9; 32]).is_err(), "signed by another key");
    app.close().await;
    // Another history signed with the same key (the key file copied): its log does not extend the first.
    let other = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(other.path().join("keys")).unwrap();
    std::fs::copy(dir.path().join("keys/signing.key"), other.path().join("keys/signing.key")).unwrap();
    let rewritten = app_with(other.path(), &[REPORTS[1], REPORTS[0]]).await;
    assert_eq!(rewritten.public_key(), hex::encode(key));
    let forged = rewritten.export_bundle().await.unwrap();
    let e = dossier_app::verify_extension(&earlier, &forged, key).unwrap_err();
    assert!(e.to_string().contains("does not extend"), "{e}");
    rewritten.close().await;
}

/// A store whose incidents were written before the list table existed gets
/// its list rows when it opens (here: the rows removed behind its back).
#[tokio::test]
async fn the_incident_list_is_filled_in_for_older_stores_when_they_open() {
    let dir = tempfile::tempdir().unwrap();
    let app = app_with(dir.path(), &REPORTS).await;
    app.resolve().await.unwrap();
    let all = app.incidents().await.unwrap();
    app.close().await;
    let url = dossier_store::Store::sqlite_url(&dir.path().join("dossier.sqlite"));
    let pool = sqlx::any::AnyPoolOptions::new().max_connections(1).connect(&url).await.unwrap();
    sqlx::query("DELETE FROM incident_list").execute(&pool).await.unwrap();
    pool.close().await;
    let app = App::open(Config::new(dir.path()), Arc::new(TestClock(AtomicU64::new(100)))).await.unwrap();
    let query = dossier_app::IncidentQuery { limit: 100, ..Default::default() };
    let (total, page) = app.incidents_page(&query).await.unwrap();
    assert_eq!((total, page), (all.len(), all));
    app.close().await;
}
