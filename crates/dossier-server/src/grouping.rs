//! Reviewers' grouping decisions from the web: merge two incidents, split a
//! source's report out of one. The JSON API (`POST /api/v1/incidents/{id}/merge`
//! and `/split`, bearer token or session) and the incident page's forms
//! (`POST /incidents/{id}/merge` and `/split`, CSRF-protected) do the same
//! thing: one logged decision under the reviewer's name, then a re-resolution
//! that honours it; the machine's grouping stays in the log.

use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
use dossier_app::{App, AppError, Role};
use dossier_model::{IncidentId, SourceId};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::api::ErrorBody;
use crate::auth::require_change;
use crate::pages::page_error;
use crate::WebError;

/// The body of a merge.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeBody {
    /// The other incident (inc-…).
    with: String,
    /// Why they are one event.
    reason: String,
}

/// The body of a split.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SplitBody {
    /// The source whose report is a different event (src-…).
    source: String,
    /// Why.
    reason: String,
}

fn incident_id(s: &str) -> Result<IncidentId, WebError> {
    IncidentId::parse(s).map_err(|e| WebError::bad_request(e.to_string()))
}

fn source_id(s: &str) -> Result<SourceId, WebError> {
    SourceId::parse(s).map_err(|e| WebError::bad_request(e.to_string()))
}

fn app_error(e: AppError) -> WebError {
    match e {
        AppError::NotFound(what) => WebError::not_found(format!("no {what}")),
        AppError::Invalid(why) => WebError::bad_request(why),
        e => WebError::internal(e),
    }
}

/// Merges; returns the incident that now holds `a`'s first source.
async fn merge(app: &App, a: &IncidentId, with: &str, reason: &str, by: &str) -> Result<Option<IncidentId>, WebError> {
    let b = incident_id(with)?;
    if *a == b {
        return Err(WebError::bad_request("an incident cannot be merged with itself"));
    }
    let first = app.incident(a).await.map_err(WebError::internal)?.and_then(|i| i.sources.first().cloned());
    app.merge_incidents(a, &b, reason, by).await.map_err(app_error)?;
    match first {
        Some(s) => app.incident_of(&s).await.map_err(WebError::internal),
        None => Ok(None),
    }
}

/// Splits; returns the incident that now holds the source.
async fn split(
    app: &App,
    i: &IncidentId,
    source: &str,
    reason: &str,
    by: &str,
) -> Result<Option<IncidentId>, WebError> {
    let s = source_id(source)?;
    app.split_incident(i, &s, reason, by).await.map_err(app_error)?;
    app.incident_of(&s).await.map_err(WebError::internal)
}

/// `POST /api/v1/incidents/{id}/merge`: a reviewer decides two incidents are one.
#[utoipa::path(post, path = "/api/v1/incidents/{id}/merge", tag = "review",
    params(("id" = String, Path, description = "Incident id (inc-…)")),
    request_body(content = MergeBody, description = "The other incident and why (at most 16 KiB)"),
    responses((status = 200, description = "Decided: the incident that now holds both", body = Object),
        (status = 400, description = "Bad request (no reason, same incident, malformed ids)", body = ErrorBody),
        (status = 401, description = "No token or session", body = ErrorBody),
        (status = 403, description = "A role that may not review, or a missing CSRF token", body = ErrorBody),
        (status = 404, description = "No such incident", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn api_merge(
    State(app): State<App>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Result<Json<MergeBody>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<Value>, WebError> {
    let user = require_change(&app, &headers, Role::Reviewer, None).await?;
    let Json(body) = body.map_err(|e| WebError::rejected(e.status(), e.body_text()))?;
    let id = incident_id(&id)?;
    let now = merge(&app, &id, &body.with, &body.reason, &user.name).await?;
    Ok(Json(json!({ "merged": [id, body.with], "incident": now, "by": user.name })))
}

/// `POST /api/v1/incidents/{id}/split`: a reviewer decides a source's report is another event.
#[utoipa::path(post, path = "/api/v1/incidents/{id}/split", tag = "review",
    params(("id" = String, Path, description = "Incident id (inc-…)")),
    request_body(content = SplitBody, description = "The source to split out and why (at most 16 KiB)"),
    responses((status = 200, description = "Decided: the incident that now holds the source", body = Object),
        (status = 400, description = "Bad request (no reason, not a source of the incident, malformed ids)", body = ErrorBody),
        (status = 401, description = "No token or session", body = ErrorBody),
        (status = 403, description = "A role that may not review, or a missing CSRF token", body = ErrorBody),
        (status = 404, description = "No such incident", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn api_split(
    State(app): State<App>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Result<Json<SplitBody>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<Value>, WebError> {
    let user = require_change(&app, &headers, Role::Reviewer, None).await?;
    let Json(body) = body.map_err(|e| WebError::rejected(e.status(), e.body_text()))?;
    let id = incident_id(&id)?;
    let now = split(&app, &id, &body.source, &body.reason, &user.name).await?;
    Ok(Json(json!({ "split": body.source, "from": id, "incident": now, "by": user.name })))
}

/// The fields of the incident page's forms.
#[derive(Deserialize)]
pub struct GroupingForm {
    #[serde(default)]
    with: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    csrf: String,
}

/// Either form: the reviewer's decision, then the incident it leaves the report in.
async fn form_decision(app: &App, headers: &HeaderMap, id: &str, f: GroupingForm, merging: bool) -> Response {
    let user = match require_change(app, headers, Role::Reviewer, Some(&f.csrf)).await {
        Ok(u) => u,
        Err(e) => return page_error(e.status, &e.message),
    };
    let Ok(id) = IncidentId::parse(id) else { return page_error(StatusCode::BAD_REQUEST, "not an incident id") };
    let decided = if merging {
        merge(app, &id, f.with.trim(), &f.reason, &user.name).await
    } else {
        split(app, &id, f.source.trim(), &f.reason, &user.name).await
    };
    match decided {
        Ok(now) => Redirect::to(&format!("/incidents/{}", now.as_ref().unwrap_or(&id))).into_response(),
        Err(e) => page_error(e.status, &e.message),
    }
}

/// `POST /incidents/{id}/merge` (the incident page's form).
pub async fn form_merge(
    State(app): State<App>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<GroupingForm>,
) -> Response {
    form_decision(&app, &headers, &id, f, true).await
}

/// `POST /incidents/{id}/split` (the incident page's form).
pub async fn form_split(
    State(app): State<App>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<GroupingForm>,
) -> Response {
    form_decision(&app, &headers, &id, f, false).await
}
