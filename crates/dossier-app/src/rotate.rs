//! `dossier keys rotate`: a new data key; every sealed name, body and
//! original re-sealed under it; then the old key dropped.
//!
//! Order makes it safe to stop at any point: the key file first holds the
//! new key *and* the old ones, so whatever is half re-sealed still opens;
//! the database is re-sealed in one transaction with its log entry; the
//! archived originals are replaced one by one (write, sync, rename); only
//! then is the old key removed. Running it again after a crash finishes the
//! rotation it finds begun (the key file holds more than one key).

use dossier_model::LogAction;
use dossier_store::PersonRow;
use serde_json::json;

use crate::protect::name_words;
use crate::vault::{Vault, SEALED_FILE_MAGIC};
use crate::{App, AppError};

/// What a rotation did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rotation {
    /// The id of the key replaced (the oldest, if a rotation was resumed).
    pub old_key: String,
    /// The id of the key everything is sealed with now.
    pub new_key: String,
    /// Names re-sealed.
    pub persons: usize,
    /// Source texts re-sealed.
    pub bodies: usize,
    /// Archived originals re-sealed.
    pub originals: usize,
}

impl App {
    /// Rotates the data key (see the module documentation).
    pub async fn rotate_data_key(&self) -> Result<Rotation, AppError> {
        self.reload_vault()?;
        let held = self.vault();
        let ring: Vault = if held.key_ids().len() > 1 { held.clone() } else { held.begin_rotation()? };
        self.set_vault(ring.clone());
        let old_key = held.key_ids().last().cloned().unwrap_or_default();
        let new_key = ring.current_id().to_string();
        let opened = |sealed: &str| ring.open(sealed).map_err(|e| AppError::Invalid(format!("cannot re-seal: {e}")));

        // The database, in one transaction with its log entry.
        let persons = self.store.persons().await?;
        let bodies = self.store.sealed_bodies().await?;
        let metas = self.store.sealed_metas().await?;
        let mut tx = self.store.begin().await?;
        for p in &persons {
            let name = ring
                .open_text(&p.name_sealed)
                .map_err(|e| AppError::Invalid(format!("cannot re-seal person {}: {e}", p.pseudonym)))?;
            let row = PersonRow {
                pseudonym: p.pseudonym.clone(),
                name_token: ring.blind_name(&name),
                name_sealed: ring.seal(name.as_bytes()),
            };
            let words: Vec<String> = name_words(&name).iter().map(|w| ring.blind(w)).collect();
            tx.reseal_person(&row, &words).await?;
        }
        for (id, sealed) in &bodies {
            tx.set_sealed_body(id, &ring.seal(&opened(sealed)?)).await?;
        }
        for (id, sealed) in &metas {
            tx.set_sealed_meta(id, &ring.seal(&opened(sealed)?)).await?;
        }
        let now = self.clock.now();
        let payload =
            json!({ "from": held.key_ids(), "to": &new_key, "persons": persons.len(), "bodies": bodies.len() });
        tx.append(&now, &self.config.actor, LogAction::KeysRotated, &new_key, &payload.to_string()).await?;
        self.commit(tx).await?;

        // The archived originals, one by one.
        let mut originals = 0;
        for s in self.store.sources().await? {
            let stored = self.archive.read(&s.sha256)?;
            let Some(rest) = stored.strip_prefix(SEALED_FILE_MAGIC) else { continue };
            let sealed = String::from_utf8_lossy(rest);
            if Vault::sealed_with(&sealed) == Some(new_key.as_str()) {
                continue;
            }
            let bytes = opened(&sealed)?;
            self.archive.replace(&s.sha256, &ring.seal_file(&bytes))?;
            originals += 1;
        }
        self.set_vault(ring.finish_rotation()?);
        Ok(Rotation { old_key, new_key, persons: persons.len(), bodies: bodies.len(), originals })
    }
}
