//! The `dossier` command: argv and environment in, use-cases of dossier-app out.
//!
//! Exit codes: 0 success; 1 failure (nothing done, or `verify` found damage);
//! 2 usage error; 3 partial (a batch where some inputs failed).

mod demo;
mod ingest;
mod output;
mod reextract;
mod review;
mod serve;
mod show;
mod users;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context as _;
use clap::{Parser, Subcommand, ValueEnum};
use dossier_app::{App, Config, SystemClock};

/// Dossier: an evidence ledger for human-rights documentation.
#[derive(Debug, Parser)]
#[command(name = "dossier", version, about, long_about = None)]
struct Cli {
    /// Data directory (archive and embedded database) [default: ./dossier-data]
    #[arg(long, global = true, env = "DOSSIER_DATA")]
    data: Option<PathBuf>,
    /// PostgreSQL URL (postgres://...); the embedded SQLite store when absent
    #[arg(long, global = true, env = "DOSSIER_DATABASE_URL", hide_env_values = true)]
    database: Option<String>,
    /// The data key file that seals protected names (keep it off the
    /// database's machine for a server) [default: DATA/keys/data.key]
    #[arg(long, global = true, env = "DOSSIER_DATA_KEY_FILE")]
    data_key_file: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create the store (idempotent)
    Init,
    /// Ingest report files or directories (recursively); `-` reads stdin
    Ingest(ingest::IngestArgs),
    /// List sources
    Sources {
        /// Print JSON
        #[arg(long)]
        json: bool,
    },
    /// List incidents, or merge or split them
    #[command(args_conflicts_with_subcommands = true)]
    Incidents {
        /// Print JSON
        #[arg(long)]
        json: bool,
        #[command(subcommand)]
        action: Option<review::IncidentCommand>,
    },
    /// Review claims: the queue, accept, reject, correct, move
    #[command(subcommand)]
    Review(review::ReviewCommand),
    /// Users of the web UI and API: add, list, issue API tokens
    #[command(subcommand)]
    Users(users::UsersCommand),
    /// Show a source (src-…) with its claims, or an incident (inc-…) with its per-source figures
    Show {
        /// A source or incident id
        id: String,
        /// Print JSON
        #[arg(long)]
        json: bool,
        /// For an incident: why each source was grouped into it
        #[arg(long)]
        why: bool,
    },
    /// Export everything in a stable format
    Export {
        /// Format
        #[arg(long, value_enum, default_value_t = ExportFormat::Json)]
        format: ExportFormat,
        /// Write to FILE instead of standard output
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// For publication (JSON): protected persons (victims, witnesses,
        /// detainees) by pseudonym, their names masked in every text. CSV is
        /// always in this form
        #[arg(long)]
        public: bool,
    },
    /// The data key that seals protected names: rotate it
    #[command(subcommand)]
    Keys(KeysCommand),
    /// Re-hash the archive, recompute the audit log, check every record; or
    /// check a bundle offline
    Verify {
        /// A bundle written by `export --format bundle` (no store is opened)
        bundle: Option<PathBuf>,
        /// The installation's public key (hex, or a file holding it), obtained
        /// apart from the bundle; without it, the key inside the bundle is used
        #[arg(long, requires = "bundle")]
        key: Option<String>,
        /// An earlier bundle: also prove that BUNDLE's log extends its log
        /// (RFC 9162 consistency proof between the two signed tree heads)
        #[arg(long, value_name = "EARLIER", requires = "key")]
        extends: Option<PathBuf>,
    },
    /// Group every report into incidents again under this version's rules, as a logged event
    Resolve,
    /// Extract claims again from stored sources with this version's extractor, carrying reviews, then regroup
    #[command(group = clap::ArgGroup::new("which").required(true).args(["source", "all"]))]
    Reextract {
        /// One source (src-…)
        #[arg(long)]
        source: Option<String>,
        /// Every stored source
        #[arg(long)]
        all: bool,
        /// Print what would change; write nothing
        #[arg(long)]
        dry_run: bool,
    },
    /// Back up the data directory (online, consistent) into a new directory
    Backup {
        /// Where to write the backup (must be empty or not exist)
        dir: PathBuf,
    },
    /// Restore a backup into the data directory (which must be empty or not exist), then verify it
    Restore {
        /// The backup directory
        dir: PathBuf,
    },
    /// Print the OpenAPI 3.1 document of the JSON API (no store is opened)
    Openapi,
    /// Serve the web UI and JSON API
    Serve {
        /// Address to listen on
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: std::net::SocketAddr,
    },
    /// Ingest the bundled sample reports into a fresh data directory, show the result, and serve the web UI
    Demo {
        /// Only ingest and show; do not serve
        #[arg(long)]
        no_serve: bool,
        /// Address to serve on
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: std::net::SocketAddr,
    },
}

