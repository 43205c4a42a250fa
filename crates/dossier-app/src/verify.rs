//! Verify: re-hash every archived file, recompute the audit log's Merkle tree,
//! and check every stored record against the log entry that recorded it.

use std::collections::HashMap;

use dossier_ledger::{hash_hex, root_of, Hash};
use dossier_model::{Claim, GroupingDecision};
use dossier_store::ArchiveCheck;
use serde_json::Value;

use crate::digest::{claims_digest, decisions_digest, move_digest, review_digest, source_digest};
use crate::resolution::incidents_digest;
use crate::review::MOVE_ACTION;
use crate::{App, AppError};

/// One thing found wrong, naming what is damaged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// What is damaged: `source src-…`, `log entry 7`, `tree head`...
    pub subject: String,
    /// What is wrong with it.
    pub message: String,
}

/// What `verify` checked and found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VerifyReport {
    /// Sources checked.
    pub sources: usize,
    /// Archived files re-hashed.
    pub archive_files: usize,
    /// Claims checked.
    pub claims: usize,
    /// Log entries checked.
    pub log_entries: usize,
    /// Incidents checked.
    pub incidents: usize,
    /// The recomputed tree head.
    pub root: String,
    /// The public key (hex) the tree head's signature was checked with.
    pub signed_by: String,
    /// Everything wrong; empty when the store verifies.
    pub problems: Vec<Problem>,
}

impl VerifyReport {
    /// Whether nothing is wrong.
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }

    fn problem(&mut self, subject: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem { subject: subject.into(), message: message.into() });
    }
}

fn field<'v>(payload: &'v Value, key: &str) -> Option<&'v str> {
    payload.get(key).and_then(Value::as_str)
}

