//! The SQL store: one schema and one code path (sqlx's `Any` driver) for
//! SQLite and PostgreSQL.

use std::borrow::Cow;
use std::str::FromStr;

use dossier_ledger::{hash_hex, parse_hash, Entry, Frontier, Hash};
use dossier_model::{Claim, ClaimMove, GroupingDecision, Incident, IncidentId, Review, Sha256Hex, Source, SourceId};
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{AnyPool, Row};

use crate::rows;
use crate::StoreError;

/// Which database a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// Embedded SQLite (WAL), one file.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

/// The recorded head of the audit log's Merkle tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeHead {
    /// Number of entries.
    pub size: u64,
    /// Merkle tree hash over every entry.
    pub root: String,
    /// The right edge of the tree, for appending.
    pub frontier: String,
    /// When it last changed.
    pub updated_at: String,
    /// When it was last signed.
    pub signed_at: Option<String>,
    /// Its Ed25519 signature (hex), over `dossier-tree-head/1`, size, root, `signed_at`.
    pub signature: Option<String>,
}

/// One bar of the timeline: a year (`2011`) or a month (`2011-04`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineBucket {
    /// The year or month.
    pub bucket: String,
    /// Incidents that start in it.
    pub incidents: u64,
    /// The sum of their killed ranges' lower bounds.
    pub killed_min: u64,
    /// The sum of their killed ranges' upper bounds, where bounded.
    pub killed_max: u64,
}

/// A table full-text search reads: its columns, the condition on `$1` (a
/// LIKE pattern), and the order hits are listed in.
struct Searched {
    table: &'static str,
    columns: &'static str,
    cond: &'static str,
    order: &'static str,
}

const SOURCES_SEARCHED: Searched = Searched {
    table: "sources",
    columns: rows::SOURCE_COLUMNS,
    cond: "lower(body) LIKE $1 ESCAPE '\\' OR lower(COALESCE(title, '')) LIKE $1 ESCAPE '\\'",
    order: "log_seq",
};

const CLAIMS_SEARCHED: Searched = Searched {
    table: "claims",
    columns: rows::CLAIM_COLUMNS,
    cond: "lower(text) LIKE $1 ESCAPE '\\' AND claims.log_seq = \
           (SELECT MAX(cs.seq) FROM claim_sets cs WHERE cs.source_id = claims.source_id)",
    order: "log_seq, ordinal",
};

/// What a full-text search found.
#[derive(Debug, Clone)]
pub struct SearchHits {
    /// Sources that match, in all.
    pub sources_total: usize,
    /// The first of them.
    pub sources: Vec<Source>,
    /// Claims whose passage matches, in all.
    pub claims_total: usize,
    /// The first of them (as extracted; reviews are applied by the app).
    pub claims: Vec<Claim>,
}

/// A point of the map: the incidents at one place with one grade.
#[derive(Debug, Clone, PartialEq)]
pub struct MapPoint {
    /// Latitude, decimal degrees.
    pub lat: f64,
    /// Longitude, decimal degrees.
    pub lon: f64,
    /// The place's name.
    pub place: String,
    /// Their grade.
    pub grade: String,
    /// How many incidents.
    pub incidents: u64,
    /// The sum of their killed ranges' upper bounds, where bounded.
    pub killed_max: u64,
}

/// A log entry as stored, with the leaf hash recorded when it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggedEntry {
    /// The entry's fields.
    pub entry: Entry,
    /// The leaf hash stored beside it.
    pub leaf_hash: String,
}

/// A connection pool to the store.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
}

/// Set on every SQLite connection: write-ahead log, foreign keys, and waiting
/// for locks. Durability is set apart (see [`Durability`]).
const SQLITE_PRAGMAS: [&str; 3] =
    ["PRAGMA journal_mode = WAL", "PRAGMA foreign_keys = ON", "PRAGMA busy_timeout = 10000"];

/// How hard SQLite works to keep each commit on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Durability {
    /// Every commit synced: an acknowledged change survives a power cut (the default).
    #[default]
    Full,
    /// Commits synced at checkpoints only: survives a crash of the process, not
    /// of the machine. For bulk imports that can be run again.
    Bulk,
}

/// The condition on a `claims` row that it belongs to its source's current claim set.
const CURRENT: &str = "claims.log_seq = (SELECT MAX(cs.seq) FROM claim_sets cs WHERE cs.source_id = claims.source_id)";

/// The embedded migrations, in order; append-only.
const MIGRATIONS: [(i64, &str, &str); 17] = [
    (1, "ledger", include_str!("../migrations/0001_ledger.sql")),
    (2, "reviews", include_str!("../migrations/0002_reviews.sql")),
    (3, "incident anchors", include_str!("../migrations/0003_incident_anchors.sql")),
    (4, "claim frames", include_str!("../migrations/0004_claim_frames.sql")),
    (5, "signed tree head", include_str!("../migrations/0005_signed_tree_head.sql")),
    (6, "pending placement", include_str!("../migrations/0006_pending_placement.sql")),
    (7, "claim moves", include_str!("../migrations/0007_claim_moves.sql")),
    (8, "users", include_str!("../migrations/0008_users.sql")),
    (9, "sessions", include_str!("../migrations/0009_sessions.sql")),
    (10, "incident list", include_str!("../migrations/0010_incident_list.sql")),
    (11, "incident list tolls", include_str!("../migrations/0011_incident_list_tolls.sql")),
    (12, "incident list points", include_str!("../migrations/0012_incident_list_points.sql")),
    (13, "protected persons", include_str!("../migrations/0013_protected_persons.sql")),
    (14, "confidential sources", include_str!("../migrations/0014_confidential_sources.sql")),
    (15, "incident list actors and sorts", include_str!("../migrations/0015_incident_list_actors_and_sorts.sql")),
    (16, "incident anchor dates", include_str!("../migrations/0016_incident_anchor_dates.sql")),
    (17, "claim sets", include_str!("../migrations/0017_claim_sets.sql")),
];

