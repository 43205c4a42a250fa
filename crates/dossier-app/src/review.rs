//! Review: a reviewer accepts, rejects or corrects a claim, or decides that
//! two reports are one incident or two. Each decision is its own row and log
//! entry; the machine's original stays; resolution honours every decision.

use dossier_model::LogAction;
use dossier_model::{
    ClaimId, ClaimKind, ClaimMove, ClaimValue, Count, GroupingAction, GroupingDecision, IncidentId, Review,
    ReviewAction, SourceId,
};
use serde_json::json;

use dossier_verify::encoding::{decisions_digest, move_digest, review_digest, Encoding, RECORD_ENCODING};

/// The log action that records a move of a claim.
use crate::{App, AppError};

/// A correction of a count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountEdit {
    /// Lower bound.
    pub min: Option<u64>,
    /// Upper bound.
    pub max: Option<u64>,
    /// Qualifier; the claim's own when `None`.
    pub qualifier: Option<String>,
}

impl App {
    /// Records a review of one claim, then re-resolves incidents.
    pub async fn review_claim(
        &self,
        claim: &ClaimId,
        action: ReviewAction,
        edit: Option<CountEdit>,
        reason: &str,
        actor: &str,
    ) -> Result<Review, AppError> {
        let reason = reason.trim();
        if reason.is_empty() && action != ReviewAction::Accept {
            return Err(AppError::Invalid("a rejection or a correction needs a reason (--reason)".into()));
        }
        let Some(current) = self.store.claim(claim).await? else {
            return Err(AppError::NotFound(format!("claim {claim}")));
        };
        let value = match (action, edit) {
            (ReviewAction::Edit, Some(e)) => {
                let Some(count) = current.count() else {
                    return Err(AppError::Invalid(format!(
                        "{claim} is a {} claim; only counts can be corrected",
                        current.kind.as_str()
                    )));
                };
                if let (Some(a), Some(b)) = (e.min, e.max) {
                    if a > b {
                        return Err(AppError::Invalid(format!("min {a} is greater than max {b}")));
                    }
                }
                Some(ClaimValue::Count(Count {
                    min: e.min,
                    max: e.max,
                    qualifier: e.qualifier.unwrap_or_else(|| count.qualifier.clone()),
                    population: count.population.clone(),
                    attackers: count.attackers,
                }))
            }
            (ReviewAction::Edit, None) => return Err(AppError::Invalid("a correction needs a new value".into())),
            (_, Some(_)) => return Err(AppError::Invalid("only a correction takes a new value".into())),
            (_, None) => None,
        };
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        let mut review = Review {
            seq: 0,
            claim: claim.clone(),
            action,
            value,
            reason: reason.to_string(),
            actor: actor.to_string(),
            recorded_at: now.clone(),
        };
        let payload = json!({
            "claim": claim.as_str(),
            "source": current.source.as_str(),
            "kind": current.kind.as_str(),
            "action": action.as_str(),
            "record_sha256": review_digest(&review, Encoding::V1).as_str(),
            "encoding": RECORD_ENCODING,
        });
        let entry =
            tx.append(&now, actor, LogAction::ClaimReviewed(action), claim.as_str(), &payload.to_string()).await?;
        review.seq = entry.seq;
        tx.insert_review(&review).await?;
        self.commit(tx).await?;
        self.resolve().await?;
        Ok(review)
    }

