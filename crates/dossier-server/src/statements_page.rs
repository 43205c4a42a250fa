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
            thead { tr { th { "When" } th { (who) } th.wide { "To" } th { (what) } th { "Source" } } }
            tbody {
                @for (c, s, date) in &rows {
                    @let ClaimValue::Statement { by, to, content, .. } = &c.value else { continue };
                    tr {
                        td { (date.clone().unwrap_or_else(|| "—".into())) }
                        td { (by.clone().unwrap_or_else(|| "—".into())) }
                        td.wide { (to.clone().unwrap_or_default()) }
                        td {
                            (content.clone().unwrap_or_default()) br;
                            a href=(format!("/sources/{}#claim-{}", c.source, c.id)) { "“" (c.text) "”" }
                        }
                        td { @if let Some(s) = s { (s.meta.title.clone().unwrap_or_else(|| s.file_name.clone())) " " span.muted { "(" (s.meta.source_type.as_str()) ")" } } }
                    }
                }
            }
        }
    };
    Html(layout(title, content).into_string()).into_response()
}
