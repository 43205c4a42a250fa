//! Verify: re-hash every archived file, recompute the audit log's Merkle tree,
//! and check every stored record against the log entry that recorded it.

use std::collections::HashMap;

use dossier_ledger::{hash_hex, root_of, Entry, Hash};
use dossier_model::{Claim, ClaimMove, GroupingDecision, Incident, Review, Source};
use dossier_store::ArchiveCheck;
use serde_json::Value;

use crate::digest::{
    claims_digest, decisions_digest, incidents_digest, move_digest, review_digest, source_digest, Encoding,
};
use crate::resolution::{projection_versions, resolve_records};
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
    /// What was not checked, and why (incidents made by another resolver
    /// version are checked against their log entries, not re-resolved).
    pub notices: Vec<String>,
}

impl VerifyReport {
    /// Whether nothing is wrong.
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }

    pub(crate) fn problem(&mut self, subject: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem { subject: subject.into(), message: message.into() });
    }
}

fn field<'v>(payload: &'v Value, key: &str) -> Option<&'v str> {
    payload.get(key).and_then(Value::as_str)
}

/// Whether `payload`'s `key` is the digest `of` computes in the encoding the
/// payload names (false for an encoding this build does not know).
fn recorded(payload: &Value, key: &str, of: impl FnOnce(Encoding) -> dossier_model::Sha256Hex) -> bool {
    match Encoding::of(payload) {
        Some(encoding) => field(payload, key) == Some(of(encoding).as_str()),
        None => false,
    }
}

/// Every record besides the log: what a store and a bundle both hold.
pub(crate) struct Records {
    pub sources: Vec<Source>,
    /// Claims as extracted (no review applied), in stored order.
    pub claims: Vec<Claim>,
    pub reviews: Vec<Review>,
    pub decisions: Vec<GroupingDecision>,
    pub moves: Vec<ClaimMove>,
    pub incidents: Vec<Incident>,
    /// Claims of earlier claim sets, each with its set's log entry (`None`
    /// where they are not held: a bundle carries the current sets only).
    pub replaced: Option<Vec<(u64, Claim)>>,
}

/// The log's payloads, by (action, subject) (the latest) and by seq.
#[derive(Default)]
pub(crate) struct LogIndex {
    payloads: HashMap<(String, String), (u64, Value)>,
    by_seq: HashMap<u64, (String, String, Value)>,
    entries: Vec<Entry>,
}

impl LogIndex {
    /// Indexes entries (in order), naming each out of place or unreadable one.
    pub(crate) fn new(entries: &[&Entry], report: &mut VerifyReport) -> LogIndex {
        let mut index = LogIndex::default();
        for (position, e) in entries.iter().enumerate() {
            if e.seq != position as u64 {
                report.problem(
                    format!("log entry {}", e.seq),
                    format!("found at position {position}: entries are missing or reordered"),
                );
            }
            match serde_json::from_str::<Value>(&e.payload) {
                Ok(v) => {
                    if Encoding::of(&v).is_none() {
                        report.problem(
                            format!("log entry {}", e.seq),
                            format!(
                                "its records are in {}, an encoding this build of Dossier does not read: upgrade it",
                                field(&v, "encoding").unwrap_or("?")
                            ),
                        );
                    }
                    index.by_seq.insert(e.seq, (e.action.clone(), e.subject.clone(), v.clone()));
                    index.payloads.insert((e.action.clone(), e.subject.clone()), (e.seq, v));
                }
                Err(_) => report.problem(format!("log entry {}", e.seq), "payload is not valid JSON"),
            }
            index.entries.push((*e).clone());
        }
        index
    }
}

