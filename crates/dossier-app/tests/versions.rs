//! The extractor's and resolver's version names are bumped whenever their
//! output changes: the digest of their output over the shared dev reports
//! (`../shared/data/dev` and `dev2`) is pinned to the version in
//! `tests/version-pins.txt`. A change of output under an unchanged version
//! fails here, so a store's log always names the rules that made its records.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use dossier_app::{App, Clock, Config, IngestInput, EXTRACTOR_VERSION, RESOLVER_VERSION};
use dossier_model::{Sha256Hex, SourceMetaOverride};

struct TestClock(AtomicU64);

impl Clock for TestClock {
    fn now(&self) -> String {
        let n = self.0.fetch_add(1, Ordering::SeqCst);
        format!("2026-01-01T{:02}:{:02}:{:02}Z", n / 3600, n / 60 % 60, n % 60)
    }
}

const PINS: &str = include_str!("version-pins.txt");

fn pinned(key: &str) -> Option<&'static str> {
    PINS.lines()
        .filter(|l| !l.starts_with('#'))
        .find_map(|l| l.strip_prefix(key).and_then(|rest| rest.strip_prefix(' ')).map(str::trim))
}

#[tokio::test]
async fn output_changes_only_with_a_new_version() {
    let dir = tempfile::tempdir().unwrap();
    // A fixed data key: pseudonyms of protected persons derive from it.
    let key = dir.path().join("fixed-data.key");
    std::fs::write(&key, format!("{}\n", "7".repeat(64))).unwrap();
    std::fs::set_permissions(&key, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    let mut config = Config::new(dir.path().join("data"));
    config.data_key_file = Some(key);
    let app = App::open(config, Arc::new(TestClock(AtomicU64::new(0)))).await.unwrap();
    let shared = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    let mut ingested = Vec::new();
    for set in ["dev", "dev2"] {
        let mut paths: Vec<_> = std::fs::read_dir(shared.join(set).join("reports"))
            .unwrap_or_else(|e| panic!("../shared/data/{set}/reports: {e}"))
            .map(|e| e.unwrap().path())
            .collect();
        paths.sort();
        for path in paths {
            let input = IngestInput {
                bytes: std::fs::read(&path).unwrap(),
                file_name: format!("{set}/{}", path.file_name().unwrap().to_string_lossy()),
                overrides: SourceMetaOverride::default(),
            };
            if let dossier_app::IngestOutcome::New { source, .. } = app.ingest(input).await.unwrap() {
                ingested.push(source);
            }
        }
    }
    app.resolve_new(&ingested).await.unwrap();
    let mut claims = Vec::new();
    for s in &ingested {
        claims.extend(app.claims_of(s).await.unwrap());
    }
    let claims_digest = Sha256Hex::of(serde_json::to_string(&claims).unwrap().as_bytes());
    let mut incidents = app.incidents().await.unwrap();
    incidents.sort_by(|a, b| a.id.cmp(&b.id));
    let incidents_digest = Sha256Hex::of(serde_json::to_string(&incidents).unwrap().as_bytes());
    app.close().await;

    let mut wrong = Vec::new();
    let extractor_key = EXTRACTOR_VERSION.to_string();
    let resolver_key = format!("{RESOLVER_VERSION} over {EXTRACTOR_VERSION}");
    for (key, digest, what) in [
        (&extractor_key, &claims_digest, "the extractor's output changed: bump dossier_extract::VERSION"),
        (&resolver_key, &incidents_digest, "the resolver's output changed: bump dossier_resolve::VERSION"),
    ] {
        match pinned(key) {
            Some(p) if p == digest.as_str() => {}
            Some(p) => wrong.push(format!("{what} (pinned {p}, now {digest}), then add the line below")),
            None => wrong.push(format!("no pin for {key}: add the line below to tests/version-pins.txt")),
        }
    }
    assert!(
        wrong.is_empty(),
        "{}\n{extractor_key} {claims_digest}\n{resolver_key} {incidents_digest}",
        wrong.join("\n")
    );
}
