//! Dossier's use-cases: ingest, resolve, export, verify.
//!
//! API boundary: the only writer. Every change goes through a store
//! transaction that also appends its audit-log entry, so the change and its
//! record commit together or not at all. Clock and actor are inputs.

mod backup;
mod bundle;
mod ingest;
mod keys;
mod protect;
mod reextract;
mod resolution;
mod review;
mod rotate;
mod users;
mod vault;
mod verify;

use std::path::PathBuf;
use std::sync::Arc;

use dossier_extract::Gazetteer;
use dossier_model::{Claim, Incident, IncidentId, Source, SourceId};
pub use dossier_resolve::{actor_key, command_chains, ActorSummary, RelationEdge};
use dossier_store::{Archive, Store, StoreError};
pub use dossier_store::{Durability, IncidentQuery, MapPoint, Mention, SearchHits, Sort, TimelineBucket};

pub use backup::restore;
pub use dossier_extract::DEFAULT_MAX_BYTES;
/// The extractor and resolver versions this build runs (recorded in the log).
pub use dossier_extract::VERSION as EXTRACTOR_VERSION;
/// The resolver version this build runs.
pub use dossier_resolve::VERSION as RESOLVER_VERSION;
pub use dossier_verify::{
    verify_bundle, verify_extension, BundleError, Extension, Problem, VerifyReport, BUNDLE_FORMAT,
};
pub use ingest::{IngestError, IngestInput, IngestOutcome};
pub use protect::{PersonHit, Revealer};
pub use reextract::{ExtractionRun, ReextractScope, Reextraction, SecondLook, SourceReextraction, Uncarried};
pub use resolution::Resolution;
pub use review::CountEdit;
pub use rotate::Rotation;
pub use users::{Password, Role, Session, User};
pub use vault::{Vault, VaultError};

/// Where the data lives and how to reach the database.
#[derive(Debug, Clone)]
pub struct Config {
    /// The data directory (archive, SQLite file).
    pub data_dir: PathBuf,
    /// A PostgreSQL URL; `None` for the embedded SQLite store.
    pub database_url: Option<String>,
    /// Largest report accepted, in bytes.
    pub max_bytes: u64,
    /// Who the changes are recorded as.
    pub actor: String,
    /// Sync every commit (the default), or only at checkpoints for bulk imports.
    pub durability: Durability,
    /// The signing key file; `DATA/keys/signing.key` when `None`.
    pub signing_key_file: Option<PathBuf>,
    /// The data key file (protected names); `DATA/keys/data.key` when `None`.
    pub data_key_file: Option<PathBuf>,
}

impl Config {
    /// Defaults for `data_dir`: embedded store, 16 MiB reports, actor `dossier`.
    pub fn new(data_dir: impl Into<PathBuf>) -> Self {
        Config {
            data_dir: data_dir.into(),
            database_url: None,
            max_bytes: dossier_extract::DEFAULT_MAX_BYTES,
            actor: "dossier".into(),
            durability: Durability::Full,
            signing_key_file: None,
            data_key_file: None,
        }
    }
}

/// A source of timestamps (RFC 3339, UTC).
pub trait Clock: Send + Sync {
    /// Now.
    fn now(&self) -> String;
}

/// The system clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> String {
        chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
    }
}

