//! The store conformance story: one sequence of use-cases, run on the
//! embedded SQLite store and on a real PostgreSQL server.
//!
//! PostgreSQL: set `DOSSIER_TEST_POSTGRES_URL` to a server URL whose user may
//! create databases (`scripts/test.sh` starts a throwaway server and sets it).
//! The PostgreSQL test fails, never skips, when it is not set.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use dossier_app::{App, Clock, Config, CountEdit, IngestError, IngestInput, IngestOutcome};
use dossier_model::ReviewAction;
use dossier_model::SourceMetaOverride;
use sqlx::any::AnyPoolOptions;

/// A clock that ticks one second per call, for reproducible runs.
struct TestClock(AtomicU64);

impl Clock for TestClock {
    fn now(&self) -> String {
        let n = self.0.fetch_add(1, Ordering::SeqCst);
        format!("2026-01-01T00:{:02}:{:02}Z", n / 60 % 60, n % 60)
    }
}

const REPORT_A: &str = "TITLE: UN toll\nSOURCE-TYPE: un\nPUBLISHED: 2011-04-14\n\n\
    The United Nations says 34 residents were killed when soldiers stormed Camp Ashraf on 8 April 2011.\n";
const REPORT_B: &str = "TITLE: Army statement\nSOURCE-TYPE: government\nPUBLISHED: 2011-04-09\n\n\
    The army said only three people died at Camp Ashraf on April 8, 2011, and 20 were injured.\n";
const REPORT_C: &str = "TITLE: Market bombing\nSOURCE-TYPE: news\nPUBLISHED: 2009-10-29\n\n\
    A car bomb killed at least 105 people in Peshawar on 28 October 2009.\n";

fn input(name: &str, text: &str) -> IngestInput {
    IngestInput { bytes: text.as_bytes().to_vec(), file_name: name.into(), overrides: SourceMetaOverride::default() }
}

async fn open(dir: &std::path::Path, url: Option<String>) -> App {
    let mut config = Config::new(dir);
    config.database_url = url;
    App::open(config, Arc::new(TestClock(AtomicU64::new(0)))).await.expect("store opens")
}

