//! The `dossier` binary as a user runs it: ingest, export, verify, bad input,
//! tampering, demo.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

const SHARED_DEV: &str = "../../../shared/data/dev";

fn dev_reports() -> PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join(SHARED_DEV).join("reports");
    assert!(p.is_dir(), "the shared dev data must sit beside the project: {}", p.display());
    p
}

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Self {
        Env { dir: tempfile::tempdir().unwrap() }
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.dir.path().join(name);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(&p, bytes).unwrap();
        p
    }

    fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("dossier").unwrap();
        c.arg("--data").arg(self.data()).env_remove("DOSSIER_DATABASE_URL").env_remove("DOSSIER_DATA");
        c
    }

    fn export(&self) -> Value {
        let out = self.cmd().args(["export", "--format", "json"]).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap()
    }

    fn ingest(&self, paths: &[&Path]) -> assert_cmd::assert::Assert {
        self.cmd().arg("ingest").args(paths).assert()
    }
}

fn body_of<'a>(export: &'a Value, source: &str) -> &'a str {
    export["sources"].as_array().unwrap().iter().find(|s| s["id"] == source).unwrap()["body"].as_str().unwrap()
}

fn assert_span_holds(export: &Value, entry: &Value) {
    let body = body_of(export, entry["source"].as_str().unwrap());
    let (start, end) =
        (entry["span"]["start"].as_u64().unwrap() as usize, entry["span"]["end"].as_u64().unwrap() as usize);
    assert_eq!(&body[start..end], entry["text"].as_str().unwrap());
}

#[test]
fn init_is_idempotent_and_keeps_the_signing_key_private() {
    let env = Env::new();
    env.cmd().arg("init").assert().success().stdout(predicate::str::contains("store ready"));
    let key = fs::read_to_string(env.data().join("keys/signing.key")).unwrap();
    env.cmd().arg("init").assert().success();
    assert!(env.data().join("dossier.sqlite").is_file());
    assert_eq!(fs::read_to_string(env.data().join("keys/signing.key")).unwrap(), key, "the key is kept");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(env.data().join("keys/signing.key")).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "only the owner may read the key");
    }
    let db = fs::read(env.data().join("dossier.sqlite")).unwrap();
    assert!(!db.windows(key.len()).any(|w| w == key.as_bytes()), "the secret key is not in the database");
}

#[test]
fn a_bad_sites_file_is_named_once_with_its_line_and_stops_before_anything_is_read() {
    let env = Env::new();
    env.cmd().arg("init").assert().success();
    let sites = env.data().join("sites.tsv");
    let template = fs::read_to_string(&sites).unwrap();
    assert!(template.starts_with("# Places the gazetteer lacks"), "{template}");
    let lines = template.lines().count();
    fs::write(&sites, format!("{template}site\tNasr Clinic\tNasr Clinic\t\tGaza\tnorth\t34.3\n")).unwrap();
    let out = env.cmd().arg("sources").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    let line = format!("line {}: lat must be a number", lines + 1);
    assert_eq!(err.matches(&line).count(), 1, "the line is named once: {err}");
    assert!(err.contains("sites.tsv"), "{err}");
}

