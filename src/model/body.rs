//! The two pieces of syntax gongshi adds to Markdown bodies:
//! `[[ID]]` links and `<!-- scope: NAME -->` … `<!-- /scope -->` blocks.

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
        while i < bytes.len() {
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

/// A scope block: the byte ranges of its opening and closing comments and
/// the scope it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopeBlock {
    pub open: (usize, usize),
    pub close: (usize, usize),
    pub scope: String,
}

/// A malformed block: where, and whether it is unclosed (else a stray close).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockError {
    pub at: (usize, usize),
    pub unclosed: bool,
}

const OPEN: &str = "<!-- scope:";
const CLOSE: &str = "<!-- /scope -->";

/// Finds the scope blocks of a body. Blocks do not nest.
pub fn scope_blocks(body: &str) -> Result<Vec<ScopeBlock>, BlockError> {
    let mut out = Vec::new();
    let mut pos = 0;
    loop {
        let next_open = body[pos..].find(OPEN).map(|i| pos + i);
        let next_close = body[pos..].find(CLOSE).map(|i| pos + i);
        match (next_open, next_close) {
            (None, None) => return Ok(out),
            (None, Some(c)) => {
                return Err(BlockError {
                    at: (c, c + CLOSE.len()),
                    unclosed: false,
                })
            }
            (Some(o), c) if c.is_some_and(|c| c < o) => {
                let c = c.unwrap_or(o);
                return Err(BlockError {
                    at: (c, c + CLOSE.len()),
                    unclosed: false,
                });
            }
            (Some(o), _) => {
                let Some(end) = body[o..].find("-->").map(|i| o + i + 3) else {
                    return Err(BlockError {
                        at: (o, o + OPEN.len()),
                        unclosed: true,
                    });
                };
                let scope = body[o + OPEN.len()..end - 3].trim().to_string();
                let Some(c) = body[end..].find(CLOSE).map(|i| end + i) else {
                    return Err(BlockError {
                        at: (o, end),
                        unclosed: true,
                    });
                };
                if body[end..c].contains(OPEN) {
                    return Err(BlockError {
                        at: (o, end),
                        unclosed: true,
                    });
                }
                out.push(ScopeBlock {
                    open: (o, end),
                    close: (c, c + CLOSE.len()),
                    scope,
                });
                pos = c + CLOSE.len();
            }
        }
    }
}

/// The body with every block whose scope `keep` rejects removed, and the
/// markers of kept blocks removed too. A malformed body is cut from the
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
    }
}
