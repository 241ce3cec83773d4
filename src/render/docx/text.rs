//! Markdown fields as Word paragraphs: one paragraph per Markdown block,
//! strong text bold, headings in 黑体, list items numbered as written
//! (`1.`) or marked with `•`, `[[ID]]` links shown as the item's title.
//! Raw HTML tags and images are left out (bodies are text in the booklet).

use super::style::{fonts, HEITI};
use crate::model::{body::replace_links, Site};
use crate::render::markdown::escape_markdown;
use docx_rs::{Paragraph, Run};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// One run of text: its words and whether it is bold.
type Span = (String, bool);

/// A paragraph's runs and whether it is a heading.
#[derive(Debug, Default, PartialEq)]
pub struct Block {
    pub spans: Vec<Span>,
    pub heading: bool,
}

/// `markdown` (a field of the filtered site) as blocks of text.
pub fn blocks(site: &Site, markdown: &str) -> Vec<Block> {
    let source = replace_links(markdown, |l, out| {
        escape_markdown(site.link_title(&l.id), out)
    });
    parse(&source)
}

/// Markdown (links already resolved) as blocks of text.
fn parse(source: &str) -> Vec<Block> {
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    opts.insert(Options::ENABLE_STRIKETHROUGH);
    let mut out: Vec<Block> = Vec::new();
    let mut cur = Block::default();
    let mut strong = 0usize;
    // Per open list: the next number, or None for bullets.
    let mut lists: Vec<Option<u64>> = Vec::new();
    let flush = |cur: &mut Block, out: &mut Vec<Block>| {
        if cur.spans.iter().any(|(t, _)| !t.trim().is_empty()) {
            out.push(std::mem::take(cur));
        } else {
            *cur = Block::default();
        }
    };
    for ev in Parser::new_ext(source, opts) {
        match ev {
            Event::Start(Tag::Heading { .. }) => {
                flush(&mut cur, &mut out);
                cur.heading = true;
            }
            Event::Start(Tag::Strong) => strong += 1,
            Event::End(TagEnd::Strong) => strong = strong.saturating_sub(1),
            Event::Start(Tag::List(first)) => lists.push(first),
            Event::End(TagEnd::List(_)) => {
                lists.pop();
            }
            Event::Start(Tag::Item) => {
                flush(&mut cur, &mut out);
                let mark = match lists.last_mut() {
                    Some(Some(n)) => {
                        *n += 1;
                        format!("{}. ", *n - 1)
                    }
                    _ => "• ".to_string(),
                };
                cur.spans.push((mark, false));
            }
            Event::Text(t) | Event::Code(t) => push(&mut cur, &t, strong > 0),
            Event::SoftBreak
                if cur
                    .spans
                    .last()
                    .is_some_and(|(t, _)| t.ends_with(|c: char| c.is_ascii())) =>
            {
                push(&mut cur, " ", strong > 0)
            }
            Event::HardBreak => push(&mut cur, " ", strong > 0),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::CodeBlock
                | TagEnd::TableRow
                | TagEnd::TableHead,
            ) => flush(&mut cur, &mut out),
            Event::End(TagEnd::TableCell) => push(&mut cur, "　", false),
            _ => {}
        }
    }
    flush(&mut cur, &mut out);
    out
}

fn push(cur: &mut Block, text: &str, bold: bool) {
    match cur.spans.last_mut() {
        Some((t, b)) if *b == bold => t.push_str(text),
        _ => cur.spans.push((text.to_string(), bold)),
    }
}

/// The blocks of `markdown` as paragraphs of `style`; headings in 黑体.
pub fn paragraphs(site: &Site, markdown: &str, style: &str) -> Vec<Paragraph> {
    blocks(site, markdown)
        .into_iter()
        .map(|b| paragraph(b, style))
        .collect()
}

fn paragraph(b: Block, style: &str) -> Paragraph {
    let mut p = Paragraph::new().style(style);
    if b.heading {
        p = p.keep_next(true);
    }
    for (text, bold) in b.spans {
        let mut r = Run::new().add_text(text);
        if b.heading {
            r = r.fonts(fonts(HEITI));
        } else if bold {
            r = r.bold();
        }
        p = p.add_run(r);
    }
    p
}

/// Plain text of `markdown` on one line (for table cells).
pub fn one_line(site: &Site, markdown: &str) -> String {
    blocks(site, markdown)
        .into_iter()
        .map(|b| b.spans.into_iter().map(|s| s.0).collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(md: &str) -> Vec<(String, bool)> {
        parse(md)
            .into_iter()
            .map(|b| (b.spans.into_iter().map(|s| s.0).collect(), b.heading))
            .collect()
    }

    #[test]
    fn blocks_lists_and_headings_come_out_as_written() {
        let got = texts("## 一、总则\n\n第一段\n接着写。\n\n1. 甲\n2. 乙\n\n- 丙\n\n<b>x</b>");
        let want = [
            ("一、总则", true),
            ("第一段接着写。", false),
            ("1. 甲", false),
            ("2. 乙", false),
            ("• 丙", false),
            // inline HTML: its tags dropped, its text kept
            ("x", false),
        ];
        let want: Vec<(String, bool)> = want.iter().map(|(t, h)| (t.to_string(), *h)).collect();
        assert_eq!(got, want);
    }
}
