//! Separate events told in one report: a report about one attack often goes
//! on "In a separate incident, gunmen killed three police in Mosul." Such a
//! passage opens an event of its own (a frame), so that its figures are not
//! counted as the main event's and its place and type stay its own.

use dossier_model::Span;

/// Openings that announce a separate event (matched case-insensitively at the
/// start of a sentence).
const CUES: [&str; 8] = [
    "in a separate ",
    "in another ",
    "in a second ",
    "in an unrelated ",
    "separately,",
    "separately ",
    "elsewhere,",
    "elsewhere in ",
];

/// Whether a sentence opens a separate event.
pub(crate) fn opens_separate_event(sentence: &str) -> bool {
    let start: String = sentence.trim_start_matches(|c: char| !c.is_alphanumeric()).chars().take(20).collect();
    let start = start.to_lowercase();
    CUES.iter().any(|cue| start.starts_with(cue))
}

/// The passages that tell separate events: each is a cue sentence and the
/// sentences after it in the same paragraph, up to the next cue.
pub(crate) fn passages(body: &str, sentences: &[Span]) -> Vec<Vec<Span>> {
    let text = |s: &Span| body.get(s.start..s.end).unwrap_or("");
    let new_paragraph =
        |prev: &Span, next: &Span| body.get(prev.end..next.start).is_some_and(|gap| gap.contains("\n\n"));
    let mut out: Vec<Vec<Span>> = Vec::new();
    let mut current: Option<Vec<Span>> = None;
    for (i, s) in sentences.iter().enumerate() {
        if opens_separate_event(text(s)) {
            out.extend(current.take());
            current = Some(vec![*s]);
            continue;
        }
        if let Some(passage) = current.as_mut() {
            if i > 0 && new_paragraph(&sentences[i - 1], s) {
                out.extend(current.take());
            } else {
                passage.push(*s);
            }
        }
    }
    out.extend(current);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cues_open_a_separate_event_only_at_the_start_of_a_sentence() {
        assert!(opens_separate_event("In a separate incident, gunmen killed three."));
        assert!(opens_separate_event("“Separately, police found two bodies."));
        assert!(opens_separate_event("Elsewhere in Diyala, a bomb killed four."));
        assert!(!opens_separate_event("Police said in a separate statement that seven died."));
        assert!(!opens_separate_event("Another attack was feared."));
    }

    #[test]
    fn a_passage_runs_to_the_end_of_its_paragraph_or_the_next_cue() {
        let body = "A bomb killed 9. Police came.\n\nIn a separate attack, 3 died. Gunmen fled. Separately, 2 were hurt.\n\nThe end.";
        let sentences = crate::text::sentences(body);
        let got: Vec<Vec<&str>> =
            passages(body, &sentences).iter().map(|p| p.iter().map(|s| &body[s.start..s.end]).collect()).collect();
        assert_eq!(got, vec![vec!["In a separate attack, 3 died.", "Gunmen fled."], vec!["Separately, 2 were hurt."]]);
    }
}