#[test]
fn the_seed_article_gives_its_incident_with_exact_passages() {
    let env = Env::new();
    env.ingest(&[&dev_reports()]).success().stdout(predicate::str::contains("11 new, 0 duplicate, 0 failed"));
    let export = env.export();
    assert_eq!(export["format"], "dossier-export/1");
    let seed = export["sources"].as_array().unwrap().iter().find(|s| s["file_name"] == "seed-article.txt").unwrap();
    let seed_id = seed["id"].as_str().unwrap();
    let incident = export["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["sources"].as_array().unwrap().iter().any(|s| s == seed_id))
        .expect("an incident from the seed article");
    assert_eq!(incident["date"]["start"], "2011-04-08");
    assert_eq!(incident["date"]["precision"], "day");
    assert_eq!(incident["place"]["name"], "Camp Ashraf");
    assert_eq!(incident["place"]["admin1"], "Diyala");
    assert_eq!(incident["place"]["country"], "Iraq");
    for (field, value) in [("killed", 36), ("injured", 350)] {
        let entries: Vec<&Value> =
            incident[field]["by_source"].as_array().unwrap().iter().filter(|e| e["source"] == seed_id).collect();
        assert!(!entries.is_empty(), "{field}");
        let exact: Vec<&&Value> = entries.iter().filter(|e| e["qualifier"] == "exact").collect();
        assert!(!exact.is_empty(), "{field}: {entries:?}");
        for e in &exact {
            assert_eq!((&e["min"], &e["max"]), (&Value::from(value), &Value::from(value)), "{field}: {e}");
        }
        for e in &entries {
            assert_span_holds(&export, e);
        }
    }
    // Every claim's text is exactly the passage at its span.
    for c in export["claims"].as_array().unwrap() {
        assert_span_holds(&export, c);
    }
    // And the body is the file's own bytes after its header block.
    let raw = fs::read(dev_reports().join("seed-article.txt")).unwrap();
    let header_end = raw.windows(2).position(|w| w == b"\n\n").unwrap() + 2;
    assert_eq!(body_of(&export, seed_id).as_bytes(), &raw[header_end..]);
    env.cmd().arg("verify").assert().success().stdout(predicate::str::contains("ok: the store verifies"));
}

#[test]
fn reextract_under_the_same_extractor_changes_nothing_and_names_what_it_needs() {
    let env = Env::new();
    env.ingest(&[&dev_reports()]).success();
    let log = || String::from_utf8(env.cmd().arg("verify").output().unwrap().stdout).unwrap();
    let before = log();
    env.cmd().args(["reextract", "--all", "--dry-run"]).assert().success().stdout(
        predicate::str::contains("11 source(s) read as before").and(predicate::str::contains("nothing was written")),
    );
    env.cmd().args(["reextract", "--all"]).assert().success().stdout(predicate::str::contains("read as before"));
    assert_eq!(log(), before, "nothing to record: the same entries, the same root");
    env.cmd().arg("reextract").assert().failure().stderr(predicate::str::contains("--all"));
    env.cmd().args(["reextract", "--source", "src-0000000000000000"]).assert().failure();
    env.cmd().arg("verify").assert().success();
}

#[test]
fn reingesting_identical_bytes_is_reported_not_duplicated() {
    let env = Env::new();
    let a = env.file("a.txt", b"Five people were killed in Baghdad on 3 May 2012.");
    let b = env.file("copy/b.txt", b"Five people were killed in Baghdad on 3 May 2012.");
    env.ingest(&[&a]).success().stdout(predicate::str::contains("1 new"));
    env.ingest(&[&b])
        .success()
        .stdout(predicate::str::contains("duplicate").and(predicate::str::contains("same bytes as a.txt")));
    assert_eq!(env.export()["sources"].as_array().unwrap().len(), 1);
}

#[test]
fn stdin_and_flags() {
    let env = Env::new();
    env.cmd()
        .args(["ingest", "-", "--source-type", "ngo", "--published", "2012-05-04", "--title", "From stdin"])
        .write_stdin("Three civilians were killed in Mosul yesterday.")
        .assert()
        .success();
    let export = env.export();
    let s = &export["sources"][0];
    assert_eq!(
        (s["file_name"].as_str(), s["source_type"].as_str(), s["title"].as_str()),
        (Some("-"), Some("ngo"), Some("From stdin"))
    );
    assert_eq!(export["incidents"][0]["date"]["start"], "2012-05-03");
    env.cmd()
        .args(["ingest", "-", "--published", "May 4"])
        .write_stdin("x")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid date"));
}

/// Each bad input: a one-line error naming the file and the reason, a
/// non-zero exit, and nothing stored before lost or altered.
#[test]
fn bad_inputs_get_clear_errors_and_lose_nothing() {
    let env = Env::new();
    let good = env.file("good.txt", b"TITLE: Good\n\nSeven people were killed in Baghdad on 3 May 2012.");
    env.ingest(&[&good]).success();
    let before = env.export();
    let big = env.dir.path().join("big.txt");
    let f = fs::File::create(&big).unwrap();
    f.set_len(50 * 1024 * 1024).unwrap();
    fs::create_dir_all(env.dir.path().join("empty-dir/sub")).unwrap();
    let cases: Vec<(PathBuf, &str)> = vec![
        (env.dir.path().join("missing.txt"), "no such file or directory"),
        (env.dir.path().join("empty-dir"), "directory contains no readable files"),
        (env.file("empty.txt", b""), "file is empty"),
        (env.file("blank.txt", b" \n\n\t"), "file is empty"),
        (env.file("image.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01"), "binary file (PNG image)"),
        (env.file("latin1.txt", b"Sept personnes ont \xe9t\xe9 tu\xe9es."), "not valid UTF-8"),
        (big.clone(), "over the limit"),
        (env.file("unknown-key.txt", b"TITLE: x\nCOLOUR: red\n\nFive killed."), "unknown header key \"COLOUR\""),
        (env.file("bad-date.txt", b"TITLE: x\nPUBLISHED: 31/12/2012\n\nFive killed."), "invalid published"),
        (env.file("bad-type.txt", b"SOURCE-TYPE: blog\n\nFive killed."), "unknown source type"),
        (env.file("nested.html", "<div>".repeat(100_000).as_bytes()), "HTML nested about 100000 elements deep"),
    ];
    for (path, reason) in &cases {
        let out = env.cmd().arg("ingest").arg(path).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(1), "{}: {stderr}{stdout}", path.display());
        let line = stdout
            .lines()
            .chain(stderr.lines())
            .find(|l| l.starts_with("error:"))
            .unwrap_or_else(|| panic!("no error line: {stderr}{stdout}"));
        assert!(
            line.contains(&path.display().to_string()) || line.contains(path.file_name().unwrap().to_str().unwrap()),
            "{line}"
        );
        assert!(line.contains(reason), "{}: expected {reason:?} in {line:?}", path.display());
        assert_eq!(env.export(), before, "{}: the store changed", path.display());
    }
    env.cmd().arg("verify").assert().success();
}

