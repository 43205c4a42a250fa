//! Server-rendered pages: incidents (filterable), an incident with every
//! source's figures side by side, sources, and the source reader.

use std::collections::HashMap;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use dossier_app::App;
use dossier_model::{range_text as range, Figure, Grade, IncidentId, Source, SourceId};
use maud::{html, Markup, DOCTYPE};

use crate::reader::marked_text;
use crate::IncidentFilter;

pub(crate) fn layout(title: &str, content: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " — Dossier" }
                link rel="stylesheet" href="/static/app.css";
            }
            body {
                header.site {
                    a.brand href="/incidents" { "Dossier" }
                    nav aria-label="Main" {
                        a href="/incidents" { "Incidents" }
                        a href="/timeline" { "Timeline" }
                        a href="/map" { "Map" }
                        a href="/actors" { "Actors" }
                        a href="/commitments" { "Commitments" }
                        a href="/calls" { "Calls" }
                        a href="/cases" { "Cases" }
                        a href="/search" { "Search" }
                        a href="/sources" { "Sources" }
                        a href="/review" { "Review" }
                        a href="/upload" { "Upload" }
                        a href="/login" { "Account" }
                    }
                }
                main id="main" { (content) }
            }
        }
    }
}

/// The grades, in the order the UI lists them.
pub(crate) const GRADES: [&str; 5] = ["confirmed", "fair", "weak", "contested", "single_source"];

/// The date range and grade fields of an incident filter form.
pub(crate) fn date_and_grade_fields(f: &crate::IncidentFilter) -> Markup {
    let v = |o: &Option<String>| o.clone().unwrap_or_default();
    html! {
        label { "From" input type="date" name="from" value=(v(&f.from)); }
        label { "To" input type="date" name="to" value=(v(&f.to)); }
        label { "Grade"
            select name="grade" {
                option value="" { "any" }
                @for g in GRADES {
                    option value=(g) selected[f.grade.as_deref() == Some(g)] { (g.replace('_', " ")) }
                }
            }
        }
    }
}

pub(crate) fn page_error(status: StatusCode, message: &str) -> Response {
    let body = layout(
        "Error",
        html! { h1 { "Something is wrong" } p { (message) } p { a href="/incidents" { "Back to the incidents" } } },
    );
    (status, Html(body.into_string())).into_response()
}

/// A 500 page; the detail goes to the server's log only.
pub(crate) fn internal(e: impl std::fmt::Display) -> Response {
    eprintln!("internal error: {e}");
    page_error(
        StatusCode::INTERNAL_SERVER_ERROR,
        "The server could not complete this request; the details are in its log.",
    )
}

fn grade_badge(g: Grade) -> Markup {
    html! { span class=(format!("grade grade-{}", g.as_str())) { (g.as_str().replace('_', " ")) } }
}

