//! HTML to text with a real HTML parser (html5ever through scraper): scripts,
//! styles, frames and embedded objects dropped; blocks become paragraphs.

use ego_tree::iter::Edge;
use scraper::{Html, Node};

/// Metadata found in an HTML head.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HeadMeta {
    /// `<title>` or `og:title`.
    pub title: Option<String>,
    /// `<meta name="author">`.
    pub author: Option<String>,
    /// `article:published_time` or `<meta name="date">`.
    pub published: Option<String>,
    /// `<html lang>`.
    pub language: Option<String>,
}

/// A page as text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageText {
    /// Visible text, paragraphs separated by blank lines.
    pub text: String,
    /// Head metadata.
    pub head: HeadMeta,
}

const DROPPED: [&str; 14] = [
    "script", "style", "noscript", "template", "iframe", "frame", "frameset", "object", "embed", "svg", "math",
    "canvas", "head", "select",
];

const BLOCKS: [&str; 33] = [
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "table",
    "section",
    "article",
    "header",
    "footer",
    "blockquote",
    "pre",
    "nav",
    "aside",
    "main",
    "figure",
    "figcaption",
    "dt",
    "dd",
    "dl",
    "hr",
    "form",
    "address",
    "details",
    "summary",
    "body",
];

/// Deepest element nesting accepted. html5ever's scope checks cost time in
/// proportion to depth, so hostile pages nested thousands deep are refused
/// before parsing instead of stalling ingestion.
pub const MAX_NESTING: usize = 4000;

const VOID: [&str; 14] =
    ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr", "param"];
const SELF_CLOSING_SIBLINGS: [&str; 9] = ["p", "li", "td", "th", "tr", "option", "dt", "dd", "html"];

/// A cheap estimate of the deepest element nesting, from start and end tags
/// (void and sibling-closed elements ignored; comments and raw text skipped).
pub fn nesting_estimate(html: &str) -> usize {
    let bytes = html.as_bytes();
    let (mut depth, mut deepest, mut i) = (0usize, 0usize, 0usize);
    while let Some(off) = bytes[i..].iter().position(|&b| b == b'<') {
        i += off + 1;
        if bytes[i..].starts_with(b"!--") {
            i = html[i..].find("-->").map_or(bytes.len(), |e| i + e + 3);
            continue;
        }
        let closing = bytes.get(i) == Some(&b'/');
        let start = if closing { i + 1 } else { i };
        let len = bytes[start..].iter().take_while(|b| b.is_ascii_alphanumeric()).count();
        if len == 0 {
            continue;
        }
        let name = html[start..start + len].to_ascii_lowercase();
        if VOID.contains(&name.as_str()) || SELF_CLOSING_SIBLINGS.contains(&name.as_str()) {
            continue;
        }
        if closing {
            depth = depth.saturating_sub(1);
        } else if name == "script" || name == "style" {
            let end = format!("</{name}");
            i = html[i..].to_ascii_lowercase().find(&end).map_or(bytes.len(), |e| i + e);
        } else {
            let self_closed = html[start..].find('>').is_some_and(|gt| html[start..start + gt].ends_with('/'));
            if !self_closed {
                depth += 1;
                deepest = deepest.max(depth);
            }
        }
    }
    deepest
}

