//! Snapshots of what the extractor finds in every shared dev report
//! (`../shared/data/dev` and `dev2`): each claim's kind, frame, span, value
//! and attribution, one line a claim, in `tests/snapshots/{set}.tsv`. Any
//! change of output shows in review as a diff of these files. The files hold
//! no text of the reports: spans are byte offsets, parties are hashed, values
//! are numbers, dates, place names and vocabulary terms.
//!
//! After a deliberate change: `UPDATE_SNAPSHOTS=1 cargo test -p dossier-extract --test snapshots`,
//! then review the diff (and bump `dossier_extract::VERSION`).
#![allow(clippy::disallowed_methods)]

use dossier_extract::{extract, read_document, Context, Gazetteer, DEFAULT_MAX_BYTES};
use dossier_model::{Attribution, ClaimValue};

/// FNV-1a, 32 bits: enough to tell parties apart in a snapshot without their words.
fn fnv(s: &str) -> u32 {
    s.bytes().fold(0x811c_9dc5u32, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193))
}

fn value(v: &ClaimValue) -> String {
    match v {
        ClaimValue::Count(c) => format!(
            "{}-{} {}{}",
            c.min.map_or("?".into(), |n| n.to_string()),
            c.max.map_or("?".into(), |n| n.to_string()),
            c.qualifier,
            if c.attackers { " attackers" } else { "" }
        ),
        ClaimValue::Date(d) => format!("{}..{} {}", d.start, d.end, d.precision.as_str()),
        ClaimValue::Place(p) => {
            format!("{}/{}/{}", p.name, p.admin1.as_deref().unwrap_or(""), p.country.as_deref().unwrap_or(""))
        }
        ClaimValue::Actor { actor_kind, status, .. } => format!("{actor_kind} {status}"),
        ClaimValue::EventType { term } => term.clone(),
        ClaimValue::Materiel { category } => category.clone(),
        ClaimValue::Time { hour, minute, part_of_day } => format!("{hour:?}:{minute:?} {part_of_day:?}"),
        ClaimValue::Relation { relation, .. } => relation.clone(),
        ClaimValue::Statement { .. } => String::new(),
    }
}

fn snapshot(set: &str) -> String {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data").join(set).join("reports");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    let g = Gazetteer::builtin();
    let mut out = String::new();
    for path in paths {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let doc = read_document(&std::fs::read(&path).unwrap(), &name, DEFAULT_MAX_BYTES).expect("a dev report");
        let ex = extract(&doc.body, &Context { published: doc.meta.published }, &g);
        for c in &ex.claims {
            let party = match &c.according_to {
                Attribution::Source => "source".to_string(),
                Attribution::Party(p) => format!("party:{:08x}", fnv(p)),
            };
            out.push_str(&format!(
                "{name}\t{}\t{}\t{}..{}\t{}\t{party}\n",
                c.kind.as_str(),
                c.frame,
                c.span.start,
                c.span.end,
                value(&c.value)
            ));
        }
    }
    out
}

fn check(set: &str) {
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots").join(format!("{set}.tsv"));
    let now = snapshot(set);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, &now).unwrap();
        return;
    }
    let before = std::fs::read_to_string(&file).unwrap_or_default();
    if before != now {
        let (old, new): (Vec<&str>, Vec<&str>) = (before.lines().collect(), now.lines().collect());
        let gone: Vec<&&str> = old.iter().filter(|l| !new.contains(l)).take(10).collect();
        let came: Vec<&&str> = new.iter().filter(|l| !old.contains(l)).take(10).collect();
        panic!(
            "the extractor's output on {set} changed (UPDATE_SNAPSHOTS=1 to accept, then bump dossier_extract::VERSION)\n\
             gone: {gone:#?}\nnew: {came:#?}"
        );
    }
}

#[test]
fn dev_reports() {
    check("dev");
}

#[test]
fn dev2_reports() {
    check("dev2");
}
