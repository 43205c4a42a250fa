//! Protected persons at rest: a copy of the database (the SQLite file, or a
//! PostgreSQL dump) and the archive reveal no protected name of the test
//! data; those holding the key get every name back; `keys rotate` re-seals
//! everything and loses nothing; public exports show pseudonyms only.
//!
//! PostgreSQL: `DOSSIER_TEST_POSTGRES_URL` and `DOSSIER_TEST_POSTGRES_BIN`
//! (for `pg_dump`), as `scripts/test.sh` sets them; the test fails, never
//! skips, without them.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use dossier_app::{App, Config, IngestInput, IngestOutcome, SystemClock};
use dossier_model::SourceMetaOverride;
use sqlx::any::AnyPoolOptions;

fn dev() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/dev")
}

/// Every protected name in the gold annotations: case subjects and named victims.
fn protected_names() -> Vec<String> {
    let gold: serde_json::Value = serde_json::from_slice(&std::fs::read(dev().join("gold.json")).unwrap()).unwrap();
    let mut names = Vec::new();
    for report in gold.as_array().unwrap() {
        for case in report["cases"].as_array().into_iter().flatten() {
            names.push(case["person"].as_str().unwrap().to_string());
        }
        for incident in report["incidents"].as_array().unwrap() {
            for v in incident["victims_named"].as_array().into_iter().flatten() {
                names.push(v["name"].as_str().unwrap().to_string());
            }
        }
    }
    assert!(!names.is_empty(), "the test data names protected persons");
    names
}

/// The words a leak would show: each name and each of its words, as written and lowercased.
fn needles(names: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for n in names {
        out.push(n.clone());
        for w in n.split_whitespace().filter(|w| w.len() >= 4) {
            out.push(w.to_string());
            out.push(w.to_lowercase());
        }
    }
    out
}

fn leaks(bytes: &[u8], needles: &[String]) -> Vec<String> {
    needles.iter().filter(|n| bytes.windows(n.len()).any(|w| w == n.as_bytes())).cloned().collect()
}

/// Every file under `dir` except the key files, with the needles it holds.
fn leaking_files(dir: &Path, needles: &[String]) -> Vec<(PathBuf, Vec<String>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                if p.file_name().is_some_and(|n| n != "keys") {
                    stack.push(p);
                }
            } else {
                // SQLite may remove a journal between the listing and the read: a file gone holds nothing.
                let bytes = match std::fs::read(&p) {
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                    other => other.unwrap(),
                };
                let found = leaks(&bytes, needles);
                if !found.is_empty() {
                    out.push((p, found));
                }
            }
        }
    }
    out
}

async fn open(dir: &Path, url: Option<String>) -> App {
    let mut config = Config::new(dir);
    config.database_url = url;
    App::open(config, Arc::new(SystemClock)).await.expect("store opens")
}

async fn ingest_dev(app: &App) {
    let mut files: Vec<_> = std::fs::read_dir(dev().join("reports")).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    for f in files {
        let input = IngestInput {
            bytes: std::fs::read(&f).unwrap(),
            file_name: f.file_name().unwrap().to_string_lossy().into(),
            overrides: SourceMetaOverride::default(),
        };
        assert!(matches!(app.ingest(input).await.unwrap(), IngestOutcome::New { .. }));
    }
    app.resolve().await.unwrap();
}

/// Names come back to the key holder, never in public output; verify holds.
async fn check_names_and_outputs(app: &App, names: &[String]) {
    let report = app.verify().await.unwrap();
    assert!(report.problems.is_empty(), "verify: {:?}", report.problems);
    let full = app.export_json().await.unwrap();
    for n in names {
        assert!(full.contains(n.as_str()), "the key holder's export names {n}");
    }
    let public = app.export_json_public().await.unwrap();
    assert_eq!(leaks(public.as_bytes(), &needles(names)), Vec::<String>::new(), "the public export leaks");
    assert!(public.contains("Person "), "the public export names persons by pseudonym");
    let csv = app.export_csv().await.unwrap();
    assert_eq!(leaks(csv.as_bytes(), &needles(names)), Vec::<String>::new(), "the CSV leaks");
    // The body as written comes back whole: its passages index it as the original's.
    let export: serde_json::Value = serde_json::from_str(&full).unwrap();
    let victims: Vec<&serde_json::Value> =
        export["incidents"].as_array().unwrap().iter().flat_map(|i| i["victims"].as_array().unwrap()).collect();
    assert!(victims.iter().any(|v| v["name"] == names[0].as_str() && v["role"] == "detainee"), "{victims:?}");
    let public: serde_json::Value = serde_json::from_str(&public).unwrap();
    let listed: Vec<&serde_json::Value> =
        public["incidents"].as_array().unwrap().iter().flat_map(|i| i["victims"].as_array().unwrap()).collect();
    assert_eq!(listed.len(), victims.len());
    assert!(listed.iter().all(|v| v["name"] == v["pseudonym"]), "{listed:?}");
    for c in export["claims"].as_array().unwrap() {
        let source = export["sources"].as_array().unwrap().iter().find(|s| s["id"] == c["source"]).unwrap();
        let body = source["body"].as_str().unwrap();
        let (start, end) = (c["span"]["start"].as_u64().unwrap() as usize, c["span"]["end"].as_u64().unwrap() as usize);
        assert_eq!(&body[start..end], c["text"].as_str().unwrap());
    }
}

