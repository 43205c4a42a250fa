//! Place mentions, resolved against a small built-in gazetteer (`data/places.tsv`).

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
    /// Names it is mentioned by.
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

/// The gazetteer.
#[derive(Debug, Clone)]
pub struct Gazetteer {
    places: Vec<Place>,
    /// Every alias of every place, searched in one pass over a text.
    automaton: aho_corasick::AhoCorasick,
    /// The place each alias (pattern) names.
    place_of_pattern: Vec<usize>,
}

impl Gazetteer {
    /// The built-in gazetteer.
    pub fn builtin() -> Self {
        Gazetteer::parse(include_str!("../data/places.tsv"))
    }

    /// Parses the TSV format of `data/places.tsv`; malformed lines are skipped.
    pub fn parse(tsv: &str) -> Self {
        let places = tsv
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|l| {
                let f: Vec<&str> = l.split('\t').collect();
                let [level, name, aliases, admin1, country, lat, lon] = f.as_slice() else {
                    return None;
                };
                let level = match *level {
                    "site" => Level::Site,
                    "city" => Level::City,
                    "admin1" => Level::Admin1,
                    "country" => Level::Country,
                    _ => return None,
                };
                let non_empty = |s: &str| (!s.is_empty()).then(|| s.to_string());
                Some(Place {
                    level,
                    name: name.to_string(),
                    aliases: aliases.split('|').map(str::to_string).collect(),
                    reference: PlaceRef {
                        name: name.to_string(),
                        admin1: non_empty(admin1),
                        country: non_empty(country),
                        lat: lat.parse().ok(),
                        lon: lon.parse().ok(),
                    },
                })
            })
            .collect();
        Gazetteer::from_places(places)
    }

    /// A gazetteer of the given places.
    pub fn from_places(places: Vec<Place>) -> Self {
        let mut patterns: Vec<&str> = Vec::new();
        let mut place_of_pattern = Vec::new();
        for (i, p) in places.iter().enumerate() {
            for alias in p.aliases.iter().filter(|a| !a.is_empty()) {
                patterns.push(alias);
                place_of_pattern.push(i);
            }
        }
        let automaton = aho_corasick::AhoCorasick::new(&patterns).expect("gazetteer aliases form an automaton");
        Gazetteer { places, automaton, place_of_pattern }
    }

    /// The entry at `i`.
    pub fn get(&self, i: usize) -> &Place {
        &self.places[i]
    }

    /// Every mention in `body`, in order; overlapping mentions keep the longest.
    pub fn find(&self, body: &str) -> Vec<PlaceMention> {
        let mut found: Vec<PlaceMention> = Vec::new();
        for m in self.automaton.find_overlapping_iter(body) {
            let (start, end) = (m.start(), m.end());
            let before = body[..start].chars().next_back();
            let after = body[end..].chars().next();
            if before.is_some_and(char::is_alphanumeric) || after.is_some_and(char::is_alphanumeric) {
                continue;
            }
            found.push(PlaceMention {
                span: Span::new(start, end),
                place: self.place_of_pattern[m.pattern().as_usize()],
            });
        }
        found.sort_by_key(|m| (m.span.start, std::cmp::Reverse(m.span.end)));
        let mut out: Vec<PlaceMention> = Vec::new();
        for m in found {
            if out.last().is_some_and(|last| m.span.start < last.span.end) {
                continue;
            }
            out.push(m);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_longest_alias_at_word_boundaries() {
        let g = Gazetteer::builtin();
        let text = "Camp Ashraf in Iraq’s Diyala Province; Ashrafieh is elsewhere.";
        let names: Vec<(&str, &str)> =
            g.find(text).iter().map(|m| (&text[m.span.start..m.span.end], g.get(m.place).name.as_str())).collect();
        assert_eq!(names, vec![("Camp Ashraf", "Camp Ashraf"), ("Iraq", "Iraq"), ("Diyala Province", "Diyala")]);
    }
}
