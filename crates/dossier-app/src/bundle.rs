//! Writing verifiable bundles (`dossier-bundle/1`, described and checked by
//! `dossier_verify::bundle`).

use base64::Engine as _;
use dossier_ledger::Hash;
use dossier_verify::bundle::{Bundle, BundledSource, ProvedEntry, SignedHead, BUNDLE_FORMAT};

use crate::{App, AppError};

impl App {
    /// Writes everything into one verifiable bundle (see the module docs).
    pub async fn export_bundle(&self) -> Result<Vec<u8>, AppError> {
        let head = self.store.tree_head().await?;
        let (Some(signed_at), Some(signature)) = (head.signed_at.clone(), head.signature.clone()) else {
            return Err(AppError::Invalid("the tree head is not signed yet: ingest something first".into()));
        };
        let logged = self.store.log_entries().await?;
        let size = head.size as usize;
        if logged.len() < size {
            return Err(AppError::Invalid("the log is shorter than its tree head: run `dossier verify`".into()));
        }
        let leaves: Vec<Hash> = logged[..size].iter().map(|l| l.entry.leaf_hash()).collect();
        let entries = logged[..size].iter().enumerate().map(|(i, l)| ProvedEntry::new(&l.entry, &leaves, i)).collect();
        let records = self.records().await?;
        let mut sources = Vec::with_capacity(records.sources.len());
        for s in records.sources {
            let bytes = self
                .vault()
                .open_file(self.archive.read(&s.sha256)?)
                .map_err(|e| AppError::Invalid(format!("archived original of {}: {e}", s.id)))?;
            sources
                .push(BundledSource { original: base64::engine::general_purpose::STANDARD.encode(bytes), record: s });
        }
        let bundle = Bundle {
            format: BUNDLE_FORMAT.into(),
            public_key: self.public_key(),
            tree_head: SignedHead { size: head.size, root: head.root, signed_at, signature },
            entries,
            sources,
            claims: records.claims,
            reviews: records.reviews,
            grouping_decisions: records.decisions,
            claim_moves: records.moves,
            incidents: records.incidents,
        };
        Ok(bundle.canonical_bytes())
    }
}
