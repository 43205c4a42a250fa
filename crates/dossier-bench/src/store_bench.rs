//! The store benchmark: a data directory filled with N synthetic report
//! texts through the real pipeline (intake, extraction, SQLite, audit log),
//! resolved once; then one more report ingested and placed, timed.

use std::sync::Arc;
use std::time::Instant;

use dossier_app::{App, Config, Durability, IngestInput, IngestOutcome, SystemClock};
use dossier_model::SourceMetaOverride;

use crate::synthetic::Rng;

const SYLLABLES: [&str; 16] =
    ["kel", "mar", "dov", "ast", "rin", "bel", "tor", "zan", "qu", "lem", "sha", "nor", "vic", "ul", "par", "eth"];
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn town(k: u64) -> String {
    let a = SYLLABLES[(k % 16) as usize];
    let b = SYLLABLES[((k / 16) % 16) as usize];
    let c = SYLLABLES[((k / 256) % 16) as usize];
    let mut name = format!("{a}{b}{c}");
    name[..1].make_ascii_uppercase();
    name
}

fn report_text(rng: &mut Rng, town: &str, day: u32, month: usize, year: u32, toll: u64) -> String {
    let parties =
        ["police said", "residents said", "according to the health ministry", "a local official told reporters"];
    let party = parties[(rng.next() % 4) as usize];
    let reported = toll.saturating_sub(rng.next() % 3) + rng.next() % 3;
    format!(
        "SOURCE-TYPE: news\nPUBLISHED: {year}-{:02}-{:02}\n\n{reported} people were killed in {town} on {day} {} {year}, {party}.\n",
        month + 1,
        day.min(27) + 1,
        MONTHS[month]
    )
}

/// Runs the benchmark with `n` reports.
pub async fn run(n: usize) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let mut config = Config::new(dir.path());
    config.durability = Durability::Bulk;
    let app = App::open(config, Arc::new(SystemClock)).await?;
    let mut rng = Rng(7);
    let start = Instant::now();
    let (mut made, mut incident) = (0usize, 0u64);
    let mut last = None;
    while made < n {
        let t = town(rng.next() % 4096);
        let (day, month, year) =
            ((rng.next() % 28) as u32 + 1, (rng.next() % 12) as usize, 2010 + (rng.next() % 10) as u32);
        let toll = 1 + rng.next() % 60;
        for copy in 0..1 + rng.next() % 8 {
            let text = report_text(&mut rng, &t, day, month, year, toll);
            let input = IngestInput {
                bytes: text.into_bytes(),
                file_name: format!("report-{incident}-{copy}.txt"),
                overrides: SourceMetaOverride::default(),
            };
            if let IngestOutcome::New { source, .. } = app.ingest(input).await? {
                last = Some(source);
            }
            made += 1;
        }
        incident += 1;
    }
    let ingest_secs = start.elapsed().as_secs_f64();
    let start = Instant::now();
    let (incidents, _) = app.resolve().await?;
    let resolve_secs = start.elapsed().as_secs_f64();
    app.close().await;
    drop(last);

    // One more report, with every commit synced, as a user's ingest is.
    let app = App::open(Config::new(dir.path()), Arc::new(SystemClock)).await?;
    let text = report_text(&mut rng, &town(5), 5, 5, 2015, 12);
    let input = IngestInput {
        bytes: text.into_bytes(),
        file_name: "one-more.txt".into(),
        overrides: SourceMetaOverride::default(),
    };
    let start = Instant::now();
    let IngestOutcome::New { source, .. } = app.ingest(input).await? else {
        anyhow::bail!("the extra report was a duplicate")
    };
    let ingest_one = start.elapsed().as_secs_f64() * 1000.0;
    let start = Instant::now();
    let written = app.resolve_new(&[source]).await?;
    let place_one = start.elapsed().as_secs_f64() * 1000.0;
    println!(
        "dossier store: {made} synthetic reports ingested in {ingest_secs:.1} s ({:.0} reports/s, bulk durability), \
         resolved into {incidents} incidents in {resolve_secs:.1} s; one more report (full durability): \
         ingest {ingest_one:.1} ms, incident placed and written in {place_one:.1} ms ({written} incident written)",
        made as f64 / ingest_secs
    );
    app.close().await;
    Ok(())
}

/// Fills the data directory `dir` (created, must not hold a store yet) with
/// `incidents` distinct synthetic incidents reported `reports` times in all
/// (1 to 2×average−1 reports each), resolved; for the server load benchmark.
pub async fn fill(dir: &std::path::Path, incidents: u64, reports: u64) -> anyhow::Result<()> {
    if dir.join("dossier.sqlite").exists() {
        anyhow::bail!("{} already holds a store", dir.display());
    }
    let mut config = Config::new(dir);
    config.durability = Durability::Bulk;
    let app = App::open(config, Arc::new(SystemClock)).await?;
    let mut rng = Rng(11);
    let per = (reports / incidents.max(1)).max(1);
    let start = Instant::now();
    let mut made = 0u64;
    for k in 0..incidents {
        // Distinct events: another town, or dates 140 days apart.
        let t = town(k % 4096);
        let days = (k / 4096) * 140 + rng.next() % 3;
        let date = chrono::NaiveDate::from_ymd_opt(2010, 1, 1).expect("a date") + chrono::Duration::days(days as i64);
        let (day, month, year) = (
            chrono::Datelike::day(&date),
            chrono::Datelike::month0(&date) as usize,
            chrono::Datelike::year(&date) as u32,
        );
        let toll = 1 + rng.next() % 60;
        let left = incidents - k;
        let copies = if left == 1 { reports.saturating_sub(made).max(1) } else { 1 + rng.next() % (2 * per - 1) };
        for copy in 0..copies {
            let text = report_text(&mut rng, &t, day, month, year, toll);
            let input = IngestInput {
                bytes: format!("{text}(copy {copy} of incident {k})\n").into_bytes(),
                file_name: format!("report-{k}-{copy}.txt"),
                overrides: SourceMetaOverride::default(),
            };
            app.ingest(input).await?;
            made += 1;
        }
        if k % 5000 == 0 {
            eprintln!("{k} incidents, {made} reports, {:.0} s", start.elapsed().as_secs_f64());
        }
    }
    let (n, _) = app.resolve().await?;
    println!("filled {}: {made} reports, {n} incidents in {:.0} s", dir.display(), start.elapsed().as_secs_f64());
    app.close().await;
    Ok(())
}