#[test]
fn a_batch_with_one_bad_file_ingests_the_good_ones() {
    let env = Env::new();
    env.file("batch/1.txt", b"Two people were killed in Basra on 1 June 2014.");
    env.file("batch/2.png", b"\x89PNG\r\n\x1a\n\0\0");
    env.file("batch/3.md", b"---\ntitle: Notes\n---\n# Raid\n\nFour people were wounded in Kabul on 2 June 2014.\n");
    let out = env.cmd().arg("ingest").arg(env.dir.path().join("batch")).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{text}");
    assert!(text.contains("2.png: binary file"), "{text}");
    assert!(text.contains("3 input(s): 2 new, 0 duplicate, 1 failed"), "{text}");
    let export = env.export();
    let names: Vec<&str> =
        export["sources"].as_array().unwrap().iter().map(|s| s["file_name"].as_str().unwrap()).collect();
    assert_eq!(names, vec!["1.txt", "3.md"]);
}

#[test]
fn reports_of_a_place_the_gazetteer_lacks_are_still_grouped() {
    let env = Env::new();
    let a = env.file("a.txt", b"SOURCE-TYPE: news\nPUBLISHED: 2020-03-04\n\nTwelve civilians were killed in Eastbrook on 3 March 2020, police said.");
    let b = env.file("b.txt", b"SOURCE-TYPE: ngo\nPUBLISHED: 2020-03-05\n\nThe shelling at Eastbrook on 3 March 2020 killed 15 people, according to residents.");
    let c = env.file(
        "c.txt",
        b"SOURCE-TYPE: news\nPUBLISHED: 2020-03-04\n\nFour people were killed in Westfield on 3 March 2020.",
    );
    env.ingest(&[&a, &b, &c]).success();
    let export = env.export();
    let incidents = export["incidents"].as_array().unwrap();
    assert_eq!(incidents.len(), 2, "{incidents:#?}");
    let eastbrook = incidents.iter().find(|i| i["place"]["name"] == "Eastbrook").unwrap();
    assert_eq!(eastbrook["sources"].as_array().unwrap().len(), 2);
    assert_eq!((eastbrook["killed"]["min"].as_u64(), eastbrook["killed"]["max"].as_u64()), (Some(12), Some(15)));
}

