//! Scope markers as people type them. One grammar, after folding each
//! character (full-width ASCII forms → ASCII, dashes → `-`, any white
//! space → ` `, ASCII lower case):
//!
//! ```text
//! open   = "<!--" ws* "scope" ws* ":" ws* NAME ws* "-->"
//! close  = "<!--" ws* "/" ws* "scope" ws* "-->"
//! ```
//!
//! A construct is `<` or `＜` followed by `!` or `！`; it runs to the first
//! `-->` when it starts with `<!--`, else to the first `>` (to the end of
//! the text when there is none). A construct that mentions `scope` and is
//! neither form is [`MarkerKind::Malformed`].

/// What a marker is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MarkerKind {
    /// Opens a block for the scope named (folded, so lower case).
    Open(String),
    Close,
    /// Looks like a marker but is not one.
    Malformed,
}

/// A marker and its byte range in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker {
    pub at: (usize, usize),
    pub kind: MarkerKind,
}

/// A character as the grammar sees it.
fn fold(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0)
            .unwrap_or(c)
            .to_ascii_lowercase(),
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' => '-',
        c if c.is_whitespace() => ' ',
        c => c.to_ascii_lowercase(),
    }
}

/// Every marker and marker look-alike of `text`, in order.
pub fn markers(text: &str) -> Vec<Marker> {
    if !text.contains('<') && !text.contains('＜') {
        return Vec::new();
    }
    let folded: Vec<(usize, char)> = text.char_indices().map(|(i, c)| (i, fold(c))).collect();
    let byte_at = |k: usize| folded.get(k).map_or(text.len(), |&(b, _)| b);
    let mut out = Vec::new();
    let mut i = 0;
    while i + 1 < folded.len() {
        if folded[i].1 != '<' || folded[i + 1].1 != '!' {
            i += 1;
            continue;
        }
        let end = construct_end(&folded, i);
        let construct: String = folded[i..end].iter().map(|&(_, c)| c).collect();
        if construct.contains("scope") {
            out.push(Marker {
                at: (byte_at(i), byte_at(end)),
                kind: parse(&construct),
            });
        }
        i = end.max(i + 1);
    }
    out
}

/// The index after the construct starting at `start` (a folded `<!`).
fn construct_end(folded: &[(usize, char)], start: usize) -> usize {
    let is = |k: usize, c: char| folded.get(k).is_some_and(|&(_, x)| x == c);
    let dashed = is(start + 2, '-') && is(start + 3, '-');
    let from = if dashed { start + 4 } else { start + 2 };
    let closes = |k: &usize| !dashed || (*k >= from + 2 && is(k - 1, '-') && is(k - 2, '-'));
    (from..folded.len())
        .filter(|&k| folded[k].1 == '>')
        .find(closes)
        .map_or(folded.len(), |k| k + 1)
}

/// A folded construct that mentions `scope`.
fn parse(construct: &str) -> MarkerKind {
    let inner = construct
        .strip_prefix("<!--")
        .and_then(|r| r.strip_suffix("-->"))
        .map(str::trim);
    let Some(inner) = inner else {
        return MarkerKind::Malformed;
    };
    if let Some(rest) = inner.strip_prefix('/') {
        return match rest.trim_start() {
            "scope" => MarkerKind::Close,
            _ => MarkerKind::Malformed,
        };
    }
    let name = inner
        .strip_prefix("scope")
        .and_then(|r| r.trim_start().strip_prefix(':'))
        .map(str::trim);
    match name {
        Some(n) if !n.is_empty() && !n.contains([' ', '<', '>', ':']) => {
            MarkerKind::Open(n.to_string())
        }
        _ => MarkerKind::Malformed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<MarkerKind> {
        markers(text).into_iter().map(|m| m.kind).collect()
    }

    #[test]
    fn spellings() {
        let open = || MarkerKind::Open("internal".into());
        for t in [
            "<!-- scope: internal -->",
            "<!--scope:internal-->",
            "<!-- Scope : INTERNAL -->",
            "<！-- scope：internal --＞",
            "＜！－－ｓｃｏｐｅ：ｉｎｔｅｒｎａｌ－－＞",
            "<!——scope: internal——>",
            "<!--\u{3000}scope：\u{3000}internal\u{3000}-->",
        ] {
            assert_eq!(kinds(t), [open()], "{t}");
        }
        for t in ["<!-- /scope -->", "<!--/Scope-->", "<！-- ／ scope --＞"] {
            assert_eq!(kinds(t), [MarkerKind::Close], "{t}");
        }
        for t in [
            "<!-- scope internal -->",
            "<!-- scopes: internal -->",
            "<!-- scope: internal ->",
            "<! -- scope: internal -- >",
            "<!-- /scope: internal -->",
            "<!-- scope: -->",
            "<!-- 范围 scope 待定 -->",
            "<!-- scope: internal",
        ] {
            assert_eq!(kinds(t), [MarkerKind::Malformed], "{t}");
        }
        assert_eq!(kinds("<!-- 备注 --> a < b, <!x>"), []);
    }

    #[test]
    fn ranges_are_bytes_of_the_text() {
        let t = "前<！-- scope：internal --＞后";
        let m = &markers(t)[0];
        assert_eq!(&t[m.at.0..m.at.1], "<！-- scope：internal --＞");
    }
}