impl App {
    /// Checks the archive, the log and every record; reads only.
    pub async fn verify(&self) -> Result<VerifyReport, AppError> {
        let mut report = VerifyReport::default();
        let entries = self.store.log_entries().await?;
        let head = self.store.tree_head().await?;
        report.log_entries = entries.len();

        // 1. The log: each entry's content against its leaf hash, then the tree head.
        let mut leaves: Vec<Hash> = Vec::with_capacity(entries.len());
        let mut payloads: HashMap<(String, String), (u64, Value)> = HashMap::new();
        let mut by_seq: HashMap<u64, (&str, &str, Value)> = HashMap::new();
        for (position, logged) in entries.iter().enumerate() {
            let e = &logged.entry;
            if e.seq != position as u64 {
                report.problem(
                    format!("log entry {}", e.seq),
                    format!("found at position {position}: entries are missing or reordered"),
                );
            }
            let leaf = e.leaf_hash();
            if hash_hex(&leaf) != logged.leaf_hash {
                report.problem(
                    format!("log entry {}", e.seq),
                    format!("content of this {} entry does not match its recorded hash", e.action),
                );
            }
            leaves.push(leaf);
            match serde_json::from_str::<Value>(&e.payload) {
                Ok(v) => {
                    by_seq.insert(e.seq, (e.action.as_str(), e.subject.as_str(), v.clone()));
                    payloads.insert((e.action.clone(), e.subject.clone()), (e.seq, v));
                }
                Err(_) => report.problem(format!("log entry {}", e.seq), "payload is not valid JSON"),
            }
        }
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

        // 2. Sources: archived bytes and stored records against their log entries.
        let sources = self.store.sources().await?;
        report.sources = sources.len();
        let claims = self.store.claims().await?;
        let mut claims_by_source: HashMap<&str, Vec<&Claim>> = HashMap::new();
        for c in &claims {
            claims_by_source.entry(c.source.as_str()).or_default().push(c);
        }
        for s in &sources {
            let name = format!("source {} ({})", s.id, s.file_name);
            report.archive_files += 1;
            match self.archive.check(&s.sha256)? {
                ArchiveCheck::Intact => {}
                ArchiveCheck::Missing => report
                    .problem(&name, format!("archived file {} is missing", self.archive.path(&s.sha256).display())),
                ArchiveCheck::Altered { .. } => report.problem(
                    &name,
                    format!(
                        "archived file {} was altered: its bytes no longer match its SHA-256",
                        self.archive.path(&s.sha256).display()
                    ),
                ),
            }
            match payloads.get(&("source.ingested".to_string(), s.id.to_string())) {
                None => report.problem(&name, "no log entry records this source"),
                Some((seq, p)) => {
                    if field(p, "sha256") != Some(s.sha256.as_str())
                        || field(p, "record_sha256") != Some(source_digest(s).as_str())
                    {
                        report.problem(&name, format!("stored record differs from what log entry {seq} recorded"));
                    }
                }
            }
            let own: Vec<Claim> = claims_by_source
                .get(s.id.as_str())
                .map(|v| v.iter().map(|c| (*c).clone()).collect())
                .unwrap_or_default();
            match payloads.get(&("claims.extracted".to_string(), s.id.to_string())) {
                None => report.problem(&name, "no log entry records its claims"),
                Some((seq, p)) => {
                    if field(p, "claims_sha256") != Some(claims_digest(&own).as_str()) {
                        report
                            .problem(format!("claims of {name}"), format!("differ from what log entry {seq} recorded"));
                    }
                }
            }
            for c in &own {
                report.claims += 1;
                if c.span.slice(&s.body) != Some(c.text.as_str()) {
                    report.problem(format!("claim {}", c.id), "its text is not the passage at its span");
                }
            }
        }

        // 3. Every source the log recorded is still stored.
        let stored: std::collections::HashSet<&str> = sources.iter().map(|s| s.id.as_str()).collect();
        for ((action, subject), (seq, _)) in &payloads {
            if action == "source.ingested" && !stored.contains(subject.as_str()) {
                report.problem(
                    format!("source {subject}"),
                    format!("recorded by log entry {seq} but missing from the store"),
                );
            }
        }

        // 4. Every review and grouping decision against the entry that recorded it, and back.
        let reviews = self.store.reviews().await?;
        for r in &reviews {
            let name = format!("review of claim {} (log entry {})", r.claim, r.seq);
            let expected_action = format!("claim.{}", r.action.as_str());
            match by_seq.get(&r.seq) {
                Some((action, subject, p))
                    if *action == expected_action
                        && *subject == r.claim.as_str()
                        && field(p, "record_sha256") == Some(review_digest(r).as_str()) => {}
                Some(_) => report.problem(name, "differs from what its log entry recorded"),
                None => report.problem(name, "no log entry records it"),
            }
        }
        let decisions = self.store.grouping_decisions().await?;
        let mut decisions_by_seq: HashMap<u64, Vec<GroupingDecision>> = HashMap::new();
        for d in decisions {
            decisions_by_seq.entry(d.seq).or_default().push(d);
        }
        for (seq, ds) in &decisions_by_seq {
            let name = format!("grouping decision (log entry {seq})");
            let expected_action = format!("incidents.{}", ds[0].action.as_str());
            match by_seq.get(seq) {
                Some((action, _, p))
                    if *action == expected_action
                        && field(p, "records_sha256") == Some(decisions_digest(ds).as_str()) => {}
                Some(_) => report.problem(name, "differs from what its log entry recorded"),
                None => report.problem(name, "no log entry records it"),
            }
        }
        let moves = self.store.claim_moves().await?;
        for m in &moves {
            let name = format!("move of claim {} (log entry {})", m.claim, m.seq);
            match by_seq.get(&m.seq) {
                Some((action, subject, p))
                    if *action == MOVE_ACTION
                        && *subject == m.claim.as_str()
                        && field(p, "record_sha256") == Some(move_digest(m).as_str()) => {}
                Some(_) => report.problem(name, "differs from what its log entry recorded"),
                None => report.problem(name, "no log entry records it"),
            }
        }
        let moved: std::collections::HashSet<u64> = moves.iter().map(|m| m.seq).collect();
        let reviewed: std::collections::HashSet<u64> = reviews.iter().map(|r| r.seq).collect();
        for (seq, (action, _, _)) in &by_seq {
            let missing = *action == MOVE_ACTION && !moved.contains(seq)
                || action.starts_with("claim.") && *action != MOVE_ACTION && !reviewed.contains(seq)
                || action.starts_with("incidents.")
                    && *action != "incidents.resolved"
                    && !decisions_by_seq.contains_key(seq);
            if missing {
                report
                    .problem(format!("log entry {seq}"), format!("records a {action} that is missing from the store"));
            }
        }

        // 5. The incident projection is what the claims resolve to.
        let stored_incidents = self.store.incidents().await?;
        report.incidents = stored_incidents.len();
        let fresh = self.compute_incidents().await?;
        if incidents_digest(&fresh) != incidents_digest(&stored_incidents) {
            report.problem("incidents", "stored incidents differ from a fresh resolution of the stored claims");
        }
        report.problems.sort_by(|a, b| a.subject.cmp(&b.subject));
        Ok(report)
    }
}
