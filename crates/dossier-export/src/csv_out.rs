//! CSV of incidents in the columns conflict-event data users know (one row
//! per incident): date, type (with its ACLED terms), actor, location,
//! fatalities low / best / high (best by the resolver's documented rule,
//! `dossier_model::BEST_RULE`), sources, grade.

use dossier_model::Incident;

fn num(v: Option<u64>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// The CSV text.
pub fn incidents_csv(incidents: &[Incident]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let header = [
        "incident_id",
        "event_date",
        "event_date_end",
        "date_precision",
        "event_type",
        "acled_event_type",
        "acled_sub_event_type",
        "actor1",
        "location",
        "admin1",
        "country",
        "latitude",
        "longitude",
        "fatalities_low",
        "fatalities_best",
        "fatalities_high",
        "injured_low",
        "injured_high",
        "sources",
        "source_ids",
        "grade",
        "title",
    ];
    w.write_record(header).expect("writing to memory");
    for i in incidents {
        let term = i.types.first().cloned().unwrap_or_default();
        let acled = dossier_extract::EVENT_VOCABULARY.iter().find(|e| e.term == term);
        let place = i.place.as_ref();
        let actor = i.perpetrators.iter().find(|p| p.status != "denied").map(|p| p.name.clone()).unwrap_or_default();
        let row = [
            i.id.to_string(),
            i.date.map(|d| d.start.to_string()).unwrap_or_default(),
            i.date.map(|d| d.end.to_string()).unwrap_or_default(),
            i.date.map(|d| d.precision.as_str().to_string()).unwrap_or_default(),
            term.clone(),
            acled.map(|e| e.acled_event_type.to_string()).unwrap_or_default(),
            acled.map(|e| e.acled_sub_event_type.to_string()).unwrap_or_default(),
            actor,
            place.map(|p| p.name.clone()).unwrap_or_default(),
            place.and_then(|p| p.admin1.clone()).unwrap_or_default(),
            place.and_then(|p| p.country.clone()).unwrap_or_default(),
            place.and_then(|p| p.lat).map(|v| v.to_string()).unwrap_or_default(),
            place.and_then(|p| p.lon).map(|v| v.to_string()).unwrap_or_default(),
            num(i.killed.min.or(i.killed.max)),
            num(i.killed.best),
            num(i.killed.max.or(i.killed.min)),
            num(i.injured.min.or(i.injured.max)),
            num(i.injured.max.or(i.injured.min)),
            i.sources.len().to_string(),
            i.sources.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(";"),
            i.grade.as_str().to_string(),
            i.title.clone(),
        ];
        w.write_record(row).expect("writing to memory");
    }
    String::from_utf8(w.into_inner().expect("flushing to memory")).expect("CSV of UTF-8 fields is UTF-8")
}
