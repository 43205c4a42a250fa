//! Place mentions, resolved against the gazetteer: built-in sites
//! (`data/sites.tsv`), GeoNames towns, regions and countries
//! (`data/gazetteer.tsv`, see `docs/gazetteer.md`) and an installation's
//! own sites file.

use dossier_model::{PlaceRef, Span};

/// How specific a place is; lower is more specific.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// A site: a camp, prison, market.
    Site,
    /// A town or city.
    City,
    /// A first-level region.
    Admin1,
    /// A country.
    Country,
}

/// One gazetteer entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    /// How specific.
    pub level: Level,
    /// Preferred name.
    pub name: String,
    /// Names it is mentioned by (moved into the index when a gazetteer is built).
    pub aliases: Vec<String>,
    /// The place as a claim value.
    pub reference: PlaceRef,
}

/// A place named in the text.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaceMention {
    /// The words naming it.
    pub span: Span,
    /// Index into the gazetteer.
    pub place: usize,
}

/// The gazetteer: the built-in sites, then GeoNames towns, regions and
/// countries (`data/gazetteer.tsv`, made by `scripts/gazetteer.sh`), and an
/// installation's own sites file. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Gazetteer {
    places: std::sync::Arc<Vec<Place>>,
    /// Every distinct alias, looked up at each word start of a text.
    index: std::sync::Arc<AliasIndex>,
}

/// A line of a sites file that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {reason}")]
pub struct SitesError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong with it.
    pub reason: String,
}

static BUILTIN: std::sync::LazyLock<Gazetteer> = std::sync::LazyLock::new(|| Gazetteer::from_places(builtin_places()));

/// The built-in sites, then the registry gazetteer's places.
fn builtin_places() -> Vec<Place> {
    let mut places = parse_lines(include_str!("../data/sites.tsv")).expect("the built-in sites file is well formed");
    places.extend(parse_lines(include_str!("../data/gazetteer.tsv")).expect("the built-in gazetteer is well formed"));
    places
}

/// Reads the TSV format of `data/sites.tsv`: `level name aliases admin1
/// country lat lon`, comments after `#`.
fn parse_lines(tsv: &str) -> Result<Vec<Place>, SitesError> {
    let mut places = Vec::new();
    for (n, l) in tsv.lines().enumerate() {
        if l.starts_with('#') || l.trim().is_empty() {
            continue;
        }
        let bad = |reason: &str| SitesError { line: n + 1, reason: reason.to_string() };
        let f: Vec<&str> = l.split('\t').collect();
        let [level, name, aliases, admin1, country, lat, lon] = f.as_slice() else {
            return Err(bad("expected 7 tab-separated fields: level, name, aliases, admin1, country, lat, lon"));
        };
        let level = match *level {
            "site" => Level::Site,
            "city" => Level::City,
            "admin1" => Level::Admin1,
            "country" => Level::Country,
            _ => return Err(bad("level must be site, city, admin1 or country")),
        };
        if name.trim().is_empty() {
            return Err(bad("the name is empty"));
        }
        let coordinate = |v: &str, limit: f64| -> Result<Option<f64>, SitesError> {
            if v.trim().is_empty() {
                return Ok(None);
            }
            match v.trim().parse::<f64>() {
                Ok(x) if x.abs() <= limit => Ok(Some(x)),
                _ => Err(bad("lat must be a number in -90..90 and lon in -180..180, or empty")),
            }
        };
        let (lat, lon) = (coordinate(lat, 90.0)?, coordinate(lon, 180.0)?);
        let non_empty = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_string());
        let mut aliases: Vec<String> = aliases.split('|').filter_map(non_empty).collect();
        if aliases.is_empty() {
            aliases.push(name.trim().to_string());
        }
        places.push(Place {
            level,
            name: name.trim().to_string(),
            aliases,
            reference: PlaceRef {
                name: name.trim().to_string(),
                admin1: non_empty(admin1),
                country: non_empty(country),
                lat,
                lon,
            },
        });
    }
    Ok(places)
}

impl Gazetteer {
    /// The built-in gazetteer (built once per process).
    pub fn builtin() -> Self {
        BUILTIN.clone()
    }

