//! The source reader: a source's text with every claim's passage marked and
//! labelled, each mark an anchor (`#claim-…`) that figures link to.

use dossier_model::{Claim, ClaimKind, Span};
use maud::{html, Markup, PreEscaped};

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Figures first: when passages overlap, the count keeps its mark and the
/// other claim gets an anchor at its start.
fn priority(k: ClaimKind) -> u8 {
    if ClaimKind::COUNTS.contains(&k) {
        0
    } else if k == ClaimKind::Perpetrator {
        1
    } else {
        2
    }
}

/// `body[start..end]` escaped, with each protected mention (`masks`: span
/// and pseudonym) shown as its pseudonym where the mention begins.
fn escape_masked(body: &str, start: usize, end: usize, masks: &[(Span, String)]) -> String {
    let mut out = String::new();
    let mut pos = start;
    for (span, label) in masks.iter().filter(|(s, _)| s.start < end && s.end > start) {
        if span.start >= pos {
            out.push_str(&escape(&body[pos..span.start]));
            out.push_str(&format!("<span class=\"person\" title=\"a protected person\">{}</span>", escape(label)));
        }
        pos = span.end.min(end).max(pos);
    }
    out.push_str(&escape(&body[pos..end]));
    out
}

/// The body as HTML with marks. Every claim id gets an element with its id;
/// protected persons' mentions (`masks`) read as their pseudonyms.
pub fn marked_text(body: &str, claims: &[Claim], masks: &[(Span, String)]) -> Markup {
    let masks: Vec<(Span, String)> =
        masks.iter().filter(|(s, _)| s.start < s.end && s.slice(body).is_some()).cloned().collect();
    let escape = |range: std::ops::Range<usize>| escape_masked(body, range.start, range.end, &masks);
    let mut ordered: Vec<&Claim> =
        claims.iter().filter(|c| c.span.slice(body).is_some() && c.span.start < c.span.end).collect();
    ordered.sort_by_key(|c| (priority(c.kind), c.span.start));
    let mut marks: Vec<&Claim> = Vec::new();
    let mut anchors: Vec<&Claim> = Vec::new();
    for c in ordered {
        if marks.iter().any(|m| m.span.start < c.span.end && c.span.start < m.span.end) {
            anchors.push(c);
        } else {
            marks.push(c);
        }
    }
    marks.sort_by_key(|c| c.span.start);
    anchors.sort_by_key(|c| c.span.start);
    let mut out = String::with_capacity(body.len() * 2);
    let mut pos = 0;
    let mut pending = anchors.into_iter().peekable();
    let flush_anchors =
        |out: &mut String, upto: usize, pending: &mut std::iter::Peekable<std::vec::IntoIter<&Claim>>| {
            while let Some(a) = pending.peek().filter(|a| a.span.start <= upto) {
                out.push_str(&format!("<a class=\"anchor\" id=\"claim-{}\"></a>", a.id));
                pending.next();
            }
        };
    for m in marks {
        // Text up to the mark, with any anchors that start in it.
        while let Some(a) = pending.peek().filter(|a| a.span.start < m.span.start).copied() {
            out.push_str(&escape(pos..a.span.start.max(pos)));
            pos = a.span.start.max(pos);
            flush_anchors(&mut out, pos, &mut pending);
        }
        out.push_str(&escape(pos..m.span.start));
        out.push_str(&format!(
            "<mark id=\"claim-{}\" class=\"{}\" title=\"{} — according to {}\">",
            m.id,
            m.kind.as_str(),
            m.kind.as_str(),
            self::escape(m.according_to.as_str())
        ));
        let mut inner = m.span.start;
        while let Some(a) = pending.peek().filter(|a| a.span.start < m.span.end).copied() {
            out.push_str(&escape(inner..a.span.start.max(inner)));
            inner = a.span.start.max(inner);
            flush_anchors(&mut out, inner, &mut pending);
        }
        out.push_str(&escape(inner..m.span.end));
        out.push_str(&format!("<span class=\"label\">{}</span></mark>", m.kind.as_str()));
        pos = m.span.end;
    }
    while let Some(a) = pending.peek().copied() {
        out.push_str(&escape(pos..a.span.start.max(pos)));
        pos = a.span.start.max(pos);
        flush_anchors(&mut out, pos, &mut pending);
    }
    out.push_str(&escape(pos..body.len()));
    html! { div.reader { (PreEscaped(out)) } }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dossier_model::{Attribution, ClaimStatus, ClaimValue, Count, SourceId, Span};

    fn claim(kind: ClaimKind, start: usize, end: usize) -> Claim {
        let source = SourceId::parse("src-0123456789abcdef").unwrap();
        let span = Span::new(start, end);
        Claim {
            id: Claim::id_for(&source, kind, span),
            kind,
            source,
            span,
            text: String::new(),
            sentence: span,
            according_to: Attribution::Party("<b>police</b>".into()),
            status: ClaimStatus::Extracted,
            value: ClaimValue::Count(Count {
                min: None,
                max: None,
                qualifier: "exact".into(),
                population: None,
                attackers: false,
            }),
            review: None,
            moved: None,
            frame: 0,
        }
    }

    #[test]
    fn protected_mentions_read_as_pseudonyms() {
        let body = "Mr. ############, has been abducted.";
        let case = claim(ClaimKind::Case, 4, 34);
        let html = marked_text(body, &[case], &[(Span::new(4, 16), "Person <X>".into())]).into_string();
        assert!(!html.contains('#'), "{html}");
        assert!(html.contains("Mr. <mark"), "{html}");
        assert!(
            html.contains("<span class=\"person\" title=\"a protected person\">Person &lt;X&gt;</span>, has been"),
            "{html}"
        );
    }

    #[test]
    fn marks_escape_text_and_every_claim_gets_an_anchor() {
        let body = "<script>x</script> 36 residents massacred in Camp Ashraf.";
        let killed = claim(ClaimKind::Killed, 19, 41);
        let inside = claim(ClaimKind::Perpetrator, 22, 31);
        let place = claim(ClaimKind::IncidentPlace, 45, 56);
        let html = marked_text(body, &[place.clone(), inside.clone(), killed.clone()], &[]).into_string();
        assert!(html.starts_with("<div class=\"reader\">&lt;script&gt;x&lt;/script&gt; "), "{html}");
        assert!(html.contains(&format!("<mark id=\"claim-{}\" class=\"killed\"", killed.id)), "{html}");
        assert!(html.contains(&format!("<a class=\"anchor\" id=\"claim-{}\"></a>", inside.id)), "{html}");
        assert!(html.contains(&format!("<mark id=\"claim-{}\" class=\"incident_place\"", place.id)), "{html}");
        assert!(html.contains("according to &lt;b&gt;police&lt;/b&gt;"), "{html}");
        assert!(!html.contains("<script>"));
        // The text itself comes through whole, around the anchor and outside the labels.
        let text = html.replace(&format!("<a class=\"anchor\" id=\"claim-{}\"></a>", inside.id), "");
        assert!(text.contains("36 residents massacred<span class=\"label\">killed</span></mark> in "), "{text}");
    }
}