fn migrator() -> Migrator {
    let migrations = MIGRATIONS
        .iter()
        .map(|(version, name, sql)| {
            Migration::new(*version, Cow::Borrowed(name), MigrationType::Simple, Cow::Borrowed(sql), false)
        })
        .collect();
    Migrator { migrations: Cow::Owned(migrations), ..Migrator::DEFAULT }
}

impl Store {
    /// Opens the store at `url` (`sqlite://PATH?mode=rwc` or `postgres://...`)
    /// and applies pending migrations.
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        Store::open_with(url, Durability::Full).await
    }

    /// Opens the store with the given durability (SQLite only; PostgreSQL
    /// keeps its server's settings).
    pub async fn open_with(url: &str, durability: Durability) -> Result<Self, StoreError> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            return Err(StoreError::UnsupportedUrl);
        };
        let options = AnyConnectOptions::from_str(url)?;
        // One direct connection first, so an unreachable server reports why
        // (refused, unknown host, bad password) instead of a pool timeout.
        sqlx::Connection::close(sqlx::ConnectOptions::connect(&options).await?).await?;
        let pool = AnyPoolOptions::new()
            .acquire_timeout(std::time::Duration::from_secs(30))
            .max_connections(if backend == Backend::Sqlite { 4 } else { 8 })
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        for pragma in SQLITE_PRAGMAS {
                            sqlx::Executor::execute(&mut *conn, pragma).await?;
                        }
                        let sync = match durability {
                            Durability::Full => "PRAGMA synchronous = FULL",
                            Durability::Bulk => "PRAGMA synchronous = NORMAL",
                        };
                        sqlx::Executor::execute(&mut *conn, sync).await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        migrator().run(&pool).await?;
        let store = Store { pool, backend };
        store.fill_incident_list().await?;
        Ok(store)
    }

    /// Gives the database at `url` the schema of migrations 1 to `last` only,
    /// as a release that knew no later one left it. For upgrade tests, which
    /// load an earlier store's rows into it and then open it with today's code.
    #[doc(hidden)]
    pub async fn migrate_until(url: &str, last: i64) -> Result<(), StoreError> {
        sqlx::any::install_default_drivers();
        let pool = AnyPoolOptions::new().max_connections(1).connect(url).await?;
        let mut migrator = migrator();
        migrator.migrations = Cow::Owned(migrator.migrations.iter().filter(|m| m.version <= last).cloned().collect());
        migrator.run(&pool).await?;
        pool.close().await;
        Ok(())
    }

    /// The URL of an SQLite store in file `path`.
    pub fn sqlite_url(path: &std::path::Path) -> String {
        let mut escaped = String::new();
        for c in path.display().to_string().chars() {
            match c {
                '%' | '?' | '#' | ' ' => escaped.push_str(&format!("%{:02X}", c as u32)),
                c => escaped.push(c),
            }
        }
        format!("sqlite://{escaped}?mode=rwc")
    }

    /// Writes a consistent snapshot of an SQLite store to `path` while it stays
    /// online (`VACUUM INTO`). PostgreSQL stores are backed up with the
    /// server's own tools.
    pub async fn snapshot_sqlite(&self, path: &std::path::Path) -> Result<(), StoreError> {
        if self.backend != Backend::Sqlite {
            return Err(StoreError::UnsupportedUrl);
        }
        sqlx::query("VACUUM INTO $1").bind(path.display().to_string()).execute(&self.pool).await?;
        Ok(())
    }

    /// Which database this is.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The pool, for the other row modules.
    pub(crate) fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Closes the pool, waiting for connections to finish.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Starts a write transaction.
    pub async fn begin(&self) -> Result<Tx, StoreError> {
        Ok(Tx { tx: self.pool.begin().await? })
    }

    /// The source whose original bytes have digest `sha`.
    pub async fn source_by_sha(&self, sha: &Sha256Hex) -> Result<Option<Source>, StoreError> {
        let row = sqlx::query(&format!("SELECT {} FROM sources WHERE sha256 = $1", rows::SOURCE_COLUMNS))
            .bind(sha.as_str())
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| rows::source(&r)).transpose()
    }

    /// The source with id `id`.
    pub async fn source(&self, id: &SourceId) -> Result<Option<Source>, StoreError> {
        let row = sqlx::query(&format!("SELECT {} FROM sources WHERE id = $1", rows::SOURCE_COLUMNS))
            .bind(id.as_str())
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| rows::source(&r)).transpose()
    }

    /// Every source, in ingestion order.
    pub async fn sources(&self) -> Result<Vec<Source>, StoreError> {
        let rows = sqlx::query(&format!("SELECT {} FROM sources ORDER BY log_seq", rows::SOURCE_COLUMNS))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(rows::source).collect()
    }

    /// Full-text search (case-insensitive, substring): sources whose title or
    /// text contains `text`, and claims whose passage does, in the order they
    /// were stored, at most `limit` of each, with how many match in all.
    /// A scan of the tables: fine for a collection on one laptop; large
    /// installations want each backend's text index (not built yet).
    pub async fn search(&self, text: &str, limit: usize) -> Result<SearchHits, StoreError> {
        let pattern = format!("%{}%", crate::incident_query::literal(&text.trim().to_lowercase()));
        let (sources_total, sources) = self.matching(&SOURCES_SEARCHED, &pattern, limit, rows::source).await?;
        let (claims_total, claims) = self.matching(&CLAIMS_SEARCHED, &pattern, limit, rows::claim).await?;
        Ok(SearchHits { sources_total, sources, claims_total, claims })
    }

    /// Rows of a searched table whose text matches `pattern`: how many in all,
    /// and the first `limit` in the table's order, read by `read`.
    async fn matching<T>(
        &self,
        t: &Searched,
        pattern: &str,
        limit: usize,
        read: fn(&sqlx::any::AnyRow) -> Result<T, StoreError>,
    ) -> Result<(usize, Vec<T>), StoreError> {
        let Searched { table, columns, cond, order } = t;
        let total: i64 = sqlx::query(&format!("SELECT COUNT(*) AS n FROM {table} WHERE {cond}"))
            .bind(pattern)
            .fetch_one(&self.pool)
            .await?
            .try_get("n")?;
        let rows = sqlx::query(&format!("SELECT {columns} FROM {table} WHERE {cond} ORDER BY {order} LIMIT {limit}"))
            .bind(pattern)
            .fetch_all(&self.pool)
            .await?;
        Ok((total as usize, rows.iter().map(read).collect::<Result<_, _>>()?))
    }

    /// One claim of a current claim set, as extracted.
    pub async fn claim(&self, id: &dossier_model::ClaimId) -> Result<Option<Claim>, StoreError> {
        let row = sqlx::query(&format!("SELECT {} FROM claims WHERE id = $1 AND {CURRENT}", rows::CLAIM_COLUMNS))
            .bind(id.as_str())
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| rows::claim(&r)).transpose()
    }

    /// The current claims of one source (its latest claim set), in text order.
    pub async fn claims_of(&self, id: &SourceId) -> Result<Vec<Claim>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {} FROM claims WHERE source_id = $1 AND {CURRENT} ORDER BY ordinal",
            rows::CLAIM_COLUMNS
        ))
        .bind(id.as_str())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(rows::claim).collect()
    }

    /// Every current claim, by source ingestion order then text order.
    pub async fn claims(&self) -> Result<Vec<Claim>, StoreError> {
        let sql = format!(
            "SELECT {} FROM claims JOIN sources s ON s.id = claims.source_id WHERE {CURRENT} \
             ORDER BY s.log_seq, claims.ordinal",
            rows::CLAIM_COLUMNS.split(", ").map(|c| format!("claims.{c}")).collect::<Vec<_>>().join(", ")
        );
        let rows = sqlx::query(&sql).fetch_all(&self.pool).await?;
        rows.iter().map(rows::claim).collect()
    }

    /// The claims of earlier claim sets (replaced by a re-extraction), each
    /// with the log entry that recorded its set, in set then text order.
    pub async fn replaced_claims(&self) -> Result<Vec<(u64, Claim)>, StoreError> {
        let sql = format!(
            "SELECT {}, claims.log_seq AS set_seq FROM claims WHERE NOT ({CURRENT}) ORDER BY claims.log_seq, claims.ordinal",
            rows::CLAIM_COLUMNS.split(", ").map(|c| format!("claims.{c}")).collect::<Vec<_>>().join(", ")
        );
        let rows = sqlx::query(&sql).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                let seq: i64 = r.try_get("set_seq")?;
                Ok((seq as u64, rows::claim(r)?))
            })
            .collect()
    }

    /// The claim sets of every source: (source, the log entry of each set), oldest first.
    pub async fn claim_sets(&self) -> Result<Vec<(SourceId, u64)>, StoreError> {
        let rows = sqlx::query("SELECT source_id, seq FROM claim_sets ORDER BY seq").fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                let id: String = r.try_get("source_id")?;
                let seq: i64 = r.try_get("seq")?;
                let id = SourceId::parse(&id).map_err(|e| StoreError::Corrupt {
                    table: "claim_sets",
                    key: id.clone(),
                    reason: e.to_string(),
                })?;
                Ok((id, seq as u64))
            })
            .collect()
    }

    /// Every incident, by date.
    pub async fn incidents(&self) -> Result<Vec<Incident>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, doc FROM incidents ORDER BY (CASE WHEN date_start IS NULL THEN 0 ELSE 1 END), date_start, id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(rows::incident).collect()
    }

    /// Fills the list rows of incidents written before the list table existed.
    async fn fill_incident_list(&self) -> Result<(), StoreError> {
        let rows = sqlx::query("SELECT id, doc FROM incidents WHERE id NOT IN (SELECT id FROM incident_list)")
            .fetch_all(&self.pool)
            .await?;
        if rows.is_empty() {
            return Ok(());
        }
        // One transaction for all of them: one sync, not one per row.
        let mut tx = self.pool.begin().await?;
        for row in &rows {
            insert_list_row(&mut tx, &rows::incident(row)?).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// One page of the incident list (by date, then id; undated first) and
    /// how many incidents match in all.
    pub async fn incidents_page(&self, q: &crate::IncidentQuery) -> Result<(usize, Vec<Incident>), StoreError> {
        let (clause, binds) = q.where_clause();
        let count_sql = format!("SELECT COUNT(*) AS n FROM incident_list{clause}");
        let mut count = sqlx::query(&count_sql);
        for b in &binds {
            count = count.bind(b);
        }
        let total: i64 = count.fetch_one(&self.pool).await?.try_get("n")?;
        let page_sql = format!(
            "SELECT id FROM incident_list{clause} ORDER BY {} LIMIT {} OFFSET {}",
            q.sort.order_by(),
            q.limit,
            q.offset
        );
        let mut page = sqlx::query(&page_sql);
        for b in &binds {
            page = page.bind(b);
        }
        let ids: Vec<String> = page.fetch_all(&self.pool).await?.iter().map(|r| r.get("id")).collect();
        if ids.is_empty() {
            return Ok((total as usize, Vec::new()));
        }
        let marks: Vec<String> = (1..=ids.len()).map(|k| format!("${k}")).collect();
        let docs_sql = format!("SELECT id, doc FROM incidents WHERE id IN ({})", marks.join(", "));
        let mut docs = sqlx::query(&docs_sql);
        for id in &ids {
            docs = docs.bind(id);
        }
        let mut found: std::collections::HashMap<String, Incident> = std::collections::HashMap::new();
        for row in docs.fetch_all(&self.pool).await? {
            let i = rows::incident(&row)?;
            found.insert(i.id.to_string(), i);
        }
        Ok((total as usize, ids.iter().filter_map(|id| found.remove(id)).collect()))
    }

    /// Incidents over time: per year (or, given a year, per month of it),
    /// how many incidents start then and the sums of their killed ranges'
    /// bounds (where bounded). Undated incidents are left out.
    pub async fn timeline(&self, year: Option<i32>) -> Result<Vec<TimelineBucket>, StoreError> {
        let (width, clause) = match year {
            Some(_) => (7, "WHERE sort_date LIKE $1"),
            None => (4, "WHERE sort_date <> '0000-00-00'"),
        };
        let sql = format!(
            "SELECT substr(sort_date, 1, {width}) AS bucket, COUNT(*) AS n, \
             COALESCE(CAST(SUM(killed_min) AS BIGINT), 0) AS killed_min, \
             COALESCE(CAST(SUM(killed_max) AS BIGINT), 0) AS killed_max \
             FROM incident_list {clause} GROUP BY substr(sort_date, 1, {width}) ORDER BY bucket"
        );
        let mut query = sqlx::query(&sql);
        if let Some(y) = year {
            query = query.bind(format!("{y:04}-%"));
        }
        let rows = query.fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                Ok(TimelineBucket {
                    bucket: r.try_get("bucket")?,
                    incidents: r.try_get::<i64, _>("n")? as u64,
                    killed_min: r.try_get::<i64, _>("killed_min")? as u64,
                    killed_max: r.try_get::<i64, _>("killed_max")? as u64,
                })
            })
            .collect()
    }

    /// The map: incidents matching `q` (its page is ignored) that have
    /// coordinates, grouped by place and grade, most incidents first.
    pub async fn map_points(&self, q: &crate::IncidentQuery) -> Result<Vec<MapPoint>, StoreError> {
        let (clause, binds) = q.where_clause();
        let located = if clause.is_empty() { " WHERE lat IS NOT NULL" } else { " AND lat IS NOT NULL" };
        let sql = format!(
            "SELECT lat, lon, grade, MAX(place_name) AS place, COUNT(*) AS n, \
             COALESCE(CAST(SUM(killed_max) AS BIGINT), 0) AS killed_max \
             FROM incident_list{clause}{located} GROUP BY lat, lon, grade ORDER BY n DESC, place, grade"
        );
        let mut query = sqlx::query(&sql);
        for b in &binds {
            query = query.bind(b);
        }
        let rows = query.fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                Ok(MapPoint {
                    lat: r.try_get("lat")?,
                    lon: r.try_get("lon")?,
                    place: r.try_get::<Option<String>, _>("place")?.unwrap_or_default(),
                    grade: r.try_get("grade")?,
                    incidents: r.try_get::<i64, _>("n")? as u64,
                    killed_max: r.try_get::<i64, _>("killed_max")? as u64,
                })
            })
            .collect()
    }

    /// Incidents whose anchor may be grouped with a report (a superset of the
    /// pairs dossier-resolve's linkage blocks together): anchors answering to one
    /// of `keys` (the report's place, region and country names, lowercased)
    /// dated within `window` or undated (any date when `window` is `None`),
    /// and anchors of any place dated within `day_window` (ISO dates, widened by the caller).
    pub async fn incidents_near(
        &self,
        keys: &[String],
        window: Option<(&str, &str)>,
        day_window: Option<(&str, &str)>,
    ) -> Result<Vec<Incident>, StoreError> {
        let mut rows = Vec::new();
        if let Some(first) = keys.first() {
            let k = |i: usize| keys.get(i).unwrap_or(first).clone();
            let names = "($1, $2, $3)";
            let dated = if window.is_some() {
                " AND (anchor_start IS NULL OR (anchor_start <= $4 AND anchor_end >= $5))"
            } else {
                ""
            };
            let sql = format!(
                "SELECT id, doc FROM incidents WHERE (anchor_place IN {names} OR anchor_admin1 IN {names} \
                 OR anchor_country IN {names}){dated}"
            );
            let mut q = sqlx::query(&sql).bind(k(0)).bind(k(1)).bind(k(2));
            if let Some((start, end)) = window {
                q = q.bind(end.to_string()).bind(start.to_string());
            }
            rows.extend(q.fetch_all(&self.pool).await?);
        }
        if let Some((start, end)) = day_window {
            rows.extend(
                sqlx::query("SELECT id, doc FROM incidents WHERE anchor_start <= $1 AND anchor_end >= $2")
                    .bind(end)
                    .bind(start)
                    .fetch_all(&self.pool)
                    .await?,
            );
        }
        let mut seen = std::collections::HashSet::new();
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            let incident = rows::incident(row)?;
            if seen.insert(incident.id.clone()) {
                out.push(incident);
            }
        }
        Ok(out)
    }

    /// Sources ingested but not yet placed into incidents, in ingestion order.
    pub async fn pending_placement(&self) -> Result<Vec<SourceId>, StoreError> {
        let rows = sqlx::query(
            "SELECT p.source_id AS id FROM pending_placement p JOIN sources s ON s.id = p.source_id \
             ORDER BY s.ingested_at, s.id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let id: String = r.try_get("id")?;
                SourceId::parse(&id).map_err(|e| StoreError::Corrupt {
                    table: "pending_placement",
                    key: id,
                    reason: e.to_string(),
                })
            })
            .collect()
    }

    /// How many incidents lack an anchor (stored before anchors existed).
    pub async fn unanchored_incidents(&self) -> Result<u64, StoreError> {
        let row =
            sqlx::query("SELECT COUNT(*) AS n FROM incidents WHERE founded IS NULL").fetch_one(&self.pool).await?;
        Ok(row.try_get::<i64, _>("n")? as u64)
    }

    /// The latest ingestion time among sources other than `except`.
    pub async fn latest_ingest_except(&self, except: &SourceId) -> Result<Option<String>, StoreError> {
        let row = sqlx::query("SELECT MAX(ingested_at) AS latest FROM sources WHERE id <> $1")
            .bind(except.as_str())
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get::<Option<String>, _>("latest")?)
    }

    /// The incident with id `id`.
    pub async fn incident(&self, id: &IncidentId) -> Result<Option<Incident>, StoreError> {
        let row = sqlx::query("SELECT id, doc FROM incidents WHERE id = $1")
            .bind(id.as_str())
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| rows::incident(&r)).transpose()
    }

    /// Every review, in the order recorded.
    pub async fn reviews(&self) -> Result<Vec<Review>, StoreError> {
        let rows =
            sqlx::query("SELECT seq, claim_id, action, value, reason, actor, recorded_at FROM reviews ORDER BY seq")
                .fetch_all(&self.pool)
                .await?;
        rows.iter().map(rows::review).collect()
    }

    /// Every move of a claim between incidents, in the order recorded.
    pub async fn claim_moves(&self) -> Result<Vec<ClaimMove>, StoreError> {
        let rows =
            sqlx::query("SELECT seq, claim_id, target_id, reason, actor, recorded_at FROM claim_moves ORDER BY seq")
                .fetch_all(&self.pool)
                .await?;
        rows.iter().map(rows::claim_move).collect()
    }

    /// A user by name: (role, Argon2id password hash).
    pub async fn user(&self, name: &str) -> Result<Option<(String, String)>, StoreError> {
        let row = sqlx::query("SELECT role, password_hash FROM users WHERE name = $1")
            .bind(name)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| (r.get::<String, _>("role"), r.get::<String, _>("password_hash"))))
    }

    /// Every user: (name, role, created_at), by name.
    pub async fn users(&self) -> Result<Vec<(String, String, String)>, StoreError> {
        let rows = sqlx::query("SELECT name, role, created_at FROM users ORDER BY name").fetch_all(&self.pool).await?;
        Ok(rows.iter().map(|r| (r.get("name"), r.get("role"), r.get("created_at"))).collect())
    }

    /// The user an API token (by its SHA-256) was issued to, with their role.
    pub async fn token_user(&self, token_sha256: &str) -> Result<Option<(String, String)>, StoreError> {
        let row = sqlx::query(
            "SELECT u.name AS name, u.role AS role FROM api_tokens t JOIN users u ON u.name = t.user_name \
             WHERE t.token_sha256 = $1",
        )
        .bind(token_sha256)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| (r.get::<String, _>("name"), r.get::<String, _>("role"))))
    }

    /// A session by the SHA-256 of its secret: (user name, role, csrf, expires_at).
    pub async fn session(&self, id_sha256: &str) -> Result<Option<(String, String, String, String)>, StoreError> {
        let row = sqlx::query(
            "SELECT u.name AS name, u.role AS role, s.csrf AS csrf, s.expires_at AS expires_at \
             FROM sessions s JOIN users u ON u.name = s.user_name WHERE s.id_sha256 = $1",
        )
        .bind(id_sha256)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| (r.get("name"), r.get("role"), r.get("csrf"), r.get("expires_at"))))
    }

    /// Every grouping decision, in the order recorded.
    pub async fn grouping_decisions(&self) -> Result<Vec<GroupingDecision>, StoreError> {
        let rows = sqlx::query(
            "SELECT seq, ordinal, action, source_a, source_b, reason, actor, recorded_at FROM grouping_decisions \
             ORDER BY seq, ordinal",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(rows::grouping_decision).collect()
    }

    /// The audit-log entries of one action about one subject, in order.
    pub async fn log_entries_about(&self, subject: &str, action: &str) -> Result<Vec<LoggedEntry>, StoreError> {
        let rows = sqlx::query(
            "SELECT seq, recorded_at, actor, action, subject, payload, leaf_hash FROM log_entries \
             WHERE subject = $1 AND action = $2 ORDER BY seq",
        )
        .bind(subject)
        .bind(action)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(rows::logged_entry).collect()
    }

    /// The `claims.extracted` entries of re-extractions that left reviews or
    /// moves uncarried, oldest first.
    pub async fn entries_with_uncarried(&self) -> Result<Vec<LoggedEntry>, StoreError> {
        let rows = sqlx::query(
            "SELECT seq, recorded_at, actor, action, subject, payload, leaf_hash FROM log_entries \
             WHERE action = 'claims.extracted' AND payload LIKE '%\"uncarried\":[%' \
             AND payload NOT LIKE '%\"uncarried\":[]%' ORDER BY seq",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(rows::logged_entry).collect()
    }

    /// A claim of any claim set, current or replaced.
    pub async fn claim_in_history(&self, id: &dossier_model::ClaimId) -> Result<Option<Claim>, StoreError> {
        let row = sqlx::query(&format!("SELECT {} FROM claims WHERE id = $1", rows::CLAIM_COLUMNS))
            .bind(id.as_str())
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| rows::claim(&r)).transpose()
    }

    /// Every audit-log entry, in order.
    pub async fn log_entries(&self) -> Result<Vec<LoggedEntry>, StoreError> {
        let rows = sqlx::query(
            "SELECT seq, recorded_at, actor, action, subject, payload, leaf_hash FROM log_entries ORDER BY seq",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(rows::logged_entry).collect()
    }

    /// The recorded tree head.
    pub async fn tree_head(&self) -> Result<TreeHead, StoreError> {
        let row =
            sqlx::query("SELECT size, root, frontier, updated_at, signed_at, signature FROM tree_head WHERE id = 1")
                .fetch_one(&self.pool)
                .await?;
        rows::tree_head(&row)
    }
}

/// A write transaction. Dropping it without [`Tx::commit`] rolls everything back.
pub struct Tx {
    tx: sqlx::Transaction<'static, sqlx::Any>,
}

impl Tx {
    /// The transaction's connection, for the other row modules.
    pub(crate) fn conn(&mut self) -> &mut sqlx::AnyConnection {
        &mut self.tx
    }

    /// Appends an audit-log entry and advances the tree head. Taking the tree
    /// head row first serialises concurrent writers on both backends.
    pub async fn append(
        &mut self,
        recorded_at: &str,
        actor: &str,
        action: dossier_model::LogAction,
        subject: &str,
        payload: &str,
    ) -> Result<Entry, StoreError> {
        let row =
            sqlx::query("UPDATE tree_head SET size = size + 1, updated_at = $1 WHERE id = 1 RETURNING size, frontier")
                .bind(recorded_at)
                .fetch_one(&mut *self.tx)
                .await?;
        let new_size: i64 = row.try_get("size")?;
        let frontier_text: String = row.try_get("frontier")?;
        let seq = (new_size - 1) as u64;
        let mut frontier = parse_frontier(seq, &frontier_text)?;
        let entry = Entry {
            seq,
            recorded_at: recorded_at.to_string(),
            actor: actor.to_string(),
            action: action.as_str().to_string(),
            subject: subject.to_string(),
            payload: payload.to_string(),
        };
        let leaf = entry.leaf_hash();
        frontier.push(leaf);
        sqlx::query(
            "INSERT INTO log_entries (seq, recorded_at, actor, action, subject, payload, leaf_hash) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(seq as i64)
        .bind(recorded_at)
        .bind(actor)
        .bind(action.as_str())
        .bind(subject)
        .bind(payload)
        .bind(hash_hex(&leaf))
        .execute(&mut *self.tx)
        .await?;
        sqlx::query("UPDATE tree_head SET root = $1, frontier = $2 WHERE id = 1")
            .bind(hash_hex(&frontier.root()))
            .bind(format_frontier(&frontier))
            .execute(&mut *self.tx)
            .await?;
        Ok(entry)
    }

    /// Inserts a new source, recorded by log entry `log_seq`; `body_sealed`
    /// holds the text as written when `s.body` has protected names masked.
    pub async fn insert_source(
        &mut self,
        s: &Source,
        body_sealed: Option<&str>,
        log_seq: u64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO sources (id, sha256, file_name, media_type, byte_len, title, url, source_type, publisher, \
             published, author, language, note, body, ingested_at, log_seq, body_sealed, confidential) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)",
        )
        .bind(s.id.as_str())
        .bind(s.sha256.as_str())
        .bind(&s.file_name)
        .bind(s.media_type.as_str())
        .bind(s.byte_len as i64)
        .bind(s.meta.title.clone())
        .bind(s.meta.url.clone())
        .bind(s.meta.source_type.as_str())
        .bind(s.meta.publisher.clone())
        .bind(s.meta.published.map(|d| d.to_string()))
        .bind(s.meta.author.clone())
        .bind(s.meta.language.clone())
        .bind(s.meta.note.clone())
        .bind(&s.body)
        .bind(&s.ingested_at)
        .bind(log_seq as i64)
        .bind(body_sealed)
        .bind(i64::from(s.meta.confidential))
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    /// Makes the claims recorded by log entry `seq` the source's current set.
    pub async fn insert_claim_set(&mut self, source: &SourceId, seq: u64) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO claim_sets (source_id, seq) VALUES ($1, $2)")
            .bind(source.as_str())
            .bind(seq as i64)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    /// Inserts claims, recorded by log entry `log_seq`.
    pub async fn insert_claims(&mut self, claims: &[Claim], log_seq: u64) -> Result<(), StoreError> {
        for (ordinal, c) in claims.iter().enumerate() {
            sqlx::query(
                "INSERT INTO claims (id, source_id, ordinal, kind, span_start, span_end, sentence_start, sentence_end, \
                 text, according_to, status, value, log_seq, frame) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
            )
            .bind(c.id.as_str())
            .bind(c.source.as_str())
            .bind(ordinal as i64)
            .bind(c.kind.as_str())
            .bind(c.span.start as i64)
            .bind(c.span.end as i64)
            .bind(c.sentence.start as i64)
            .bind(c.sentence.end as i64)
            .bind(&c.text)
            .bind(c.according_to.as_str())
            .bind(c.status.as_str())
            .bind(rows::value_json(&c.value))
            .bind(log_seq as i64)
            .bind(i64::from(c.frame))
            .execute(&mut *self.tx)
            .await?;
        }
        Ok(())
    }

    /// Starts a session.
    pub async fn insert_session(
        &mut self,
        id_sha256: &str,
        user: &str,
        csrf: &str,
        created_at: &str,
        expires_at: &str,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO sessions (id_sha256, user_name, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id_sha256)
        .bind(user)
        .bind(csrf)
        .bind(created_at)
        .bind(expires_at)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    /// Ends a session (and every expired one); how many rows went.
    pub async fn delete_session(&mut self, id_sha256: &str, now: &str) -> Result<bool, StoreError> {
        let ended = sqlx::query("DELETE FROM sessions WHERE id_sha256 = $1")
            .bind(id_sha256)
            .execute(&mut *self.tx)
            .await?
            .rows_affected();
        sqlx::query("DELETE FROM sessions WHERE expires_at < $1").bind(now).execute(&mut *self.tx).await?;
        Ok(ended > 0)
    }

    /// Inserts a review recorded by log entry `r.seq`.
    pub async fn insert_review(&mut self, r: &Review) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO reviews (seq, claim_id, action, value, reason, actor, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(r.seq as i64)
        .bind(r.claim.as_str())
        .bind(r.action.as_str())
        .bind(r.value.as_ref().map(rows::value_json))
        .bind(&r.reason)
        .bind(&r.actor)
        .bind(&r.recorded_at)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    /// Inserts a user recorded by log entry `seq`.
    pub async fn insert_user(
        &mut self,
        name: &str,
        role: &str,
        password_hash: &str,
        created_at: &str,
        seq: u64,
    ) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO users (name, role, password_hash, created_at, seq) VALUES ($1, $2, $3, $4, $5)")
            .bind(name)
            .bind(role)
            .bind(password_hash)
            .bind(created_at)
            .bind(seq as i64)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    /// Inserts an API token (its SHA-256 only) recorded by log entry `seq`.
    pub async fn insert_token(
        &mut self,
        token_sha256: &str,
        user: &str,
        created_at: &str,
        seq: u64,
    ) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO api_tokens (token_sha256, user_name, created_at, seq) VALUES ($1, $2, $3, $4)")
            .bind(token_sha256)
            .bind(user)
            .bind(created_at)
            .bind(seq as i64)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    /// Inserts a move recorded by log entry `m.seq`.
    pub async fn insert_claim_move(&mut self, m: &ClaimMove) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO claim_moves (seq, claim_id, target_id, reason, actor, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(m.seq as i64)
        .bind(m.claim.as_str())
        .bind(m.target.as_ref().map(|t| t.as_str().to_string()))
        .bind(&m.reason)
        .bind(&m.actor)
        .bind(&m.recorded_at)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    /// Inserts a grouping decision recorded by log entry `d.seq`.
    pub async fn insert_grouping_decision(&mut self, d: &GroupingDecision) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO grouping_decisions (seq, ordinal, action, source_a, source_b, reason, actor, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(d.seq as i64)
        .bind(d.ordinal as i64)
        .bind(d.action.as_str())
        .bind(d.a.as_str())
        .bind(d.b.as_str())
        .bind(&d.reason)
        .bind(&d.actor)
        .bind(&d.recorded_at)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    /// Marks a source as awaiting placement into incidents.
    pub async fn mark_pending(&mut self, source: &SourceId) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO pending_placement (source_id) VALUES ($1)")
            .bind(source.as_str())
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    /// Marks sources as placed (`None`: every source).
    pub async fn clear_pending(&mut self, sources: Option<&[SourceId]>) -> Result<(), StoreError> {
        match sources {
            None => {
                sqlx::query("DELETE FROM pending_placement").execute(&mut *self.tx).await?;
            }
            Some(ids) => {
                for id in ids {
                    sqlx::query("DELETE FROM pending_placement WHERE source_id = $1")
                        .bind(id.as_str())
                        .execute(&mut *self.tx)
                        .await?;
                }
            }
        }
        Ok(())
    }

    /// Replaces the incident projection with `incidents`.
    pub async fn replace_incidents(&mut self, incidents: &[Incident]) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM incidents").execute(&mut *self.tx).await?;
        sqlx::query("DELETE FROM incident_list").execute(&mut *self.tx).await?;
        for i in incidents {
            self.insert_incident(i).await?;
        }
        Ok(())
    }

    /// Writes one incident of the projection, replacing its earlier state.
    pub async fn upsert_incident(&mut self, i: &Incident) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM incidents WHERE id = $1").bind(i.id.as_str()).execute(&mut *self.tx).await?;
        sqlx::query("DELETE FROM incident_list WHERE id = $1").bind(i.id.as_str()).execute(&mut *self.tx).await?;
        self.insert_incident(i).await
    }

    async fn insert_incident(&mut self, i: &Incident) -> Result<(), StoreError> {
        let anchor = i.anchor.as_ref();
        let place = anchor.and_then(|a| a.place.as_ref());
        let lower = |s: Option<&String>| s.map(|s| s.to_lowercase());
        sqlx::query(
            "INSERT INTO incidents (id, date_start, doc, founded, anchor_place, anchor_admin1, anchor_country, \
             anchor_start, anchor_end) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(i.id.as_str())
        .bind(i.date.map(|d| d.start.to_string()))
        .bind(rows::incident_json(i))
        .bind(anchor.map(|a| a.founded.clone()))
        .bind(lower(place.map(|p| &p.name)))
        .bind(lower(place.and_then(|p| p.admin1.as_ref())))
        .bind(lower(place.and_then(|p| p.country.as_ref())))
        .bind(anchor.and_then(|a| a.date).map(|d| d.start.to_string()))
        .bind(anchor.and_then(|a| a.date).map(|d| d.end.to_string()))
        .execute(&mut *self.tx)
        .await?;
        insert_list_row(&mut self.tx, i).await
    }

    /// The tree head as this transaction sees it: size and root.
    pub async fn head(&mut self) -> Result<(u64, String), StoreError> {
        let row = sqlx::query("SELECT size, root FROM tree_head WHERE id = 1").fetch_one(&mut *self.tx).await?;
        Ok((row.try_get::<i64, _>("size")? as u64, row.try_get("root")?))
    }

    /// Records the tree head's signature.
    pub async fn sign_head(&mut self, signed_at: &str, signature: &str) -> Result<(), StoreError> {
        sqlx::query("UPDATE tree_head SET signed_at = $1, signature = $2 WHERE id = 1")
            .bind(signed_at)
            .bind(signature)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    /// Commits every change made in this transaction.
    pub async fn commit(self) -> Result<(), StoreError> {
        self.tx.commit().await?;
        Ok(())
    }
}

fn parse_frontier(size: u64, text: &str) -> Result<Frontier, StoreError> {
    let corrupt = |reason: String| StoreError::Corrupt { table: "tree_head", key: "1".into(), reason };
    let nodes: Vec<Hash> = text
        .split(',')
        .filter(|s| !s.is_empty())
        .map(|h| parse_hash(h).map_err(|e| corrupt(e.to_string())))
        .collect::<Result<_, _>>()?;
    Frontier::from_parts(size, nodes).map_err(|e| corrupt(e.to_string()))
}

fn format_frontier(f: &Frontier) -> String {
    f.nodes().iter().map(hash_hex).collect::<Vec<_>>().join(",")
}

/// Writes an incident's row of the list table.
async fn insert_list_row(tx: &mut sqlx::Transaction<'static, sqlx::Any>, i: &Incident) -> Result<(), StoreError> {
    let row = crate::incident_query::ListRow::of(i);
    sqlx::query(
        "INSERT INTO incident_list (id, sort_date, date_end, grade, search_text, place_text, types_text, \
         killed_min, killed_max, place_name, lat, lon, actor_text, killed_order, sources_order, grade_order) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, CAST($11 AS DOUBLE PRECISION), \
         CAST($12 AS DOUBLE PRECISION), $13, $14, $15, $16)",
    )
    .bind(i.id.as_str())
    .bind(row.sort_date)
    .bind(row.date_end)
    .bind(row.grade)
    .bind(row.search_text)
    .bind(row.place_text)
    .bind(row.types_text)
    .bind(row.killed_min)
    .bind(row.killed_max)
    .bind(row.place_name)
    // As text, cast in SQL: through sqlx's `Any` driver a missing f64 reaches
    // PostgreSQL as a value of the wrong binary format.
    .bind(row.lat.map(|v| v.to_string()))
    .bind(row.lon.map(|v| v.to_string()))
    .bind(row.actor_text)
    .bind(row.killed_order)
    .bind(row.sources_order)
    .bind(row.grade_order)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
