//! A PostgreSQL restart in the middle of a bulk ingest loses no acknowledged
//! record: a throwaway server (scripts/postgres.sh) is restarted (fast: every
//! connection dropped) while `dossier ingest` runs; afterwards every ingest
//! the command acknowledged is stored and `verify` passes.
#![cfg(unix)]

use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/postgres.sh")
}

fn dossier(data: &Path, url: &str) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_dossier"));
    c.arg("--data").arg(data).arg("--database").arg(url).env_remove("DOSSIER_DATA");
    c
}

/// Stops the throwaway server however the test ends.
struct Server(PathBuf);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = Command::new("bash").arg(script()).arg("stop").arg(&self.0).status();
    }
}

#[test]
fn a_postgres_restart_mid_ingest_loses_no_acknowledged_record() {
    let dir = tempfile::tempdir().unwrap();
    let pg = dir.path().join("pg");
    let start = Command::new("bash").arg(script()).arg("start").arg(&pg).output().unwrap();
    assert!(start.status.success(), "PostgreSQL did not start: {}", String::from_utf8_lossy(&start.stderr));
    let server = Server(pg.clone());
    let exports = String::from_utf8_lossy(&start.stdout).to_string();
    let url = exports
        .lines()
        .find_map(|l| l.strip_prefix("export DOSSIER_TEST_POSTGRES_URL="))
        .expect("the script prints the server's URL")
        .to_string();
    let data = dir.path().join("data");
    let reports = dir.path().join("reports");
    let mut acknowledged = BTreeSet::new();
    let (mut restarted_mid_run, mut refused_runs) = (0, 0);
    for round in 0..4u64 {
        // New reports each round, so each run has work when the server restarts.
        let batch = reports.join(format!("{round}"));
        std::fs::create_dir_all(&batch).unwrap();
        for k in 0..80 {
            let text = format!(
                "SOURCE-TYPE: news\nPUBLISHED: 2015-06-01\n\n{} people were killed in Mosul on {} May 2015, police said (report {round}-{k}).\n",
                3 + k % 40,
                1 + k % 28
            );
            std::fs::write(batch.join(format!("{k:03}.txt")), text).unwrap();
        }
        let mut child = dossier(&data, &url)
            .arg("ingest")
            .arg(&batch)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(60 + 40 * round));
        if child.try_wait().unwrap().is_none() {
            restarted_mid_run += 1;
        }
        let restart = Command::new("bash").arg(script()).arg("restart").arg(&pg).output().unwrap();
        assert!(restart.status.success(), "restart failed: {}", String::from_utf8_lossy(&restart.stderr));
        let status = child.wait().unwrap();
        let mut out = String::new();
        child.stdout.take().unwrap().read_to_string(&mut out).unwrap();
        for line in out.lines().filter(|l| l.starts_with("new ")) {
            acknowledged.insert(line.split_whitespace().nth(1).unwrap().to_string());
        }
        assert!(status.code().is_some(), "the ingest ended by itself (exit {status:?}), it did not hang or crash");
        if !status.success() {
            refused_runs += 1;
        }
    }
    assert!(restarted_mid_run > 0, "no restart happened while an ingest was running");
    // A last run after the restarts ingests whatever was refused; nothing is lost or doubled.
    let out = dossier(&data, &url).arg("ingest").arg(&reports).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let sources = dossier(&data, &url).args(["sources", "--json"]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&sources.stdout).unwrap();
    let stored: BTreeSet<String> =
        v.as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap().to_string()).collect();
    let lost: Vec<_> = acknowledged.difference(&stored).collect();
    assert!(lost.is_empty(), "acknowledged but lost: {lost:?}");
    assert_eq!(stored.len(), 320, "every report stored once");
    let verify = dossier(&data, &url).arg("verify").output().unwrap();
    assert!(verify.status.success(), "{}", String::from_utf8_lossy(&verify.stdout));
    eprintln!(
        "{restarted_mid_run} of 4 restarts during a running ingest ({refused_runs} runs refused some files); \
         {} acknowledged sources kept",
        acknowledged.len()
    );
    drop(server);
}
