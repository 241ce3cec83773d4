//! Markdown fields (bodies, inline measure text, the notice, list intros;
//! the list is model/texts.rs): `[[id]]` links to nothing or to narrower
//! items, malformed scope blocks and marker look-alikes, raw HTML that
//! sanitising will remove.

use crate::diag::{Code, Diagnostic, Location};
use crate::load::SourceFile;
use crate::model::body::{markers, scope_blocks, wiki_links, ScopeBlock};
use crate::model::{Kind, Place, Site, Text};

/// Every Markdown field of the site (model/texts.rs), in parallel; then
/// markers written in fields that are not Markdown.
pub fn check(site: &Site) -> Vec<Diagnostic> {
    use rayon::prelude::*;
    let fields = site.markdown();
    let mut out: Vec<Diagnostic> = fields
        .par_iter()
        .flat_map_iter(|t| {
            let mut out = Vec::new();
            one(site, t, &mut out);
            out
        })
        .collect();
    for i in 0..site.sources.len() {
        front_matter(site, i, &fields, &mut out);
    }
    out
}

/// Scope markers in the front matter outside any Markdown field (a
/// `basis` line, a title…): shown as typed, with the text they meant to
/// hide, so each is an error at its line. `fields` are the site's
/// Markdown fields.
pub fn front_matter(site: &Site, src_idx: usize, fields: &[Text], out: &mut Vec<Diagnostic>) {
    let src = &site.sources[src_idx];
    let front = &src.text[..src.body_start];
    for m in markers(front) {
        let typed = &front[m.at.0..m.at.1];
        let markdown = fields.iter().any(|t| {
            t.src == src_idx && matches!(t.place, Place::Field(_)) && t.text.contains(typed)
        });
        if markdown {
            continue;
        }
        let line = typed.lines().next().unwrap_or("");
        out.push(
            Diagnostic::new(
                Code::BadScopeBlock,
                Some(src.locate(m.at.0, m.at.0 + line.len())),
            )
            .arg("scope", line.chars().take(60).collect::<String>())
            .arg("allowed", site.config.scope_names().join(", ")),
        );
    }
}

/// Where byte range `a..b` of a Markdown field is in its file: exact in a
/// body; in a front-matter field, the first place after the field's value
/// starts (a block scalar's span is only its `|`) where the same text is
/// written, else the value.
fn locate(src: &SourceFile, t: &Text, a: usize, b: usize) -> Location {
    match &t.place {
        Place::Body => src.locate(src.body_start + a, src.body_start + b),
        Place::Field(path) => {
            let needle = &t.text[a..b];
            match src.spans.value_or_parent(path) {
                Some((x, y)) => match src.text[x..src.body_start.max(y)].find(needle) {
                    Some(i) if !needle.is_empty() => src.locate(x + i, x + i + needle.len()),
                    _ => src.locate(x, y),
                },
                None => src.field(path),
            }
        }
    }
}

/// One Markdown field: dangling links and links to narrower items, scope
/// markers, raw HTML that sanitising will remove.
pub fn one(site: &Site, t: &Text, out: &mut Vec<Diagnostic>) {
    let src = &site.sources[t.src];
    let blocks = blocks(site, src, t, out);
    for l in wiki_links(t.text) {
        let at = || Some(locate(src, t, l.start, l.end));
        let Some((kind, _)) = site.lookup(&l.id) else {
            if !super::refs::unreadable(site, None, &l.id) {
                out.push(Diagnostic::new(Code::DanglingLink, at()).arg("id", l.id.clone()));
            }
            continue;
        };
        // a link inside a narrower block is only shown to that audience
        let inside = blocks
            .iter()
            .filter(|b| b.open.1 <= l.start && l.end <= b.close.0)
            .filter_map(|b| site.config.scope_of_marker(&b.scope))
            .max();
        let from = inside.map_or(t.scope, |s| s.max(t.scope));
        let target = scope_of(site, kind, &l.id);
        if target > from {
            out.push(
                Diagnostic::new(Code::ScopeInversion, at())
                    .arg("id", l.id.clone())
                    .arg("scope", site.config.scopes[from].label.clone())
                    .arg("target", site.config.scopes[target].label.clone()),
            );
        }
    }
    if !site.config.unsafe_html {
        if let Some((a, b)) = raw_script(t.text) {
            out.push(Diagnostic::new(Code::RawScript, Some(locate(src, t, a, b))));
        }
    }
}

fn scope_of(site: &Site, kind: Kind, id: &str) -> usize {
    super::refs::scope_of(site, kind, id).unwrap_or(0)
}

/// The field's scope blocks; an unknown scope name, an unclosed or stray
/// marker, or a marker look-alike is an error at its line.
fn blocks(site: &Site, src: &SourceFile, t: &Text, out: &mut Vec<Diagnostic>) -> Vec<ScopeBlock> {
    let allowed = || site.config.scope_names().join(", ");
    match scope_blocks(t.text) {
        Ok(blocks) => {
            for b in &blocks {
                if site.config.scope_of_marker(&b.scope).is_none() {
                    let at = locate(src, t, b.open.0, b.open.1);
                    out.push(
                        Diagnostic::new(Code::BadScopeBlock, Some(at))
                            .arg("scope", b.scope.clone())
                            .arg("allowed", allowed()),
                    );
                }
            }
            blocks
        }
        Err(e) => {
            let typed = t.text[e.at.0..e.at.1].lines().next().unwrap_or("");
            let shown: String = typed.chars().take(60).collect();
            let at = locate(src, t, e.at.0, e.at.0 + typed.len());
            out.push(
                Diagnostic::new(Code::BadScopeBlock, Some(at))
                    .arg("scope", shown)
                    .arg("allowed", allowed()),
            );
            Vec::new()
        }
    }
}

/// The first `<script`, `on…=` handler or `javascript:` URL in a body.
fn raw_script(body: &str) -> Option<(usize, usize)> {
    // Every pattern below needs a `<` or a `:`: most bodies have neither.
    memchr::memchr2(b'<', b':', body.as_bytes())?;
    let lower = body.to_ascii_lowercase();
    let mut hits: Vec<(usize, usize)> = Vec::new();
    for pat in ["<script", "javascript:"] {
        if let Some(i) = lower.find(pat) {
            hits.push((i, i + pat.len()));
        }
    }
    // an event handler attribute inside a tag: ` onerror=`, ` onclick =`
    let bytes = lower.as_bytes();
    let mut in_tag = false;
    for (i, &c) in bytes.iter().enumerate() {
        match c {
            b'<' => in_tag = true,
            b'>' => in_tag = false,
            b'o' if in_tag
                && i > 0
                && bytes[i - 1].is_ascii_whitespace()
                && lower[i..].starts_with("on") =>
            {
                let name_len = lower[i + 2..]
                    .bytes()
                    .take_while(u8::is_ascii_alphabetic)
                    .count();
                let after = lower[i + 2 + name_len..].trim_start();
                if name_len > 0 && after.starts_with('=') {
                    hits.push((i, i + 2 + name_len));
                    break;
                }
            }
            _ => {}
        }
    }
    hits.into_iter().min()
}

#[cfg(test)]
mod tests {
    use super::raw_script;

    #[test]
    fn finds_scripts_and_handlers() {
        assert!(raw_script("a <script>x</script>").is_some());
        assert!(raw_script("<img src=x onerror=alert(1)>").is_some());
        assert!(raw_script("[x](javascript:alert(1))").is_some());
        assert!(raw_script("one=two, <b>bold</b> only").is_none());
    }
}