    /// The places of a sites file (the TSV format of `data/sites.tsv`).
    pub fn read_sites(sites_tsv: &str) -> Result<Vec<Place>, SitesError> {
        parse_lines(sites_tsv)
    }

    /// The built-in gazetteer with these places (an installation's sites)
    /// first: where a name is shared, they win.
    pub fn builtin_with(mut sites: Vec<Place>) -> Self {
        if sites.is_empty() {
            return Self::builtin();
        }
        sites.extend(builtin_places());
        Gazetteer::from_places(sites)
    }

    /// A gazetteer of the given places; earlier places are preferred where a
    /// name is shared. The aliases move into the gazetteer's index (the
    /// places it keeps have none, to save memory).
    pub fn from_places(mut places: Vec<Place>) -> Self {
        let mut index = AliasIndex::default();
        for (i, p) in places.iter_mut().enumerate() {
            for alias in std::mem::take(&mut p.aliases).iter().filter(|a| !a.is_empty()) {
                index.add(alias, i as u32);
            }
        }
        Gazetteer { places: std::sync::Arc::new(places), index: std::sync::Arc::new(index) }
    }

    /// The number of places.
    pub fn len(&self) -> usize {
        self.places.len()
    }

    /// Whether it has no places.
    pub fn is_empty(&self) -> bool {
        self.places.is_empty()
    }

    /// The entry at `i`.
    pub fn get(&self, i: usize) -> &Place {
        &self.places[i]
    }

    /// The country `name` names exactly, if any.
    pub fn country_named(&self, name: &str) -> Option<usize> {
        let &k = self.index.numbers.get(name)?;
        self.index.places_of(k as usize).iter().map(|&i| i as usize).find(|&i| self.places[i].level == Level::Country)
    }

    /// Every mention in `body`, in order; overlapping mentions keep the longest.
    /// A name several places share is read as the one in a country (then a
    /// region) the text names elsewhere, else the gazetteer's first (the
    /// installation's sites, built-in sites, then larger towns first).
    pub fn find(&self, body: &str) -> Vec<PlaceMention> {
        let mut kept = self.index.longest_matches(body);
        // Names that are a person's here ("Barack Obama", "Dr Zafar Iqbal"),
        // everywhere in the text; and single mentions inside a longer name
        // ("Ali Larijani", "the Geneva Convention", "the Obama administration").
        let gazetted = |pattern: usize| {
            self.index.places_of(pattern).iter().all(|&i| self.places[i as usize].level == Level::Site)
        };
        let persons: std::collections::HashSet<&str> = kept
            .iter()
            .filter(|(span, pattern)| !gazetted(*pattern) && after_a_given_name(&body[..span.start]))
            .map(|(span, _)| &body[span.start..span.end])
            .collect();
        kept.retain(|(span, pattern)| {
            gazetted(*pattern)
                || !(persons.contains(&body[span.start..span.end]) || inside_a_longer_name(&body[span.end..]))
        });
        // Context: the countries and regions of names only one place has.
        let mut countries: std::collections::HashSet<&str> = std::collections::HashSet::new();
        let mut regions: std::collections::HashSet<(&str, &str)> = std::collections::HashSet::new();
        for (span, pattern) in &kept {
            if let &[only] = self.index.places_of(*pattern) {
                let place = &self.places[only as usize];
                // Another spelling of a town is no evidence of its country.
                if place.level != Level::Country && !body[span.start..span.end].eq_ignore_ascii_case(&place.name) {
                    continue;
                }
                let r = &place.reference;
                if let Some(c) = r.country.as_deref() {
                    countries.insert(c);
                    let region = if place.level == Level::Admin1 { Some(r.name.as_str()) } else { r.admin1.as_deref() };
                    if let Some(a) = region {
                        regions.insert((c, a));
                    }
                }
            }
        }
        // A shared name: the first place in a named country, then region, then the gazetteer's first
        // (`min_by_key` keeps the first of equals).
        let preference = |i: u32| {
            let r = &self.places[i as usize].reference;
            let country = r.country.as_deref().unwrap_or("");
            let in_region = r.admin1.as_deref().is_some_and(|a| regions.contains(&(country, a)));
            (!countries.contains(country), !in_region)
        };
        // A town or region in a country the text never names (by name or
        // demonym) while it names others is not where anything it tells
        // happened ("Qana" in a report on Lebanon is not Qina in Egypt; the
        // agency's offices in Paris are not in a report on Sri Lanka).
        let mut named = countries.clone();
        named.extend(
            body.split(|c: char| !c.is_alphanumeric() && c != '.')
                .filter(|w| w.starts_with(char::is_uppercase))
                .filter_map(|w| crate::lexicon::country_of_demonym(&w.trim_end_matches('.').to_lowercase())),
        );
        let foreign = |i: u32| {
            let place = &self.places[i as usize];
            let country = place.reference.country.as_deref().unwrap_or("");
            matches!(place.level, Level::City | Level::Admin1) && !named.is_empty() && !named.contains(country)
        };
        kept.into_iter()
            .filter_map(|(span, pattern)| {
                let candidates = self.index.places_of(pattern);
                let place = candidates.iter().copied().min_by_key(|&i| preference(i)).unwrap_or(candidates[0]);
                (!foreign(place)).then_some(PlaceMention { span, place: place as usize })
            })
            .collect()
    }
}