#[derive(Debug, Subcommand)]
enum KeysCommand {
    /// Re-seal every protected name, sealed text and sealed original under a new data key
    Rotate,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ExportFormat {
    /// dossier-export/1 JSON
    Json,
    /// Incidents as CSV: date, type (ACLED terms), actor, location, fatalities low/best/high, sources, grade
    Csv,
    /// dossier-bundle/1: everything, with the signed tree head and inclusion proofs, verifiable offline
    Bundle,
}

/// Exit code for a batch where some inputs failed.
const PARTIAL: u8 = 3;

/// A reader that stops early (`dossier incidents | head`) closes the pipe:
/// end quietly, as other command-line tools do, instead of reporting a panic.
fn quiet_on_closed_pipe() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info.payload();
        let message = payload.downcast_ref::<String>().map(String::as_str).or(payload.downcast_ref::<&str>().copied());
        if message.is_some_and(|m| m.contains("failed printing to stdout") && m.contains("Broken pipe")) {
            std::process::exit(141);
        }
        default(info);
    }));
}

fn main() -> ExitCode {
    quiet_on_closed_pipe();
    let cli = Cli::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build();
    let result = match runtime {
        Ok(rt) => rt.block_on(run(cli)),
        Err(e) => Err(anyhow::Error::new(e).context("cannot start the runtime")),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {}", output::chain(&e));
            ExitCode::FAILURE
        }
    }
}

fn config(cli: &Cli, data: PathBuf) -> Config {
    let mut config = Config::new(data);
    config.database_url = cli.database.clone();
    config.data_key_file = cli.data_key_file.clone();
    config
}