/// `GET /incidents`.
pub async fn incidents(State(app): State<App>, q: Result<Query<IncidentFilter>, QueryRejection>) -> Response {
    let f = match q {
        Ok(Query(f)) => f,
        Err(e) => return page_error(StatusCode::BAD_REQUEST, &e.body_text()),
    };
    if let Err(e) = f.validate() {
        return page_error(StatusCode::BAD_REQUEST, &e);
    }
    let query = f.to_query();
    let (total, shown) = match app.incidents_page(&query).await {
        Ok(page) => page,
        Err(e) => return internal(e),
    };
    let v = |o: &Option<String>| o.clone().unwrap_or_default();
    // Links to the neighbouring pages, and to the other orders, keep the filters.
    let link = |offset: usize, sort: &str| {
        let mut pairs: Vec<(&str, String)> = [
            ("q", &f.q),
            ("place", &f.place),
            ("actor", &f.actor),
            ("from", &f.from),
            ("to", &f.to),
            ("grade", &f.grade),
            ("type", &f.event_type),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.as_ref().filter(|v| !v.is_empty()).map(|v| (k, v.clone())))
        .collect();
        if sort != "date" {
            pairs.push(("sort", sort.to_string()));
        }
        pairs.push(("offset", offset.to_string()));
        pairs.push(("limit", query.limit.to_string()));
        let q: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={}", crate::url_encode(v))).collect();
        format!("/incidents?{}", q.join("&"))
    };
    let page_link = |offset: usize| link(offset, query.sort.as_str());
    // A column heading that sorts by it (the date heading toggles between earliest and latest first).
    let sorter = |label: &str, sort: &str| {
        let current = query.sort.as_str();
        let target = if sort == "date" && current == "date" { "-date" } else { sort };
        let active = current == sort || (sort == "date" && current == "-date");
        let mark = match (active, current) {
            (false, _) => "",
            (true, "date") => " ↑",
            _ => " ↓",
        };
        html! { a.sort href=(link(0, target)) aria-current=[active.then_some("true")] { (label) (mark) } }
    };
    let (first, last) = (query.offset + 1, query.offset + shown.len());
    let content = html! {
        h1 { "Incidents" }
        form.filters method="get" action="/incidents" role="search" aria-label="Filter incidents" {
            label { "Text" input type="search" name="q" value=(v(&f.q)); }
            label { "Place" input type="text" name="place" value=(v(&f.place)); }
            label { "Actor" input type="text" name="actor" value=(v(&f.actor)); }
            (date_and_grade_fields(&f))
            @if query.sort != dossier_app::Sort::Date { input type="hidden" name="sort" value=(query.sort.as_str()); }
            button type="submit" { "Filter" }
        }
        p.muted {
            @if shown.is_empty() { "No incident matches." } @else {
                (first) "–" (last) " of " (total) @if total == 1 { " incident" } @else { " incidents" }
            }
        }
        @if query.offset > 0 || last < total {
            nav.pager aria-label="Pages" {
                @if query.offset > 0 { a rel="prev" href=(page_link(query.offset.saturating_sub(query.limit))) { "← Earlier page" } " " }
                @if last < total { a rel="next" href=(page_link(last)) { "Next page →" } }
            }
        }
        table {
            thead { tr {
                th { (sorter("Date", "date")) } th { "Place" } th { "Incident" } th.num { (sorter("Killed", "killed")) }
                th.num.wide { "Injured" } th.num.wide { (sorter("Sources", "sources")) } th { (sorter("Grade", "grade")) }
            } }
            tbody {
                @for i in &shown {
                    tr {
                        td { (i.date.map(|d| d.start.to_string()).unwrap_or_else(|| "—".into())) }
                        td { (i.place.as_ref().map(|p| p.name.clone()).unwrap_or_else(|| "—".into())) }
                        td { a href=(format!("/incidents/{}", i.id)) { (i.title) } }
                        td.num { span.range { (range(i.killed.min, i.killed.max)) } }
                        td.num.wide { (range(i.injured.min, i.injured.max)) }
                        td.num.wide { (i.sources.len()) }
                        td { (grade_badge(i.grade)) }
                    }
                }
            }
        }
    };
    Html(layout("Incidents", content).into_string()).into_response()
}

fn figure_table(label: &str, fig: &Figure, sources: &HashMap<SourceId, Source>) -> Markup {
    html! {
        h2 { (label) ": " span.range { (range(fig.min, fig.max)) } " " span.muted { "(every source's figure, side by side)" } }
        @if let Some(best) = fig.best {
            p { "Best figure: " strong { (best) } " " span.muted { "— " (dossier_model::BEST_RULE) "." } }
        }
        table {
            thead { tr { th { "Figure" } th { "Qualifier" } th { "According to" } th.wide { "Source" } th.wide { "Kind" } th.wide { "Reported" } th { "Passage" } } }
            tbody {
                @for e in &fig.by_source {
                    @let s = sources.get(&e.source);
                    tr {
                        td.num { span.range { (range(e.min, e.max)) } }
                        td { (e.qualifier) }
                        td {
                            (e.according_to.as_str())
                            @if e.superseded_by.is_some() { " " span.muted { "(revised in a later report)" } }
                        }
                        td.wide { (s.and_then(|s| s.meta.publisher.clone().or(s.meta.title.clone())).unwrap_or_else(|| e.source.to_string())) }
                        td.wide { (s.map(|s| s.meta.source_type.as_str()).unwrap_or("?")) }
                        td.wide { (s.and_then(|s| s.meta.published).map(|d| d.to_string()).unwrap_or_else(|| "—".into())) }
                        td { a href=(format!("/sources/{}#claim-{}", e.source, e.claim)) { "“" (e.text) "”" } }
                    }
                }
            }
        }
    }
}

