//! The review queue: `GET /review` lists the claims nobody has reviewed
//! (counts and perpetrators first), each with its passage and a link to it in
//! the source reader; a signed-in reviewer accepts or rejects each with a
//! form (`POST /review/{claim}`, CSRF-protected). The machine's value stays
//! visible; every decision is a log entry naming the reviewer.

use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use dossier_app::{App, AppError, Role};
use dossier_model::{range_text as range, ClaimId, ReviewAction};
use maud::html;
use serde::Deserialize;

use crate::auth::{caller, require_change};
use crate::pages::{layout, page_error};

/// How many claims the page lists at once.
const PAGE: usize = 100;

/// `?done=` after a decision.
#[derive(Deserialize)]
pub struct Done {
    done: Option<String>,
}

/// The fields of one decision (`min`, `max` and `qualifier` correct a count).
#[derive(Deserialize)]
pub struct Decision {
    action: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    min: String,
    #[serde(default)]
    max: String,
    #[serde(default)]
    qualifier: String,
}

/// `GET /review`.
pub async fn queue(State(app): State<App>, headers: HeaderMap, Query(q): Query<Done>) -> Response {
    let who = caller(&app, &headers).await.ok().flatten();
    let csrf = who.as_ref().filter(|c| c.user.role >= Role::Reviewer).and_then(|c| c.csrf.clone());
    let queue = match app.review_queue().await {
        Ok(q) => q,
        Err(e) => return crate::pages::internal(e),
    };
    let second = match app.second_looks().await {
        Ok(s) => s,
        Err(e) => return crate::pages::internal(e),
    };
    let content = html! {
        h1 { "Review queue" }
        @if let Some(done) = &q.done { p.notice role="status" { (done) } }
        @if !second.is_empty() {
            section #second-look {
                h2 { "Needs a second look: decisions a re-extraction could not carry" }
                p.muted { "The running extractor no longer finds a claim of the same kind at these passages. Review the source's new claims again." }
                table {
                    thead { tr { th { "Decision" } th { "Passage it was about" } th.wide { "Reason given" } th { "Log entries" } } }
                    tbody {
                        @for l in &second {
                            tr {
                                td { (l.action) }
                                td {
                                    a href=(format!("/sources/{}", l.source)) {
                                        @if let Some(c) = &l.claim { (c.kind.as_str()) ": “" (c.text) "”" } @else { (l.source.as_str()) }
                                    }
                                }
                                td.wide { (l.reason) }
                                td { (l.seq) " → " (l.reextracted) }
                            }
                        }
                    }
                }
            }
        }
        p.muted { (queue.len()) " claim(s) nobody has reviewed yet; counts and perpetrators first." }
        @if csrf.is_none() {
            p.notice { "To accept or reject claims, " a href="/login" { "sign in" } " as a reviewer." }
        }
        table {
            thead { tr { th { "Kind" } th { "Value" } th { "Passage" } th.wide { "According to" } @if csrf.is_some() { th { "Decision" } } } }
            tbody {
                @for c in queue.iter().take(PAGE) {
                    tr id=(format!("claim-{}", c.id)) {
                        td { (c.kind.as_str()) }
                        td { @if let Some(n) = c.count() { span.range { (range(n.min, n.max)) } " " span.muted { (n.qualifier) } } }
                        td { a href=(format!("/sources/{}#claim-{}", c.source, c.id)) { "“" (c.text) "”" } }
                        td.wide { (c.according_to.as_str()) }
                        @if let Some(token) = &csrf {
                            td {
                                form.decision method="post" action=(format!("/review/{}", c.id)) {
                                    input type="hidden" name="csrf" value=(token);
                                    label { span.visually-hidden { "Reason" } input name="reason" placeholder="reason (to reject)"; }
                                    button name="action" value="accept" { "Accept" }
                                    " "
                                    button name="action" value="reject" { "Reject" }
                                }
                                @if let Some(n) = c.count() {
                                    details {
                                        summary { "Correct the figure" }
                                        form.decision method="post" action=(format!("/review/{}", c.id)) {
                                            input type="hidden" name="csrf" value=(token);
                                            label { "At least " input name="min" inputmode="numeric" size="6" value=(n.min.map(|v| v.to_string()).unwrap_or_default()); }
                                            label { " at most " input name="max" inputmode="numeric" size="6" value=(n.max.map(|v| v.to_string()).unwrap_or_default()); }
                                            label { " qualifier " input name="qualifier" size="10" value=(n.qualifier); }
                                            label { " why " input name="reason" required; }
                                            " "
                                            button name="action" value="edit" { "Correct" }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    Html(layout("Review queue", content).into_string()).into_response()
}

/// `POST /review/{claim}`.
pub async fn decide(
    State(app): State<App>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(d): Form<Decision>,
) -> Response {
    let user = match require_change(&app, &headers, Role::Reviewer, Some(&d.csrf)).await {
        Ok(u) => u,
        Err(e) => return page_error(e.status, &e.message),
    };
    let Ok(id) = ClaimId::parse(&id) else { return page_error(StatusCode::BAD_REQUEST, "not a claim id") };
    let action = match d.action.as_str() {
        "accept" => ReviewAction::Accept,
        "reject" => ReviewAction::Reject,
        "edit" => ReviewAction::Edit,
        _ => return page_error(StatusCode::BAD_REQUEST, "the decision must be accept, reject or edit"),
    };
    let bound = |v: &str, name: &str| -> Result<Option<u64>, String> {
        let v = v.trim();
        if v.is_empty() {
            return Ok(None);
        }
        v.parse().map(Some).map_err(|_| format!("{name} must be a whole number"))
    };
    let edit = if action == ReviewAction::Edit {
        match (bound(&d.min, "at least"), bound(&d.max, "at most")) {
            (Ok(min), Ok(max)) => Some(dossier_app::CountEdit {
                min,
                max,
                qualifier: Some(d.qualifier.trim().to_string()).filter(|q| !q.is_empty()),
            }),
            (Err(e), _) | (_, Err(e)) => return page_error(StatusCode::BAD_REQUEST, &e),
        }
    } else {
        None
    };
    match app.review_claim(&id, action, edit, &d.reason, &user.name).await {
        Ok(r) => {
            let verb = match action {
                ReviewAction::Accept => "Accepted",
                ReviewAction::Reject => "Rejected",
                _ => "Corrected",
            };
            let done = format!("{verb} {} by {}", r.claim, r.actor);
            let query: String = crate::url_encode(&done);
            Redirect::to(&format!("/review?done={query}")).into_response()
        }
        Err(AppError::NotFound(what)) => page_error(StatusCode::NOT_FOUND, &format!("no {what}")),
        Err(AppError::Invalid(why)) => page_error(StatusCode::BAD_REQUEST, &why),
        Err(e) => crate::pages::internal(e),
    }
}