async fn open(config: Config) -> anyhow::Result<App> {
    let dir = config.data_dir.display().to_string();
    App::open(config, Arc::new(SystemClock)).await.with_context(|| format!("cannot open the store in {dir}"))
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let data = cli.data.clone().unwrap_or_else(|| PathBuf::from("dossier-data"));
    match &cli.command {
        Command::Demo { no_serve, addr } => {
            return demo::run(cli.data.clone(), cli.database.clone(), (!no_serve).then_some(*addr)).await
        }
        Command::Serve { addr } => {
            let app = open(config(&cli, data)).await?;
            return serve::run(app, *addr).await;
        }
        Command::Restore { dir } => {
            let files =
                dossier_app::restore(dir, &data).with_context(|| format!("cannot restore {}", dir.display()))?;
            println!("restored {} archived file(s) and the database into {}", files, data.display());
            let app = open(config(&cli, data)).await?;
            let code = verify(&app).await;
            app.close().await;
            return code;
        }
        Command::Openapi => {
            use dossier_server::ApiDoc;
            use utoipa::OpenApi as _;
            println!("{}", ApiDoc::openapi().to_pretty_json()?);
            return Ok(ExitCode::SUCCESS);
        }
        Command::Verify { bundle: Some(path), key, extends } => {
            return verify_bundle(path, key.as_deref(), extends.as_deref())
        }
        Command::Ingest(args) => {
            let mut config = config(&cli, data);
            config.max_bytes = args.max_size;
            if args.bulk {
                config.durability = dossier_app::Durability::Bulk;
            }
            let app = open(config).await?;
            let code = ingest::run(&app, args).await;
            app.close().await;
            return code;
        }
        _ => {}
    }
    let app = open(config(&cli, data.clone())).await?;
    let code = match &cli.command {
        Command::Init => {
            let backend = if cli.database.is_some() { "PostgreSQL" } else { "SQLite" };
            println!("store ready in {} ({backend})", data.display());
            println!("public key {} (publish it: signed tree heads and bundles verify with it)", app.public_key());
            Ok(ExitCode::SUCCESS)
        }
        Command::Sources { json } => show::sources(&app, *json).await,
        Command::Incidents { action: Some(action), .. } => review::incidents(&app, action).await,
        Command::Incidents { json, action: None } => show::incidents(&app, *json).await,
        Command::Review(cmd) => review::review(&app, cmd).await,
        Command::Users(cmd) => users::run(&app, cmd).await,
        Command::Show { id, json, why } => show::one(&app, id, *json, *why).await,
        Command::Keys(KeysCommand::Rotate) => {
            let r = app.rotate_data_key().await?;
            println!(
                "data key {} replaced by {}: {} name(s), {} text(s) and {} original(s) re-sealed",
                r.old_key, r.new_key, r.persons, r.bodies, r.originals
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Export { format, output, public } => {
            let bytes = match format {
                ExportFormat::Json if *public => app.export_json_public().await?.into_bytes(),
                ExportFormat::Bundle if *public => {
                    anyhow::bail!(
                        "a bundle carries the originals as written; it cannot be public (use --format json --public)"
                    )
                }
                ExportFormat::Json => app.export_json().await?.into_bytes(),
                ExportFormat::Csv => app.export_csv().await?.into_bytes(),
                ExportFormat::Bundle => app.export_bundle().await?,
            };
            export(&bytes, output.as_deref())
        }
        Command::Verify { .. } => verify(&app).await,
        Command::Resolve => {
            let r = app.resolve_current().await?;
            let before: Vec<&str> = r.previous.iter().map(String::as_str).collect();
            let made_by =
                if before.is_empty() { String::new() } else { format!(" (made by {})", before.join(" and ")) };
            match (r.changed, r.logged) {
                (true, _) => {
                    println!("{} incident(s) regrouped under {}{made_by}", r.incidents, dossier_app::RESOLVER_VERSION)
                }
                (false, true) => println!(
                    "{} incident(s) unchanged under {}{made_by}; recorded as resolved by it",
                    r.incidents,
                    dossier_app::RESOLVER_VERSION
                ),
                (false, false) => {
                    println!("{} incident(s) already up to date with {}", r.incidents, dossier_app::RESOLVER_VERSION)
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Reextract { source, all: _, dry_run } => {
            let scope = match source {
                Some(s) => dossier_app::ReextractScope::Source(
                    dossier_model::SourceId::parse(s).map_err(|e| anyhow::anyhow!("{s}: {e}"))?,
                ),
                None => dossier_app::ReextractScope::All,
            };
            let r = app.reextract(&scope, *dry_run).await?;
            reextract::print(&r);
            Ok(ExitCode::SUCCESS)
        }
        Command::Backup { dir } => match app.backup(dir).await {
            Ok(files) => {
                println!("backed up the database and {files} archived file(s) into {}", dir.display());
                Ok(ExitCode::SUCCESS)
            }
            Err(e) => Err(anyhow::Error::new(e).context(format!("cannot back up into {}", dir.display()))),
        },
        Command::Ingest(_)
        | Command::Demo { .. }
        | Command::Serve { .. }
        | Command::Restore { .. }
        | Command::Openapi => {
            unreachable!("handled above")
        }
    };
    app.close().await;
    code
}

fn export(bytes: &[u8], output: Option<&std::path::Path>) -> anyhow::Result<ExitCode> {
    match output {
        None => {
            use std::io::Write as _;
            let mut out = std::io::stdout().lock();
            out.write_all(bytes).context("cannot write to standard output")?;
            if !bytes.ends_with(b"\n") {
                out.write_all(b"\n").context("cannot write to standard output")?;
            }
        }
        Some(path) => {
            let tmp = path.with_extension("tmp-export");
            std::fs::write(&tmp, bytes).with_context(|| format!("cannot write {}", tmp.display()))?;
            std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))?;
            eprintln!("wrote {}", path.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `verify BUNDLE [--key K]`: offline, no store opened.
fn verify_bundle(
    path: &std::path::Path,
    key: Option<&str>,
    extends: Option<&std::path::Path>,
) -> anyhow::Result<ExitCode> {
    let key = match key {
        None => None,
        Some(k) => {
            let text = match std::fs::read_to_string(k) {
                Ok(t) => t,
                Err(_) => k.to_string(),
            };
            let mut out = [0u8; 32];
            hex::decode_to_slice(text.trim(), &mut out)
                .map_err(|_| anyhow::anyhow!("--key: not 32 bytes of hex, nor a file holding them"))?;
            Some(out)
        }
    };
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let r = dossier_verify::verify_bundle(&bytes, key).with_context(|| format!("cannot verify {}", path.display()))?;
    if key.is_none() {
        println!("note: checked against the key inside the bundle; pass --key with the installation's published key");
    }
    let code = report(&r, "the bundle verifies")?;
    if let (Some(earlier), Some(key)) = (extends, key) {
        let old = std::fs::read(earlier).with_context(|| format!("cannot read {}", earlier.display()))?;
        match dossier_verify::verify_extension(&old, &bytes, key) {
            Ok(x) => {
                println!(
                    "ok: its log of {} entries extends the {} entries of {} (consistency proof of {} hashes)",
                    x.later_size,
                    x.earlier_size,
                    earlier.display(),
                    x.proof.len()
                );
                for h in &x.proof {
                    println!("  {h}");
                }
            }
            Err(e) => {
                println!("FAILED: {} is not extended by {}: {e}", earlier.display(), path.display());
                return Ok(ExitCode::FAILURE);
            }
        }
    }
    Ok(code)
}

async fn verify(app: &App) -> anyhow::Result<ExitCode> {
    let r = app.verify().await?;
    report(&r, "the store verifies")
}

fn report(r: &dossier_app::VerifyReport, ok: &str) -> anyhow::Result<ExitCode> {
    println!(
        "checked {} sources ({} archived files re-hashed), {} claims, {} log entries, {} incidents",
        r.sources, r.archive_files, r.claims, r.log_entries, r.incidents
    );
    println!("log root {}", r.root);
    println!("tree head signature checked with public key {}", r.signed_by);
    for n in &r.notices {
        println!("note: {n}");
    }
    if r.ok() {
        println!("ok: {ok}");
        return Ok(ExitCode::SUCCESS);
    }
    for p in &r.problems {
        println!("DAMAGED {}: {}", p.subject, p.message);
    }
    println!("FAILED: {} problem(s)", r.problems.len());
    Ok(ExitCode::FAILURE)
}
