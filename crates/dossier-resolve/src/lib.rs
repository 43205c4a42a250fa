//! From claims to incidents: group each source's report of an event with the
//! reports of other sources, keep every figure side by side, grade corroboration.
//!
//! Invariants: pure and deterministic; the output depends only on the input
//! sources and claims, not on their order. This is the first pass of the
//! grouping described in ARCHITECTURE.md; it groups on date and place.

use std::collections::{BTreeMap, HashMap};

use chrono::Datelike as _;
use linkage::{Site, Traits};

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
    // Each group's event types, actors and figures so far (linkage weighs them).
    let mut traits: Vec<Traits> = Vec::new();
    // The weighed evidence each member was joined on.
    let mut evidence: Vec<Vec<Evidence>> = Vec::with_capacity(candidates.len());
    let mut names: Vec<Vec<String>> = Vec::with_capacity(candidates.len());
    let mut index = BlockIndex::default();
    for i in 0..candidates.len() {
        let c = &candidates[i];
        let own = traits_of(c);
        names.push(own.names.clone());
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
                .filter(|&g| {
                    !decisions.involves(c) || !groups[g].iter().any(|&(k, _)| decisions.apart(c, &candidates[k]))
                })
                .filter_map(|g| {
                    let rep = &candidates[representative[g]];
                    link(c.key(), rep.key(), &own, &traits[g]).map(|(score, ev)| (score, std::cmp::Reverse(g), ev))
                })
                .max_by(|x, y| (x.0, x.1).cmp(&(y.0, y.1)))
                .map(|(_, std::cmp::Reverse(g), ev)| (g, representative[g], ev))
        };
        let joined = match forced.flatten() {
            Some((g, j)) => Some((g, j, Vec::new())),
            None => automatic(),
        };
        let g = match joined {
            Some((g, j, ev)) => {
                groups[g].push((i, Some(j)));
                traits[g].extend(own);
                if specificity(c) < specificity(&candidates[representative[g]]) {
                    representative[g] = i;
                }
                evidence.push(ev);
                g
            }
            None => {
                groups.push(vec![(i, None)]);
                representative.push(i);
                traits.push(own);
                evidence.push(Vec::new());
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
                    let mut reason = join_reason(&candidates[i], j.map(|j| &candidates[j]), &evidence[i]);
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
            let mut told = Traits::default();
            for &(i, _) in g {
                told.add_names(names[i].iter().cloned());
            }
            let anchor = Anchor {
                source: rep.report.source.id.clone(),
                date: rep.date,
                place: rep.place.clone(),
                founded: format!("{}|{:04}", order_key(founder.report.source), founder.frame),
                names: told.names,
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

/// Reports indexed for blocking ([`linkage::blocked`]): by the names their
/// places answer to (name, region, country) and the weeks their dates cover,
/// and by day for narrowly dated ones; every blocked pair is found, with others
/// that linkage then sets aside.
#[derive(Default)]
struct BlockIndex {
    /// Dated reports with a place, by place key and week.
    by_key_week: HashMap<(String, i64), Vec<usize>>,
    /// Every report with a place, by place key.
    by_key: HashMap<String, Vec<usize>>,
    /// Reports with a place and no date (or one too wide to index by week), by place key.
    undated_by_key: HashMap<String, Vec<usize>>,
    /// Reports dated to a week or less, by each day of their dates.
    by_day: HashMap<chrono::NaiveDate, Vec<usize>>,
}

/// The most weeks a date is indexed under; a wider one is indexed as undated.
const MAX_WEEKS: i64 = 60;

fn week(d: chrono::NaiveDate) -> i64 {
    d.num_days_from_ce().div_euclid(7) as i64
}

fn days(start: chrono::NaiveDate, end: chrono::NaiveDate) -> impl Iterator<Item = chrono::NaiveDate> {
    start.iter_days().take_while(move |d| *d <= end)
}

impl BlockIndex {
    fn insert(&mut self, c: &Candidate<'_>, i: usize) {
        if let Some(p) = &c.place {
            for k in linkage::keys(p) {
                self.by_key.entry(k.clone()).or_default().push(i);
                match c.date {
                    Some(d) if week(d.end) - week(d.start) < MAX_WEEKS => {
                        for w in week(d.start)..=week(d.end) {
                            self.by_key_week.entry((k.clone(), w)).or_default().push(i);
                        }
                    }
                    _ => self.undated_by_key.entry(k).or_default().push(i),
                }
            }
        }
        if let Some(d) = c.date.filter(|d| (d.end - d.start).num_days() <= 7) {
            for day in days(d.start, d.end) {
                self.by_day.entry(day).or_default().push(i);
            }
        }
    }

    /// Every indexed report that may be blocked with `c` (maybe twice).
    fn lookup(&self, c: &Candidate<'_>) -> Vec<usize> {
        let mut out = Vec::new();
        let window = chrono::Duration::days(linkage::WINDOW_DAYS);
        if let Some(p) = &c.place {
            for k in linkage::keys(p) {
                match c.date {
                    Some(d) => {
                        for w in week(d.start - window)..=week(d.end + window) {
                            out.extend(self.by_key_week.get(&(k.clone(), w)).into_iter().flatten());
                        }
                        out.extend(self.undated_by_key.get(&k).into_iter().flatten());
                    }
                    None => out.extend(self.by_key.get(&k).into_iter().flatten()),
                }
            }
        }
        if let Some(d) = c.date.filter(|d| (d.end - d.start).num_days() <= 7) {
            let day = chrono::Duration::days(1);
            for at in days(d.start - day, d.end + day) {
                out.extend(self.by_day.get(&at).into_iter().flatten());
            }
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
            let date = date_of(frame).or_else(|| date_of(0)).or_else(|| before_publication(report.source));
            let place = place_of(frame).or_else(|| (frame > 0).then(|| place_of(0)).flatten());
            let has_toll = live().any(|c| c.frame == frame && ClaimKind::COUNTS.contains(&c.kind));
            (has_toll || date.is_some()).then_some(Candidate { report, frame, date, place })
        })
        .collect()
}

/// For a report that dates its event nowhere: the week up to its
/// publication (reports tell events of the days before them), if it has
/// one; else the week up to the end of the day or month its address names
/// ("…/2016/07/…").
fn before_publication(source: &Source) -> Option<DateValue> {
    let (first, last) = match source.meta.published {
        Some(p) => (p, p),
        None => published_from_url(source.meta.url.as_deref()?)?,
    };
    Some(DateValue { start: first - chrono::Duration::days(6), end: last, precision: Precision::Range })
}

/// The day or month a web address's path names ("/2016/07/03/", "/2016/07/",
/// "/2016-07-03-…"): its first and last day. Years 1990–2099 only, and a
/// month must follow the year.
pub fn published_from_url(url: &str) -> Option<(chrono::NaiveDate, chrono::NaiveDate)> {
    let path = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = path.split_once('/').map(|(_, p)| p)?;
    let path = path.split(['?', '#']).next().unwrap_or("");
    let parts: Vec<&str> = path.split(['/', '-', '_']).collect();
    let number = |s: &str, len: usize| {
        (s.len() == len && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse::<u32>().ok()).flatten()
    };
    for (k, part) in parts.iter().enumerate() {
        let Some(year) = number(part, 4).filter(|y| (1990..=2099).contains(y)) else { continue };
        let Some(month) = parts.get(k + 1).and_then(|m| number(m, 2)).filter(|m| (1..=12).contains(m)) else {
            continue;
        };
        let day = parts.get(k + 2).and_then(|d| number(d, 2));
        let year = year as i32;
        if let Some(d) = day.and_then(|d| chrono::NaiveDate::from_ymd_opt(year, month, d)) {
            return Some((d, d));
        }
        let first = chrono::NaiveDate::from_ymd_opt(year, month, 1)?;
        let next = if month == 12 {
            chrono::NaiveDate::from_ymd_opt(year + 1, 1, 1)?
        } else {
            chrono::NaiveDate::from_ymd_opt(year, month + 1, 1)?
        };
        return Some((first, next - chrono::Duration::days(1)));
    }
    None
}

fn candidate(report: Report<'_>, frame: u32) -> Option<Candidate<'_>> {
    candidates_of(report).into_iter().find(|c| c.frame == frame)
}

/// The key that orders reports: ingestion time, then source id.
pub fn order_key(s: &Source) -> String {
    format!("{}|{}", s.ingested_at, s.id)
}

/// For an event (`frame`) of a report ingested after every other, the incident it joins among
/// `near` (the incidents near it), exactly as [`resolve`] would choose: the
/// anchor it links with by the greatest weight, then the earliest-founded.
/// `None`: it founds an incident of its own (or is no incident's).
pub fn best_match(report: Report<'_>, frame: u32, near: &[&Incident]) -> Option<usize> {
    let c = candidate(report, frame)?;
    let own = traits_of(&c);
    near.iter()
        .enumerate()
        .filter_map(|(k, i)| {
            let a = i.anchor.as_ref()?;
            let rep = Key { source: a.source.as_str(), date: a.date, place: a.place.as_ref() };
            let (score, _) = link(c.key(), rep, &own, &traits_of_incident(i))?;
            Some((score, std::cmp::Reverse(&a.founded), k))
        })
        .max_by(|x, y| (x.0, &x.1).cmp(&(y.0, &y.1)))
        .map(|(_, _, k)| k)
}

/// An event's traits: its event types, the actors it names (by
/// [`actor_key`]) and its killed and injured figures.
fn traits_of(c: &Candidate<'_>) -> Traits {
    let mut t = Traits::default();
    for cl in c.live_claims() {
        match &cl.value {
            ClaimValue::EventType { term } => {
                t.types.insert(term.clone());
            }
            ClaimValue::Actor { name, refers_to, .. } => {
                t.actors.insert(actor_key(refers_to.as_deref().unwrap_or(name)));
            }
            ClaimValue::Count(n) if matches!(cl.kind, ClaimKind::Killed | ClaimKind::Injured) && !n.attackers => {
                t.figures.extend(n.min.or(n.max));
            }
            _ => {}
        }
    }
    // The names of the passages that tell the event (the title's for the event it is about).
    let body = &c.report.source.body;
    let mut sentences: Vec<dossier_model::Span> = c.live_claims().map(|cl| cl.sentence).collect();
    sentences.sort_by_key(|s| (s.start, s.end));
    sentences.dedup();
    if c.frame == 0 {
        if let Some(title) = &c.report.source.meta.title {
            t.add_names(linkage::names_in(title));
        }
    }
    for s in sentences {
        if let Some(text) = s.slice(body) {
            t.add_names(linkage::names_in(text));
        }
    }
    t
}

/// An incident's traits: the union of its members' (as [`traits_of`] gives them).
fn traits_of_incident(i: &Incident) -> Traits {
    let mut t = Traits {
        types: i.types.iter().cloned().collect(),
        actors: i.perpetrators.iter().map(|p| actor_key(p.refers_to.as_deref().unwrap_or(&p.name))).collect(),
        figures: i.killed.by_source.iter().chain(&i.injured.by_source).filter_map(|e| e.min.or(e.max)).collect(),
        ..Traits::default()
    };
    t.add_names(i.anchor.iter().flat_map(|a| a.names.iter().cloned()));
    t
}

/// The weight of linking event `a` with the anchor `b` (an integer in
/// thousandths, so ties compare exactly) and its evidence, when they are
/// blocked together and weigh at least [`linkage::THRESHOLD`].
fn link(a: Key<'_>, b: Key<'_>, ta: &Traits, tb: &Traits) -> Option<(i64, Vec<Evidence>)> {
    if a.source == b.source {
        return None;
    }
    let (sa, sb) = (Site { date: a.date, place: a.place }, Site { date: b.date, place: b.place });
    if !linkage::blocked(&sa, &sb) {
        return None;
    }
    let evidence = linkage::weigh(&sa, &sb, ta, tb);
    let total = linkage::total(&evidence);
    (total >= linkage::THRESHOLD).then(|| ((total * 1000.0).round() as i64, evidence))
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

/// The evidence for grouping `c` with `matched` (the weighed signals linkage
/// joined them on, and how alike their passages are), or for founding an incident.
fn join_reason(c: &Candidate<'_>, matched: Option<&Candidate<'_>>, weighed: &[Evidence]) -> JoinReason {
    let mut evidence = Vec::new();
    let fmt_date = |d: &DateValue| {
        if d.start == d.end {
            format!("{} ({})", d.start, d.precision.as_str())
        } else {
            format!("{}..{} ({})", d.start, d.end, d.precision.as_str())
        }
    };
    match matched {
        None => {
            if let Some(a) = c.date {
                evidence.push(Evidence {
                    signal: "date".into(),
                    detail: format!("reported as {}", fmt_date(&a)),
                    weight: 1.0,
                });
            }
            if let Some(a) = &c.place {
                evidence.push(Evidence {
                    signal: "place".into(),
                    detail: format!("reported at {}", a.name),
                    weight: 1.0,
                });
            }
        }
        Some(m) => {
            evidence.extend(weighed.iter().cloned());
            if !weighed.is_empty() {
                evidence.push(Evidence {
                    signal: "total".into(),
                    detail: format!(
                        "weights sum to {:.1} (one event from {:.1})",
                        linkage::total(weighed),
                        linkage::THRESHOLD
                    ),
                    weight: (linkage::total(weighed) * 10.0).round() / 10.0,
                });
            }
            let similarity = text_similarity(c, m);
            if similarity > 0.0 {
                evidence.push(Evidence {
                    signal: "similarity".into(),
                    detail: format!(
                        "{:.0}% of the words of the passages that tell the event are shared (shown, not weighed)",
                        similarity * 100.0
                    ),
                    weight: 0.0,
                });
            }
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
                superseded_by: None,
            })
        })
        .collect();
    Figure::from_entries(entries)
}

/// Who a figure's entry speaks for: the party quoted, or the source itself
/// (its publisher's voice, else the text it republishes).
fn voice_of(e: &FigureEntry, sources: &HashMap<&str, &Source>, republished: &HashMap<String, String>) -> String {
    match &e.according_to {
        dossier_model::Attribution::Party(p) => format!("party:{}", linkage::norm(p)),
        dossier_model::Attribution::Source => {
            let publisher = sources.get(e.source.as_str()).and_then(|s| s.meta.publisher.as_deref());
            match publisher.map(linkage::norm).filter(|p| !p.is_empty()) {
                Some(p) => format!("outlet:{p}"),
                None => format!("source:{}", republished.get(e.source.as_str()).map_or(e.source.as_str(), |s| s)),
            }
        }
    }
}

/// Revisions: the figures one voice gives in reports published earlier are
/// superseded by its figure in its latest report (both kept, in order); the
/// best figure follows [`dossier_model::BEST_RULE`] over each voice's latest.
fn revise(f: &mut Figure, sources: &HashMap<&str, &Source>, republished: &HashMap<String, String>) {
    let published = |e: &FigureEntry| sources.get(e.source.as_str()).and_then(|s| s.meta.published);
    let voices: Vec<String> = f.by_source.iter().map(|e| voice_of(e, sources, republished)).collect();
    let mut latest_of: HashMap<&str, usize> = HashMap::new();
    for (i, e) in f.by_source.iter().enumerate() {
        let v = voices[i].as_str();
        let later = |j: usize| {
            let o = &f.by_source[j];
            (published(e), e.span.start) > (published(o), o.span.start) && published(e).is_some()
                || e.source == o.source && e.span.start > o.span.start
        };
        match latest_of.get(v) {
            Some(&j) if !later(j) => {}
            _ => {
                latest_of.insert(v, i);
            }
        }
    }
    for i in 0..f.by_source.len() {
        let j = latest_of[voices[i].as_str()];
        let (e, l) = (&f.by_source[i], &f.by_source[j]);
        let earlier_report = e.source != l.source && published(e).zip(published(l)).is_some_and(|(a, b)| a < b);
        if earlier_report {
            f.by_source[i].superseded_by = Some(f.by_source[j].claim.clone());
        }
    }
    let mut votes: Vec<(u64, usize)> = Vec::new();
    for &i in latest_of.values() {
        let e = &f.by_source[i];
        if let Some(v) = e.min.or(e.max) {
            match votes.iter_mut().find(|(x, _)| *x == v) {
                Some((_, n)) => *n += 1,
                None => votes.push((v, 1)),
            }
        }
    }
    f.best = votes.into_iter().max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0))).map(|(v, _)| v);
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
    let republished = republication_voices(&sources);
    let by_id: HashMap<&str, &Source> = sources.iter().map(|s| (s.id.as_str(), *s)).collect();
    let figure = |kinds: &[ClaimKind], attackers: bool| {
        let mut f = figure(&all, kinds, attackers);
        revise(&mut f, &by_id, &republished);
        f
    };
    let killed = figure(&[ClaimKind::Killed], false);
    let injured = figure(&[ClaimKind::Injured], false);
    let missing = figure(&[ClaimKind::Missing], false);
    let detained = figure(&[ClaimKind::Detained], false);
    let displaced = figure(&[ClaimKind::Displaced], false);
    let attacker_casualties = figure(&[ClaimKind::Killed, ClaimKind::Injured], true);
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
    let grade = grade(&sources, &republished, &killed, &perpetrators);
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
fn grade(
    sources: &[&Source],
    republished: &HashMap<String, String>,
    killed: &Figure,
    perpetrators: &[PerpetratorEntry],
) -> Grade {
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
pub const VERSION: &str = "dossier-resolve/3";

pub mod linkage;

pub use actors::{actor_key, actors, command_chains, ActorSummary, RelationEdge};

#[cfg(test)]
mod tests;
