//! Commitments and calls for action: who pledged (or demanded) what, to
//! whom, when, according to which source, each linked to its passage; the
//! latest first. A pledge's later evidence is what the reports say of it;
//! following one up means reading the statements listed with it.

use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use dossier_app::App;
use dossier_model::{Claim, ClaimKind, ClaimValue, Source};
use maud::html;

use crate::pages::{internal, layout};

/// `GET /commitments`.
pub async fn commitments(State(app): State<App>) -> Response {
    page(&app, ClaimKind::Commitment).await
}

/// `GET /calls`.
pub async fn calls(State(app): State<App>) -> Response {
    page(&app, ClaimKind::Call).await
}

/// The words of a demand that say what it is about (four letters or more, lower-cased).
fn gist(c: &Claim) -> std::collections::BTreeSet<String> {
    match &c.value {
        ClaimValue::Statement { content: Some(text), .. } => words_of(text),
        _ => Default::default(),
    }
}

fn words_of(text: &str) -> std::collections::BTreeSet<String> {
    text.split(|ch: char| !ch.is_alphanumeric())
        .filter(|w| w.chars().count() >= 4)
        .map(str::to_lowercase)
        .filter(|w| !["that", "this", "with", "from", "into", "their", "these", "those", "which"].contains(&w.as_str()))
        .collect()
}

/// Whether two demands are about the same thing: half their words shared.
fn same_demand(a: &std::collections::BTreeSet<String>, b: &std::collections::BTreeSet<String>) -> bool {
    let shared = a.intersection(b).count();
    shared >= 2 && 2 * shared >= a.len().min(b.len())
}

async fn page(app: &App, kind: ClaimKind) -> Response {
    let (claims, sources) = match tokio::try_join!(app.effective_claims(), app.sources()) {
        Ok(both) => both,
        Err(e) => return internal(e),
    };
    let by_id: std::collections::HashMap<_, &Source> = sources.iter().map(|s| (&s.id, s)).collect();
    let source_of = |c: &Claim| by_id.get(&c.source).copied();
    let when = |c: &Claim, s: Option<&Source>| match &c.value {
        ClaimValue::Statement { date: Some(d), .. } => Some(d.start.to_string()),
        _ => s.and_then(|s| s.meta.published).map(|d| d.to_string()),
    };
    let mut rows: Vec<(&Claim, Option<&Source>, Option<String>)> =
        claims.iter().filter(|c| c.kind == kind).map(|c| (c, source_of(c), when(c, source_of(c)))).collect();
    rows.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.id.to_string().cmp(&b.0.id.to_string())));
    // A call's follow-up: the same demand made again, later, in another source.
    let gists: Vec<_> = rows.iter().map(|(c, ..)| gist(c)).collect();
    let follow_ups: Vec<Vec<usize>> = (0..rows.len())
        .map(|i| {
            (0..rows.len())
                .filter(|&j| {
                    j != i
                        && kind == ClaimKind::Call
                        && rows[j].0.source != rows[i].0.source
                        && rows[j].2 > rows[i].2
                        && same_demand(&gists[i], &gists[j])
                })
                .collect()
        })
        .collect();
    let (title, who, what, intro) = match kind {
        ClaimKind::Commitment => (
            "Commitments",
            "Pledged by",
            "Pledge",
            "Pledges, guarantees and promises the reports record: who made them, to whom, and when.",
        ),
        _ => (
            "Calls for action",
            "Called by",
            "Demand",
            "Demands for investigation, release or protection the reports record.",
        ),
    };
    let content = html! {
        h1 { (title) }
        p.muted { (intro) " " (rows.len()) " in all, the latest first." }
        @if rows.is_empty() { p { "None recorded yet: they appear here as reports that state them are ingested." } }
        table {
            thead { tr { th { "When" } th { (who) } th.wide { "To" } th { (what) } @if kind == ClaimKind::Commitment { th { "Status, as the report tells it" } } th { "Source" } } }
            tbody {
                @for (row, (c, s, date)) in rows.iter().enumerate() {
                    @let ClaimValue::Statement { by, to, content, detail, .. } = &c.value else { continue };
                    tr {
                        td { (date.clone().unwrap_or_else(|| "—".into())) }
                        td { (by.clone().unwrap_or_else(|| "—".into())) }
                        td.wide { (to.clone().unwrap_or_default()) }
                        td {
                            (content.clone().unwrap_or_default()) br;
                            a href=(format!("/sources/{}#claim-{}", c.source, c.id)) { "“" (c.text) "”" }
                            @if !follow_ups[row].is_empty() {
                                br; span.muted { "Made again later: " }
                                @for (k, &j) in follow_ups[row].iter().enumerate() {
                                    @if k > 0 { "; " }
                                    @let (later, _, when) = &rows[j];
                                    a href=(format!("/sources/{}#claim-{}", later.source, later.id)) { (when.clone().unwrap_or_default()) }
                                }
                            }
                        }
                        @if kind == ClaimKind::Commitment {
                            td {
                                @match detail.as_deref() {
                                    Some("breached") => { strong { "said to be breached" } br; span.muted { "according to " (c.according_to.as_str()) } }
                                    Some("kept") => { "said to be kept" br; span.muted { "according to " (c.according_to.as_str()) } }
                                    _ => { "stated" }
                                }
                            }
                        }
                        td { @if let Some(s) = s { (s.meta.title.clone().unwrap_or_else(|| s.file_name.clone())) " " span.muted { "(" (s.meta.source_type.as_str()) ")" } } }
                    }
                }
            }
        }
    };
    Html(layout(title, content).into_string()).into_response()
}

