//! Markdown bodies to safe HTML: pulldown-cmark (tables, footnotes,
//! strikethrough), `[[ID]]` links resolved to the item's title, heading
//! anchors, and ammonia sanitising unless `unsafe_html` is set.

use crate::model::body;
use pulldown_cmark::{html, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::collections::BTreeSet;
use std::sync::OnceLock;

/// Renders `body`. `resolve` gives the title and root-relative href of an
/// id; `root` is the prefix from the page to the version root ("../").
pub fn render(
    body: &str,
    root: &str,
    unsafe_html: bool,
    resolve: &dyn Fn(&str) -> Option<(String, String)>,
) -> String {
    if body.trim().is_empty() {
        return String::new();
    }
    let source = replace_links(body, root, resolve);
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    opts.insert(Options::ENABLE_FOOTNOTES);
    opts.insert(Options::ENABLE_STRIKETHROUGH);
    let events: Vec<Event> = Parser::new_ext(&source, opts).collect();
    let plain = unsafe_html || events.iter().all(needs_no_sanitising);
    let events = anchor_headings(events);
    let mut out = String::with_capacity(source.len() * 3 / 2);
    html::push_html(&mut out, events.into_iter());
    if plain {
        out
    } else {
        sanitizer().clean(&out).to_string()
    }
}

/// Whether pulldown-cmark's HTML for `e` is safe as it is: it escapes all
/// text and attribute values itself, and every element and attribute it
/// writes for Markdown is one the sanitiser keeps. Only raw HTML, and link
/// or image addresses the sanitiser would drop (`javascript:`, `data:`),
/// make the body go through ammonia (which parses the whole HTML again).
fn needs_no_sanitising(e: &Event) -> bool {
    match e {
        Event::Html(_) | Event::InlineHtml(_) => false,
        Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
            plain_address(dest_url)
        }
        _ => true,
    }
}

/// A relative address, or one with a scheme the sanitiser keeps.
fn plain_address(url: &str) -> bool {
    if url.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return false;
    }
    match url.find(':') {
        None => true,
        Some(i) if url[..i].contains(['/', '?', '#']) => true,
        Some(i) => matches!(&url[..i], "http" | "https" | "mailto" | "tel"),
    }
}

/// `[[ID]]` → a Markdown link showing the item's title.
fn replace_links(
    body: &str,
    root: &str,
    resolve: &dyn Fn(&str) -> Option<(String, String)>,
) -> String {
    body::replace_links(body, |l, out| match resolve(&l.id) {
        Some((title, href)) => {
            out.push('[');
            escape_markdown(&title, out);
            out.push_str("](");
            out.push_str(root);
            out.push_str(&href);
            out.push(')');
        }
        None => out.push_str(&l.id),
    })
    .into_owned()
}

/// `text` into `out` with Markdown's syntax characters escaped, so a
/// title reads as written wherever it is spliced into Markdown.
pub fn escape_markdown(text: &str, out: &mut String) {
    for c in text.chars() {
        if "\\[]*_`<>!&#".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
}

/// Gives every heading an id (`h-` + its text) so it can be linked to.
fn anchor_headings(mut events: Vec<Event>) -> Vec<Event> {
    let mut used = BTreeSet::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { id: None, .. }) = &events[i] {
            let mut text = String::new();
            let mut j = i + 1;
            while j < events.len() && !matches!(events[j], Event::End(TagEnd::Heading(_))) {
                if let Event::Text(t) | Event::Code(t) = &events[j] {
                    text.push_str(t);
                }
                j += 1;
            }
            let base = slug(&text);
            let mut id = base.clone();
            let mut n = 1;
            while !used.insert(id.clone()) {
                n += 1;
                id = format!("{base}-{n}");
            }
            if let Event::Start(Tag::Heading {
                level,
                classes,
                attrs,
                ..
            }) = &events[i]
            {
                let level: HeadingLevel = *level;
                events[i] = Event::Start(Tag::Heading {
                    level,
                    id: Some(CowStr::from(id)),
                    classes: classes.clone(),
                    attrs: attrs.clone(),
                });
            }
        }
        i += 1;
    }
    events
}

/// `h-` + letters, digits and CJK of the text, other runs as `-`.
fn slug(text: &str) -> String {
    let mut s = String::from("h-");
    let mut dash = false;
    for c in text.trim().chars() {
        if c.is_alphanumeric() {
            s.extend(c.to_lowercase());
            dash = false;
        } else if !dash && s.len() > 2 {
            s.push('-');
            dash = true;
        }
    }
    s.trim_end_matches('-').to_string()
}

fn sanitizer() -> &'static ammonia::Builder<'static> {
    static B: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    B.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.add_generic_attributes(["id", "class"]);
        b.add_tag_attributes("td", ["style"]);
        b.add_tag_attributes("th", ["style"]);
        b.link_rel(None);
        b
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(id: &str) -> Option<(String, String)> {
        (id == "R-001").then(|| {
            (
                "违规<b>审批</b>".to_string(),
                "risks/R-001.html".to_string(),
            )
        })
    }

    #[test]
    fn links_headings_and_tables() {
        let html = render(
            "## 风险 表现\n\n见[[R-001]]。\n\n|a|b|\n|-|-|\n|1|2|\n",
            "../",
            false,
            &resolve,
        );
        assert!(html.contains(r#"<h2 id="h-风险-表现">"#), "{html}");
        assert!(
            html.contains(r#"<a href="../risks/R-001.html">违规&lt;b&gt;审批&lt;/b&gt;</a>"#),
            "{html}"
        );
        assert!(html.contains("<table>"));
    }

    #[test]
    fn scripts_are_inert() {
        let html = render(
            "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[x](javascript:alert(1))",
            "",
            false,
            &resolve,
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
    }

    #[test]
    fn addresses_the_sanitiser_drops_are_dropped_without_raw_html_too() {
        for body in [
            "[x](javascript:alert(1))",
            "[x](JavaScript:alert(1))",
            "![x](data:image/svg+xml;base64,PHN2Zz4=)",
            "[x](vbscript:msgbox)",
        ] {
            let html = render(body, "", false, &resolve);
            let lower = html.to_lowercase();
            assert!(
                !lower.contains("script:") && !lower.contains("data:"),
                "{body} → {html}"
            );
        }
        // Plain Markdown keeps its links, footnotes, tables and anchors.
        let html = render(
            "## 标题\n\n[站内](../a.html#x) [外部](https://example.cn/?a=1&b=2) \
             [信](mailto:a@b.cn)[^1]\n\n[^1]: 注\n\n|a|\n|:-:|\n|\"引\"|\n",
            "",
            false,
            &resolve,
        );
        for part in [
            r#"<h2 id="h-标题">"#,
            r#"href="../a.html#x""#,
            r#"href="https://example.cn/?a=1&amp;b=2""#,
            r#"href="mailto:a@b.cn""#,
            r#"class="footnote-definition""#,
            r#"<td style="text-align: center">"#,
        ] {
            assert!(html.contains(part), "{part} not in {html}");
        }
    }
}
