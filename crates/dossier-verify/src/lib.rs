//! Checking Dossier's evidence without a database: what an auditor's tool
//! needs and nothing more (no SQL driver, no async runtime).
//!
//! - [`encoding`]: the versioned record encodings (`dossier-record/1`) whose
//!   digests log entries hold;
//! - [`records`]: every record checked against the log entry that recorded
//!   it, and the incident projection against the entries that wrote it;
//! - [`bundle`]: the offline verifier of `dossier-bundle/1` files and of one
//!   bundle's log extending another's.
//!
//! A store's `verify` (in `dossier-app`) runs the same [`records`] checks
//! over what the store holds, and adds what only a store has: the archive's
//! files, the sealed bodies of protected sources.

pub mod bundle;
pub mod encoding;
pub mod records;

pub use bundle::{verify_bundle, verify_extension, BundleError, Extension, BUNDLE_FORMAT};
pub use encoding::{Encoding, RECORD_ENCODING};
pub use records::{Problem, VerifyReport};