async fn protected_story(dir: &Path, url: Option<String>) -> App {
    let names = protected_names();
    let app = open(dir, url.clone()).await;
    ingest_dev(&app).await;
    check_names_and_outputs(&app, &names).await;

    // The same person in a later report keeps the pseudonym.
    let public = app.export_json_public().await.unwrap();
    let first = public.find("Person ").map(|i| public[i..i + 13].to_string()).unwrap();
    let later = format!(
        "TITLE: Follow-up\nSOURCE-TYPE: ngo\nPUBLISHED: 2013-03-01\n\n{} was released after 40 days, his family said; \
         an eyewitness, Karim Haddad, said he had been beaten.\n",
        names[0]
    );
    let later = IngestInput { bytes: later.into_bytes(), file_name: "later.txt".into(), overrides: Default::default() };
    app.ingest(later).await.unwrap();
    app.resolve().await.unwrap();
    let public = app.export_json_public().await.unwrap();
    assert!(!public.contains("Karim Haddad") && !public.contains("Haddad"), "a witness is protected too");
    assert!(public.matches(first.as_str()).count() >= 2, "one pseudonym across reports");

    // Rotation: every sealed value under the new key, nothing lost.
    let before = app.export_json().await.unwrap();
    let rotation = app.rotate_data_key().await.unwrap();
    assert_ne!(rotation.old_key, rotation.new_key);
    assert!(rotation.persons >= 2 && rotation.bodies >= 2 && rotation.originals >= 2, "{rotation:?}");
    let key_file = std::fs::read_to_string(dir.join("keys/data.key")).unwrap();
    assert_eq!(key_file.lines().count(), 1, "the old key is gone");
    assert_eq!(app.export_json().await.unwrap(), before, "the same records after rotation");
    let names: Vec<String> = names.into_iter().chain(["Karim Haddad".to_string()]).collect();
    check_names_and_outputs(&app, &names).await;

    // Re-extraction by a later extractor (here: one that reads every count
    // as approximate) writes new claim sets for the protected sources too,
    // masked as their stored text is: still no name in public output.
    let later = |body: &str, ctx: &dossier_extract::Context, g: &dossier_extract::Gazetteer| {
        let mut ex = dossier_extract::extract(body, ctx, g);
        for c in &mut ex.claims {
            if let dossier_model::ClaimValue::Count(n) = &mut c.value {
                n.qualifier = "approximately".into();
            }
        }
        ex
    };
    let run = app.reextract_with(&dossier_app::ReextractScope::All, false, &later).await.unwrap();
    assert!(run.sources.iter().all(|s| s.skipped.is_none()), "{run:?}");
    let protected_sources = app.sources().await.unwrap().into_iter().filter(|s| s.body.contains('#')).count();
    assert!(protected_sources >= 2);
    assert!(run.sources.iter().filter(|s| s.written.is_some()).count() >= protected_sources);
    check_names_and_outputs(&app, &names).await;
    // A process opened afterwards reads with the new key only.
    let again = open(dir, url).await;
    assert_eq!(again.export_json().await.unwrap(), app.export_json().await.unwrap());
    again.close().await;
    app
}

#[tokio::test]
async fn sqlite_file_and_archive_reveal_no_protected_name() {
    let dir = tempfile::tempdir().unwrap();
    let app = protected_story(dir.path(), None).await;
    let needles = needles(&protected_names().into_iter().chain(["Karim Haddad".to_string()]).collect::<Vec<_>>());
    // While open (the write-ahead log holds recent pages) and after closing.
    assert_eq!(leaking_files(dir.path(), &needles), vec![]);
    app.close().await;
    assert_eq!(leaking_files(dir.path(), &needles), vec![]);
    // The grep can find what it looks for: the key holder's export holds the names.
    let plain = dir.path().join("plain.json");
    let app = open(dir.path(), None).await;
    std::fs::write(&plain, app.export_json().await.unwrap()).unwrap();
    assert!(!leaking_files(dir.path(), &needles).is_empty());
    app.close().await;
}

