//! Re-extraction: the running extractor over sources already stored, as
//! logged events. Each source whose claims come out different gets a new
//! claim set (the earlier one stays, still verifiable against its own log
//! entry); every review and move is carried to the new claim of the same
//! kind at the same span (or of the same kind and value at an overlapping
//! span) and recorded again; those that find no such claim are listed for a
//! second look. Then incidents are resolved again, as one logged event.
//!
//! The source record (its text as read at ingest) is not read again: claims
//! are extracted anew from the stored text, so every span still indexes it.

use std::collections::{BTreeSet, HashMap, HashSet};

use dossier_extract::{extract, Context, Extraction, Gazetteer, ProtectedPerson};
use dossier_model::LogAction;
use dossier_model::{
    Claim, ClaimId, ClaimKind, ClaimMove, Incident, PersonRole, ProtectedName, Review, Source, SourceId,
};
use serde_json::json;

use crate::ingest::claims_of_extraction;
use crate::protect::Protection;
use crate::{App, AppError};
use dossier_verify::encoding::{claims_digest, move_digest, review_digest, Encoding, RECORD_ENCODING};
use dossier_verify::records::resolve_records;

/// Which sources to extract again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReextractScope {
    /// Every stored source.
    All,
    /// One source.
    Source(SourceId),
}

/// A review or move that found no claim to carry it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Uncarried {
    /// The log entry that recorded it.
    pub seq: u64,
    /// `claim.accept`, `claim.reject`, `claim.edit`, `claim.moved`.
    pub action: String,
    /// The claim it was about (of the replaced set).
    pub claim: ClaimId,
    /// That claim's kind (`None` for a claim no longer stored as current).
    pub kind: Option<ClaimKind>,
    /// Where that claim's passage was.
    pub span: Option<dossier_model::Span>,
}

/// What re-extraction did (or would do) to one source.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SourceReextraction {
    /// The source.
    pub source: Option<SourceId>,
    /// The extractor that made its claims until now.
    pub previous_extractor: String,
    /// Claims the running extractor finds that were not there (kind and span).
    pub added: usize,
    /// Claims no longer found.
    pub removed: usize,
    /// Claims of the same kind and span whose value, attribution or event changed.
    pub changed: usize,
    /// Claims found again as they were.
    pub unchanged: usize,
    /// Reviews and moves carried to the new claims.
    pub carried: usize,
    /// Reviews and moves that could not be carried.
    pub uncarried: Vec<Uncarried>,
    /// Why the source was left as it is, when it was.
    pub skipped: Option<String>,
    /// The log entry of its new claim set (`None` when nothing was written).
    pub written: Option<u64>,
}

impl SourceReextraction {
    /// Whether the running extractor reads the source as its stored claims do.
    pub fn same(&self) -> bool {
        self.added == 0 && self.removed == 0 && self.changed == 0
    }
}

/// What `dossier reextract` did (or, with `dry_run`, would do).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Reextraction {
    /// Whether nothing was written.
    pub dry_run: bool,
    /// Each source considered, in ingestion order.
    pub sources: Vec<SourceReextraction>,
    /// Incidents before.
    pub incidents_before: usize,
    /// Incidents after.
    pub incidents_after: usize,
    /// New incidents that join sources of two or more earlier ones.
    pub merged: usize,
    /// Earlier incidents whose sources are now in two or more incidents.
    pub split: usize,
}

/// One source's new claim set and what moves with it, before writing.
struct Plan {
    report: SourceReextraction,
    claims: Vec<Claim>,
    /// Old claim id → new claim id, for every old claim that has a successor.
    successor: HashMap<ClaimId, ClaimId>,
    reviews: Vec<Review>,
    /// The review each carried one continues (its log entry).
    review_from: Vec<u64>,
    moves: Vec<ClaimMove>,
    move_from: Vec<u64>,
}

fn overlaps(a: dossier_model::Span, b: dossier_model::Span) -> bool {
    a.start < b.end && b.start < a.end
}