/// Runs the story against the store selected by `url` (SQLite in `dir` when `None`).
/// `tamper` executes one SQL statement against the same database.
async fn story(dir: &std::path::Path, url: Option<String>, tamper_url: String) {
    let app = open(dir, url.clone()).await;
    // Opening again applies no migration twice.
    open(dir, url.clone()).await.close().await;

    // Ingest: new sources, with claims, each logged.
    let a = app.ingest(input("a.txt", REPORT_A)).await.unwrap();
    let IngestOutcome::New { source: a_id, claims, .. } = a else { panic!("{a:?}") };
    assert!(claims >= 3, "date, place and toll claims: {claims}");
    app.ingest(input("b.txt", REPORT_B)).await.unwrap();
    app.ingest(input("c.txt", REPORT_C)).await.unwrap();

    // The same bytes again are recognised, not stored twice.
    let again = app.ingest(input("copy-of-a.txt", REPORT_A)).await.unwrap();
    assert_eq!(again, IngestOutcome::Duplicate { source: a_id.clone(), first_file_name: "a.txt".into() });
    assert_eq!(app.sources().await.unwrap().len(), 3);

    // A bad input is refused and changes nothing.
    let before = app.export_json().await.unwrap();
    let bad = app.ingest(input("bad.txt", "TITLE: x\nPUBLISHED: someday\n\nbody")).await;
    assert!(matches!(bad, Err(IngestError::Intake(_))), "{bad:?}");
    assert_eq!(app.export_json().await.unwrap(), before);

    // Resolution: reports of one event side by side, the other apart.
    let (n, changed) = app.resolve().await.unwrap();
    assert_eq!((n, changed), (2, true));
    assert_eq!(app.resolve().await.unwrap(), (2, false), "resolving again changes nothing");
    let incidents = app.incidents().await.unwrap();
    let ashraf = incidents.iter().find(|i| i.place.as_ref().is_some_and(|p| p.name == "Camp Ashraf")).unwrap();
    assert_eq!(ashraf.sources.len(), 2);
    assert_eq!((ashraf.killed.min, ashraf.killed.max), (Some(3), Some(34)));
    let a_source = app.source(&a_id).await.unwrap().unwrap();
    for entry in &ashraf.killed.by_source {
        let source = app.source(&entry.source).await.unwrap().unwrap();
        assert_eq!(entry.span.slice(&source.body), Some(entry.text.as_str()));
    }
    assert_eq!(app.claims_of(&a_id).await.unwrap().iter().filter(|c| c.source == a_source.id).count(), claims);

    // The timeline (SQL aggregates on both backends): one incident a year, with its tolls.
    let years = app.timeline(None).await.unwrap();
    let got: Vec<(&str, u64, u64)> = years.iter().map(|b| (b.bucket.as_str(), b.incidents, b.killed_min)).collect();
    assert_eq!(got, vec![("2009", 1, 105), ("2011", 1, 3)]);
    let months = app.timeline(Some(2011)).await.unwrap();
    assert_eq!((months[0].bucket.as_str(), months[0].killed_max), ("2011-04", 34));

    // The map and search (SQL on both backends): points carry coordinates;
    // search ignores case and takes `%` and `_` literally.
    let points = app.map_points(&dossier_app::IncidentQuery::default()).await.unwrap();
    assert!(points.iter().all(|p| p.lat.abs() <= 90.0 && p.lon.abs() <= 180.0) && !points.is_empty());
    let sources = app.sources().await.unwrap();
    let hits = app.search("CAMP ASHRAF", 10).await.unwrap();
    let want = sources.iter().filter(|s| s.body.to_lowercase().contains("camp ashraf")).count();
    assert_eq!((hits.sources_total, hits.sources.len()), (want, want));
    assert!(hits.claims.iter().all(|c| c.text.to_lowercase().contains("camp ashraf")) && hits.claims_total > 0);
    let nothing = app.search("%_%", 10).await.unwrap();
    assert_eq!((nothing.sources_total, nothing.claims_total), (0, 0));

    // The export contract.
    let export: serde_json::Value = serde_json::from_str(&app.export_json().await.unwrap()).unwrap();
    assert_eq!(export["format"], "dossier-export/1");
    assert_eq!(export["sources"].as_array().unwrap().len(), 3);
    assert_eq!(export["incidents"].as_array().unwrap().len(), 2);

    // Verify: an untouched store verifies; the log has one entry per change.
    let report = app.verify().await.unwrap();
    assert!(report.ok(), "{:?}", report.problems);
    assert_eq!(report.log_entries, 3 * 2 + 1, "ingested + extracted per source, one resolution");
    let entries_before_review = report.log_entries;

    // Review: a rejected figure stops counting, the original stays visible,
    // and re-resolving never undoes the decision.
    let three = ashraf.killed.by_source.iter().find(|e| e.min == Some(3)).unwrap().claim.clone();
    let refused = app.review_claim(&three, ReviewAction::Reject, None, "  ", "alice").await;
    assert!(refused.is_err(), "a rejection needs a reason");
    app.review_claim(&three, ReviewAction::Reject, None, "covers vehicle deaths only", "alice").await.unwrap();
    let ashraf_now = app.incident(&ashraf.id).await.unwrap().unwrap();
    assert_eq!((ashraf_now.killed.min, ashraf_now.killed.max), (Some(34), Some(34)));
    assert!(!app.resolve().await.unwrap().1, "resolution keeps the reviewer's decision");
    let b_claims = app.claims_of(&ashraf.sources[1]).await.unwrap();
    let rejected = b_claims.iter().find(|c| c.id == three).unwrap();
    assert_eq!(rejected.status, dossier_model::ClaimStatus::Rejected);
    assert_eq!(rejected.review.as_ref().unwrap().actor, "alice");
    // A correction keeps the machine's value beside it.
    let thirty_four = ashraf.killed.by_source.iter().find(|e| e.min == Some(34)).unwrap().claim.clone();
    let edit = CountEdit { min: Some(35), max: Some(35), qualifier: None };
    app.review_claim(&thirty_four, ReviewAction::Edit, Some(edit), "the annex lists 35", "bob").await.unwrap();
    let edited = app.effective_claims().await.unwrap().into_iter().find(|c| c.id == thirty_four).unwrap();
    assert_eq!(edited.count().unwrap().min, Some(35));
    assert_eq!(
        edited.review.unwrap().original.unwrap(),
        dossier_model::ClaimValue::Count(dossier_model::Count {
            min: Some(34),
            max: Some(34),
            qualifier: "exact".into(),
            population: Some("residents".into()),
            attackers: false,
        })
    );
    // Split and merge: decisions between reports, honoured by every resolution.
    app.split_incident(&ashraf.id, &ashraf.sources[1], "different event", "carol").await.unwrap();
    assert_eq!(app.incidents().await.unwrap().len(), 3);
    let parts: Vec<_> = app
        .incidents()
        .await
        .unwrap()
        .into_iter()
        .filter(|i| i.place.as_ref().is_some_and(|p| p.name == "Camp Ashraf"))
        .collect();
    app.merge_incidents(&parts[0].id, &parts[1].id, "same event after all", "carol").await.unwrap();
    assert_eq!(app.incidents().await.unwrap().len(), 2);
    let report = app.verify().await.unwrap();
    assert!(report.ok(), "{:?}", report.problems);
    assert_eq!(report.log_entries, entries_before_review + 4 * 2, "each decision and its resolution are logged");

    // Move a claim between incidents: the injured figure goes to the other
    // incident, counts there only, and a move back restores the machine's placement.
    let incidents = app.incidents().await.unwrap();
    let ashraf = incidents.iter().find(|i| i.place.as_ref().is_some_and(|p| p.name == "Camp Ashraf")).unwrap();
    let peshawar = incidents.iter().find(|i| i.id != ashraf.id).unwrap();
    let injured = ashraf.injured.by_source[0].claim.clone();
    assert!(app.move_claim(&injured, Some(&injured), "circle", "dan").await.is_err(), "not into itself");
    assert!(app.move_claim_to_incident(&injured, &peshawar.id, "", "dan").await.is_err(), "a move needs a reason");
    let m = app.move_claim_to_incident(&injured, &peshawar.id, "the 20 injured were in Peshawar", "dan").await.unwrap();
    let now: Vec<_> = app.incidents().await.unwrap();
    let holder = now.iter().find(|i| i.claims.contains(&injured)).unwrap();
    assert!(holder.place.as_ref().is_some_and(|p| p.name == "Peshawar"), "{holder:?}");
    assert_eq!(holder.injured.by_source.len(), 1);
    let ashraf_now = now.iter().find(|i| i.place.as_ref().is_some_and(|p| p.name == "Camp Ashraf")).unwrap();
    assert!(ashraf_now.injured.by_source.is_empty());
    assert!(!app.resolve().await.unwrap().1, "resolution keeps the move");
    let claim = app.effective_claims().await.unwrap().into_iter().find(|c| c.id == injured).unwrap();
    assert_eq!(claim.moved.as_ref().map(|p| (p.actor.as_str(), p.seq)), Some(("dan", m.seq)));
    assert_eq!(claim.count().unwrap().min, Some(20), "the claim itself is unchanged");
    assert!(app.verify().await.unwrap().ok());
    app.move_claim(&injured, None, "it was Ashraf after all", "dan").await.unwrap();
    let back = app.incidents().await.unwrap();
    let ashraf_back = back.iter().find(|i| i.place.as_ref().is_some_and(|p| p.name == "Camp Ashraf")).unwrap();
    assert_eq!(ashraf_back.injured.by_source[0].claim, injured);
    let report = app.verify().await.unwrap();
    assert!(report.ok(), "{:?}", report.problems);
    assert_eq!(report.log_entries, entries_before_review + 6 * 2, "each move and its resolution are logged");

    // Re-extraction by a later extractor (here: one that reads the army's
    // "only three" as "at least three" and no longer finds the injured):
    // a dry run writes nothing; the run writes a new claim set for the one
    // source it reads differently, carries the rejection to the new claim at
    // the same passage, lists the move of the claim it no longer finds, and
    // the store verifies, the replaced set included.
    let later = |body: &str, ctx: &dossier_extract::Context, g: &dossier_extract::Gazetteer| {
        let mut ex = dossier_extract::extract(body, ctx, g);
        ex.claims.retain(|c| c.kind != dossier_model::ClaimKind::Injured);
        for c in &mut ex.claims {
            if let dossier_model::ClaimValue::Count(n) = &mut c.value {
                if n.min == Some(3) {
                    n.qualifier = "at least".into();
                }
            }
        }
        ex
    };
    let entries = app.verify().await.unwrap().log_entries;
    let all = dossier_app::ReextractScope::All;
    let dry = app.reextract_with(&all, true, &later).await.unwrap();
    assert_eq!(app.verify().await.unwrap().log_entries, entries, "a dry run writes nothing");
    let changed: Vec<_> = dry.sources.iter().filter(|s| !s.same()).collect();
    assert_eq!(changed.len(), 1, "{dry:?}");
    let b = changed[0];
    assert_eq!((b.changed, b.removed, b.added, b.carried), (1, 1, 0, 1), "{b:?}");
    assert_eq!(b.uncarried.iter().map(|u| u.action.as_str()).collect::<Vec<_>>(), ["claim.moved"]);
    let run = app.reextract_with(&all, false, &later).await.unwrap();
    assert_eq!(
        run.sources.iter().map(|s| (s.changed, s.removed, s.carried)).collect::<Vec<_>>(),
        dry.sources.iter().map(|s| (s.changed, s.removed, s.carried)).collect::<Vec<_>>()
    );
    let b_id = b.source.clone().unwrap();
    let b_now = app.claims_of(&b_id).await.unwrap();
    assert!(b_now.iter().all(|c| c.kind != dossier_model::ClaimKind::Injured));
    let three_now = b_now.iter().find(|c| c.count().is_some_and(|n| n.min == Some(3))).unwrap();
    assert_ne!(three_now.id, three, "a new claim set has claims of its own");
    assert_eq!(three_now.status, dossier_model::ClaimStatus::Rejected, "the rejection is carried");
    assert_eq!(three_now.review.as_ref().unwrap().actor, "alice");
    assert!(app.claim(&three).await.unwrap().is_none(), "the replaced claim is history");
    let report = app.verify().await.unwrap();
    assert!(report.ok(), "{:?}", report.problems);
    let log = app.log_entries().await.unwrap();
    let set = log.iter().rev().find(|e| e.action == "claims.extracted").unwrap();
    assert_eq!(set.subject, b_id.as_str());
    assert!(set.payload.contains("replaces_extractor"), "{}", set.payload);
    let history = app.extraction_history(&b_id).await.unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[1].extractor, dossier_app::EXTRACTOR_VERSION);
    let looks = app.second_looks().await.unwrap();
    assert_eq!(looks.iter().map(|l| l.action.as_str()).collect::<Vec<_>>(), ["claim.moved"]);
    assert_eq!(looks[0].claim.as_ref().map(|c| c.kind), Some(dossier_model::ClaimKind::Injured));
    let again = app.reextract_with(&all, false, &later).await.unwrap();
    assert!(again.sources.iter().all(|s| s.same() && s.written.is_none()), "nothing left to do");
    // Back to the running extractor: the injured figure is found again.
    let back = app.reextract(&dossier_app::ReextractScope::Source(b_id.clone()), false).await.unwrap();
    assert_eq!((back.sources[0].added, back.sources[0].changed), (1, 1));
    assert!(app.verify().await.unwrap().ok());
    assert!(app.second_looks().await.unwrap().is_empty(), "a later extraction supersedes the list");
    let incidents = app.incidents().await.unwrap();
    let ashraf = incidents.iter().find(|i| i.place.as_ref().is_some_and(|p| p.name == "Camp Ashraf")).unwrap();
    assert_eq!(ashraf.injured.by_source.len(), 1);
    assert_eq!((ashraf.killed.min, ashraf.killed.max), (Some(35), Some(35)), "the edit and the rejection hold");

    // Tampering with one log row is detected and named.
    let pool = AnyPoolOptions::new().max_connections(1).connect(&tamper_url).await.unwrap();
    sqlx::query("UPDATE log_entries SET actor = 'mallory' WHERE seq = 2").execute(&pool).await.unwrap();
    let report = app.verify().await.unwrap();
    assert!(!report.ok());
    assert!(report.problems.iter().any(|p| p.subject == "log entry 2"), "{:?}", report.problems);
    sqlx::query("UPDATE log_entries SET actor = 'dossier' WHERE seq = 2").execute(&pool).await.unwrap();
    assert!(app.verify().await.unwrap().ok());

    // Tampering with a claim row is detected and named.
    sqlx::query("UPDATE claims SET text = 'killed 340' WHERE kind = 'killed' AND source_id = $1")
        .bind(a_id.as_str())
        .execute(&pool)
        .await
        .unwrap();
    let report = app.verify().await.unwrap();
    let names: Vec<&str> = report.problems.iter().map(|p| p.subject.as_str()).collect();
    assert!(names.iter().any(|n| n.starts_with("claims of source ") && n.contains(a_id.as_str())), "{names:?}");
    assert!(names.iter().any(|n| n.starts_with("claim clm-")), "{names:?}");

    // Tampering with a review row is detected and named.
    sqlx::query("UPDATE reviews SET reason = 'no reason' WHERE action = 'reject'").execute(&pool).await.unwrap();
    let report = app.verify().await.unwrap();
    assert!(report.problems.iter().any(|p| p.subject.starts_with("review of claim")), "{:?}", report.problems);
    sqlx::query("UPDATE claim_moves SET reason = 'no reason' WHERE target_id IS NULL").execute(&pool).await.unwrap();
    let report = app.verify().await.unwrap();
    assert!(report.problems.iter().any(|p| p.subject.starts_with("move of claim")), "{:?}", report.problems);
    // A replaced claim set is still checked against its own entry.
    sqlx::query(
        "UPDATE claims SET value = replace(value, '3', '4') WHERE source_id = $1 AND log_seq = \
                 (SELECT MIN(seq) FROM claim_sets WHERE source_id = $1)",
    )
    .bind(b_id.as_str())
    .execute(&pool)
    .await
    .unwrap();
    let report = app.verify().await.unwrap();
    assert!(
        report.problems.iter().any(|p| p.subject.starts_with("replaced claims of source")),
        "{:?}",
        report.problems
    );
    sqlx::query("DELETE FROM grouping_decisions").execute(&pool).await.unwrap();
    let report = app.verify().await.unwrap();
    assert!(report.problems.iter().any(|p| p.message.contains("missing from the store")), "{:?}", report.problems);
    pool.close().await;
    app.close().await;
}

