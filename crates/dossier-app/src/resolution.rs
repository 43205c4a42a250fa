//! Re-resolves incidents from every stored claim and records the new
//! projection, with its log entry, when it changed.

use dossier_model::LogAction;
use dossier_model::{Claim, Incident, Source, SourceId};
use dossier_resolve::Report;
use dossier_verify::encoding::{incidents_digest, Encoding, RECORD_ENCODING};
use dossier_verify::records::{projection_versions, resolve_records};
use serde_json::json;

use crate::{App, AppError};

impl App {
    /// Computes incidents from everything stored (pure), without writing.
    pub async fn compute_incidents(&self) -> Result<Vec<Incident>, AppError> {
        let sources = self.store.sources().await?;
        let claims = self.store.claims().await?;
        let reviews = self.store.reviews().await?;
        let moves = self.store.claim_moves().await?;
        let decisions = self.store.grouping_decisions().await?;
        Ok(resolve_records(&sources, &claims, &reviews, &moves, &decisions))
    }

    /// Places newly ingested sources into incidents, touching only the
    /// incidents they join; the result is the same as resolving everything
    /// again (which it falls back to when it cannot be sure of that).
    /// Returns the number of incidents written.
    pub async fn resolve_new(&self, new: &[SourceId]) -> Result<usize, AppError> {
        let mut written = 0;
        for id in new {
            match self.place_one(id).await? {
                Some(n) => written += n,
                None => {
                    let (_, changed) = self.resolve().await?;
                    return Ok(written + usize::from(changed));
                }
            }
        }
        Ok(written)
    }

    /// One new source: `Some(incidents written)`, or `None` when only a full
    /// resolution can be trusted (an out-of-order clock, anchors missing).
    async fn place_one(&self, id: &SourceId) -> Result<Option<usize>, AppError> {
        let Some(source) = self.store.source(id).await? else { return Ok(Some(0)) };
        let latest_other = self.store.latest_ingest_except(id).await?;
        if latest_other.is_some_and(|l| l >= source.ingested_at) || self.store.unanchored_incidents().await? > 0 {
            return Ok(None);
        }
        let claims = self.claims_of(id).await?;
        let report = Report { source: &source, claims: &claims };
        let mut written = 0;
        for frame in dossier_resolve::incident_frames(report) {
            match self.place_frame(&source, &claims, frame).await? {
                Some(n) => written += n,
                None => return Ok(None),
            }
        }
        // Placed (its incidents are written, each in its own transaction): no longer pending.
        let mut tx = self.store.begin().await?;
        tx.clear_pending(Some(std::slice::from_ref(id))).await?;
        self.commit(tx).await?;
        Ok(Some(written))
    }

    /// One event of a new report: the incident it joins (or founds), written.
    async fn place_frame(&self, source: &Source, claims: &[Claim], frame: u32) -> Result<Option<usize>, AppError> {
        let report = Report { source, claims };
        let Some((date, place)) = dossier_resolve::event_date_place(report, frame) else { return Ok(Some(0)) };
        let mut members: Vec<(Source, Vec<Claim>)> = vec![(source.clone(), claims.to_vec())];
        let mut keep: Vec<(SourceId, u32)> = vec![(source.id.clone(), frame)];
        let keys: Vec<String> = place.as_ref().map(|p| dossier_resolve::linkage::keys(p).collect()).unwrap_or_default();
        let widen = chrono::Duration::days(dossier_resolve::linkage::WINDOW_DAYS);
        let window = date.map(|d| ((d.start - widen).to_string(), (d.end + widen).to_string()));
        let day = chrono::Duration::days(1);
        let day_window = date
            .filter(|d| (d.end - d.start).num_days() <= 7)
            .map(|d| ((d.start - day).to_string(), (d.end + day).to_string()));
        if !keys.is_empty() || day_window.is_some() {
            let near = self
                .store
                .incidents_near(
                    &keys,
                    window.as_ref().map(|(a, b)| (a.as_str(), b.as_str())),
                    day_window.as_ref().map(|(a, b)| (a.as_str(), b.as_str())),
                )
                .await?;
            if near.iter().any(|i| i.anchor.is_none()) {
                return Ok(None);
            }
            let near_refs: Vec<&dossier_model::Incident> = near.iter().collect();
            if let Some(k) = dossier_resolve::best_match(report, frame, &near_refs) {
                let joined = near_refs[k];
                for s in &joined.sources {
                    let Some(src) = self.store.source(s).await? else { return Ok(None) };
                    let cl = self.claims_of(s).await?;
                    if cl.iter().any(|c| c.moved.is_some()) {
                        // A reviewer moved claims here or away: only a full resolution is sure.
                        return Ok(None);
                    }
                    let frames: std::collections::BTreeSet<u32> =
                        cl.iter().filter(|c| joined.claims.contains(&c.id)).map(|c| c.frame).collect();
                    keep.extend(frames.into_iter().map(|f| (s.clone(), f)));
                    members.push((src, cl));
                }
            }
        }
        self.write_incident(&members, &keep).await.map(Some)
    }

