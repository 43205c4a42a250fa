//! The timeline: incidents over time, per year, and per month of a chosen
//! year (`/timeline?year=2011`), with the number of incidents and the sums
//! of their killed ranges; each bar links to the incidents it counts. Bars
//! are `<meter>` elements: no script, no inline style.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use dossier_app::App;
use maud::html;
use serde::Deserialize;

use crate::pages::{layout, page_error};

/// `?year=`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Zoom {
    year: Option<i32>,
}

/// `GET /timeline`.
pub async fn page(
    State(app): State<App>,
    q: Result<Query<Zoom>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let Ok(Query(zoom)) = q else {
        return page_error(StatusCode::BAD_REQUEST, "year must be a number, as in ?year=2011");
    };
    if zoom.year.is_some_and(|y| !(1..=9999).contains(&y)) {
        return page_error(StatusCode::BAD_REQUEST, "year must be between 1 and 9999");
    }
    let buckets = match app.timeline(zoom.year).await {
        Ok(b) => b,
        Err(e) => return crate::pages::internal(e),
    };
    let most = buckets.iter().map(|b| b.incidents).max().unwrap_or(1).max(1);
    let title = match zoom.year {
        Some(y) => format!("Timeline of {y}"),
        None => "Timeline".to_string(),
    };
    let link = |bucket: &str| match zoom.year {
        None => format!("/timeline?year={bucket}"),
        Some(_) => format!("/incidents?from={bucket}-01&to={bucket}-31"),
    };
    let content = html! {
        h1 { (title) }
        @if zoom.year.is_some() { p { a href="/timeline" { "← All years" } } }
        p.muted { "Incidents by the date they began; killed: the sum of each incident's range, lowest to highest figure given." }
        @if buckets.is_empty() { p { "No dated incident." } }
        table.timeline {
            thead { tr { th { @if zoom.year.is_some() { "Month" } @else { "Year" } } th { "Incidents" } th.num { "Count" } th.num { "Killed" } } }
            tbody {
                @for b in &buckets {
                    tr {
                        td { a href=(link(&b.bucket)) { (b.bucket) } }
                        td { meter min="0" max=(most) value=(b.incidents) aria-label=(format!("{} incidents", b.incidents)) { (b.incidents) } }
                        td.num { (b.incidents) }
                        td.num { @if b.killed_min == b.killed_max { (b.killed_min) } @else { (b.killed_min) "–" (b.killed_max) } }
                    }
                }
            }
        }
    };
    Html(layout(&title, content).into_string()).into_response()
}
