//! The data key ring: protected names and the texts that hold them are
//! sealed with XChaCha20-Poly1305 under a key kept outside the database
//! (`DATA/keys/data.key`, mode 0600, or a path given in the configuration).
//!
//! The file holds one 32-byte key per line in hex, the current one first;
//! while `dossier keys rotate` runs it also holds the previous key, so that
//! whatever a crash leaves half re-sealed still opens. A sealed value names
//! the key that sealed it: `v1.<key id>.<base64 of nonce ‖ ciphertext>`.
//! Names are found again without decrypting through blind tokens: an HMAC
//! of the normalised word under a key derived from the data key.

use std::fmt;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use crate::AppError;

/// The prefix of an archived original that is sealed.
pub const SEALED_FILE_MAGIC: &[u8] = b"dossier-sealed/1\n";

/// One data key.
#[derive(Clone)]
struct DataKey {
    id: String,
    key: [u8; 32],
}

impl DataKey {
    fn new(key: [u8; 32]) -> Self {
        let digest = Sha256::new().chain_update(b"dossier-key-id/1\0").chain_update(key).finalize();
        DataKey { id: hex::encode(&digest[..4]), key }
    }

    fn derived(&self, purpose: &[u8]) -> Hmac<Sha256> {
        let mut m = <Hmac<Sha256> as Mac>::new_from_slice(&self.key).expect("HMAC takes any key length");
        m.update(b"dossier-derive/1\0");
        m.update(purpose);
        let sub = m.finalize().into_bytes();
        <Hmac<Sha256> as Mac>::new_from_slice(&sub).expect("HMAC takes any key length")
    }
}

/// The key ring of an installation.
#[derive(Clone)]
pub struct Vault {
    path: PathBuf,
    keys: Vec<DataKey>,
}

impl fmt::Debug for Vault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Key ids only: never the keys.
        f.debug_struct("Vault").field("path", &self.path).field("key_ids", &self.key_ids()).finish()
    }
}

/// Why a sealed value could not be opened. Names no content.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum VaultError {
    /// Not in the sealed form.
    #[error("not a sealed value")]
    Malformed,
    /// Sealed under a key this installation does not hold.
    #[error("sealed under key {0}, which the key file does not hold")]
    UnknownKey(String),
    /// The ciphertext or its tag was altered, or the key is wrong.
    #[error("sealed value under key {0} does not authenticate: it was altered")]
    Altered(String),
}

fn io(path: &Path, source: std::io::Error) -> AppError {
    AppError::DataDir { path: path.display().to_string(), source }
}

fn random<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).expect("the operating system's random source works");
    b
}

