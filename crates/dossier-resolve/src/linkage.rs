//! Evidence-weighted linkage of two reported events, in the Fellegi–Sunter
//! manner: each signal the reports give adds a weight (a log-likelihood
//! ratio, in rough bits) for agreement and subtracts one for disagreement; a
//! signal one side lacks weighs nothing. Two events are the same when they
//! are *blocked* together (their places and dates can be one event's at all)
//! and their weights sum to at least [`THRESHOLD`].
//!
//! | signal | agreement | disagreement |
//! |---|---|---|
//! | date (both to the day) | same day +3, a day apart +2, two days +0.5 | three days −0.5, 4–7 days −1.5 |
//! | date (a range, month or the week before publication) | overlap +2 (narrower ≤ 1 day), +1 (≤ a week), +0.5 | 4–7 days apart −1.5 |
//! | place | same town, site or village (spelling within an edit or two) +4, same region +2.5, same country +0.5; a town in the region +2, in the country +1; two villages spelled alike (the same opening letters) +2 | other town of one region −1, other region of one country −2.5 |
//! | figures | a killed or injured figure of 3 or more both give +1.5 | — |
//! | actors | a perpetrator both name +1 | — |
//! | event type | a type both name +0.5 | — |
//! | names | two or three names both tell the event with +1, four or more +2 | — |
//! | place named | one event's town or village is named in the other's passages, where the other gives only a place around it (its town, region or country) +1.5 | — |
//!
//! Blocking: places must be related (one name is the other's, its region's
//! or country's, or they share a region or country), dates at most 7 days
//! apart; a report without a place pairs only with reports dated within a
//! day of it, by narrow dates (a week or less); a report without a date only
//! by place. The incremental path (a store query) and the full one (an
//! in-memory index) both find a superset of the blocked pairs and keep those
//! [`blocked`] accepts, so both choose alike.

use dossier_model::{DateValue, Evidence, PlaceRef};

/// The least total weight for two events to be one.
pub const THRESHOLD: f64 = 4.0;

/// Dates further apart than this never pair.
pub const WINDOW_DAYS: i64 = 7;

/// What linkage compares of one event besides its traits.
#[derive(Debug, Clone, Copy)]
pub struct Site<'a> {
    /// The event's date, if known.
    pub date: Option<DateValue>,
    /// Its place, if known.
    pub place: Option<&'a PlaceRef>,
}

/// Traits of an event or of an incident's members.
#[derive(Debug, Default, Clone)]
pub struct Traits {
    /// Event types.
    pub types: std::collections::BTreeSet<String>,
    /// Perpetrators, by actor key.
    pub actors: std::collections::BTreeSet<String>,
    /// Killed and injured figures (the low end, or the high end of an open one).
    pub figures: std::collections::BTreeSet<u64>,
    /// The names (capitalised words no list calls generic) of the passages
    /// that tell the event, lowercased, first told first, at most [`MAX_NAMES`]
    /// (add them with [`Traits::add_names`]).
    pub names: Vec<String>,
    /// The names' hashes ([`name_hash`]), sorted, for a linear intersection.
    pub(crate) name_hashes: Vec<u64>,
}

