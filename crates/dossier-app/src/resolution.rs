//! Re-resolves incidents from every stored claim and records the new
//! projection, with its log entry, when it changed.

use std::collections::HashMap;

use dossier_model::{Claim, Incident, SourceId};
use dossier_resolve::{resolve, Report};
use serde_json::json;

use crate::{App, AppError};
use dossier_model::Sha256Hex;

/// Digest of an incident projection.
pub(crate) fn incidents_digest(incidents: &[Incident]) -> Sha256Hex {
    Sha256Hex::of(serde_json::to_string(incidents).expect("incidents serialise").as_bytes())
}

impl App {
    /// Computes incidents from everything stored (pure), without writing.
    pub async fn compute_incidents(&self) -> Result<Vec<Incident>, AppError> {
        let sources = self.store.sources().await?;
        let claims = self.effective_claims().await?;
        let decisions = self.store.grouping_decisions().await?;
        let mut by_source: HashMap<&SourceId, Vec<Claim>> = HashMap::new();
        for c in &claims {
            by_source.entry(&c.source).or_default().push(c.clone());
        }
        let empty = Vec::new();
        let reports: Vec<Report<'_>> =
            sources.iter().map(|s| Report { source: s, claims: by_source.get(&s.id).unwrap_or(&empty) }).collect();
        Ok(resolve(&reports, &decisions))
    }

    /// Re-resolves incidents; returns how many there are, and whether they changed.
    pub async fn resolve(&self) -> Result<(usize, bool), AppError> {
        let fresh = self.compute_incidents().await?;
        let stored = self.store.incidents().await?;
        if fresh == stored {
            return Ok((fresh.len(), false));
        }
        let mut tx = self.store.begin().await?;
        let payload = json!({ "count": fresh.len(), "incidents_sha256": incidents_digest(&fresh).as_str() });
        tx.append(&self.clock.now(), &self.config.actor, "incidents.resolved", "incidents", &payload.to_string())
            .await?;
        tx.replace_incidents(&fresh).await?;
        tx.commit().await?;
        Ok((fresh.len(), true))
    }
}
