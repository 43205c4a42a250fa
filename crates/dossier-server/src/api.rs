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
#[utoipa::path(get, path = "/api/v1/incidents", tag = "incidents", params(IncidentFilter),
    responses((status = 200, description = "A page of incidents: total, limit, offset, items (each with its figures side by side, grade and why)", body = Object),
        (status = 400, description = "Bad request", body = ErrorBody)))]
pub async fn incidents(
    State(app): State<App>,
    q: Result<Query<IncidentFilter>, QueryRejection>,
) -> Result<Response, WebError> {
    let f = filter_from(q)?;
    let query = f.to_query();
    let (total, items) = app.incidents_page(&query).await.map_err(WebError::internal)?;
    // Serialised straight from the incidents (no intermediate JSON tree).
    #[derive(serde::Serialize)]
    struct Page {
        total: usize,
        limit: usize,
        offset: usize,
        items: Vec<dossier_model::Incident>,
    }
    Ok(Json(Page { total, limit: query.limit, offset: query.offset, items }).into_response())
}

/// `GET /api/v1/incidents/{id}`.
#[utoipa::path(get, path = "/api/v1/incidents/{id}", tag = "incidents",
    params(("id" = String, Path, description = "Incident id (inc-…)")),
    responses((status = 200, description = "The incident with per-source figures and the grouping explanation", body = Object),
        (status = 400, description = "Bad request", body = ErrorBody), (status = 404, description = "No such incident", body = ErrorBody)))]
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
#[utoipa::path(get, path = "/api/v1/sources", tag = "sources",
    responses((status = 200, description = "Every source: total and items (id, digest, file name, title, type, publisher, dates)", body = Object)))]
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
#[utoipa::path(get, path = "/api/v1/sources/{id}", tag = "sources",
    params(("id" = String, Path, description = "Source id (src-…)")),
    responses((status = 200, description = "The source record and its claims, each with span, text and attribution, and the spans of protected persons' mentions (masked with `#` and named by pseudonym unless the caller is an analyst or above)", body = Object),
        (status = 400, description = "Bad request", body = ErrorBody), (status = 404, description = "No such source", body = ErrorBody)))]
pub async fn source(
    State(app): State<App>,
    Path(id): Path<String>,
    headers: axum::http::HeaderMap,
) -> Result<Json<Value>, WebError> {
    let (s, claims, mentions) = as_caller_may_see(&app, &id, &headers).await?;
    let persons: Vec<Value> = mentions
        .iter()
        .map(|m| json!({ "pseudonym": m.pseudonym, "role": m.role, "span": { "start": m.span.start, "end": m.span.end } }))
        .collect();
    Ok(Json(json!({ "source": s, "claims": claims, "protected_mentions": persons })))
}

/// A source and its claims as the caller may see them: analysts and above
/// get protected persons' names and the text as written; others get the
/// stored form (mentions masked with `#`, persons by pseudonym).
async fn as_caller_may_see(
    app: &App,
    id: &str,
    headers: &axum::http::HeaderMap,
) -> Result<(dossier_model::Source, Vec<dossier_model::Claim>, Vec<dossier_app::Mention>), WebError> {
    let s = load_source(app, id).await?;
    let mut claims = app.claims_of(&s.id).await.map_err(WebError::internal)?;
    let mentions = app.mentions_in(&s.id).await.map_err(WebError::internal)?;
    if (!mentions.is_empty() || s.meta.confidential) && crate::auth::sees_names(app, headers).await {
        let s = app.revealed_source(&s, &mut claims).await.map_err(WebError::internal)?;
        return Ok((s, claims, mentions));
    }
    Ok((s, claims, mentions))
}

/// `GET /api/v1/sources/{id}/text`: the normalised text every span indexes, as plain text.
#[utoipa::path(get, path = "/api/v1/sources/{id}/text", tag = "sources",
    params(("id" = String, Path, description = "Source id (src-…)")),
    responses((status = 200, description = "The normalised text", body = String, content_type = "text/plain"),
        (status = 400, description = "Bad request", body = ErrorBody), (status = 404, description = "No such source", body = ErrorBody)))]