/// `GET /cases`: individual cases (abducted, detained, disappeared), one row
/// per report, grouped by person, with the duration as stated and the days
/// since the report. Persons appear by pseudonym unless the caller is an
/// analyst or above.
pub async fn cases(State(app): State<App>, headers: axum::http::HeaderMap) -> Response {
    let (mut claims, sources) = match tokio::try_join!(app.effective_claims(), app.sources()) {
        Ok(both) => both,
        Err(e) => return internal(e),
    };
    claims.retain(|c| c.kind == ClaimKind::Case);
    let names_shown = crate::auth::sees_names(&app, &headers).await;
    if names_shown {
        if let Err(e) = app.reveal_claims(&mut claims).await {
            return internal(e);
        }
    }
    let by_id: std::collections::HashMap<_, &Source> = sources.iter().map(|s| (&s.id, s)).collect();
    let today = chrono::Utc::now().date_naive();
    let mut rows: Vec<(String, Option<chrono::NaiveDate>, &Claim, Option<&Source>)> = claims
        .iter()
        .map(|c| {
            let person = match &c.value {
                ClaimValue::Statement { to: Some(p), .. } => p.clone(),
                _ => "(unnamed)".into(),
            };
            let s = by_id.get(&c.source).copied();
            let reported = match &c.value {
                ClaimValue::Statement { date: Some(d), .. } => Some(d.start),
                _ => s.and_then(|s| s.meta.published),
            };
            (person, reported, c, s)
        })
        .collect();
    rows.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
    let content = html! {
        h1 { "Cases" }
        p.muted {
            "Persons abducted, detained, arrested or disappeared, one row per report that tells of them, "
            "the earliest report first. " (rows.len()) " in all."
        }
        @if !names_shown {
            p.notice { "Persons are shown by pseudonym. Analysts who sign in see their names." }
        }
        @if rows.is_empty() { p { "None recorded yet: they appear here as reports that tell of them are ingested." } }
        table {
            thead { tr { th { "Person" } th { "What happened" } th { "How long, as stated" } th { "Reported" } th { "Days since the report" } th.wide { "Passage and source" } } }
            tbody {
                @for (person, reported, c, s) in &rows {
                    @let ClaimValue::Statement { detail, duration, .. } = &c.value else { continue };
                    tr {
                        td { (person) }
                        td { (detail.clone().unwrap_or_default()) }
                        td { (duration.clone().unwrap_or_else(|| "—".into())) }
                        td { (reported.map(|d| d.to_string()).unwrap_or_else(|| "—".into())) }
                        td { @if let Some(d) = reported { (format!("{} days", (today - *d).num_days())) } @else { "—" } }
                        td.wide {
                            a href=(format!("/sources/{}#claim-{}", c.source, c.id)) { "“" (c.text) "”" }
                            @if let Some(s) = s { br; span.muted { (s.meta.title.clone().unwrap_or_else(|| s.file_name.clone())) " (" (s.meta.source_type.as_str()) ")" } }
                        }
                    }
                }
            }
        }
    };
    Html(layout("Cases", content).into_string()).into_response()
}

#[cfg(test)]
mod tests {
    use super::{same_demand, words_of};

    #[test]
    fn the_same_demand_in_other_words_is_a_follow_up() {
        let a = words_of("an independent investigation into the killings at Camp Ashraf");
        let b = words_of("an independent and impartial investigation into the Camp Ashraf killings");
        let c = words_of("the release of the seven hostages");
        assert!(same_demand(&a, &b));
        assert!(!same_demand(&a, &c));
        assert!(!same_demand(&words_of("a probe"), &words_of("a probe")), "too few words to tell");
    }
}
