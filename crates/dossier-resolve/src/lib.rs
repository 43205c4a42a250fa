//! From claims to incidents: group each source's report of an event with the
//! reports of other sources, keep every figure side by side, grade corroboration.
//!
//! Invariants: pure and deterministic; the output depends only on the input
//! sources and claims, not on their order. This is the first pass of the
//! grouping described in ARCHITECTURE.md; it groups on date and place.

use std::collections::{BTreeMap, HashMap};

use dossier_model::{
    Anchor, Claim, ClaimKind, ClaimMove, ClaimPlacement, ClaimReview, ClaimStatus, ClaimValue, DateValue, Evidence,
    Figure, FigureEntry, Grade, GroupingAction, GroupingDecision, Incident, IncidentId, JoinReason, PerpetratorEntry,
    PlaceRef, Precision, Review, ReviewAction, Source, SourceType,
};

/// One source and its claims, as resolution sees them.
#[derive(Debug, Clone, Copy)]
pub struct Report<'a> {
    /// The source.
    pub source: &'a Source,
    /// Its claims.
    pub claims: &'a [Claim],
}

/// What one report says about the event it describes.
struct Candidate<'a> {
    report: Report<'a>,
    /// Which event of the report (0: the one it is about).
    frame: u32,
    date: Option<DateValue>,
    place: Option<PlaceRef>,
}

impl Candidate<'_> {
    fn key(&self) -> Key<'_> {
        Key { source: self.report.source.id.as_str(), date: self.date, place: self.place.as_ref() }
    }

    fn live_claims(&self) -> impl Iterator<Item = &Claim> {
        self.report.claims.iter().filter(move |c| counts(c) && c.moved.is_none() && c.frame == self.frame)
    }
}

/// Whether a claim counts at all (a rejected one does not).
fn counts(c: &Claim) -> bool {
    c.status != ClaimStatus::Rejected
}

/// Applies the latest move of each claim: `moved` says which incident a
/// reviewer placed it in (a move back clears it).
pub fn apply_moves(claims: &mut [Claim], moves: &[ClaimMove]) {
    let mut latest: HashMap<&str, &ClaimMove> = HashMap::new();
    for m in moves {
        if latest.get(m.claim.as_str()).is_none_or(|l| l.seq < m.seq) {
            latest.insert(m.claim.as_str(), m);
        }
    }
    for c in claims.iter_mut() {
        let Some(m) = latest.get(c.id.as_str()) else { continue };
        c.moved = m.target.as_ref().map(|to| ClaimPlacement {
            to: to.clone(),
            actor: m.actor.clone(),
            recorded_at: m.recorded_at.clone(),
            reason: m.reason.clone(),
            seq: m.seq,
        });
    }
}

/// Applies the latest review of each claim: its status, an edited value (the
/// machine's kept as `original`), and who decided, when and why.
pub fn apply_reviews(claims: &mut [Claim], reviews: &[Review]) {
    let mut latest: HashMap<&str, &Review> = HashMap::new();
    for r in reviews {
        if latest.get(r.claim.as_str()).is_none_or(|l| l.seq < r.seq) {
            latest.insert(r.claim.as_str(), r);
        }
    }
    for c in claims.iter_mut() {
        let Some(r) = latest.get(c.id.as_str()) else { continue };
        let original = match (&r.action, &r.value) {
            (ReviewAction::Edit, Some(v)) => Some(std::mem::replace(&mut c.value, v.clone())),
            _ => None,
        };
        c.status = r.action.status();
        c.review = Some(ClaimReview {
            action: r.action.as_str().to_string(),
            actor: r.actor.clone(),
            recorded_at: r.recorded_at.clone(),
            reason: r.reason.clone(),
            seq: r.seq,
            original,
        });
    }
}

/// The latest grouping decision for each pair of sources.
struct Decisions<'d> {
    latest: HashMap<(&'d str, &'d str), &'d GroupingDecision>,
    sources: std::collections::HashSet<&'d str>,
}

impl<'d> Decisions<'d> {
    fn new(decisions: &'d [GroupingDecision]) -> Self {
        let mut latest: HashMap<(&str, &str), &GroupingDecision> = HashMap::new();
        for d in decisions {
            let key = Self::key(d.a.as_str(), d.b.as_str());
            if latest.get(&key).is_none_or(|l| (l.seq, l.ordinal) < (d.seq, d.ordinal)) {
                latest.insert(key, d);
            }
        }
        let sources = decisions.iter().flat_map(|d| [d.a.as_str(), d.b.as_str()]).collect();
        Decisions { latest, sources }
    }