/// The aliases of a gazetteer, by their text.
#[derive(Debug, Default)]
struct AliasIndex {
    /// Alias text → its number.
    numbers: rustc_hash::FxHashMap<Box<str>, u32>,
    /// The (first) place each alias names.
    first: Vec<u32>,
    /// Every place an alias names, in the gazetteer's order, for the aliases several places share.
    shared: rustc_hash::FxHashMap<u32, Vec<u32>>,
    /// Every alias's words before a space ("Camp" of "Camp Ashraf"): a
    /// longer alias is looked for only after one of these.
    heads: rustc_hash::FxHashSet<Box<str>>,
    /// Characters some alias starts with: ASCII ones as bits, any other flagged.
    ascii_starts: u128,
    other_starts: bool,
    /// The longest alias, in bytes.
    longest: usize,
}

impl AliasIndex {
    fn add(&mut self, alias: &str, place: u32) {
        let next = self.first.len() as u32;
        let k = *self.numbers.entry(alias.into()).or_insert(next);
        if k == next {
            self.first.push(place);
        } else if self.first[k as usize] != place {
            let all = self.shared.entry(k).or_insert_with(|| vec![self.first[k as usize]]);
            if all.last() != Some(&place) {
                all.push(place);
            }
        }
        match alias.chars().next() {
            Some(c) if c.is_ascii() => self.ascii_starts |= 1 << (c as u32),
            Some(_) => self.other_starts = true,
            None => {}
        }
        self.longest = self.longest.max(alias.len());
        for (i, c) in alias.char_indices() {
            if c.is_whitespace() && i > 0 && !self.heads.contains(&alias[..i]) {
                self.heads.insert(alias[..i].into());
            }
        }
    }

    /// The places alias `k` names.
    fn places_of(&self, k: usize) -> &[u32] {
        match self.shared.get(&(k as u32)) {
            Some(all) => all,
            None => std::slice::from_ref(&self.first[k]),
        }
    }

    fn may_start(&self, c: char) -> bool {
        if c.is_ascii() {
            self.ascii_starts & (1 << (c as u32)) != 0
        } else {
            self.other_starts
        }
    }

    /// The longest alias at each word start, left to right, not overlapping.
    /// A word starts after a character that is not a letter, digit, `-` or `_`
    /// ("al-Sadr" is a person's name, not Sadr City); a name ends before one
    /// that is not a letter or digit ("Mosuli" is not Mosul).
    fn longest_matches(&self, body: &str) -> Vec<(Span, usize)> {
        let joined = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
        let mut out = Vec::new();
        let mut prev: Option<char> = None;
        let mut resume = 0;
        for (start, c) in body.char_indices() {
            let starts_word = start >= resume && c.is_alphanumeric() && !prev.is_some_and(joined);
            prev = Some(c);
            if !starts_word || !self.may_start(c) {
                continue;
            }
            let window = &body[start..];
            let mut best = None;
            let mut chars = window.char_indices().peekable();
            while let Some((i, ch)) = chars.next() {
                let end = i + ch.len_utf8();
                if end > self.longest {
                    break;
                }
                let next = chars.peek().map(|&(_, n)| n);
                if ch.is_whitespace() || next.is_some_and(char::is_alphanumeric) {
                    continue;
                }
                if let Some(&k) = self.numbers.get(&window[..end]) {
                    best = Some((end, k));
                }
                // Go on past a space only where some alias does.
                if next.is_none_or(char::is_whitespace) && !self.heads.contains(&window[..end]) {
                    break;
                }
            }
            if let Some((len, k)) = best {
                out.push((Span::new(start, start + len), k as usize));
                resume = start + len;
            }
        }
        out
    }
}

