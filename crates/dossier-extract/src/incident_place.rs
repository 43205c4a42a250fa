//! Where the event happened: the choice among the places a report names, and
//! places no gazetteer lists ("the village of Ogossa", "in Kunduz Province"),
//! kept as named and placed in the region and country the text names.
//!
//! Tiers, most trusted first, within the sentences that tell the event (its
//! date's and first toll's): a site named outright; a place no gazetteer
//! lists, introduced as a locality ("the village of X", "X village"); a town
//! named outright; a place no gazetteer lists after "in"/"at"; a region;
//! then a site named anywhere; then a place the event is located relative
//! to; then the most specific named anywhere.
//! Vocabulary in `data/places.txt`.

use std::sync::OnceLock;

use dossier_model::{PlaceRef, Span};

use crate::places::{Gazetteer, Level, PlaceMention};
use crate::text::{self, TokenKind};

struct Words {
    before: Vec<&'static str>,
    site_heads: Vec<&'static str>,
    particles: Vec<&'static str>,
    regions: Vec<&'static str>,
    localities: Vec<&'static str>,
    not_places: Vec<&'static str>,
    relative: Vec<&'static str>,
    attack_nouns: Vec<&'static str>,
    attack_verbs: Vec<&'static str>,
    attack_prepositions: Vec<&'static str>,
    name_heads: Vec<&'static str>,
    people_nouns: Vec<&'static str>,
}

fn words() -> &'static Words {
    static WORDS: OnceLock<Words> = OnceLock::new();
    WORDS.get_or_init(|| {
        let mut s = crate::lexicon::sections(include_str!("../data/places.txt"));
        let mut take = |name: &str| s.remove(name).unwrap_or_default();
        Words {
            before: take("before"),
            site_heads: take("site-heads"),
            particles: take("particles"),
            regions: take("regions"),
            localities: take("localities"),
            not_places: take("not-places"),
            relative: take("relative"),
            attack_nouns: take("attack-nouns"),
            attack_verbs: take("attack-verbs"),
            attack_prepositions: take("attack-prepositions"),
            name_heads: take("name-heads"),
            people_nouns: take("people-nouns"),
        }
    })
}

/// A place chosen for an event: where the text names it, and what it is.
pub struct Chosen {
    /// The words naming it.
    pub span: Span,
    /// The place.
    pub place: PlaceRef,
}

