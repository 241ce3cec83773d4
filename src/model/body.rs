//! The syntax gongshi adds to Markdown fields (bodies, inline measure
//! text, the notice…): `[[ID]]` links and `<!-- scope: NAME -->` …
//! `<!-- /scope -->` blocks, and which HTML comments a field holds.
//!
//! Scope markers have one tolerant grammar, used by `check`, the scope
//! filter and so every renderer: the keyword in any case, spaces (also
//! U+3000) anywhere between the tokens, and the full-width forms a
//! Chinese IME types (`＜！－－ ｓｃｏｐｅ：ｉｎｔｅｒｎａｌ －－＞`, `——`).
//! Anything else that mentions `scope` inside a `<!`/`<！` construct is a
//! [`MarkerKind::Malformed`] marker: an error, and the filter cuts from it
//! on, so a misspelt marker is never published without a word.

/// A `[[ID]]` link: byte range of the whole `[[…]]` and the id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WikiLink {
    pub start: usize,
    pub end: usize,
    pub id: String,
}

/// Every `[[ID]]` outside fenced code blocks and inline code.
pub fn wiki_links(body: &str) -> Vec<WikiLink> {
    let mut out = Vec::new();
    let mut pos = 0;
    let mut fenced = false;
    for line in body.split_inclusive('\n') {
        let start = pos;
        pos += line.len();
        let t = line.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        let mut in_code = false;
        let mut i = 0;
        let bytes = line.as_bytes();
        // Straight to the next backtick or bracket: bodies are long, links few.
        while let Some(next) = memchr::memchr2(b'`', b'[', &bytes[i..]) {
            i += next;
            if bytes[i] == b'`' {
                in_code = !in_code;
            } else if !in_code && bytes[i..].starts_with(b"[[") {
                if let Some(close) = line[i + 2..].find("]]") {
                    let id = &line[i + 2..i + 2 + close];
                    if !id.is_empty() && !id.contains(['[', ']', '\n']) {
                        out.push(WikiLink {
                            start: start + i,
                            end: start + i + close + 4,
                            id: id.trim().to_string(),
                        });
                        i += close + 4;
                        continue;
                    }
                }
            }
            i += 1;
        }
    }
    out
}

/// `text` with each `[[ID]]` link replaced by what `with` writes for it
/// (the one splice every reader of links uses: titles in plain text and
/// Markdown, links dropped by the scope filter). Borrowed when the text
/// has no link.
pub fn replace_links<'t>(
    text: &'t str,
    mut with: impl FnMut(&WikiLink, &mut String),
) -> std::borrow::Cow<'t, str> {
    if !text.contains("[[") {
        return text.into();
    }
    let links = wiki_links(text);
    if links.is_empty() {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + links.len() * 32);
    let mut pos = 0;
    for l in &links {
        out.push_str(&text[pos..l.start]);
        with(l, &mut out);
        pos = l.end;
    }
    out.push_str(&text[pos..]);
    out.into()
}

mod marker;

pub use marker::{markers, Marker, MarkerKind};

/// A scope block: the byte ranges of its opening and closing markers and
/// the scope it names (folded to lower case).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopeBlock {
    pub open: (usize, usize),
    pub close: (usize, usize),
    pub scope: String,
}

/// What is wrong with a field's markers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockProblem {
    /// An opening marker with no closing one before the next opening.
    Unclosed,
    /// A closing marker with no block open.
    StrayClose,
    /// Something that looks like a marker and is not one.
    Malformed,
}

/// A malformed block: where, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockError {
    pub at: (usize, usize),
    pub problem: BlockProblem,
}

