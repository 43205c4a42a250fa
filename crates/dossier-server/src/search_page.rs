//! Search: full text over sources (title and text) and claims (their
//! passages), case-insensitive, with the words found marked in a snippet;
//! each hit links to the source reader (a claim, at its passage).

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use dossier_app::App;
use maud::{html, Markup};
use serde::Deserialize;

use crate::pages::{internal, layout, page_error};

/// Hits shown of each kind.
const SHOWN: usize = 50;
/// Characters of context either side of a hit.
const CONTEXT: usize = 90;

/// `?q=`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchQuery {
    q: Option<String>,
}

/// Where `needle` first occurs in `hay`, ignoring case: byte offsets in `hay`.
fn find_ignoring_case(hay: &str, needle: &str) -> Option<(usize, usize)> {
    let needle: Vec<char> = needle.chars().flat_map(char::to_lowercase).collect();
    if needle.is_empty() {
        return None;
    }
    let starts: Vec<usize> = hay.char_indices().map(|(i, _)| i).collect();
    for &start in &starts {
        let mut matched = 0;
        for (i, c) in hay[start..].char_indices() {
            let lower: Vec<char> = c.to_lowercase().collect();
            if needle.get(matched..matched + lower.len()) != Some(lower.as_slice()) {
                break;
            }
            matched += lower.len();
            if matched == needle.len() {
                return Some((start, start + i + c.len_utf8()));
            }
        }
    }
    None
}

/// The text around the first hit, the hit marked.
fn snippet(text: &str, q: &str) -> Markup {
    let Some((start, end)) = find_ignoring_case(text, q) else {
        return html! { (text.chars().take(2 * CONTEXT).collect::<String>()) };
    };
    let from = text[..start].char_indices().rev().nth(CONTEXT).map_or(0, |(i, _)| i);
    let to = text[end..].char_indices().nth(CONTEXT).map_or(text.len(), |(i, _)| end + i);
    html! {
        @if from > 0 { "…" }
        (text[from..start]) mark { (text[start..end]) } (text[end..to])
        @if to < text.len() { "…" }
    }
}

/// `GET /search`.
pub async fn page(
    State(app): State<App>,
    headers: axum::http::HeaderMap,
    q: Result<Query<SearchQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let Ok(Query(SearchQuery { q })) = q else {
        return page_error(StatusCode::BAD_REQUEST, "the only parameter is q, the words to find");
    };
    let q = q.unwrap_or_default().trim().to_string();
    if q.chars().count() > 200 {
        return page_error(StatusCode::BAD_REQUEST, "search for at most 200 characters");
    }
    let hits = if q.is_empty() {
        None
    } else {
        match app.search(&q, SHOWN).await {
            Ok(h) => Some(h),
            Err(e) => return internal(e),
        }
    };
    // Protected persons by name: analysts and above only, through the blind index.
    let persons = if !q.is_empty() && crate::auth::sees_names(&app, &headers).await {
        match app.search_persons(&q).await {
            Ok(p) => Some(p),
            Err(e) => return internal(e),
        }
    } else {
        None
    };
    let content = html! {
        h1 { "Search" }
        form.filters method="get" action="/search" role="search" {
            label { "Words to find" input type="search" name="q" value=(q) required; }
            button type="submit" { "Search" }
        }
        @if let Some(persons) = &persons {
            h2 { "Protected persons (" (persons.len()) ")" }
            @if persons.is_empty() { p { "No protected person's name holds “" (q) "”." } }
            ol.hits {
                @for p in persons {
                    li {
                        strong { (p.name.reveal()) } " " span.muted { "(" (p.pseudonym) " to others)" }
                        @let sources = {
                            let mut v: Vec<(&dossier_model::SourceId, &str)> = Vec::new();
                            for (s, m) in &p.mentions {
                                if !v.iter().any(|(x, _)| *x == s) {
                                    v.push((s, m.role.as_str()));
                                }
                            }
                            v
                        };
                        ul {
                            @for (source, role) in sources {
                                li { (role) " in " a href=(format!("/sources/{source}")) { (source) } }
                            }
                        }
                    }
                }
            }
        }
        @if let Some(h) = &hits {
            h2 { "Sources (" (h.sources_total) ")" }
            @if h.sources.is_empty() { p { "No source contains “" (q) "”." } }
            ol.hits {
                @for s in &h.sources {
                    li {
                        a href=(format!("/sources/{}", s.id)) { (s.meta.title.clone().unwrap_or_else(|| s.file_name.clone())) }
                        " " span.muted { (s.meta.source_type.as_str()) @if let Some(d) = s.meta.published { ", " (d) } }
                        br; (snippet(&s.body, &q))
                    }
                }
            }
            @if h.sources_total > h.sources.len() { p.muted { "The first " (h.sources.len()) " shown." } }
            h2 { "Claims (" (h.claims_total) ")" }
            @if h.claims.is_empty() { p { "No claim's passage contains “" (q) "”." } }
            ol.hits {
                @for c in &h.claims {
                    li {
                        span.muted { (c.kind.as_str().replace('_', " ")) ": " }
                        a href=(format!("/sources/{}#claim-{}", c.source, c.id)) { "“" (snippet(&c.text, &q)) "”" }
                    }
                }
            }
            @if h.claims_total > h.claims.len() { p.muted { "The first " (h.claims.len()) " shown." } }
        }
    };
    Html(layout("Search", content).into_string()).into_response()
}

#[cfg(test)]
mod tests {
    use super::find_ignoring_case;

    #[test]
    fn hits_are_found_whatever_the_case_at_byte_offsets_of_the_text() {
        let text = "Raid on CAMP Ashraf; Khān Yūnis shelled.";
        assert_eq!(find_ignoring_case(text, "camp ashraf").map(|(a, b)| &text[a..b]), Some("CAMP Ashraf"));
        assert_eq!(find_ignoring_case(text, "KHĀN").map(|(a, b)| &text[a..b]), Some("Khān"));
        assert_eq!(find_ignoring_case(text, "baghdad"), None);
        assert_eq!(find_ignoring_case(text, ""), None);
    }
}
