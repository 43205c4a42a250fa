//! Dossier's persistence: the content-addressed evidence archive and the SQL
//! store, on SQLite (embedded default) or PostgreSQL, through one code path.
//!
//! API boundary: the only crate that speaks SQL or touches the archive's
//! files. It stores what it is given; it decides nothing. Writes happen in a
//! [`Tx`], where every change is accompanied by its audit-log entry.

mod archive;
mod incident_query;
mod persons;
mod rows;
mod store;

pub use archive::{Archive, ArchiveCheck};
pub use incident_query::{IncidentQuery, Sort};
pub use persons::{Mention, PersonRow};
pub use store::{Backend, Durability, LoggedEntry, MapPoint, SearchHits, Store, TimelineBucket, TreeHead, Tx};

/// An error from the store or the archive. Messages never include stored text.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database reported an error.
    #[error("database error")]
    Database(#[from] sqlx::Error),
    /// A migration failed.
    #[error("migration failed")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// Reading or writing the archive failed.
    #[error("archive error at {path}: {source}")]
    Archive {
        /// The file concerned.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A stored row that does not decode (damaged or written by a newer version).
    #[error("stored {table} row {key} is malformed: {reason}")]
    Corrupt {
        /// The table.
        table: &'static str,
        /// The row's key.
        key: String,
        /// What is wrong.
        reason: String,
    },
    /// A database URL this build does not support.
    #[error("unsupported database URL (expected sqlite:// or postgres://)")]
    UnsupportedUrl,
}
