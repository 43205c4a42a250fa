//! JSON endpoints behind the collection pages: claims, actors, places,
//! timeline, commitments, calls, cases, search and the export. Lists are in
//! a stable order; the long ones are paged (`offset`, `limit`, `total`).
//! Protected persons appear by pseudonym unless the caller is an analyst or
//! above, as on the pages.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::Json;
use dossier_app::App;
use dossier_app::IncidentQuery;
use dossier_model::{Claim, ClaimId, ClaimKind, SourceId};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::api::ErrorBody;
use crate::WebError;

/// Most items on one page of a list.
const MAX_LIMIT: usize = 500;

fn query<T>(q: Result<Query<T>, QueryRejection>) -> Result<T, WebError> {
    q.map(|Query(t)| t).map_err(|e| WebError::bad_request(e.body_text()))
}

/// Claims, revealed for those allowed to see protected names.
async fn claims_for(app: &App, headers: &HeaderMap, mut claims: Vec<Claim>) -> Result<Vec<Claim>, WebError> {
    if crate::auth::sees_names(app, headers).await {
        app.reveal_claims(&mut claims).await.map_err(WebError::internal)?;
    }
    Ok(claims)
}

/// `?kind=&source=&offset=&limit=` of the claims list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ClaimsQuery {
    /// Only claims of this kind (`killed`, `injured`, `perpetrator`, `case`…).
    kind: Option<String>,
    /// Only claims of this source (src-…).
    source: Option<String>,
    /// Claims to skip (default 0).
    offset: Option<usize>,
    /// Claims to return (default 100, at most 500).
    limit: Option<usize>,
}

/// `GET /api/v1/claims`: every claim (reviews and moves applied), by source then position.
#[utoipa::path(get, path = "/api/v1/claims", tag = "claims", params(ClaimsQuery),
    responses((status = 200, description = "A page of claims: total, limit, offset, items (id, kind, source, span, text, according_to, status, value, review, moved)", body = Object),
        (status = 400, description = "Bad request", body = ErrorBody)))]
pub async fn claims(
    State(app): State<App>,
    headers: HeaderMap,
    q: Result<Query<ClaimsQuery>, QueryRejection>,
) -> Result<Json<Value>, WebError> {
    let q = query(q)?;
    let kind = match &q.kind {
        Some(k) => Some(ClaimKind::parse(k).ok_or_else(|| WebError::bad_request(format!("unknown claim kind {k:?}")))?),
        None => None,
    };
    let source = match &q.source {
        Some(s) => Some(SourceId::parse(s).map_err(|e| WebError::bad_request(e.to_string()))?),
        None => None,
    };
    let limit = q.limit.unwrap_or(100);
    if limit == 0 || limit > MAX_LIMIT {
        return Err(WebError::bad_request(format!("limit is 1 to {MAX_LIMIT}")));
    }
    let offset = q.offset.unwrap_or(0);
    let mut all = app.effective_claims().await.map_err(WebError::internal)?;
    all.retain(|c| kind.is_none_or(|k| c.kind == k) && source.as_ref().is_none_or(|s| &c.source == s));
    all.sort_by(|a, b| (&a.source, a.span.start, &a.id).cmp(&(&b.source, b.span.start, &b.id)));
    let total = all.len();
    let page: Vec<Claim> = all.into_iter().skip(offset).take(limit).collect();
    let page = claims_for(&app, &headers, page).await?;
    Ok(Json(json!({ "total": total, "limit": limit, "offset": offset, "items": page })))
}

/// `GET /api/v1/claims/{id}`.
#[utoipa::path(get, path = "/api/v1/claims/{id}", tag = "claims",
    params(("id" = String, Path, description = "Claim id (clm-…)")),
    responses((status = 200, description = "The claim, its review and move applied", body = Object),
        (status = 400, description = "Bad request", body = ErrorBody), (status = 404, description = "No such claim", body = ErrorBody)))]