/// The new claim that continues `old`: same kind and span, else same kind and
/// value at an overlapping span.
fn successor_of<'c>(old: &Claim, new: &'c [Claim]) -> Option<&'c Claim> {
    new.iter()
        .find(|n| n.kind == old.kind && n.span == old.span)
        .or_else(|| new.iter().find(|n| n.kind == old.kind && n.value == old.value && overlaps(n.span, old.span)))
}

/// Claims that differ between two sets of one source (kind and span equal, content not).
fn same_claim(a: &Claim, b: &Claim) -> bool {
    a.value == b.value && a.according_to == b.according_to && a.frame == b.frame && a.sentence == b.sentence
}

/// Incidents that join sources of two or more of `before`'s, and incidents
/// of `before` whose sources are spread over two or more of `after`'s.
fn merges_and_splits(before: &[Incident], after: &[Incident]) -> (usize, usize) {
    let index = |incidents: &[Incident]| {
        let mut of: HashMap<SourceId, BTreeSet<usize>> = HashMap::new();
        for (k, i) in incidents.iter().enumerate() {
            for s in &i.sources {
                of.entry(s.clone()).or_default().insert(k);
            }
        }
        of
    };
    let (was, now) = (index(before), index(after));
    let spread = |incidents: &[Incident], other: &HashMap<SourceId, BTreeSet<usize>>| {
        incidents
            .iter()
            .filter(|i| {
                let homes: BTreeSet<usize> = i.sources.iter().filter_map(|s| other.get(s)).flatten().copied().collect();
                homes.len() >= 2
            })
            .count()
    };
    (spread(after, &was), spread(before, &now))
}

impl App {
    /// Runs the current extractor over the stored sources in `scope`; writes
    /// (unless `dry_run`) a new claim set for each whose claims differ, with
    /// every review and move carried that can be, then resolves incidents again.
    pub async fn reextract(&self, scope: &ReextractScope, dry_run: bool) -> Result<Reextraction, AppError> {
        self.reextract_with(scope, dry_run, &extract).await
    }

