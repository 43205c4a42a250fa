//! `dossier ingest`: walk the paths given, ingest each file, report each
//! outcome, then re-resolve incidents once.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use clap::Args;
use dossier_app::{App, IngestInput, IngestOutcome};
use dossier_model::{SourceMeta, SourceMetaOverride, SourceType};
use indicatif::{ProgressBar, ProgressStyle};

use crate::output::chain;

/// Arguments of `dossier ingest`.
#[derive(Debug, Args)]
pub struct IngestArgs {
    /// Files or directories (read recursively); `-` for standard input
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<String>,
    /// Title (overrides the file's own)
    #[arg(long)]
    title: Option<String>,
    /// Address the report was captured from
    #[arg(long)]
    url: Option<String>,
    /// Who wrote it: un, ngo, news, government, advocacy, testimony, court, other
    #[arg(long, value_parser = parse_source_type)]
    source_type: Option<SourceType>,
    /// Publisher
    #[arg(long)]
    publisher: Option<String>,
    /// Publication date (YYYY-MM-DD)
    #[arg(long, value_parser = parse_date)]
    published: Option<chrono::NaiveDate>,
    /// Author
    #[arg(long)]
    author: Option<String>,
    /// Language tag (e.g. en)
    #[arg(long)]
    language: Option<String>,
    /// Confidential (a testimony, an informant's account): its text, title,
    /// author, address and file name are sealed; others see only its kind,
    /// its date and the facts extracted from it (also `confidential: yes` in
    /// the file's header)
    #[arg(long)]
    confidential: bool,
    /// Bulk import: sync to disk at checkpoints instead of every commit
    /// (faster; an acknowledged file survives a crash of dossier, not a power cut)
    #[arg(long)]
    pub bulk: bool,
    /// Largest file accepted, in bytes
    #[arg(long, default_value_t = dossier_app::DEFAULT_MAX_BYTES, value_name = "BYTES")]
    pub max_size: u64,
}

fn parse_source_type(s: &str) -> Result<SourceType, String> {
    SourceType::parse(s).map_err(|e| e.to_string())
}

fn parse_date(s: &str) -> Result<chrono::NaiveDate, String> {
    SourceMeta::parse_date(s).map_err(|e| e.to_string())
}

/// One input: a file, or standard input.
enum Input {
    File(PathBuf),
    Stdin,
}

/// Expands the paths given into inputs; paths that yield nothing are errors.
fn inputs(paths: &[String]) -> (Vec<Input>, Vec<(String, String)>) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        if p == "-" {
            out.push(Input::Stdin);
            continue;
        }
        let path = Path::new(p);
        let meta = match std::fs::metadata(path) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                errors.push((p.clone(), "no such file or directory".into()));
                continue;
            }
            Err(e) => {
                errors.push((p.clone(), e.to_string()));
                continue;
            }
        };
        if meta.is_file() {
            out.push(Input::File(path.to_path_buf()));
            continue;
        }
        let mut found = 0;
        for entry in walkdir::WalkDir::new(path).follow_links(true).sort_by_file_name() {
            match entry {
                Ok(e) if e.file_type().is_file() => {
                    let hidden = e.file_name().to_string_lossy().starts_with('.');
                    if !hidden {
                        out.push(Input::File(e.into_path()));
                        found += 1;
                    }
                }
                Ok(_) => {}
                Err(e) => errors.push((e.path().map_or(p.clone(), |x| x.display().to_string()), e.to_string())),
            }
        }
        if found == 0 {
            errors.push((p.clone(), "directory contains no readable files".into()));
        }
    }
    (out, errors)
}

fn read_input(input: &Input, max: u64) -> anyhow::Result<(String, Vec<u8>)> {
    match input {
        Input::Stdin => {
            let mut bytes = Vec::new();
            std::io::stdin().take(max + 1).read_to_end(&mut bytes).context("cannot read standard input")?;
            Ok(("-".into(), bytes))
        }
        Input::File(path) => {
            let size = std::fs::metadata(path)?.len();
            if size > max {
                anyhow::bail!("file is {size} bytes, over the limit of {max} bytes for one report (see --max-size)");
            }
            let bytes = std::fs::read(path)?;
            Ok((path.display().to_string(), bytes))
        }
    }
}

/// Runs the command.
pub async fn run(app: &App, args: &IngestArgs) -> anyhow::Result<ExitCode> {
    let overrides = SourceMetaOverride {
        title: args.title.clone(),
        url: args.url.clone(),
        source_type: args.source_type,
        publisher: args.publisher.clone(),
        published: args.published,
        author: args.author.clone(),
        language: args.language.clone(),
        note: None,
        confidential: args.confidential.then_some(true),
    };
    let (inputs, mut failed) = inputs(&args.paths);
    let bar = ProgressBar::new(inputs.len() as u64);
    bar.set_style(ProgressStyle::with_template("{bar:30} {pos}/{len} {wide_msg}").expect("a valid template"));
    let (mut new, mut duplicates) = (0usize, 0usize);
    let mut new_ids = Vec::new();
    for (name, reason) in &failed {
        bar.suspend(|| eprintln!("error: {name}: {reason}"));
    }
    for input in &inputs {
        let label = match input {
            Input::File(p) => p.display().to_string(),
            Input::Stdin => "-".to_string(),
        };
        bar.set_message(label.clone());
        let outcome = match read_input(input, args.max_size) {
            Ok((file_name, bytes)) => {
                let name =
                    Path::new(&file_name).file_name().map_or(file_name.clone(), |n| n.to_string_lossy().into_owned());
                app.ingest(IngestInput { bytes, file_name: name, overrides: overrides.clone() })
                    .await
                    .map_err(anyhow::Error::new)
            }
            Err(e) => Err(e),
        };
        match outcome {
            Ok(IngestOutcome::New { source, claims, diagnostics }) => {
                new += 1;
                new_ids.push(source.clone());
                let notes =
                    if diagnostics.is_empty() { String::new() } else { format!("; {}", diagnostics.join("; ")) };
                bar.suspend(|| println!("new        {source}  {label}  ({claims} claims{notes})"));
            }
            Ok(IngestOutcome::Duplicate { source, first_file_name }) => {
                duplicates += 1;
                bar.suspend(|| {
                    println!("duplicate  {source}  {label}  (same bytes as {first_file_name}, already stored)")
                });
            }
            Err(e) => {
                bar.suspend(|| eprintln!("error: {label}: {}", chain(&e)));
                failed.push((label, chain(&e)));
            }
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    app.resolve_new(&new_ids).await.context("cannot resolve incidents")?;
    let incidents = app.incidents().await?.len();
    println!(
        "{} input(s): {new} new, {duplicates} duplicate, {} failed; {incidents} incident(s) in the store",
        new + duplicates + failed.len(),
        failed.len()
    );
    Ok(if failed.is_empty() {
        ExitCode::SUCCESS
    } else if new + duplicates > 0 {
        ExitCode::from(crate::PARTIAL)
    } else {
        ExitCode::FAILURE
    })
}