/// `GET /incidents/{id}`.
pub async fn incident(State(app): State<App>, Path(id): Path<String>, headers: axum::http::HeaderMap) -> Response {
    let Ok(id) = IncidentId::parse(&id) else {
        return page_error(StatusCode::BAD_REQUEST, "That is not an incident id.");
    };
    let i = match app.incident(&id).await {
        Ok(Some(i)) => i,
        Ok(None) => return page_error(StatusCode::NOT_FOUND, "No such incident."),
        Err(e) => return internal(e),
    };
    let mut sources = HashMap::new();
    for s in &i.sources {
        match app.source(s).await {
            Ok(Some(src)) => {
                sources.insert(s.clone(), src);
            }
            Ok(None) => {}
            Err(e) => return internal(e),
        }
    }
    let names_shown = crate::auth::sees_names(&app, &headers).await;
    // A signed-in reviewer gets the grouping forms.
    let who = crate::auth::caller(&app, &headers).await.ok().flatten();
    let csrf = who.filter(|c| c.user.role >= dossier_app::Role::Reviewer).and_then(|c| c.csrf);
    let victims = match app.victims_of(&i, names_shown).await {
        Ok(v) => v,
        Err(e) => return internal(e),
    };
    // Commitments, calls and cases its sources state.
    let mut statements = Vec::new();
    for s in &i.sources {
        match app.claims_of(s).await {
            Ok(cs) => statements.extend(cs.into_iter().filter(|c| {
                matches!(
                    c.kind,
                    dossier_model::ClaimKind::Commitment
                        | dossier_model::ClaimKind::Call
                        | dossier_model::ClaimKind::Case
                )
            })),
            Err(e) => return internal(e),
        }
    }
    let mut reports: Vec<&Source> = sources.values().collect();
    reports.sort_by(|a, b| (a.meta.published, &a.id).cmp(&(b.meta.published, &b.id)));
    let content = html! {
        h1 { (i.title) }
        p {
            (i.date.map(|d| if d.start == d.end { d.start.to_string() } else { format!("{} – {}", d.start, d.end) }).unwrap_or_default())
            " · "
            (i.place.as_ref().map(|p| [Some(p.name.as_str()), p.admin1.as_deref(), p.country.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(", ")).unwrap_or_default())
            " · " (i.types.join(", "))
        }
        p { "Grade: " (grade_badge(i.grade)) " " span.muted { (i.grade.rule()) } }
        (figure_table("Killed", &i.killed, &sources))
        (figure_table("Injured", &i.injured, &sources))
        @for (label, fig) in [("Missing", &i.missing), ("Detained", &i.detained), ("Displaced", &i.displaced), ("Attackers killed or injured", &i.attacker_casualties)] {
            @if !fig.by_source.is_empty() { (figure_table(label, fig, &sources)) }
        }
        @if !i.perpetrators.is_empty() {
            h2 { "Perpetrators (as each source names them)" }
            table {
                thead { tr { th { "Named" } th { "Status" } th { "According to" } th { "Passage" } } }
                tbody {
                    @for p in &i.perpetrators {
                        tr {
                            td { (p.name) } td { (p.status) } td { (p.according_to.as_str()) }
                            td { a href=(format!("/sources/{}#claim-{}", p.source, p.claim)) { "show passage" } }
                        }
                    }
                }
            }
        }
        @if !victims.is_empty() {
            h2 { "Victims and detainees named" }
            @if !names_shown { p.muted { "Protected persons are shown by pseudonym; analysts who sign in see their names." } }
            table {
                thead { tr { th { "Person" } th { "Role" } th { "Source" } } }
                tbody {
                    @for v in &victims {
                        tr {
                            td { (v["name"].as_str().unwrap_or("")) }
                            td { (v["role"].as_str().unwrap_or("")) }
                            td { a href=(format!("/sources/{}", v["source"].as_str().unwrap_or(""))) { (v["source"].as_str().unwrap_or("")) } }
                        }
                    }
                }
            }
        }
        @if !statements.is_empty() {
            h2 { "Commitments, calls and cases its sources state" }
            ul {
                @for c in &statements {
                    li { span.muted { (c.kind.as_str()) ": " } a href=(format!("/sources/{}#claim-{}", c.source, c.id)) { "“" (c.text) "”" } " " span.muted { "according to " (c.according_to.as_str()) } }
                }
            }
        }
        h2 { "Reports, in the order published" }
        ol {
            @for s in &reports {
                li {
                    (s.meta.published.map(|d| d.to_string()).unwrap_or_else(|| "undated".into())) " · "
                    a href=(format!("/sources/{}", s.id)) { (s.meta.title.clone().unwrap_or_else(|| s.file_name.clone())) }
                    " " span.muted { "(" (s.meta.source_type.as_str()) @if let Some(p) = &s.meta.publisher { ", " (p) } ")" }
                    @if let (Some(token), true) = (&csrf, reports.len() > 1) {
                        form.decision method="post" action=(format!("/incidents/{}/split", i.id)) {
                            input type="hidden" name="csrf" value=(token);
                            input type="hidden" name="source" value=(s.id.as_str());
                            label { span.visually-hidden { "Why this report is another event" } input name="reason" placeholder="why it is another event" required; }
                            button { "Split out" }
                        }
                    }
                }
            }
        }
        @if let Some(token) = &csrf {
            h2 { "Merge" }
            form.decision method="post" action=(format!("/incidents/{}/merge", i.id)) {
                input type="hidden" name="csrf" value=(token);
                label { "Incident that is the same event " input name="with" placeholder="inc-…" required pattern="inc-[0-9a-f]{16}"; }
                " "
                label { "Why " input name="reason" required; }
                " "
                button { "Merge" }
            }
            p.muted { "Each decision is logged under your name; the machine's grouping stays in the log, and later resolutions honour the decision." }
        }
        h2 { "Why these sources are one incident" }
        ul {
            @for r in &i.why {
                li {
                    a href=(format!("/sources/{}", r.source)) { (sources.get(&r.source).and_then(|s| s.meta.title.clone()).unwrap_or_else(|| r.source.to_string())) }
                    @match &r.matched { None => { " founded the incident" } Some(m) => { " joined, matched with " (m) } }
                    ul { @for e in &r.evidence { li { (e.signal) " (" (format!("{:.1}", e.weight)) "): " (e.detail) } } }
                }
            }
        }
    };
    Html(layout(&i.title, content).into_string()).into_response()
}

/// `GET /sources`.
pub async fn sources(State(app): State<App>) -> Response {
    let list = match app.sources().await {
        Ok(l) => l,
        Err(e) => return internal(e),
    };
    let content = html! {
        h1 { "Sources" }
        table {
            thead { tr { th { "Title" } th { "Type" } th { "Publisher" } th.wide { "Published" } th.wide { "File" } } }
            tbody {
                @for s in &list {
                    tr {
                        td { a href=(format!("/sources/{}", s.id)) { (s.meta.title.clone().unwrap_or_else(|| "(untitled)".into())) } }
                        td { (s.meta.source_type.as_str()) }
                        td { (s.meta.publisher.clone().unwrap_or_default()) }
                        td.wide { (s.meta.published.map(|d| d.to_string()).unwrap_or_default()) }
                        td.wide { (s.file_name) }
                    }
                }
            }
        }
    };
    Html(layout("Sources", content).into_string()).into_response()
}

/// `GET /sources/{id}`: the reader.
pub async fn source(State(app): State<App>, Path(id): Path<String>, headers: axum::http::HeaderMap) -> Response {
    let Ok(id) = SourceId::parse(&id) else {
        return page_error(StatusCode::BAD_REQUEST, "That is not a source id.");
    };
    let s = match app.source(&id).await {
        Ok(Some(s)) => s,
        Ok(None) => return page_error(StatusCode::NOT_FOUND, "No such source."),
        Err(e) => return internal(e),
    };
    let mut claims = match app.claims_of(&id).await {
        Ok(c) => c,
        Err(e) => return internal(e),
    };
    let mentions = match app.mentions_in(&id).await {
        Ok(m) => m,
        Err(e) => return internal(e),
    };
    let names_shown = (!mentions.is_empty() || s.meta.confidential) && crate::auth::sees_names(&app, &headers).await;
    let (s, masks) = if names_shown {
        match app.revealed_source(&s, &mut claims).await {
            Ok(revealed) => (revealed, Vec::new()),
            Err(e) => return internal(e),
        }
    } else {
        let masks: Vec<(dossier_model::Span, String)> =
            mentions.iter().map(|m| (m.span, m.pseudonym.clone())).collect();
        (s, masks)
    };
    let history = match app.extraction_history(&id).await {
        Ok(h) => h,
        Err(e) => return internal(e),
    };
    let title = s.meta.title.clone().unwrap_or_else(|| "(untitled)".into());
    let content = html! {
        h1 { (title) }
        p.muted {
            (s.meta.source_type.as_str())
            @if let Some(p) = &s.meta.publisher { " · " (p) }
            @if let Some(d) = s.meta.published { " · " (d.to_string()) }
            " · SHA-256 " code { (s.sha256.as_str()) }
        }
        @if let Some(url) = &s.meta.url {
            // Only web addresses become links: a `javascript:` or `data:` URL is shown as text.
            @if url.starts_with("https://") || url.starts_with("http://") {
                p { "Captured from " a href=(url) rel="noreferrer nofollow" { (url) } }
            } @else {
                p { "Captured from " code { (url) } }
            }
        }
        @if let Some(note) = &s.meta.note { p.muted { (note) } }
        @if !mentions.is_empty() {
            p.notice {
                @if names_shown { "This text names protected persons (victims, witnesses or detainees). Do not share their names." }
                @else { "Protected persons (victims, witnesses or detainees) are shown by pseudonym. Analysts who sign in see their names." }
            }
        }
        @if s.meta.confidential && !names_shown {
            p.notice { "This source is confidential: its text, title, author and address are shown to analysts and above. Its claims below keep their places in the text." }
        } @else {
            (marked_text(&s.body, &claims, &masks))
        }
        h2 { "Claims" }
        table {
            thead { tr { th { "Kind" } th { "Passage" } th { "According to" } th { "Status" } } }
            tbody {
                @for c in &claims {
                    tr {
                        td { (c.kind.as_str()) }
                        td { a href=(format!("#claim-{}", c.id)) { "“" (c.text) "”" } }
                        td { (c.according_to.as_str()) }
                        td { (c.status.as_str()) }
                    }
                }
            }
        }
        h2 { "Extraction history" }
        table #extraction-history {
            thead { tr { th { "Log entry" } th { "When" } th { "By" } th { "Extractor" } th { "Claims" } th { "Not carried" } } }
            tbody {
                @for (k, r) in history.iter().enumerate() {
                    tr {
                        td { (r.seq) @if k + 1 == history.len() { " (current)" } }
                        td { (r.recorded_at) }
                        td { (r.actor) }
                        td { code { (r.extractor) } }
                        td { (r.claims) }
                        td { (r.uncarried.len()) }
                    }
                }
            }
        }
    };
    Html(layout(&title, content).into_string()).into_response()
}
