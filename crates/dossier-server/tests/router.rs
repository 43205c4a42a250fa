//! The router in process (tower `oneshot`): every API endpoint, bad input
//! with clear 4xx JSON errors, escaping of hostile text in pages, headers.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use dossier_app::{App, Config, IngestInput, SystemClock};
use dossier_model::SourceMetaOverride;
use http_body_util::BodyExt;
use tower::ServiceExt;

async fn app_with(reports: &[(&str, &str)]) -> (App, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    // The camps the dev reports name, listed as an installation documenting them would.
    std::fs::write(dir.path().join("sites.tsv"), include_str!("../../../samples/sites.tsv")).unwrap();
    let app = App::open(Config::new(dir.path()), Arc::new(SystemClock)).await.unwrap();
    let mut ids = Vec::new();
    for (name, text) in reports {
        let input = IngestInput {
            bytes: text.as_bytes().to_vec(),
            file_name: name.to_string(),
            overrides: SourceMetaOverride::default(),
        };
        if let dossier_app::IngestOutcome::New { source, .. } = app.ingest(input).await.unwrap() {
            ids.push(source);
        }
    }
    app.resolve_new(&ids).await.unwrap();
    (app, dir)
}

async fn get(app: &App, uri: &str) -> (StatusCode, String, axum::http::HeaderMap) {
    let response =
        dossier_server::app(app.clone()).oneshot(Request::get(uri).body(Body::empty()).unwrap()).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&body).into_owned(), headers)
}

/// The shared dev reports (../shared/data/dev/reports), ingested and placed.
async fn dev_app() -> (App, tempfile::TempDir) {
    let dev = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/dev/reports");
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dev)
        .expect("../shared/data/dev/reports")
        .map(|e| e.unwrap().path())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read_to_string(&p).unwrap()))
        .collect();
    files.sort();
    let refs: Vec<(&str, &str)> = files.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
    app_with(&refs).await
}

const HOSTILE: &str = "TITLE: <script>alert('t')</script>\nSOURCE-TYPE: news\nPUBLISHED: 2014-06-02\n\n\
    Police said <img src=x onerror=alert(1)> 12 people were killed in Mosul on 1 June 2014.";

/// XSS payloads in every field a report can set, as text and as HTML.
const HOSTILE_FIELDS: [(&str, &str); 2] = [
    (
        "x<script>alert(1)<%2Fscript>.txt",
        "TITLE: \"><script>alert('title')</script>\nURL: javascript:alert('url')\nSOURCE-TYPE: ngo\n\
         PUBLISHER: <img src=x onerror=alert('publisher')>\nAUTHOR: <svg onload=alert('author')>\n\
         PUBLISHED: 2015-03-04\nNOTE: </textarea><script>alert('note')</script>\n\n\
         Gunmen <script>alert('body')</script> killed 12 people in Mosul on 2 March 2015, police said. \
         Witnesses said \"<iframe src=javascript:alert('quote')>\" was shouted. \
         The UN called for an investigation into <b onmouseover=alert('call')>the killings</b>. \
         The army, led by General <a href=javascript:alert('cmd')>Hostile</a> Name, raided the town.",
    ),
    (
        "page.html",
        "<html><head><title>&lt;script&gt;alert('h')&lt;/script&gt;</title></head><body>\
         <p>Gunmen killed 9 people in <a href=\"javascript:alert('a')\">Kirkuk</a> on 3 March 2015.</p>\
         <p>&lt;img src=x onerror=alert('entity')&gt; was written on a wall.</p>\
         <script>alert('script')</script><img src=x onerror=alert('img')></body></html>",
    ),
];

#[tokio::test]
async fn every_page_escapes_hostile_text_in_every_field() {
    let (app, _dir) = app_with(&HOSTILE_FIELDS).await;
    let incidents = app.incidents().await.unwrap();
    let sources = app.sources().await.unwrap();
    assert_eq!(sources.len(), 2);
    let mut pages = vec![
        "/incidents".to_string(),
        "/sources".to_string(),
        "/actors".to_string(),
        "/commitments".to_string(),
        "/calls".to_string(),
        "/cases".to_string(),
        "/upload".to_string(),
        "/search?q=alert".to_string(),
        "/search?q=%3Cscript%3E".to_string(),
        "/map".to_string(),
        "/timeline".to_string(),
        "/review".to_string(),
    ];
    pages.extend(incidents.iter().map(|i| format!("/incidents/{}", i.id)));
    pages.extend(sources.iter().map(|s| format!("/sources/{}", s.id)));
    for uri in &pages {
        let (status, page, _) = get(&app, uri).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        let lower = page.to_lowercase();
        // Raw tags or attributes a payload would need; escaped text has `&lt;` and `&quot;` instead.
        for bad in [
            "<script",
            "<img",
            "<svg on",
            "<iframe",
            "<b on",
            "href=\"javascript:",
            "<a href=javascript:",
            "</textarea",
        ] {
            assert!(!lower.contains(bad), "{uri} carries {bad:?} unescaped:\n{page}");
        }
    }
    // The payloads are there, escaped, where a reader needs them.
    let (_, reader, _) = get(&app, &format!("/sources/{}", sources[0].id)).await;
    assert!(reader.contains("&lt;script&gt;alert(&#39;body&#39;)&lt;/script&gt;"), "{reader}");
    assert!(reader.contains("<code>javascript:alert('url')</code>"), "a script URL is shown, not linked: {reader}");
}

#[tokio::test]
async fn every_api_endpoint_answers_json() {
    let (app, _dir) = app_with(&[("a.txt", HOSTILE)]).await;
    let (status, body, headers) = get(&app, "/api/v1/incidents").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "application/json");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["total"], 1);
    let id = v["items"][0]["id"].as_str().unwrap().to_string();
    let (status, body, _) = get(&app, &format!("/api/v1/incidents/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("\"killed\""));
    let (status, body, _) = get(&app, "/api/v1/sources").await;
    assert_eq!(status, StatusCode::OK);
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    let sid = v["items"][0]["id"].as_str().unwrap().to_string();
    let (status, body, _) = get(&app, &format!("/api/v1/sources/{sid}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("\"claims\""));
    let (status, body, headers) = get(&app, &format!("/api/v1/sources/{sid}/text")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers["content-type"].to_str().unwrap().starts_with("text/plain"));
    assert!(body.contains("12 people were killed"));
    let (status, body, _) = get(&app, "/api/v1/verify").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("\"ok\":true"));
}

