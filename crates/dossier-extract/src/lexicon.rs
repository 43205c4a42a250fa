//! Vocabulary kept as data (`data/*.txt`, `data/*.tsv`), read once into
//! typed lists: the code holds the grammar, the data files the words.
//!
//! A `.txt` word list has `[section]` headings and one entry a line; `#`
//! starts a comment line.

use std::collections::HashMap;
use std::sync::OnceLock;

/// The sections of a word list, each with its entries in order.
pub fn sections(text: &'static str) -> HashMap<&'static str, Vec<&'static str>> {
    let mut out: HashMap<&'static str, Vec<&'static str>> = HashMap::new();
    let mut section = "";
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            Some(name) => section = name,
            None => out.entry(section).or_default().push(line),
        }
    }
    out
}

/// The country (as the gazetteer names it) a demonym speaks for:
/// "iraqi" → Iraq. `word` in lower case.
pub fn country_of_demonym(word: &str) -> Option<&'static str> {
    static DEMONYMS: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    DEMONYMS
        .get_or_init(|| {
            include_str!("../data/demonyms.tsv")
                .lines()
                .filter(|l| !l.starts_with('#'))
                .filter_map(|l| l.split_once('\t'))
                .collect()
        })
        .get(word)
        .copied()
}

/// Verbs of statements besides speech verbs ("condemned", "vowed"): a date
/// next to one tells when something was said, not when the event happened.
pub fn statement_verbs() -> &'static [&'static str] {
    static VERBS: OnceLock<Vec<&'static str>> = OnceLock::new();
    VERBS.get_or_init(|| sections(include_str!("../data/statements.txt")).remove("statement-verbs").unwrap_or_default())
}

/// Verbs of accusation ("accused"): a date heading their clause tells when it was said.
pub fn accusation_verbs() -> &'static [&'static str] {
    static VERBS: OnceLock<Vec<&'static str>> = OnceLock::new();
    VERBS
        .get_or_init(|| sections(include_str!("../data/statements.txt")).remove("accusation-verbs").unwrap_or_default())
}

/// What statements are published in ("a report", "its statement"): a date
/// right after "in a report" tells when it was published.
pub fn statement_nouns() -> &'static [&'static str] {
    static NOUNS: OnceLock<Vec<&'static str>> = OnceLock::new();
    NOUNS.get_or_init(|| sections(include_str!("../data/statements.txt")).remove("statement-nouns").unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_lists_read_by_section_and_demonyms_name_countries() {
        let s = sections("# a comment\n[one]\nalpha\n beta \n\n[two]\ngamma\n");
        assert_eq!(s["one"], vec!["alpha", "beta"]);
        assert_eq!(s["two"], vec!["gamma"]);
        assert_eq!(country_of_demonym("lebanese"), Some("Lebanon"));
        assert_eq!(country_of_demonym("congolese"), Some("Democratic Republic of the Congo"));
        assert_eq!(country_of_demonym("table"), None);
    }
}