/// A name's 64-bit FNV-1a hash.
fn name_hash(n: &str) -> u64 {
    n.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// The most names an event or incident keeps for linkage.
pub const MAX_NAMES: usize = 48;

fn generic_names() -> &'static std::collections::HashSet<&'static str> {
    static WORDS: std::sync::OnceLock<std::collections::HashSet<&'static str>> = std::sync::OnceLock::new();
    WORDS.get_or_init(|| {
        include_str!("../data/generic-names.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect()
    })
}

/// The names a passage tells: capitalised words of three letters or more
/// (or with a digit: "M23"), not the first word of a sentence, that no list
/// calls generic and that the passage never writes in lowercase; lowercased.
pub fn names_in(passage: &str) -> Vec<String> {
    let is_word = |c: char| c.is_alphanumeric() || c == '\'' || c == '’';
    // Each word with whether a sentence (or a quotation) opens before it.
    let mut words: Vec<(&str, bool)> = Vec::new();
    let mut opens = true;
    let mut start: Option<usize> = None;
    for (i, c) in passage.char_indices().chain(std::iter::once((passage.len(), ' '))) {
        match (is_word(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                words.push((&passage[s..i], opens));
                opens = false;
                start = None;
            }
            _ => {}
        }
        if start.is_none() && matches!(c, '.' | '!' | '?' | '\n' | '“' | '"' | ':' | '[' | '(') {
            opens = true;
        }
    }
    // Whether the passage writes `l` (lowercase) as a word of its own.
    let written_lowercase = |l: &str| {
        passage.match_indices(l).any(|(i, _)| {
            let before = passage[..i].chars().next_back();
            let after = passage[i + l.len()..].chars().next();
            !before.is_some_and(is_word) && !after.is_some_and(is_word)
        })
    };
    let mut out: Vec<String> = Vec::new();
    for (w, opens) in words {
        let w = w.trim_matches(['\'', '’']);
        let w = w.strip_suffix("'s").or_else(|| w.strip_suffix("’s")).unwrap_or(w);
        if opens || !w.starts_with(char::is_uppercase) {
            continue;
        }
        if w.chars().count() < 3 && !w.chars().any(|c| c.is_ascii_digit()) {
            continue;
        }
        let l = w.to_lowercase();
        if generic_names().contains(l.as_str()) || out.contains(&l) || written_lowercase(&l) {
            continue;
        }
        out.push(l);
    }
    out
}

impl Traits {
    /// Adds another's traits.
    pub fn extend(&mut self, other: Traits) {
        self.types.extend(other.types);
        self.actors.extend(other.actors);
        self.figures.extend(other.figures);
        self.add_names(other.names);
    }

    /// Adds names, first told first, keeping at most [`MAX_NAMES`].
    pub fn add_names(&mut self, names: impl IntoIterator<Item = String>) {
        for n in names {
            if self.names.len() >= MAX_NAMES {
                break;
            }
            let h = name_hash(&n);
            if let Err(at) = self.name_hashes.binary_search(&h) {
                self.name_hashes.insert(at, h);
                self.names.push(n);
            }
        }
    }
}

/// The lowercase name a place is compared by, with punctuation and spaces dropped.
pub fn norm(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// How specific a place is: 0 a town, site or village; 1 a region; 2 a
/// country. The gazetteer's regions and countries have coordinates and no
/// region of their own; a place no gazetteer lists (no coordinates) is a locality.
fn level(p: &PlaceRef) -> u8 {
    match (&p.admin1, &p.country) {
        (Some(_), _) => 0,
        (None, Some(c)) if norm(c) == norm(&p.name) => 2,
        (None, Some(_)) if p.lat.is_some() => 1,
        _ => 0,
    }
}

/// Whether two place names are one place's spellings: equal, one the
/// other's first words, or (both of six letters or more) within one edit per
/// four letters.
/// Words that name a kind of locality, not the locality: "Camp X" and "X
/// camp" are X.
const LOCALITY_WORDS: [&str; 9] = ["camp", "village", "town", "city", "prison", "district", "refugee", "idp", "fort"];

/// A place's name without the locality words around it ("Camp Ossa" → "Ossa").
fn bare(name: &str) -> String {
    let words: Vec<&str> = name.split(' ').collect();
    let is_locality = |w: &&str| LOCALITY_WORDS.iter().any(|l| w.eq_ignore_ascii_case(l));
    let kept: Vec<&str> = words.iter().copied().filter(|w| !is_locality(w)).collect();
    if kept.is_empty() {
        name.to_string()
    } else {
        kept.join(" ")
    }
}

fn same_name(a: &str, b: &str) -> bool {
    let (a, b) = (&bare(a), &bare(b));
    // "Ossatou Peulh" and "Ossatou": one name is the other's first words.
    let first_words = |long: &str, short: &str| {
        short.len() >= 6
            && long.get(..short.len()).is_some_and(|head| head.to_lowercase() == short.to_lowercase())
            && long.get(short.len()..).is_some_and(|rest| rest.starts_with([' ', '-']))
    };
    if first_words(a, b) || first_words(b, a) {
        return true;
    }
    // "Ossatou Peulh" and "Osatou": their first words are one name's spellings.
    let first = |s: &str| s.split(' ').next().unwrap_or("").to_string();
    if a.contains(' ') != b.contains(' ') && first(a).len() >= 6 && first(b).len() >= 6 {
        let (fa, fb) = (norm(&first(a)), norm(&first(b)));
        let shorter = fa.chars().count().min(fb.chars().count());
        if fa == fb || !fa.chars().any(char::is_numeric) && edit_distance(&fa, &fb, shorter / 4).is_some() {
            return true;
        }
    }
    let (a, b) = (norm(a), norm(b));
    if a == b {
        return true;
    }
    // Numbered places ("Block 4", "Camp 7") are other places when their numbers differ.
    if a.chars().any(|c| c.is_numeric()) || b.chars().any(|c| c.is_numeric()) {
        return false;
    }
    let shorter = a.chars().count().min(b.chars().count());
    shorter >= 6 && edit_distance(&a, &b, shorter / 4).is_some()
}

/// Whether two one-word names (a hyphen joins parts: "Ossa-Kou") open with
/// the same letters, five or more and three quarters of the shorter first
/// part: "Ossatou-Kou" and "Ossati" may be one village in two spellings.
fn spelled_alike(a: &str, b: &str) -> bool {
    let (a, b) = (bare(a), bare(b));
    if a.contains(' ') || b.contains(' ') {
        return false;
    }
    let first = |s: &str| s.split('-').next().unwrap_or("").to_lowercase();
    let (fa, fb) = (first(&a), first(&b));
    let shorter = fa.chars().count().min(fb.chars().count());
    let common = fa.chars().zip(fb.chars()).take_while(|(x, y)| x == y).count();
    shorter >= 6 && common >= 5 && common * 4 >= shorter * 3 && !fa.chars().any(char::is_numeric)
}

/// Levenshtein distance, if at most `limit` (bounded: O(len × limit)).
fn edit_distance(a: &str, b: &str, limit: usize) -> Option<usize> {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().abs_diff(b.len()) > limit {
        return None;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut row = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            row[j + 1] = (prev[j] + usize::from(ca != cb)).min(prev[j + 1] + 1).min(row[j] + 1);
        }
        if row.iter().min().is_some_and(|&m| m > limit) {
            return None;
        }
        prev = row;
    }
    prev.last().copied().filter(|&d| d <= limit)
}

/// The names a place answers to in blocking, lowercased (as the store keeps
/// an incident's anchor): its own, its region's and its country's.
pub fn keys(p: &PlaceRef) -> impl Iterator<Item = String> + '_ {
    [Some(&p.name), p.admin1.as_ref(), p.country.as_ref()].into_iter().flatten().map(|s| s.to_lowercase())
}

fn related(a: &PlaceRef, b: &PlaceRef) -> bool {
    keys(a).any(|k| keys(b).any(|l| l == k))
}

/// Days between two dates (0 when they overlap).
fn gap(a: &DateValue, b: &DateValue) -> i64 {
    if a.overlaps(b) {
        0
    } else if a.end < b.start {
        (b.start - a.end).num_days()
    } else {
        (a.start - b.end).num_days()
    }
}

fn width(d: &DateValue) -> i64 {
    (d.end - d.start).num_days()
}

/// Whether two events can be one at all (module docs).
pub fn blocked(a: &Site<'_>, b: &Site<'_>) -> bool {
    match (a.place, b.place) {
        (Some(pa), Some(pb)) => {
            related(pa, pb)
                && match (a.date, b.date) {
                    (Some(da), Some(db)) => gap(&da, &db) <= WINDOW_DAYS,
                    _ => true,
                }
        }
        _ => match (a.date, b.date) {
            (Some(da), Some(db)) => width(&da) <= 7 && width(&db) <= 7 && gap(&da, &db) <= 1,
            _ => false,
        },
    }
}

/// The weight of each signal for two events, with what it saw.
pub fn weigh(a: &Site<'_>, b: &Site<'_>, ta: &Traits, tb: &Traits) -> Vec<Evidence> {
    let mut out = Vec::new();
    let mut push = |signal: &str, detail: String, weight: f64| {
        out.push(Evidence { signal: signal.into(), detail, weight });
    };
    if let (Some(da), Some(db)) = (a.date, b.date) {
        let g = gap(&da, &db);
        let day = width(&da) == 0 && width(&db) == 0;
        let narrow = width(&da).min(width(&db));
        let weight = match (day, g) {
            (true, 0) => 3.0,
            (true, 1) => 2.0,
            (true, 2) => 0.5,
            (false, 0) if narrow <= 1 => 2.0,
            (false, 0) if narrow <= 7 => 1.0,
            (false, 0) => 0.5,
            (true, 3) => -0.5,
            (_, 0..=3) => 0.0,
            _ => -1.5,
        };
        let relation = match g {
            0 if da == db => "is the same as".to_string(),
            0 => "overlaps".to_string(),
            n => format!("is {n} day(s) from"),
        };
        push("date", format!("{} {relation} {}", show_date(&da), show_date(&db)), weight);
    }
    if let (Some(pa), Some(pb)) = (a.place, b.place) {
        let (la, lb) = (level(pa), level(pb));
        let (weight, relation) = if same_name(&pa.name, &pb.name) {
            ([4.0, 2.5, 0.5][la.min(lb) as usize], "are the same place".to_string())
        } else if let Some(w) = within(pa, pb).or_else(|| within(pb, pa)) {
            (w, "lie one within the other".to_string())
        } else if la == 0 && lb == 0 && spelled_alike(&pa.name, &pb.name) {
            (2.0, "are spelled alike".to_string())
        } else if pa.admin1.is_some() && pa.admin1 == pb.admin1 {
            (-1.0, format!("are other places of {}", pa.admin1.as_deref().unwrap_or("")))
        } else {
            (-2.5, format!("are other places of {}", pa.country.as_deref().or(pb.country.as_deref()).unwrap_or("")))
        };
        push("place", format!("{} and {} {relation}", pa.name, pb.name), weight);
    }
    let figures: Vec<String> = ta.figures.intersection(&tb.figures).filter(|&&n| n >= 3).map(u64::to_string).collect();
    if !figures.is_empty() {
        push("figures", format!("both give {}", figures.join(", ")), 1.5);
    }
    let actors: Vec<&str> = ta.actors.intersection(&tb.actors).map(String::as_str).collect();
    if !actors.is_empty() {
        push("actors", format!("both name {}", actors.join(", ")), 1.0);
    }
    let types: Vec<&str> = ta.types.intersection(&tb.types).map(String::as_str).collect();
    if !types.is_empty() {
        push("event type", format!("both: {}", types.join(", ")), 0.5);
    }
    // Names both tell, besides the places already weighed.
    let place_word = |n: &str| {
        [a.place, b.place].into_iter().flatten().any(|p| {
            [Some(&p.name), p.admin1.as_ref(), p.country.as_ref()]
                .into_iter()
                .flatten()
                .flat_map(|k| k.split(|c: char| !c.is_alphanumeric()))
                .any(|w| w.chars().flat_map(char::to_lowercase).eq(n.chars()))
        })
    };
    let (mut i, mut j, mut common) = (0, 0, 0);
    while i < ta.name_hashes.len() && j < tb.name_hashes.len() {
        match ta.name_hashes[i].cmp(&tb.name_hashes[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let shared: Vec<&str> = if common < 2 {
        Vec::new()
    } else {
        ta.names.iter().filter(|n| tb.names.contains(n) && !place_word(n)).map(String::as_str).collect()
    };
    if shared.len() >= 2 {
        let weight = if shared.len() >= 4 { 2.0 } else { 1.0 };
        push("names", format!("both tell of {}", shared.join(", ")), weight);
    }
    // A town or village one names that the other's passages name too, where
    // the other gives only a place around it (its town, region or country).
    for (p, q, other) in [(a.place, b.place, tb), (b.place, a.place, ta)] {
        let (Some(p), Some(q)) = (p, q) else { continue };
        if other.names.is_empty() || level(p) != 0 {
            continue;
        }
        let broader = level(q) > 0 || within(p, q).is_some();
        if broader && !same_name(&p.name, &q.name) {
            let words: Vec<String> = norm_words(&bare(&p.name));
            if !words.is_empty() && words.iter().all(|w| other.names.contains(w)) {
                push(
                    "place named",
                    format!("{} is named in the passages of the report placed at {}", p.name, q.name),
                    1.5,
                );
                break;
            }
        }
    }
    out
}

/// A name's words, lowercased, as [`names_in`] gives them.
fn norm_words(name: &str) -> Vec<String> {
    name.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

/// The weight of `inner` lying within `outer` (its region's or country's name), if it does.
fn within(inner: &PlaceRef, outer: &PlaceRef) -> Option<f64> {
    let outer_name = norm(&outer.name);
    if inner.admin1.as_deref().is_some_and(|r| norm(r) == outer_name) {
        Some(2.0)
    } else if inner.country.as_deref().is_some_and(|c| norm(c) == outer_name) {
        Some(1.0)
    } else {
        None
    }
}

/// The sum of the weights.
pub fn total(evidence: &[Evidence]) -> f64 {
    evidence.iter().map(|e| e.weight).sum()
}

fn show_date(d: &DateValue) -> String {
    if d.start == d.end {
        format!("{} ({})", d.start, d.precision.as_str())
    } else {
        format!("{}..{} ({})", d.start, d.end, d.precision.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use dossier_model::Precision;

    fn day(y: i32, m: u32, d: u32) -> DateValue {
        DateValue::day(NaiveDate::from_ymd_opt(y, m, d).unwrap())
    }

    fn place(name: &str, admin1: Option<&str>, country: Option<&str>) -> PlaceRef {
        PlaceRef {
            name: name.into(),
            admin1: admin1.map(Into::into),
            country: country.map(Into::into),
            lat: None,
            lon: None,
        }
    }

    fn score(a: (Option<DateValue>, Option<&PlaceRef>), b: (Option<DateValue>, Option<&PlaceRef>)) -> Option<f64> {
        let (a, b) = (Site { date: a.0, place: a.1 }, Site { date: b.0, place: b.1 });
        blocked(&a, &b).then(|| total(&weigh(&a, &b, &Traits::default(), &Traits::default())))
    }

    #[test]
    fn the_same_village_on_the_same_day_or_two_days_later_is_one_event() {
        let v = place("Ossatou", Some("Mopti"), Some("Mali"));
        let other_spelling = place("Osatou", Some("Mopti"), Some("Mali"));
        assert!(score((Some(day(2021, 3, 3)), Some(&v)), (Some(day(2021, 3, 3)), Some(&v))).unwrap() >= THRESHOLD);
        assert!(score((Some(day(2021, 3, 3)), Some(&v)), (Some(day(2021, 3, 5)), Some(&v))).unwrap() >= THRESHOLD);
        assert!(
            score((Some(day(2021, 3, 3)), Some(&v)), (Some(day(2021, 3, 3)), Some(&other_spelling))).unwrap()
                >= THRESHOLD
        );
    }

    #[test]
    fn other_villages_of_one_region_on_one_day_are_other_events() {
        let a = place("Ossatou", Some("Mopti"), Some("Mali"));
        let b = place("Kerena", Some("Mopti"), Some("Mali"));
        assert!(score((Some(day(2021, 3, 3)), Some(&a)), (Some(day(2021, 3, 3)), Some(&b))).unwrap() < THRESHOLD);
        let elsewhere = place("Kerena", Some("Kidal"), Some("Chad"));
        assert_eq!(score((Some(day(2021, 3, 3)), Some(&a)), (Some(day(2021, 3, 3)), Some(&elsewhere))), None);
    }

    #[test]
    fn a_week_before_publication_overlaps_the_day_and_far_dates_never_pair() {
        let v = place("Ossatou", Some("Mopti"), Some("Mali"));
        let week = DateValue {
            start: NaiveDate::from_ymd_opt(2021, 3, 1).unwrap(),
            end: NaiveDate::from_ymd_opt(2021, 3, 7).unwrap(),
            precision: Precision::Range,
        };
        assert!(score((Some(week), Some(&v)), (Some(day(2021, 3, 3)), Some(&v))).unwrap() >= THRESHOLD);
        assert_eq!(score((Some(day(2021, 4, 3)), Some(&v)), (Some(day(2021, 3, 3)), Some(&v))), None);
        // Without a date, the place decides.
        assert!(score((None, Some(&v)), (Some(day(2021, 3, 3)), Some(&v))).unwrap() >= THRESHOLD);
        // Without a place, a date alone is not enough.
        assert!(score((Some(day(2021, 3, 3)), None), (Some(day(2021, 3, 3)), Some(&v))).unwrap() < THRESHOLD);
        assert_eq!(score((None, None), (Some(day(2021, 3, 3)), Some(&v))), None);
    }

    #[test]
    fn names_are_capitalised_words_no_list_calls_generic_and_never_written_lowercase() {
        let names = names_in(
            "Gunmen of the Ossa Front killed 40 people in Kerena on Monday, the United Nations said. \
             Police said the M23 and Ossa fighters fled. The village's elders buried them.",
        );
        assert_eq!(names, ["ossa", "front", "kerena", "m23"]);
        // A capitalised word the passage also writes in lowercase is no name.
        assert_eq!(names_in("the Attack on Kerena was an attack like others"), ["kerena"]);
    }

    #[test]
    fn shared_names_and_a_village_named_by_a_countrywide_report_weigh_for_one_event() {
        let village = place("Ossatou", Some("Mopti"), Some("Mali"));
        let country = place("Mali", None, Some("Mali"));
        let traits = |names: &[&str]| {
            let mut t = Traits::default();
            t.add_names(names.iter().map(|n| n.to_string()));
            t
        };
        let (a, b) = (Site { date: None, place: Some(&village) }, Site { date: None, place: Some(&country) });
        let mut told = traits(&["ossatou", "dan", "nangolo", "kerena"]);
        let mut countrywide = traits(&["ossatou", "dan", "nangolo"]);
        let evidence = weigh(&a, &b, &told, &countrywide);
        let signals: Vec<&str> = evidence.iter().map(|e| e.signal.as_str()).collect();
        assert_eq!(signals, ["place", "names", "place named"], "{evidence:?}");
        assert!(blocked(&a, &b) && total(&evidence) < THRESHOLD, "names alone do not decide: {evidence:?}");
        told.figures.insert(27);
        countrywide.figures.insert(27);
        assert!(total(&weigh(&a, &b, &told, &countrywide)) >= THRESHOLD, "with the same toll they do");
        // Without the village in its passages, a countrywide report stays apart.
        let mut elsewhere = traits(&["kerena"]);
        elsewhere.figures.insert(27);
        assert!(total(&weigh(&a, &b, &told, &elsewhere)) < THRESHOLD);
        // A district of a town, named by the report placed at the town.
        let district = place("Ossa Quarter", Some("Kerena"), Some("Mali"));
        let town = place("Kerena", Some("Kerena"), Some("Mali"));
        let (d, t) = (Site { date: None, place: Some(&district) }, Site { date: None, place: Some(&town) });
        let at_town = traits(&["ossa", "quarter", "dan"]);
        assert!(weigh(&d, &t, &told, &at_town).iter().any(|e| e.signal == "place named"));
        // Place names already weighed are not counted again as shared names.
        let same = traits(&["ossatou", "mopti"]);
        assert!(weigh(&a, &a, &same, &same).iter().all(|e| e.signal != "names"));
    }

    #[test]
    fn spellings_within_an_edit_or_two_are_one_name() {
        assert!(same_name("Ogossa-gou", "ogossagou"));
        assert!(same_name("Ossatou Peulh", "Ossatou"));
        assert!(!same_name("New York", "New"));
        assert!(same_name("Ossagatou Peulh", "Ossogatou"));
        assert!(same_name("Camp Ossa", "Ossa"));
        assert!(same_name("Ossa camp", "Camp Ossa"));
        assert!(!same_name("Camp Ossa", "Camp Kerena"));
        assert!(!same_name("Santa Rosa", "Santa Cruz"));
        assert!(!same_name("Puerto Rico", "Puerto Cabezas"));
        // Never a byte offset inside a letter.
        assert!(!same_name("İstanbul Ösk", "istanbu"));
        assert!(same_name("Öskemen Town", "Öskemen"));
        assert!(same_name("Kishisheh", "Kishishe"));
        assert!(!same_name("Mosul", "Basul"));
        assert!(same_name("Ossagatou", "Ossogatou"));
        assert!(!same_name("Block 17-0-1", "Block 17-7-5"));
        assert!(!same_name("Ossatou", "Kerena"));
        assert!(spelled_alike("Ossanou-Kou", "Ossane"));
        assert!(!spelled_alike("Santa Rosa", "Santa Cruz"));
        assert!(!spelled_alike("Ossatou", "Ossabi"));
        assert_eq!(edit_distance("kitten", "sitting", 3), Some(3));
        assert_eq!(edit_distance("kitten", "sitting", 2), None);
    }
}
