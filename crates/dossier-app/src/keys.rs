//! The installation's Ed25519 signing key: a 32-byte secret kept in a file
//! outside the database (`DATA/keys/signing.key`, mode 0600, or a path given
//! in the configuration), created on first use.

use std::fs;
use std::io::Write;
use std::path::Path;

use crate::AppError;

fn err(path: &Path, source: std::io::Error) -> AppError {
    AppError::DataDir { path: path.display().to_string(), source }
}

/// Reads the secret key at `path`, creating it (from the operating system's
/// random source) when it does not exist yet.
pub fn load_or_create(path: &Path) -> Result<[u8; 32], AppError> {
    match fs::read_to_string(path) {
        Ok(text) => {
            let mut secret = [0u8; 32];
            hex::decode_to_slice(text.trim(), &mut secret)
                .map_err(|_| AppError::Invalid(format!("{} is not a 32-byte hex signing key", path.display())))?;
            Ok(secret)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let mut secret = [0u8; 32];
            getrandom::fill(&mut secret)
                .map_err(|e| err(path, std::io::Error::other(format!("no random source: {e}"))))?;
            if let Some(dir) = path.parent() {
                fs::create_dir_all(dir).map_err(|e| err(dir, e))?;
            }
            let mut options = fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            let mut f = options.open(path).map_err(|e| err(path, e))?;
            f.write_all(hex::encode(secret).as_bytes()).and_then(|_| f.sync_all()).map_err(|e| err(path, e))?;
            Ok(secret)
        }
        Err(e) => Err(err(path, e)),
    }
}