#[tokio::test]
async fn bad_requests_get_clear_json_errors() {
    let (app, _dir) = app_with(&[("a.txt", HOSTILE)]).await;
    for (uri, status) in [
        ("/api/v1/incidents?from=someday", StatusCode::BAD_REQUEST),
        ("/api/v1/incidents?limit=ten", StatusCode::BAD_REQUEST),
        ("/api/v1/incidents?colour=red", StatusCode::BAD_REQUEST),
        ("/api/v1/incidents/not-an-id", StatusCode::BAD_REQUEST),
        ("/api/v1/incidents/inc-0000000000000000", StatusCode::NOT_FOUND),
        ("/api/v1/sources/src-0000000000000000", StatusCode::NOT_FOUND),
        ("/api/v1/nothing-here", StatusCode::NOT_FOUND),
    ] {
        let (got, body, _) = get(&app, uri).await;
        assert_eq!(got, status, "{uri}: {body}");
        let v: serde_json::Value = serde_json::from_str(&body).unwrap_or_else(|_| panic!("{uri}: not JSON: {body}"));
        assert!(v["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "{uri}: {body}");
    }
}

#[tokio::test]
async fn pages_escape_hostile_text_and_send_security_headers() {
    let (app, _dir) = app_with(&[("a.txt", HOSTILE)]).await;
    let (_, sources, headers) = get(&app, "/sources").await;
    let csp = headers["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("script-src 'self'") && !csp.contains("unsafe-inline") && csp.contains("frame-ancestors 'none'")
    );
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert!(!sources.contains("<script>alert"), "{sources}");
    assert!(sources.contains("&lt;script&gt;"), "{sources}");
    let sid = sources.split("href=\"/sources/").nth(1).unwrap().split('"').next().unwrap().to_string();
    let (status, reader, _) = get(&app, &format!("/sources/{sid}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!reader.contains("<img src=x"), "{reader}");
    assert!(reader.contains("&lt;img src=x onerror=alert(1)&gt;"), "{reader}");
    assert!(reader.contains("<mark id=\"claim-"), "{reader}");
    let (status, page, _) = get(&app, "/incidents").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("1–1 of 1 incident<"), "{page}");
    let (status, _, _) = get(&app, "/incidents?from=nonsense").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _, _) = get(&app, "/incidents/inc-0000000000000000").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// Sends one request with an optional bearer token through the router.
async fn send(
    router: axum::Router,
    method: &str,
    uri: &str,
    token: Option<&str>,
    body: Option<&str>,
) -> (StatusCode, String) {
    let mut r = Request::builder().method(method).uri(uri);
    if let Some(t) = token {
        r = r.header("authorization", format!("Bearer {t}"));
    }
    if let Some(b) = body {
        // JSON for the API; a form body (name=value&…) for the pages' forms.
        let json = b.trim_start().starts_with('{') || uri.starts_with("/api/");
        r = r.header("content-type", if json { "application/json" } else { "application/x-www-form-urlencoded" });
    }
    let response = router.oneshot(r.body(Body::from(body.unwrap_or("").to_string())).unwrap()).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

/// A report uploaded in the access table (the first allowed role stores it, the others find it stored).
const UPLOAD: &str = "TITLE: t\n\nGunmen killed 4 people in Mosul on 2 May 2012.\n";

/// One row of the access table: method, route, body, access rule, and the
/// status expected for anonymous, viewer, analyst, reviewer and admin (303:
/// a browser sent to the sign-in page).
type Row<'a> = (&'a str, &'a str, Option<&'a str>, dossier_server::Access, [u16; 5]);

/// One user and token per role.
async fn tokens(app: &App) -> Vec<(&'static str, Option<String>)> {
    let mut out = vec![("anonymous", None)];
    for role in dossier_app::Role::ALL {
        let name = format!("{}-user", role.as_str());
        let password = dossier_app::Password::new("a long enough password".into()).unwrap();
        app.add_user(&name, role, &password, "test").await.unwrap();
        out.push((role.as_str(), Some(app.issue_token(&name, "test").await.unwrap())));
    }
    out
}

#[tokio::test]
async fn every_role_gets_the_status_the_access_table_says() {
    let (app, _dir) = app_with(&[("a.txt", HOSTILE)]).await;
    let tokens = tokens(&app).await;
    let claim = app.effective_claims().await.unwrap().into_iter().find(|c| c.kind.as_str() == "killed").unwrap().id;
    let review = format!("/api/v1/claims/{claim}/review");
    let accept = r#"{"action":"accept"}"#;
    // (method, route, body, access, expected status for anonymous, viewer, analyst, reviewer, admin)
    use dossier_server::Access::{OpenReads, TokensOnly};
    let source = app.sources().await.unwrap()[0].id.to_string();
    let incident = app.incidents().await.unwrap()[0].id.to_string();
    let (source_page, source_api, source_text) =
        (format!("/sources/{source}"), format!("/api/v1/sources/{source}"), format!("/api/v1/sources/{source}/text"));
    let incident_page = format!("/incidents/{incident}");
    let incident_api = format!("/api/v1/incidents/{incident}");
    let review_form = format!("/review/{claim}");
    let claim_api = format!("/api/v1/claims/{claim}");
    let (merge_api, split_api) =
        (format!("/api/v1/incidents/{incident}/merge"), format!("/api/v1/incidents/{incident}/split"));
    let (merge_form, split_form) = (format!("/incidents/{incident}/merge"), format!("/incidents/{incident}/split"));
    let table: [Row<'_>; 52] = [
        // Well-formed but refused decisions (the other incident does not exist; no such source here).
        (
            "POST",
            merge_api.as_str(),
            Some(r#"{"with":"inc-0000000000000000","reason":"r"}"#),
            TokensOnly,
            [401, 403, 403, 404, 404],
        ),
        (
            "POST",
            split_api.as_str(),
            Some(r#"{"source":"src-0000000000000000","reason":"r"}"#),
            TokensOnly,
            [401, 403, 403, 400, 400],
        ),
        (
            "POST",
            merge_form.as_str(),
            Some("with=inc-0000000000000000&reason=r&csrf=none"),
            OpenReads,
            [401, 403, 403, 404, 404],
        ),
        (
            "POST",
            split_form.as_str(),
            Some("source=src-0000000000000000&reason=r&csrf=none"),
            OpenReads,
            [401, 403, 403, 400, 400],
        ),
        ("GET", claim_api.as_str(), None, TokensOnly, [401, 200, 200, 200, 200]),
        ("GET", "/", None, TokensOnly, [303, 303, 303, 303, 303]),
        ("GET", "/static/app.css", None, TokensOnly, [200, 200, 200, 200, 200]),
        ("GET", "/static/upload.js", None, TokensOnly, [200, 200, 200, 200, 200]),
        ("GET", incident_api.as_str(), None, TokensOnly, [401, 200, 200, 200, 200]),
        ("GET", "/timeline", None, OpenReads, [200, 200, 200, 200, 200]),
        ("POST", "/login", Some("name=nobody&password=wrong+password"), OpenReads, [401, 401, 401, 401, 401]),
        // Without a session there is nothing to end: back to the sign-in page.
        ("POST", "/logout", Some("csrf=none"), OpenReads, [303, 303, 303, 303, 303]),
        // Who asks is checked before the body is read; analysts and above then get the malformed form refused.
        ("POST", "/upload", Some("csrf=none"), OpenReads, [401, 403, 400, 400, 400]),
        ("POST", review_form.as_str(), Some("action=reject&reason=r&csrf=none"), OpenReads, [401, 403, 403, 303, 303]),
        ("GET", "/api/v1/claims", None, TokensOnly, [401, 200, 200, 200, 200]),
        ("GET", "/api/v1/actors", None, TokensOnly, [401, 200, 200, 200, 200]),
        ("GET", "/api/v1/places", None, TokensOnly, [401, 200, 200, 200, 200]),
        ("GET", "/api/v1/timeline", None, TokensOnly, [401, 200, 200, 200, 200]),
        ("GET", "/api/v1/commitments", None, TokensOnly, [401, 200, 200, 200, 200]),
        ("GET", "/api/v1/calls", None, TokensOnly, [401, 200, 200, 200, 200]),
        ("GET", "/api/v1/cases", None, TokensOnly, [401, 200, 200, 200, 200]),
        ("GET", "/api/v1/search?q=camp", None, TokensOnly, [401, 200, 200, 200, 200]),
        ("GET", "/api/v1/export", None, TokensOnly, [401, 200, 200, 200, 200]),
        ("GET", "/api/v1/export", None, OpenReads, [200, 200, 200, 200, 200]),
        ("GET", "/api/v1/openapi.json", None, OpenReads, [200, 200, 200, 200, 200]),
        ("GET", "/cases", None, TokensOnly, [303, 200, 200, 200, 200]),
        ("GET", "/cases", None, OpenReads, [200, 200, 200, 200, 200]),
        ("GET", source_page.as_str(), None, TokensOnly, [303, 200, 200, 200, 200]),
        ("GET", source_api.as_str(), None, TokensOnly, [401, 200, 200, 200, 200]),
        ("GET", source_text.as_str(), None, OpenReads, [200, 200, 200, 200, 200]),
        ("GET", incident_page.as_str(), None, TokensOnly, [303, 200, 200, 200, 200]),
        ("GET", "/sources", None, OpenReads, [200, 200, 200, 200, 200]),
        ("GET", "/api/v1/incidents", None, OpenReads, [200, 200, 200, 200, 200]),
        ("GET", "/incidents", None, OpenReads, [200, 200, 200, 200, 200]),
        ("POST", review.as_str(), Some(accept), OpenReads, [401, 403, 403, 200, 200]),
        ("GET", "/api/v1/incidents", None, TokensOnly, [401, 200, 200, 200, 200]),
        ("GET", "/api/v1/sources", None, TokensOnly, [401, 200, 200, 200, 200]),
        ("GET", "/incidents", None, TokensOnly, [303, 200, 200, 200, 200]),
        ("GET", "/login", None, TokensOnly, [200, 200, 200, 200, 200]),
        ("GET", "/review", None, TokensOnly, [303, 200, 200, 200, 200]),
        ("GET", "/upload", None, TokensOnly, [303, 200, 200, 200, 200]),
        ("GET", "/map", None, TokensOnly, [303, 200, 200, 200, 200]),
        ("GET", "/map", None, OpenReads, [200, 200, 200, 200, 200]),
        ("GET", "/timeline", None, TokensOnly, [303, 200, 200, 200, 200]),
        ("GET", "/actors", None, TokensOnly, [303, 200, 200, 200, 200]),
        ("GET", "/commitments", None, TokensOnly, [303, 200, 200, 200, 200]),
        ("GET", "/calls", None, OpenReads, [200, 200, 200, 200, 200]),
        ("GET", "/search?q=camp", None, TokensOnly, [303, 200, 200, 200, 200]),
        ("GET", "/search?q=camp", None, OpenReads, [200, 200, 200, 200, 200]),
        ("POST", "/api/v1/sources?name=r.txt", Some(UPLOAD), OpenReads, [401, 403, 201, 200, 200]),
        ("GET", "/api/v1/verify", None, TokensOnly, [401, 200, 200, 200, 200]),
        ("POST", review.as_str(), Some(accept), TokensOnly, [401, 403, 403, 200, 200]),
    ];
    for (method, uri, body, access, expected) in &table {
        for ((who, token), want) in tokens.iter().zip(expected) {
            let router = dossier_server::app_with(app.clone(), *access);
            let (status, text) = send(router, method, uri, token.as_deref(), *body).await;
            assert_eq!(status.as_u16(), *want, "{method} {uri} as {who} ({access:?}): {text}");
            if *want >= 400 && uri.starts_with("/api/") {
                let v: serde_json::Value = serde_json::from_str(&text).unwrap();
                assert!(v["error"]["message"].is_string(), "{text}");
            }
        }
    }
    // Every route the router declares (read from its source) has a row.
    let declared = include_str!("../src/lib.rs").split(".route(").skip(1).flat_map(|chunk| {
        let path = chunk.split('"').nth(1).unwrap_or_default().to_string();
        ["get", "post"]
            .into_iter()
            .filter(move |m| chunk.contains(&format!("{m}(")))
            .map(move |m| (m.to_uppercase(), path.clone()))
    });
    for (method, path) in declared {
        let matches = |uri: &str| {
            let uri = uri.split('?').next().unwrap_or_default();
            let (a, b): (Vec<&str>, Vec<&str>) = (uri.split('/').collect(), path.split('/').collect());
            a.len() == b.len() && a.iter().zip(&b).all(|(x, y)| x == y || y.starts_with('{'))
        };
        assert!(
            table.iter().any(|(m, uri, ..)| *m == method && matches(uri)),
            "{method} {path} has no row in the access table"
        );
    }
    // A wrong token is refused even where anonymous reads are open.
    let (status, _) = send(
        dossier_server::app(app.clone()),
        "GET",
        "/api/v1/incidents",
        Some(&format!("dsr_{}", "0".repeat(64))),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // The accepted review names the reviewer in the log.
    let entries = app.store().log_entries().await.unwrap();
    let actors: Vec<&str> =
        entries.iter().filter(|e| e.entry.action == "claim.accept").map(|e| e.entry.actor.as_str()).collect();
    assert!(actors.contains(&"reviewer-user") && actors.contains(&"admin-user"), "{actors:?}");
    assert!(app.verify().await.unwrap().ok());
    // Passwords and tokens are in no log entry.
    assert!(entries.iter().all(|e| !e.entry.payload.contains("long enough") && !e.entry.payload.contains("dsr_")));
}

/// A report naming a detainee and a witness (written for this test).
const NAMES: &str = "TITLE: Resident taken\nSOURCE-TYPE: ngo\nPUBLISHED: 2013-01-20\n\n\
    Gunmen killed 3 residents of Camp Liberty on 19 January 2013. A resident, Mr. Hamid Sorani, has been abducted, \
    and an eyewitness, Leila Darwish, said Sorani was taken away in a car.\n";

#[tokio::test]
async fn protected_names_reach_analysts_and_above_only() {
    let (app, _dir) = app_with(&[("names.txt", NAMES)]).await;
    let tokens = tokens(&app).await;
    let source = app.sources().await.unwrap()[0].id.to_string();
    let incident = app.incidents().await.unwrap()[0].id.to_string();
    let routes = [
        format!("/sources/{source}"),
        format!("/api/v1/sources/{source}"),
        format!("/api/v1/sources/{source}/text"),
        format!("/incidents/{incident}"),
        format!("/api/v1/incidents/{incident}"),
        "/incidents".to_string(),
        "/api/v1/incidents".to_string(),
        "/sources".to_string(),
        "/cases".to_string(),
        "/search?q=Sorani".to_string(),
        "/search?q=Darwish".to_string(),
        "/actors".to_string(),
        "/api/v1/cases".to_string(),
        "/api/v1/claims?kind=case".to_string(),
        "/api/v1/claims".to_string(),
        "/api/v1/search?q=Darwish".to_string(),
        "/api/v1/export".to_string(),
        "/api/v1/actors".to_string(),
    ];
    let reveals = [
        format!("/sources/{source}"),
        format!("/api/v1/sources/{source}"),
        format!("/api/v1/sources/{source}/text"),
        "/cases".to_string(),
    ];
    for uri in &routes {
        for (who, token) in &tokens {
            let router = dossier_server::app_with(app.clone(), dossier_server::Access::OpenReads);
            let (status, text) = send(router, "GET", uri, token.as_deref(), None).await;
            assert_eq!(status, StatusCode::OK, "{uri} as {who}");
            let sees = matches!(*who, "analyst" | "reviewer" | "admin");
            for name in ["Hamid", "Sorani", "Leila", "Darwish"] {
                // A search page repeats the query it was given: that is not a leak.
                if !sees && !uri.contains(name) {
                    assert!(!text.contains(name), "{uri} shows {name} to {who}");
                }
            }
            if uri.ends_with("q=Darwish") && uri.starts_with("/search") {
                assert_eq!(text.contains("Leila Darwish"), sees, "analysts find a protected person by name: {who}");
            }
            if reveals.contains(uri) {
                assert_eq!(text.contains("Hamid Sorani"), sees, "{uri} as {who}");
                if !sees && !uri.ends_with("/text") {
                    assert!(text.contains("Person "), "{uri} names persons by pseudonym for {who}");
                }
            }
        }
    }
}

#[tokio::test]
async fn collection_endpoints_answer_with_stable_lists_and_clear_400s() {
    let (app, _dir) = dev_app().await;
    let json = |text: &str| serde_json::from_str::<serde_json::Value>(text).unwrap();
    let (status, all, _) = get(&app, "/api/v1/claims?limit=500").await;
    assert_eq!(status, StatusCode::OK);
    let all = json(&all);
    let total = all["total"].as_u64().unwrap() as usize;
    assert!(total > 100, "{total}");
    // Pages join up into the whole list, in the same order.
    let mut paged = Vec::new();
    for offset in (0..total).step_by(40) {
        let (_, page, _) = get(&app, &format!("/api/v1/claims?offset={offset}&limit=40")).await;
        paged.extend(json(&page)["items"].as_array().unwrap().iter().map(|c| c["id"].clone()));
    }
    let first: Vec<_> = all["items"].as_array().unwrap().iter().map(|c| c["id"].clone()).collect();
    assert_eq!(paged[..first.len()], first[..]);
    let (_, killed, _) = get(&app, "/api/v1/claims?kind=killed&limit=5").await;
    let killed = json(&killed);
    assert!(killed["items"].as_array().unwrap().iter().all(|c| c["kind"] == "killed"));
    let id = killed["items"][0]["id"].as_str().unwrap().to_string();
    let (status, one, _) = get(&app, &format!("/api/v1/claims/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(json(&one)["id"], id.as_str());
    for (uri, why) in [
        ("/api/v1/claims?kind=rumour", "unknown claim kind"),
        ("/api/v1/claims?limit=0", "limit"),
        ("/api/v1/claims?limit=9999", "limit"),
        ("/api/v1/claims?source=nonsense", "source"),
        ("/api/v1/claims?colour=red", "colour"),
        ("/api/v1/claims/clm-nonsense", "claim"),
        ("/api/v1/timeline?year=0", "year"),
        ("/api/v1/timeline?year=soon", "year"),
        ("/api/v1/search", "q"),
        ("/api/v1/search?q=", "q"),
        ("/api/v1/incidents?sort=height", "sort must be one of"),
    ] {
        let (status, body, _) = get(&app, uri).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}: {body}");
        let message = json(&body)["error"]["message"].as_str().unwrap().to_string();
        assert!(message.contains(why), "{uri}: {message}");
    }
    let (status, _, _) = get(&app, "/api/v1/claims/clm-0123456789abcdef").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, actors, _) = get(&app, "/api/v1/actors").await;
    let actors = json(&actors);
    assert!(
        actors["items"].as_array().unwrap().iter().any(|a| a["name"].as_str().unwrap().contains("Iraqi")),
        "{actors}"
    );
    let (_, places, _) = get(&app, "/api/v1/places").await;
    let places = json(&places);
    assert!(places["items"].as_array().unwrap().iter().any(|p| p["place"] == "Camp Ashraf"), "{places}");
    let (_, years, _) = get(&app, "/api/v1/timeline").await;
    let years = json(&years);
    let y2011 = years["items"].as_array().unwrap().iter().find(|b| b["bucket"] == "2011").expect("2011");
    assert!(y2011["incidents"].as_u64().unwrap() >= 1);
    let (_, months, _) = get(&app, "/api/v1/timeline?year=2011").await;
    assert!(json(&months)["items"].as_array().unwrap().iter().any(|b| b["bucket"] == "2011-04"), "{months}");
    for (uri, kind) in [("/api/v1/commitments", "commitment"), ("/api/v1/calls", "call"), ("/api/v1/cases", "case")] {
        let (_, list, _) = get(&app, uri).await;
        let list = json(&list);
        assert!(list["total"].as_u64().unwrap() >= 1, "{uri}");
        assert!(list["items"].as_array().unwrap().iter().all(|c| c["kind"] == kind), "{uri}");
    }
    let (_, found, _) = get(&app, "/api/v1/search?q=Camp%20Ashraf").await;
    let found = json(&found);
    assert!(found["sources_total"].as_u64().unwrap() >= 1 && found["claims_total"].as_u64().unwrap() >= 1);
    assert!(found.get("persons").is_none(), "anonymous readers are not shown protected persons");
    let (_, export, _) = get(&app, "/api/v1/export").await;
    assert_eq!(json(&export)["format"], "dossier-export/1");
}

#[tokio::test]
async fn review_payloads_that_are_wrong_get_clear_400s() {
    let (app, _dir) = app_with(&[("a.txt", HOSTILE)]).await;
    let tokens = tokens(&app).await;
    let reviewer = tokens[4].1.clone().unwrap();
    let claim = app.effective_claims().await.unwrap().into_iter().find(|c| c.kind.as_str() == "killed").unwrap().id;
    let uri = format!("/api/v1/claims/{claim}/review");
    let huge = format!(r#"{{"action":"reject","reason":"{}"}}"#, "x".repeat(100_000));
    for (body, status, says) in [
        ("{not json", 400, "parse"),
        (r#"{"action":"reject"}"#, 400, "needs a reason"),
        (r#"{"action":"accept","extra":1}"#, 400, "unknown field"),
        (r#"{"action":"promote"}"#, 400, "accept, reject or edit"),
        (r#"{"action":"edit","min":"many","reason":"r"}"#, 400, "invalid type"),
        (r#"{"action":"edit","min":9,"max":3,"reason":"r"}"#, 400, "greater than"),
        (huge.as_str(), 413, ""),
    ] {
        let (got, text) = send(dossier_server::app(app.clone()), "POST", &uri, Some(&reviewer), Some(body)).await;
        assert_eq!(got.as_u16(), status, "{body:.60}: {text}");
        assert!(text.to_lowercase().contains(says), "{body:.60}: {text}");
    }
    let (got, _) = send(
        dossier_server::app(app.clone()),
        "POST",
        "/api/v1/claims/clm-0000000000000000/review",
        Some(&reviewer),
        Some(r#"{"action":"accept"}"#),
    )
    .await;
    assert_eq!(got, StatusCode::NOT_FOUND);
    // Nothing was changed by the refused requests.
    assert!(app.store().reviews().await.unwrap().is_empty());
}

/// Sends a request with headers through a clone of `router`; returns status, headers and body.
async fn call(
    router: &axum::Router,
    method: &str,
    uri: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (StatusCode, axum::http::HeaderMap, String) {
    let mut r = Request::builder().method(method).uri(uri);
    for (k, v) in headers {
        r = r.header(*k, *v);
    }
    let response = router.clone().oneshot(r.body(Body::from(body.to_string())).unwrap()).await.unwrap();
    let (status, headers) = (response.status(), response.headers().clone());
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, headers, String::from_utf8_lossy(&bytes).into_owned())
}

#[tokio::test]
async fn browser_sessions_sign_in_need_csrf_to_change_anything_and_sign_out() {
    let (app, _dir) = app_with(&[("a.txt", HOSTILE)]).await;
    let password = dossier_app::Password::new("a long enough password".into()).unwrap();
    app.add_user("rita", dossier_app::Role::Reviewer, &password, "test").await.unwrap();
    let router = dossier_server::app_with(app.clone(), dossier_server::Access::TokensOnly);
    let form = [("content-type", "application/x-www-form-urlencoded")];
    // Not signed in: pages send the browser to the sign-in form, the API answers 401.
    let (status, headers, _) = call(&router, "GET", "/incidents", &[], "").await;
    assert_eq!((status, headers.get("location").unwrap().to_str().unwrap()), (StatusCode::SEE_OTHER, "/login"));
    assert_eq!(call(&router, "GET", "/api/v1/incidents", &[], "").await.0, StatusCode::UNAUTHORIZED);
    let (status, _, page) = call(&router, "GET", "/login", &[], "").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("type=\"password\""));
    // A wrong password is refused without saying which part was wrong.
    let (status, _, page) = call(&router, "POST", "/login", &form, "name=rita&password=wrong+password+1").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(page.contains("Wrong account name or password"));
    // The right one gives a session cookie that scripts cannot read and other sites cannot send.
    let (status, headers, _) =
        call(&router, "POST", "/login", &form, "name=rita&password=a+long+enough+password").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let set = headers.get("set-cookie").unwrap().to_str().unwrap().to_string();
    for attr in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/"] {
        assert!(set.contains(attr), "{set}");
    }
    let cookie = set.split(';').next().unwrap().to_string();
    let signed_in = [("cookie", cookie.as_str())];
    assert_eq!(call(&router, "GET", "/incidents", &signed_in, "").await.0, StatusCode::OK);
    let (_, _, page) = call(&router, "GET", "/login", &signed_in, "").await;
    assert!(page.contains("rita") && page.contains("reviewer"), "{page}");
    let csrf = page.split("name=\"csrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    // A change made with the cookie needs the CSRF token.
    let claim = app.effective_claims().await.unwrap().into_iter().find(|c| c.kind.as_str() == "killed").unwrap().id;
    let uri = format!("/api/v1/claims/{claim}/review");
    let json = ("content-type", "application/json");
    let (status, _, text) = call(&router, "POST", &uri, &[signed_in[0], json], r#"{"action":"accept"}"#).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{text}");
    assert!(text.contains("CSRF"));
    let with_csrf = [signed_in[0], json, ("x-csrf-token", csrf.as_str())];
    assert_eq!(call(&router, "POST", &uri, &with_csrf, r#"{"action":"accept"}"#).await.0, StatusCode::OK);
    let reviews = app.store().reviews().await.unwrap();
    assert_eq!(reviews.last().unwrap().actor, "rita");
    // Signing out needs the token too, and ends the session.
    let (status, _, _) = call(&router, "POST", "/logout", &[signed_in[0], form[0]], "csrf=forged").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, headers, _) =
        call(&router, "POST", "/logout", &[signed_in[0], form[0]], &format!("csrf={csrf}")).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(headers.get("set-cookie").unwrap().to_str().unwrap().contains("Max-Age=0"));
    assert_eq!(call(&router, "GET", "/api/v1/incidents", &signed_in, "").await.0, StatusCode::UNAUTHORIZED);
    // No session secret, CSRF token or password reached the log.
    let entries = app.store().log_entries().await.unwrap();
    let secret = cookie.split('=').nth(1).unwrap();
    assert!(entries.iter().all(|e| !e.entry.payload.contains(secret) && !e.entry.payload.contains(&csrf)));
    assert!(entries.iter().any(|e| e.entry.action == "session.started" && e.entry.actor == "rita"));
    assert!(
        entries.iter().any(|e| e.entry.action == "session.ended" && e.entry.actor == "rita"),
        "signing out is logged"
    );
    assert!(app.verify().await.unwrap().ok());
}

#[tokio::test]
async fn repeated_failed_sign_ins_are_limited() {
    let (app, _dir) = app_with(&[]).await;
    let password = dossier_app::Password::new("a long enough password".into()).unwrap();
    app.add_user("vic", dossier_app::Role::Viewer, &password, "test").await.unwrap();
    let router = dossier_server::app(app.clone());
    let form = [("content-type", "application/x-www-form-urlencoded")];
    for _ in 0..5 {
        assert_eq!(call(&router, "POST", "/login", &form, "name=vic&password=guess").await.0, StatusCode::UNAUTHORIZED);
    }
    // The sixth try is refused even with the right password, and says when to come back.
    let (status, headers, _) = call(&router, "POST", "/login", &form, "name=VIC&password=a+long+enough+password").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(headers.get("retry-after").unwrap(), "900");
    // Another account is not affected.
    app.add_user("wen", dossier_app::Role::Viewer, &password, "test").await.unwrap();
    let (status, _, _) = call(&router, "POST", "/login", &form, "name=wen&password=a+long+enough+password").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn the_openapi_document_matches_the_routes() {
    let (app, _dir) = app_with(&[("a.txt", HOSTILE)]).await;
    let (status, text, headers) = get(&app, "/api/v1/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers.get("content-type").unwrap(), "application/json");
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    // Every API route the router declares (read from its source) is documented with its method…
    let source = include_str!("../src/lib.rs");
    let declared: Vec<(String, String)> = source
        .split(".route(")
        .skip(1)
        .filter_map(|chunk| {
            let path = chunk.split('"').nth(1)?;
            let path = path.starts_with("/api/").then_some(path)?;
            let methods = ["get", "post"].into_iter().filter(|m| chunk.contains(&format!("{m}(")));
            Some(methods.map(|m| (path.to_string(), m.to_string())).collect::<Vec<_>>())
        })
        .flatten()
        .collect();
    assert!(declared.len() >= 8, "{declared:?}");
    for (path, method) in &declared {
        assert!(doc["paths"][path][method].is_object(), "{method} {path} is not in the OpenAPI document");
    }
    // …and every documented operation is served (not the unknown-route fallback).
    let incident = app.incidents().await.unwrap()[0].id.to_string();
    let source_id = app.sources().await.unwrap()[0].id.to_string();
    let claim = app.effective_claims().await.unwrap()[0].id.to_string();
    let paths = doc["paths"].as_object().unwrap();
    let operations: usize = paths.values().map(|ops| ops.as_object().unwrap().len()).sum();
    assert_eq!(operations, declared.len(), "documented operations that no route serves");
    for (path, ops) in paths {
        for method in ops.as_object().unwrap().keys() {
            let uri = path
                .replace("/incidents/{id}", &format!("/incidents/{incident}"))
                .replace("/sources/{id}", &format!("/sources/{source_id}"))
                .replace("/claims/{id}", &format!("/claims/{claim}"));
            let body = match (method.as_str(), path.as_str()) {
                ("post", "/api/v1/sources") => Some("TITLE: t\n\nSeven people were killed in Mosul on 3 May 2012."),
                ("post", _) => Some(r#"{"action":"accept"}"#),
                _ => None,
            };
            let (status, text) = send(dossier_server::app(app.clone()), &method.to_uppercase(), &uri, None, body).await;
            assert!(
                !text.contains("no such page or endpoint") && status != StatusCode::METHOD_NOT_ALLOWED,
                "{method} {uri}: {status} {text}"
            );
            let documented = ops[method]["responses"].as_object().unwrap();
            assert!(documented.contains_key(status.as_str()), "{method} {uri} answered {status}, not documented");
        }
    }
}

/// Signs `name` in through the form; returns the cookie header value and the session's CSRF token.
async fn sign_in(router: &axum::Router, name: &str) -> (String, String) {
    let form = [("content-type", "application/x-www-form-urlencoded")];
    let body = format!("name={name}&password=a+long+enough+password");
    let (status, headers, _) = call(router, "POST", "/login", &form, &body).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let cookie = headers.get("set-cookie").unwrap().to_str().unwrap().split(';').next().unwrap().to_string();
    let (_, _, page) = call(router, "GET", "/login", &[("cookie", cookie.as_str())], "").await;
    let csrf = page.split("name=\"csrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    (cookie, csrf)
}

#[tokio::test]
async fn the_review_queue_page_lets_a_signed_in_reviewer_accept_and_reject() {
    let (app, _dir) = app_with(&[("a.txt", HOSTILE)]).await;
    let password = dossier_app::Password::new("a long enough password".into()).unwrap();
    app.add_user("rita", dossier_app::Role::Reviewer, &password, "test").await.unwrap();
    app.add_user("vic", dossier_app::Role::Viewer, &password, "test").await.unwrap();
    let router = dossier_server::app(app.clone());
    let queue = app.review_queue().await.unwrap();
    let (first, second) = (queue[0].id.to_string(), queue[1].id.to_string());
    // Anyone on loopback sees the queue, but only a signed-in reviewer gets the forms.
    let (status, _, page) = call(&router, "GET", "/review", &[], "").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(&format!("claim-{first}")) && page.contains("sign in"), "{page}");
    assert!(!page.contains("<form class=\"decision\""));
    let (cookie, csrf) = sign_in(&router, "rita").await;
    let (_, _, page) = call(&router, "GET", "/review", &[("cookie", cookie.as_str())], "").await;
    assert!(page.contains(&format!("action=\"/review/{first}\"")) && page.contains(&csrf), "{page}");
    let form = ("content-type", "application/x-www-form-urlencoded");
    let signed = [("cookie", cookie.as_str()), form];
    // Without the CSRF token nothing happens.
    let (status, _, _) = call(&router, "POST", &format!("/review/{first}"), &signed, "action=accept").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // A rejection needs a reason.
    let body = format!("action=reject&reason=&csrf={csrf}");
    let (status, _, page) = call(&router, "POST", &format!("/review/{first}"), &signed, &body).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("needs a reason"), "{page}");
    let body = format!("action=accept&csrf={csrf}");
    let (status, headers, _) = call(&router, "POST", &format!("/review/{first}"), &signed, &body).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let back = headers.get("location").unwrap().to_str().unwrap().to_string();
    assert!(back.starts_with("/review?done="), "{back}");
    let body = format!("action=reject&reason=duplicate+of+the+headline&csrf={csrf}");
    assert_eq!(call(&router, "POST", &format!("/review/{second}"), &signed, &body).await.0, StatusCode::SEE_OTHER);
    let (_, _, page) = call(&router, "GET", &back, &[("cookie", cookie.as_str())], "").await;
    assert!(page.contains("Accepted") && !page.contains(&format!("claim-{first}\"")), "{page}");
    let reviews = app.store().reviews().await.unwrap();
    let got: Vec<(String, &str, &str)> =
        reviews.iter().map(|r| (r.claim.to_string(), r.action.as_str(), r.actor.as_str())).collect();
    assert_eq!(got, vec![(first.clone(), "accept", "rita"), (second, "reject", "rita")]);
    // A viewer's session may not decide.
    let (cookie, csrf) = sign_in(&router, "vic").await;
    let third = app.review_queue().await.unwrap()[0].id.to_string();
    let body = format!("action=accept&csrf={csrf}");
    let viewer = [("cookie", cookie.as_str()), form];
    assert_eq!(call(&router, "POST", &format!("/review/{third}"), &viewer, &body).await.0, StatusCode::FORBIDDEN);
    assert!(app.verify().await.unwrap().ok());
}

#[tokio::test]
async fn analysts_upload_reports_through_the_api_and_the_page() {
    let (app, _dir) = app_with(&[]).await;
    let tokens = tokens(&app).await;
    let (viewer, analyst) = (tokens[1].1.clone().unwrap(), tokens[2].1.clone().unwrap());
    let router = dossier_server::app(app.clone());
    let report =
        "TITLE: Raid\nSOURCE-TYPE: news\nPUBLISHED: 2012-05-04\n\nGunmen killed 7 people in Mosul on 3 May 2012.\n";
    let bearer = |t: &str| format!("Bearer {t}");
    let uri = "/api/v1/sources?name=..%2F..%2Fetc%2F%3Cscript%3Eraid.txt";
    let (status, _, _) = call(&router, "POST", uri, &[("authorization", &bearer(&viewer))], report).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a viewer may not ingest");
    let (status, _, text) = call(&router, "POST", uri, &[("authorization", &bearer(&analyst))], report).await;
    assert_eq!(status, StatusCode::CREATED, "{text}");
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let id = v["source"].as_str().unwrap().to_string();
    assert!(v["claims"].as_u64().unwrap() >= 3);
    // Placed into an incident at once, stored under a cleaned name, logged under the analyst.
    assert_eq!(app.incidents().await.unwrap().len(), 1);
    let source = app.sources().await.unwrap().into_iter().find(|s| s.id.as_str() == id).unwrap();
    assert_eq!(source.file_name, "<script>raid.txt", "only the last path component is kept");
    let entries = app.store().log_entries().await.unwrap();
    assert!(entries.iter().any(|e| e.entry.action == "source.ingested" && e.entry.actor == "analyst-user"));
    let (_, _, page) = call(&router, "GET", "/sources", &[], "").await;
    assert!(page.contains("&lt;script&gt;raid.txt") && !page.contains("<script>raid"), "escaped in pages: {page}");
    // The same bytes again: the existing source. Bad bytes: a clear 400. Too many: 413.
    let (status, _, text) = call(&router, "POST", uri, &[("authorization", &bearer(&analyst))], report).await;
    assert_eq!(status, StatusCode::OK);
    assert!(text.contains("\"new\":false"), "{text}");
    let (status, _, text) =
        call(&router, "POST", "/api/v1/sources?name=x.txt", &[("authorization", &bearer(&analyst))], "").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(text.contains("empty"), "{text}");
    let huge = "a".repeat(dossier_server::MAX_UPLOAD + 1);
    let (status, _, _) =
        call(&router, "POST", "/api/v1/sources?name=x.txt", &[("authorization", &bearer(&analyst))], &huge).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    // The page: a multipart form with the session's CSRF token.
    let (cookie, csrf) = sign_in(&router, "analyst-user").await;
    let (_, _, page) = call(&router, "GET", "/upload", &[("cookie", cookie.as_str())], "").await;
    assert!(page.contains("type=\"file\"") && page.contains(&csrf), "{page}");
    let second = "TITLE: Market\nSOURCE-TYPE: ngo\n\nA bomb killed 12 people in Baghdad on 3 May 2012.\n";
    let boundary = "XdossierX";
    let multipart = |csrf: &str| {
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"market.txt\"\r\n\
             Content-Type: text/plain\r\n\r\n{second}\r\n--{boundary}--\r\n"
        )
    };
    let content_type = format!("multipart/form-data; boundary={boundary}");
    let headers = [("cookie", cookie.as_str()), ("content-type", content_type.as_str())];
    let (status, _, _) = call(&router, "POST", "/upload", &headers, &multipart("forged")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, back, _) = call(&router, "POST", "/upload", &headers, &multipart(&csrf)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(back.get("location").unwrap().to_str().unwrap().starts_with("/sources/src-"));
    assert_eq!(app.sources().await.unwrap().len(), 2);
    assert!(app.verify().await.unwrap().ok());
}

#[tokio::test]
async fn the_incident_list_filtered_in_sql_matches_the_documented_filters() {
    let (app, _dir) = dev_app().await;
    let all = app.incidents().await.unwrap();
    assert!(all.len() >= 3);
    let filters = [
        "",
        "q=ashraf",
        "q=CAMP%20liberty",
        "q=100%25",
        "q=a_b",
        "place=iraq",
        "place=pakistan",
        "type=raid",
        "type=rai",
        "grade=contested",
        "grade=fair",
        "from=2011-01-01",
        "to=2010-01-01",
        "from=2009-07-28&to=2009-07-29",
        "q=camp&from=2013-01-01",
        "limit=1&offset=1",
        "limit=2",
        "actor=iraqi",
        "actor=5th%20division",
        "actor=nobody",
        "sort=killed",
        "sort=-date",
        "sort=sources",
        "sort=grade",
        "sort=killed&limit=2&offset=1",
        "q=camp&sort=sources&actor=iraqi",
    ];
    for query in filters {
        let f: dossier_server::IncidentFilter = serde_urlencoded_like(query);
        let mut matching: Vec<&dossier_model::Incident> = all.iter().filter(|i| reference_matches(&f, i)).collect();
        // The documented orders, ties broken by date then id.
        let date_key = |i: &dossier_model::Incident| {
            (i.date.map_or_else(|| "0000-00-00".to_string(), |d| d.start.to_string()), i.id.to_string())
        };
        let rank = |g: &str| ["confirmed", "fair", "weak", "contested", "single_source"].iter().position(|x| *x == g);
        matching.sort_by_key(|i| date_key(i));
        match f.sort.as_deref().unwrap_or("date") {
            "-date" => matching.reverse(),
            "killed" => {
                matching.sort_by_key(|i| (i.killed.max.is_none(), std::cmp::Reverse(i.killed.max), date_key(i)))
            }
            "sources" => matching.sort_by_key(|i| (std::cmp::Reverse(i.sources.len()), date_key(i))),
            "grade" => matching.sort_by_key(|i| (rank(i.grade.as_str()), date_key(i))),
            _ => {}
        }
        let expected: Vec<String> = matching.iter().map(|i| i.id.to_string()).collect();
        let (limit, offset) = f.page();
        let page: Vec<&String> = expected.iter().skip(offset).take(limit).collect();
        let (status, body, _) = get(&app, &format!("/api/v1/incidents?{query}")).await;
        assert_eq!(status, StatusCode::OK, "{query}: {body}");
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["total"].as_u64().unwrap() as usize, expected.len(), "{query}");
        let got: Vec<String> =
            v["items"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap().to_string()).collect();
        assert_eq!(got.iter().collect::<Vec<_>>(), page, "{query}");
    }
}

/// Parses a query string the way the router does.
fn serde_urlencoded_like(query: &str) -> dossier_server::IncidentFilter {
    let uri: axum::http::Uri = format!("/x?{query}").parse().unwrap();
    axum::extract::Query::<dossier_server::IncidentFilter>::try_from_uri(&uri).unwrap().0
}

#[tokio::test]
async fn the_timeline_counts_incidents_and_tolls_per_year_and_month() {
    let (app, _dir) = dev_app().await;
    let all = app.incidents().await.unwrap();
    // Each year's count and killed sums match the incidents themselves.
    let years = app.timeline(None).await.unwrap();
    for b in &years {
        let of_year: Vec<_> =
            all.iter().filter(|i| i.date.is_some_and(|d| d.start.to_string().starts_with(&b.bucket))).collect();
        assert_eq!(b.incidents as usize, of_year.len(), "{b:?}");
        assert_eq!(b.killed_min, of_year.iter().filter_map(|i| i.killed.min).sum::<u64>(), "{b:?}");
    }
    assert_eq!(
        years.iter().map(|b| b.incidents).sum::<u64>() as usize,
        all.iter().filter(|i| i.date.is_some()).count()
    );
    let (status, page, _) = get(&app, "/timeline").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("href=\"/timeline?year=2011\"") && page.contains("<meter"), "{page}");
    let (status, page, _) = get(&app, "/timeline?year=2011").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("href=\"/incidents?from=2011-04-01&amp;to=2011-04-31\""), "{page}");
    assert_eq!(get(&app, "/timeline?year=abc").await.0, StatusCode::BAD_REQUEST);
    assert_eq!(get(&app, "/timeline?year=2011&x=1").await.0, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_map_draws_one_point_per_place_and_grade_with_the_list_filters() {
    let (app, _dir) = dev_app().await;
    let all = app.incidents().await.unwrap();
    let located: Vec<_> = all.iter().filter(|i| i.place.as_ref().is_some_and(|p| p.lat.is_some())).collect();
    assert!(!located.is_empty());
    let points = app.map_points(&dossier_app::IncidentQuery::default()).await.unwrap();
    assert_eq!(points.iter().map(|p| p.incidents).sum::<u64>() as usize, located.len());
    for p in &points {
        let here: Vec<_> = located
            .iter()
            .filter(|i| i.place.as_ref().unwrap().lat == Some(p.lat) && i.grade.as_str() == p.grade)
            .collect();
        assert_eq!(here.len() as u64, p.incidents, "{p:?}");
        assert_eq!(p.killed_max, here.iter().filter_map(|i| i.killed.max).sum::<u64>(), "{p:?}");
    }
    let (status, page, _) = get(&app, "/map").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(page.matches("<circle class=\"point grade-").count(), points.len() + 5, "points plus the legend's five");
    assert!(page.contains("<title>Iraq</title>") && page.contains("href=\"/incidents?place=Camp%20Ashraf\""), "{page}");
    // The list's filters apply: a grade no incident has leaves no point.
    let (_, page, _) = get(&app, "/map?grade=weak").await;
    assert_eq!(page.matches("<circle class=\"point grade-").count(), 5);
    assert_eq!(get(&app, "/map?from=yesterday").await.0, StatusCode::BAD_REQUEST);
    assert_eq!(get(&app, "/map?zoom=3").await.0, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_actors_page_shows_each_actor_with_its_incidents_commands_and_orders() {
    let (app, _dir) = dev_app().await;
    let actors = app.actors().await.unwrap();
    // The founding article: the 5th Division under its commander, and the order.
    let division = actors.iter().find(|a| a.key == "iraqi army 5th division").expect("the 5th Division");
    assert!(!division.incidents.is_empty());
    assert_eq!(division.receives[0].from, "Staff Brigadier General Zia Kadhem Danbus");
    let maliki = actors.iter().find(|a| a.key == "nouri maliki").expect("who ordered");
    assert_eq!((maliki.gives[0].relation.as_str(), maliki.gives[0].to.as_str()), ("ordered", "to attack Camp Ashraf"));
    // Every incident's perpetrators are under some actor.
    for i in app.incidents().await.unwrap() {
        for p in &i.perpetrators {
            let key = dossier_app::actor_key(p.refers_to.as_deref().unwrap_or(&p.name));
            let a = actors.iter().find(|a| a.key == key).expect("listed");
            assert!(a.incidents.iter().any(|(id, _)| *id == i.id) && a.aliases.contains(&p.name), "{a:?}");
        }
    }
    let chains = dossier_app::command_chains(&actors);
    let top =
        chains.iter().position(|(d, k)| *d == 0 && k == "staff brigadier general zia kadhem danbus").expect("a chain");
    assert_eq!(chains[top + 1], (1, "iraqi army 5th division".to_string()));
    let (status, page, _) = get(&app, "/actors").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("Chains of command") && page.contains("Nouri Maliki") && page.contains("#claim-clm-"),
        "{page}"
    );
    // The graph: one box per actor in a chain, one line per command under a commander.
    let svg = &page[page.find("<svg").expect("a drawing")..page.find("</svg>").unwrap()];
    assert_eq!(svg.matches("<rect").count(), chains.len(), "{svg}");
    assert_eq!(svg.matches("<path").count(), chains.iter().filter(|(d, _)| *d > 0).count(), "{svg}");
    assert!(svg.contains("Staff Brigadier General Zia Kadhem") && svg.contains("href=\"#actor-"), "{svg}");
}

#[tokio::test]
async fn commitments_and_calls_list_every_statement_with_its_passage() {
    let (app, _dir) = dev_app().await;
    let claims = app.effective_claims().await.unwrap();
    for (route, kind) in [("/commitments", "commitment"), ("/calls", "call")] {
        let of_kind: Vec<_> = claims.iter().filter(|c| c.kind.as_str() == kind).collect();
        assert!(!of_kind.is_empty(), "{kind}");
        let (status, page, _) = get(&app, route).await;
        assert_eq!(status, StatusCode::OK);
        for c in &of_kind {
            assert!(page.contains(&format!("#claim-{}", c.id)), "{route} lacks {}", c.id);
        }
        assert_eq!(page.matches("\">“").count(), of_kind.len(), "{route}: one row per statement");
    }
    let (_, page, _) = get(&app, "/commitments").await;
    assert!(page.contains("<td>2008-12-01</td><td>the Iraqi government</td>"), "{page}");
    // The founding article says the White House's pledges were dishonoured: that pledge reads as breached.
    let breached: Vec<_> = claims
        .iter()
        .filter(|c| matches!(&c.value, dossier_model::ClaimValue::Statement { detail: Some(d), .. } if d == "breached"))
        .collect();
    assert!(breached.iter().any(|c| c.text.contains("White House")), "{breached:?}");
    assert_eq!(page.matches("said to be breached").count(), breached.len(), "{page}");
    assert!(page.contains(">stated<"), "the others are stated");
    let (_, page, _) = get(&app, "/calls").await;
    assert!(page.contains("a probe into this attack"), "{page}");
}

#[tokio::test]
async fn search_finds_sources_and_claims_with_the_words_marked() {
    let (app, _dir) = dev_app().await;
    let sources = app.sources().await.unwrap();
    let claims = app.effective_claims().await.unwrap();
    for words in ["camp ashraf", "Humvees", "100%", "_", "no such words anywhere"] {
        let lower = words.to_lowercase();
        let want_sources = sources
            .iter()
            .filter(|s| {
                s.body.to_lowercase().contains(&lower)
                    || s.meta.title.as_deref().is_some_and(|t| t.to_lowercase().contains(&lower))
            })
            .count();
        let want_claims = claims.iter().filter(|c| c.text.to_lowercase().contains(&lower)).count();
        let hits = app.search(words, 1000).await.unwrap();
        assert_eq!((hits.sources_total, hits.claims_total), (want_sources, want_claims), "{words}");
        assert_eq!((hits.sources.len(), hits.claims.len()), (want_sources, want_claims), "{words}");
    }
    let (status, page, _) = get(&app, "/search?q=camp%20ashraf").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("<mark>Camp Ashraf</mark>") && page.contains("#claim-clm-"), "{page}");
    let (status, page, _) = get(&app, "/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!page.contains("<script>") && page.contains("&lt;script&gt;"), "{page}");
    assert_eq!(get(&app, "/search?q=x&limit=3").await.0, StatusCode::BAD_REQUEST);
    assert_eq!(get(&app, &format!("/search?q={}", "a".repeat(201))).await.0, StatusCode::BAD_REQUEST);
}

fn nonempty(v: &Option<String>) -> Option<String> {
    v.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_lowercase)
}

/// The filters as documented, in memory: the reference the SQL is held to.
fn reference_matches(f: &dossier_server::IncidentFilter, i: &dossier_model::Incident) -> bool {
    let place_text = i
        .place
        .as_ref()
        .map(|p| {
            [Some(p.name.as_str()), p.admin1.as_deref(), p.country.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_default()
        .to_lowercase();
    if let Some(q) = nonempty(&f.q) {
        let hay = format!("{} {} {}", i.title.to_lowercase(), place_text, i.types.join(" "));
        if !hay.contains(&q) {
            return false;
        }
    }
    if let Some(g) = nonempty(&f.grade) {
        if i.grade.as_str() != g {
            return false;
        }
    }
    if let Some(p) = nonempty(&f.place) {
        if !place_text.contains(&p) {
            return false;
        }
    }
    if let Some(a) = nonempty(&f.actor) {
        let named = i.perpetrators.iter().flat_map(|p| std::iter::once(&p.name).chain(p.refers_to.as_ref()));
        if !named.map(|n| n.to_lowercase()).any(|n| n.contains(&a)) {
            return false;
        }
    }
    if let Some(t) = nonempty(&f.event_type) {
        if !i.types.contains(&t) {
            return false;
        }
    }
    let start = i.date.map(|d| d.start.to_string());
    let end = i.date.map(|d| d.end.to_string());
    if let Some(from) = nonempty(&f.from) {
        if end.as_deref().is_none_or(|e| e < from.as_str()) {
            return false;
        }
    }
    if let Some(to) = nonempty(&f.to) {
        if start.as_deref().is_none_or(|s| s > to.as_str()) {
            return false;
        }
    }
    true
}

#[tokio::test]
async fn a_confidential_source_is_read_by_analysts_and_above_only() {
    let conf = "TITLE: Testimony of Nadia Farouk\nSOURCE-TYPE: testimony\nPUBLISHED: 2013-02-11\nCONFIDENTIAL: yes\n\n\
        Soldiers killed 4 men behind the blue gate of the orchard near Khalis on 9 February 2013.\n";
    let (app, _dir) = app_with(&[("farouk.txt", conf)]).await;
    let tokens = tokens(&app).await;
    let source = app.sources().await.unwrap()[0].id.to_string();
    for uri in [
        format!("/sources/{source}"),
        format!("/api/v1/sources/{source}"),
        format!("/api/v1/sources/{source}/text"),
        "/sources".into(),
        "/api/v1/sources".into(),
        "/incidents".into(),
    ] {
        for (who, token) in &tokens {
            let router = dossier_server::app_with(app.clone(), dossier_server::Access::OpenReads);
            let (status, text) = send(router, "GET", &uri, token.as_deref(), None).await;
            assert_eq!(status, StatusCode::OK, "{uri} as {who}");
            let sees = matches!(*who, "analyst" | "reviewer" | "admin");
            let single = uri.contains(&source);
            assert_eq!(text.contains("blue gate"), sees && single, "{uri} as {who}");
            // The title: on the page and in the record, not in the plain text.
            assert_eq!(text.contains("Nadia Farouk"), sees && single && !uri.ends_with("/text"), "{uri} as {who}");
            if !sees && uri.starts_with("/sources/") {
                assert!(text.contains("This source is confidential"), "{text}");
            }
        }
    }
}

#[tokio::test]
async fn reviewers_merge_and_split_incidents_and_correct_figures_from_the_web() {
    let (app, _dir) = dev_app().await;
    let password = dossier_app::Password::new("a long enough password".into()).unwrap();
    app.add_user("rita", dossier_app::Role::Reviewer, &password, "test").await.unwrap();
    app.add_user("ana", dossier_app::Role::Analyst, &password, "test").await.unwrap();
    let reviewer = app.issue_token("rita", "test").await.unwrap();
    let analyst = app.issue_token("ana", "test").await.unwrap();
    let before = app.incidents().await.unwrap();
    let (a, b) = (before[0].clone(), before[1].clone());
    let json = |t: &str| serde_json::from_str::<serde_json::Value>(t).unwrap();
    let merge = format!("/api/v1/incidents/{}/merge", a.id);
    let body = format!(r#"{{"with":"{}","reason":"the same raid, told twice"}}"#, b.id);
    // An analyst may not; a reviewer may, with a reason, and not with itself.
    let (status, _) = send(dossier_server::app(app.clone()), "POST", &merge, Some(&analyst), Some(&body)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let itself = format!(r#"{{"with":"{}","reason":"r"}}"#, a.id);
    let (status, text) = send(dossier_server::app(app.clone()), "POST", &merge, Some(&reviewer), Some(&itself)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{text}");
    let no_reason = format!(r#"{{"with":"{}","reason":" "}}"#, b.id);
    let (status, text) =
        send(dossier_server::app(app.clone()), "POST", &merge, Some(&reviewer), Some(&no_reason)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{text}");
    let (status, text) = send(dossier_server::app(app.clone()), "POST", &merge, Some(&reviewer), Some(&body)).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let merged = json(&text)["incident"].as_str().unwrap().to_string();
    let after = app.incidents().await.unwrap();
    assert_eq!(after.len(), before.len() - 1);
    let joined = after.iter().find(|i| i.id.to_string() == merged).unwrap();
    assert!(a.sources.iter().chain(&b.sources).all(|s| joined.sources.contains(s)), "{joined:?}");
    // Split one of b's sources back out, through the incident page's form as a signed-in reviewer.
    let router = dossier_server::app(app.clone());
    let (cookie, csrf) = sign_in(&router, "rita").await;
    let (_, _, page) = call(&router, "GET", &format!("/incidents/{merged}"), &[("cookie", cookie.as_str())], "").await;
    assert!(
        page.contains(&format!("action=\"/incidents/{merged}/split\""))
            && page.contains(&format!("action=\"/incidents/{merged}/merge\"")),
        "{page}"
    );
    let (_, _, anonymous) = call(&router, "GET", &format!("/incidents/{merged}"), &[], "").await;
    assert!(!anonymous.contains("/split\""), "no forms without a reviewer's session");
    let signed = [("cookie", cookie.as_str()), ("content-type", "application/x-www-form-urlencoded")];
    let out = &b.sources[0];
    let form = format!("source={out}&reason=another+day&csrf={csrf}");
    let (status, headers, _) = call(&router, "POST", &format!("/incidents/{merged}/split"), &signed, &form).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let now = app.incidents().await.unwrap();
    let holder = now.iter().find(|i| i.sources.contains(out)).unwrap();
    assert_eq!(headers["location"].to_str().unwrap(), format!("/incidents/{}", holder.id));
    assert!(!holder.sources.iter().any(|s| a.sources.contains(s)), "split apart from a's sources");
    let (status, _, _) = call(&router, "POST", &format!("/incidents/{merged}/split"), &signed[..1], &form).await;
    assert_ne!(status, StatusCode::SEE_OTHER, "a form post needs its content type and CSRF token");
    // Correct a figure from the review queue.
    let claim = app.review_queue().await.unwrap().into_iter().find(|c| c.count().is_some()).unwrap();
    let form = format!("action=edit&min=5&max=7&qualifier=about&reason=recounted&csrf={csrf}");
    let (status, _, _) = call(&router, "POST", &format!("/review/{}", claim.id), &signed, &form).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let edited = app.effective_claims().await.unwrap().into_iter().find(|c| c.id == claim.id).unwrap();
    let n = edited.count().unwrap();
    assert_eq!((n.min, n.max, n.qualifier.as_str()), (Some(5), Some(7), "about"));
    let bad = format!("action=edit&min=five&reason=r&csrf={csrf}");
    let (status, _, page) = call(&router, "POST", &format!("/review/{}", claim.id), &signed, &bad).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("whole number"), "{page}");
    // Every decision is in the log under the reviewer's name, and the store verifies.
    let entries = app.store().log_entries().await.unwrap();
    let by_rita: Vec<&str> =
        entries.iter().filter(|e| e.entry.actor == "rita").map(|e| e.entry.action.as_str()).collect();
    assert!(
        by_rita.contains(&"incidents.together")
            && by_rita.contains(&"incidents.apart")
            && by_rita.contains(&"claim.edit"),
        "{by_rita:?}"
    );
    assert!(app.verify().await.unwrap().ok());
}
