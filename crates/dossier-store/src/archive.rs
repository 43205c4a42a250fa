//! The evidence archive: original bytes stored under their SHA-256, never modified.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use dossier_model::Sha256Hex;

use crate::StoreError;

/// A directory of files named by their SHA-256 (`ab/cdef...`).
#[derive(Debug, Clone)]
pub struct Archive {
    root: PathBuf,
}

/// The result of checking one archived file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArchiveCheck {
    /// Present, and its bytes hash to its name.
    Intact,
    /// No file.
    Missing,
    /// The bytes hash to something else: the file was altered.
    Altered {
        /// The digest of what is there now.
        actual: Sha256Hex,
    },
}

fn io_err(path: &Path, source: std::io::Error) -> StoreError {
    StoreError::Archive { path: path.display().to_string(), source }
}

impl Archive {
    /// Opens (creating if needed) the archive at `root`.
    pub fn open(root: impl Into<PathBuf>) -> Result<Self, StoreError> {
        let root = root.into();
        fs::create_dir_all(&root).map_err(|e| io_err(&root, e))?;
        Ok(Archive { root })
    }

    /// Where the bytes with digest `sha` live.
    pub fn path(&self, sha: &Sha256Hex) -> PathBuf {
        let hex = sha.as_str();
        self.root.join(&hex[..2]).join(&hex[2..])
    }

    /// Stores `bytes` (whose digest is `sha`) durably: written to a temporary
    /// file, synced, then renamed into place. An intact existing copy is kept.
    pub fn put(&self, sha: &Sha256Hex, bytes: &[u8]) -> Result<PathBuf, StoreError> {
        self.put_encoded(sha, bytes, Some)
    }

    /// Stores `stored` (an encoding of the original, such as a sealed copy,
    /// that `decode` turns back into bytes whose digest is `sha`) as
    /// [`Archive::put`] does. An intact existing copy is kept.
    pub fn put_encoded(
        &self,
        sha: &Sha256Hex,
        stored: &[u8],
        decode: impl Fn(Vec<u8>) -> Option<Vec<u8>>,
    ) -> Result<PathBuf, StoreError> {
        let path = self.path(sha);
        if self.check_with(sha, decode)? == ArchiveCheck::Intact {
            return Ok(path);
        }
        self.write(sha, stored, true)
    }

    /// Replaces the copy stored under `sha` by another encoding of the same
    /// original (a copy re-sealed under a new key); no copy is set aside.
    pub fn replace(&self, sha: &Sha256Hex, stored: &[u8]) -> Result<PathBuf, StoreError> {
        self.write(sha, stored, false)
    }

    fn write(&self, sha: &Sha256Hex, bytes: &[u8], keep_altered: bool) -> Result<PathBuf, StoreError> {
        let path = self.path(sha);
        let dir = path.parent().expect("archive paths have a parent");
        fs::create_dir_all(dir).map_err(|e| io_err(dir, e))?;
        let tmp = dir.join(format!(".{}.tmp-{}", &sha.as_str()[2..], std::process::id()));
        let write = || -> std::io::Result<()> {
            let mut f = fs::File::create(&tmp)?;
            f.write_all(bytes)?;
            f.sync_all()?;
            let mut perms = f.metadata()?.permissions();
            perms.set_readonly(true);
            fs::set_permissions(&tmp, perms)?;
            if keep_altered && path.exists() {
                // An altered copy is moved aside, never silently overwritten.
                let aside = dir.join(format!("{}.altered-{}", &sha.as_str()[2..], std::process::id()));
                fs::rename(&path, aside)?;
            }
            fs::rename(&tmp, &path)?;
            fs::File::open(dir)?.sync_all()
        };
        write().map_err(|e| {
            let _ = fs::remove_file(&tmp);
            io_err(&path, e)
        })?;
        Ok(path)
    }

    /// Reads the bytes stored under `sha`.
    pub fn read(&self, sha: &Sha256Hex) -> Result<Vec<u8>, StoreError> {
        let path = self.path(sha);
        fs::read(&path).map_err(|e| io_err(&path, e))
    }

    /// Re-hashes the file stored under `sha`.
    pub fn check(&self, sha: &Sha256Hex) -> Result<ArchiveCheck, StoreError> {
        self.check_with(sha, Some)
    }

    /// Re-hashes the original that `decode` reads out of the file stored
    /// under `sha`; a file `decode` cannot read counts as altered.
    pub fn check_with(
        &self,
        sha: &Sha256Hex,
        decode: impl Fn(Vec<u8>) -> Option<Vec<u8>>,
    ) -> Result<ArchiveCheck, StoreError> {
        let path = self.path(sha);
        match fs::read(&path) {
            Ok(stored) => {
                let digest_of_stored = Sha256Hex::of(&stored);
                let actual = decode(stored).map(|b| Sha256Hex::of(&b)).unwrap_or(digest_of_stored);
                Ok(if &actual == sha { ArchiveCheck::Intact } else { ArchiveCheck::Altered { actual } })
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(ArchiveCheck::Missing),
            Err(e) => Err(io_err(&path, e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stores_by_digest_and_detects_changes() {
        let dir = tempfile::tempdir().unwrap();
        let archive = Archive::open(dir.path().join("archive")).unwrap();
        let bytes = b"Seven residents were killed.";
        let sha = Sha256Hex::of(bytes);
        let path = archive.put(&sha, bytes).unwrap();
        assert!(path.ends_with(&sha.as_str()[2..]));
        assert_eq!(archive.read(&sha).unwrap(), bytes);
        assert_eq!(archive.check(&sha).unwrap(), ArchiveCheck::Intact);
        let mut perms = fs::metadata(&path).unwrap().permissions();
        #[allow(clippy::permissions_set_readonly_false)] // the test plays an attacker
        perms.set_readonly(false);
        fs::set_permissions(&path, perms).unwrap();
        fs::write(&path, b"Seven residents were killed!").unwrap();
        assert!(matches!(archive.check(&sha).unwrap(), ArchiveCheck::Altered { .. }));
        assert_eq!(archive.check(&Sha256Hex::of(b"other")).unwrap(), ArchiveCheck::Missing);
    }
}