pub async fn source_text(
    State(app): State<App>,
    Path(id): Path<String>,
    headers: axum::http::HeaderMap,
) -> Result<Response, WebError> {
    let (s, _, _) = as_caller_may_see(&app, &id, &headers).await?;
    Ok(([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], s.body).into_response())
}

/// `GET /api/v1/verify`: the same checks as `dossier verify`.
#[utoipa::path(get, path = "/api/v1/verify", tag = "integrity",
    responses((status = 200, description = "Everything verifies: counts, the log root, no problems", body = Object),
        (status = 409, description = "Something is damaged: each problem names what", body = Object)))]
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
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
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
#[utoipa::path(post, path = "/api/v1/claims/{id}/review", tag = "review",
    params(("id" = String, Path, description = "Claim id (clm-…)")),
    request_body(content = ReviewBody, description = "What the reviewer decides (at most 16 KiB)"),
    responses((status = 200, description = "The review as recorded, with its log entry", body = Object),
        (status = 400, description = "Bad request", body = ErrorBody),
        (status = 401, description = "No token or session", body = ErrorBody),
        (status = 403, description = "A role that may not review, or a missing CSRF token", body = ErrorBody),
        (status = 404, description = "No such claim", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn review_claim(
    State(app): State<App>,
    headers: axum::http::HeaderMap,
    Path(id): Path<String>,
    body: Result<Json<ReviewBody>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<Value>, WebError> {
    let user = crate::auth::require_change(&app, &headers, dossier_app::Role::Reviewer, None).await?;
    let Json(body) = body.map_err(|e| WebError::rejected(e.status(), e.body_text()))?;
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

/// The JSON error body every endpoint uses.
#[derive(utoipa::ToSchema, serde::Serialize)]
pub struct ErrorBody {
    /// `{"code": "...", "message": "..."}`.
    pub(crate) error: ErrorDetail,
}

/// An error's code and a message safe to show.
#[derive(utoipa::ToSchema, serde::Serialize)]
pub struct ErrorDetail {
    /// bad_request, unauthorized, forbidden, not_found, too_large, internal.
    pub(crate) code: String,
    /// What is wrong.
    pub(crate) message: String,
}

/// The OpenAPI document, generated from the handlers' annotations.
#[derive(utoipa::OpenApi)]
#[openapi(
    info(title = "Dossier API", version = "1", description = "Source-linked, attributed, verifiable records of human-rights reports."),
    paths(incidents, incident, sources, crate::upload::api_upload, source, source_text, verify, review_claim, openapi,
        crate::api_views::claims, crate::api_views::claim, crate::api_views::actors, crate::api_views::places,
        crate::api_views::timeline, crate::api_views::commitments, crate::api_views::calls, crate::api_views::cases,
        crate::api_views::search, crate::api_views::export, crate::grouping::api_merge, crate::grouping::api_split),
    components(schemas(ErrorBody, ErrorDetail, ReviewBody, crate::grouping::MergeBody, crate::grouping::SplitBody)),
    modifiers(&Security)
)]
pub struct ApiDoc;

/// Adds the two ways to authenticate.
struct Security;

impl utoipa::Modify for Security {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("dsr_…").build()),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(crate::auth::SESSION_COOKIE))),
        );
    }
}

/// `GET /api/v1/openapi.json`: this document.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "meta",
    responses((status = 200, description = "The OpenAPI 3.1 document of this API", body = Object)))]
pub async fn openapi() -> Response {
    use utoipa::OpenApi as _;
    match ApiDoc::openapi().to_json() {
        Ok(json) => ([(header::CONTENT_TYPE, "application/json")], json).into_response(),
        Err(e) => WebError::internal(e).into_response(),
    }
}
