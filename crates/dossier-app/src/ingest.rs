//! Ingest: archive the original bytes, extract claims, and store both with
//! their log entries in one transaction.

use dossier_extract::{extract, read_document, Context, IntakeError, ProtectedPerson};
use dossier_model::LogAction;
use dossier_model::{
    Claim, ClaimStatus, PersonRole, ProtectedName, Sha256Hex, Source, SourceId, SourceMeta, SourceMetaOverride,
};

use crate::AppError;
use serde_json::json;

use crate::protect::Protection;
use crate::App;
use dossier_store::StoreError;
use dossier_verify::encoding::{claims_digest, mentions_digest, source_digest, Encoding, RECORD_ENCODING};

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
    /// A protected name could not be read with the data key.
    #[error(transparent)]
    Protected(#[from] AppError),
}

/// The claims an extraction of `body` gives its source's `generation`th claim set.
pub(crate) fn claims_of_extraction(
    extracted: Vec<dossier_extract::ExtractedClaim>,
    source: &SourceId,
    body: &str,
    generation: u64,
) -> Vec<Claim> {
    extracted
        .into_iter()
        .map(|c| Claim {
            id: Claim::id_in_set(source, c.kind, c.span, generation),
            kind: c.kind,
            source: source.clone(),
            span: c.span,
            text: body.get(c.span.start..c.span.end).unwrap_or_default().to_string(),
            sentence: c.sentence,
            according_to: c.according_to,
            status: ClaimStatus::Extracted,
            value: c.value,
            review: None,
            moved: None,
            frame: c.frame,
        })
        .collect()
}

impl App {
    /// Persons protected in earlier reports whose full name this body
    /// writes (found through the blind tokens of its capitalised words).
    async fn known_persons_in(&self, body: &str, found: &[ProtectedPerson]) -> Result<Vec<ProtectedPerson>, AppError> {
        let vault = self.vault();
        let mut words: Vec<&str> = body
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().count() >= 3 && w.starts_with(char::is_uppercase))
            .collect();
        words.sort_unstable();
        words.dedup();
        let tokens: Vec<String> = words.iter().map(|w| vault.blind(w)).collect();
        let mut out = Vec::new();
        for (row, role) in self.store.persons_with_any_word(&tokens).await? {
            let name = self.person_name(&row)?;
            let already = found.iter().any(|p| vault.blind_name(p.name.reveal()) == vault.blind_name(&name));
            let mentions = dossier_extract::mentions_of(body, &name);
            let full_name_written = mentions.iter().any(|s| body[s.start..s.end] == name);
            if !already && full_name_written {
                let role = PersonRole::parse(&role).unwrap_or(PersonRole::Victim);
                out.push(ProtectedPerson { name: ProtectedName::new(name), role, mentions });
            }
        }
        Ok(out)
    }

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
        let mut persons = extraction.persons.clone();
        persons.extend(self.known_persons_in(&source.body, &persons).await?);
        let confidential = source.meta.confidential;
        let protection = (!persons.is_empty() || confidential).then(|| (self.vault(), persons));
        let mut known = std::collections::HashMap::new();
        if let Some((vault, persons)) = &protection {
            for p in persons {
                let token = vault.blind_name(p.name.reveal());
                if let Some(pseudonym) = self.store.person_by_token(&token).await? {
                    known.insert(token, pseudonym);
                }
            }
        }
        let protection = protection
            .map(|(vault, persons)| (Protection::new(&vault, &source.body, &persons, &known, confidential), vault));
        let mut claims = claims_of_extraction(extraction.claims, &id, &source.body, 1);
        let mut source = source;
        let written_body = if protection.is_some() { source.body.clone() } else { String::new() };
        let meta_as_written = source.meta.clone();
        let mut sealed_meta: Option<String> = None;
        match &protection {
            None => {
                self.archive.put(&sha, &input.bytes)?;
            }
            Some((p, vault)) => {
                for c in &mut claims {
                    p.protect_claim(c);
                }
                source.body = p.stored_body.clone();
                source.meta.title = source.meta.title.as_deref().map(|t| p.protect_text(t));
                source.meta.note = source.meta.note.as_deref().map(|t| p.protect_text(t));
                if confidential {
                    let written = json!({ "file_name": &input.file_name, "meta": &meta_as_written });
                    sealed_meta = Some(vault.seal(written.to_string().as_bytes()));
                    source.meta = SourceMeta {
                        title: Some("Confidential source".into()),
                        source_type: source.meta.source_type,
                        published: source.meta.published,
                        language: source.meta.language.clone(),
                        confidential: true,
                        ..SourceMeta::default()
                    };
                    source.file_name = "confidential".into();
                }
                let opener = vault.clone();
                self.archive.put_encoded(&sha, &vault.seal_file(&input.bytes), move |b| opener.open_file(b).ok())?;
            }
        }
        let now = &source.ingested_at;
        let mut tx = self.store.begin().await?;
        let mut ingested = json!({
            "sha256": sha.as_str(),
            "byte_len": source.byte_len,
            "media_type": source.media_type.as_str(),
            "file_name": &source.file_name,
            "body_sha256": source.body_sha256().as_str(),
            "record_sha256": source_digest(&source, Encoding::V1).as_str(),
            "encoding": RECORD_ENCODING,
        });
        if let Some((p, _)) = &protection {
            ingested["sealed_body_sha256"] = json!(Sha256Hex::of(written_body.as_bytes()).as_str());
            ingested["mentions_sha256"] = json!(mentions_digest(&p.mentions, Encoding::V1).as_str());
        }
        let e1 = tx.append(now, actor, LogAction::SourceIngested, id.as_str(), &ingested.to_string()).await?;
        tx.insert_source(&source, protection.as_ref().map(|(p, _)| p.sealed_body.as_str()), e1.seq).await?;
        if let Some(m) = &sealed_meta {
            tx.set_sealed_meta(id.as_str(), m).await?;
        }
        if let Some((p, _)) = &protection {
            for (person, words) in &p.new_persons {
                let recorded = json!({ "pseudonym": &person.pseudonym });
                let e =
                    tx.append(now, actor, LogAction::PersonRecorded, &person.pseudonym, &recorded.to_string()).await?;
                tx.insert_person(person, e.seq).await?;
                tx.insert_name_tokens(&person.pseudonym, words).await?;
            }
            tx.insert_mentions(&id, &p.mentions).await?;
        }
        let extracted = json!({
            "count": claims.len(),
            "claims_sha256": claims_digest(&claims, Encoding::V1).as_str(),
            "encoding": RECORD_ENCODING,
            "extractor": dossier_extract::VERSION,
        });
        let e2 = tx.append(now, actor, LogAction::ClaimsExtracted, id.as_str(), &extracted.to_string()).await?;
        tx.insert_claims(&claims, e2.seq).await?;
        tx.insert_claim_set(&id, e2.seq).await?;
        tx.mark_pending(&id).await?;
        self.commit(tx).await?;
        Ok(IngestOutcome::New { source: id, claims: claims.len(), diagnostics: extraction.diagnostics })
    }
}
