//! Resolution tests over hand-built sources and claims.

use super::*;
use chrono::NaiveDate;
use dossier_model::{Attribution, Claim, Count, MediaType, Precision, Sha256Hex, SourceId, SourceMeta, Span};

fn source(name: &str, kind: SourceType, at: &str) -> Source {
    let sha = Sha256Hex::of(name.as_bytes());
    Source {
        id: SourceId::for_digest(&sha),
        sha256: sha,
        file_name: name.into(),
        media_type: MediaType::Text,
        byte_len: 0,
        meta: SourceMeta { source_type: kind, ..SourceMeta::default() },
        body: String::new(),
        ingested_at: at.into(),
    }
}

fn claim(src: &Source, kind: ClaimKind, at: usize, value: ClaimValue) -> Claim {
    let span = Span::new(at, at + 1);
    Claim {
        id: Claim::id_for(&src.id, kind, span),
        kind,
        source: src.id.clone(),
        span,
        text: "x".into(),
        sentence: span,
        according_to: Attribution::Source,
        status: ClaimStatus::Extracted,
        value,
        review: None,
        moved: None,
        frame: 0,
    }
}

fn day(s: &str) -> ClaimValue {
    ClaimValue::Date(DateValue::day(NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()))
}

fn place(name: &str, admin1: &str) -> ClaimValue {
    ClaimValue::Place(PlaceRef {
        name: name.into(),
        admin1: Some(admin1.into()),
        country: Some("Iraq".into()),
        lat: None,
        lon: None,
    })
}

fn killed(n: u64) -> ClaimValue {
    ClaimValue::Count(Count {
        min: Some(n),
        max: Some(n),
        qualifier: "exact".into(),
        population: None,
        attackers: false,
    })
}

fn report(src: &Source, date: &str, at: (&str, &str), toll: u64) -> Vec<Claim> {
    vec![
        claim(src, ClaimKind::IncidentDate, 0, day(date)),
        claim(src, ClaimKind::IncidentPlace, 2, place(at.0, at.1)),
        claim(src, ClaimKind::Killed, 4, killed(toll)),
    ]
}

#[test]
fn reports_of_one_event_form_one_incident_with_every_figure_side_by_side() {
    let a = source("a", SourceType::News, "1");
    let b = source("b", SourceType::Government, "2");
    let c = source("c", SourceType::News, "3");
    let ca = report(&a, "2011-04-08", ("Camp Ashraf", "Diyala"), 34);
    let cb = report(&b, "2011-04-08", ("Diyala", "Diyala"), 3);
    let cc = report(&c, "2013-09-01", ("Camp Ashraf", "Diyala"), 52);
    let reports =
        [Report { source: &a, claims: &ca }, Report { source: &b, claims: &cb }, Report { source: &c, claims: &cc }];
    let incidents = resolve(&reports, &[]);
    assert_eq!(incidents.len(), 2, "{incidents:#?}");
    let first = &incidents[0];
    assert_eq!(first.sources, vec![a.id.clone(), b.id.clone()]);
    assert_eq!((first.killed.min, first.killed.max), (Some(3), Some(34)));
    assert_eq!(first.killed.by_source.len(), 2);
    assert_eq!(first.place.as_ref().unwrap().name, "Camp Ashraf");
    assert_eq!(first.grade, Grade::Fair);
    assert_eq!(incidents[1].grade, Grade::SingleSource);
    assert_eq!(incidents[1].date.unwrap().precision, Precision::Day);
    // Every grouping decision is explained.
    assert_eq!(first.why.len(), 2);
    assert_eq!(first.why[0].matched, None);
    assert_eq!(first.why[1].matched, Some(a.id.clone()));
    let signals: Vec<&str> = first.why[1].evidence.iter().map(|e| e.signal.as_str()).collect();
    assert_eq!(signals, vec!["date", "place", "total"]);
    // Each signal's weight: the same day, a place within the other.
    let weights: Vec<f64> = first.why[1].evidence.iter().map(|e| e.weight).collect();
    assert_eq!(weights, vec![3.0, 2.0, 5.0]);
    assert!(
        first.why[1].evidence[1].detail.contains("Diyala and Camp Ashraf lie one within the other"),
        "{:?}",
        first.why
    );
}

