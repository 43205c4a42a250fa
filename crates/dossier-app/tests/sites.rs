//! An installation's sites file: created with instructions in a new data
//! directory, its places used for reports ingested after it is edited, and a
//! bad line refused with its number before anything is read or written.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use dossier_app::{App, AppError, Clock, Config, IngestInput};
use dossier_model::SourceMetaOverride;

struct TestClock(AtomicU64);

impl Clock for TestClock {
    fn now(&self) -> String {
        let n = self.0.fetch_add(1, Ordering::SeqCst);
        format!("2026-01-01T00:{:02}:{:02}Z", n / 60 % 60, n % 60)
    }
}

const REPORT: &str = "TITLE: Strike on a clinic\nSOURCE-TYPE: ngo\nPUBLISHED: 2024-01-11\n\n\
    At least 12 people were killed when a strike hit the Nasr Clinic in Khan Younis on 10 January 2024.\n";

async fn open(dir: &std::path::Path) -> Result<App, AppError> {
    App::open(Config::new(dir), Arc::new(TestClock(AtomicU64::new(0)))).await
}

async fn place_of_report(app: &App) -> dossier_model::PlaceRef {
    let input = IngestInput {
        bytes: REPORT.as_bytes().to_vec(),
        file_name: "r.txt".into(),
        overrides: SourceMetaOverride::default(),
    };
    app.ingest(input).await.unwrap();
    app.resolve().await.unwrap();
    app.incidents().await.unwrap()[0].place.clone().expect("a place")
}

#[tokio::test]
async fn a_site_added_to_the_sites_file_places_later_reports() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path()).await.unwrap();
    let template = std::fs::read_to_string(dir.path().join("sites.tsv")).unwrap();
    assert!(template.lines().all(|l| l.starts_with('#')), "the new file only explains: {template}");
    // Without the site, the town from the registry gazetteer places it.
    let town = place_of_report(&app).await;
    assert_eq!((town.name.as_str(), town.country.as_deref()), ("Khān Yūnis", Some("Palestinian Territory")));
    app.close().await;

    let other = tempfile::tempdir().unwrap();
    std::fs::write(
        other.path().join("sites.tsv"),
        format!("{template}site\tNasr Clinic\tNasr Clinic\tKhan Younis\tPalestinian Territory\t31.35\t34.30\n"),
    )
    .unwrap();
    let app = open(other.path()).await.unwrap();
    let site = place_of_report(&app).await;
    assert_eq!((site.name.as_str(), site.lat, site.lon), ("Nasr Clinic", Some(31.35), Some(34.30)));
    app.close().await;
}

#[tokio::test]
async fn a_bad_line_in_the_sites_file_is_refused_with_its_number() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("sites.tsv"), "# mine\nsite\tNasr Clinic\tNasr Clinic\t\tGaza\tnorth\t34.3\n")
        .unwrap();
    let err = open(dir.path()).await.err().expect("refused");
    let message = err.to_string();
    assert!(message.contains("sites.tsv") && message.contains("line 2") && message.contains("lat"), "{message}");
}
