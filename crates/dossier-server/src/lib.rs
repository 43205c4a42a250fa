//! Dossier's web UI and JSON API: `app(state) -> Router`.
//!
//! API boundary: the only crate that knows HTTP. Handlers read through
//! `dossier-app`; pages are server-rendered HTML (maud escapes every value),
//! styled by one bundled stylesheet, with no script and no external asset.

mod actors_page;
mod api;
mod api_views;
mod auth;
mod filters;
mod grouping;
mod login;
mod map;
mod pages;
mod reader;
mod review_page;
mod search_page;
mod statements_page;
mod timeline;
mod upload;

use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use dossier_app::App;

pub use api::ApiDoc;
pub use filters::IncidentFilter;
pub use upload::MAX_UPLOAD;

/// Who may read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone who can reach the server may read (loopback only).
    OpenReads,
    /// Every request needs an API token of a viewer or above.
    TokensOnly,
}

/// The router on a loopback server: pages at `/`, the JSON API under `/api/v1`.
pub fn app(state: App) -> Router {
    app_with(state, Access::OpenReads)
}

/// The router with the given access rule.
pub fn app_with(state: App, access: Access) -> Router {
    let router = Router::new()
        .route("/", get(|| async { Redirect::to("/incidents") }))
        .route("/incidents", get(pages::incidents))
        .route("/incidents/{id}", get(pages::incident))
        .route("/sources", get(pages::sources))
        .route("/sources/{id}", get(pages::source))
        .route("/static/app.css", get(stylesheet))
        .route("/static/upload.js", get(upload_script))
        .route("/api/v1/incidents", get(api::incidents))
        .route("/api/v1/incidents/{id}", get(api::incident))
        .route(
            "/api/v1/sources",
            get(api::sources).post(upload::api_upload).layer(DefaultBodyLimit::max(upload::MAX_UPLOAD)),
        )
        .route("/api/v1/sources/{id}", get(api::source))
        .route("/api/v1/sources/{id}/text", get(api::source_text))
        .route("/api/v1/verify", get(api::verify))
        .route("/api/v1/claims", get(api_views::claims))
        .route("/api/v1/claims/{id}", get(api_views::claim))
        .route("/api/v1/actors", get(api_views::actors))
        .route("/api/v1/places", get(api_views::places))
        .route("/api/v1/timeline", get(api_views::timeline))
        .route("/api/v1/commitments", get(api_views::commitments))
        .route("/api/v1/calls", get(api_views::calls))
        .route("/api/v1/cases", get(api_views::cases))
        .route("/api/v1/search", get(api_views::search))
        .route("/api/v1/export", get(api_views::export))
        .route("/api/v1/openapi.json", get(api::openapi))
        .route("/upload", get(upload::page).post(upload::submit).layer(DefaultBodyLimit::max(upload::MAX_UPLOAD)))
        .route("/timeline", get(timeline::page))
        .route("/map", get(map::page))
        .route("/actors", get(actors_page::page))
        .route("/commitments", get(statements_page::commitments))
        .route("/calls", get(statements_page::calls))
        .route("/cases", get(statements_page::cases))
        .route("/search", get(search_page::page))
        .route("/review", get(review_page::queue))
        .route("/review/{id}", post(review_page::decide).layer(DefaultBodyLimit::max(16 * 1024)))
        .route("/login", get(login::page).post(login::submit).layer(DefaultBodyLimit::max(4 * 1024)))
        .route("/logout", post(login::logout).layer(DefaultBodyLimit::max(4 * 1024)))
        .route("/api/v1/claims/{id}/review", post(api::review_claim).layer(DefaultBodyLimit::max(16 * 1024)))
        .route("/api/v1/incidents/{id}/merge", post(grouping::api_merge).layer(DefaultBodyLimit::max(16 * 1024)))
        .route("/api/v1/incidents/{id}/split", post(grouping::api_split).layer(DefaultBodyLimit::max(16 * 1024)))
        .route("/incidents/{id}/merge", post(grouping::form_merge).layer(DefaultBodyLimit::max(16 * 1024)))
        .route("/incidents/{id}/split", post(grouping::form_split).layer(DefaultBodyLimit::max(16 * 1024)))
        .fallback(api::not_found);
    let router = match access {
        Access::OpenReads => router.layer(axum::middleware::from_fn_with_state(state.clone(), auth::no_bad_tokens)),
        Access::TokensOnly => router.layer(axum::middleware::from_fn_with_state(state.clone(), auth::viewers_only)),
    };
    router
        .layer(axum::Extension(login::LoginLimiter::default()))
        .layer(axum::middleware::map_response(security_headers))
        .with_state(state)
}

async fn stylesheet() -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], include_str!("../assets/app.css")).into_response()
}

/// The upload page's one script (upload progress); the only script served.
async fn upload_script() -> Response {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], include_str!("../assets/upload.js")).into_response()
}

/// Headers on every response: no framing, no sniffing, only our own assets
/// (scripts only from this server's files: no inline script runs).
async fn security_headers(mut response: Response) -> Response {
    let h = response.headers_mut();
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'self'; script-src 'self'; object-src 'none'; frame-ancestors 'none'"),
    );
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    response
}

/// Percent-encodes a query value (letters, digits and `-._~` kept).
pub(crate) fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// An error for a page or an API call: a status and a message safe to show.
#[derive(Debug)]
pub struct WebError {
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl WebError {
    fn not_found(what: impl Into<String>) -> Self {
        WebError { status: StatusCode::NOT_FOUND, code: "not_found", message: what.into() }
    }

    fn bad_request(message: impl Into<String>) -> Self {
        WebError { status: StatusCode::BAD_REQUEST, code: "bad_request", message: message.into() }
    }

    /// An extractor's rejection: too large stays 413, anything else is a 400.
    fn rejected(status: StatusCode, message: String) -> Self {
        if status == StatusCode::PAYLOAD_TOO_LARGE {
            WebError { status, code: "too_large", message }
        } else {
            Self::bad_request(message)
        }
    }

    fn internal(e: impl std::fmt::Display) -> Self {
        // The detail goes to the server's log, not to the client.
        eprintln!("internal error: {e}");
        WebError { status: StatusCode::INTERNAL_SERVER_ERROR, code: "internal", message: "internal error".into() }
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let body = api::ErrorBody { error: api::ErrorDetail { code: self.code.to_string(), message: self.message } };
        (self.status, axum::Json(body)).into_response()
    }
}