/// An error from a use-case.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A request that cannot be carried out as asked.
    #[error("{0}")]
    Invalid(String),
    /// A file that is not a bundle this build reads.
    #[error(transparent)]
    Bundle(#[from] BundleError),
    /// Something named that does not exist.
    #[error("no {0}")]
    NotFound(String),
    /// The data directory could not be prepared.
    #[error("cannot use data directory {path}: {source}")]
    DataDir {
        /// The directory.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The installation's sites file has a line that cannot be read.
    #[error("sites file {path}, {problem}")]
    Sites {
        /// The file.
        path: String,
        /// Which line, and why (not an error `source`: the message already says it).
        problem: dossier_extract::SitesError,
    },
}

/// What a new data directory's sites file says: how to add places.
const SITES_TEMPLATE: &str = "\
# Places the gazetteer lacks: camps, prisons, hospitals, villages, local names.
# One place a line, seven fields separated by tabs:
#   level (site, city, admin1 or country), name, aliases (separated by |),
#   admin1 (first-level region), country, latitude, longitude (decimal degrees;
#   may be empty). A name listed here wins over the built-in gazetteer's.
# Reports ingested after a change are read with it; earlier ones keep their places.
# Example (remove the leading '# ' and separate the fields with tabs):
# site\tAl-Shifa Hospital\tAl-Shifa Hospital|Shifa Hospital\tGaza\tPalestinian Territory\t31.524\t34.444
";

/// The places of the installation's sites file (`DATA/sites.tsv`), which is
/// created, with instructions only, when missing.
fn read_sites(dir: &std::path::Path) -> Result<Vec<dossier_extract::Place>, AppError> {
    let path = dir.join("sites.tsv");
    let io = |e: std::io::Error| AppError::DataDir { path: path.display().to_string(), source: e };
    if !path.exists() {
        std::fs::write(&path, SITES_TEMPLATE).map_err(io)?;
        return Ok(Vec::new());
    }
    let text = std::fs::read_to_string(&path).map_err(io)?;
    Gazetteer::read_sites(&text).map_err(|e| AppError::Sites { path: path.display().to_string(), problem: e })
}

/// The gazetteer, built when a report is first read (commands that only read
/// the store never pay for it); the sites file is checked when the app opens.
struct LazyGazetteer {
    sites: Vec<dossier_extract::Place>,
    built: std::sync::OnceLock<Gazetteer>,
}

impl LazyGazetteer {
    fn get(&self) -> &Gazetteer {
        self.built.get_or_init(|| Gazetteer::builtin_with(self.sites.clone()))
    }
}

/// An open Dossier: store, archive, gazetteer, clock.
#[derive(Clone)]
pub struct App {
    store: Store,
    archive: Archive,
    gazetteer: Arc<LazyGazetteer>,
    clock: Arc<dyn Clock>,
    config: Config,
    signing_key: Arc<[u8; 32]>,
    vault: Arc<std::sync::RwLock<Vault>>,
}

impl App {
    /// Opens (creating if needed) the data directory and store.
    pub async fn open(config: Config, clock: Arc<dyn Clock>) -> Result<Self, AppError> {
        let dir = &config.data_dir;
        std::fs::create_dir_all(dir).map_err(|e| AppError::DataDir { path: dir.display().to_string(), source: e })?;
        let archive = Archive::open(dir.join("archive"))?;
        let url = match &config.database_url {
            Some(url) => url.clone(),
            None => Store::sqlite_url(&dir.join("dossier.sqlite")),
        };
        let store = Store::open_with(&url, config.durability).await?;
        let key_file = config.signing_key_file.clone().unwrap_or_else(|| dir.join("keys").join("signing.key"));
        let signing_key = Arc::new(keys::load_or_create(&key_file)?);
        let vault = Arc::new(std::sync::RwLock::new(Vault::load_or_create(&Self::data_key_path(&config))?));
        let gazetteer = Arc::new(LazyGazetteer { sites: read_sites(dir)?, built: Default::default() });
        let app = App { store, archive, gazetteer, clock, config, signing_key, vault };
        // Reports ingested before a crash but not yet placed are placed now.
        let pending = app.store.pending_placement().await?;
        if !pending.is_empty() {
            app.resolve_new(&pending).await?;
        }
        Ok(app)
    }

    /// Signs the tree head as `tx` leaves it, then commits: every committed
    /// change leaves a signed tree head behind it.
    pub(crate) async fn commit(&self, mut tx: dossier_store::Tx) -> Result<(), StoreError> {
        let (size, root) = tx.head().await?;
        let root = dossier_ledger::parse_hash(&root).map_err(|e| StoreError::Corrupt {
            table: "tree_head",
            key: "1".into(),
            reason: e.to_string(),
        })?;
        let body = dossier_ledger::TreeHeadBody { size, root, signed_at: self.clock.now() };
        let signature = body.sign(&self.signing_key);
        tx.sign_head(&body.signed_at, &signature).await?;
        tx.commit().await
    }

    fn data_key_path(config: &Config) -> PathBuf {
        config.data_key_file.clone().unwrap_or_else(|| config.data_dir.join("keys").join("data.key"))
    }

    /// The data key ring as this process holds it.
    pub(crate) fn vault(&self) -> Vault {
        self.vault.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Re-reads the data key file.
    pub(crate) fn reload_vault(&self) -> Result<(), AppError> {
        let fresh = Vault::load_or_create(&Self::data_key_path(&self.config))?;
        *self.vault.write().unwrap_or_else(|e| e.into_inner()) = fresh;
        Ok(())
    }

    /// Sets the ring this process holds (after a rotation step wrote it).
    pub(crate) fn set_vault(&self, v: Vault) {
        *self.vault.write().unwrap_or_else(|e| e.into_inner()) = v;
    }

    /// The installation's public key (hex), which verifies its tree heads.
    pub fn public_key(&self) -> String {
        hex::encode(dossier_ledger::public_key(&self.signing_key))
    }

    /// The store, for reads.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Closes the store.
    pub async fn close(&self) {
        self.store.close().await;
    }

    /// Every source.
    pub async fn sources(&self) -> Result<Vec<Source>, AppError> {
        Ok(self.store.sources().await?)
    }

    /// One source.
    pub async fn source(&self, id: &SourceId) -> Result<Option<Source>, AppError> {
        Ok(self.store.source(id).await?)
    }

    /// The mentions of protected persons in a source's body.
    pub async fn mentions_in(&self, id: &SourceId) -> Result<Vec<Mention>, AppError> {
        Ok(self.store.mentions_in(id).await?)
    }

    /// One claim of a current claim set, with its reviews and moves applied
    /// (`None` also for a claim whose set a re-extraction replaced).
    pub async fn claim(&self, id: &dossier_model::ClaimId) -> Result<Option<Claim>, AppError> {
        let Some(claim) = self.store.claim(id).await? else { return Ok(None) };
        let mut claims = [claim];
        dossier_resolve::apply_reviews(&mut claims, &self.store.reviews().await?);
        dossier_resolve::apply_moves(&mut claims, &self.store.claim_moves().await?);
        let [claim] = claims;
        Ok(Some(claim))
    }

    /// A source's claims, with their reviews applied.
    pub async fn claims_of(&self, id: &SourceId) -> Result<Vec<Claim>, AppError> {
        let mut claims = self.store.claims_of(id).await?;
        dossier_resolve::apply_reviews(&mut claims, &self.store.reviews().await?);
        dossier_resolve::apply_moves(&mut claims, &self.store.claim_moves().await?);
        Ok(claims)
    }

    /// Every claim, with its review and its move applied.
    pub async fn effective_claims(&self) -> Result<Vec<Claim>, AppError> {
        let mut claims = self.store.claims().await?;
        dossier_resolve::apply_reviews(&mut claims, &self.store.reviews().await?);
        dossier_resolve::apply_moves(&mut claims, &self.store.claim_moves().await?);
        Ok(claims)
    }

    /// The audit log, in order.
    pub async fn log_entries(&self) -> Result<Vec<dossier_ledger::Entry>, AppError> {
        Ok(self.store.log_entries().await?.into_iter().map(|l| l.entry).collect())
    }

    /// Every incident.
    pub async fn incidents(&self) -> Result<Vec<Incident>, AppError> {
        Ok(self.store.incidents().await?)
    }

    /// One page of incidents matching a query, and how many match in all.
    pub async fn incidents_page(&self, q: &IncidentQuery) -> Result<(usize, Vec<Incident>), AppError> {
        Ok(self.store.incidents_page(q).await?)
    }

    /// Incidents over time, per year or per month of `year`.
    pub async fn timeline(&self, year: Option<i32>) -> Result<Vec<TimelineBucket>, AppError> {
        Ok(self.store.timeline(year).await?)
    }

    /// Every actor named: aliases, incidents, command relations and orders.
    pub async fn actors(&self) -> Result<Vec<dossier_resolve::ActorSummary>, AppError> {
        let incidents = self.store.incidents().await?;
        let claims = self.effective_claims().await?;
        Ok(dossier_resolve::actors(&incidents, &claims))
    }

    /// Full-text search over sources and claims' passages (at most `limit` of each).
    pub async fn search(&self, text: &str, limit: usize) -> Result<SearchHits, AppError> {
        Ok(self.store.search(text, limit).await?)
    }

    /// The map's points: incidents matching the filters, by place and grade.
    pub async fn map_points(&self, q: &IncidentQuery) -> Result<Vec<MapPoint>, AppError> {
        Ok(self.store.map_points(q).await?)
    }

    /// One incident.
    pub async fn incident(&self, id: &IncidentId) -> Result<Option<Incident>, AppError> {
        Ok(self.store.incident(id).await?)
    }

    /// Every incident as CSV, in the columns conflict-event data users know.
    pub async fn export_csv(&self) -> Result<String, AppError> {
        Ok(dossier_export::incidents_csv(&self.store.incidents().await?))
    }

    /// The `dossier-export/1` document as JSON text, with protected
    /// persons' names and the passages that hold them as written.
    pub async fn export_json(&self) -> Result<String, AppError> {
        self.export_document(true).await
    }

    /// The public `dossier-export/1` document: protected persons by
    /// pseudonym, every mention of their names masked (`#`).
    pub async fn export_json_public(&self) -> Result<String, AppError> {
        self.export_document(false).await
    }

    /// The export as the key holder (`reveal`) or the public sees it.
    async fn export_document(&self, reveal: bool) -> Result<String, AppError> {
        let revealer = if reveal { Some(self.revealer(None).await?) } else { None };
        let mut sources = self.store.sources().await?;
        let mut claims = self.effective_claims().await?;
        let mut incidents = self.store.incidents().await?;
        if let Some(r) = &revealer {
            sources = sources.iter().map(|s| r.source(s)).collect();
            claims.iter_mut().for_each(|c| r.claim(c));
            incidents = incidents.iter().map(|i| r.incident(i)).collect();
        }
        let mut victims = self.incident_victims(&incidents, &sources, revealer.as_ref()).await?;
        let mut doc = dossier_export::build(&sources, &claims, &incidents);
        for i in &mut doc.incidents {
            i.victims = victims.remove(i.id).unwrap_or_default();
        }
        Ok(serde_json::to_string_pretty(&doc).expect("the export serialises"))
    }
}