pub async fn claim(
    State(app): State<App>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<Value>, WebError> {
    let id = ClaimId::parse(&id).map_err(|e| WebError::bad_request(e.to_string()))?;
    let stored = app.store().claim(&id).await.map_err(WebError::internal)?;
    let Some(stored) = stored else { return Err(WebError::not_found(format!("no claim {id}"))) };
    let mut own = app.claims_of(&stored.source).await.map_err(WebError::internal)?;
    own.retain(|c| c.id == id);
    let claims = claims_for(&app, &headers, own).await?;
    let c = claims.into_iter().next().ok_or_else(|| WebError::not_found(format!("no claim {id}")))?;
    Ok(Json(json!(c)))
}

/// `GET /api/v1/actors`: every actor named, with aliases, incidents and chains of command.
#[utoipa::path(get, path = "/api/v1/actors", tag = "actors",
    responses((status = 200, description = "Actors by name: key, name, aliases, kind, incidents (id, title), gives and receives (command and order relations with their claim, source and passage)", body = Object)))]
pub async fn actors(State(app): State<App>) -> Result<Json<Value>, WebError> {
    let actors = app.actors().await.map_err(WebError::internal)?;
    let edge = |e: &dossier_app::RelationEdge| {
        json!({ "relation": e.relation, "from": e.from, "from_key": e.from_key, "to": e.to, "to_key": e.to_key,
                "claim": e.claim, "source": e.source, "text": e.text })
    };
    let items: Vec<Value> = actors
        .iter()
        .map(|a| {
            json!({
                "key": a.key, "name": a.name, "aliases": a.aliases, "kind": a.kind,
                "incidents": a.incidents.iter().map(|(id, title)| json!({ "id": id, "title": title })).collect::<Vec<_>>(),
                "gives": a.gives.iter().map(edge).collect::<Vec<_>>(),
                "receives": a.receives.iter().map(edge).collect::<Vec<_>>(),
            })
        })
        .collect();
    Ok(Json(json!({ "total": items.len(), "items": items })))
}

/// `GET /api/v1/places`: the places incidents happened at, with coordinates.
#[utoipa::path(get, path = "/api/v1/places", tag = "places",
    responses((status = 200, description = "Places by name: place, lat, lon, incidents, killed_max (the sum of bounded upper figures), grades", body = Object)))]
pub async fn places(State(app): State<App>) -> Result<Json<Value>, WebError> {
    let points = app.map_points(&IncidentQuery::default()).await.map_err(WebError::internal)?;
    let mut merged: Vec<(String, f64, f64, u64, u64, Vec<String>)> = Vec::new();
    for p in points {
        match merged.iter_mut().find(|m| m.0 == p.place && m.1 == p.lat && m.2 == p.lon) {
            Some(m) => {
                m.3 += p.incidents;
                m.4 += p.killed_max;
                m.5.push(p.grade);
            }
            None => merged.push((p.place, p.lat, p.lon, p.incidents, p.killed_max, vec![p.grade])),
        }
    }
    merged.sort_by(|a, b| a.0.cmp(&b.0));
    let items: Vec<Value> = merged
        .into_iter()
        .map(|(place, lat, lon, incidents, killed_max, grades)| {
            json!({ "place": place, "lat": lat, "lon": lon, "incidents": incidents, "killed_max": killed_max, "grades": grades })
        })
        .collect();
    Ok(Json(json!({ "total": items.len(), "items": items })))
}

/// `?year=` of the timeline.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TimelineQuery {
    /// Per month of this year; per year when absent.
    year: Option<i32>,
}

/// `GET /api/v1/timeline`: incidents and tolls per year, or per month of a year.
#[utoipa::path(get, path = "/api/v1/timeline", tag = "incidents", params(TimelineQuery),
    responses((status = 200, description = "Buckets in order: bucket (YYYY or YYYY-MM), incidents, killed_min, killed_max", body = Object),
        (status = 400, description = "Bad request", body = ErrorBody)))]
pub async fn timeline(
    State(app): State<App>,
    q: Result<Query<TimelineQuery>, QueryRejection>,
) -> Result<Json<Value>, WebError> {
    let q = query(q)?;
    if q.year.is_some_and(|y| !(1..=9999).contains(&y)) {
        return Err(WebError::bad_request("year is 1 to 9999"));
    }
    let buckets = app.timeline(q.year).await.map_err(WebError::internal)?;
    let items: Vec<Value> = buckets
        .iter()
        .map(|b| json!({ "bucket": b.bucket, "incidents": b.incidents, "killed_min": b.killed_min, "killed_max": b.killed_max }))
        .collect();
    Ok(Json(json!({ "year": q.year, "items": items })))
}

