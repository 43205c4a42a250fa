//! Synthetic reports for the resolution benchmark, from a fixed seed:
//! incidents across 50 countries and 10 years, each reported 1–8 times with
//! varying figures, dates at varying precision and places named at varying
//! specificity, plus distractor incidents at the same places a few weeks apart.

use chrono::{Duration, NaiveDate};
use dossier_model::{
    Attribution, Claim, ClaimKind, ClaimStatus, ClaimValue, Count, DateValue, MediaType, PlaceRef, Precision,
    Sha256Hex, Source, SourceId, SourceMeta, SourceType, Span,
};

/// xorshift64*: deterministic, dependency-free.
pub struct Rng(pub u64);

impl Rng {
    /// The next number.
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// A generated report: its source, its claims, and the incident it truly describes.
pub struct Generated {
    /// Sources.
    pub sources: Vec<Source>,
    /// Claims, per source (same order).
    pub claims: Vec<Vec<Claim>>,
    /// The true incident of each source (same order).
    pub truth: Vec<usize>,
}

const COUNTRIES: usize = 50;
const REGIONS: usize = 8;
const TOWNS: usize = 6;

fn place(country: usize, region: usize, town: usize, level: u64) -> PlaceRef {
    let c = format!("Country {country:02}");
    let r = format!("Region {country:02}-{region}");
    let t = format!("Town {country:02}-{region}-{town}");
    match level {
        0 => PlaceRef { name: t, admin1: Some(r), country: Some(c), lat: None, lon: None },
        1 => PlaceRef { name: r, admin1: None, country: Some(c), lat: None, lon: None },
        _ => PlaceRef { name: c, admin1: None, country: None, lat: None, lon: None },
    }
}

fn claim(source: &SourceId, kind: ClaimKind, at: usize, value: ClaimValue) -> Claim {
    let span = Span::new(at, at + 1);
    Claim {
        id: Claim::id_for(source, kind, span),
        kind,
        source: source.clone(),
        span,
        text: "x".into(),
        sentence: span,
        according_to: Attribution::Source,
        status: ClaimStatus::Extracted,
        value,
        review: None,
        moved: None,
        frame: 0,
    }
}

/// Generates about `reports` reports.
pub fn generate(reports: usize, seed: u64) -> Generated {
    let mut rng = Rng(seed | 1);
    let epoch = NaiveDate::from_ymd_opt(2010, 1, 1).expect("a valid date");
    let mut out = Generated { sources: Vec::new(), claims: Vec::new(), truth: Vec::new() };
    let mut incident = 0usize;
    while out.sources.len() < reports {
        let (country, region, town) = (
            rng.below(COUNTRIES as u64) as usize,
            rng.below(REGIONS as u64) as usize,
            rng.below(TOWNS as u64) as usize,
        );
        let day = epoch + Duration::days(rng.below(3650) as i64);
        let toll = 1 + rng.below(60);
        // A distractor: another incident at the same town 2–6 weeks later.
        let events =
            if rng.chance(15) { vec![day, day + Duration::days(14 + rng.below(28) as i64)] } else { vec![day] };
        for day in events {
            let copies = 1 + rng.below(8);
            for _ in 0..copies {
                let n = out.sources.len();
                let sha = Sha256Hex::of(format!("report {n} {seed}").as_bytes());
                let id = SourceId::for_digest(&sha);
                let date = match rng.below(100) {
                    0..=79 => DateValue::day(day),
                    80..=91 => DateValue {
                        start: day - Duration::days(1),
                        end: day + Duration::days(1),
                        precision: Precision::Range,
                    },
                    _ => {
                        let start =
                            NaiveDate::from_ymd_opt(chrono::Datelike::year(&day), chrono::Datelike::month(&day), 1)
                                .expect("first of month");
                        let end =
                            (start + Duration::days(32)).with_day0(0).expect("first of next month") - Duration::days(1);
                        DateValue { start, end, precision: Precision::Month }
                    }
                };
                let level = match rng.below(100) {
                    0..=84 => 0,
                    85..=96 => 1,
                    _ => 2,
                };
                let reported = toll.saturating_sub(rng.below(3)) + rng.below(3);
                let claims = vec![
                    claim(&id, ClaimKind::IncidentDate, 0, ClaimValue::Date(date)),
                    claim(&id, ClaimKind::IncidentPlace, 2, ClaimValue::Place(place(country, region, town, level))),
                    claim(
                        &id,
                        ClaimKind::Killed,
                        4,
                        ClaimValue::Count(Count {
                            min: Some(reported),
                            max: Some(reported),
                            qualifier: "exact".into(),
                            population: None,
                            attackers: false,
                        }),
                    ),
                ];
                out.sources.push(Source {
                    id,
                    sha256: sha,
                    file_name: format!("synthetic-{n}.txt"),
                    media_type: MediaType::Text,
                    byte_len: 0,
                    meta: SourceMeta { source_type: SourceType::ALL[rng.below(6) as usize], ..SourceMeta::default() },
                    body: String::new(),
                    ingested_at: format!("2026-01-01T00:00:00.{n:09}Z"),
                });
                out.claims.push(claims);
                out.truth.push(incident);
            }
            incident += 1;
        }
    }
    out
}

use chrono::Datelike as _;

/// Pairwise grouping F1 of `predicted` (a group label per report) against `truth`.
pub fn pair_f1(predicted: &[usize], truth: &[usize]) -> (f64, f64, f64) {
    use std::collections::HashMap;
    let pairs =
        |counts: HashMap<(usize, usize), u64>| counts.values().map(|&n| n * n.saturating_sub(1) / 2).sum::<u64>();
    let mut by_pred: HashMap<(usize, usize), u64> = HashMap::new();
    let mut by_truth: HashMap<(usize, usize), u64> = HashMap::new();
    let mut by_both: HashMap<(usize, usize), u64> = HashMap::new();
    for (&p, &t) in predicted.iter().zip(truth) {
        *by_pred.entry((p, 0)).or_default() += 1;
        *by_truth.entry((t, 0)).or_default() += 1;
        *by_both.entry((p, t)).or_default() += 1;
    }
    let tp = pairs(by_both) as f64;
    let precision = tp / (pairs(by_pred) as f64).max(1.0);
    let recall = tp / (pairs(by_truth) as f64).max(1.0);
    let f1 = if precision + recall > 0.0 { 2.0 * precision * recall / (precision + recall) } else { 0.0 };
    (precision, recall, f1)
}
