//! Verify: re-hash every archived file, recompute the audit log's Merkle tree,
//! and check every stored record against the log entry that recorded it (the
//! checks themselves are `dossier-verify`'s, shared with bundles).

use dossier_ledger::{hash_hex, root_of, Hash};
use dossier_model::LogAction;
use dossier_store::ArchiveCheck;
use dossier_verify::records::{check_records, field, recorded, LogIndex, Records};
use dossier_verify::VerifyReport;

use crate::{App, AppError};

impl App {
    /// Every record besides the log, as stored.
    pub(crate) async fn records(&self) -> Result<Records, AppError> {
        Ok(Records {
            sources: self.store.sources().await?,
            claims: self.store.claims().await?,
            reviews: self.store.reviews().await?,
            decisions: self.store.grouping_decisions().await?,
            moves: self.store.claim_moves().await?,
            incidents: self.store.incidents().await?,
            replaced: Some(self.store.replaced_claims().await?),
        })
    }

    /// Checks the archive, the log and every record; reads only.
    pub async fn verify(&self) -> Result<VerifyReport, AppError> {
        let mut report = VerifyReport::default();
        let entries = self.store.log_entries().await?;
        let head = self.store.tree_head().await?;
        report.log_entries = entries.len();

        // 1. The log: each entry's content against its leaf hash, then the tree head.
        let mut leaves: Vec<Hash> = Vec::with_capacity(entries.len());
        for logged in &entries {
            let e = &logged.entry;
            let leaf = e.leaf_hash();
            if hash_hex(&leaf) != logged.leaf_hash {
                report.problem(
                    format!("log entry {}", e.seq),
                    format!("content of this {} entry does not match its recorded hash", e.action),
                );
            }
            leaves.push(leaf);
        }
        let log = LogIndex::new(&entries.iter().map(|l| &l.entry).collect::<Vec<_>>(), &mut report);
        let root = hash_hex(&root_of(&leaves));
        if head.size != entries.len() as u64 || head.root != root {
            report.problem(
                "tree head",
                format!(
                    "records {} entries with root {}, but the log has {} entries with root {}",
                    head.size,
                    head.root,
                    entries.len(),
                    root
                ),
            );
        }
        report.root = root.clone();
        report.signed_by = self.public_key();
        match (&head.signature, &head.signed_at) {
            (Some(sig), Some(at)) => {
                let body = dossier_ledger::TreeHeadBody {
                    size: head.size,
                    root: dossier_ledger::parse_hash(&head.root).unwrap_or([0; 32]),
                    signed_at: at.clone(),
                };
                let public = dossier_ledger::public_key(&self.signing_key);
                if let Err(e) = body.verify(&public, sig) {
                    report.problem("tree head signature", e.to_string());
                }
            }
            _ if head.size > 0 => report.problem("tree head signature", "the tree head is not signed"),
            _ => {}
        }

        // 2–5. Sources against the archive, every record against its entry, incidents.
        let records = self.records().await?;
        let mut archive_problem = None;
        let vault = self.vault();
        check_records(&mut report, &log, &records, |s| {
            match self.archive.check_with(&s.sha256, |b| vault.open_file(b).ok()) {
                Ok(ArchiveCheck::Intact) => None,
                Ok(ArchiveCheck::Missing) => {
                    Some(format!("archived file {} is missing", self.archive.path(&s.sha256).display()))
                }
                Ok(ArchiveCheck::Altered { .. }) => Some(format!(
                    "archived file {} was altered: its bytes no longer match its SHA-256",
                    self.archive.path(&s.sha256).display()
                )),
                Err(e) => {
                    archive_problem.get_or_insert(e);
                    None
                }
            }
        });
        if let Some(e) = archive_problem {
            return Err(e.into());
        }
        self.check_protected(&mut report, &log, &records).await?;
        Ok(report)
    }

    /// Protected persons: each sealed body opens to the text the log
    /// recorded, masks to the stored body at the stored mentions, and the
    /// mentions and persons are those the log recorded.
    async fn check_protected(&self, report: &mut VerifyReport, log: &LogIndex, r: &Records) -> Result<(), AppError> {
        let mentions = self.store.all_mentions().await?;
        let persons = self.store.persons().await?;
        let vault = self.vault();
        for s in &r.sources {
            let name = format!("source {} ({})", s.id, s.file_name);
            let own: Vec<dossier_store::Mention> =
                mentions.iter().filter(|(id, _)| id == &s.id).map(|(_, m)| m.clone()).collect();
            let sealed = self.store.sealed_body(&s.id).await?;
            let Some((seq, p)) = log.latest(LogAction::SourceIngested, s.id.as_str()) else { continue };
            let recorded_mentions = field(p, "mentions_sha256");
            if recorded_mentions.is_none() && sealed.is_none() && own.is_empty() {
                continue;
            }
            if recorded_mentions.is_none()
                || !recorded(p, "mentions_sha256", |e| dossier_verify::encoding::mentions_digest(&own, e))
            {
                report
                    .problem(&name, format!("mentions of protected persons differ from what log entry {seq} recorded"));
            }
            let Some(sealed) = sealed else {
                report.problem(&name, "names protected persons but has no sealed body");
                continue;
            };
            match vault.open(&sealed) {
                Err(e) => report.problem(&name, format!("sealed body: {e}")),
                Ok(written) => {
                    if field(p, "sealed_body_sha256") != Some(dossier_model::Sha256Hex::of(&written).as_str()) {
                        report.problem(&name, format!("sealed body differs from what log entry {seq} recorded"));
                    }
                    let spans: Vec<dossier_model::Span> = own.iter().map(|m| m.span).collect();
                    let written = String::from_utf8_lossy(&written);
                    let masked = if s.meta.confidential {
                        crate::protect::mask_all(&written)
                    } else {
                        crate::protect::mask(&written, &spans)
                    };
                    if masked != s.body {
                        report.problem(&name, "stored body is not the sealed body with its protected names masked");
                    }
                }
            }
        }
        for s in r.sources.iter().filter(|s| s.meta.confidential) {
            let name = format!("source {} (confidential)", s.id);
            match self.store.sealed_meta(&s.id).await? {
                None => report.problem(&name, "is confidential but has no sealed metadata"),
                Some(m) => {
                    if let Err(e) = self.open_meta(&s.id, &m) {
                        report.problem(&name, e.to_string());
                    }
                }
            }
        }
        for p in &persons {
            let what = format!("person {}", p.pseudonym);
            if log.latest(LogAction::PersonRecorded, &p.pseudonym).is_none() {
                report.problem(&what, "no log entry records this person");
            }
            if let Err(e) = vault.open(&p.name_sealed) {
                report.problem(&what, format!("sealed name: {e}"));
            }
        }
        Ok(())
    }
}