async fn statements(app: &App, headers: &HeaderMap, kind: ClaimKind) -> Result<Json<Value>, WebError> {
    let mut claims = app.effective_claims().await.map_err(WebError::internal)?;
    claims.retain(|c| c.kind == kind);
    claims.sort_by(|a, b| (&a.source, a.span.start).cmp(&(&b.source, b.span.start)));
    let claims = claims_for(app, headers, claims).await?;
    Ok(Json(json!({ "total": claims.len(), "items": claims })))
}

/// `GET /api/v1/commitments`: pledges (claims of kind `commitment`), each with its passage.
#[utoipa::path(get, path = "/api/v1/commitments", tag = "statements",
    responses((status = 200, description = "Commitment claims: value.by, value.to, value.content, value.date, with source, span and text", body = Object)))]
pub async fn commitments(State(app): State<App>, headers: HeaderMap) -> Result<Json<Value>, WebError> {
    statements(&app, &headers, ClaimKind::Commitment).await
}

/// `GET /api/v1/calls`: calls for action, each with its passage.
#[utoipa::path(get, path = "/api/v1/calls", tag = "statements",
    responses((status = 200, description = "Call claims: value.by, value.content, value.date, with source, span and text", body = Object)))]
pub async fn calls(State(app): State<App>, headers: HeaderMap) -> Result<Json<Value>, WebError> {
    statements(&app, &headers, ClaimKind::Call).await
}

/// `GET /api/v1/cases`: individual cases; the person by pseudonym unless the caller is an analyst or above.
#[utoipa::path(get, path = "/api/v1/cases", tag = "statements",
    responses((status = 200, description = "Case claims: value.to (the person), value.detail (abducted, detained…), value.duration as stated, with source, span and text", body = Object)))]
pub async fn cases(State(app): State<App>, headers: HeaderMap) -> Result<Json<Value>, WebError> {
    statements(&app, &headers, ClaimKind::Case).await
}

/// `?q=` of the search.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// The words to find (1 to 200 characters).
    q: String,
}

/// `GET /api/v1/search`: sources and claims whose text holds the words; for
/// analysts and above, also protected persons whose names hold them.
#[utoipa::path(get, path = "/api/v1/search", tag = "search", params(SearchQuery),
    responses((status = 200, description = "sources_total, sources (id, title), claims_total, claims (the first 50 of each); persons (pseudonym, name, sources) for analysts and above", body = Object),
        (status = 400, description = "Bad request", body = ErrorBody)))]
pub async fn search(
    State(app): State<App>,
    headers: HeaderMap,
    q: Result<Query<SearchQuery>, QueryRejection>,
) -> Result<Json<Value>, WebError> {
    let q = query(q)?.q.trim().to_string();
    if q.is_empty() || q.chars().count() > 200 {
        return Err(WebError::bad_request("q is 1 to 200 characters"));
    }
    let hits = app.search(&q, 50).await.map_err(WebError::internal)?;
    let sources: Vec<Value> =
        hits.sources.iter().map(|s| json!({ "id": s.id, "title": s.meta.title, "file_name": s.file_name })).collect();
    let mut body = json!({
        "q": q, "sources_total": hits.sources_total, "sources": sources,
        "claims_total": hits.claims_total, "claims": hits.claims,
    });
    if crate::auth::sees_names(&app, &headers).await {
        let persons = app.search_persons(&q).await.map_err(WebError::internal)?;
        body["persons"] = persons
            .iter()
            .map(|p| {
                let mut sources: Vec<&SourceId> = p.mentions.iter().map(|(s, _)| s).collect();
                sources.dedup();
                json!({ "pseudonym": p.pseudonym, "name": p.name.reveal(), "sources": sources })
            })
            .collect();
    }
    Ok(Json(body))
}

/// `GET /api/v1/export`: the `dossier-export/1` document; the public form
/// (persons by pseudonym, their names masked) unless the caller is an analyst or above.
#[utoipa::path(get, path = "/api/v1/export", tag = "export",
    responses((status = 200, description = "The dossier-export/1 document", body = Object)))]
pub async fn export(State(app): State<App>, headers: HeaderMap) -> Result<axum::response::Response, WebError> {
    use axum::response::IntoResponse;
    let text = if crate::auth::sees_names(&app, &headers).await {
        app.export_json().await
    } else {
        app.export_json_public().await
    }
    .map_err(WebError::internal)?;
    Ok(([(axum::http::header::CONTENT_TYPE, "application/json")], text).into_response())
}