/// Titles before a person's name.
const TITLES: [&str; 30] = [
    "Mr",
    "Mr.",
    "Mrs",
    "Mrs.",
    "Ms",
    "Ms.",
    "Dr",
    "Dr.",
    "President",
    "Secretary",
    "Minister",
    "General",
    "Gen.",
    "Colonel",
    "Col.",
    "Senator",
    "Sen.",
    "Judge",
    "Sheikh",
    "Imam",
    "Ayatollah",
    "Prince",
    "King",
    "Queen",
    "Emir",
    "Captain",
    "Capt.",
    "Lieutenant",
    "Major",
    "Sergeant",
];

/// Capitalised words that begin a place's name rather than a person's.
const PLACE_WORDS: [&str; 26] = [
    "Northern", "Southern", "Eastern", "Western", "Central", "Upper", "Lower", "Greater", "Old", "New", "North",
    "South", "East", "West", "Camp", "Lake", "Mount", "Fort", "Port", "Saint", "St.", "Al", "El", "In", "At", "Near",
];

/// Whether the text before a name ends with a title or a given name: a
/// capitalised word that does not start the sentence, own something
/// ("Iraq's") or begin a place's name.
fn after_a_given_name(before: &str) -> bool {
    let Some(rest) = before.strip_suffix(' ') else { return false };
    let word_start = rest.rfind(|c: char| c.is_whitespace()).map_or(0, |i| i + 1);
    let word = &rest[word_start..];
    if TITLES.contains(&word) {
        return true;
    }
    let capitalised = word.chars().next().is_some_and(char::is_uppercase)
        && word.chars().all(|c| c.is_alphabetic() || c == '-')
        && word.chars().count() > 1;
    let starts_sentence = rest[..word_start].trim_end().chars().next_back().is_none_or(|c| ".!?:;\"“”'‘’(".contains(c));
    capitalised && !starts_sentence && !PLACE_WORDS.contains(&word)
}