/// The place of the event told in `focus` (module docs); `mentions` are the
/// gazetteer's, `all` every mention in the text (for the region and country
/// around a place no gazetteer lists).
pub fn choose<'m>(
    body: &str,
    mentions: &'m [PlaceMention],
    all: &[PlaceMention],
    g: &Gazetteer,
    focus: &[Option<Span>],
    dateline: Option<Chosen>,
) -> Option<Chosen> {
    let in_focus = |m: &PlaceMention| focus.iter().flatten().any(|s| s.contains(m.span));
    let relative = |m: &PlaceMention| is_relative_location(&body[..m.span.start]);
    let level = |m: &PlaceMention| g.get(m.place).level;
    let most_specific = |ms: Vec<&'m PlaceMention>| ms.into_iter().min_by_key(|m| (level(m), m.span.start));
    let named: Vec<&'m PlaceMention> = mentions.iter().filter(|m| !in_a_name(&body[..m.span.start])).collect();
    let listed = |m: &PlaceMention| Chosen { span: m.span, place: g.get(m.place).reference.clone() };
    let outright: Vec<&'m PlaceMention> = named.iter().copied().filter(|m| in_focus(m) && !relative(m)).collect();
    let (locality, after_preposition, holds_localities) = unlisted_places(body, focus, mentions);
    // A country's name is that country, however it was found.
    let unlisted_at = |span: Span| match g.country_named(&body[span.start..span.end]) {
        Some(i) => Chosen { span, place: g.get(i).reference.clone() },
        None => Chosen { span, place: unlisted(body, span, all, g) },
    };
    if let Some(m) = most_specific(outright.iter().copied().filter(|m| level(m) == Level::Site).collect()) {
        return Some(listed(m));
    }
    if let Some(span) = locality {
        return Some(unlisted_at(span));
    }
    if let Some(m) = most_specific(outright.iter().copied().filter(|m| level(m) <= Level::City).collect()) {
        return Some(listed(m));
    }
    // A region or country told with the event, and a locality in it the report
    // introduces as such elsewhere ("… in North Kivu"; "the villages of X and
    // Y"): the locality is where it happened.
    let every: Vec<Option<Span>> = crate::text::sentences(body).into_iter().map(Some).collect();
    let locality_in = |around: &PlaceRef| {
        let span = unlisted_places(body, &every, mentions).0?;
        let p = unlisted(body, span, all, g);
        let is_region = around.admin1.is_none() && around.country.as_ref() != Some(&around.name);
        let region_fits = match &p.admin1 {
            Some(r) if is_region => *r == around.name,
            _ => true,
        };
        (p.country.is_some() && p.country == around.country && region_fits).then_some(Chosen { span, place: p })
    };
    let locality_within =
        |m: &PlaceMention| (level(m) >= Level::Admin1).then(|| locality_in(&g.get(m.place).reference))?;
    if let Some(span) = after_preposition {
        let chosen = unlisted_at(span);
        if holds_localities {
            let around = PlaceRef { admin1: None, ..chosen.place.clone() };
            return locality_in(&around).or(Some(chosen));
        }
        return Some(chosen);
    }
    if let Some(m) = most_specific(outright.iter().copied().filter(|m| level(m) < Level::Country).collect()) {
        return locality_within(m).or_else(|| Some(listed(m)));
    }
    named
        .iter()
        .copied()
        .find(|m| level(m) == Level::Site)
        .map(listed)
        // A dateline that names the place again, or a place no gazetteer lists
        // (filing cities are large and listed): the reporter was there.
        .or(dateline)
        .or_else(|| {
            let m = most_specific(named.iter().copied().filter(|m| in_focus(m)).collect())?;
            // "a camp north of X": a locality the report names in X's country is nearer the event.
            let near = if relative(m) { locality_in(&g.get(m.place).reference) } else { None };
            near.or_else(|| locality_within(m)).or_else(|| Some(listed(m)))
        })
        // A locality named anywhere ("… in the village of X") before any place merely mentioned.
        .or_else(|| unlisted_places(body, &every, mentions).0.map(unlisted_at))
        .or_else(|| most_specific(named.clone()).map(listed))
}

