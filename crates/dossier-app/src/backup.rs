//! Backup and restore of an embedded (SQLite) installation: a consistent
//! snapshot of the database taken online, the evidence archive, and the
//! signing key, with a manifest; restored only into an empty directory, and
//! verified there.

use std::fs;
use std::path::Path;

use serde_json::json;

use crate::{App, AppError};

fn io(path: &Path) -> impl Fn(std::io::Error) -> AppError + '_ {
    move |source| AppError::DataDir { path: path.display().to_string(), source }
}

fn copy_tree(from: &Path, to: &Path) -> Result<u64, AppError> {
    let mut files = 0;
    fs::create_dir_all(to).map_err(io(to))?;
    for entry in fs::read_dir(from).map_err(io(from))? {
        let entry = entry.map_err(io(from))?;
        let target = to.join(entry.file_name());
        if entry.file_type().map_err(io(from))?.is_dir() {
            files += copy_tree(&entry.path(), &target)?;
        } else {
            fs::copy(entry.path(), &target).map_err(io(&target))?;
            files += 1;
        }
    }
    Ok(files)
}

fn is_empty_or_missing(dir: &Path) -> Result<bool, AppError> {
    match fs::read_dir(dir) {
        Ok(mut entries) => Ok(entries.next().is_none()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(true),
        Err(e) => Err(io(dir)(e)),
    }
}

impl App {
    /// Writes a backup of this installation into `dir` (which must be empty or
    /// not exist): `dossier.sqlite` (an online, consistent snapshot), `archive/`,
    /// `keys/`, and `manifest.json`. Returns the number of archived files copied.
    pub async fn backup(&self, dir: &Path) -> Result<u64, AppError> {
        if self.config.database_url.is_some() {
            return Err(AppError::Invalid(
                "this store is on PostgreSQL: back it up with pg_dump, and copy the data directory's archive/ and keys/"
                    .into(),
            ));
        }
        if !is_empty_or_missing(dir)? {
            return Err(AppError::Invalid(format!(
                "{} is not empty: a backup goes into a new directory",
                dir.display()
            )));
        }
        fs::create_dir_all(dir).map_err(io(dir))?;
        // The database first: the archive only grows, so every file the
        // snapshot names is already there when the archive is copied after it.
        self.store.snapshot_sqlite(&dir.join("dossier.sqlite")).await?;
        let files = copy_tree(&self.config.data_dir.join("archive"), &dir.join("archive"))?;
        let key_file =
            self.config.signing_key_file.clone().unwrap_or_else(|| self.config.data_dir.join("keys/signing.key"));
        let keys = dir.join("keys");
        fs::create_dir_all(&keys).map_err(io(&keys))?;
        fs::copy(&key_file, keys.join("signing.key")).map_err(io(&key_file))?;
        // The data key too (mode 0600 is kept): without it the sealed names and
        // texts in the snapshot cannot be read. Keep backups as the key file is kept.
        let data_key = Self::data_key_path(&self.config);
        fs::copy(&data_key, keys.join("data.key")).map_err(io(&data_key))?;
        let head = self.store.tree_head().await?;
        let manifest = json!({
            "format": "dossier-backup/1",
            "created_at": self.clock.now(),
            "tree_size": head.size,
            "tree_root": head.root,
            "archive_files": files,
            "public_key": self.public_key(),
        });
        let path = dir.join("manifest.json");
        fs::write(&path, serde_json::to_string_pretty(&manifest).expect("a manifest serialises")).map_err(io(&path))?;
        Ok(files)
    }
}

/// Restores the backup in `backup` into the data directory `data` (which must
/// be empty or not exist). Open it afterwards and verify it.
pub fn restore(backup: &Path, data: &Path) -> Result<u64, AppError> {
    let manifest = backup.join("manifest.json");
    let text = fs::read_to_string(&manifest).map_err(io(&manifest))?;
    let m: serde_json::Value = serde_json::from_str(&text)
        .map_err(|_| AppError::Invalid(format!("{} is not a Dossier backup manifest", manifest.display())))?;
    if m["format"] != "dossier-backup/1" {
        return Err(AppError::Invalid(format!("{} is not a dossier-backup/1 manifest", manifest.display())));
    }
    if !is_empty_or_missing(data)? {
        return Err(AppError::Invalid(format!("{} is not empty: restore into a new data directory", data.display())));
    }
    fs::create_dir_all(data).map_err(io(data))?;
    fs::copy(backup.join("dossier.sqlite"), data.join("dossier.sqlite")).map_err(io(data))?;
    let files = copy_tree(&backup.join("archive"), &data.join("archive"))?;
    copy_tree(&backup.join("keys"), &data.join("keys"))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let key = data.join("keys/signing.key");
        fs::set_permissions(&key, fs::Permissions::from_mode(0o600)).map_err(io(&key))?;
    }
    Ok(files)
}
