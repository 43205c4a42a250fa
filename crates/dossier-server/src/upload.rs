//! Ingesting from the browser or a script: `POST /api/v1/sources?name=FILE`
//! (the raw bytes as the body) and the `/upload` page (a multipart form).
//! Analysts and above; the log entries name the user; uploaded bytes go into
//! the content-addressed archive and are never served back as they came (the
//! API serves the normalised text as `text/plain`, pages escape it).

use axum::body::Bytes;
use axum::extract::{Multipart, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Json;
use dossier_app::{App, IngestError, IngestInput, IngestOutcome, Role};
use dossier_model::SourceMetaOverride;
use maud::html;
use serde::Deserialize;
use serde_json::json;

use crate::auth::{caller, require_change};
use crate::pages::{layout, page_error};
use crate::WebError;

/// The most an upload may carry: one report's limit plus room for the form.
pub const MAX_UPLOAD: usize = dossier_app::DEFAULT_MAX_BYTES as usize + 64 * 1024;

/// `?name=` of an API upload.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadQuery {
    /// The file name (its extension tells the format: .txt, .md, .html).
    name: String,
}

/// A file name as shown: its last path component, printable characters only, at most 200.
fn clean_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or("");
    let clean: String = last.chars().filter(|c| !c.is_control()).take(200).collect();
    if clean.trim().is_empty() || clean == "." || clean == ".." {
        "upload.txt".into()
    } else {
        clean
    }
}

/// Ingests and places one upload.
async fn ingest(app: &App, name: &str, bytes: Vec<u8>, user: &str) -> Result<IngestOutcome, WebError> {
    let input = IngestInput { bytes, file_name: clean_name(name), overrides: SourceMetaOverride::default() };
    let outcome = app.ingest_by(input, user).await.map_err(|e| match e {
        IngestError::Intake(why) => WebError::bad_request(why.to_string()),
        other => WebError::internal(other),
    })?;
    if let IngestOutcome::New { source, .. } = &outcome {
        app.resolve_new(std::slice::from_ref(source)).await.map_err(WebError::internal)?;
    }
    Ok(outcome)
}

/// `POST /api/v1/sources?name=FILE`.
#[utoipa::path(post, path = "/api/v1/sources", tag = "sources", params(UploadQuery),
    request_body(content = String, description = "The report's bytes (text, Markdown or HTML; at most 16 MiB)", content_type = "application/octet-stream"),
    responses((status = 201, description = "Stored as a new source: its id, claims extracted, diagnostics", body = Object),
        (status = 200, description = "The same bytes were ingested before: the existing source", body = Object),
        (status = 400, description = "Not a readable report (empty, binary, bad encoding or header)", body = crate::api::ErrorBody),
        (status = 401, description = "No token or session", body = crate::api::ErrorBody),
        (status = 403, description = "A role that may not ingest, or a missing CSRF token", body = crate::api::ErrorBody),
        (status = 413, description = "Body too large", body = crate::api::ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn api_upload(
    State(app): State<App>,
    headers: HeaderMap,
    query: Result<Query<UploadQuery>, axum::extract::rejection::QueryRejection>,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Response, WebError> {
    let user = require_change(&app, &headers, Role::Analyst, None).await?;
    let Query(q) = query.map_err(|e| WebError::bad_request(e.body_text()))?;
    let body = body.map_err(|e| WebError::rejected(e.status(), e.body_text()))?;
    match ingest(&app, &q.name, body.to_vec(), &user.name).await? {
        IngestOutcome::New { source, claims, diagnostics } => Ok((
            StatusCode::CREATED,
            Json(json!({ "source": source, "new": true, "claims": claims, "diagnostics": diagnostics })),
        )
            .into_response()),
        IngestOutcome::Duplicate { source, first_file_name } => {
            Ok(Json(json!({ "source": source, "new": false, "first_file_name": first_file_name })).into_response())
        }
    }
}

/// `GET /upload`.
pub async fn page(State(app): State<App>, headers: HeaderMap) -> Response {
    let who = caller(&app, &headers).await.ok().flatten();
    let csrf = who.as_ref().filter(|c| c.user.role >= Role::Analyst).and_then(|c| c.csrf.clone());
    let content = html! {
        h1 { "Upload a report" }
        @match &csrf {
            Some(token) => {
                p.muted { "A text, Markdown or HTML file of at most 16 MiB. It is archived as it is, its claims are extracted, and it is placed into incidents." }
                form #upload-form method="post" action="/upload" enctype="multipart/form-data" {
                    input type="hidden" name="csrf" value=(token);
                    p { label for="file" { "Report file" } br; input id="file" name="file" type="file" accept=".txt,.md,.markdown,.html,.htm,text/plain,text/markdown,text/html" required; }
                    p { button type="submit" { "Upload and extract" } }
                    p { progress #upload-progress hidden max="1" value="0" { "sending" } }
                    p #upload-status role="status" aria-live="polite" {}
                }
                script src="/static/upload.js" defer {}
            }
            None => p.notice { "To upload reports, " a href="/login" { "sign in" } " as an analyst, reviewer or admin." },
        }
    };
    Html(layout("Upload", content).into_string()).into_response()
}

/// `POST /upload`: the multipart form.
pub async fn submit(
    State(app): State<App>,
    headers: HeaderMap,
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    // Who asks, before anything of the body is read; the CSRF token inside it is checked after.
    if let Err(e) = crate::auth::require(&app, &headers, Role::Analyst).await {
        return page_error(e.status, &e.message);
    }
    let mut form = match form {
        Ok(f) => f,
        Err(e) => return page_error(e.status(), &e.body_text()),
    };
    let (mut csrf, mut file) = (String::new(), None::<(String, Vec<u8>)>);
    loop {
        match form.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().unwrap_or("").to_string();
                let file_name = field.file_name().map(str::to_string);
                let Ok(bytes) = field.bytes().await else {
                    return page_error(StatusCode::PAYLOAD_TOO_LARGE, "the upload is too large or was cut off");
                };
                match name.as_str() {
                    "csrf" => csrf = String::from_utf8_lossy(&bytes).into_owned(),
                    "file" => file = Some((file_name.unwrap_or_default(), bytes.to_vec())),
                    _ => {}
                }
            }
            Ok(None) => break,
            Err(e) => return page_error(e.status(), &e.body_text()),
        }
    }
    let user = match require_change(&app, &headers, Role::Analyst, Some(&csrf)).await {
        Ok(u) => u,
        Err(e) => return page_error(e.status, &e.message),
    };
    let Some((name, bytes)) = file else { return page_error(StatusCode::BAD_REQUEST, "no file was chosen") };
    match ingest(&app, &name, bytes, &user.name).await {
        Ok(IngestOutcome::New { source, .. } | IngestOutcome::Duplicate { source, .. }) => {
            Redirect::to(&format!("/sources/{source}")).into_response()
        }
        Err(e) => page_error(e.status, &e.message),
    }
}