/// A place no gazetteer lists, kept as named, in the region and country the
/// text gives it: the country of a demonym just before it ("the Lebanese
/// village of X"), else the country the text names most often (first named
/// on a tie), else that of the place named nearest it in its sentence; the region of the
/// nearest place named within [`NEAR`] bytes in that country, if any.
fn unlisted(body: &str, span: Span, all: &[PlaceMention], g: &Gazetteer) -> PlaceRef {
    let sentence = crate::text::sentences(body).into_iter().find(|s| s.contains(span)).unwrap_or(span);
    let lead_start = body[..span.start].char_indices().rev().nth(40).map_or(0, |(i, _)| i).max(sentence.start);
    // Only locality nouns, "of", "the" and directions may come between ("the
    // Lebanese village of X", "southern Malian town of X"); "Iranian residents
    // of X" names the people's country, not the place's.
    let between = |w: &str| {
        let w = w.to_lowercase();
        w.is_empty()
            || ["of", "the", "a", "southern", "northern", "eastern", "western", "central", "remote"]
                .contains(&w.as_str())
            || words().localities.contains(&w.as_str())
    };
    let demonym = body[lead_start..span.start]
        .split(|c: char| !c.is_alphanumeric())
        .rev()
        .take(6)
        .take_while(|w| between(w) || crate::lexicon::country_of_demonym(&w.to_lowercase()).is_some())
        .find_map(|w| crate::lexicon::country_of_demonym(&w.to_lowercase()));
    let country_of = |m: &PlaceMention| g.get(m.place).reference.country.as_deref();
    let nearest_in_sentence = all
        .iter()
        .filter(|m| sentence.contains(m.span) && country_of(m).is_some())
        .min_by_key(|m| m.span.start.abs_diff(span.start))
        .and_then(country_of);
    let mut counts: Vec<(&str, usize, usize)> = Vec::new();
    for m in all {
        if let Some(c) = country_of(m) {
            match counts.iter_mut().find(|(name, _, _)| *name == c) {
                Some(entry) => entry.1 += 1,
                None => counts.push((c, 1, m.span.start)),
            }
        }
    }
    let most_named = counts.iter().max_by_key(|(_, n, first)| (*n, std::cmp::Reverse(*first))).map(|(c, _, _)| *c);
    let country = demonym.or(most_named).or(nearest_in_sentence);
    let region = country.and_then(|c| {
        all.iter()
            .filter(|m| m.span.start.abs_diff(span.start) <= NEAR)
            .filter_map(|m| {
                let p = g.get(m.place);
                let r = &p.reference;
                let name = match p.level {
                    Level::Admin1 => Some(r.name.as_str()),
                    Level::City | Level::Site => r.admin1.as_deref(),
                    Level::Country => None,
                }?;
                (r.country.as_deref() == Some(c)).then_some((name, m.span.start.abs_diff(span.start)))
            })
            .min_by_key(|(_, distance)| *distance)
            .map(|(name, _)| name.to_string())
    });
    PlaceRef {
        name: body[span.start..span.end].to_string(),
        admin1: region,
        country: country.map(str::to_string),
        lat: None,
        lon: None,
    }
}

/// The place a report's first dateline names, if the reporter was likely
/// there: a listed town or site the body names again outside its datelines,
/// or a place no gazetteer lists ("OSSATOU, Mali -"), in the country the
/// dateline names.
pub fn dateline_place(body: &str, dateline: Span, all: &[PlaceMention], g: &Gazetteer) -> Option<Chosen> {
    let inside: Vec<&PlaceMention> = all.iter().filter(|m| dateline.contains(m.span)).collect();
    let town = inside.iter().find(|m| g.get(m.place).level <= Level::City);
    if let Some(m) = town {
        let name = &body[m.span.start..m.span.end];
        let again = named_again(body, dateline.end, name);
        return again.then(|| Chosen { span: m.span, place: g.get(m.place).reference.clone() });
    }
    // The unlisted name: the dateline's first words, before a comma or bracket.
    let text = &body[dateline.start..dateline.end];
    let head = text.split([',', '(']).next()?.trim_end();
    let head = head.trim_end_matches(['-', '—', '–', ':', ' ']);
    if head.is_empty() || head.contains(char::is_numeric) || crate::dates::is_calendar_word(head.split(' ').next()?) {
        return None;
    }
    let span = Span::new(dateline.start, dateline.start + head.len());
    // A dateline in capitals ("BAGHDAD (Reuters) -") names a listed city in other letters.
    let titled: String = head
        .split(' ')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c.flat_map(char::to_lowercase)).collect::<String>())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ");
    let country = inside.iter().find_map(|m| g.get(m.place).reference.country.clone());
    let listed = g.find(&titled).into_iter().find(|m| m.span == Span::new(0, titled.len()));
    // Listed, and in the country the dateline names ("QANA, Lebanon" is not Qina in Egypt).
    if let Some(m) = listed.filter(|m| country.is_none() || g.get(m.place).reference.country == country) {
        let again = named_again(body, dateline.end, &titled);
        return again.then(|| Chosen { span, place: g.get(m.place).reference.clone() });
    }
    Some(Chosen { span, place: PlaceRef { name: head.to_string(), admin1: None, country, lat: None, lon: None } })
}

