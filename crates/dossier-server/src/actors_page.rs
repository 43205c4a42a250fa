//! Actors: every perpetrator, commander and unit the reports name, with the
//! names it goes by, the incidents attributed to it, the commands and orders
//! the reports state (each linked to its passage), and the chains of command
//! they form.

use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use dossier_app::App;
use dossier_app::{command_chains, ActorSummary, RelationEdge};
use maud::{html, Markup};

use crate::pages::{internal, layout};

fn edge(e: &RelationEdge) -> Markup {
    html! {
        (e.from) " " strong { (e.relation) } " " (e.to) " "
        a href=(format!("/sources/{}#claim-{}", e.source, e.claim)) { "(where it says so)" }
    }
}

fn anchor(key: &str) -> String {
    format!("actor-{}", key.chars().map(|c| if c.is_alphanumeric() { c } else { '-' }).collect::<String>())
}

/// `GET /actors`.
pub async fn page(State(app): State<App>) -> Response {
    let actors: Vec<ActorSummary> = match app.actors().await {
        Ok(a) => a,
        Err(e) => return internal(e),
    };
    let chains = command_chains(&actors);
    let name_of = |key: &str| actors.iter().find(|a| a.key == key).map_or(key.to_string(), |a| a.name.clone());
    let content = html! {
        h1 { "Actors" }
        p.muted { (actors.len()) " actors named by the reports. Names given in short (\"the army\", a surname) count as the fuller name the same report gave." }
        @if !chains.is_empty() {
            h2 { "Chains of command" }
            ul.chains {
                @for (depth, key) in &chains {
                    li class=(format!("depth-{}", depth.min(&6))) {
                        @if *depth > 0 { span aria-hidden="true" { "└ " } }
                        a href=(format!("#{}", anchor(key))) { (name_of(key)) }
                    }
                }
            }
        }
        table.actors {
            thead { tr { th { "Actor" } th { "Kind" } th.num { "Incidents" } th.wide { "Also named" } } }
            tbody {
                @for a in &actors {
                    tr id=(anchor(&a.key)) {
                        td {
                            strong { (a.name) }
                            @if !a.incidents.is_empty() {
                                br;
                                @for (k, (id, title)) in a.incidents.iter().enumerate() {
                                    @if k > 0 { "; " }
                                    a href=(format!("/incidents/{id}")) { (title) }
                                }
                            }
                            @for e in &a.gives { br; (edge(e)) }
                            @for e in &a.receives { br; span.muted { (edge(e)) } }
                        }
                        td { (a.kind.replace('_', " ")) }
                        td.num { (a.incidents.len()) }
                        td.wide { (a.aliases.iter().filter(|n| **n != a.name).cloned().collect::<Vec<_>>().join("; ")) }
                    }
                }
            }
        }
    };
    Html(layout("Actors", content).into_string()).into_response()
}
