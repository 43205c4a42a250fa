//! `dossier-bench`: benchmarks on fixed inputs. Not a test: it prints figures.
//!
//! - `extract CORPUS_DIR [--min-mb N] [--dump FILE]`: the report bodies of
//!   CORPUS_DIR, repeated until they reach N MB (default 1), extracted one
//!   document at a time on one thread; prints MB/s. `--dump` writes the same
//!   documents (one per line, JSON strings) for the spaCy side of
//!   `scripts/bench.sh`.
//! - `memory CORPUS_DIR [--mb N]`: one document of N MB (default 50) made of
//!   the bodies repeated; prints the peak resident memory after extracting it.
//! - `resolve [--reports N] [--seed S]`: N synthetic reports (default
//!   100,000) resolved into incidents; prints reports/s, peak memory and
//!   grouping F1 against the generator's truth.
//! - `store [--reports N]`: N synthetic report texts through the whole
//!   pipeline into an SQLite store, resolved; then one more report ingested
//!   and placed into its incident, timed.
//! - `fill DATA_DIR [--incidents N] [--reports M]`: a data directory with N
//!   distinct synthetic incidents (default 100,000) reported M times in all
//!   (default 300,000), for `scripts/bench-server.sh`.

use std::io::Write;
use std::path::Path;
use std::time::Instant;

mod store_bench;
mod synthetic;

use anyhow::{bail, Context};
use dossier_extract::{extract, read_document, Context as ExtractContext, Gazetteer};

fn bodies(dir: &Path) -> anyhow::Result<Vec<String>> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let bytes = std::fs::read(&f)?;
        let name = f.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if let Ok(doc) = read_document(&bytes, &name, u64::MAX) {
            out.push(doc.body);
        }
    }
    if out.is_empty() {
        bail!("no readable reports in {}", dir.display());
    }
    Ok(out)
}

fn arg_value(args: &[String], flag: &str) -> Option<String> {
    args.iter().position(|a| a == flag).and_then(|i| args.get(i + 1)).cloned()
}

/// Peak resident set size of this process in MiB (Linux `VmHWM`).
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn bench_extract(dir: &Path, args: &[String]) -> anyhow::Result<()> {
    let min_mb: f64 = arg_value(args, "--min-mb").map(|v| v.parse()).transpose()?.unwrap_or(1.0);
    let base = bodies(dir)?;
    let mut docs: Vec<&str> = Vec::new();
    let mut bytes = 0usize;
    while (bytes as f64) < min_mb * 1e6 {
        for b in &base {
            docs.push(b);
            bytes += b.len();
        }
    }
    if let Some(path) = arg_value(args, "--dump") {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&path)?);
        for d in &docs {
            writeln!(f, "{}", json_string(d))?;
        }
    }
    let gazetteer = Gazetteer::builtin();
    let ctx = ExtractContext::default();
    // Warm up once, then time three passes and keep the best.
    let mut claims = 0usize;
    for d in &docs[..base.len().min(docs.len())] {
        claims += extract(d, &ctx, &gazetteer).claims.len();
    }
    let mut best = f64::MAX;
    for _ in 0..3 {
        let start = Instant::now();
        claims = 0;
        for d in &docs {
            claims += extract(d, &ctx, &gazetteer).claims.len();
        }
        best = best.min(start.elapsed().as_secs_f64());
    }
    let words: usize = docs.iter().map(|d| d.split_whitespace().count()).sum();
    println!(
        "dossier extract: {} documents, {:.2} MB, {} words, {} claims, {:.3} s, {:.2} MB/s, {:.0} words/s",
        docs.len(),
        bytes as f64 / 1e6,
        words,
        claims,
        best,
        bytes as f64 / 1e6 / best,
        words as f64 / best
    );
    Ok(())
}

