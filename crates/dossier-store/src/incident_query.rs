//! The incident list in SQL: filters and a page, so that listing reads only
//! the rows it shows. The columns it reads are written with every incident
//! (`search_columns`); their meaning matches the filter documented on
//! [`IncidentQuery`].

use dossier_model::Incident;

/// Filters and a page of the incident list. Texts match case-insensitively.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IncidentQuery {
    /// Text in the title, the place (name, region, country) or the types.
    pub q: Option<String>,
    /// Grade (`confirmed`, `fair`…).
    pub grade: Option<String>,
    /// Text in the place's name, region or country.
    pub place: Option<String>,
    /// One of the incident's event types, exactly.
    pub event_type: Option<String>,
    /// Incidents that end on or after this ISO date.
    pub from: Option<String>,
    /// Incidents that start on or before this ISO date.
    pub to: Option<String>,
    /// Page size.
    pub limit: usize,
    /// Rows skipped.
    pub offset: usize,
}

/// The list columns of an incident: end date, grade, search text, place text, types text.
pub(crate) fn search_columns(i: &Incident) -> (Option<String>, String, String, String, String) {
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
    let search = format!("{} {} {}", i.title.to_lowercase(), place_text, i.types.join(" ").to_lowercase());
    let types = format!("|{}|", i.types.iter().map(|t| t.to_lowercase()).collect::<Vec<_>>().join("|"));
    (i.date.map(|d| d.end.to_string()), i.grade.as_str().to_string(), search, place_text, types)
}

/// Where an incident sorts in the list: its start date, undated ones first.
pub(crate) fn sort_date(i: &Incident) -> String {
    i.date.map_or_else(|| "0000-00-00".to_string(), |d| d.start.to_string())
}

/// A LIKE pattern that matches `text` literally (with `\` as the escape).
fn literal(text: &str) -> String {
    text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

fn clean(v: &Option<String>) -> Option<String> {
    v.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_lowercase)
}

impl IncidentQuery {
    /// The WHERE clause (starting with ` WHERE`, or empty) and its bound values, in order.
    pub(crate) fn where_clause(&self) -> (String, Vec<String>) {
        let mut conds: Vec<String> = Vec::new();
        let mut binds: Vec<String> = Vec::new();
        let mut add = |cond: &str, value: String| {
            binds.push(value);
            conds.push(cond.replace('?', &format!("${}", binds.len())));
        };
        if let Some(q) = clean(&self.q) {
            add("search_text LIKE ? ESCAPE '\\'", format!("%{}%", literal(&q)));
        }
        if let Some(g) = clean(&self.grade) {
            add("grade = ?", g);
        }
        if let Some(p) = clean(&self.place) {
            add("place_text LIKE ? ESCAPE '\\'", format!("%{}%", literal(&p)));
        }
        if let Some(t) = clean(&self.event_type) {
            add("types_text LIKE ? ESCAPE '\\'", format!("%|{}|%", literal(&t)));
        }
        if let Some(from) = clean(&self.from) {
            add("date_end >= ?", from);
        }
        if let Some(to) = clean(&self.to) {
            add("sort_date <= ? AND sort_date <> '0000-00-00'", to);
        }
        let clause = if conds.is_empty() { String::new() } else { format!(" WHERE {}", conds.join(" AND ")) };
        (clause, binds)
    }
}
