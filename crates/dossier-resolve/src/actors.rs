//! Actors across a collection: every perpetrator, commander and unit named,
//! under one key per actor (a short form counts as the fuller name its
//! report gave: "Maliki" as "Nouri Maliki"), with the names it is given,
//! the incidents attributed to it, and the command relations and orders
//! the reports state, each with its claim.

use std::collections::BTreeMap;

use dossier_model::{Claim, ClaimId, ClaimKind, ClaimStatus, ClaimValue, Incident, IncidentId, SourceId};

/// One actor and what the collection says of it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ActorSummary {
    /// Its key: the name in lower case without a leading "the".
    pub key: String,
    /// The name shown: the longest form given.
    pub name: String,
    /// Every form given (as stated), sorted.
    pub aliases: Vec<String>,
    /// `state_forces`, `armed_group`, `state`, `person` or `unknown`, as most often given.
    pub kind: String,
    /// Incidents that name it as a perpetrator (any status), in date order, with their titles.
    pub incidents: Vec<(IncidentId, String)>,
    /// Relations in which it commands or orders.
    pub gives: Vec<RelationEdge>,
    /// Relations in which it is commanded.
    pub receives: Vec<RelationEdge>,
}

/// A command relation or an order, as one claim states it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelationEdge {
    /// `commands` or `ordered`.
    pub relation: String,
    /// The commander or who ordered, as stated.
    pub from: String,
    /// Its actor key.
    pub from_key: String,
    /// The unit, or what was ordered, as stated.
    pub to: String,
    /// The unit's actor key (for `commands`).
    pub to_key: Option<String>,
    /// The claim.
    pub claim: ClaimId,
    /// Its source.
    pub source: SourceId,
    /// Its passage.
    pub text: String,
}

/// The key an actor is known by, as compared across reports: lower case,
/// without a leading article ("the army" and "Army" are one).
pub fn actor_key(name: &str) -> String {
    let lower = name.trim().to_lowercase();
    lower.strip_prefix("the ").unwrap_or(&lower).to_string()
}

/// Every actor the incidents and claims name, most incidents first, then by name.
/// Rejected claims are left out; incidents list their perpetrators already reviewed.
pub fn actors(incidents: &[Incident], claims: &[Claim]) -> Vec<ActorSummary> {
    let mut by_key: BTreeMap<String, ActorSummary> = BTreeMap::new();
    let mut kinds: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    let note = |by_key: &mut BTreeMap<String, ActorSummary>, key: &str, stated: &str| {
        let a = by_key
            .entry(key.to_string())
            .or_insert_with(|| ActorSummary { key: key.to_string(), ..Default::default() });
        if !a.aliases.iter().any(|x| x == stated) {
            a.aliases.push(stated.to_string());
        }
    };
    let mut ordered: Vec<&Incident> = incidents.iter().collect();
    ordered.sort_by_key(|i| (i.date.map(|d| d.start), i.id.to_string()));
    for i in ordered {
        for p in &i.perpetrators {
            let key = actor_key(p.refers_to.as_deref().unwrap_or(&p.name));
            note(&mut by_key, &key, &p.name);
            if let Some(full) = &p.refers_to {
                note(&mut by_key, &key, full);
            }
            *kinds.entry(key.clone()).or_default().entry(p.kind.clone()).or_default() += 1;
            let a = by_key.get_mut(&key).expect("noted");
            if !a.incidents.iter().any(|(id, _)| *id == i.id) {
                a.incidents.push((i.id.clone(), i.title.clone()));
            }
        }
    }
    for c in claims.iter().filter(|c| c.status != ClaimStatus::Rejected) {
        let ClaimValue::Relation { relation, from, to } = &c.value else { continue };
        if !matches!(c.kind, ClaimKind::Command | ClaimKind::Order) {
            continue;
        }
        let from_key = actor_key(from);
        let to_key = (relation == "commands").then(|| actor_key(to));
        let edge = RelationEdge {
            relation: relation.clone(),
            from: from.clone(),
            from_key: from_key.clone(),
            to: to.clone(),
            to_key: to_key.clone(),
            claim: c.id.clone(),
            source: c.source.clone(),
            text: c.text.clone(),
        };
        note(&mut by_key, &from_key, from);
        by_key.get_mut(&from_key).expect("noted").gives.push(edge.clone());
        if let Some(k) = &to_key {
            note(&mut by_key, k, to);
            by_key.get_mut(k).expect("noted").receives.push(edge);
        }
    }
    let mut out: Vec<ActorSummary> = by_key
        .into_values()
        .map(|mut a| {
            a.aliases.sort();
            a.name = a
                .aliases
                .iter()
                .max_by_key(|n| (n.len(), std::cmp::Reverse(n.to_string())))
                .cloned()
                .unwrap_or_default();
            a.kind = kinds
                .get(&a.key)
                .and_then(|k| k.iter().max_by_key(|(_, n)| **n).map(|(k, _)| k.clone()))
                .unwrap_or_else(|| {
                    if a.gives.iter().any(|e| e.relation == "commands") { "person" } else { "unknown" }.to_string()
                });
            a
        })
        .collect();
    out.sort_by(|a, b| b.incidents.len().cmp(&a.incidents.len()).then_with(|| a.key.cmp(&b.key)));
    out
}

/// Chains of command: each commander at the top (one no claim says is
/// commanded) with the units under it, depth first; cycles are cut.
pub fn command_chains(actors: &[ActorSummary]) -> Vec<(usize, String)> {
    let by_key: BTreeMap<&str, &ActorSummary> = actors.iter().map(|a| (a.key.as_str(), a)).collect();
    let commanded: std::collections::BTreeSet<&str> =
        actors.iter().flat_map(|a| a.gives.iter()).filter_map(|e| e.to_key.as_deref()).collect();
    let mut out = Vec::new();
    fn walk<'a>(
        key: &'a str,
        depth: usize,
        by_key: &BTreeMap<&str, &'a ActorSummary>,
        seen: &mut Vec<&'a str>,
        out: &mut Vec<(usize, String)>,
    ) {
        if seen.contains(&key) {
            return;
        }
        seen.push(key);
        out.push((depth, key.to_string()));
        if let Some(a) = by_key.get(key) {
            let mut under: Vec<&str> = a.gives.iter().filter_map(|e| e.to_key.as_deref()).collect();
            under.sort();
            under.dedup();
            for u in under {
                walk(u, depth + 1, by_key, seen, out);
            }
        }
        seen.pop();
    }
    for a in actors {
        let commands = a.gives.iter().any(|e| e.relation == "commands");
        if commands && !commanded.contains(a.key.as_str()) {
            walk(&a.key, 0, &by_key, &mut Vec::new(), &mut out);
        }
    }
    out
}
