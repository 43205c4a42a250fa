//! Incident list filters, shared by the page and the API; the store runs
//! them in SQL (`IncidentQuery`).

use serde::Deserialize;

/// Filters and paging for the incident list.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct IncidentFilter {
    /// Text in the title, place or types.
    pub q: Option<String>,
    /// Grade.
    pub grade: Option<String>,
    /// Place name, region or country.
    pub place: Option<String>,
    /// Event type.
    #[serde(rename = "type")]
    pub event_type: Option<String>,
    /// Earliest date (YYYY-MM-DD).
    pub from: Option<String>,
    /// Latest date (YYYY-MM-DD).
    pub to: Option<String>,
    /// Text in a perpetrator's name.
    pub actor: Option<String>,
    /// Order: `date` (default), `-date`, `killed`, `sources` or `grade`.
    pub sort: Option<String>,
    /// Page size (at most 1000; default 100).
    pub limit: Option<usize>,
    /// Rows to skip.
    pub offset: Option<usize>,
}

/// Whether `s` has the shape of an ISO date (YYYY-MM-DD); compared as text.
fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10 && b[4] == b'-' && b[7] == b'-' && s.chars().filter(char::is_ascii_digit).count() == 8
}

impl IncidentFilter {
    /// Checks the values: dates must be YYYY-MM-DD; the order one of those named.
    pub fn validate(&self) -> Result<(), String> {
        if let Some(s) = self.sort.as_deref().filter(|s| !s.is_empty()) {
            if dossier_app::Sort::parse(s).is_none() {
                let names: Vec<&str> = dossier_app::Sort::ALL.iter().map(|(n, _)| *n).collect();
                return Err(format!("sort must be one of {}", names.join(", ")));
            }
        }
        for (name, v) in [("from", &self.from), ("to", &self.to)] {
            if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
                if !is_iso_date(v) {
                    return Err(format!("{name} must be a date as YYYY-MM-DD"));
                }
            }
        }
        Ok(())
    }

    /// The query the store runs for these filters and this page.
    pub fn to_query(&self) -> dossier_app::IncidentQuery {
        let (limit, offset) = self.page();
        dossier_app::IncidentQuery {
            q: self.q.clone(),
            grade: self.grade.clone(),
            place: self.place.clone(),
            event_type: self.event_type.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
            actor: self.actor.clone(),
            sort: self.sort.as_deref().and_then(dossier_app::Sort::parse).unwrap_or_default(),
            limit,
            offset,
        }
    }

    /// Page size and offset, bounded.
    pub fn page(&self) -> (usize, usize) {
        (self.limit.unwrap_or(100).clamp(1, 1000), self.offset.unwrap_or(0))
    }
}
