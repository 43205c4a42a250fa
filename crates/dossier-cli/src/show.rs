//! `dossier sources`, `incidents` and `show`: reading the store.

use std::process::ExitCode;

use dossier_app::App;
use dossier_model::{ClaimValue, IncidentId, SourceId};
use serde_json::json;

use crate::output::{clip, range};

/// Lists sources.
pub async fn sources(app: &App, as_json: bool) -> anyhow::Result<ExitCode> {
    let sources = app.sources().await?;
    if as_json {
        let list: Vec<_> = sources
            .iter()
            .map(|s| {
                json!({
                    "id": s.id, "sha256": s.sha256, "file_name": s.file_name, "title": s.meta.title,
                    "source_type": s.meta.source_type, "publisher": s.meta.publisher,
                    "published": s.meta.published.map(|d| d.to_string()), "url": s.meta.url,
                    "ingested_at": s.ingested_at,
                })
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&list)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!("{:<20}  {:<10}  {:<10}  {:<22}  TITLE", "ID", "TYPE", "PUBLISHED", "FILE");
    for s in &sources {
        let published = s.meta.published.map(|d| d.to_string()).unwrap_or_else(|| "-".into());
        let title = s.meta.title.as_deref().unwrap_or("(untitled)");
        println!(
            "{:<20}  {:<10}  {:<10}  {:<22}  {}",
            s.id,
            s.meta.source_type,
            published,
            clip(&s.file_name, 22),
            clip(title, 60)
        );
    }
    println!("{} source(s)", sources.len());
    Ok(ExitCode::SUCCESS)
}

/// Lists incidents.
pub async fn incidents(app: &App, as_json: bool) -> anyhow::Result<ExitCode> {
    let incidents = app.incidents().await?;
    if as_json {
        println!("{}", serde_json::to_string_pretty(&incidents)?);
        return Ok(ExitCode::SUCCESS);
    }
    print_incidents(&incidents);
    Ok(ExitCode::SUCCESS)
}

/// Prints an incident table.
pub fn print_incidents(incidents: &[dossier_model::Incident]) {
    println!(
        "{:<20}  {:<10}  {:<16}  {:>8}  {:>8}  {:>3}  {:<13}  TITLE",
        "ID", "DATE", "PLACE", "KILLED", "INJURED", "SRC", "GRADE"
    );
    for i in incidents {
        let date = i.date.map(|d| d.start.to_string()).unwrap_or_else(|| "-".into());
        let place = i.place.as_ref().map(|p| p.name.as_str()).unwrap_or("-");
        println!(
            "{:<20}  {:<10}  {:<16}  {:>8}  {:>8}  {:>3}  {:<13}  {}",
            i.id,
            date,
            clip(place, 16),
            range(i.killed.min, i.killed.max),
            range(i.injured.min, i.injured.max),
            i.sources.len(),
            i.grade.as_str(),
            clip(&i.title, 50)
        );
    }
    println!("{} incident(s)", incidents.len());
}

fn value_text(v: &ClaimValue) -> String {
    match v {
        ClaimValue::Count(c) => format!("{} ({})", range(c.min, c.max), c.qualifier),
        ClaimValue::Date(d) if d.start == d.end => format!("{} ({})", d.start, d.precision.as_str()),
        ClaimValue::Date(d) => format!("{}..{} ({})", d.start, d.end, d.precision.as_str()),
        ClaimValue::Place(p) => [Some(p.name.as_str()), p.admin1.as_deref(), p.country.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", "),
        ClaimValue::EventType { term } => term.clone(),
        ClaimValue::Time { hour: Some(h), minute, .. } => format!("{h:02}:{:02}", minute.unwrap_or(0)),
        ClaimValue::Time { part_of_day, .. } => part_of_day.clone().unwrap_or_default(),
        ClaimValue::Actor { name, status, refers_to: None, .. } => format!("{name} ({status})"),
        ClaimValue::Actor { name, status, refers_to: Some(full), .. } => format!("{name} = {full} ({status})"),
        ClaimValue::Materiel { category } => category.replace('_', " "),
        ClaimValue::Relation { relation, from, to } => format!("{from} {relation} {to}"),
        ClaimValue::Statement { by, content, .. } => {
            format!("{}: {}", by.as_deref().unwrap_or("?"), content.as_deref().unwrap_or(""))
        }
    }
}

/// Shows one source or incident.
pub async fn one(app: &App, id: &str, as_json: bool, why: bool) -> anyhow::Result<ExitCode> {
    if let Ok(sid) = SourceId::parse(id) {
        let Some(source) = app.source(&sid).await? else {
            anyhow::bail!("no source {sid}");
        };
        let claims = app.claims_of(&sid).await?;
        if as_json {
            println!("{}", serde_json::to_string_pretty(&json!({ "source": source, "claims": claims }))?);
            return Ok(ExitCode::SUCCESS);
        }
        let m = &source.meta;
        println!("{}  {}", source.id, m.title.as_deref().unwrap_or("(untitled)"));
        println!(
            "  type {}  publisher {}  published {}",
            m.source_type,
            m.publisher.as_deref().unwrap_or("-"),
            m.published.map(|d| d.to_string()).unwrap_or_else(|| "-".into())
        );
        println!("  file {}  sha256 {}", source.file_name, source.sha256);
        if let Some(url) = &m.url {
            println!("  url {url}");
        }
        println!("claims:");
        for c in &claims {
            println!(
                "  {:<15} {:<24} by {:<20} [{}..{}] \"{}\"{}",
                c.kind.as_str(),
                clip(&value_text(&c.value), 24),
                clip(c.according_to.as_str(), 20),
                c.span.start,
                c.span.end,
                clip(&c.text, 60),
                if c.frame > 0 { format!("  (earlier event {})", c.frame) } else { String::new() }
            );
            if let Some(r) = &c.review {
                let was = r.original.as_ref().map(|o| format!(", was {}", value_text(o))).unwrap_or_default();
                println!("  {:<15} reviewed: {} by {} ({}{was})", "", r.action, r.actor, r.reason);
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    if let Ok(iid) = IncidentId::parse(id) {
        let Some(i) = app.incident(&iid).await? else {
            anyhow::bail!("no incident {iid}");
        };
        if as_json {
            println!("{}", serde_json::to_string_pretty(&i)?);
            return Ok(ExitCode::SUCCESS);
        }
        println!("{}  {}", i.id, i.title);
        if let Some(d) = i.date {
            println!("  date {}..{} ({})", d.start, d.end, d.precision.as_str());
        }
        if let Some(p) = &i.place {
            println!("  place {}", value_text(&ClaimValue::Place(p.clone())));
        }
        println!("  types {}  grade {}  sources {}", i.types.join(", "), i.grade.as_str(), i.sources.len());
        println!("  grade rule: {}", i.grade.rule());
        let figures = [
            ("killed", &i.killed),
            ("injured", &i.injured),
            ("missing", &i.missing),
            ("detained", &i.detained),
            ("displaced", &i.displaced),
            ("attackers killed or injured", &i.attacker_casualties),
        ];
        for (n, (label, fig)) in figures.into_iter().enumerate() {
            if n >= 2 && fig.by_source.is_empty() {
                continue;
            }
            println!("{label}: {} (every source's figure, side by side)", range(fig.min, fig.max));
            if let Some(best) = fig.best {
                println!("  best {best}: {}", dossier_model::BEST_RULE);
            }
            for e in &fig.by_source {
                println!(
                    "  {:>8} {:<12} {}  according to {:<24} \"{}\" [{}..{}]{}",
                    range(e.min, e.max),
                    e.qualifier,
                    e.source,
                    clip(e.according_to.as_str(), 24),
                    clip(&e.text, 50),
                    e.span.start,
                    e.span.end,
                    if e.superseded_by.is_some() { " (revised in a later report)" } else { "" }
                );
            }
        }
        if !i.perpetrators.is_empty() {
            println!("perpetrators (as each source names them):");
            for p in &i.perpetrators {
                println!(
                    "  {:<40} {:<22} {}  according to {}",
                    clip(&p.name, 40),
                    p.status,
                    p.source,
                    clip(p.according_to.as_str(), 30)
                );
            }
        }
        if why {
            println!("why these sources are one incident:");
            for r in &i.why {
                match &r.matched {
                    None if r.evidence.iter().any(|e| e.signal == "moved") => {
                        println!("  {}  gives a claim a reviewer moved here", r.source)
                    }
                    None => println!("  {}  founded the incident", r.source),
                    Some(m) => println!("  {}  joined, matched with {m}", r.source),
                }
                for e in &r.evidence {
                    println!("      {:<10} weight {:.1}  {}", e.signal, e.weight, e.detail);
                }
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    anyhow::bail!("{id:?} is not a source id (src-…) or an incident id (inc-…)")
}