#[tokio::test]
async fn story_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let url = dossier_store::Store::sqlite_url(&dir.path().join("dossier.sqlite"));
    story(dir.path(), None, url).await;
}

#[tokio::test]
async fn story_on_postgres() {
    let Ok(admin_url) = std::env::var("DOSSIER_TEST_POSTGRES_URL") else {
        panic!("DOSSIER_TEST_POSTGRES_URL is not set: run scripts/test.sh, which starts a throwaway PostgreSQL server");
    };
    sqlx::any::install_default_drivers();
    let name = format!("dossier_story_{}", std::process::id());
    let admin = AnyPoolOptions::new().max_connections(1).connect(&admin_url).await.expect("PostgreSQL is reachable");
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name}")).execute(&admin).await.unwrap();
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&admin).await.unwrap();
    let (base, _) = admin_url.rsplit_once('/').expect("a URL with a database path");
    let url = format!("{base}/{name}");
    let dir = tempfile::tempdir().unwrap();
    story(dir.path(), Some(url.clone()), url).await;
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&admin).await.unwrap();
}

/// Placing each new report as it comes gives exactly what resolving
/// everything from scratch gives, on the shared dev reports.
#[tokio::test]
async fn incremental_resolution_equals_resolution_from_scratch() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path(), None).await;
    let reports = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/dev/reports");
    let mut files: Vec<_> =
        std::fs::read_dir(&reports).expect("the shared dev data").map(|e| e.unwrap().path()).collect();
    files.sort();
    for f in files.iter().chain(
        [std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../samples/reports/2011-04-14-aljazeera-ashraf-un-toll.txt")]
        .iter(),
    ) {
        let bytes = std::fs::read(f).unwrap();
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        let outcome =
            app.ingest(IngestInput { bytes, file_name: name, overrides: SourceMetaOverride::default() }).await.unwrap();
        if let IngestOutcome::New { source, .. } = outcome {
            app.resolve_new(&[source]).await.unwrap();
        }
        let stored = app.incidents().await.unwrap();
        let fresh = app.compute_incidents().await.unwrap();
        assert_eq!(stored, fresh, "after {}", f.display());
    }
    assert!(app.verify().await.unwrap().ok());
    app.close().await;
}