    /// Resolves the `keep` events of `members` (one incident's) and writes the incident.
    async fn write_incident(
        &self,
        members: &[(Source, Vec<Claim>)],
        keep: &[(SourceId, u32)],
    ) -> Result<usize, AppError> {
        let reports: Vec<Report<'_>> = members.iter().map(|(s, c)| Report { source: s, claims: c }).collect();
        let decisions = self.store.grouping_decisions().await?;
        let incidents =
            dossier_resolve::resolve_only(&reports, &decisions, |s, f| keep.iter().any(|(k, g)| k == s && *g == f));
        let [incident] = incidents.as_slice() else {
            // The events no longer form one incident: only a full resolution is sure.
            let (_, changed) = self.resolve().await?;
            return Ok(usize::from(changed));
        };
        if self.store.incident(&incident.id).await?.as_ref() == Some(incident) {
            return Ok(0);
        }
        let mut tx = self.store.begin().await?;
        let payload = json!({
            "incident": incident.id.as_str(),
            "sources": incident.sources.len(),
            "incident_sha256": incidents_digest(std::slice::from_ref(incident), Encoding::V1).as_str(),
            "encoding": RECORD_ENCODING,
            "resolver": dossier_resolve::VERSION,
        });
        tx.append(
            &self.clock.now(),
            &self.config.actor,
            LogAction::IncidentUpdated,
            incident.id.as_str(),
            &payload.to_string(),
        )
        .await?;
        tx.upsert_incident(incident).await?;
        self.commit(tx).await?;
        Ok(1)
    }

    /// Re-resolves incidents; returns how many there are, and whether they changed.
    pub async fn resolve(&self) -> Result<(usize, bool), AppError> {
        let fresh = self.compute_incidents().await?;
        let stored = self.store.incidents().await?;
        if fresh == stored {
            if !self.store.pending_placement().await?.is_empty() {
                let mut tx = self.store.begin().await?;
                tx.clear_pending(None).await?;
                self.commit(tx).await?;
            }
            return Ok((fresh.len(), false));
        }
        self.write_resolution(&fresh).await?;
        Ok((fresh.len(), true))
    }

    /// `dossier resolve`: groups every report again under the running
    /// resolver and records that it did, also when the incidents come out
    /// the same but were made by another resolver version (so `verify` can
    /// check them against today's rules from then on).
    pub async fn resolve_current(&self) -> Result<Resolution, AppError> {
        let entries = self.store.log_entries().await?;
        let previous = projection_versions(&entries.iter().map(|l| &l.entry).collect::<Vec<_>>());
        let fresh = self.compute_incidents().await?;
        let stored = self.store.incidents().await?;
        let changed = fresh != stored;
        let outdated = previous.iter().any(|v| v != dossier_resolve::VERSION);
        if changed || outdated {
            self.write_resolution(&fresh).await?;
        }
        Ok(Resolution { incidents: fresh.len(), changed, logged: changed || outdated, previous })
    }

    async fn write_resolution(&self, fresh: &[Incident]) -> Result<(), AppError> {
        let mut tx = self.store.begin().await?;
        let payload = json!({
            "count": fresh.len(),
            "incidents_sha256": incidents_digest(fresh, Encoding::V1).as_str(),
            "encoding": RECORD_ENCODING,
            "resolver": dossier_resolve::VERSION,
        });
        tx.append(
            &self.clock.now(),
            &self.config.actor,
            LogAction::IncidentsResolved,
            "incidents",
            &payload.to_string(),
        )
        .await?;
        tx.replace_incidents(fresh).await?;
        tx.clear_pending(None).await?;
        Ok(self.commit(tx).await?)
    }
}

/// What `dossier resolve` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolution {
    /// Incidents after it.
    pub incidents: usize,
    /// Whether they differ from those stored before.
    pub changed: bool,
    /// Whether it wrote a log entry (changed, or made by another version).
    pub logged: bool,
    /// The resolver versions that had made the stored incidents.
    pub previous: std::collections::BTreeSet<String>,
}