#[test]
fn hostile_html_is_read_as_text_without_scripts_or_frames() {
    let env = Env::new();
    let page = env.file(
        "page.html",
        b"<html><head><title>Shelling report</title><script>alert('x')</script><style>p{color:red}</style></head>\
          <body><p>Twelve civilians were killed in Aleppo on 4 March 2016.</p>\
          <iframe src='https://evil.example'>frame text</iframe><script>steal()</script>\
          <p onclick='bad()'>Medics said 30 were wounded.</p></body></html>",
    );
    env.ingest(&[&page]).success();
    let export = env.export();
    let s = &export["sources"][0];
    assert_eq!(s["title"], "Shelling report");
    assert_eq!(s["media_type"], "html");
    let body = s["body"].as_str().unwrap();
    assert_eq!(body, "Twelve civilians were killed in Aleppo on 4 March 2016.\n\nMedics said 30 were wounded.");
    let incident = &export["incidents"][0];
    assert_eq!(incident["killed"]["min"], 12);
    assert_eq!(incident["injured"]["by_source"][0]["according_to"], "Medics");
}

fn make_writable(path: &Path) {
    let mut perms = fs::metadata(path).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)] // the test plays an attacker
    perms.set_readonly(false);
    fs::set_permissions(path, perms).unwrap();
}

#[test]
fn changing_one_byte_of_an_archived_file_is_named_by_verify() {
    let env = Env::new();
    env.ingest(&[&dev_reports()]).success();
    env.cmd().arg("verify").assert().success();
    let export = env.export();
    let seed = export["sources"].as_array().unwrap().iter().find(|s| s["file_name"] == "seed-article.txt").unwrap();
    let sha = seed["sha256"].as_str().unwrap();
    let path = env.data().join("archive").join(&sha[..2]).join(&sha[2..]);
    make_writable(&path);
    let mut bytes = fs::read(&path).unwrap();
    bytes[200] ^= 0x01;
    fs::write(&path, &bytes).unwrap();
    env.cmd().arg("verify").assert().code(1).stdout(predicate::str::contains(format!(
        "DAMAGED source {} (seed-article.txt): archived file",
        seed["id"].as_str().unwrap()
    )));
}

fn sqlite_exec(env: &Env, sql: &str) {
    let url = format!("sqlite://{}?mode=rw", env.data().join("dossier.sqlite").display());
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        sqlx::any::install_default_drivers();
        let pool = sqlx::any::AnyPoolOptions::new().max_connections(1).connect(&url).await.unwrap();
        sqlx::query(sql).execute(&pool).await.unwrap();
        pool.close().await;
    });
}