fn bench_memory(dir: &Path, args: &[String]) -> anyhow::Result<()> {
    let mb: f64 = arg_value(args, "--mb").map(|v| v.parse()).transpose()?.unwrap_or(50.0);
    let base = bodies(dir)?.join("\n\n");
    let mut doc = String::with_capacity((mb * 1e6) as usize + base.len());
    while (doc.len() as f64) < mb * 1e6 {
        doc.push_str(&base);
        doc.push_str("\n\n");
    }
    let before = peak_rss_mib().unwrap_or(0.0);
    let start = Instant::now();
    let ex = extract(&doc, &ExtractContext::default(), &Gazetteer::builtin());
    let secs = start.elapsed().as_secs_f64();
    let peak = peak_rss_mib().unwrap_or(0.0);
    println!(
        "dossier extract, one {:.1} MB document: {} claims in {:.2} s; peak RSS {:.0} MiB (input alone {:.0} MiB, so extraction used at most {:.0} MiB more)",
        doc.len() as f64 / 1e6,
        ex.claims.len(),
        secs,
        peak,
        before,
        peak - before
    );
    Ok(())
}

fn bench_resolve(args: &[String]) -> anyhow::Result<()> {
    let n: usize = arg_value(args, "--reports").map(|v| v.parse()).transpose()?.unwrap_or(100_000);
    let seed: u64 = arg_value(args, "--seed").map(|v| v.parse()).transpose()?.unwrap_or(20_260_101);
    let g = synthetic::generate(n, seed);
    let reports: Vec<dossier_resolve::Report<'_>> =
        g.sources.iter().zip(&g.claims).map(|(source, claims)| dossier_resolve::Report { source, claims }).collect();
    let before = peak_rss_mib().unwrap_or(0.0);
    let start = Instant::now();
    let incidents = dossier_resolve::resolve(&reports, &[]);
    let secs = start.elapsed().as_secs_f64();
    let peak = peak_rss_mib().unwrap_or(0.0);
    let position: std::collections::HashMap<&str, usize> =
        g.sources.iter().enumerate().map(|(i, s)| (s.id.as_str(), i)).collect();
    let mut predicted = vec![usize::MAX; g.sources.len()];
    for (k, inc) in incidents.iter().enumerate() {
        for s in &inc.sources {
            predicted[position[s.as_str()]] = k;
        }
    }
    let unassigned = predicted.iter().filter(|p| **p == usize::MAX).count();
    let (p, r, f1) = synthetic::pair_f1(&predicted, &g.truth);
    let true_incidents = g.truth.iter().max().map_or(0, |m| m + 1);
    println!(
        "dossier resolve: {} reports of {} true incidents -> {} incidents in {:.2} s ({:.0} reports/s, one thread); \
         grouping precision {:.3} recall {:.3} F1 {:.3}; unassigned {}; peak RSS {:.0} MiB (inputs {:.0} MiB)",
        g.sources.len(),
        true_incidents,
        incidents.len(),
        secs,
        g.sources.len() as f64 / secs,
        p,
        r,
        f1,
        unassigned,
        peak,
        before
    );
    Ok(())
}

fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match (args.first().map(String::as_str), args.get(1)) {
        (Some("extract"), Some(dir)) => bench_extract(Path::new(dir), &args[2..]),
        (Some("memory"), Some(dir)) => bench_memory(Path::new(dir), &args[2..]),
        (Some("resolve"), _) => bench_resolve(&args[1..]),
        (Some("store"), _) => {
            let n: usize = arg_value(&args, "--reports").map(|v| v.parse()).transpose()?.unwrap_or(100_000);
            tokio::runtime::Builder::new_current_thread().enable_all().build()?.block_on(store_bench::run(n))
        }
        (Some("fill"), Some(dir)) => {
            let incidents: u64 = arg_value(&args, "--incidents").map(|v| v.parse()).transpose()?.unwrap_or(100_000);
            let reports: u64 = arg_value(&args, "--reports").map(|v| v.parse()).transpose()?.unwrap_or(300_000);
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?
                .block_on(store_bench::fill(Path::new(dir), incidents, reports))
        }
        _ => bail!("usage: dossier-bench extract CORPUS_DIR [--min-mb N] [--dump FILE] | memory CORPUS_DIR [--mb N] | resolve [--reports N] [--seed S] | store [--reports N] | fill DATA_DIR [--incidents N] [--reports M]"),
    }
}