/// Finds the scope blocks of a field. Blocks do not nest; the first
/// problem ends the search.
pub fn scope_blocks(body: &str) -> Result<Vec<ScopeBlock>, BlockError> {
    let mut out = Vec::new();
    let mut open: Option<((usize, usize), String)> = None;
    let fail = |at, problem| Err(BlockError { at, problem });
    for m in markers(body) {
        match m.kind {
            MarkerKind::Malformed => return fail(m.at, BlockProblem::Malformed),
            MarkerKind::Open(scope) => {
                if let Some((at, _)) = open {
                    return fail(at, BlockProblem::Unclosed);
                }
                open = Some((m.at, scope));
            }
            MarkerKind::Close => match open.take() {
                Some((at, scope)) => out.push(ScopeBlock {
                    open: at,
                    close: m.at,
                    scope,
                }),
                None => return fail(m.at, BlockProblem::StrayClose),
            },
        }
    }
    match open {
        Some((at, _)) => fail(at, BlockProblem::Unclosed),
        None => Ok(out),
    }
}

/// The field with every block whose scope `keep` rejects removed, and the
/// markers of kept blocks removed too. A malformed field is cut from the
/// first problem on (check reports it; the build refuses it anyway).
pub fn cut_scopes(body: &str, keep: impl Fn(&str) -> bool) -> String {
    let blocks = match scope_blocks(body) {
        Ok(b) => b,
        Err(e) => return body[..e.at.0].to_string(),
    };
    let mut out = String::with_capacity(body.len());
    let mut pos = 0;
    for b in blocks {
        out.push_str(&body[pos..b.open.0]);
        if keep(&b.scope) {
            out.push_str(&body[b.open.1..b.close.0]);
        }
        pos = b.close.1;
    }
    out.push_str(&body[pos..]);
    out
}

/// The byte ranges of the HTML comments of a field: `<!--` to the next
/// `-->`, any other `<!` to the next `>` (what a browser hides as a
/// comment), an unclosed one to the end. Code spans are not exempt.
pub fn comments(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut pos = 0;
    while let Some(i) = text[pos..].find("<!").map(|i| pos + i) {
        let end = if text[i..].starts_with("<!--") {
            text[i + 4..].find("-->").map(|j| i + 4 + j + 3)
        } else {
            text[i + 2..].find('>').map(|j| i + 2 + j + 1)
        };
        let end = end.unwrap_or(text.len());
        out.push((i, end));
        pos = end;
    }
    out
}

/// The field without its HTML comments; `None` when it has none.
pub fn strip_comments(text: &str) -> Option<String> {
    let found = comments(text);
    if found.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for (a, b) in found {
        out.push_str(&text[pos..a]);
        pos = b;
    }
    out.push_str(&text[pos..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_outside_code() {
        let b = "见[[R-001]]与`[[R-002]]`\n```\n[[R-003]]\n```\n[[ M-01 ]]";
        let ids: Vec<_> = wiki_links(b).into_iter().map(|l| l.id).collect();
        assert_eq!(ids, ["R-001", "M-01"]);
    }

    #[test]
    fn blocks_are_cut() {
        let b = "公开\n<!-- scope: internal -->\n内部\n<!-- /scope -->\n尾";
        assert_eq!(cut_scopes(b, |s| s == "public"), "公开\n\n尾");
        assert_eq!(cut_scopes(b, |_| true), "公开\n\n内部\n\n尾");
        assert!(scope_blocks("<!-- scope: internal -->x").is_err());
        assert!(scope_blocks("x<!-- /scope -->").is_err());
        let b = "a<！-- Scope：internal --＞b<!--/scope-->c";
        assert_eq!(cut_scopes(b, |s| s == "public"), "ac");
        assert_eq!(cut_scopes(b, |s| s == "internal"), "abc");
        assert_eq!(cut_scopes("a<!-- scope internal -->b", |_| true), "a");
    }

    #[test]
    fn comments_are_stripped() {
        let t = "a<!-- 备注 -->b<!DOCTYPE x>c<!--\n多行\n-->d<!-- 未结束";
        assert_eq!(strip_comments(t).as_deref(), Some("abcd"));
        assert_eq!(strip_comments("a < b"), None);
    }
}