/// Whether `name` is named again after `from`, other than as where something
/// else lies ("a camp north of Baghdad" places the camp, not the event, in Baghdad).
fn named_again(body: &str, from: usize, name: &str) -> bool {
    // Compared letter by letter without lower-casing the body, whose byte
    // offsets must stay those of the text.
    let Some(first) = name.chars().next() else { return false };
    body[from..].char_indices().any(|(i, c)| {
        c.to_lowercase().eq(first.to_lowercase())
            && body[from + i..]
                .get(..name.len())
                .is_some_and(|s| s.eq_ignore_ascii_case(name) || s.to_lowercase() == name.to_lowercase())
            && !is_relative_location(&body[..from + i])
    })
}

/// How far (in bytes) a named place may be from one no gazetteer lists to give it its region.
const NEAR: usize = 200;

/// A place the gazetteer does not know, named in `sentences`: one to three
/// capitalised words after a locality noun and "of" ("the village of
/// Ogossa"), before a locality noun ("Ogossa village"), or after "in", "at",
/// "near" ("in Kunduz Province"); never a word the gazetteer found, a
/// month, or a word that is no place ("The", "Reuters").
/// Returns the first introduced as a locality and the first after a preposition.
/// A locality introduced as such, the first place no gazetteer lists after a
/// preposition (or an attack noun), and whether that place is said to hold
/// localities ("two villages in X").
fn unlisted_places(
    body: &str,
    sentences: &[Option<Span>],
    mentions: &[PlaceMention],
) -> (Option<Span>, Option<Span>, bool) {
    let w = words();
    let known = |span: Span| mentions.iter().any(|m| m.span.start < span.end && span.start < m.span.end);
    let mut after_preposition = None;
    let mut holds_localities = false;
    let mut after_attack = None;
    for s in sentences.iter().flatten() {
        let tokens = text::tokenize(&body[s.start..s.end], s.start);
        // In a headline every word is capitalised: only the locality forms hold there.
        let headline = text::is_headline_sentence(&body[s.start..s.end]);
        let capitalised = |k: usize| {
            tokens.get(k).is_some_and(|t| {
                t.kind == TokenKind::Word
                    && t.text.starts_with(char::is_uppercase)
                    && !is_acronym(t.text)
                    && !w.not_places.contains(&t.text)
                    && crate::lexicon::country_of_demonym(&t.text.to_lowercase()).is_none()
                    && !crate::dates::is_calendar_word(t.text.trim_end_matches("'s").trim_end_matches("’s"))
                    && !known(t.span)
            })
        };
        // One to three capitalised words, with particles between them ("Wad al Noora").
        let particle = |k: usize| tokens.get(k).is_some_and(|t| w.particles.contains(&t.text));
        let run = |from: usize| {
            let mut last = None;
            let mut k = from;
            let mut words = 0;
            while words < 3 {
                if capitalised(k) {
                    last = Some(k);
                    words += 1;
                    k += 1;
                } else if last.is_some()
                    && (particle(k) || tokens.get(k).is_some_and(|t| t.text == "-"))
                    && capitalised(k + 1)
                {
                    k += 1;
                } else {
                    break;
                }
            }
            // "Fulani herders" names a people; "West Africa's vast region" a possessor.
            let people = tokens.get(k).is_some_and(|t| w.people_nouns.iter().any(|n| t.is(n)));
            let possessive = last.is_some_and(|l| tokens[l].text.ends_with("'s") || tokens[l].text.ends_with("’s"));
            last.filter(|_| !people && !possessive)
        };
        let is_locality = |k: usize| tokens.get(k).is_some_and(|t| w.localities.iter().any(|l| t.is(l)));
        for i in 0..tokens.len() {
            // "Camp X", "Fort X": a named site.
            if tokens[i].text.starts_with(char::is_uppercase) && w.site_heads.iter().any(|h| tokens[i].is(h)) {
                if let Some(end) = run(i + 1) {
                    return (
                        Some(Span::new(tokens[i].span.start, tokens[end].span.end)),
                        after_preposition,
                        holds_localities,
                    );
                }
            }
            // "the village of X", "the villages of X and Y".
            if is_locality(i) && tokens.get(i + 1).is_some_and(|t| t.is("of")) {
                // "the Ossatou village of Mopti province": the village is Ossatou.
                let region_follows =
                    |end: usize| tokens.get(end + 1).is_some_and(|t| w.regions.iter().any(|r| t.is(r)));
                if let Some(end) = run(i + 2).filter(|&end| !region_follows(end)) {
                    return (
                        Some(Span::new(tokens[i + 2].span.start, tokens[end].span.end)),
                        after_preposition,
                        holds_localities,
                    );
                }
                if i > 1 && capitalised(i - 1) && tokens[i].text.starts_with(char::is_lowercase) {
                    let first = (i.saturating_sub(3)..i).find(|&k| (k..i).all(capitalised)).unwrap_or(i - 1);
                    return (
                        Some(Span::new(tokens[first].span.start, tokens[i - 1].span.end)),
                        after_preposition,
                        holds_localities,
                    );
                }
                if let Some(end) = run(i + 2) {
                    return (
                        Some(Span::new(tokens[i + 2].span.start, tokens[end].span.end)),
                        after_preposition,
                        holds_localities,
                    );
                }
            }
            // "X village" (not sentence-initial: "Village elders said").
            let of_follows = tokens.get(i + 1).is_some_and(|t| t.is("of"));
            if i > 0
                && is_locality(i)
                && !of_follows
                && capitalised(i - 1)
                && tokens[i].text.starts_with(char::is_lowercase)
            {
                let first = (i.saturating_sub(3)..i).find(|&k| (k..i).all(capitalised)).unwrap_or(i - 1);
                if first > 0 {
                    return (
                        Some(Span::new(tokens[first].span.start, tokens[i - 1].span.end)),
                        after_preposition,
                        holds_localities,
                    );
                }
            }
            // "the strike on X": the attack's target, when no preposition names a place.
            let attack_target = after_attack.is_none()
                && w.attack_nouns.iter().any(|n| tokens[i].is(n))
                && tokens.get(i + 1).is_some_and(|t| w.attack_prepositions.contains(&t.text));
            if attack_target && !headline {
                if let Some(end) = run(i + 2) {
                    after_attack = Some(Span::new(tokens[i + 2].span.start, tokens[end].span.end));
                }
            }
            // "rebels overran X": the verb's object.
            if after_attack.is_none() && !headline && w.attack_verbs.iter().any(|v| tokens[i].is(v)) {
                if let Some(end) = run(i + 1) {
                    after_attack = Some(Span::new(tokens[i + 1].span.start, tokens[end].span.end));
                }
            }
            if after_preposition.is_none() && w.before.iter().any(|b| tokens[i].text == *b) {
                if let Some(end) = run(i + 1) {
                    // In a headline, only a name that ends it or a clause of it ("… kills 20 in Ossatou").
                    let ends = tokens.get(end + 1).is_none_or(|t| t.kind == TokenKind::Punct);
                    if !headline || ends {
                        after_preposition = Some(Span::new(tokens[i + 1].span.start, tokens[end].span.end));
                        // "two villages in X": X holds localities.
                        holds_localities = i > 0 && is_locality(i - 1) && tokens[i].text == "in";
                    }
                }
            }
        }
    }
    match after_preposition {
        Some(_) => (None, after_preposition, holds_localities),
        None => (None, after_attack, false),
    }
}