#[test]
fn changing_one_byte_of_any_log_row_is_named_by_verify() {
    let env = Env::new();
    let a = env.file("a.txt", b"Five people were killed in Baghdad on 3 May 2012.");
    env.ingest(&[&a]).success();
    env.cmd().arg("verify").assert().success();
    // Each column of a log row, one byte changed (the first character's case flipped or a digit bumped).
    let edits = [
        "UPDATE log_entries SET recorded_at = replace(recorded_at, '20', '21') WHERE seq = 1",
        "UPDATE log_entries SET actor = 'Dossier' WHERE seq = 1",
        "UPDATE log_entries SET action = 'claims.extractee' WHERE seq = 1",
        "UPDATE log_entries SET subject = upper(subject) WHERE seq = 1",
        "UPDATE log_entries SET payload = replace(payload, 'count', 'Count') WHERE seq = 1",
        "UPDATE log_entries SET leaf_hash = (CASE WHEN substr(leaf_hash, 1, 1) = '0' THEN '1' ELSE '0' END) \
         || substr(leaf_hash, 2) WHERE seq = 1",
    ];
    // The row as written, kept aside to put back after each edit.
    sqlite_exec(&env, "CREATE TABLE saved_entry AS SELECT * FROM log_entries WHERE seq = 1");
    let restore = "UPDATE log_entries SET recorded_at = (SELECT recorded_at FROM saved_entry), \
                   actor = (SELECT actor FROM saved_entry), action = (SELECT action FROM saved_entry), \
                   subject = (SELECT subject FROM saved_entry), payload = (SELECT payload FROM saved_entry), \
                   leaf_hash = (SELECT leaf_hash FROM saved_entry) WHERE seq = 1";
    for edit in edits {
        sqlite_exec(&env, edit);
        env.cmd().arg("verify").assert().code(1).stdout(predicate::str::contains("DAMAGED log entry 1"));
        sqlite_exec(&env, restore);
        env.cmd().arg("verify").assert().success();
    }
    // A changed tree-head signature is named.
    sqlite_exec(
        &env,
        "UPDATE tree_head SET signature = (CASE WHEN substr(signature, 1, 1) = '0' THEN '1' ELSE '0' END) || substr(signature, 2)",
    );
    env.cmd().arg("verify").assert().code(1).stdout(predicate::str::contains("DAMAGED tree head signature"));
    // A removed entry breaks the tree head.
    sqlite_exec(&env, "DELETE FROM log_entries WHERE seq = 1");
    env.cmd().arg("verify").assert().code(1).stdout(predicate::str::contains("DAMAGED tree head"));
}

#[test]
fn sources_incidents_and_show() {
    let env = Env::new();
    env.ingest(&[&dev_reports().join("seed-article.txt")]).success();
    env.cmd()
        .arg("sources")
        .assert()
        .success()
        .stdout(predicate::str::contains("advocacy").and(predicate::str::contains("1 source(s)")));
    let out = env.cmd().args(["incidents", "--json"]).output().unwrap();
    let incidents: Value = serde_json::from_slice(&out.stdout).unwrap();
    let id = incidents[0]["id"].as_str().unwrap().to_string();
    env.cmd()
        .args(["show", &id])
        .assert()
        .success()
        .stdout(predicate::str::contains("36").and(predicate::str::contains("350 others injured")));
    let source = incidents[0]["sources"][0].as_str().unwrap().to_string();
    env.cmd()
        .args(["show", &source])
        .assert()
        .success()
        .stdout(predicate::str::contains("36 Ashraf residents massacred"));
    env.cmd().args(["show", "nonsense"]).assert().code(1).stderr(predicate::str::contains("not a source id"));
}

#[test]
fn export_to_a_file() {
    let env = Env::new();
    let a = env.file("a.txt", b"Five people were killed in Baghdad on 3 May 2012.");
    env.ingest(&[&a]).success();
    let out = env.dir.path().join("export.json");
    env.cmd().args(["export", "--format", "json", "-o"]).arg(&out).assert().success();
    let doc: Value = serde_json::from_slice(&fs::read(&out).unwrap()).unwrap();
    assert_eq!(doc["format"], "dossier-export/1");
}