    /// Records that the reports of the given source pairs are the same
    /// incident (`Together`) or different ones (`Apart`), then re-resolves.
    pub async fn decide_grouping(
        &self,
        action: GroupingAction,
        pairs: &[(SourceId, SourceId)],
        reason: &str,
        actor: &str,
    ) -> Result<Vec<GroupingDecision>, AppError> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(AppError::Invalid("a grouping decision needs a reason (--reason)".into()));
        }
        if pairs.is_empty() {
            return Err(AppError::Invalid("nothing to decide: the incident has no other source".into()));
        }
        let now = self.clock.now();
        let mut decisions: Vec<GroupingDecision> = pairs
            .iter()
            .enumerate()
            .map(|(k, (a, b))| GroupingDecision {
                seq: 0,
                ordinal: k as u64,
                action,
                a: a.clone(),
                b: b.clone(),
                reason: reason.to_string(),
                actor: actor.to_string(),
                recorded_at: now.clone(),
            })
            .collect();
        let mut tx = self.store.begin().await?;
        let subject = pairs.iter().map(|(a, b)| format!("{a}+{b}")).collect::<Vec<_>>().join(",");
        let payload = json!({
            "action": action.as_str(),
            "pairs": pairs.len(),
            "records_sha256": decisions_digest(&decisions, Encoding::V1).as_str(),
            "encoding": RECORD_ENCODING,
        });
        let entry = tx.append(&now, actor, LogAction::Grouped(action), &subject, &payload.to_string()).await?;
        for d in &mut decisions {
            d.seq = entry.seq;
        }
        for d in &decisions {
            tx.insert_grouping_decision(d).await?;
        }
        self.commit(tx).await?;
        self.resolve().await?;
        Ok(decisions)
    }

    /// Moves a claim into the incident that holds `target`'s event (or, with
    /// `None`, back to where the machine placed it), then re-resolves. The
    /// claim itself is unchanged; the move is a row and a log entry of its own.
    pub async fn move_claim(
        &self,
        claim: &ClaimId,
        target: Option<&ClaimId>,
        reason: &str,
        actor: &str,
    ) -> Result<ClaimMove, AppError> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(AppError::Invalid("a move needs a reason (--reason)".into()));
        }
        let claims = self.effective_claims().await?;
        let find = |id: &ClaimId| claims.iter().find(|c| &c.id == id);
        let Some(current) = find(claim) else { return Err(AppError::NotFound(format!("claim {claim}"))) };
        if let Some(t) = target {
            let Some(to) = find(t) else { return Err(AppError::NotFound(format!("claim {t}"))) };
            let mut at = to;
            for _ in 0..=claims.len() {
                if at.id == *claim {
                    return Err(AppError::Invalid(format!("{t} is {claim} or was moved after it: a move in a circle")));
                }
                match at.moved.as_ref().and_then(|p| find(&p.to)) {
                    Some(next) => at = next,
                    None => break,
                }
            }
        } else if current.moved.is_none() {
            return Err(AppError::Invalid(format!("{claim} was never moved")));
        }
        let now = self.clock.now();
        let mut m = ClaimMove {
            seq: 0,
            claim: claim.clone(),
            target: target.cloned(),
            reason: reason.to_string(),
            actor: actor.to_string(),
            recorded_at: now.clone(),
        };
        let payload = json!({
            "claim": claim.as_str(),
            "source": current.source.as_str(),
            "kind": current.kind.as_str(),
            "to": target.map(|t| t.as_str()),
            "record_sha256": move_digest(&m, Encoding::V1).as_str(),
            "encoding": RECORD_ENCODING,
        });
        let mut tx = self.store.begin().await?;
        let entry = tx.append(&now, actor, LogAction::ClaimMoved, claim.as_str(), &payload.to_string()).await?;
        m.seq = entry.seq;
        tx.insert_claim_move(&m).await?;
        self.commit(tx).await?;
        self.resolve().await?;
        Ok(m)
    }

    /// Moves a claim into an incident: the incident's claims are tried in
    /// order for one that stays where it is (not itself moved).
    pub async fn move_claim_to_incident(
        &self,
        claim: &ClaimId,
        incident: &IncidentId,
        reason: &str,
        actor: &str,
    ) -> Result<ClaimMove, AppError> {
        let i =
            self.store.incident(incident).await?.ok_or_else(|| AppError::NotFound(format!("incident {incident}")))?;
        if i.claims.contains(claim) {
            return Err(AppError::Invalid(format!("{claim} is already in {incident}")));
        }
        let claims = self.effective_claims().await?;
        let target = i
            .claims
            .iter()
            .find(|id| claims.iter().any(|c| &c.id == *id && c.moved.is_none()))
            .ok_or_else(|| AppError::Invalid(format!("{incident} has no claim of its own to move into")))?;
        self.move_claim(claim, Some(target), reason, actor).await
    }

    /// Merges two incidents: their founding reports are decided together.
    pub async fn merge_incidents(
        &self,
        a: &IncidentId,
        b: &IncidentId,
        reason: &str,
        actor: &str,
    ) -> Result<(), AppError> {
        let (sa, sb) = (self.founding_source(a).await?, self.founding_source(b).await?);
        self.decide_grouping(GroupingAction::Together, &[(sa, sb)], reason, actor).await?;
        Ok(())
    }

    async fn founding_source(&self, id: &IncidentId) -> Result<SourceId, AppError> {
        let incident = self.store.incident(id).await?.ok_or_else(|| AppError::NotFound(format!("incident {id}")))?;
        incident.sources.first().cloned().ok_or_else(|| AppError::Invalid(format!("incident {id} has no source")))
    }

    /// Splits one source's report out of an incident: it is decided apart
    /// from every other source of the incident.
    pub async fn split_incident(
        &self,
        incident: &IncidentId,
        source: &SourceId,
        reason: &str,
        actor: &str,
    ) -> Result<(), AppError> {
        let i =
            self.store.incident(incident).await?.ok_or_else(|| AppError::NotFound(format!("incident {incident}")))?;
        if !i.sources.contains(source) {
            return Err(AppError::Invalid(format!("{source} is not a source of {incident}")));
        }
        let pairs: Vec<(SourceId, SourceId)> =
            i.sources.iter().filter(|s| *s != source).map(|other| (source.clone(), other.clone())).collect();
        self.decide_grouping(GroupingAction::Apart, &pairs, reason, actor).await?;
        Ok(())
    }

    /// The incident that holds a source's report now (after a decision re-resolved them).
    pub async fn incident_of(&self, source: &SourceId) -> Result<Option<IncidentId>, AppError> {
        Ok(self.store.incidents().await?.into_iter().find(|i| i.sources.contains(source)).map(|i| i.id))
    }

    /// Claims no reviewer has looked at yet (counts and perpetrators first).
    pub async fn review_queue(&self) -> Result<Vec<dossier_model::Claim>, AppError> {
        let claims = self.effective_claims().await?;
        let mut queue: Vec<_> = claims.into_iter().filter(|c| c.review.is_none()).collect();
        let rank = |k: ClaimKind| if ClaimKind::COUNTS.contains(&k) || k == ClaimKind::Perpetrator { 0 } else { 1 };
        queue.sort_by_key(|c| rank(c.kind));
        Ok(queue)
    }
}