impl Vault {
    /// Reads the key ring at `path`, creating it with one new key when missing.
    pub fn load_or_create(path: &Path) -> Result<Vault, AppError> {
        match fs::read_to_string(path) {
            Ok(text) => {
                let mut keys = Vec::new();
                for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
                    let mut key = [0u8; 32];
                    hex::decode_to_slice(line.trim(), &mut key).map_err(|_| {
                        AppError::Invalid(format!("{} line {}: not a 32-byte hex data key", path.display(), n + 1))
                    })?;
                    keys.push(DataKey::new(key));
                }
                if keys.is_empty() {
                    return Err(AppError::Invalid(format!("{} holds no data key", path.display())));
                }
                Ok(Vault { path: path.to_path_buf(), keys })
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let vault = Vault { path: path.to_path_buf(), keys: vec![DataKey::new(random())] };
                vault.write(true)?;
                Ok(vault)
            }
            Err(e) => Err(io(path, e)),
        }
    }

    /// Writes the ring: to a new file (mode 0600), or over the old one
    /// through a synced temporary file and a rename.
    fn write(&self, create: bool) -> Result<(), AppError> {
        let path = &self.path;
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
        }
        let target = if create { path.clone() } else { path.with_extension("key.tmp") };
        let mut options = fs::OpenOptions::new();
        options.write(true);
        if create {
            options.create_new(true);
        } else {
            options.create(true).truncate(true);
        }
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut f = options.open(&target).map_err(|e| io(&target, e))?;
        let text: String = self.keys.iter().map(|k| format!("{}\n", hex::encode(k.key))).collect();
        f.write_all(text.as_bytes()).and_then(|_| f.sync_all()).map_err(|e| io(&target, e))?;
        if !create {
            fs::rename(&target, path).map_err(|e| io(path, e))?;
        }
        Ok(())
    }

    /// The ids of the keys held, the current one first.
    pub fn key_ids(&self) -> Vec<String> {
        self.keys.iter().map(|k| k.id.clone()).collect()
    }

    /// The id of the key new values are sealed with.
    pub fn current_id(&self) -> &str {
        &self.keys[0].id
    }

    /// Seals `plain` under the current key.
    pub fn seal(&self, plain: &[u8]) -> String {
        let key = &self.keys[0];
        let cipher = XChaCha20Poly1305::new((&key.key).into());
        let nonce: [u8; 24] = random();
        let ct = cipher.encrypt(XNonce::from_slice(&nonce), plain).expect("sealing in memory cannot fail");
        let mut raw = nonce.to_vec();
        raw.extend_from_slice(&ct);
        format!("v1.{}.{}", key.id, base64::engine::general_purpose::STANDARD_NO_PAD.encode(raw))
    }

    /// Opens a value [`Vault::seal`] made, under whichever held key made it.
    pub fn open(&self, sealed: &str) -> Result<Vec<u8>, VaultError> {
        let mut parts = sealed.splitn(3, '.');
        let (Some("v1"), Some(id), Some(data)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(VaultError::Malformed);
        };
        let key = self.keys.iter().find(|k| k.id == id).ok_or_else(|| VaultError::UnknownKey(id.to_string()))?;
        let raw = base64::engine::general_purpose::STANDARD_NO_PAD.decode(data).map_err(|_| VaultError::Malformed)?;
        if raw.len() < 24 {
            return Err(VaultError::Malformed);
        }
        let cipher = XChaCha20Poly1305::new((&key.key).into());
        cipher.decrypt(XNonce::from_slice(&raw[..24]), &raw[24..]).map_err(|_| VaultError::Altered(id.to_string()))
    }

    /// Opens a sealed value that holds UTF-8 text.
    pub fn open_text(&self, sealed: &str) -> Result<String, VaultError> {
        String::from_utf8(self.open(sealed)?).map_err(|_| VaultError::Malformed)
    }

    /// The key id a sealed value names (`None` if it is not sealed).
    pub fn sealed_with(sealed: &str) -> Option<&str> {
        let mut parts = sealed.splitn(3, '.');
        (parts.next() == Some("v1")).then(|| parts.next()).flatten()
    }

    /// An archived original as stored: the magic line and the sealed bytes.
    pub fn seal_file(&self, bytes: &[u8]) -> Vec<u8> {
        let mut out = SEALED_FILE_MAGIC.to_vec();
        out.extend_from_slice(self.seal(bytes).as_bytes());
        out
    }

    /// An archived original's bytes: opened when sealed, as stored otherwise.
    pub fn open_file(&self, stored: Vec<u8>) -> Result<Vec<u8>, VaultError> {
        match stored.strip_prefix(SEALED_FILE_MAGIC) {
            Some(rest) => self.open(std::str::from_utf8(rest).map_err(|_| VaultError::Malformed)?),
            None => Ok(stored),
        }
    }

    /// The blind token of a word of a protected name under the current key:
    /// equal words give equal tokens, and the token reveals nothing without the key.
    pub fn blind(&self, word: &str) -> String {
        let mut m = self.keys[0].derived(b"name-token");
        m.update(normalise_word(word).as_bytes());
        hex::encode(m.finalize().into_bytes())
    }

    /// The blind token of a whole name (its words normalised, in order).
    pub fn blind_name(&self, name: &str) -> String {
        let mut m = self.keys[0].derived(b"name");
        m.update(normalise_name(name).as_bytes());
        hex::encode(m.finalize().into_bytes())
    }

    /// A new pseudonym for the person whose normalised name is `name`:
    /// `Person ` and six letters and digits, derived from the name under the
    /// current key (stored with the person, so it never changes afterwards).
    pub fn pseudonym(&self, name: &str) -> String {
        let mut m = self.keys[0].derived(b"pseudonym");
        m.update(normalise_name(name).as_bytes());
        let digest = m.finalize().into_bytes();
        const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        let code: String = digest[..6].iter().map(|b| ALPHABET[(*b as usize) % 32] as char).collect();
        format!("Person {code}")
    }

    /// A ring whose current key is new and which still holds the old ones
    /// (written to disk before anything is re-sealed).
    pub fn begin_rotation(&self) -> Result<Vault, AppError> {
        let mut keys = vec![DataKey::new(random())];
        keys.extend(self.keys.iter().cloned());
        let next = Vault { path: self.path.clone(), keys };
        next.write(false)?;
        Ok(next)
    }

    /// Drops every key but the current one (after everything is re-sealed).
    pub fn finish_rotation(&self) -> Result<Vault, AppError> {
        let next = Vault { path: self.path.clone(), keys: vec![self.keys[0].clone()] };
        next.write(false)?;
        Ok(next)
    }
}

