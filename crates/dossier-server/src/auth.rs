//! Who is asking: an API token (`Authorization: Bearer dsr_…`) names a user
//! and their role. On a loopback server without `require_auth`, anonymous
//! requests may read; every state-changing request needs a role that may
//! make it, and the log entry it writes names the user.

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use dossier_app::{App, Role, User};

use crate::WebError;

/// The user a request's bearer token names; an absent header is anonymous
/// (`None`), a malformed or unknown token is refused.
pub async fn user_of(app: &App, headers: &HeaderMap) -> Result<Option<User>, WebError> {
    let Some(value) = headers.get(header::AUTHORIZATION) else { return Ok(None) };
    let token = value.to_str().ok().and_then(|v| v.strip_prefix("Bearer ")).map(str::trim);
    let Some(token) = token else { return Err(WebError::unauthorized("use Authorization: Bearer TOKEN")) };
    match app.token_user(token).await.map_err(WebError::internal)? {
        Some(u) => Ok(Some(u)),
        None => Err(WebError::unauthorized("unknown or malformed token")),
    }
}

/// The user, if their role is at least `least`: 401 when anonymous, 403 when too low.
pub async fn require(app: &App, headers: &HeaderMap, least: Role) -> Result<User, WebError> {
    match user_of(app, headers).await? {
        None => Err(WebError::unauthorized("this needs an API token (Authorization: Bearer TOKEN)")),
        Some(u) if u.role >= least => Ok(u),
        Some(u) => {
            Err(WebError::forbidden(format!("a {} may not do this; it needs {}", u.role.as_str(), least.as_str())))
        }
    }
}

/// Middleware for servers that require authentication: every request but
/// the stylesheet needs at least a viewer's token.
pub async fn viewers_only(State(app): State<App>, request: Request, next: Next) -> Response {
    if request.uri().path() == "/static/app.css" {
        return next.run(request).await;
    }
    match require(&app, request.headers(), Role::Viewer).await {
        Ok(_) => next.run(request).await,
        Err(e) => e.into_response(),
    }
}

/// Middleware for loopback servers: anonymous reads pass, but a request that
/// presents a malformed or unknown token is refused rather than served as anonymous.
pub async fn no_bad_tokens(State(app): State<App>, request: Request, next: Next) -> Response {
    match user_of(&app, request.headers()).await {
        Ok(_) => next.run(request).await,
        Err(e) => e.into_response(),
    }
}

impl WebError {
    pub(crate) fn too_large(message: impl Into<String>) -> Self {
        WebError { status: StatusCode::PAYLOAD_TOO_LARGE, code: "too_large", message: message.into() }
    }

    pub(crate) fn unauthorized(message: impl Into<String>) -> Self {
        WebError { status: StatusCode::UNAUTHORIZED, code: "unauthorized", message: message.into() }
    }

    pub(crate) fn forbidden(message: impl Into<String>) -> Self {
        WebError { status: StatusCode::FORBIDDEN, code: "forbidden", message: message.into() }
    }
}
