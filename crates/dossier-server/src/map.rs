//! The map: incidents as points on an offline world map (Natural Earth
//! country shapes, `assets/world.svg`), one point per place and grade, sized
//! by toll and coloured by grade; each links to that place's incidents. The
//! incident list's filters apply. Server-drawn SVG: no script, no inline
//! style; a table lists the same points for keyboards and screen readers.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use dossier_app::{App, MapPoint};
use maud::{html, PreEscaped};

use crate::pages::{date_and_grade_fields, internal, layout, page_error, GRADES};
use crate::IncidentFilter;

/// Country shapes, equirectangular on a 1000 × 500 view box.
const WORLD: &str = include_str!("../assets/world.svg");

/// Where a point falls on the view box.
fn project(lat: f64, lon: f64) -> (f64, f64) {
    ((lon.clamp(-180.0, 180.0) + 180.0) / 360.0 * 1000.0, (90.0 - lat.clamp(-90.0, 90.0)) / 180.0 * 500.0)
}

/// A point's radius: its area grows with the toll (and with the number of incidents where no toll is known).
fn radius(p: &MapPoint) -> f64 {
    let weight = p.killed_max.max(p.incidents) as f64;
    (2.5 + weight.sqrt() * 0.8).min(24.0)
}

/// `GET /map`.
pub async fn page(
    State(app): State<App>,
    q: Result<Query<IncidentFilter>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let f = match q {
        Ok(Query(f)) => f,
        Err(e) => return page_error(StatusCode::BAD_REQUEST, &e.body_text()),
    };
    if let Err(e) = f.validate() {
        return page_error(StatusCode::BAD_REQUEST, &e);
    }
    let mut points = match app.map_points(&f.to_query()).await {
        Ok(p) => p,
        Err(e) => return internal(e),
    };
    // Large points first, so that small ones stay on top and clickable.
    points.sort_by(|a, b| radius(b).total_cmp(&radius(a)));
    let incidents: u64 = points.iter().map(|p| p.incidents).sum();
    let content = html! {
        h1 { "Map" }
        form.filters method="get" action="/map" role="search" {
            (date_and_grade_fields(&f))
            button type="submit" { "Show" }
        }
        p.muted { (incidents) " incidents at " (points.len()) " points. A point's area grows with the toll; its colour is the grade." }
        figure.map {
            svg viewBox="0 0 1000 500" role="img" aria-labelledby="map-title" {
                title id="map-title" { "Incidents on a world map" }
                rect.sea x="0" y="0" width="1000" height="500" {}
                (PreEscaped(WORLD))
                @for p in &points {
                    @let (x, y) = project(p.lat, p.lon);
                    a href=(format!("/incidents?place={}", crate::url_encode(&p.place))) {
                        circle class=(format!("point grade-{}", p.grade)) cx=(format!("{x:.1}")) cy=(format!("{y:.1}")) r=(format!("{:.1}", radius(p))) {
                            title { (p.place) ": " (p.incidents) " incident(s), up to " (p.killed_max) " killed, " (p.grade.replace('_', " ")) }
                        }
                    }
                }
            }
            figcaption.legend {
                @for g in GRADES {
                    span { svg.key viewBox="0 0 10 10" aria-hidden="true" { circle class=(format!("point grade-{g}")) cx="5" cy="5" r="4" {} } (g.replace('_', " ")) }
                }
            }
        }
        h2 { "Points" }
        table {
            thead { tr { th { "Place" } th { "Grade" } th.num { "Incidents" } th.num { "Killed (up to)" } } }
            tbody {
                @for p in &points {
                    tr {
                        td { a href=(format!("/incidents?place={}", crate::url_encode(&p.place))) { (p.place) } }
                        td { (p.grade.replace('_', " ")) }
                        td.num { (p.incidents) }
                        td.num { (p.killed_max) }
                    }
                }
            }
        }
    };
    Html(layout("Map", content).into_string()).into_response()
}