#[test]
fn incidents_export_as_csv_with_fatality_ranges() {
    let env = Env::new();
    env.cmd().args(["demo", "--no-serve"]).assert().success();
    let out = env.cmd().args(["export", "--format", "csv"]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    assert!(
        header.starts_with("incident_id,event_date,event_date_end,date_precision,event_type,acled_event_type"),
        "{header}"
    );
    let row = lines.find(|l| l.contains("2011-04-08")).expect("the 2011 incident");
    // fatalities low, best (the value most sources give), high: 3, 34, 34.
    assert!(row.contains(",3,34,34,"), "{row}");
    assert!(row.contains("Camp Ashraf,Diyala,Iraq"), "{row}");
}

#[test]
fn demo_ingests_the_samples_and_shows_disagreeing_tolls() {
    let env = Env::new();
    let out = env.cmd().args(["demo", "--no-serve"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("verify: ") && text.contains(": ok"), "{text}");
    let export = env.export();
    assert_eq!(export["sources"].as_array().unwrap().len(), 4);
    let disagreeing = export["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["sources"].as_array().unwrap().len() >= 2 && i["killed"]["min"] != i["killed"]["max"])
        .count();
    assert!(disagreeing >= 1, "at least two sources disagree on a toll for one incident");
    let two_sources =
        export["incidents"].as_array().unwrap().iter().find(|i| i["sources"].as_array().unwrap().len() >= 2).unwrap();
    let id = two_sources["id"].as_str().unwrap();
    env.cmd()
        .args(["show", id, "--why"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("founded the incident").and(predicate::str::contains("joined, matched with src-")),
        )
        .stdout(predicate::str::contains("date").and(predicate::str::contains("place")));
    for s in export["sources"].as_array().unwrap() {
        assert!(s["note"].as_str().unwrap().starts_with("Paraphrase written for Dossier"), "{s}");
        assert!(s["url"].as_str().is_some());
    }
}

#[test]
fn a_reviewer_rejects_a_figure_and_splits_an_incident_each_logged() {
    let env = Env::new();
    env.cmd().args(["demo", "--no-serve"]).assert().success();
    let queue = env.cmd().args(["review", "queue", "--limit", "100"]).output().unwrap();
    let queue = String::from_utf8_lossy(&queue.stdout).to_string();
    let line = queue.lines().find(|l| l.contains("only three people died")).expect("the commander's figure is queued");
    let claim = line.split_whitespace().next().unwrap();
    env.cmd()
        .args(["review", "reject", claim, "--by", "alice"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("needs a reason"));
    env.cmd()
        .args(["review", "reject", claim, "--by", "alice", "--reason", "vehicle deaths only"])
        .assert()
        .success()
        .stdout(predicate::str::contains("reject").and(predicate::str::contains("by alice")));
    let export = env.export();
    let incident = export["incidents"].as_array().unwrap().iter().find(|i| i["date"]["start"] == "2011-04-08").unwrap();
    assert_eq!(incident["killed"]["min"], 28, "the rejected 3 no longer counts");
    let rejected = export["claims"].as_array().unwrap().iter().find(|c| c["id"] == claim).unwrap();
    assert_eq!(rejected["status"], "rejected");
    let id = incident["id"].as_str().unwrap().to_string();
    let second = incident["sources"][1].as_str().unwrap().to_string();
    env.cmd()
        .args(["incidents", "split", &id, "--source", &second, "--reason", "separate raids", "--by", "bob"])
        .assert()
        .success()
        .stdout(predicate::str::contains("3 incident(s)"));
    env.cmd().arg("verify").assert().success();
}

#[test]
fn a_backup_restores_into_a_fresh_directory_and_verifies() {
    let env = Env::new();
    env.ingest(&[&dev_reports()]).success();
    let backup = env.dir.path().join("backup");
    env.cmd().arg("backup").arg(&backup).assert().success().stdout(predicate::str::contains("11 archived file(s)"));
    env.cmd().arg("backup").arg(&backup).assert().code(1).stderr(predicate::str::contains("not empty"));
    let restored = env.dir.path().join("restored");
    let mut restore = Command::cargo_bin("dossier").unwrap();
    restore.arg("--data").arg(&restored).arg("restore").arg(&backup).env_remove("DOSSIER_DATABASE_URL");
    restore.assert().success().stdout(predicate::str::contains("ok: the store verifies"));
    let export_of = |data: &Path| {
        let out = Command::cargo_bin("dossier").unwrap().arg("--data").arg(data).args(["export"]).output().unwrap();
        serde_json::from_slice::<Value>(&out.stdout).unwrap()
    };
    assert_eq!(export_of(&env.data()), export_of(&restored));
    // Restoring over existing data is refused.
    let mut again = Command::cargo_bin("dossier").unwrap();
    again.arg("--data").arg(&restored).arg("restore").arg(&backup);
    again.assert().code(1).stderr(predicate::str::contains("not empty"));
}

#[test]
fn a_separate_event_in_a_report_is_its_own_incident_and_a_reviewer_can_move_a_claim() {
    let env = Env::new();
    let a = env.file(
        "a.txt",
        b"TITLE: Bombing and raid\nSOURCE-TYPE: news\nPUBLISHED: 2012-05-04\n\n\
          A suicide bomber killed 12 people at a market in Baghdad on 3 May 2012, police said.\n\n\
          In a separate incident, gunmen raided a prison in Mosul and shot dead four guards.\n",
    );
    let b = env.file(
        "b.txt",
        b"TITLE: Prison raid\nSOURCE-TYPE: government\nPUBLISHED: 2012-05-04\n\n\
          Five prison guards were killed when gunmen stormed the prison in Mosul on 3 May 2012.\n",
    );
    env.ingest(&[&a, &b]).success();
    let export = env.export();
    let incidents = export["incidents"].as_array().unwrap();
    assert_eq!(incidents.len(), 2, "{incidents:#?}");
    let at = |name: &str| incidents.iter().find(|i| i["place"]["name"] == name).unwrap().clone();
    let (baghdad, mosul) = (at("Baghdad"), at("Mosul"));
    assert_eq!(baghdad["killed"]["by_source"].as_array().unwrap().len(), 1);
    assert_eq!(mosul["sources"].as_array().unwrap().len(), 2, "both reports of the raid: {mosul:#?}");
    assert_eq!((mosul["killed"]["min"].as_u64(), mosul["killed"]["max"].as_u64()), (Some(4), Some(5)));
    // A reviewer moves the four guards' figure into the bombing (say, after reading the original).
    let four = mosul["killed"]["by_source"].as_array().unwrap().iter().find(|e| e["min"] == 4).unwrap();
    let claim = four["claim"].as_str().unwrap();
    let target = baghdad["id"].as_str().unwrap();
    env.cmd()
        .args(["review", "move", claim, "--to", target, "--by", "ana"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("needs a reason"));
    env.cmd()
        .args(["review", "move", claim, "--to", target, "--by", "ana", "--reason", "the guards were at the market"])
        .assert()
        .success()
        .stdout(predicate::str::contains("moved").and(predicate::str::contains("by ana")));
    let export = env.export();
    let holder = export["incidents"].as_array().unwrap().iter().find(|i| i["place"]["name"] == "Baghdad").unwrap();
    assert_eq!(holder["killed"]["by_source"].as_array().unwrap().len(), 2, "{holder:#?}");
    let moved = export["claims"].as_array().unwrap().iter().find(|c| c["id"] == claim).unwrap();
    assert_eq!(moved["moved"]["actor"], "ana");
    assert_eq!(moved["value"]["min"], 4, "the claim itself is unchanged");
    env.cmd().args(["show", holder["id"].as_str().unwrap(), "--why"]).assert().success().stdout(
        predicate::str::contains("moved here by ana").and(predicate::str::contains("guards were at the market")),
    );
    env.cmd().arg("verify").assert().success();
}

#[test]
fn a_bundle_is_exported_and_verified_offline_with_the_published_key() {
    let env = Env::new();
    env.cmd().args(["demo", "--no-serve"]).assert().success();
    let init = env.cmd().arg("init").output().unwrap();
    let init = String::from_utf8_lossy(&init.stdout).to_string();
    let key = init.lines().find_map(|l| l.strip_prefix("public key ")).unwrap().split_whitespace().next().unwrap();
    let bundle = env.dir.path().join("dossier.bundle.json");
    env.cmd().args(["export", "--format", "bundle", "-o"]).arg(&bundle).assert().success();
    // Checked with no store at all: a fresh directory, only the file and the key.
    let offline = Env::new();
    offline
        .cmd()
        .arg("verify")
        .arg(&bundle)
        .args(["--key", key])
        .assert()
        .success()
        .stdout(predicate::str::contains("ok: the bundle verifies"));
    assert!(!offline.data().exists(), "verifying a bundle opens no store");
    // Later: one more report; the new bundle proves it extends the first.
    let more = env.file("more.txt", b"TITLE: x\nSOURCE-TYPE: news\n\nA bomb killed 9 people in Mosul on 3 May 2012.\n");
    env.ingest(&[&more]).success();
    let later = env.dir.path().join("later.bundle.json");
    env.cmd().args(["export", "--format", "bundle", "-o"]).arg(&later).assert().success();
    offline
        .cmd()
        .arg("verify")
        .arg(&later)
        .args(["--key", key, "--extends"])
        .arg(&bundle)
        .assert()
        .success()
        .stdout(predicate::str::contains("extends the"));
    offline.cmd().arg("verify").arg(&bundle).args(["--key", key, "--extends"]).arg(&later).assert().code(1);
    offline.cmd().arg("verify").arg(&bundle).args(["--key", &"ab".repeat(32)]).assert().code(1);
    let mut bytes = fs::read(&bundle).unwrap();
    let at = bytes.windows(9).position(|w| w == b"residents").unwrap();
    bytes[at] = b'R';
    let damaged = offline.file("damaged.json", &bytes);
    offline
        .cmd()
        .arg("verify")
        .arg(&damaged)
        .args(["--key", key])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("DAMAGED"));
}

#[test]
fn users_get_roles_and_tokens_and_serving_beyond_loopback_needs_an_admin() {
    let env = Env::new();
    env.cmd().arg("init").assert().success();
    // Not on a non-loopback address while no admin exists (the port is never bound).
    env.cmd()
        .args(["serve", "--addr", "0.0.0.0:0"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("needs authentication configured first"));
    env.cmd()
        .args(["users", "add", "ana", "--role", "admin", "--by", "setup"])
        .env("DOSSIER_PASSWORD", "short")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("at least 12 characters"));
    env.cmd()
        .args(["users", "add", "ana", "--role", "admin", "--by", "setup"])
        .write_stdin("correct horse battery staple\n")
        .assert()
        .success();
    env.cmd()
        .args(["users", "add", "bo", "--role", "boss"])
        .env("DOSSIER_PASSWORD", "correct horse battery staple")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--role must be one of"));
    env.cmd()
        .args(["users", "list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("ana").and(predicate::str::contains("admin")));
    let out = env.cmd().args(["users", "token", "ana"]).output().unwrap();
    assert!(out.status.success());
    let token = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert!(token.starts_with("dsr_") && token.len() == 68, "{token}");
    // Neither the password nor the token is stored in clear.
    let db = fs::read(env.data().join("dossier.sqlite")).unwrap();
    let wal = fs::read(env.data().join("dossier.sqlite-wal")).unwrap_or_default();
    for bytes in [&db, &wal] {
        let text = String::from_utf8_lossy(bytes);
        assert!(!text.contains("correct horse") && !text.contains(&token), "a secret is stored in clear");
    }
    env.cmd().arg("verify").assert().success();
}

#[test]
fn a_reader_that_stops_early_ends_the_output_quietly() {
    let env = Env::new();
    let dir = env.dir.path().join("many");
    for k in 0..60 {
        env.file(
            &format!("many/{k}.txt"),
            format!("SOURCE-TYPE: news\n\n{} people were killed in Mosul on {} May 2015.\n", k + 2, k % 28 + 1)
                .as_bytes(),
        );
    }
    env.ingest(&[&dir]).success();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("--data")
        .arg(env.data())
        .arg("sources")
        .env_remove("DOSSIER_DATABASE_URL")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take()); // the reader goes away before reading anything
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(out.status.code() == Some(141) || out.status.success(), "{:?}", out.status);
}
