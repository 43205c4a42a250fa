//! Crash safety: `dossier ingest` killed with SIGKILL at many points (until
//! 200 runs were killed mid-run), then restarted: `verify` passes and every ingest the command
//! acknowledged (printed `new …`) before the kill is stored.
#![cfg(unix)]

use std::collections::BTreeSet;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

fn dossier(data: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_dossier"));
    c.arg("--data").arg(data).env_remove("DOSSIER_DATABASE_URL").env_remove("DOSSIER_DATA");
    c
}

fn stored_sources(data: &Path) -> BTreeSet<String> {
    let out = dossier(data).args(["sources", "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v.as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap().to_string()).collect()
}

#[test]
fn killed_ingests_lose_nothing_acknowledged_and_leave_a_store_that_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let reports = dir.path().join("reports");
    let mut acknowledged = BTreeSet::new();
    let mut seed: u64 = 0x5eed;
    let mut kills = 0;
    let mut round = 0;
    // How long an ingest of one new batch takes uninterrupted on this
    // machine and build (measured on round 0): kills land anywhere in it.
    let mut full_run = Duration::ZERO;
    while kills < 200 {
        assert!(round < 400, "only {kills} of {round} runs were still running when killed");
        // Three new reports each round; the older ones are duplicates by then.
        let batch = reports.join(format!("{round:03}"));
        std::fs::create_dir_all(&batch).unwrap();
        for k in 0..3 {
            let text = format!(
                "SOURCE-TYPE: news\nPUBLISHED: 2015-06-0{}\n\n{} people were killed in Mosul on {} May 2015, police said (report {round}-{k}).\n",
                1 + k,
                3 + round % 40,
                1 + (round % 28)
            );
            std::fs::write(batch.join(format!("{k}.txt")), text).unwrap();
        }
        let mut child =
            dossier(&data).arg("ingest").arg(&reports).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().unwrap();
        let status = if round == 0 {
            let started = std::time::Instant::now();
            let status = child.wait().unwrap();
            full_run = started.elapsed();
            assert!(status.success(), "the uninterrupted ingest failed");
            status
        } else {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            let window = full_run.as_millis() as u64 * 11 / 10 + 10;
            std::thread::sleep(Duration::from_millis(2 + (seed >> 33) % window));
            let _ = child.kill();
            child.wait().unwrap()
        };
        if std::os::unix::process::ExitStatusExt::signal(&status) == Some(9) {
            kills += 1;
        }
        let mut out = String::new();
        child.stdout.take().unwrap().read_to_string(&mut out).unwrap();
        for line in out.lines().filter(|l| l.starts_with("new ")) {
            acknowledged.insert(line.split_whitespace().nth(1).unwrap().to_string());
        }
        let verify = dossier(&data).arg("verify").output().unwrap();
        assert!(
            verify.status.success(),
            "round {round}: verify failed after a kill:\n{}{}",
            String::from_utf8_lossy(&verify.stdout),
            String::from_utf8_lossy(&verify.stderr)
        );
        round += 1;
    }
    let stored = stored_sources(&data);
    let lost: Vec<_> = acknowledged.difference(&stored).collect();
    assert!(lost.is_empty(), "acknowledged but lost: {lost:?}");
    eprintln!("{kills} of {round} ingests were killed mid-run; {} acknowledged sources kept", acknowledged.len());
    assert!(!acknowledged.is_empty());
}
