//! The incident list in SQL: filters and a page, so that listing reads only
//! the rows it shows. The columns it reads are written with every incident
//! (`ListRow`); their meaning matches the filter documented on
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

/// An incident's row of the list table: what the list filters, sorts and shows.
pub(crate) struct ListRow {
    /// Where it sorts: its start date, undated ones first (`0000-00-00`).
    pub sort_date: String,
    /// Its last day, when dated.
    pub date_end: Option<String>,
    pub grade: String,
    /// Title, place and types, lower-cased.
    pub search_text: String,
    /// Place name, region and country, lower-cased.
    pub place_text: String,
    /// The types lower-cased, each between `|`s, so one type matches exactly.
    pub types_text: String,
    pub killed_min: Option<i64>,
    pub killed_max: Option<i64>,
    /// The place's name and coordinates, for the map.
    pub place_name: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
}

impl ListRow {
    /// The list row of an incident.
    pub(crate) fn of(i: &Incident) -> ListRow {
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
        let search_text = format!("{} {} {}", i.title.to_lowercase(), place_text, i.types.join(" ").to_lowercase());
        let types_text = format!("|{}|", i.types.iter().map(|t| t.to_lowercase()).collect::<Vec<_>>().join("|"));
        ListRow {
            sort_date: i.date.map_or_else(|| "0000-00-00".to_string(), |d| d.start.to_string()),
            date_end: i.date.map(|d| d.end.to_string()),
            grade: i.grade.as_str().to_string(),
            search_text,
            place_text,
            types_text,
            killed_min: i.killed.min.map(|n| n as i64),
            killed_max: i.killed.max.map(|n| n as i64),
            place_name: i.place.as_ref().map(|p| p.name.clone()),
            // Both or neither: a point needs both.
            lat: i.place.as_ref().and_then(|p| p.lat.zip(p.lon)).map(|(lat, _)| lat),
            lon: i.place.as_ref().and_then(|p| p.lat.zip(p.lon)).map(|(_, lon)| lon),
        }
    }
}

/// A LIKE pattern that matches `text` literally (with `\` as the escape).
pub(crate) fn literal(text: &str) -> String {
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
