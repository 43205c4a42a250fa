//! The checks of records against the log that recorded them, shared by a
//! store's `verify` and the offline bundle verifier: every source, claim set,
//! review, decision and move against its entry's digest (and back: nothing
//! the log recorded may be missing), and the incident projection against the
//! entries that wrote it and, when the running resolver made it, against a
//! fresh resolution.

use std::collections::HashMap;

use dossier_ledger::Entry;
use dossier_model::{Claim, ClaimMove, GroupingDecision, Incident, LogAction, Review, Source, SourceId};
use dossier_resolve::{resolve, Report};
use serde_json::Value;

use crate::encoding::{
    claims_digest, decisions_digest, incidents_digest, move_digest, review_digest, source_digest, Encoding,
};

/// The name given to the resolver of entries that name none.
pub const LEGACY_RESOLVER: &str = "dossier-resolve/0";

/// Incidents from records: claims as extracted, with every review and move
/// applied, resolved under every grouping decision. Pure.
pub fn resolve_records(
    sources: &[Source],
    claims: &[Claim],
    reviews: &[Review],
    moves: &[ClaimMove],
    decisions: &[GroupingDecision],
) -> Vec<Incident> {
    let mut claims = claims.to_vec();
    dossier_resolve::apply_reviews(&mut claims, reviews);
    dossier_resolve::apply_moves(&mut claims, moves);
    let mut by_source: HashMap<&SourceId, Vec<Claim>> = HashMap::new();
    for c in &claims {
        by_source.entry(&c.source).or_default().push(c.clone());
    }
    let empty = Vec::new();
    let reports: Vec<Report<'_>> =
        sources.iter().map(|s| Report { source: s, claims: by_source.get(&s.id).unwrap_or(&empty) }).collect();
    resolve(&reports, decisions)
}

/// The resolver versions behind the incident projection as the log tells
/// it: the latest full resolution's and those of every placement after it
/// ([`LEGACY_RESOLVER`] for entries written before versions were logged).
pub fn projection_versions(entries: &[&Entry]) -> std::collections::BTreeSet<String> {
    let since = entries.iter().rposition(|e| e.action == LogAction::IncidentsResolved.as_str()).unwrap_or(0);
    entries[since..]
        .iter()
        .filter(|e| {
            e.action == LogAction::IncidentsResolved.as_str() || e.action == LogAction::IncidentUpdated.as_str()
        })
        .map(|e| {
            serde_json::from_str::<Value>(&e.payload)
                .ok()
                .and_then(|p| p.get("resolver").and_then(|v| v.as_str()).map(str::to_string))
                .unwrap_or_else(|| LEGACY_RESOLVER.to_string())
        })
        .collect()
}

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

    /// Adds a problem.
    pub fn problem(&mut self, subject: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem { subject: subject.into(), message: message.into() });
    }
}

/// A payload's string field.
pub fn field<'v>(payload: &'v Value, key: &str) -> Option<&'v str> {
    payload.get(key).and_then(Value::as_str)
}

/// Whether `payload`'s `key` is the digest `of` computes in the encoding the
/// payload names (false for an encoding this build does not know).
pub fn recorded(payload: &Value, key: &str, of: impl FnOnce(Encoding) -> dossier_model::Sha256Hex) -> bool {
    match Encoding::of(payload) {
        Some(encoding) => field(payload, key) == Some(of(encoding).as_str()),
        None => false,
    }
}

/// Every record besides the log: what a store and a bundle both hold.
pub struct Records {
    /// Sources, as stored.
    pub sources: Vec<Source>,
    /// Claims as extracted (no review applied), in stored order.
    pub claims: Vec<Claim>,
    /// Reviews of claims.
    pub reviews: Vec<Review>,
    /// Grouping decisions.
    pub decisions: Vec<GroupingDecision>,
    /// Moves of claims to other incidents.
    pub moves: Vec<ClaimMove>,
    /// The incident projection.
    pub incidents: Vec<Incident>,
    /// Claims of earlier claim sets, each with its set's log entry (`None`
    /// where they are not held: a bundle carries the current sets only).
    pub replaced: Option<Vec<(u64, Claim)>>,
}

/// The log's payloads, by (action, subject) (the latest) and by seq.
#[derive(Default)]
pub struct LogIndex {
    payloads: HashMap<(String, String), (u64, Value)>,
    by_seq: HashMap<u64, (String, String, Value)>,
    entries: Vec<Entry>,
}