    /// [`App::reextract`] with another extractor in place of the running one
    /// (tests use it to stand for a later release's).
    #[doc(hidden)]
    pub async fn reextract_with(
        &self,
        scope: &ReextractScope,
        dry_run: bool,
        extractor: &(dyn Fn(&str, &Context, &Gazetteer) -> Extraction + Sync),
    ) -> Result<Reextraction, AppError> {
        let sources: Vec<Source> = match scope {
            ReextractScope::All => self.store.sources().await?,
            ReextractScope::Source(id) => match self.store.source(id).await? {
                Some(s) => vec![s],
                None => return Err(AppError::NotFound(format!("source {id}"))),
            },
        };
        let entries = self.store.log_entries().await?;
        let mut generations: HashMap<SourceId, u64> = HashMap::new();
        let mut current_set: HashMap<SourceId, u64> = HashMap::new();
        for (s, seq) in self.store.claim_sets().await? {
            *generations.entry(s.clone()).or_default() += 1;
            current_set.insert(s, seq);
        }
        let extractor_of: HashMap<u64, String> = entries
            .iter()
            .filter(|e| e.entry.action == LogAction::ClaimsExtracted.as_str())
            .map(|e| {
                let p: serde_json::Value = serde_json::from_str(&e.entry.payload).unwrap_or_default();
                let v = p.get("extractor").and_then(|v| v.as_str()).unwrap_or(LEGACY_EXTRACTOR);
                (e.entry.seq, v.to_string())
            })
            .collect();
        let latest_set_entry: HashMap<&str, u64> = entries
            .iter()
            .filter(|e| e.entry.action == LogAction::ClaimsExtracted.as_str())
            .map(|e| (e.entry.subject.as_str(), e.entry.seq))
            .collect();
        let mut reviews = self.store.reviews().await?;
        let mut moves = self.store.claim_moves().await?;
        let mut all_claims = self.store.claims().await?;
        let before = self.store.incidents().await?;
        // Every claim id of this run's replaced sets → its successor (for moves across sources).
        let mut successor: HashMap<ClaimId, ClaimId> = HashMap::new();
        let mut plans: Vec<Plan> = Vec::new();
        for source in &sources {
            let old: Vec<Claim> = all_claims.iter().filter(|c| c.source == source.id).cloned().collect();
            let set_seq =
                current_set.get(&source.id).copied().or_else(|| latest_set_entry.get(source.id.as_str()).copied());
            let previous_extractor =
                set_seq.and_then(|s| extractor_of.get(&s)).cloned().unwrap_or_else(|| LEGACY_EXTRACTOR.to_string());
            let generation = generations.get(&source.id).copied().unwrap_or(1) + 1;
            let mut report =
                SourceReextraction { source: Some(source.id.clone()), previous_extractor, ..Default::default() };
            let new = match self.extract_again(source, generation, extractor).await? {
                Ok(claims) => claims,
                Err(why) => {
                    report.skipped = Some(why);
                    plans.push(Plan::untouched(report));
                    continue;
                }
            };
            for n in &new {
                match old.iter().find(|o| o.kind == n.kind && o.span == n.span) {
                    Some(o) if same_claim(o, n) => report.unchanged += 1,
                    Some(_) => report.changed += 1,
                    None => report.added += 1,
                }
            }
            report.removed = old.iter().filter(|o| !new.iter().any(|n| n.kind == o.kind && n.span == o.span)).count();
            if report.same() {
                plans.push(Plan::untouched(report));
                continue;
            }
            let mut plan = Plan::untouched(report);
            for o in &old {
                if let Some(n) = successor_of(o, &new) {
                    plan.successor.insert(o.id.clone(), n.id.clone());
                    successor.insert(o.id.clone(), n.id.clone());
                }
            }
            plan.claims = new;
            let old_by_id: HashMap<&ClaimId, &Claim> = old.iter().map(|c| (&c.id, c)).collect();
            for r in reviews.iter().filter(|r| old_by_id.contains_key(&r.claim)) {
                match plan.successor.get(&r.claim) {
                    Some(n) => {
                        plan.reviews.push(Review { seq: 0, claim: n.clone(), ..r.clone() });
                        plan.review_from.push(r.seq);
                        plan.report.carried += 1;
                    }
                    None => {
                        let c = old_by_id[&r.claim];
                        plan.report.uncarried.push(Uncarried {
                            seq: r.seq,
                            action: LogAction::ClaimReviewed(r.action).as_str().to_string(),
                            claim: r.claim.clone(),
                            kind: Some(c.kind),
                            span: Some(c.span),
                        });
                    }
                }
            }
            plans.push(plan);
        }
        // Moves: the latest of each claim counts; carry those that touch a replaced claim.
        let plan_of: HashMap<&ClaimId, usize> = plans
            .iter()
            .enumerate()
            .flat_map(|(k, p)| {
                let source = p.report.source.as_ref();
                all_claims
                    .iter()
                    .filter(move |c| p.written_anyway() && Some(&c.source) == source)
                    .map(move |c| (&c.id, k))
            })
            .collect();
        let mut latest_move: HashMap<&ClaimId, &ClaimMove> = HashMap::new();
        for m in &moves {
            latest_move.insert(&m.claim, m);
        }
        let mut carried_moves: Vec<(usize, ClaimMove, u64)> = Vec::new();
        let mut uncarried_moves: Vec<(usize, Uncarried)> = Vec::new();
        for m in latest_move.values() {
            let home = plan_of.get(&m.claim).or_else(|| m.target.as_ref().and_then(|t| plan_of.get(t)));
            let Some(&home) = home else { continue };
            let carry =
                |id: &ClaimId| if plan_of.contains_key(id) { successor.get(id).cloned() } else { Some(id.clone()) };
            let target = match &m.target {
                Some(t) => carry(t).map(Some),
                None => Some(None),
            };
            match (carry(&m.claim), target) {
                (Some(claim), Some(target)) => {
                    carried_moves.push((home, ClaimMove { seq: 0, claim, target, ..(*m).clone() }, m.seq));
                }
                _ => {
                    let old = all_claims.iter().find(|c| c.id == m.claim);
                    uncarried_moves.push((
                        home,
                        Uncarried {
                            seq: m.seq,
                            action: LogAction::ClaimMoved.as_str().to_string(),
                            claim: m.claim.clone(),
                            kind: old.map(|c| c.kind),
                            span: old.map(|c| c.span),
                        },
                    ));
                }
            }
        }
        carried_moves.sort_by_key(|(_, _, from)| *from);
        for (home, m, from) in carried_moves {
            plans[home].moves.push(m);
            plans[home].move_from.push(from);
            plans[home].report.carried += 1;
        }
        uncarried_moves.sort_by_key(|(_, u)| u.seq);
        for (home, u) in uncarried_moves {
            plans[home].report.uncarried.push(u);
        }

        let mut outcome = Reextraction { dry_run, incidents_before: before.len(), ..Default::default() };
        if dry_run {
            // The incidents the new claim sets would give, computed without writing.
            let replaced: HashSet<&SourceId> =
                plans.iter().filter(|p| p.written_anyway()).filter_map(|p| p.report.source.as_ref()).collect();
            all_claims.retain(|c| !replaced.contains(&c.source));
            let mut next = entries.len() as u64;
            for p in &plans {
                all_claims.extend(p.claims.iter().cloned());
                for r in &p.reviews {
                    next += 1;
                    reviews.push(Review { seq: next, ..r.clone() });
                }
                for m in &p.moves {
                    next += 1;
                    moves.push(ClaimMove { seq: next, ..m.clone() });
                }
            }
            let all_sources = self.store.sources().await?;
            let decisions = self.store.grouping_decisions().await?;
            let after = resolve_records(&all_sources, &all_claims, &reviews, &moves, &decisions);
            (outcome.merged, outcome.split) = merges_and_splits(&before, &after);
            outcome.incidents_after = after.len();
            outcome.sources = plans.into_iter().map(|p| p.report).collect();
            return Ok(outcome);
        }
        for plan in &mut plans {
            if !plan.written_anyway() {
                continue;
            }
            plan.report.written = Some(self.write_claim_set(plan).await?);
        }
        self.resolve().await?;
        let after = self.store.incidents().await?;
        (outcome.merged, outcome.split) = merges_and_splits(&before, &after);
        outcome.incidents_after = after.len();
        outcome.sources = plans.into_iter().map(|p| p.report).collect();
        Ok(outcome)
    }

