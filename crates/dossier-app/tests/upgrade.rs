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

#[tokio::test]
async fn a_store_made_by_an_earlier_release_verifies_and_is_brought_up_to_date() {
    let (_dir, data) = data_copy();
    let app = open(&data).await;
    verifies_and_is_regrouped(&app).await;
    app.close().await;
}

#[tokio::test]
async fn an_earlier_store_is_extracted_again_under_the_running_extractor() {
    let (_dir, data) = data_copy();
    let app = open(&data).await;
    verifies_with_a_notice(&app).await;
    is_extracted_again(&app).await;
    app.close().await;
}

/// The earlier store verifies, and `verify` says which resolver made its incidents.
async fn verifies_with_a_notice(app: &App) {
    let before = app.verify().await.unwrap();
    assert!(before.ok(), "{:?}", before.problems);
    assert_eq!(before.sources, 4);
    assert!(
        before.notices.iter().any(|n| n.contains("dossier-resolve/0") && n.contains(dossier_app::RESOLVER_VERSION)),
        "verify says which resolver made the incidents: {:?}",
        before.notices
    );
}

/// Regrouped under today's resolver as a logged event; a new report goes in beside the old.
async fn verifies_and_is_regrouped(app: &App) {
    verifies_with_a_notice(app).await;

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
}

/// `reextract --all` writes new claim sets naming both extractors, carries
/// every review or lists it, regroups, and the store verifies with no notice.
async fn is_extracted_again(app: &App) {
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

/// The same upgrade on PostgreSQL: the fixture's rows are loaded into a
/// PostgreSQL database at the schema version the fixture was made with (the
/// later migrations left pending, as on a server that ran that release),
/// beside its archive and keys; today's code opens it, migrates it, verifies
/// it, re-extracts and regroups it, and still names a change made after.
#[tokio::test]
async fn a_store_made_by_an_earlier_release_upgrades_on_postgresql() {
    let Ok(admin_url) = std::env::var("DOSSIER_TEST_POSTGRES_URL") else {
        panic!("DOSSIER_TEST_POSTGRES_URL is not set: run scripts/test.sh, which starts a throwaway PostgreSQL server");
    };
    sqlx::any::install_default_drivers();
    let name = format!("dossier_upgrade_{}", std::process::id());
    let admin = AnyPoolOptions::new().max_connections(1).connect(&admin_url).await.expect("PostgreSQL is reachable");
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name}")).execute(&admin).await.unwrap();
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&admin).await.unwrap();
    let (base, _) = admin_url.rsplit_once('/').expect("a URL with a database path");
    let url = format!("{base}/{name}");

    let (_dir, data) = data_copy();
    let sqlite = data.join("dossier.sqlite");
    let made_with = load_into_postgres(&dossier_store::Store::sqlite_url(&sqlite), &url).await;
    assert!(made_with < 17, "the fixture predates the latest migrations (made at {made_with})");
    std::fs::remove_file(&sqlite).unwrap();

    let mut config = Config::new(&data);
    config.database_url = Some(url.clone());
    let app = App::open(config.clone(), Arc::new(SystemClock)).await.expect("the earlier store opens on PostgreSQL");
    verifies_with_a_notice(&app).await;
    is_extracted_again(&app).await;
    app.close().await;
    assert!(!sqlite.exists(), "the app used PostgreSQL only");

    let pool = AnyPoolOptions::new().max_connections(1).connect(&url).await.unwrap();
    sqlx::query("UPDATE reviews SET reason = 'no reason'").execute(&pool).await.unwrap();
    pool.close().await;
    let app = App::open(config, Arc::new(SystemClock)).await.unwrap();
    let report = app.verify().await.unwrap();
    assert!(
        report.problems.iter().any(|p| p.subject.starts_with("review of claim")),
        "a changed review is named: {:?}",
        report.problems
    );
    app.close().await;
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&admin).await.unwrap();
}

/// Copies every row of the SQLite store at `from` into the PostgreSQL
/// database at `to`, after giving it the schema of the migrations `from` had
/// applied; returns the last of those.
async fn load_into_postgres(from: &str, to: &str) -> i64 {
    use sqlx::Row;
    let src = AnyPoolOptions::new().max_connections(1).connect(from).await.unwrap();
    let last: i64 = sqlx::query("SELECT MAX(version) AS v FROM _sqlx_migrations")
        .fetch_one(&src)
        .await
        .unwrap()
        .try_get("v")
        .unwrap();
    dossier_store::Store::migrate_until(to, last).await.unwrap();
    let dst = AnyPoolOptions::new().max_connections(1).connect(to).await.unwrap();
    let tables: Vec<String> = sqlx::query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
         AND name <> '_sqlx_migrations' ORDER BY rowid",
    )
    .fetch_all(&src)
    .await
    .unwrap()
    .iter()
    .map(|r| r.try_get::<String, _>("name").unwrap())
    .collect();
    assert!(tables.iter().any(|t| t == "log_entries") && tables.iter().any(|t| t == "claims"));
    for table in &tables {
        let columns: Vec<(String, String)> =
            sqlx::query(&format!("SELECT name, type FROM pragma_table_info('{table}')"))
                .fetch_all(&src)
                .await
                .unwrap()
                .iter()
                .map(|r| (r.try_get("name").unwrap(), r.try_get::<String, _>("type").unwrap().to_uppercase()))
                .collect();
        // Rows a migration seeds (the empty tree head) give way to the fixture's.
        sqlx::query(&format!("DELETE FROM {table}")).execute(&dst).await.unwrap();
        let names: Vec<&str> = columns.iter().map(|(n, _)| n.as_str()).collect();
        let insert = format!(
            "INSERT INTO {table} ({}) VALUES ({})",
            names.join(", "),
            (1..=names.len()).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
        );
        for row in sqlx::query(&format!("SELECT {} FROM {table}", names.join(", "))).fetch_all(&src).await.unwrap() {
            let mut q = sqlx::query(&insert);
            for (i, (column, kind)) in columns.iter().enumerate() {
                q = match kind.as_str() {
                    "BIGINT" | "INTEGER" => q.bind(row.try_get::<Option<i64>, _>(i).unwrap()),
                    "DOUBLE PRECISION" | "REAL" => q.bind(row.try_get::<Option<f64>, _>(i).unwrap()),
                    "TEXT" => q.bind(row.try_get::<Option<String>, _>(i).unwrap()),
                    other => panic!("{table}.{column}: a column type this copy does not know: {other}"),
                };
            }
            q.execute(&dst).await.unwrap();
        }
    }
    src.close().await;
    dst.close().await;
    last
}
