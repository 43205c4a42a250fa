//! Ingest: archive the original bytes, extract claims, and store both with
//! their log entries in one transaction.

use dossier_extract::{extract, read_document, Context, IntakeError};
use dossier_model::{Claim, ClaimStatus, Sha256Hex, Source, SourceId, SourceMetaOverride};
use serde_json::json;

use crate::digest::{claims_digest, source_digest};
use crate::App;
use dossier_store::StoreError;

/// One file (or stdin) to ingest.
#[derive(Debug, Clone)]
pub struct IngestInput {
    /// The original bytes.
    pub bytes: Vec<u8>,
    /// The file name (`-` for stdin); used for the format and shown in exports.
    pub file_name: String,
    /// Metadata given explicitly, overriding the file's own.
    pub overrides: SourceMetaOverride,
}

/// What became of one input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IngestOutcome {
    /// Stored as a new source.
    New {
        /// Its id.
        source: SourceId,
        /// How many claims were extracted.
        claims: usize,
        /// What extraction could not determine.
        diagnostics: Vec<String>,
    },
    /// The same bytes were ingested before.
    Duplicate {
        /// The existing source.
        source: SourceId,
        /// The file name it was first ingested from.
        first_file_name: String,
    },
}

/// Why an input was not ingested. Nothing stored before is affected.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The bytes are not a readable report.
    #[error(transparent)]
    Intake(#[from] IntakeError),
    /// Storing failed; the transaction was rolled back.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl App {
    /// Ingests one input: a new source with its claims, or a duplicate.
    pub async fn ingest(&self, input: IngestInput) -> Result<IngestOutcome, IngestError> {
        let actor = self.config.actor.clone();
        self.ingest_by(input, &actor).await
    }

    /// [`App::ingest`], with the log entries naming `actor` (a signed-in user).
    pub async fn ingest_by(&self, input: IngestInput, actor: &str) -> Result<IngestOutcome, IngestError> {
        let sha = Sha256Hex::of(&input.bytes);
        if let Some(existing) = self.store.source_by_sha(&sha).await? {
            return Ok(IngestOutcome::Duplicate { source: existing.id, first_file_name: existing.file_name });
        }
        let doc = read_document(&input.bytes, &input.file_name, self.config.max_bytes)?;
        let mut meta = doc.meta;
        meta.overlay(&input.overrides);
        let extraction = extract(&doc.body, &Context { published: meta.published }, self.gazetteer.get());
        let id = SourceId::for_digest(&sha);
        let source = Source {
            id: id.clone(),
            sha256: sha.clone(),
            file_name: input.file_name.clone(),
            media_type: doc.media_type,
            byte_len: input.bytes.len() as u64,
            meta,
            body: doc.body,
            ingested_at: self.clock.now(),
        };
        let claims: Vec<Claim> = extraction
            .claims
            .into_iter()
            .map(|c| Claim {
                id: Claim::id_for(&id, c.kind, c.span),
                kind: c.kind,
                source: id.clone(),
                span: c.span,
                text: source.body[c.span.start..c.span.end].to_string(),
                sentence: c.sentence,
                according_to: c.according_to,
                status: ClaimStatus::Extracted,
                value: c.value,
                review: None,
                moved: None,
                frame: c.frame,
            })
            .collect();
        self.archive.put(&sha, &input.bytes)?;
        let now = &source.ingested_at;
        let mut tx = self.store.begin().await?;
        let ingested = json!({
            "sha256": sha.as_str(),
            "byte_len": source.byte_len,
            "media_type": source.media_type.as_str(),
            "file_name": &source.file_name,
            "body_sha256": source.body_sha256().as_str(),
            "record_sha256": source_digest(&source).as_str(),
        });
        let e1 = tx.append(now, actor, "source.ingested", id.as_str(), &ingested.to_string()).await?;
        tx.insert_source(&source, e1.seq).await?;
        let extracted = json!({ "count": claims.len(), "claims_sha256": claims_digest(&claims).as_str() });
        let e2 = tx.append(now, actor, "claims.extracted", id.as_str(), &extracted.to_string()).await?;
        tx.insert_claims(&claims, e2.seq).await?;
        tx.mark_pending(&id).await?;
        self.commit(tx).await?;
        Ok(IngestOutcome::New { source: id, claims: claims.len(), diagnostics: extraction.diagnostics })
    }
}