    /// The claims the running extractor finds in a stored source, protected as
    /// its stored text is; `Err(why)` when they cannot be stored without
    /// changing the source record (a protected name it would not mask).
    async fn extract_again(
        &self,
        source: &Source,
        generation: u64,
        extractor: &(dyn Fn(&str, &Context, &Gazetteer) -> Extraction + Sync),
    ) -> Result<Result<Vec<Claim>, String>, AppError> {
        let sealed = self.store.sealed_body(&source.id).await?;
        let written = match &sealed {
            Some(s) => self.open_sealed_text(s, "sealed body")?,
            None => source.body.clone(),
        };
        let extraction = extractor(&written, &Context { published: source.meta.published }, self.gazetteer.get());
        let mut claims = claims_of_extraction(extraction.claims, &source.id, &written, generation);
        let vault = self.vault();
        let mentions: Vec<_> =
            self.store.all_mentions().await?.into_iter().filter(|(id, _)| id == &source.id).map(|(_, m)| m).collect();
        // The persons its stored text protects, by name.
        let rows = self.store.persons().await?;
        let mut persons: Vec<ProtectedPerson> = Vec::new();
        let mut known = HashMap::new();
        for m in &mentions {
            let Some(row) = rows.iter().find(|r| r.pseudonym == m.pseudonym) else {
                return Ok(Err(format!("a mention names {}, who is not stored", m.pseudonym)));
            };
            known.insert(row.name_token.clone(), row.pseudonym.clone());
            match persons.iter_mut().find(|p| vault.blind_name(p.name.reveal()) == row.name_token) {
                Some(p) => p.mentions.push(m.span),
                None => persons.push(ProtectedPerson {
                    name: ProtectedName::new(self.person_name(row)?),
                    role: PersonRole::parse(&m.role).unwrap_or(PersonRole::Victim),
                    mentions: vec![m.span],
                }),
            }
        }
        let unmasked = extraction.persons.iter().any(|p| !known.contains_key(&vault.blind_name(p.name.reveal())));
        if unmasked {
            return Ok(Err("the running extractor finds a protected person its stored text does not mask; \
                           ingest the report again to protect them"
                .to_string()));
        }
        if sealed.is_some() || source.meta.confidential {
            let protection = Protection::new(&vault, &written, &persons, &known, source.meta.confidential);
            if protection.stored_body != source.body {
                return Ok(Err("its stored text is not its sealed text masked as recorded".to_string()));
            }
            for c in &mut claims {
                protection.protect_claim(c);
            }
        }
        Ok(Ok(claims))
    }

