//! The means of an attack: weapons and materiel ("armored vehicles",
//! "American-made Humvees", "a car bomb", "tear gas"), from a documented
//! vocabulary with a category each, and the size of the force
//! ("a 2,500-strong force", "a force of some 300 soldiers").

use dossier_model::Span;

use crate::numbers::{count_at, number_at};
use crate::text::Token;

/// Weapons and materiel: words as they appear (lower case), and the category.
/// Longer phrases are tried first.
pub const MATERIEL: [(&str, &str); 62] = [
    ("armored personnel carriers", "armored_vehicle"),
    ("armoured personnel carriers", "armored_vehicle"),
    ("armored vehicles", "armored_vehicle"),
    ("armoured vehicles", "armored_vehicle"),
    ("armored vehicle", "armored_vehicle"),
    ("armoured vehicle", "armored_vehicle"),
    ("military vehicles", "armored_vehicle"),
    ("humvees", "armored_vehicle"),
    ("humvee", "armored_vehicle"),
    ("tanks", "armored_vehicle"),
    ("bulldozers", "armored_vehicle"),
    ("apcs", "armored_vehicle"),
    ("live ammunition", "firearm"),
    ("live fire", "firearm"),
    ("assault rifles", "firearm"),
    ("rifles", "firearm"),
    ("machine guns", "firearm"),
    ("machine-guns", "firearm"),
    ("kalashnikovs", "firearm"),
    ("ak-47s", "firearm"),
    ("pistols", "firearm"),
    ("handguns", "firearm"),
    ("car bombs", "explosive"),
    ("car bomb", "explosive"),
    ("truck bomb", "explosive"),
    ("roadside bombs", "explosive"),
    ("roadside bomb", "explosive"),
    ("suicide vests", "explosive"),
    ("suicide vest", "explosive"),
    ("explosive belt", "explosive"),
    ("improvised explosive devices", "explosive"),
    ("improvised explosive device", "explosive"),
    ("ieds", "explosive"),
    ("ied", "explosive"),
    ("hand grenades", "explosive"),
    ("grenades", "explosive"),
    ("barrel bombs", "explosive"),
    ("landmines", "explosive"),
    ("mortar rounds", "indirect_fire"),
    ("mortar shells", "indirect_fire"),
    ("mortars", "indirect_fire"),
    ("katyusha rockets", "indirect_fire"),
    ("rockets", "indirect_fire"),
    ("missiles", "indirect_fire"),
    ("artillery", "indirect_fire"),
    ("helicopter gunships", "aircraft"),
    ("helicopters", "aircraft"),
    ("warplanes", "aircraft"),
    ("fighter jets", "aircraft"),
    ("drones", "aircraft"),
    ("chemical weapons", "chemical"),
    ("sarin", "chemical"),
    ("chlorine gas", "chemical"),
    ("tear gas", "less_lethal"),
    ("water cannon", "less_lethal"),
    ("rubber bullets", "less_lethal"),
    ("stun grenades", "less_lethal"),
    ("batons", "less_lethal"),
    ("clubs", "less_lethal"),
    ("axes", "less_lethal"),
    ("knives", "blade"),
    ("machetes", "blade"),
];

/// Nouns a force's size is given for.
const FORCE_NOUNS: [&str; 12] = [
    "force",
    "forces",
    "troops",
    "soldiers",
    "policemen",
    "police",
    "contingent",
    "unit",
    "army",
    "fighters",
    "militiamen",
    "personnel",
];

/// Materiel named in one sentence's tokens: its span (with a maker before it,
/// "American-made Humvees") and its category.
pub fn find_materiel(tokens: &[Token<'_>]) -> Vec<(Span, &'static str)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let first = tokens[i].lower();
        let found = PHRASES.get(first.as_ref()).and_then(|candidates| {
            candidates.iter().find_map(|(words, category)| {
                let end = i + words.len();
                let rest = tokens.get(i + 1..end)?;
                rest.iter().zip(&words[1..]).all(|(t, w)| t.lower() == *w).then_some((end, *category))
            })
        });
        let Some((end, category)) = found else {
            i += 1;
            continue;
        };
        let maker = |t: &Token<'_>| {
            let l = t.lower();
            ["-made", "-supplied", "-built", "-manufactured"].iter().any(|s| l.ends_with(s))
        };
        let start = if i > 0 && maker(&tokens[i - 1]) { i - 1 } else { i };
        out.push((Span::new(tokens[start].span.start, tokens[end - 1].span.end), category));
        i = end;
    }
    out
}

/// The materiel phrases by their first word, longest first.
type PhraseIndex = rustc_hash::FxHashMap<&'static str, Vec<(Vec<&'static str>, &'static str)>>;

static PHRASES: std::sync::LazyLock<PhraseIndex> = std::sync::LazyLock::new(|| {
    let mut index = PhraseIndex::default();
    for (phrase, category) in MATERIEL {
        let words: Vec<&str> = phrase.split(' ').collect();
        index.entry(words[0]).or_default().push((words, category));
    }
    for candidates in index.values_mut() {
        candidates.sort_by_key(|(words, _)| std::cmp::Reverse(words.len()));
    }
    index
});

/// A force's size named in one sentence: its span and count.
pub struct ForceSize {
    /// "2,500-strong force", "a force of some 300".
    pub span: Span,
    /// Lower bound.
    pub min: Option<u64>,
    /// Upper bound.
    pub max: Option<u64>,
    /// As in a casualty count (`exact`, `about`, `at least`…).
    pub qualifier: String,
    /// The noun counted ("force", "troops").
    pub noun: String,
}

