//! `dossier demo`: ingest the bundled sample reports into a fresh data
//! directory and show what Dossier made of them.

use std::path::PathBuf;
use std::process::ExitCode;

use dossier_app::{Config, IngestInput, IngestOutcome};
use dossier_model::SourceMetaOverride;

use crate::show::print_incidents;

/// The bundled sample reports (paraphrases written for the project; see samples/README.md).
pub const SAMPLES: [(&str, &str); 4] = [
    (
        "2011-04-14-aljazeera-ashraf-un-toll.txt",
        include_str!("../../../samples/reports/2011-04-14-aljazeera-ashraf-un-toll.txt"),
    ),
    (
        "2011-04-15-radiozamaneh-ashraf-un-confirms.txt",
        include_str!("../../../samples/reports/2011-04-15-radiozamaneh-ashraf-un-confirms.txt"),
    ),
    (
        "2013-09-01-washingtonpost-ashraf-deaths.txt",
        include_str!("../../../samples/reports/2013-09-01-washingtonpost-ashraf-deaths.txt"),
    ),
    ("2013-09-hurriyet-ashraf-un-52.txt", include_str!("../../../samples/reports/2013-09-hurriyet-ashraf-un-52.txt")),
];

/// The sites the sample reports name (`samples/sites.tsv`), written to a new demo's `DATA/sites.tsv`.
const SAMPLE_SITES: &str = include_str!("../../../samples/sites.tsv");

fn fresh_dir() -> PathBuf {
    let stamp = chrono::Utc::now().format("%Y%m%d-%H%M%S%.3f");
    std::env::temp_dir().join(format!("dossier-demo-{stamp}"))
}

/// Runs the demo in `data` (a fresh temporary directory when absent).
pub async fn run(
    data: Option<PathBuf>,
    database: Option<String>,
    serve: Option<std::net::SocketAddr>,
) -> anyhow::Result<ExitCode> {
    let dir = data.unwrap_or_else(fresh_dir);
    // The sites the samples name, as an installation of this investigation would list them.
    let sites = dir.join("sites.tsv");
    if !sites.exists() {
        std::fs::create_dir_all(&dir)?;
        std::fs::write(&sites, SAMPLE_SITES)?;
    }
    let mut config = Config::new(&dir);
    let on_server = database.is_some();
    config.database_url = database;
    let app = crate::open(config).await?;
    println!("Dossier demo: ingesting {} sample reports into {}\n", SAMPLES.len(), dir.display());
    let mut new_ids = Vec::new();
    for (name, text) in SAMPLES {
        let input = IngestInput {
            bytes: text.as_bytes().to_vec(),
            file_name: name.into(),
            overrides: SourceMetaOverride::default(),
        };
        match app.ingest(input).await? {
            IngestOutcome::New { source, claims, .. } => {
                println!("new        {source}  {name}  ({claims} claims)");
                new_ids.push(source);
            }
            IngestOutcome::Duplicate { source, .. } => println!("duplicate  {source}  {name}  (already stored)"),
        }
    }
    app.resolve_new(&new_ids).await?;
    println!();
    let incidents = app.incidents().await?;
    print_incidents(&incidents);
    let report = app.verify().await?;
    println!(
        "\nverify: {} log entries, root {}: {}",
        report.log_entries,
        report.root,
        if report.ok() { "ok" } else { "FAILED" }
    );
    let d = dir.display();
    println!("\nWhere to look next:");
    if let Some(first) = incidents.first() {
        println!("  dossier --data {d} show {}        every source's figure, side by side", first.id);
    }
    println!("  dossier --data {d} sources");
    println!("  dossier --data {d} export --format json -o export.json");
    println!("  dossier --data {d} verify");
    if on_server {
        println!("  (each with the same --database or DOSSIER_DATABASE_URL)");
    }
    if !report.ok() {
        app.close().await;
        return Ok(ExitCode::FAILURE);
    }
    match serve {
        Some(addr) => {
            println!("\nThe web UI: open http://{addr}/incidents");
            crate::serve::run(app, addr).await
        }
        None => {
            app.close().await;
            Ok(ExitCode::SUCCESS)
        }
    }
}