/// A word of a name as the blind index reads it: lowercase letters and digits.
pub fn normalise_word(word: &str) -> String {
    word.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// A whole name as the blind index reads it: its words, normalised, spaced.
pub fn normalise_name(name: &str) -> String {
    name.split(|c: char| c.is_whitespace() || c == '-')
        .map(normalise_word)
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vault(dir: &Path) -> Vault {
        Vault::load_or_create(&dir.join("keys").join("data.key")).unwrap()
    }

    #[test]
    fn seals_and_opens_and_detects_changes() {
        let dir = tempfile::tempdir().unwrap();
        let v = vault(dir.path());
        let sealed = v.seal(b"Safar Zakery");
        assert!(!sealed.contains("Zakery"));
        assert_ne!(sealed, v.seal(b"Safar Zakery"), "a fresh nonce every time");
        assert_eq!(v.open(&sealed).unwrap(), b"Safar Zakery");
        // Flip one character of the ciphertext.
        let mut bytes = sealed.clone().into_bytes();
        let last = bytes.len() - 3;
        bytes[last] = if bytes[last] == b'A' { b'B' } else { b'A' };
        let altered = String::from_utf8(bytes).unwrap();
        assert_eq!(v.open(&altered), Err(VaultError::Altered(v.current_id().to_string())));
        assert_eq!(v.open("plain text"), Err(VaultError::Malformed));
        // The same file reads back the same key.
        let again = vault(dir.path());
        assert_eq!(again.open(&sealed).unwrap(), b"Safar Zakery");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(dir.path().join("keys/data.key")).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn rotation_keeps_old_values_readable_until_it_finishes() {
        let dir = tempfile::tempdir().unwrap();
        let v = vault(dir.path());
        let old = v.seal(b"witness");
        let old_id = v.current_id().to_string();
        let mid = v.begin_rotation().unwrap();
        assert_ne!(mid.current_id(), old_id);
        assert_eq!(vault(dir.path()).open(&old).unwrap(), b"witness", "the ring on disk still opens old values");
        let new = mid.seal(b"witness");
        let done = mid.finish_rotation().unwrap();
        assert_eq!(done.open(&new).unwrap(), b"witness");
        assert_eq!(done.open(&old), Err(VaultError::UnknownKey(old_id)));
        assert_eq!(vault(dir.path()).key_ids(), vec![done.current_id().to_string()]);
    }

    #[test]
    fn blind_tokens_and_pseudonyms_are_stable_and_keyed() {
        let dir = tempfile::tempdir().unwrap();
        let v = vault(dir.path());
        assert_eq!(v.blind("Zakery"), v.blind("zakery,"));
        assert_ne!(v.blind("Zakery"), v.blind("Zakeri"));
        assert_eq!(v.pseudonym("Safar  Zakery"), v.pseudonym("safar zakery"));
        assert!(v.pseudonym("Safar Zakery").starts_with("Person "));
        let other = tempfile::tempdir().unwrap();
        assert_ne!(vault(other.path()).blind("Zakery"), v.blind("Zakery"), "another key, another token");
        assert!(!format!("{v:?}").contains(&hex::encode(v.keys[0].key)));
        let file_sealed = v.seal_file(b"original bytes");
        assert!(file_sealed.starts_with(SEALED_FILE_MAGIC));
        assert_eq!(v.open_file(file_sealed).unwrap(), b"original bytes");
        assert_eq!(v.open_file(b"plain".to_vec()).unwrap(), b"plain");
    }
}
