//! Signing in and out in the browser: `GET /login` (the form, or who is
//! signed in), `POST /login` (a session cookie: HttpOnly, Secure,
//! SameSite=Strict), `POST /logout` (needs the session's CSRF token).
//! Failed sign-ins are limited per account name: five in fifteen minutes,
//! then 429 until the window passes.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Form, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Extension;
use dossier_app::App;
use maud::html;
use serde::Deserialize;

use crate::auth::{caller, session_cookie, SESSION_COOKIE};
use crate::pages::{layout, page_error};

/// Failed sign-ins allowed per account name within [`WINDOW`].
pub const MAX_FAILURES: usize = 5;
/// The window failed sign-ins are counted in.
pub const WINDOW: Duration = Duration::from_secs(15 * 60);

/// Failed sign-ins per account name, in memory.
#[derive(Clone, Default)]
pub struct LoginLimiter(Arc<Mutex<HashMap<String, Vec<Instant>>>>);

impl LoginLimiter {
    /// Names tracked before stale entries are swept; bounds the map when many names are tried.
    const SWEEP_AT: usize = 4096;

    fn key(name: &str) -> String {
        name.chars().take(128).collect::<String>().to_lowercase()
    }

    fn recent(&self, name: &str) -> usize {
        let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let key = Self::key(name);
        let Some(list) = map.get_mut(&key) else { return 0 };
        list.retain(|t| t.elapsed() < WINDOW);
        let n = list.len();
        if n == 0 {
            map.remove(&key);
        }
        n
    }

    fn failed(&self, name: &str) {
        let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= Self::SWEEP_AT {
            map.retain(|_, list| {
                list.retain(|t| t.elapsed() < WINDOW);
                !list.is_empty()
            });
        }
        map.entry(Self::key(name)).or_default().push(Instant::now());
    }

    fn clear(&self, name: &str) {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).remove(&Self::key(name));
    }
}

/// The sign-in form's fields.
#[derive(Deserialize)]
pub struct LoginForm {
    name: String,
    password: String,
}

/// The sign-out form's field.
#[derive(Deserialize)]
pub struct LogoutForm {
    csrf: String,
}

fn form(message: Option<&str>) -> Html<String> {
    let body = layout(
        "Sign in",
        html! {
            h1 { "Sign in" }
            @if let Some(m) = message { p.notice role="alert" { (m) } }
            form method="post" action="/login" {
                p { label for="name" { "Account name" } br; input id="name" name="name" autocomplete="username" required; }
                p {
                    label for="password" { "Password" } br;
                    input id="password" name="password" type="password" autocomplete="current-password" required;
                }
                p { button type="submit" { "Sign in" } }
            }
        },
    );
    Html(body.into_string())
}

/// `GET /login`.
pub async fn page(State(app): State<App>, headers: HeaderMap) -> Response {
    match caller(&app, &headers).await {
        Ok(Some(c)) => {
            let body = layout(
                "Signed in",
                html! {
                    h1 { "Signed in" }
                    p { "You are signed in as " strong { (c.user.name) } " (" (c.user.role.as_str()) ")." }
                    @if let Some(csrf) = &c.csrf {
                        form method="post" action="/logout" {
                            input type="hidden" name="csrf" value=(csrf);
                            button type="submit" { "Sign out" }
                        }
                    }
                },
            );
            Html(body.into_string()).into_response()
        }
        _ => form(None).into_response(),
    }
}

/// `POST /login`.
pub async fn submit(
    State(app): State<App>,
    Extension(limiter): Extension<LoginLimiter>,
    Form(f): Form<LoginForm>,
) -> Response {
    if limiter.recent(&f.name) >= MAX_FAILURES {
        let mut r =
            (StatusCode::TOO_MANY_REQUESTS, form(Some("Too many failed attempts: wait 15 minutes."))).into_response();
        r.headers_mut().insert(header::RETRY_AFTER, header::HeaderValue::from_static("900"));
        return r;
    }
    match app.start_session(&f.name, &f.password).await {
        Ok(Some(session)) => {
            limiter.clear(&f.name);
            let cookie =
                format!("{SESSION_COOKIE}={}; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=43200", session.token);
            ([(header::SET_COOKIE, cookie)], Redirect::to("/incidents")).into_response()
        }
        Ok(None) => {
            limiter.failed(&f.name);
            (StatusCode::UNAUTHORIZED, form(Some("Wrong account name or password."))).into_response()
        }
        Err(e) => crate::pages::internal(e),
    }
}

/// `POST /logout`: ends the session if the CSRF token matches.
pub async fn logout(State(app): State<App>, headers: HeaderMap, Form(f): Form<LogoutForm>) -> Response {
    let Some(token) = session_cookie(&headers) else { return Redirect::to("/login").into_response() };
    match app.session_user(token).await {
        Ok(Some((_, csrf))) if csrf == f.csrf => {
            if let Err(e) = app.end_session(token).await {
                return crate::pages::internal(e);
            }
            let clear = format!("{SESSION_COOKIE}=; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=0");
            ([(header::SET_COOKIE, clear)], Redirect::to("/login")).into_response()
        }
        Ok(Some(_)) => page_error(StatusCode::FORBIDDEN, "missing or wrong CSRF token"),
        Ok(None) => Redirect::to("/login").into_response(),
        Err(e) => crate::pages::internal(e),
    }
}