#[test]
fn output_does_not_depend_on_input_order() {
    let a = source("a", SourceType::News, "1");
    let b = source("b", SourceType::Ngo, "2");
    let ca = report(&a, "2009-07-28", ("Camp Ashraf", "Diyala"), 7);
    let cb = report(&b, "2009-07-28", ("Camp Ashraf", "Diyala"), 7);
    let forward = resolve(&[Report { source: &a, claims: &ca }, Report { source: &b, claims: &cb }], &[]);
    let backward = resolve(&[Report { source: &b, claims: &cb }, Report { source: &a, claims: &ca }], &[]);
    assert_eq!(forward, backward);
    assert_eq!(forward[0].grade, Grade::Confirmed);
}

#[test]
fn rejected_claims_do_not_count_and_places_apart_stay_apart() {
    let a = source("a", SourceType::News, "1");
    let b = source("b", SourceType::News, "2");
    let mut ca = report(&a, "2013-02-09", ("Camp Liberty", "Baghdad"), 5);
    ca[2].status = ClaimStatus::Rejected;
    let cb = report(&b, "2013-02-09", ("Meena Bazaar", "Khyber Pakhtunkhwa"), 100);
    let incidents = resolve(&[Report { source: &a, claims: &ca }, Report { source: &b, claims: &cb }], &[]);
    assert_eq!(incidents.len(), 2);
    let liberty = incidents.iter().find(|i| i.place.as_ref().unwrap().name == "Camp Liberty").unwrap();
    assert!(liberty.killed.by_source.is_empty());
}

fn decision(seq: u64, action: GroupingAction, a: &Source, b: &Source) -> GroupingDecision {
    GroupingDecision {
        seq,
        ordinal: 0,
        action,
        a: a.id.clone(),
        b: b.id.clone(),
        reason: "read both reports".into(),
        actor: "reviewer".into(),
        recorded_at: "2026-01-01T00:00:00Z".into(),
    }
}

#[test]
fn reviewers_decide_together_and_apart_and_resolution_honours_it() {
    let a = source("a", SourceType::News, "1");
    let b = source("b", SourceType::Ngo, "2");
    let c = source("c", SourceType::Un, "3");
    let ca = report(&a, "2009-07-28", ("Camp Ashraf", "Diyala"), 7);
    let cb = report(&b, "2009-07-28", ("Camp Ashraf", "Diyala"), 8);
    let cc = report(&c, "2010-01-01", ("Baghdad", "Baghdad"), 1);
    let reports =
        [Report { source: &a, claims: &ca }, Report { source: &b, claims: &cb }, Report { source: &c, claims: &cc }];
    assert_eq!(resolve(&reports, &[]).len(), 2);
    // Apart: a and b become two incidents although date and place agree.
    let apart = [decision(1, GroupingAction::Apart, &a, &b)];
    assert_eq!(resolve(&reports, &apart).len(), 3);
    // Together: c joins a's incident although nothing automatic links them.
    let together = [decision(1, GroupingAction::Together, &c, &a)];
    let incidents = resolve(&reports, &together);
    assert_eq!(incidents.len(), 1);
    let reason = incidents[0].why.iter().find(|r| r.source == c.id).unwrap();
    assert_eq!(reason.evidence[0].signal, "reviewer");
    // The later decision wins.
    let both = [decision(1, GroupingAction::Apart, &a, &b), decision(2, GroupingAction::Together, &b, &a)];
    assert_eq!(resolve(&reports, &both).len(), 2);
}

#[test]
fn reviews_change_status_and_value_and_keep_the_original() {
    let a = source("a", SourceType::News, "1");
    let mut ca = report(&a, "2009-07-28", ("Camp Ashraf", "Diyala"), 7);
    let edit = Review {
        seq: 5,
        claim: ca[2].id.clone(),
        action: ReviewAction::Edit,
        value: Some(killed(9)),
        reason: "the text says nine".into(),
        actor: "reviewer".into(),
        recorded_at: "t".into(),
    };
    apply_reviews(&mut ca, &[edit]);
    assert_eq!(ca[2].status, ClaimStatus::Edited);
    assert_eq!(ca[2].value, killed(9));
    assert_eq!(ca[2].review.as_ref().unwrap().original, Some(killed(7)));
    let incidents = resolve(&[Report { source: &a, claims: &ca }], &[]);
    assert_eq!(incidents[0].killed.min, Some(9));
}