    /// Writes one source's new claim set with the reviews and moves carried
    /// to it, in one transaction; returns the set's log entry.
    async fn write_claim_set(&self, plan: &mut Plan) -> Result<u64, AppError> {
        let id = plan.report.source.clone().expect("a planned source");
        let now = self.clock.now();
        let actor = self.config.actor.clone();
        let mut tx = self.store.begin().await?;
        let payload = json!({
            "count": plan.claims.len(),
            "claims_sha256": claims_digest(&plan.claims, Encoding::V1).as_str(),
            "encoding": RECORD_ENCODING,
            "extractor": dossier_extract::VERSION,
            "replaces_extractor": &plan.report.previous_extractor,
            "added": plan.report.added,
            "removed": plan.report.removed,
            "changed": plan.report.changed,
            "carried": plan.report.carried,
            "uncarried": plan.report.uncarried.iter().map(|u| u.seq).collect::<Vec<_>>(),
        });
        let e = tx.append(&now, &actor, LogAction::ClaimsExtracted, id.as_str(), &payload.to_string()).await?;
        tx.insert_claims(&plan.claims, e.seq).await?;
        tx.insert_claim_set(&id, e.seq).await?;
        for (r, from) in plan.reviews.iter_mut().zip(&plan.review_from) {
            let kind = plan.claims.iter().find(|c| c.id == r.claim).map_or("", |c| c.kind.as_str());
            let p = json!({
                "claim": r.claim.as_str(),
                "source": id.as_str(),
                "kind": kind,
                "action": r.action.as_str(),
                "carried_from": from,
                "record_sha256": review_digest(r, Encoding::V1).as_str(),
                "encoding": RECORD_ENCODING,
            });
            let entry =
                tx.append(&now, &actor, LogAction::ClaimReviewed(r.action), r.claim.as_str(), &p.to_string()).await?;
            r.seq = entry.seq;
            tx.insert_review(r).await?;
        }
        for (m, from) in plan.moves.iter_mut().zip(&plan.move_from) {
            let p = json!({
                "claim": m.claim.as_str(),
                "target": m.target.as_ref().map(ClaimId::as_str),
                "carried_from": from,
                "record_sha256": move_digest(m, Encoding::V1).as_str(),
                "encoding": RECORD_ENCODING,
            });
            let entry = tx.append(&now, &actor, LogAction::ClaimMoved, m.claim.as_str(), &p.to_string()).await?;
            m.seq = entry.seq;
            tx.insert_claim_move(m).await?;
        }
        self.commit(tx).await?;
        Ok(e.seq)
    }
}

impl Plan {
    fn untouched(report: SourceReextraction) -> Plan {
        Plan {
            report,
            claims: Vec::new(),
            successor: HashMap::new(),
            reviews: Vec::new(),
            review_from: Vec::new(),
            moves: Vec::new(),
            move_from: Vec::new(),
        }
    }