impl LogIndex {
    /// Indexes entries (in order), naming each out of place or unreadable one.
    pub fn new(entries: &[&Entry], report: &mut VerifyReport) -> LogIndex {
        let mut index = LogIndex::default();
        for (position, e) in entries.iter().enumerate() {
            if e.seq != position as u64 {
                report.problem(
                    format!("log entry {}", e.seq),
                    format!("found at position {position}: entries are missing or reordered"),
                );
            }
            if LogAction::parse(&e.action).is_none() {
                report.problem(
                    format!("log entry {}", e.seq),
                    format!(
                        "records {:?}, an action this build of Dossier does not know: upgrade it",
                        e.action.chars().take(64).collect::<String>()
                    ),
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

    /// The latest entry of `action` about `subject`: its seq and payload.
    pub fn latest(&self, action: LogAction, subject: &str) -> Option<(u64, &Value)> {
        self.payloads.get(&(action.as_str().to_string(), subject.to_string())).map(|(seq, p)| (*seq, p))
    }
}

/// Checks every record against the log entry that recorded it, and back;
/// `original` names what is wrong with a source's original bytes, if anything.
pub fn check_records(
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
        match payloads.get(&(LogAction::SourceIngested.as_str().to_string(), s.id.to_string())) {
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
        match payloads.get(&(LogAction::ClaimsExtracted.as_str().to_string(), s.id.to_string())) {
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
        if action == LogAction::SourceIngested.as_str() && !stored.contains(subject.as_str()) {
            report.problem(
                format!("source {subject}"),
                format!("recorded by log entry {seq} but missing from the store"),
            );
        }
    }
    // Every review, grouping decision and move against the entry that recorded it, and back.
    for rv in &r.reviews {
        let name = format!("review of claim {} (log entry {})", rv.claim, rv.seq);
        let expected_action = LogAction::ClaimReviewed(rv.action).as_str();
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
        let expected_action = LogAction::Grouped(ds[0].action).as_str();
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
                if LogAction::ClaimMoved.is(action)
                    && *subject == m.claim.as_str()
                    && recorded(p, "record_sha256", |e| move_digest(m, e)) => {}
            Some(_) => report.problem(name, "differs from what its log entry recorded"),
            None => report.problem(name, "no log entry records it"),
        }
    }
    let moved: std::collections::HashSet<u64> = r.moves.iter().map(|m| m.seq).collect();
    let reviewed: std::collections::HashSet<u64> = r.reviews.iter().map(|r| r.seq).collect();
    for (seq, (action, _, _)) in by_seq {
        let missing = match LogAction::parse(action) {
            Some(LogAction::ClaimMoved) => !moved.contains(seq),
            Some(LogAction::ClaimReviewed(_)) => !reviewed.contains(seq),
            Some(LogAction::Grouped(_)) => !decisions_by_seq.contains_key(seq),
            _ => false,
        };
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
        if action != LogAction::ClaimsExtracted.as_str() {
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
    let since = entries.iter().rposition(|e| e.action == LogAction::IncidentsResolved.as_str());
    let mut updated: HashMap<&str, (u64, Value)> = HashMap::new();
    for e in &entries[since.map_or(0, |i| i + 1)..] {
        if e.action == LogAction::IncidentUpdated.as_str() {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(seq: u64, action: &str, payload: &str) -> Entry {
        Entry {
            seq,
            recorded_at: "2026-01-01T00:00:00Z".into(),
            actor: "tester".into(),
            action: action.into(),
            subject: "src-0000000000000000".into(),
            payload: payload.into(),
        }
    }

    #[test]
    fn entries_of_a_later_release_are_told_apart_from_damage() {
        let entries = [
            entry(0, "source.ingested", "{}"),
            entry(1, "claim.delete", "{}"),
            entry(2, "claims.extracted", r#"{"encoding":"dossier-record/9"}"#),
            entry(4, "claim.accept", "not json"),
        ];
        let mut report = VerifyReport::default();
        let index = LogIndex::new(&entries.iter().collect::<Vec<_>>(), &mut report);
        let said: Vec<(String, String)> =
            report.problems.iter().map(|p| (p.subject.clone(), p.message.clone())).collect();
        assert_eq!(said.len(), 4, "{said:?}");
        assert!(said[0].0 == "log entry 1" && said[0].1.contains("\"claim.delete\"") && said[0].1.contains("upgrade"));
        assert!(said[1].0 == "log entry 2" && said[1].1.contains("dossier-record/9") && said[1].1.contains("upgrade"));
        assert!(said[2].0 == "log entry 4" && said[2].1.contains("position 3"));
        assert!(said[3].0 == "log entry 4" && said[3].1.contains("not valid JSON"));
        assert!(index.latest(LogAction::SourceIngested, "src-0000000000000000").is_some());
        assert!(index.latest(LogAction::ClaimsExtracted, "src-0000000000000001").is_none());
    }
}