/// Whether the text after a name continues a longer proper name: a
/// capitalised word ("Ali Larijani", "Geneva Convention"), a name particle
/// ("Ali al-Dabbagh"), or "administration".
fn inside_a_longer_name(after: &str) -> bool {
    let Some(rest) = after.strip_prefix(' ') else { return false };
    let word: &str = rest.split(|c: char| !(c.is_alphanumeric() || c == '-')).next().unwrap_or("");
    const PARTICLES: [&str; 4] = ["al-", "bin", "ibn", "bint"];
    const GEOGRAPHIC: [&str; 19] = [
        "Province",
        "Governorate",
        "City",
        "District",
        "Region",
        "County",
        "State",
        "Department",
        "Territory",
        "Oblast",
        "Valley",
        "Camp",
        "Prison",
        "Airport",
        "Hospital",
        "Market",
        "Square",
        "Street",
        "Road",
    ];
    let capitalised =
        word.chars().next().is_some_and(char::is_uppercase) && word.chars().skip(1).any(char::is_lowercase);
    (capitalised && !GEOGRAPHIC.contains(&word) && !crate::dates::is_calendar_word(word))
        || PARTICLES.iter().any(|p| word.starts_with(p) && word.len() > p.len())
        || word == "administration"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_longest_alias_at_word_boundaries() {
        // An installation's site, with an alias that begins other words.
        let sites = Gazetteer::read_sites("site\tCamp Ossa\tCamp Ossa|Ossa\tDiyala\tIraq\t33.6\t44.5").unwrap();
        let g = Gazetteer::builtin_with(sites);
        let text = "Camp Ossa in Iraq’s Diyala Province; Ossalieh is elsewhere.";
        let names: Vec<(&str, &str)> =
            g.find(text).iter().map(|m| (&text[m.span.start..m.span.end], g.get(m.place).name.as_str())).collect();
        assert_eq!(names, vec![("Camp Ossa", "Camp Ossa"), ("Iraq", "Iraq"), ("Diyala Province", "Diyala")]);
    }

    fn resolve(g: &Gazetteer, text: &str) -> Vec<(String, String, String)> {
        g.find(text)
            .iter()
            .map(|m| {
                let p = g.get(m.place);
                (
                    text[m.span.start..m.span.end].to_string(),
                    p.name.clone(),
                    p.reference.country.clone().unwrap_or_default(),
                )
            })
            .collect()
    }

    #[test]
    fn the_registry_gazetteer_knows_towns_regions_and_countries_with_their_hierarchy() {
        let g = Gazetteer::builtin();
        assert!(g.len() > 30_000, "{} places", g.len());
        let text =
            "Shelling hit Aleppo and Homs; a car bomb exploded in Kirkuk, and police in Fallujah and Irbil said so.";
        let names: Vec<String> =
            resolve(&g, text).into_iter().map(|(_, name, country)| format!("{name}, {country}")).collect();
        assert_eq!(names, ["Aleppo, Syria", "Homs, Syria", "Kirkuk, Iraq", "Al Fallūjah, Iraq", "Erbil, Iraq"]);
        let kirkuk = g.find(text).into_iter().find(|m| g.get(m.place).name == "Kirkuk").unwrap();
        let r = &g.get(kirkuk.place).reference;
        assert_eq!(r.admin1.as_deref(), Some("Kirkuk"));
        assert!((r.lat.unwrap() - 35.47).abs() < 0.1 && (r.lon.unwrap() - 44.39).abs() < 0.1, "{r:?}");
        let region = resolve(&g, "in Iraq's Salah ad Din province");
        assert_eq!(region[1].1, "Salah ad Din");
    }

    #[test]
    fn ordinary_words_and_parts_of_persons_names_are_not_places() {
        let g = Gazetteer::builtin();
        let text = "Police said Central Command and cleric Muqtada al-Sadr met. Nice work, said Reading Mobile Bath. \
                    Senator Barack Obama and speaker Ali Larijani cited the Geneva Conventions; Dr Zafar Iqbal spoke to \
                    'Ali al-Dabbagh. Later, Obama said the Obama administration would act.";
        let names: Vec<String> = resolve(&g, text).into_iter().map(|(t, _, _)| t).collect();
        assert!(names.is_empty(), "{names:?}");
    }

    #[test]
    fn a_shared_name_is_read_in_the_country_the_text_names() {
        let g = Gazetteer::builtin();
        let syria = resolve(&g, "Regime forces shelled Damascus, Syria.");
        assert_eq!((syria[0].1.as_str(), syria[0].2.as_str()), ("Damascus", "Syria"));
        let us = resolve(&g, "A storm hit Damascus in Maryland, United States.");
        assert_eq!((us[0].1.as_str(), us[0].2.as_str()), ("Damascus", "United States"));
    }

    #[test]
    fn an_installations_sites_come_first_and_bad_lines_are_named() {
        let sites = "# my sites\nsite\tAl-Shifa Hospital\tAl-Shifa Hospital|Shifa Hospital\t\tPalestinian Territory\t31.52\t34.44\n";
        let g = Gazetteer::builtin_with(Gazetteer::read_sites(sites).unwrap());
        assert_eq!(resolve(&g, "at Shifa Hospital in Gaza")[0].1, "Al-Shifa Hospital");
        let err = Gazetteer::read_sites("site\tX\tX\t\tIraq\t95\t44\n").unwrap_err();
        assert_eq!(err.line, 1);
        assert!(err.reason.contains("lat"), "{err}");
        let err = Gazetteer::read_sites("# ok\nsite only two\n").unwrap_err();
        assert_eq!(err.line, 2);
        assert!(Gazetteer::read_sites("camp\tX\tX\t\tIraq\t1\t2").unwrap_err().reason.contains("level"));
    }
}