/// Whether a word is an acronym ("IDPs", "UNHCR"): most of its letters are capitals.
fn is_acronym(word: &str) -> bool {
    let upper = word.chars().filter(|c| c.is_uppercase()).count();
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    upper >= 2 && upper * 2 > letters
}

/// Whether a place name ends a proper name ("Organization of Iran", "University of Baghdad")
/// or follows a word that makes it part of another ("Mount Carmel").
/// The word before "of" must be a capitalised word inside the sentence, not
/// its first word ("Residents of Camp Ashraf" is not a name).
pub fn in_a_name(before: &str) -> bool {
    // "Mount Carmel": the word before makes it another name.
    let last = before.strip_suffix(' ').and_then(|b| b.rsplit([' ', '\n']).next());
    if last.is_some_and(|w| words().name_heads.contains(&w)) {
        return true;
    }
    let Some(rest) = before.strip_suffix("of ") else { return false };
    let mut words = rest.trim_end().rsplit([' ', '\n']);
    let capitalised = |w: &str| w.starts_with(char::is_uppercase) && w.len() > 1;
    if !words.next().is_some_and(capitalised) {
        return false;
    }
    words.next().is_some_and(|prev| !prev.is_empty() && !prev.ends_with(['.', '!', '?', '"', '“', ':']))
}