/// Force sizes in one sentence's tokens: "a 2,500-strong force", "a force of
/// (about) 300", "some 300 troops stormed / were deployed".
pub fn find_force_size(tokens: &[Token<'_>]) -> Vec<ForceSize> {
    let mut out = Vec::new();
    let mut counted_until = 0;
    let is_force_noun = |t: &Token<'_>| FORCE_NOUNS.iter().any(|n| t.is(n));
    for i in 0..tokens.len() {
        let t = &tokens[i];
        // "2,500-strong force"
        let lower = if t.text.ends_with("strong") { t.lower() } else { std::borrow::Cow::Borrowed("") };
        if let Some(number) = lower.strip_suffix("-strong") {
            let value = number.replace(',', "").parse::<u64>().ok().or_else(|| {
                let inner = crate::text::tokenize(number, t.span.start);
                number_at(&inner, 0).filter(|&(_, end)| end == inner.len()).map(|(v, _)| v)
            });
            let noun = (i + 1..tokens.len().min(i + 3)).find(|&k| is_force_noun(&tokens[k]));
            if let (Some(v), Some(k)) = (value, noun) {
                let noun = tokens[k].lower().into_owned();
                out.push(ForceSize {
                    span: Span::new(t.span.start, tokens[k].span.end),
                    min: Some(v),
                    max: Some(v),
                    qualifier: "exact".into(),
                    noun,
                });
            }
            continue;
        }
        // "a force of (about) 300"
        if t.is("force") && tokens.get(i + 1).is_some_and(|n| n.is("of")) {
            if let Some(c) = count_at(tokens, i + 2).filter(|c| c.min.is_some() && !c.qualifier.starts_with("vague")) {
                counted_until = c.end + 1;
                let qualifier = c.qualifier.clone();
                let end = if tokens.get(c.end).is_some_and(is_force_noun) { c.end + 1 } else { c.end };
                out.push(ForceSize {
                    span: Span::new(t.span.start, tokens[end - 1].span.end),
                    min: c.min,
                    max: c.max,
                    qualifier,
                    noun: "force".into(),
                });
            }
            continue;
        }
        // "(some) 300 troops stormed / were deployed / took part": a count
        // ending just before a force noun, the noun followed by such a verb.
        if !is_force_noun(t) || i == 0 {
            continue;
        }
        let verb = tokens[i + 1..].iter().take(3).any(|n| {
            ["stormed", "raided", "deployed", "surrounded", "entered", "besieged", "participated", "took"]
                .iter()
                .any(|v| n.is(v))
        });
        if !verb {
            continue;
        }
        let count = (i.saturating_sub(4)..i)
            .filter(|&k| k >= counted_until && (k == 0 || !tokens[k - 1].is("of")))
            .find_map(|k| count_at(tokens, k).filter(|c| c.end == i).map(|c| (k, c)));
        if let Some((k, c)) = count.filter(|(_, c)| c.min.is_some() && !c.qualifier.starts_with("vague")) {
            counted_until = i + 1;
            out.push(ForceSize {
                span: Span::new(tokens[k].span.start, t.span.end),
                min: c.min,
                max: c.max,
                qualifier: c.qualifier.clone(),
                noun: t.lower().into_owned(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokenize;

    fn materiel(s: &str) -> Vec<(&str, &'static str)> {
        find_materiel(&tokenize(s, 0)).into_iter().map(|(sp, c)| (&s[sp.start..sp.end], c)).collect()
    }

    fn force(s: &str) -> Vec<(&str, Option<u64>, String, String)> {
        find_force_size(&tokenize(s, 0))
            .into_iter()
            .map(|f| (&s[f.span.start..f.span.end], f.min, f.qualifier, f.noun))
            .collect()
    }

    #[test]
    fn materiel_is_named_with_its_maker_and_category() {
        assert_eq!(
            materiel("the Chadian Army entered Ossa with a 1,200-strong force and columns of armored vehicles"),
            [("armored vehicles", "armored_vehicle")]
        );
        assert_eq!(
            materiel("two farmers were run over by American-made Humvees supplied to the Malian police"),
            [("American-made Humvees", "armored_vehicle")]
        );
        assert_eq!(
            materiel("A car bomb and two IEDs exploded; police fired tear gas and live ammunition."),
            [
                ("car bomb", "explosive"),
                ("IEDs", "explosive"),
                ("tear gas", "less_lethal"),
                ("live ammunition", "firearm")
            ]
        );
        assert_eq!(materiel("Rockets hit the camp."), [("Rockets", "indirect_fire")]);
        assert!(materiel("The think tanks and golf clubs met.").len() == 2, "words out of context still match");
        assert!(materiel("No weapons were named.").is_empty());
    }

    #[test]
    fn force_sizes_are_read_from_their_usual_phrasings() {
        assert_eq!(
            force("the Chadian Army entered Ossa with a 1,200-strong force and columns of armored vehicles"),
            [("1,200-strong force", Some(1200), "exact".to_string(), "force".to_string())]
        );
        assert_eq!(
            force("a force of some 300 soldiers surrounded the camp"),
            [("force of some 300 soldiers", Some(300), "about".to_string(), "force".to_string())]
        );
        assert_eq!(
            force("More than 1,000 troops stormed the town at dawn."),
            [("More than 1,000 troops", Some(1001), "more than".to_string(), "troops".to_string())]
        );
        assert!(force("Five soldiers were killed and 20 troops wounded.").is_empty());
        assert!(force("a three-strong delegation arrived").is_empty());
    }
}