    fn key<'a>(a: &'a str, b: &'a str) -> (&'a str, &'a str) {
        if a <= b {
            (a, b)
        } else {
            (b, a)
        }
    }

    fn get(&self, a: &Candidate<'_>, b: &Candidate<'_>) -> Option<&'d GroupingDecision> {
        self.latest.get(&Self::key(a.report.source.id.as_str(), b.report.source.id.as_str())).copied()
    }

    fn together(&self, a: &Candidate<'_>, b: &Candidate<'_>) -> Option<&'d GroupingDecision> {
        self.get(a, b).filter(|d| d.action == GroupingAction::Together)
    }

    /// Whether any decision names this report's source.
    fn involves(&self, c: &Candidate<'_>) -> bool {
        self.sources.contains(c.report.source.id.as_str())
    }

    fn apart(&self, a: &Candidate<'_>, b: &Candidate<'_>) -> bool {
        self.get(a, b).is_some_and(|d| d.action == GroupingAction::Apart)
    }
}

/// Groups reports into incidents, honouring every reviewer's grouping
/// decision: reports decided together are one incident, reports decided
/// apart never are.
pub fn resolve(reports: &[Report<'_>], decisions: &[GroupingDecision]) -> Vec<Incident> {
    resolve_only(reports, decisions, |_, _| true)
}

/// [`resolve`], over only the events `keep` selects (a source and a frame).
pub fn resolve_only(
    reports: &[Report<'_>],
    decisions: &[GroupingDecision],
    keep: impl Fn(&dossier_model::SourceId, u32) -> bool,
) -> Vec<Incident> {
    let decisions = Decisions::new(decisions);
    let mut candidates: Vec<Candidate<'_>> =
        reports.iter().flat_map(|r| candidates_of(*r)).filter(|c| keep(&c.report.source.id, c.frame)).collect();
    candidates.sort_by(|a, b| {
        (&a.report.source.ingested_at, &a.report.source.id, a.frame).cmp(&(
            &b.report.source.ingested_at,
            &b.report.source.id,
            b.frame,
        ))
    });
    // Each group: its members, and for each member the one it was matched with.
    let mut groups: Vec<Vec<(usize, Option<usize>)>> = Vec::new();
    // Each group's most specific report: a new report is compared with it, so
    // that a vague member (a country, a month) never turns its group into a sink.
    let mut representative: Vec<usize> = Vec::new();
    let mut group_of: Vec<usize> = Vec::with_capacity(candidates.len());
    // Each group's event types and actors so far: among equally close groups,
    // one that shares them with a new report is preferred.
    let mut traits: Vec<Traits> = Vec::new();
    let mut index = PlaceIndex::default();
    for i in 0..candidates.len() {
        let c = &candidates[i];
        let own = Traits::of(c);
        let forced = decisions
            .involves(c)
            .then(|| (0..i).find(|&j| decisions.together(c, &candidates[j]).is_some()).map(|j| (group_of[j], j)));
        let automatic = || {
            let mut seen = std::collections::HashSet::new();
            index
                .lookup(c)
                .into_iter()
                .map(|j| group_of[j])
                .filter(|&g| seen.insert(g))
                .filter(|&g| same_event(c, &candidates[representative[g]]))
                .filter(|&g| {
                    !decisions.involves(c) || !groups[g].iter().any(|&(k, _)| decisions.apart(c, &candidates[k]))
                })
                .max_by_key(|&g| {
                    let shared = own.shares(&traits[g]);
                    (closeness(c, &candidates[representative[g]]), shared, std::cmp::Reverse(g))
                })
                .map(|g| (g, representative[g]))
        };
        let g = match forced.flatten().or_else(automatic) {
            Some((g, j)) => {
                groups[g].push((i, Some(j)));
                traits[g].extend(own);
                if specificity(c) < specificity(&candidates[representative[g]]) {
                    representative[g] = i;
                }
                g
            }
            None => {
                groups.push(vec![(i, None)]);
                representative.push(i);
                traits.push(own);
                groups.len() - 1
            }
        };
        group_of.push(g);
        index.insert(c, i);
    }
    // Reports decided together that landed in different groups: join the groups
    // (only groups holding a report some decision names can be concerned).
    let concerned = |g: &Vec<(usize, Option<usize>)>| g.iter().any(|&(i, _)| decisions.involves(&candidates[i]));
    while let Some((g, h)) = (0..groups.len()).filter(|&g| concerned(&groups[g])).find_map(|g| {
        (g + 1..groups.len()).filter(|&h| concerned(&groups[h])).find_map(|h| {
            let linked = groups[g].iter().any(|&(i, _)| {
                groups[h].iter().any(|&(j, _)| decisions.together(&candidates[i], &candidates[j]).is_some())
            });
            linked.then_some((g, h))
        })
    }) {
        let moved = groups.remove(h);
        let anchor = groups[g][0].0;
        groups[g].extend(moved.into_iter().enumerate().map(|(k, (i, m))| (i, if k == 0 { Some(anchor) } else { m })));
    }
    let moved_in = moved_claims(reports, &candidates, &groups);
    let mut incidents: Vec<Incident> = groups
        .iter()
        .enumerate()
        .map(|(gi, g)| {
            let members: Vec<&Candidate<'_>> = g.iter().map(|&(i, _)| &candidates[i]).collect();
            let why: Vec<JoinReason> = g
                .iter()
                .map(|&(i, j)| {
                    let mut reason = join_reason(&candidates[i], j.map(|j| &candidates[j]));
                    if let Some(d) = j.and_then(|j| decisions.together(&candidates[i], &candidates[j])) {
                        reason.evidence.insert(
                            0,
                            Evidence {
                                signal: "reviewer".into(),
                                detail: format!("decided together by {} at {}: {}", d.actor, d.recorded_at, d.reason),
                                weight: 1.0,
                            },
                        );
                    }
                    reason
                })
                .collect();
            let why: Vec<JoinReason> = why
                .into_iter()
                .chain(moved_in[gi].iter().filter_map(|(s, c)| {
                    let p = c.moved.as_ref()?;
                    Some(JoinReason {
                        source: s.id.clone(),
                        matched: None,
                        evidence: vec![Evidence {
                            signal: "moved".into(),
                            detail: format!(
                                "claim {} ({}) moved here by {} at {}: {}",
                                c.id,
                                c.kind.as_str(),
                                p.actor,
                                p.recorded_at,
                                p.reason
                            ),
                            weight: 1.0,
                        }],
                    })
                }))
                .collect();
            let rep = g.iter().map(|&(i, _)| i).min_by_key(|&i| (specificity(&candidates[i]), i)).unwrap_or(g[0].0);
            let (founder, rep) = (&candidates[g[0].0], &candidates[rep]);
            let anchor = Anchor {
                source: rep.report.source.id.clone(),
                date: rep.date,
                place: rep.place.clone(),
                founded: format!("{}|{:04}", order_key(founder.report.source), founder.frame),
            };
            Incident { why, anchor: Some(anchor), ..incident(&members, &moved_in[gi]) }
        })
        .collect();
    incidents.sort_by(|a, b| (a.date.map(|d| d.start), &a.id).cmp(&(b.date.map(|d| d.start), &b.id)));
    incidents
}

/// For each group, the claims reviewers moved into it: a moved claim joins
/// the group of its target's event (through a chain of moves, if the target
/// was moved too); one whose target is in no group counts nowhere.
fn moved_claims<'a>(
    reports: &[Report<'a>],
    candidates: &[Candidate<'a>],
    groups: &[Vec<(usize, Option<usize>)>],
) -> Vec<Vec<(&'a Source, &'a Claim)>> {
    let mut out = vec![Vec::new(); groups.len()];
    let moved: Vec<(&'a Source, &'a Claim)> = reports
        .iter()
        .flat_map(|r| r.claims.iter().filter(|c| c.moved.is_some() && counts(c)).map(move |c| (r.source, c)))
        .collect();
    if moved.is_empty() {
        return out;
    }
    let mut group_of_event: HashMap<(&str, u32), usize> = HashMap::new();
    for (g, members) in groups.iter().enumerate() {
        for &(i, _) in members {
            group_of_event.insert((candidates[i].report.source.id.as_str(), candidates[i].frame), g);
        }
    }
    let by_id: HashMap<&str, &Claim> =
        reports.iter().flat_map(|r| r.claims.iter()).map(|c| (c.id.as_str(), c)).collect();
    for (source, claim) in moved {
        let mut at = claim;
        // Follow moves to a claim that stays where it is (a cycle counts nowhere).
        for _ in 0..=by_id.len().min(64) {
            match at.moved.as_ref() {
                Some(p) => match by_id.get(p.to.as_str()) {
                    Some(next) => at = next,
                    None => break,
                },
                None => break,
            }
        }
        if at.moved.is_none() {
            if let Some(&g) = group_of_event.get(&(at.source.as_str(), at.frame)) {
                out[g].push((source, claim));
            }
        }
    }
    out
}

/// Reports indexed by the names their places answer to, so that a new report
/// is compared only with reports whose places can be compatible with its own.
#[derive(Default)]
struct PlaceIndex {
    /// Reports by their place's name.
    by_name: HashMap<String, Vec<usize>>,
    /// Reports by the region and country their place lies in.
    by_parent: HashMap<String, Vec<usize>>,
    /// Reports without a place, by their (single-day) date.
    by_day: HashMap<chrono::NaiveDate, Vec<usize>>,
}

fn key(s: &str) -> String {
    s.to_lowercase()
}

impl PlaceIndex {
    fn insert(&mut self, c: &Candidate<'_>, i: usize) {
        match (&c.place, c.date) {
            (Some(p), _) => {
                self.by_name.entry(key(&p.name)).or_default().push(i);
                for parent in [&p.admin1, &p.country].into_iter().flatten() {
                    self.by_parent.entry(key(parent)).or_default().push(i);
                }
            }
            (None, Some(d)) if d.start == d.end => self.by_day.entry(d.start).or_default().push(i),
            _ => {}
        }
    }

    /// Every indexed report whose place may be compatible with `c`'s (maybe twice).
    fn lookup(&self, c: &Candidate<'_>) -> Vec<usize> {
        let mut out = Vec::new();
        match (&c.place, c.date) {
            (Some(p), _) => {
                for n in [Some(&p.name), p.admin1.as_ref(), p.country.as_ref()].into_iter().flatten() {
                    out.extend(self.by_name.get(&key(n)).into_iter().flatten());
                }
                out.extend(self.by_parent.get(&key(&p.name)).into_iter().flatten());
            }
            (None, Some(d)) => out.extend(self.by_day.get(&d.start).into_iter().flatten()),
            _ => {}
        }
        out
    }
}

/// A report's events: the one it is about (frame 0), the earlier ones it
/// mentions with their own dates, and separate ones it tells; an event
/// without a place or a date of its own takes the report's.
fn candidates_of(report: Report<'_>) -> Vec<Candidate<'_>> {
    let live = || report.claims.iter().filter(|c| counts(c) && c.moved.is_none());
    let mut frames: Vec<u32> = live().map(|c| c.frame).collect();
    frames.sort_unstable();
    frames.dedup();
    let date_of = |f: u32| {
        live().filter(|c| c.frame == f).find_map(|c| match (&c.kind, &c.value) {
            (ClaimKind::IncidentDate, ClaimValue::Date(d)) => Some(*d),
            _ => None,
        })
    };
    let place_of = |f: u32| {
        live().filter(|c| c.frame == f).find_map(|c| match (&c.kind, &c.value) {
            (ClaimKind::IncidentPlace, ClaimValue::Place(p)) => Some(p.clone()),
            _ => None,
        })
    };
    frames
        .into_iter()
        .filter_map(|frame| {
            let date = date_of(frame).or_else(|| (frame > 0).then(|| date_of(0)).flatten());
            let place = place_of(frame).or_else(|| (frame > 0).then(|| place_of(0)).flatten());
            let has_toll = live().any(|c| c.frame == frame && ClaimKind::COUNTS.contains(&c.kind));
            (has_toll || date.is_some()).then_some(Candidate { report, frame, date, place })
        })
        .collect()
}

fn candidate(report: Report<'_>, frame: u32) -> Option<Candidate<'_>> {
    candidates_of(report).into_iter().find(|c| c.frame == frame)
}

/// Whether two places can be the same location: the same name, or one lies within the other.
fn places_compatible(a: &PlaceRef, b: &PlaceRef) -> bool {
    let same = |x: Option<&String>, y: &str| x.is_some_and(|x| x.eq_ignore_ascii_case(y));
    let within = |inner: &PlaceRef, outer: &PlaceRef| {
        same(inner.admin1.as_ref(), &outer.name) || same(inner.country.as_ref(), &outer.name)
    };
    a.name.eq_ignore_ascii_case(&b.name) || within(a, b) || within(b, a)
}

/// The key that orders reports: ingestion time, then source id.
pub fn order_key(s: &Source) -> String {
    format!("{}|{}", s.ingested_at, s.id)
}

/// For an event (`frame`) of a report ingested after every other, the incident it joins among
/// `near` (the incidents near it), exactly as [`resolve`] would choose: the
/// closest compatible anchor, then one sharing an event type or an actor,
/// then the earliest-founded. `None`: it founds an incident of its own (or is no incident's).
pub fn best_match(report: Report<'_>, frame: u32, near: &[&Incident]) -> Option<usize> {
    let c = candidate(report, frame)?;
    let own = Traits::of(&c);
    near.iter()
        .enumerate()
        .filter_map(|(k, i)| {
            let a = i.anchor.as_ref()?;
            let rep = Key { source: a.source.as_str(), date: a.date, place: a.place.as_ref() };
            let shared = own.shares(&Traits::of_incident(i));
            same_event_keys(&c.key(), &rep)
                .then(|| ((closeness_keys(&c.key(), &rep), shared), std::cmp::Reverse(&a.founded), k))
        })
        .max_by(|x, y| (x.0, &x.1).cmp(&(y.0, &y.1)))
        .map(|(_, _, k)| k)
}

/// What reports say of an event besides its date and place: its event types
/// and the actors named (by [`actor_key`]).
#[derive(Default)]
struct Traits {
    types: std::collections::BTreeSet<String>,
    actors: std::collections::BTreeSet<String>,
}

impl Traits {
    fn of(c: &Candidate<'_>) -> Traits {
        let mut t = Traits::default();
        for cl in c.live_claims() {
            match &cl.value {
                ClaimValue::EventType { term } => {
                    t.types.insert(term.clone());
                }
                ClaimValue::Actor { name, refers_to, .. } => {
                    t.actors.insert(actor_key(refers_to.as_deref().unwrap_or(name)));
                }
                _ => {}
            }
        }
        t
    }

    fn of_incident(i: &Incident) -> Traits {
        Traits {
            types: i.types.iter().cloned().collect(),
            actors: i.perpetrators.iter().map(|p| actor_key(&p.name)).collect(),
        }
    }

    fn extend(&mut self, other: Traits) {
        self.types.extend(other.types);
        self.actors.extend(other.actors);
    }

    fn shares(&self, other: &Traits) -> bool {
        self.types.intersection(&other.types).next().is_some()
            || self.actors.intersection(&other.actors).next().is_some()
    }
}

/// The date and place resolution reads for one event (frame) of a report
/// (an earlier event without a place of its own takes the report's), or
/// `None` when that event can found or join no incident.
pub fn event_date_place(report: Report<'_>, frame: u32) -> Option<(Option<DateValue>, Option<PlaceRef>)> {
    candidate(report, frame).map(|c| (c.date, c.place))
}

/// The events (frames) of a report that can found or join an incident (each
/// gives a date or a count), in order.
pub fn incident_frames(report: Report<'_>) -> Vec<u32> {
    candidates_of(report).into_iter().map(|c| c.frame).collect()
}

/// What matching compares of a report.
struct Key<'a> {
    source: &'a str,
    date: Option<DateValue>,
    place: Option<&'a PlaceRef>,
}

/// Whether two dates can be the same event's: they overlap, or (both given to
/// the day) lie within a day of each other — reports often date an event by
/// the day it ended, or by another time zone's calendar.
fn dates_near(a: &DateValue, b: &DateValue) -> bool {
    let day = chrono::Duration::days(1);
    let precise = |d: &DateValue| matches!(d.precision, Precision::Day | Precision::Range);
    a.overlaps(b) || precise(a) && precise(b) && a.start - day <= b.end && b.start - day <= a.end
}

/// How specific a report is: its place's level (site or town, region,
/// country) and its date's width in days; smaller is more specific.
fn specificity(c: &Candidate<'_>) -> (u8, i64) {
    let level = match &c.place {
        Some(p) if p.admin1.is_some() => 0,
        Some(p) if p.country.is_some() => 1,
        Some(_) => 2,
        None => 3,
    };
    (level, c.date.map_or(i64::MAX, |d| (d.end - d.start).num_days()))
}

/// How closely two compatible reports agree: the same place name and the
/// same dates score higher than one place within the other or overlapping dates.
fn closeness(a: &Candidate<'_>, b: &Candidate<'_>) -> u8 {
    closeness_keys(&a.key(), &b.key())
}

fn closeness_keys(a: &Key<'_>, b: &Key<'_>) -> u8 {
    let same_place = matches!((a.place, b.place), (Some(x), Some(y)) if x.name.eq_ignore_ascii_case(&y.name));
    let same_date = a.date.is_some() && a.date == b.date;
    u8::from(same_place) * 2 + u8::from(same_date)
}

fn same_event(a: &Candidate<'_>, b: &Candidate<'_>) -> bool {
    same_event_keys(&a.key(), &b.key())
}

fn same_event_keys(a: &Key<'_>, b: &Key<'_>) -> bool {
    if a.source == b.source {
        return false;
    }
    let (Some(da), Some(db)) = (a.date, b.date) else {
        return false;
    };
    if !dates_near(&da, &db) {
        return false;
    }
    match (a.place, b.place) {
        (Some(pa), Some(pb)) => places_compatible(pa, pb),
        (None, None) => da == db && da.start == da.end,
        _ => false,
    }
}

/// The evidence for grouping `c` with `matched` (or for founding an incident).
fn join_reason(c: &Candidate<'_>, matched: Option<&Candidate<'_>>) -> JoinReason {
    let mut evidence = Vec::new();
    let fmt_date = |d: &DateValue| {
        if d.start == d.end {
            format!("{} ({})", d.start, d.precision.as_str())
        } else {
            format!("{}..{} ({})", d.start, d.end, d.precision.as_str())
        }
    };
    match (c.date, matched.and_then(|m| m.date)) {
        (Some(a), Some(b)) => {
            let (weight, relation) = if a == b && a.start == a.end {
                (1.0, "is the same day as")
            } else if a.overlaps(&b) {
                (0.6, "overlaps")
            } else {
                (0.4, "is within a day of")
            };
            evidence.push(Evidence {
                signal: "date".into(),
                detail: format!("{} {relation} {}", fmt_date(&a), fmt_date(&b)),
                weight,
            });
        }
        (Some(a), None) => evidence.push(Evidence {
            signal: "date".into(),
            detail: format!("reported as {}", fmt_date(&a)),
            weight: 1.0,
        }),
        _ => {}
    }
    match (&c.place, matched.and_then(|m| m.place.as_ref())) {
        (Some(a), Some(b)) if a.name == b.name => {
            evidence.push(Evidence { signal: "place".into(), detail: format!("both name {}", a.name), weight: 1.0 })
        }
        (Some(a), Some(b)) => evidence.push(Evidence {
            signal: "place".into(),
            detail: format!("{} and {} lie one within the other", a.name, b.name),
            weight: 0.7,
        }),
        (Some(a), None) => {
            evidence.push(Evidence { signal: "place".into(), detail: format!("reported at {}", a.name), weight: 1.0 })
        }
        _ => {}
    }
    if let Some(m) = matched {
        let types = |x: &Candidate<'_>| -> Vec<String> {
            x.live_claims()
                .filter_map(|cl| match &cl.value {
                    ClaimValue::EventType { term } => Some(term.clone()),
                    _ => None,
                })
                .collect()
        };
        let theirs = types(m);
        let shared: Vec<String> = types(c).into_iter().filter(|t| theirs.contains(t)).collect();
        if !shared.is_empty() {
            evidence.push(Evidence {
                signal: "event type".into(),
                detail: format!("both: {}", shared.join(", ")),
                weight: 0.3,
            });
        }
        let actors = |x: &Candidate<'_>| -> Vec<String> {
            x.live_claims()
                .filter_map(|cl| match &cl.value {
                    ClaimValue::Actor { name, refers_to, .. } => Some(actor_key(refers_to.as_deref().unwrap_or(name))),
                    _ => None,
                })
                .collect()
        };
        let theirs = actors(m);
        let mut shared: Vec<String> = actors(c).into_iter().filter(|a| theirs.contains(a)).collect();
        shared.dedup();
        if !shared.is_empty() {
            evidence.push(Evidence {
                signal: "actors".into(),
                detail: format!("both name {}", shared.join(", ")),
                weight: 0.3,
            });
        }
        let similarity = text_similarity(c, m);
        if similarity > 0.0 {
            evidence.push(Evidence {
                signal: "similarity".into(),
                detail: format!(
                    "{:.0}% of the words of the passages that tell the event are shared",
                    similarity * 100.0
                ),
                weight: (similarity * 0.5 * 100.0).round() / 100.0,
            });
        }
    }
    JoinReason { source: c.report.source.id.clone(), matched: matched.map(|m| m.report.source.id.clone()), evidence }
}

/// How alike the passages that tell two reports' events are: the Jaccard
/// index of the content words (four letters or more) of their claims' sentences.
fn text_similarity(a: &Candidate<'_>, b: &Candidate<'_>) -> f64 {
    fn words(c: &Candidate<'_>) -> std::collections::BTreeSet<String> {
        let body = &c.report.source.body;
        let mut sentences: Vec<dossier_model::Span> = c.live_claims().map(|cl| cl.sentence).collect();
        sentences.sort_by_key(|s| (s.start, s.end));
        sentences.dedup();
        sentences
            .iter()
            .filter_map(|s| s.slice(body))
            .flat_map(|t| t.split(|ch: char| !ch.is_alphanumeric()))
            .filter(|w| w.chars().count() >= 4)
            .map(str::to_lowercase)
            .collect()
    }
    let (x, y) = (words(a), words(b));
    let union = x.union(&y).count();
    if union == 0 {
        return 0.0;
    }
    x.intersection(&y).count() as f64 / union as f64
}

fn figure(claims: &[&Claim], kinds: &[ClaimKind], attackers: bool) -> Figure {
    let entries = claims
        .iter()
        .filter(|c| kinds.contains(&c.kind))
        .filter_map(|c| {
            let count = c.count().filter(|n| n.attackers == attackers)?;
            Some(FigureEntry {
                claim: c.id.clone(),
                source: c.source.clone(),
                min: count.min,
                max: count.max,
                qualifier: count.qualifier.clone(),
                according_to: c.according_to.clone(),
                text: c.text.clone(),
                span: c.span,
            })
        })
        .collect();
    Figure::from_entries(entries)
}

/// The value most members give; ties go to the first member.
fn consensus<T: Clone + PartialEq>(values: Vec<T>) -> Option<T> {
    let mut best: Option<(usize, &T)> = None;
    for v in &values {
        let n = values.iter().filter(|w| *w == v).count();
        if best.is_none_or(|(m, _)| n > m) {
            best = Some((n, v));
        }
    }
    best.map(|(_, v)| v.clone())
}

/// One incident from its members' events and the claims moved into it.
fn incident(members: &[&Candidate<'_>], moved_in: &[(&Source, &Claim)]) -> Incident {
    let all: Vec<&Claim> =
        members.iter().flat_map(|m| m.live_claims()).chain(moved_in.iter().map(|(_, c)| *c)).collect();
    let mut sources: Vec<&Source> = members.iter().map(|m| m.report.source).collect();
    for (s, _) in moved_in {
        if !sources.iter().any(|t| t.id == s.id) {
            sources.push(s);
        }
    }
    let dates: Vec<DateValue> = members.iter().filter_map(|m| m.date).collect();
    let finest = dates.iter().map(|d| (d.end - d.start).num_days()).min();
    let date = consensus(dates.iter().copied().filter(|d| Some((d.end - d.start).num_days()) == finest).collect());
    let places: Vec<PlaceRef> = members.iter().filter_map(|m| m.place.clone()).collect();
    let place = consensus(places);
    let mut types: Vec<String> = Vec::new();
    for c in &all {
        if let ClaimValue::EventType { term } = &c.value {
            if !types.contains(term) {
                types.push(term.clone());
            }
        }
    }
    let killed = figure(&all, &[ClaimKind::Killed], false);
    let injured = figure(&all, &[ClaimKind::Injured], false);
    let missing = figure(&all, &[ClaimKind::Missing], false);
    let detained = figure(&all, &[ClaimKind::Detained], false);
    let displaced = figure(&all, &[ClaimKind::Displaced], false);
    let attacker_casualties = figure(&all, &[ClaimKind::Killed, ClaimKind::Injured], true);
    let perpetrators = all
        .iter()
        .filter_map(|c| match &c.value {
            ClaimValue::Actor { name, actor_kind, status, refers_to } => Some(PerpetratorEntry {
                name: name.clone(),
                kind: actor_kind.clone(),
                status: status.clone(),
                refers_to: refers_to.clone(),
                source: c.source.clone(),
                claim: c.id.clone(),
                according_to: c.according_to.clone(),
                text: c.text.clone(),
                span: c.span,
            }),
            _ => None,
        })
        .fold(Vec::<PerpetratorEntry>::new(), |mut seen, p| {
            let same = |q: &PerpetratorEntry| {
                q.source == p.source && q.status == p.status && q.name.to_lowercase() == p.name.to_lowercase()
            };
            if !seen.iter().any(same) {
                seen.push(p);
            }
            seen
        });
    let grade = grade(&sources, &killed, &perpetrators);
    let sources: Vec<_> = sources.iter().map(|s| s.id.clone()).collect();
    let claims: Vec<_> = all.iter().map(|c| c.id.clone()).collect();
    let founder = members[0]
        .live_claims()
        .map(|c| c.id.to_string())
        .min()
        .unwrap_or_else(|| format!("{}#{}", members[0].report.source.id, members[0].frame));
    let title = title(&types, place.as_ref(), date.as_ref());
    Incident {
        id: IncidentId::derive(&[founder.as_str()]),
        title,
        types,
        date,
        place,
        killed,
        injured,
        missing,
        detained,
        displaced,
        attacker_casualties,
        perpetrators,
        sources,
        claims,
        grade,
        why: Vec::new(),
        anchor: None,
    }
}

fn title(types: &[String], place: Option<&PlaceRef>, date: Option<&DateValue>) -> String {
    let kind = types.first().map_or("Incident".to_string(), |t| {
        let mut c = t.chars();
        c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
    });
    let at = place.map(|p| format!(" at {}", p.name)).unwrap_or_default();
    let on = date.map(|d| format!(", {}", d.start)).unwrap_or_default();
    format!("{kind}{at}{on}")
}

/// Sources whose texts are republications of one another (most of their
/// eight-word shingles shared) speak with one voice: each source maps to the
/// earliest source it republishes.
fn republication_voices(sources: &[&Source]) -> HashMap<String, String> {
    fn shingles(body: &str) -> std::collections::HashSet<u64> {
        use std::hash::{Hash, Hasher};
        let words: Vec<String> = body.split_whitespace().map(|w| w.to_lowercase()).collect();
        words
            .windows(8)
            .map(|w| {
                let mut h = std::collections::hash_map::DefaultHasher::new();
                w.hash(&mut h);
                h.finish()
            })
            .collect()
    }
    let sets: Vec<_> = sources.iter().map(|s| shingles(&s.body)).collect();
    let mut voice: HashMap<String, String> = HashMap::new();
    for (i, s) in sources.iter().enumerate() {
        let own = s.id.to_string();
        let earlier = (0..i).find(|&j| {
            let (a, b) = (&sets[i], &sets[j]);
            let shared = a.intersection(b).count();
            let smaller = a.len().min(b.len());
            smaller >= 5 && shared * 10 >= smaller * 8
        });
        let v = earlier.map_or(own.clone(), |j| voice[sources[j].id.as_str()].clone());
        voice.insert(own, v);
    }
    voice
}

/// The grading rule (documented in ARCHITECTURE.md and shown with each grade):
///
/// - A *voice* is a source, or the party a source quotes for a figure ("police
///   said"); republications of one text are one voice, and one party quoted
///   by several sources is one voice.
/// - `contested`: one voice denies the deaths others report (a denial beside
///   a positive toll), or a perpetrator's role is denied or counter-claimed.
/// - `single_source`: one independent source.
/// - `weak`: several sources, all of one type (all news, all advocacy…).
/// - `confirmed`: two independent voices from sources of different types
///   give the same killed figure, or a perpetrator claims responsibility.
/// - `fair`: otherwise.
fn grade(sources: &[&Source], killed: &Figure, perpetrators: &[PerpetratorEntry]) -> Grade {
    let republished = republication_voices(sources);
    let independent: std::collections::BTreeSet<&String> = republished.values().collect();
    let denial = killed.by_source.iter().any(|e| e.qualifier == "denial");
    let reported = killed.by_source.iter().any(|e| e.min.is_some_and(|m| m > 0) || e.max.is_some_and(|m| m > 0));
    let disputed_role = perpetrators.iter().any(|p| p.status == "denied" || p.status.contains("counter"));
    if denial && reported || disputed_role && independent.len() > 1 {
        return Grade::Contested;
    }
    if independent.len() == 1 {
        return Grade::SingleSource;
    }
    let type_of: BTreeMap<&str, SourceType> = sources.iter().map(|s| (s.id.as_str(), s.meta.source_type)).collect();
    let kinds: std::collections::BTreeSet<SourceType> = type_of.values().copied().collect();
    if kinds.len() < 2 {
        return Grade::Weak;
    }
    let voice_of = |e: &FigureEntry| match &e.according_to {
        dossier_model::Attribution::Party(p) => format!("party:{}", p.to_lowercase()),
        dossier_model::Attribution::Source => format!("source:{}", republished[e.source.as_str()]),
    };
    let agree = killed.by_source.iter().any(|a| {
        killed.by_source.iter().any(|b| {
            type_of.get(a.source.as_str()) != type_of.get(b.source.as_str())
                && voice_of(a) != voice_of(b)
                && a.min.is_some()
                && (a.min, a.max) == (b.min, b.max)
        })
    });
    let claimed = perpetrators.iter().any(|p| p.status == "claimed responsibility");
    if agree || claimed {
        Grade::Confirmed
    } else {
        Grade::Fair
    }
}

mod actors;
/// The resolver's version, recorded with every incident projection it makes.
/// Bumped whenever grouping, figures or grades can change for some input (a
/// test pins the digest of its output over the shared dev reports to this name).
pub const VERSION: &str = "dossier-resolve/1";

pub use actors::{actor_key, actors, command_chains, ActorSummary, RelationEdge};

#[cfg(test)]
mod tests;
