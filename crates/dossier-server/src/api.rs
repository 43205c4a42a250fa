//! The JSON API under `/api/v1`: consistent error bodies, paging, stable order.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use dossier_app::App;
use dossier_model::{IncidentId, SourceId};
use serde_json::{json, Value};

use crate::{IncidentFilter, WebError};

/// Unknown routes.
pub async fn not_found() -> WebError {
    WebError::not_found("no such page or endpoint")
}

fn filter_from(q: Result<Query<IncidentFilter>, QueryRejection>) -> Result<IncidentFilter, WebError> {
    let Query(f) = q.map_err(|e| WebError::bad_request(e.body_text()))?;
    f.validate().map_err(WebError::bad_request)?;
    Ok(f)
}

/// `GET /api/v1/incidents`: filtered, paged, by date then id.
pub async fn incidents(
    State(app): State<App>,
    q: Result<Query<IncidentFilter>, QueryRejection>,
) -> Result<Json<Value>, WebError> {
    let f = filter_from(q)?;
    let all = app.incidents().await.map_err(WebError::internal)?;
    let matching: Vec<_> = all.into_iter().filter(|i| f.matches(i)).collect();
    let (limit, offset) = f.page();
    let page: Vec<_> = matching.iter().skip(offset).take(limit).collect();
    Ok(Json(json!({ "total": matching.len(), "limit": limit, "offset": offset, "items": page })))
}

/// `GET /api/v1/incidents/{id}`.
pub async fn incident(State(app): State<App>, Path(id): Path<String>) -> Result<Json<Value>, WebError> {
    let id = IncidentId::parse(&id).map_err(|e| WebError::bad_request(e.to_string()))?;
    let i = app
        .incident(&id)
        .await
        .map_err(WebError::internal)?
        .ok_or_else(|| WebError::not_found(format!("no incident {id}")))?;
    Ok(Json(json!(i)))
}

/// `GET /api/v1/sources`.
pub async fn sources(State(app): State<App>) -> Result<Json<Value>, WebError> {
    let list: Vec<Value> = app
        .sources()
        .await
        .map_err(WebError::internal)?
        .into_iter()
        .map(|s| {
            json!({
                "id": s.id, "sha256": s.sha256, "file_name": s.file_name, "title": s.meta.title,
                "source_type": s.meta.source_type, "publisher": s.meta.publisher,
                "published": s.meta.published.map(|d| d.to_string()), "url": s.meta.url, "ingested_at": s.ingested_at,
            })
        })
        .collect();
    Ok(Json(json!({ "total": list.len(), "items": list })))
}

async fn load_source(app: &App, id: &str) -> Result<dossier_model::Source, WebError> {
    let id = SourceId::parse(id).map_err(|e| WebError::bad_request(e.to_string()))?;
    app.source(&id).await.map_err(WebError::internal)?.ok_or_else(|| WebError::not_found(format!("no source {id}")))
}

/// `GET /api/v1/sources/{id}`: the source and its claims.
pub async fn source(State(app): State<App>, Path(id): Path<String>) -> Result<Json<Value>, WebError> {
    let s = load_source(&app, &id).await?;
    let claims = app.claims_of(&s.id).await.map_err(WebError::internal)?;
    Ok(Json(json!({ "source": s, "claims": claims })))
}

/// `GET /api/v1/sources/{id}/text`: the normalised text every span indexes, as plain text.
pub async fn source_text(State(app): State<App>, Path(id): Path<String>) -> Result<Response, WebError> {
    let s = load_source(&app, &id).await?;
    Ok(([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], s.body).into_response())
}

/// `GET /api/v1/verify`: the same checks as `dossier verify`.
pub async fn verify(State(app): State<App>) -> Result<Response, WebError> {
    let r = app.verify().await.map_err(WebError::internal)?;
    let problems: Vec<Value> =
        r.problems.iter().map(|p| json!({ "subject": p.subject, "message": p.message })).collect();
    let body = json!({
        "ok": r.ok(), "sources": r.sources, "archive_files": r.archive_files, "claims": r.claims,
        "log_entries": r.log_entries, "incidents": r.incidents, "root": r.root, "problems": problems,
    });
    let status = if r.ok() { StatusCode::OK } else { StatusCode::CONFLICT };
    Ok((status, Json(body)).into_response())
}

/// The body of `POST /api/v1/claims/{id}/review`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewBody {
    /// `accept`, `reject` or `edit`.
    action: String,
    /// Why (required to reject or edit).
    #[serde(default)]
    reason: String,
    /// Corrected lower bound (edit).
    min: Option<u64>,
    /// Corrected upper bound (edit).
    max: Option<u64>,
    /// Corrected qualifier (edit).
    qualifier: Option<String>,
}

/// `POST /api/v1/claims/{id}/review`: a reviewer accepts, rejects or corrects
/// a claim; the log entry names the reviewer.
pub async fn review_claim(
    State(app): State<App>,
    headers: axum::http::HeaderMap,
    Path(id): Path<String>,
    body: Result<Json<ReviewBody>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<Value>, WebError> {
    let user = crate::auth::require_change(&app, &headers, dossier_app::Role::Reviewer, None).await?;
    let Json(body) = body.map_err(|e| match e.status() {
        StatusCode::PAYLOAD_TOO_LARGE => WebError::too_large(e.body_text()),
        _ => WebError::bad_request(e.body_text()),
    })?;
    let id = dossier_model::ClaimId::parse(&id).map_err(|e| WebError::bad_request(e.to_string()))?;
    let action = dossier_model::ReviewAction::parse(&body.action)
        .ok_or_else(|| WebError::bad_request("action must be accept, reject or edit"))?;
    let edit = (body.min.is_some() || body.max.is_some() || body.qualifier.is_some()).then(|| dossier_app::CountEdit {
        min: body.min,
        max: body.max,
        qualifier: body.qualifier.clone(),
    });
    match app.review_claim(&id, action, edit, &body.reason, &user.name).await {
        Ok(r) => Ok(Json(json!({ "review": r }))),
        Err(dossier_app::AppError::NotFound(what)) => Err(WebError::not_found(format!("no {what}"))),
        Err(dossier_app::AppError::Invalid(why)) => Err(WebError::bad_request(why)),
        Err(e) => Err(WebError::internal(e)),
    }
}
