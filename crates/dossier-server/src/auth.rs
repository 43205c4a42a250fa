//! Who is asking: an API token (`Authorization: Bearer dsr_…`) or a browser
//! session (the `dossier_session` cookie, set by `/login`) names a user and
//! their role. Requests that change anything need a role that may make them;
//! those made with a session cookie must also echo the session's CSRF token
//! (`X-CSRF-Token` header or `csrf` form field). On a loopback server without
//! `TokensOnly`, anonymous requests may read.

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use dossier_app::{App, Role, User};

use crate::WebError;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "dossier_session";

/// A user, and the CSRF token their session requires (none for API tokens).
pub struct Caller {
    /// Who.
    pub user: User,
    /// The session's CSRF token, when signed in through the browser.
    pub csrf: Option<String>,
}

/// The session cookie's value, if sent.
pub fn session_cookie(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| pair.trim().strip_prefix(SESSION_COOKIE)?.strip_prefix('='))
}

/// Who is asking: `None` when anonymous; a malformed or unknown token, or a
/// session cookie that is no longer valid, is refused.
pub async fn caller(app: &App, headers: &HeaderMap) -> Result<Option<Caller>, WebError> {
    if let Some(value) = headers.get(header::AUTHORIZATION) {
        let token = value.to_str().ok().and_then(|v| v.strip_prefix("Bearer ")).map(str::trim);
        let Some(token) = token else { return Err(WebError::unauthorized("use Authorization: Bearer TOKEN")) };
        return match app.token_user(token).await.map_err(WebError::internal)? {
            Some(user) => Ok(Some(Caller { user, csrf: None })),
            None => Err(WebError::unauthorized("unknown or malformed token")),
        };
    }
    if let Some(cookie) = session_cookie(headers) {
        return match app.session_user(cookie).await.map_err(WebError::internal)? {
            Some((user, csrf)) => Ok(Some(Caller { user, csrf: Some(csrf) })),
            None => Err(WebError::unauthorized("the session has ended: sign in again at /login")),
        };
    }
    Ok(None)
}

/// Whether the caller may see protected persons' names: analysts and
/// above. Viewers and anonymous readers see pseudonyms.
pub async fn sees_names(app: &App, headers: &HeaderMap) -> bool {
    matches!(caller(app, headers).await, Ok(Some(c)) if c.user.role >= Role::Analyst)
}

/// The user, if their role is at least `least`: 401 when anonymous, 403 when too low.
pub async fn require(app: &App, headers: &HeaderMap, least: Role) -> Result<Caller, WebError> {
    match caller(app, headers).await? {
        None => Err(WebError::unauthorized("this needs an API token (Authorization: Bearer TOKEN) or signing in")),
        Some(c) if c.user.role >= least => Ok(c),
        Some(c) => {
            Err(WebError::forbidden(format!("a {} may not do this; it needs {}", c.user.role.as_str(), least.as_str())))
        }
    }
}

/// For a request that changes something: [`require`], and for a browser
/// session the CSRF token, from the `X-CSRF-Token` header or `form_csrf`.
pub async fn require_change(
    app: &App,
    headers: &HeaderMap,
    least: Role,
    form_csrf: Option<&str>,
) -> Result<User, WebError> {
    let c = require(app, headers, least).await?;
    if let Some(expected) = &c.csrf {
        let given = headers.get("x-csrf-token").and_then(|v| v.to_str().ok()).or(form_csrf);
        if given != Some(expected.as_str()) {
            return Err(WebError::forbidden("missing or wrong CSRF token"));
        }
    }
    Ok(c.user)
}

/// Middleware for servers that require authentication: every request but
/// the stylesheet and the sign-in page needs at least a viewer; a browser
/// that is not signed in is sent to `/login`.
pub async fn viewers_only(State(app): State<App>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if path == "/static/app.css" || path == "/static/upload.js" || path == "/login" {
        return next.run(request).await;
    }
    let api = path.starts_with("/api/");
    match require(&app, request.headers(), Role::Viewer).await {
        Ok(_) => next.run(request).await,
        Err(e) if !api && e.status == StatusCode::UNAUTHORIZED => Redirect::to("/login").into_response(),
        Err(e) => e.into_response(),
    }
}

/// Middleware for loopback servers: anonymous reads pass, but a request that
/// presents a malformed or unknown token is refused rather than served as anonymous.
pub async fn no_bad_tokens(State(app): State<App>, request: Request, next: Next) -> Response {
    if request.uri().path() == "/login" {
        return next.run(request).await;
    }
    match caller(&app, request.headers()).await {
        Ok(_) => next.run(request).await,
        Err(e) => e.into_response(),
    }
}

impl WebError {
    pub(crate) fn unauthorized(message: impl Into<String>) -> Self {
        WebError { status: StatusCode::UNAUTHORIZED, code: "unauthorized", message: message.into() }
    }

    pub(crate) fn forbidden(message: impl Into<String>) -> Self {
        WebError { status: StatusCode::FORBIDDEN, code: "forbidden", message: message.into() }
    }
}
