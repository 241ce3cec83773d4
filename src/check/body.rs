//! Bodies: `[[id]]` links to nothing, malformed scope blocks, raw HTML
//! that sanitising will remove.

use crate::diag::{Code, Diagnostic};
use crate::model::body::{scope_blocks, wiki_links};
use crate::model::Site;

pub fn check(site: &Site) -> Vec<Diagnostic> {
    use rayon::prelude::*;
    let mut bodies: Vec<(usize, &str)> = site
        .metas()
        .into_iter()
        .map(|(_, m)| (m.src, m.body.as_str()))
        .collect();
    if let Some(src) = site.notice.src {
        bodies.push((src, &site.notice.body));
    }
    bodies.extend(site.sections.values().map(|s| (s.src, s.body.as_str())));
    bodies
        .par_iter()
        .flat_map_iter(|&(src_idx, body)| {
            let mut out = Vec::new();
            one(site, src_idx, body, &mut out);
            out
        })
        .collect()
}

/// The body `body` of source `src_idx`.
pub fn one(site: &Site, src_idx: usize, body: &str, out: &mut Vec<Diagnostic>) {
    let src = &site.sources[src_idx];
    let base = src.body_start;
    for l in wiki_links(body) {
        if site.lookup(&l.id).is_none() && !super::refs::unreadable(site, None, &l.id) {
            out.push(
                Diagnostic::new(
                    Code::DanglingLink,
                    Some(src.locate(base + l.start, base + l.end)),
                )
                .arg("id", l.id.clone()),
            );
        }
    }
    match scope_blocks(body) {
        Ok(blocks) => {
            for b in blocks {
                if site.config.scope_index(&b.scope).is_none() {
                    out.push(
                        Diagnostic::new(
                            Code::BadScopeBlock,
                            Some(src.locate(base + b.open.0, base + b.open.1)),
                        )
                        .arg("scope", b.scope.clone())
                        .arg("allowed", site.config.scope_names().join(", ")),
                    );
                }
            }
        }
        Err(e) => out.push(
            Diagnostic::new(
                Code::BadScopeBlock,
                Some(src.locate(base + e.at.0, base + e.at.1)),
            )
            .arg("scope", &body[e.at.0..e.at.1])
            .arg("allowed", site.config.scope_names().join(", ")),
        ),
    }
    if !site.config.unsafe_html {
        if let Some((a, b)) = raw_script(body) {
            out.push(Diagnostic::new(
                Code::RawScript,
                Some(src.locate(base + a, base + b)),
            ));
        }
    }
}

/// The first `<script`, `on…=` handler or `javascript:` URL in a body.
fn raw_script(body: &str) -> Option<(usize, usize)> {
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