fn with_body(mut s: Source, body: &str) -> Source {
    s.body = body.into();
    s
}

fn attributed(mut c: Claim, party: &str) -> Claim {
    c.according_to = Attribution::Party(party.into());
    c
}

#[test]
fn grades_follow_the_documented_rule() {
    let story =
        "Seven residents of the camp were killed when security forces stormed it early on Tuesday, witnesses said.";
    let a = with_body(source("a", SourceType::News, "1"), story);
    let b = with_body(source("b", SourceType::Ngo, "2"), story);
    let c = with_body(
        source("c", SourceType::Government, "3"),
        "The ministry said no one died in the operation at the camp.",
    );
    let d = with_body(
        source("d", SourceType::Ngo, "4"),
        "An independent text reporting seven dead in the camp after the raid.",
    );
    let ca = report(&a, "2009-07-28", ("Camp Ashraf", "Diyala"), 7);
    let cb = report(&b, "2009-07-28", ("Camp Ashraf", "Diyala"), 7);
    let grade_of = |reports: &[Report<'_>]| resolve(reports, &[])[0].grade;
    // A republication of the same text is not an independent source.
    assert_eq!(
        grade_of(&[Report { source: &a, claims: &ca }, Report { source: &b, claims: &cb }]),
        Grade::SingleSource
    );
    // An independent source of another type giving the same figure confirms it.
    let cd = report(&d, "2009-07-28", ("Camp Ashraf", "Diyala"), 7);
    assert_eq!(grade_of(&[Report { source: &a, claims: &ca }, Report { source: &d, claims: &cd }]), Grade::Confirmed);
    // The same party quoted by two sources counts once.
    let mut ca2 = ca.clone();
    let mut cd2 = cd.clone();
    ca2[2] = attributed(ca2[2].clone(), "Police");
    cd2[2] = attributed(cd2[2].clone(), "police");
    assert_eq!(grade_of(&[Report { source: &a, claims: &ca2 }, Report { source: &d, claims: &cd2 }]), Grade::Fair);
    // A denial beside a reported toll: contested.
    let mut cc = report(&c, "2009-07-28", ("Camp Ashraf", "Diyala"), 0);
    cc[2].value = ClaimValue::Count(Count {
        min: Some(0),
        max: Some(0),
        qualifier: "denial".into(),
        population: None,
        attackers: false,
    });
    assert_eq!(grade_of(&[Report { source: &a, claims: &ca }, Report { source: &c, claims: &cc }]), Grade::Contested);
}

#[test]
fn an_earlier_event_a_report_mentions_joins_that_event_not_the_reports() {
    let a = source("a", SourceType::News, "1");
    let b = source("b", SourceType::Ngo, "2");
    // a: the February bombing at the market.
    let ca = report(&a, "2012-02-10", ("Meena Bazaar", "Khyber Pakhtunkhwa"), 8);
    // b: the May bombing, and (frame 1) the February one with its own date and toll.
    let mut cb = report(&b, "2012-05-03", ("Meena Bazaar", "Khyber Pakhtunkhwa"), 12);
    let mut earlier_date = claim(&b, ClaimKind::IncidentDate, 20, day("2012-02-10"));
    earlier_date.frame = 1;
    let mut earlier_toll = claim(&b, ClaimKind::Killed, 30, killed(9));
    earlier_toll.frame = 1;
    cb.extend([earlier_date, earlier_toll]);
    let incidents = resolve(&[Report { source: &a, claims: &ca }, Report { source: &b, claims: &cb }], &[]);
    assert_eq!(incidents.len(), 2, "{incidents:#?}");
    let february = incidents.iter().find(|i| i.date.unwrap().start.to_string() == "2012-02-10").unwrap();
    assert_eq!(february.sources, vec![a.id.clone(), b.id.clone()]);
    assert_eq!((february.killed.min, february.killed.max), (Some(8), Some(9)));
    let may = incidents.iter().find(|i| i.date.unwrap().start.to_string() == "2012-05-03").unwrap();
    assert_eq!((may.killed.min, may.killed.max), (Some(12), Some(12)), "the earlier toll is not the May incident's");
    assert_ne!(february.id, may.id);
}

#[test]
fn a_separate_event_of_a_report_takes_its_date_and_joins_another_sources_report_of_it() {
    let a = source("a", SourceType::News, "1");
    let b = source("b", SourceType::Government, "2");
    // a: the market bombing in Baghdad, and separately (frame 1, no date of its own) a prison raid in Mosul.
    let mut ca = report(&a, "2012-05-03", ("Baghdad", "Baghdad"), 12);
    let mut mosul = claim(&a, ClaimKind::IncidentPlace, 20, place("Mosul", "Nineveh"));
    mosul.frame = 1;
    let mut guards = claim(&a, ClaimKind::Killed, 30, killed(4));
    guards.frame = 1;
    ca.extend([mosul, guards]);
    // b: only the prison raid.
    let cb = report(&b, "2012-05-03", ("Mosul", "Nineveh"), 5);
    let incidents = resolve(&[Report { source: &a, claims: &ca }, Report { source: &b, claims: &cb }], &[]);
    assert_eq!(incidents.len(), 2, "{incidents:#?}");
    let raid = incidents.iter().find(|i| i.place.as_ref().unwrap().name == "Mosul").unwrap();
    assert_eq!(raid.sources, vec![a.id.clone(), b.id.clone()]);
    assert_eq!((raid.killed.min, raid.killed.max), (Some(4), Some(5)));
    assert_eq!(raid.date.unwrap().start.to_string(), "2012-05-03");
    let bombing = incidents.iter().find(|i| i.place.as_ref().unwrap().name == "Baghdad").unwrap();
    assert_eq!((bombing.killed.min, bombing.killed.max), (Some(12), Some(12)));
}

fn moved(mut c: Claim, to: &Claim, seq: u64) -> ClaimMove {
    c.moved = None;
    ClaimMove {
        seq,
        claim: c.id,
        target: Some(to.id.clone()),
        reason: "the toll is the other raid's".into(),
        actor: "ana".into(),
        recorded_at: "t".into(),
    }
}

#[test]
fn a_moved_claim_counts_in_its_new_incident_only_and_a_move_back_undoes_it() {
    let a = source("a", SourceType::News, "1");
    let b = source("b", SourceType::Ngo, "2");
    let mut ca = report(&a, "2011-04-08", ("Camp Ashraf", "Diyala"), 34);
    ca.push(claim(&a, ClaimKind::Injured, 6, killed(300)));
    let cb = report(&b, "2013-09-01", ("Camp Ashraf", "Diyala"), 52);
    let injured = ca[3].clone();
    let mut moves = vec![moved(injured.clone(), &cb[2], 7)];
    let mut claims = ca.clone();
    apply_moves(&mut claims, &moves);
    assert_eq!(claims[3].moved.as_ref().map(|p| (&p.to, p.seq)), Some((&cb[2].id, 7)));
    let incidents = resolve(&[Report { source: &a, claims: &claims }, Report { source: &b, claims: &cb }], &[]);
    let (april, september) = (&incidents[0], &incidents[1]);
    assert_eq!(april.injured.by_source.len(), 0, "moved away: {april:#?}");
    assert!(!april.claims.contains(&injured.id));
    assert_eq!(september.injured.by_source.len(), 1);
    assert_eq!(september.injured.by_source[0].claim, injured.id);
    assert!(september.claims.contains(&injured.id));
    assert_eq!(september.sources, vec![b.id.clone(), a.id.clone()], "the moved claim's source is listed");
    // A move back (no target) restores the machine's placement.
    moves.push(ClaimMove { seq: 9, target: None, ..moves[0].clone() });
    let mut claims = ca.clone();
    apply_moves(&mut claims, &moves);
    assert!(claims[3].moved.is_none());
    let incidents = resolve(&[Report { source: &a, claims: &claims }, Report { source: &b, claims: &cb }], &[]);
    assert_eq!(incidents[0].injured.by_source.len(), 1);
    assert_eq!(incidents[1].sources, vec![b.id.clone()]);
}

#[test]
fn the_explanation_names_shared_actors_and_how_alike_the_passages_are() {
    let body_a = "Soldiers of the army stormed Camp Ashraf, killing 34 residents.";
    let body_b = "The army stormed Camp Ashraf and killed three residents.";
    let a = with_body(source("a", SourceType::Un, "1"), body_a);
    let b = with_body(source("b", SourceType::Government, "2"), body_b);
    let sentence = |body: &str| Span::new(0, body.len());
    let mut ca = report(&a, "2011-04-08", ("Camp Ashraf", "Diyala"), 34);
    let mut cb = report(&b, "2011-04-08", ("Camp Ashraf", "Diyala"), 3);
    for c in ca.iter_mut() {
        c.sentence = sentence(body_a);
    }
    for c in cb.iter_mut() {
        c.sentence = sentence(body_b);
    }
    let actor = |name: &str| ClaimValue::Actor {
        name: name.into(),
        actor_kind: "state".into(),
        status: "asserted".into(),
        refers_to: None,
    };
    ca.push(claim(&a, ClaimKind::Perpetrator, 22, actor("the army")));
    cb.push(claim(&b, ClaimKind::Perpetrator, 0, actor("The army")));
    let incidents = resolve(&[Report { source: &a, claims: &ca }, Report { source: &b, claims: &cb }], &[]);
    assert_eq!(incidents.len(), 1);
    let joined = &incidents[0].why[1];
    let signal =
        |name: &str| joined.evidence.iter().find(|e| e.signal == name).unwrap_or_else(|| panic!("{joined:#?}"));
    assert_eq!(signal("actors").detail, "both name army");
    // Shared words: army, stormed, camp, ashraf, residents (5) of 9 distinct.
    assert!(signal("similarity").detail.starts_with("56%"), "{joined:#?}");
}

#[test]
fn among_equally_close_incidents_a_report_joins_the_one_sharing_its_event_type() {
    let a = source("a", SourceType::News, "1");
    let b = source("b", SourceType::Ngo, "2");
    let kind = |term: &str| ClaimValue::EventType { term: term.into() };
    // a: a bombing in Baghdad and, separately (frame 1), a prison raid in Baghdad the same day.
    let mut ca = report(&a, "2012-05-03", ("Baghdad", "Baghdad"), 12);
    ca.push(claim(&a, ClaimKind::EventType, 6, kind("bombing")));
    let mut raid = claim(&a, ClaimKind::EventType, 20, kind("raid"));
    raid.frame = 1;
    let mut guards = claim(&a, ClaimKind::Killed, 30, killed(4));
    guards.frame = 1;
    ca.extend([raid, guards]);
    // b: only the raid.
    let mut cb = report(&b, "2012-05-03", ("Baghdad", "Baghdad"), 5);
    cb.push(claim(&b, ClaimKind::EventType, 6, kind("raid")));
    let reports = [Report { source: &a, claims: &ca }, Report { source: &b, claims: &cb }];
    let incidents = resolve(&reports, &[]);
    assert_eq!(incidents.len(), 2, "{incidents:#?}");
    let raid = incidents.iter().find(|i| i.types == vec!["raid".to_string()]).unwrap();
    assert_eq!(raid.sources, vec![a.id.clone(), b.id.clone()], "{incidents:#?}");
    assert_eq!((raid.killed.min, raid.killed.max), (Some(4), Some(5)));
    // Placed on its own after the others, it chooses the same incident.
    let without_b = resolve(&reports[..1], &[]);
    let near: Vec<&Incident> = without_b.iter().collect();
    let k = best_match(reports[1], 0, &near).unwrap();
    assert_eq!(without_b[k].types, vec!["raid".to_string()]);
}

/// A killed figure attributed to `party` (or to the source itself).
fn killed_by(src: &Source, at: usize, n: u64, party: Option<&str>) -> Claim {
    let mut c = claim(src, ClaimKind::Killed, at, killed(n));
    if let Some(p) = party {
        c.according_to = Attribution::Party(p.into());
    }
    c
}

/// The date and place claims of an invented report of 1 May 2020 at Ossa.
fn base(s: &Source) -> Vec<Claim> {
    vec![
        claim(s, ClaimKind::IncidentDate, 0, day("2020-05-01")),
        claim(s, ClaimKind::IncidentPlace, 2, place("Ossa", "Diyala")),
    ]
}

fn published(mut s: Source, day: &str, publisher: &str) -> Source {
    s.meta.published = Some(NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap());
    s.meta.publisher = Some(publisher.into());
    s
}

#[test]
fn a_voice_s_later_figure_supersedes_its_earlier_one_and_the_best_figure_follows_the_rule() {
    // One invented shelling, told by three outlets over three days. The
    // ministry says 30, then 62 two days later; the hospital says 58; an
    // outlet's own first count is 30, its later one 62.
    let a = published(source("a", SourceType::News, "1"), "2020-05-02", "Wire One");
    let b = published(source("b", SourceType::News, "2"), "2020-05-04", "Wire Two");
    let c = published(source("c", SourceType::Ngo, "3"), "2020-05-04", "Relief Desk");
    let mut ca = base(&a);
    ca.push(killed_by(&a, 10, 30, Some("the Health Ministry")));
    ca.push(killed_by(&a, 20, 30, None));
    let mut cb = base(&b);
    cb.push(killed_by(&b, 10, 62, Some("The health ministry")));
    cb.push(killed_by(&b, 20, 58, Some("the city hospital")));
    let mut cc = base(&c);
    cc.push(killed_by(&c, 10, 62, None));
    let reports =
        [Report { source: &a, claims: &ca }, Report { source: &b, claims: &cb }, Report { source: &c, claims: &cc }];
    let incidents = resolve(&reports, &[]);
    assert_eq!(incidents.len(), 1, "{incidents:#?}");
    let killed = &incidents[0].killed;
    let superseded: Vec<(u64, bool)> =
        killed.by_source.iter().map(|e| (e.min.unwrap(), e.superseded_by.is_some())).collect();
    // The ministry's 30 is revised by its 62; Wire One's own 30 is no other outlet's figure.
    assert_eq!(superseded, vec![(30, true), (30, false), (62, false), (58, false), (62, false)]);
    let ministry_later = &killed.by_source[2].claim;
    assert_eq!(killed.by_source[0].superseded_by.as_ref(), Some(ministry_later));
    // Latest of each voice: ministry 62, hospital 58, Wire One 30, Relief Desk 62 → 62 by two voices.
    assert_eq!(killed.best, Some(62));
    // The range keeps every figure.
    assert_eq!((killed.min, killed.max), (Some(30), Some(62)));
}

#[test]
fn on_a_tie_the_best_figure_is_the_lower_whatever_the_order() {
    let a = published(source("a", SourceType::News, "1"), "2020-05-02", "Wire One");
    let b = published(source("b", SourceType::Ngo, "2"), "2020-05-02", "Relief Desk");
    let (mut ca, mut cb) = (base(&a), base(&b));
    ca.push(killed_by(&a, 10, 40, None));
    cb.push(killed_by(&b, 10, 35, None));
    for order in [[0, 1], [1, 0]] {
        let all = [Report { source: &a, claims: &ca }, Report { source: &b, claims: &cb }];
        let reports: Vec<Report<'_>> = order.iter().map(|&k| all[k]).collect();
        assert_eq!(resolve(&reports, &[])[0].killed.best, Some(35));
    }
}

#[test]
fn a_web_address_names_the_day_or_month_of_publication() {
    let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    assert_eq!(
        crate::published_from_url("https://news.example/2016/07/03/blast-kills-20"),
        Some((day("2016-07-03"), day("2016-07-03")))
    );
    assert_eq!(
        crate::published_from_url("https://news.example/2016/07/blast-kills-20/"),
        Some((day("2016-07-01"), day("2016-07-31")))
    );
    assert_eq!(
        crate::published_from_url("http://example.org/news/2019-12-blast"),
        Some((day("2019-12-01"), day("2019-12-31")))
    );
    // Numbers that are no date: an article id, a year alone, the host.
    assert_eq!(crate::published_from_url("https://news.example/id/wbna14159881"), None);
    assert_eq!(crate::published_from_url("https://news.example/2016/blast"), None);
    assert_eq!(crate::published_from_url("https://2016.example/07/x"), None);
    assert_eq!(crate::published_from_url("https://news.example/article/1784767/13/x"), None);
}
