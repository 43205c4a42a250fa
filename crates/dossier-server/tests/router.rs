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

const HOSTILE: &str = "TITLE: <script>alert('t')</script>\nSOURCE-TYPE: news\nPUBLISHED: 2014-06-02\n\n\
    Police said <img src=x onerror=alert(1)> 12 people were killed in Mosul on 1 June 2014.";

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
    assert!(headers["content-security-policy"].to_str().unwrap().contains("script-src 'none'"));
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
    assert!(page.contains("1 of 1 incidents"));
    let (status, _, _) = get(&app, "/incidents?from=nonsense").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _, _) = get(&app, "/incidents/inc-0000000000000000").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
