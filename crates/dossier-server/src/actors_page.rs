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

/// Box size and spacing of the chain-of-command drawing, in SVG units.
const BOX_W: usize = 300;
const BOX_H: usize = 30;
const STEP_X: usize = 340;
const STEP_Y: usize = 44;

/// The chains of command drawn as a graph: commanders on the left, the units
/// each commands to its right, one row per actor in depth-first order, an
/// elbow line from each commander to each unit; every box links to the
/// actor's row below. Drawn on the server as SVG (no script).
fn chain_svg(chains: &[(usize, String)], name_of: &dyn Fn(&str) -> String) -> Markup {
    let depth_max = chains.iter().map(|(d, _)| *d).max().unwrap_or(0);
    let width = depth_max * STEP_X + BOX_W + 2;
    let height = chains.len() * STEP_Y + 2;
    // The parent of each row: the nearest earlier row one level up.
    let parent = |i: usize| (0..i).rev().find(|&j| chains[j].0 + 1 == chains[i].0);
    let short = |name: &str| {
        if name.chars().count() > 40 {
            format!("{}…", name.chars().take(39).collect::<String>())
        } else {
            name.to_string()
        }
    };
    html! {
        svg.chain-graph xmlns="http://www.w3.org/2000/svg" viewBox=(format!("0 0 {width} {height}"))
            width=(width) height=(height) role="img" aria-label="Chains of command: who commands whom, as the reports state" {
            @for (i, (depth, _)) in chains.iter().enumerate() {
                @if let Some(j) = parent(i) {
                    @let (x1, y1) = (chains[j].0 * STEP_X + BOX_W / 2, j * STEP_Y + BOX_H + 1);
                    @let (x2, y2) = (depth * STEP_X + 1, i * STEP_Y + BOX_H / 2 + 1);
                    path.edge d=(format!("M{x1},{y1} V{y2} H{x2}")) {}
                }
            }
            @for (i, (depth, key)) in chains.iter().enumerate() {
                @let name = name_of(key);
                a href=(format!("#{}", anchor(key))) {
                    title { (name) }
                    rect.node x=(depth * STEP_X + 1) y=(i * STEP_Y + 1) width=(BOX_W) height=(BOX_H) rx="4" {}
                    text x=(depth * STEP_X + 9) y=(i * STEP_Y + 20) { (short(&name)) }
                }
            }
        }
    }
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
            div.graph { (chain_svg(&chains, &name_of)) }
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