#[tokio::test]
async fn postgres_dump_reveals_no_protected_name() {
    let Ok(admin_url) = std::env::var("DOSSIER_TEST_POSTGRES_URL") else {
        panic!("DOSSIER_TEST_POSTGRES_URL is not set: run scripts/test.sh, which starts a throwaway PostgreSQL server");
    };
    let bin = std::env::var("DOSSIER_TEST_POSTGRES_BIN").expect("DOSSIER_TEST_POSTGRES_BIN names PostgreSQL's bin/");
    sqlx::any::install_default_drivers();
    let name = format!("dossier_protected_{}", std::process::id());
    let admin = AnyPoolOptions::new().max_connections(1).connect(&admin_url).await.expect("PostgreSQL is reachable");
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name}")).execute(&admin).await.unwrap();
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&admin).await.unwrap();
    let (base, _) = admin_url.rsplit_once('/').unwrap();
    let url = format!("{base}/{name}");
    let dir = tempfile::tempdir().unwrap();
    let app = protected_story(dir.path(), Some(url.clone())).await;
    app.close().await;
    let dump = std::process::Command::new(Path::new(&bin).join("pg_dump")).arg(&url).output().expect("pg_dump runs");
    assert!(dump.status.success(), "pg_dump: {}", String::from_utf8_lossy(&dump.stderr));
    assert!(dump.stdout.len() > 10_000 && leaks(&dump.stdout, &["person_mentions".to_string()]).len() == 1);
    let needles = needles(&protected_names().into_iter().chain(["Karim Haddad".to_string()]).collect::<Vec<_>>());
    assert_eq!(leaks(&dump.stdout, &needles), Vec::<String>::new(), "the dump leaks");
    assert_eq!(leaking_files(dir.path(), &needles), vec![], "the archive leaks");
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&admin).await.unwrap();
}

/// A testimony written for this test: its words, title, author and file name are what a leak would show.
const TESTIMONY: &str = "TITLE: Testimony of Nadia Farouk\nAUTHOR: Salwa Qassem\nSOURCE-TYPE: testimony\n\
    PUBLISHED: 2013-02-11\nCONFIDENTIAL: yes\n\n\
    Soldiers killed 4 men behind the blue gate of the orchard near Khalis on 9 February 2013, the witness said.\n";

#[tokio::test]
async fn a_confidential_source_is_sealed_whole_and_its_facts_still_count() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path(), None).await;
    let input = IngestInput {
        bytes: TESTIMONY.as_bytes().to_vec(),
        file_name: "farouk-testimony.txt".into(),
        overrides: SourceMetaOverride::default(),
    };
    app.ingest(input).await.unwrap();
    app.resolve().await.unwrap();
    let secrets: Vec<String> =
        ["Nadia Farouk", "Salwa Qassem", "farouk-testimony", "blue gate", "orchard"].map(String::from).to_vec();
    // Stored: kind, date and facts; nothing of the text or who gave it.
    let s = &app.sources().await.unwrap()[0];
    assert!(s.meta.confidential);
    assert_eq!(
        (s.meta.title.as_deref(), s.file_name.as_str(), s.meta.author.as_deref()),
        (Some("Confidential source"), "confidential", None)
    );
    assert_eq!(s.meta.source_type.as_str(), "testimony");
    let claims = app.effective_claims().await.unwrap();
    let killed = claims.iter().find(|c| c.kind.as_str() == "killed").expect("the toll is extracted");
    assert!(killed.text.chars().all(|c| c == '#' || c.is_whitespace()), "{}", killed.text);
    assert_eq!(app.incidents().await.unwrap().len(), 1, "its facts still make an incident");
    let report = app.verify().await.unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert_eq!(leaking_files(dir.path(), &secrets), vec![]);
    assert_eq!(leaks(app.export_json_public().await.unwrap().as_bytes(), &secrets), Vec::<String>::new());
    // The key holder gets all of it back.
    let full = app.export_json().await.unwrap();
    assert_eq!(leaks(full.as_bytes(), &secrets).len(), secrets.len(), "{full}");
    let rotation = app.rotate_data_key().await.unwrap();
    assert_eq!((rotation.bodies, rotation.originals), (1, 1));
    assert_eq!(app.export_json().await.unwrap(), full);
    assert!(app.verify().await.unwrap().problems.is_empty());
    app.close().await;
    assert_eq!(leaking_files(dir.path(), &secrets), vec![]);
}