    /// A source whose new claim set is empty (the extractor now finds nothing) is still written.
    fn written_anyway(&self) -> bool {
        self.report.skipped.is_none() && !self.report.same()
    }
}

/// The name given to the extractor of entries that name none.
pub(crate) const LEGACY_EXTRACTOR: &str = "dossier-extract/1";

/// One extraction of a source's text, as the log records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtractionRun {
    /// Its log entry.
    pub seq: u64,
    /// When.
    pub recorded_at: String,
    /// Who ran it.
    pub actor: String,
    /// The extractor (`dossier-extract/1` for entries that name none).
    pub extractor: String,
    /// Claims it found.
    pub claims: u64,
    /// The reviews and moves it could not carry (their log entries).
    pub uncarried: Vec<u64>,
}

/// A review or move a re-extraction could not carry, for a second look.
#[derive(Debug, Clone, PartialEq)]
pub struct SecondLook {
    /// The source.
    pub source: SourceId,
    /// The review's (or move's) log entry.
    pub seq: u64,
    /// `claim.accept`, `claim.reject`, `claim.edit`, `claim.moved`.
    pub action: String,
    /// Why the reviewer decided so.
    pub reason: String,
    /// The replaced claim it was about, when still stored.
    pub claim: Option<Claim>,
    /// The re-extraction's log entry.
    pub reextracted: u64,
}

fn run_of(e: &dossier_store::LoggedEntry) -> ExtractionRun {
    let p: serde_json::Value = serde_json::from_str(&e.entry.payload).unwrap_or_default();
    ExtractionRun {
        seq: e.entry.seq,
        recorded_at: e.entry.recorded_at.clone(),
        actor: e.entry.actor.clone(),
        extractor: p.get("extractor").and_then(|v| v.as_str()).unwrap_or(LEGACY_EXTRACTOR).to_string(),
        claims: p.get("count").and_then(serde_json::Value::as_u64).unwrap_or(0),
        uncarried: p
            .get("uncarried")
            .and_then(|v| v.as_array())
            .map(|a| a.iter().filter_map(serde_json::Value::as_u64).collect())
            .unwrap_or_default(),
    }
}

impl App {
    /// Every extraction of a source's text, oldest first (the last made its current claims).
    pub async fn extraction_history(&self, source: &SourceId) -> Result<Vec<ExtractionRun>, AppError> {
        Ok(self
            .store
            .log_entries_about(source.as_str(), LogAction::ClaimsExtracted.as_str())
            .await?
            .iter()
            .map(run_of)
            .collect())
    }

    /// Reviews and moves that re-extractions could not carry, where no later
    /// extraction of the same source superseded the one that listed them.
    pub async fn second_looks(&self) -> Result<Vec<SecondLook>, AppError> {
        let mut out = Vec::new();
        let reviews = self.store.reviews().await?;
        let moves = self.store.claim_moves().await?;
        for e in self.store.entries_with_uncarried().await? {
            let Ok(source) = SourceId::parse(&e.entry.subject) else { continue };
            let history = self.extraction_history(&source).await?;
            if history.last().map(|r| r.seq) != Some(e.entry.seq) {
                continue;
            }
            for seq in run_of(&e).uncarried {
                let (action, reason, claim) = if let Some(r) = reviews.iter().find(|r| r.seq == seq) {
                    (LogAction::ClaimReviewed(r.action).as_str().to_string(), r.reason.clone(), r.claim.clone())
                } else if let Some(m) = moves.iter().find(|m| m.seq == seq) {
                    (LogAction::ClaimMoved.as_str().to_string(), m.reason.clone(), m.claim.clone())
                } else {
                    continue;
                };
                let claim = self.store.claim_in_history(&claim).await?;
                out.push(SecondLook { source: source.clone(), seq, action, reason, claim, reextracted: e.entry.seq });
            }
        }
        Ok(out)
    }
}