/// Converts an HTML document to text.
pub fn html_to_text(html: &str) -> PageText {
    let doc = Html::parse_document(html);
    let mut out = String::new();
    let mut skip_depth = 0usize;
    let mut head = HeadMeta::default();
    let mut in_title = false;
    let mut title = String::new();
    for edge in doc.tree.root().traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(el) => {
                    let name = el.name();
                    if name == "title" {
                        in_title = true;
                    }
                    if name == "meta" {
                        read_meta(el, &mut head);
                    }
                    if name == "html" {
                        head.language = el.attr("lang").map(|l| l.trim().to_string()).filter(|l| !l.is_empty());
                    }
                    if DROPPED.contains(&name) {
                        skip_depth += 1;
                    } else if skip_depth == 0 && name == "br" {
                        out.push('\n');
                    } else if skip_depth == 0 && BLOCKS.contains(&name) {
                        out.push_str("\n\n");
                    }
                }
                Node::Text(t) => {
                    if in_title {
                        title.push_str(t);
                    } else if skip_depth == 0 {
                        push_collapsed(&mut out, t);
                    }
                }
                _ => {}
            },
            Edge::Close(node) => {
                if let Node::Element(el) = node.value() {
                    let name = el.name();
                    if name == "title" {
                        in_title = false;
                    }
                    if DROPPED.contains(&name) {
                        skip_depth = skip_depth.saturating_sub(1);
                    } else if skip_depth == 0 && BLOCKS.contains(&name) {
                        out.push_str("\n\n");
                    }
                }
            }
        }
    }
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    if !title.is_empty() && head.title.is_none() {
        head.title = Some(title);
    }
    PageText { text: tidy(&out), head }
}

fn read_meta(el: &scraper::node::Element, head: &mut HeadMeta) {
    let key = el.attr("name").or_else(|| el.attr("property")).unwrap_or_default().to_ascii_lowercase();
    let Some(content) = el.attr("content").map(str::trim).filter(|c| !c.is_empty()) else {
        return;
    };
    match key.as_str() {
        "author" => head.author = Some(content.to_string()),
        "og:title" => head.title = Some(content.to_string()),
        "article:published_time" | "date" | "dc.date" => head.published = Some(content.to_string()),
        _ => {}
    }
}

fn push_collapsed(out: &mut String, text: &str) {
    for (i, word) in text.split(|c: char| c.is_whitespace()).enumerate() {
        if i > 0 && !out.ends_with([' ', '\n']) && !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
}

/// Trims lines and collapses runs of blank lines to one.
fn tidy(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut blank_run = 0;
    for line in raw.lines().map(str::trim) {
        if line.is_empty() {
            blank_run += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank_run > 0 { "\n\n" } else { "\n" });
        }
        blank_run = 0;
        out.push_str(&line.split(' ').filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" "));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_styles_and_frames_are_dropped() {
        let page = html_to_text(
            "<html lang=en><head><title>Raid</title><style>p{}</style><script>alert('x')</script></head>\
             <body><nav>Skip to content</nav><p>Seven   people\nwere killed.</p><iframe src=x>frame</iframe>\
             <script>document.write('bad')</script><p>Second <i>para</i>.</p></body></html>",
        );
        assert_eq!(page.text, "Skip to content\n\nSeven people were killed.\n\nSecond para.");
        assert_eq!(page.head.title.as_deref(), Some("Raid"));
        assert_eq!(page.head.language.as_deref(), Some("en"));
    }

    #[test]
    fn entities_are_decoded_and_breaks_kept() {
        let page = html_to_text("<p>A &amp; B<br>C &lt;tag&gt;</p>");
        assert_eq!(page.text, "A & B\nC <tag>");
    }

    #[test]
    fn deep_nesting_is_measured_and_moderate_nesting_parses() {
        let html = "<div>".repeat(3_000) + "deep" + &"</div>".repeat(3_000);
        assert_eq!(nesting_estimate(&html), 3_000);
        assert_eq!(html_to_text(&html).text, "deep");
        let hostile = "<div><span>".repeat(50_000);
        assert_eq!(nesting_estimate(&hostile), 100_000);
    }

    #[test]
    fn ordinary_pages_are_shallow() {
        let page = "<html><head><meta charset=utf-8><script>if (a<b) {}</script></head><body>\
                    <ul><li>a<li>b</ul><p>one<p>two<br><img src=x><!-- <div> --></body></html>";
        assert_eq!(nesting_estimate(page), 2, "body, ul");
        assert_eq!(nesting_estimate(&"<p>para".repeat(100_000)), 0);
    }
}