/// Whether the text just before a place name locates something relative to
/// it ("north of", "outside", "near", "km from").
fn is_relative_location(before: &str) -> bool {
    let tail: String = before.chars().rev().take(40).collect::<Vec<_>>().into_iter().rev().collect();
    let tail = tail.trim_end().to_lowercase();
    words().relative.iter().any(|m| tail.ends_with(m))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{extract, Context};
    use dossier_model::{ClaimKind, ClaimValue};

    fn place_of(body: &str) -> Option<(String, PlaceRef)> {
        let ex = extract(body, &Context::default(), &Gazetteer::builtin());
        ex.claims.iter().find(|c| c.kind == ClaimKind::IncidentPlace && c.frame == 0).map(|c| match &c.value {
            ClaimValue::Place(p) => (body[c.span.start..c.span.end].to_string(), p.clone()),
            _ => unreachable!(),
        })
    }

    #[test]
    fn a_village_no_gazetteer_lists_is_kept_in_the_region_and_country_the_text_names() {
        let body = "Gunmen killed 40 people in the village of Ossatou in central Mali's Mopti region on 3 March 2021.";
        let (named, p) = place_of(body).unwrap();
        assert_eq!(named, "Ossatou");
        assert_eq!((p.admin1.as_deref(), p.country.as_deref()), (Some("Mopti"), Some("Mali")));
        let body = "Nine people died when shells hit Ossatou village near the border with Niger on 3 March 2021.";
        assert_eq!(place_of(body).unwrap().0, "Ossatou");
        let body = "Gunmen burned houses in the ethnic Bara village of Ossa-Kou in Mali's Mopti region on 3 March 2021, killing 20.";
        assert_eq!(place_of(body).unwrap().0, "Ossa-Kou");
        let body = "Soldiers stormed Camp Ossa in Mali's Mopti region on 3 March 2021, killing 20.";
        assert_eq!(place_of(body).unwrap().0, "Camp Ossa");
        let body = "Jets struck the IDPs camp in Mali's Mopti region on 3 March 2021, killing 20.";
        assert_ne!(place_of(body).map(|p| p.0), Some("IDPs".to_string()));
    }

    #[test]
    fn a_town_is_preferred_to_an_unlisted_name_and_an_unlisted_village_to_a_region() {
        let body = "A bomb killed 20 people in Mosul on 3 May 2012, in the province of Nineveh.";
        assert_eq!(place_of(body).unwrap().0, "Mosul");
        let body = "Raiders shot 30 herders dead on Saturday in Mopti region, in the village of Ossatou.";
        assert_eq!(place_of(body).unwrap().0, "Ossatou");
    }

    #[test]
    fn a_town_spelt_as_another_countrys_town_is_read_in_the_country_the_text_names() {
        // "Qana" is also a spelling of Qina, in Egypt; the text is about Lebanon.
        let body = "An air strike on the southern Lebanese village of Qana killed 28 people on 30 July 2006, Lebanon's army said.";
        let (named, p) = place_of(body).unwrap();
        assert_eq!(named, "Qana");
        assert_eq!(p.country.as_deref(), Some("Lebanon"));
    }

    #[test]
    fn an_attack_on_a_place_names_its_target() {
        let body =
            "Mali's army published its inquiry into the air strike on Ossatou, in which 27 civilians were killed.";
        let (named, p) = place_of(body).unwrap();
        assert_eq!(named, "Ossatou");
        assert_eq!(p.country.as_deref(), Some("Mali"));
        // A preposition that names a place comes first.
        let body = "The shelling of Kerena killed 12 people in Ossatou, Mali, on 3 March 2021.";
        assert_eq!(place_of(body).unwrap().0, "Ossatou");
    }

    #[test]
    fn a_people_or_a_possessor_is_not_a_place() {
        let body = "Gunmen killed 20 people on Friday in a village of Bara herders in central Mali.";
        assert_ne!(place_of(body).map(|p| p.0), Some("Bara".to_string()));
        let body = "Raiders killed 20 people in Ossa Land's vast northern region, Mali's army said.";
        assert_ne!(place_of(body).map(|p| p.0), Some("Ossa Land's".to_string()));
    }

    #[test]
    fn the_object_of_an_attack_verb_is_its_place() {
        let body = "Rebel troops overran Ossatou, a market town in central Mali, on Tuesday, killing 200 civilians.";
        assert_eq!(place_of(body).unwrap().0, "Ossatou");
    }

    #[test]
    fn a_region_said_to_hold_localities_gives_way_to_the_locality_named_elsewhere() {
        let body = "Gunmen killed 60 people in two villages in Mopti Plateau, Mali, last week.\n\
            The attacks on the villages of Ossatou and Kerena began at dawn, survivors said.";
        assert_eq!(place_of(body).unwrap().0, "Ossatou");
        // A camp in a town is still at the town when nothing more precise is named.
        let body = "The toll of the bombing of a camp in Ossatou, Mali, rose to 54 on Thursday.";
        assert_eq!(place_of(body).unwrap().0, "Ossatou");
    }

    #[test]
    fn a_headlines_loose_place_gives_way_to_the_texts() {
        let body = "Massacre in Mali: 40 killed\n\nGunmen killed 40 people in the village of Ossatou on Sunday, residents said.";
        assert_eq!(place_of(body).unwrap().0, "Ossatou");
    }

    #[test]
    fn a_place_inside_another_name_is_not_the_place() {
        // "Carmel" is a town in the gazetteer; "Mount Carmel" here names a church.
        let body = "A grenade went off at the chapel on Mount Carmel in Jolo, Philippines, on 3 May 2019, killing 11.";
        assert_eq!(place_of(body).unwrap().0, "Jolo");
        assert!(in_a_name("the chapel on Mount "));
    }

    #[test]
    fn a_place_located_relative_to_a_town_is_the_locality_the_report_names() {
        let body = "Police raided a refugee camp north of Baghdad, killing seven people, an officer said.\n\
            Officers rejected reports of deaths during the operation at Camp Ossa, close to the Iraqi town of Khalis.";
        assert_eq!(place_of(body).unwrap().0, "Camp Ossa");
    }

    #[test]
    fn names_of_organisations_are_not_places_but_residents_of_a_camp_are() {
        assert!(in_a_name("supporters of the Farmers’ Velan Union of "));
        assert!(in_a_name("at the University of "));
        assert!(!in_a_name("Residents of "));
        assert!(!in_a_name("It happened. Residents of "));
        assert!(!in_a_name("the residents of "));
    }
}
