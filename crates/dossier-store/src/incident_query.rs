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
    /// Text in the name of one of its perpetrators (or the fuller name a short form stands for).
    pub actor: Option<String>,
    /// The order of the list.
    pub sort: Sort,
    /// Page size.
    pub limit: usize,
    /// Rows skipped.
    pub offset: usize,
}

/// The orders the incident list comes in; ties broken by date, then id.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    /// By start date, undated first (the default).
    #[default]
    Date,
    /// By start date, latest first.
    DateDesc,
    /// By the killed range's upper bound, highest first (unbounded last).
    Killed,
    /// By the number of sources, most first.
    Sources,
    /// By grade: confirmed, fair, weak, contested, single source.
    Grade,
}

impl Sort {
    /// Every order, by its name in a query (`sort=`).
    pub const ALL: [(&'static str, Sort); 5] = [
        ("date", Sort::Date),
        ("-date", Sort::DateDesc),
        ("killed", Sort::Killed),
        ("sources", Sort::Sources),
        ("grade", Sort::Grade),
    ];

    /// The order named `s`.
    pub fn parse(s: &str) -> Option<Sort> {
        Sort::ALL.iter().find(|(n, _)| *n == s).map(|(_, o)| *o)
    }

    /// Its name in a query.
    pub fn as_str(self) -> &'static str {
        Sort::ALL.iter().find(|(_, o)| *o == self).map_or("date", |(n, _)| n)
    }

    /// The SQL ORDER BY: each over an indexed key of the list table.
    pub(crate) fn order_by(self) -> &'static str {
        match self {
            Sort::Date => "sort_date, id",
            Sort::DateDesc => "sort_date DESC, id DESC",
            Sort::Killed => "killed_order, sort_date, id",
            Sort::Sources => "sources_order, sort_date, id",
            Sort::Grade => "grade_order, sort_date, id",
        }
    }
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
    /// Its perpetrators' names and the fuller names they stand for, lower-cased, each between `|`s.
    pub actor_text: String,
    /// Sort keys, ascending: the killed upper bound negated (unbounded last),
    /// the number of sources negated, the grade's rank.
    pub killed_order: i64,
    pub sources_order: i64,
    pub grade_order: i64,
}

/// The key that puts an unbounded toll after every bounded one.
const UNBOUNDED: i64 = i64::MAX;

/// The grades, best first: the order `sort=grade` lists them in.
const GRADE_ORDER: [&str; 5] = ["confirmed", "fair", "weak", "contested", "single_source"];

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
            actor_text: format!(
                "|{}|",
                i.perpetrators
                    .iter()
                    .flat_map(|p| std::iter::once(p.name.as_str()).chain(p.refers_to.as_deref()))
                    .map(str::to_lowercase)
                    .collect::<Vec<_>>()
                    .join("|")
            ),
            killed_order: i.killed.max.map_or(UNBOUNDED, |m| -(m as i64)),
            sources_order: -(i.sources.len() as i64),
            grade_order: GRADE_ORDER.iter().position(|g| *g == i.grade.as_str()).unwrap_or(GRADE_ORDER.len()) as i64,
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
        if let Some(a) = clean(&self.actor) {
            add("actor_text LIKE ? ESCAPE '\\'", format!("%{}%", literal(&a)));
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