/// Checks every record against the log entry that recorded it, and back;
/// `original` names what is wrong with a source's original bytes, if anything.
pub(crate) fn check_records(
    report: &mut VerifyReport,
    log: &LogIndex,
    r: &Records,
    mut original: impl FnMut(&Source) -> Option<String>,
) {
    let (payloads, by_seq) = (&log.payloads, &log.by_seq);
    // Sources: original bytes and records against their log entries.
    report.sources = r.sources.len();
    let mut claims_by_source: HashMap<&str, Vec<&Claim>> = HashMap::new();
    for c in &r.claims {
        claims_by_source.entry(c.source.as_str()).or_default().push(c);
    }
    for s in &r.sources {
        let name = format!("source {} ({})", s.id, s.file_name);
        report.archive_files += 1;
        if let Some(problem) = original(s) {
            report.problem(&name, problem);
        }
        match payloads.get(&("source.ingested".to_string(), s.id.to_string())) {
            None => report.problem(&name, "no log entry records this source"),
            Some((seq, p)) => {
                if field(p, "sha256") != Some(s.sha256.as_str())
                    || !recorded(p, "record_sha256", |e| source_digest(s, e))
                {
                    report.problem(&name, format!("stored record differs from what log entry {seq} recorded"));
                }
            }
        }
        let own: Vec<Claim> =
            claims_by_source.get(s.id.as_str()).map(|v| v.iter().map(|c| (*c).clone()).collect()).unwrap_or_default();
        match payloads.get(&("claims.extracted".to_string(), s.id.to_string())) {
            None => report.problem(&name, "no log entry records its claims"),
            Some((seq, p)) => {
                if !recorded(p, "claims_sha256", |e| claims_digest(&own, e)) {
                    report.problem(format!("claims of {name}"), format!("differ from what log entry {seq} recorded"));
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
    // Earlier claim sets (replaced by re-extraction), each against its own entry.
    if let Some(replaced) = &r.replaced {
        check_replaced_sets(report, log, replaced);
    }
    // Every source the log recorded is still there.
    let stored: std::collections::HashSet<&str> = r.sources.iter().map(|s| s.id.as_str()).collect();
    for ((action, subject), (seq, _)) in payloads {
        if action == "source.ingested" && !stored.contains(subject.as_str()) {
            report.problem(
                format!("source {subject}"),
                format!("recorded by log entry {seq} but missing from the store"),
            );
        }
    }
    // Every review, grouping decision and move against the entry that recorded it, and back.
    for rv in &r.reviews {
        let name = format!("review of claim {} (log entry {})", rv.claim, rv.seq);
        let expected_action = format!("claim.{}", rv.action.as_str());
        match by_seq.get(&rv.seq) {
            Some((action, subject, p))
                if *action == expected_action
                    && *subject == rv.claim.as_str()
                    && recorded(p, "record_sha256", |e| review_digest(rv, e)) => {}
            Some(_) => report.problem(name, "differs from what its log entry recorded"),
            None => report.problem(name, "no log entry records it"),
        }
    }
    let mut decisions_by_seq: HashMap<u64, Vec<GroupingDecision>> = HashMap::new();
    for d in &r.decisions {
        decisions_by_seq.entry(d.seq).or_default().push(d.clone());
    }
    for (seq, ds) in &decisions_by_seq {
        let name = format!("grouping decision (log entry {seq})");
        let expected_action = format!("incidents.{}", ds[0].action.as_str());
        match by_seq.get(seq) {
            Some((action, _, p))
                if *action == expected_action && recorded(p, "records_sha256", |e| decisions_digest(ds, e)) => {}
            Some(_) => report.problem(name, "differs from what its log entry recorded"),
            None => report.problem(name, "no log entry records it"),
        }
    }
    for m in &r.moves {
        let name = format!("move of claim {} (log entry {})", m.claim, m.seq);
        match by_seq.get(&m.seq) {
            Some((action, subject, p))
                if *action == MOVE_ACTION
                    && *subject == m.claim.as_str()
                    && recorded(p, "record_sha256", |e| move_digest(m, e)) => {}
            Some(_) => report.problem(name, "differs from what its log entry recorded"),
            None => report.problem(name, "no log entry records it"),
        }
    }
    let moved: std::collections::HashSet<u64> = r.moves.iter().map(|m| m.seq).collect();
    let reviewed: std::collections::HashSet<u64> = r.reviews.iter().map(|r| r.seq).collect();
    for (seq, (action, _, _)) in by_seq {
        let missing = *action == MOVE_ACTION && !moved.contains(seq)
            || action.starts_with("claim.") && *action != MOVE_ACTION && !reviewed.contains(seq)
            || action.starts_with("incidents.")
                && *action != "incidents.resolved"
                && !decisions_by_seq.contains_key(seq);
        if missing {
            report.problem(format!("log entry {seq}"), format!("records a {action} that is missing from the store"));
        }
    }
    check_incidents(report, log, r);
    report.problems.sort_by(|a, b| a.subject.cmp(&b.subject));
}

/// Every `claims.extracted` entry but each source's latest recorded a claim
/// set since replaced: those claims, still stored, must be what it recorded.
fn check_replaced_sets(report: &mut VerifyReport, log: &LogIndex, replaced: &[(u64, Claim)]) {
    let mut by_set: HashMap<u64, Vec<Claim>> = HashMap::new();
    for (seq, c) in replaced {
        by_set.entry(*seq).or_default().push(c.clone());
    }
    let mut seqs: Vec<&u64> = log.by_seq.keys().collect();
    seqs.sort();
    for seq in seqs {
        let (action, subject, p) = &log.by_seq[seq];
        if action != "claims.extracted" {
            continue;
        }
        let latest = log.payloads.get(&(action.clone(), subject.clone())).map(|(s, _)| *s);
        if latest == Some(*seq) {
            continue;
        }
        report.claims += by_set.get(seq).map_or(0, Vec::len);
        let own = by_set.remove(seq).unwrap_or_default();
        if !recorded(p, "claims_sha256", |e| claims_digest(&own, e)) {
            report.problem(
                format!("replaced claims of source {subject}"),
                format!("differ from what log entry {seq} recorded"),
            );
        }
    }
    for (seq, claims) in by_set {
        report.problem(
            format!("replaced claims of source {}", claims[0].source),
            format!("{} claims name log entry {seq}, which recorded no claim set of it", claims.len()),
        );
    }
}

/// The incident projection against the log entries that wrote it, and, when
/// the running resolver is the one that made it, against a fresh resolution
/// of the stored claims. Incidents made by another resolver version are not
/// re-resolved: better grouping rules are not damage.
fn check_incidents(report: &mut VerifyReport, log: &LogIndex, r: &Records) {
    report.incidents = r.incidents.len();
    let entries: Vec<&Entry> = log.entries.iter().collect();
    let since = entries.iter().rposition(|e| e.action == "incidents.resolved");
    let mut updated: HashMap<&str, (u64, Value)> = HashMap::new();
    for e in &entries[since.map_or(0, |i| i + 1)..] {
        if e.action == "incident.updated" {
            if let Ok(p) = serde_json::from_str::<Value>(&e.payload) {
                updated.insert(e.subject.as_str(), (e.seq, p));
            }
        }
    }
    if let Some(i) = since.filter(|_| updated.is_empty()) {
        let e = entries[i];
        let p: Value = serde_json::from_str(&e.payload).unwrap_or(Value::Null);
        if !recorded(&p, "incidents_sha256", |enc| incidents_digest(&r.incidents, enc)) {
            report.problem("incidents", format!("stored incidents differ from what log entry {} recorded", e.seq));
        }
    }
    for (id, (seq, p)) in &updated {
        match r.incidents.iter().find(|i| i.id.as_str() == *id) {
            None => report
                .problem(format!("incident {id}"), format!("recorded by log entry {seq} but missing from the store")),
            Some(i) => {
                if !recorded(p, "incident_sha256", |enc| incidents_digest(std::slice::from_ref(i), enc)) {
                    report.problem(format!("incident {id}"), format!("differs from what log entry {seq} recorded"));
                }
            }
        }
    }
    let versions = projection_versions(&entries);
    if versions.iter().all(|v| v == dossier_resolve::VERSION) {
        let fresh = resolve_records(&r.sources, &r.claims, &r.reviews, &r.moves, &r.decisions);
        if fresh != r.incidents {
            report.problem("incidents", "stored incidents differ from a fresh resolution of the stored claims");
        }
    } else {
        let made_by: Vec<&str> = versions.iter().map(String::as_str).collect();
        report.notices.push(format!(
            "incidents were grouped by {}; this is {}: they were checked against the log entries that recorded \
             them, not against a fresh resolution (`dossier resolve` groups them under the current rules)",
            made_by.join(" and "),
            dossier_resolve::VERSION
        ));
    }
}

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
            let Some((seq, p)) = log.payloads.get(&("source.ingested".to_string(), s.id.to_string())) else { continue };
            let recorded_mentions = field(p, "mentions_sha256");
            if recorded_mentions.is_none() && sealed.is_none() && own.is_empty() {
                continue;
            }
            if recorded_mentions.is_none()
                || !recorded(p, "mentions_sha256", |e| crate::digest::mentions_digest(&own, e))
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
            if !log.payloads.contains_key(&("person.recorded".to_string(), p.pseudonym.clone())) {
                report.problem(&what, "no log entry records this person");
            }
            if let Err(e) = vault.open(&p.name_sealed) {
                report.problem(&what, format!("sealed name: {e}"));
            }
        }
        Ok(())
    }
}
