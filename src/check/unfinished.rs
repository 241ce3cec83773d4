//! Content that is not finished: the placeholder sentences of `gongshi
//! new`'s templates (在此填写……) and the notes `gongshi import` leaves as
//! comments for names it could not match. Either would otherwise pass
//! `check` and reach the pages (or leave a field silently empty).

use crate::diag::{Code, Diagnostic};
use crate::i18n::{tr, Lang};
use crate::model::Site;
use include_dir::{include_dir, Dir};
use std::sync::OnceLock;

/// The templates of `gongshi new`: their placeholder sentences.
static ARCHETYPES: Dir = include_dir!("$CARGO_MANIFEST_DIR/themes/default/archetypes");

/// What every placeholder sentence starts with.
const PREFIX: &str = "在此";

/// Every placeholder sentence of the templates: the text of a line (or of
/// a `text:` value) that starts with [`PREFIX`].
fn placeholders() -> &'static [String] {
    static LIST: OnceLock<Vec<String>> = OnceLock::new();
    LIST.get_or_init(|| {
        let mut out: Vec<String> = ARCHETYPES
            .files()
            .filter_map(|f| f.contents_utf8())
            .flat_map(str::lines)
            .map(|l| l.trim().trim_start_matches("text:").trim())
            .filter(|l| l.starts_with(PREFIX))
            .map(str::to_string)
            .collect();
        out.sort();
        out.dedup();
        out
    })
}

/// The start of an import comment (`# 导入时未能对应的…`) in each language.
fn import_prefixes() -> Vec<String> {
    [Lang::Zh, Lang::En]
        .iter()
        .map(|l| {
            let t = tr(*l, "import.comment.unmatched", &[]);
            t.split('{').next().unwrap_or("").to_string()
        })
        .filter(|p| !p.trim().is_empty())
        .collect()
}

/// Checks every source file (in parallel; the findings in file order).
pub fn check(site: &Site, out: &mut Vec<Diagnostic>) {
    use rayon::prelude::*;
    let prefixes = import_prefixes();
    let found: Vec<Vec<Diagnostic>> = (0..site.sources.len())
        .into_par_iter()
        .map(|i| {
            let mut found = Vec::new();
            file(site, i, &prefixes, &mut found);
            found
        })
        .collect();
    out.extend(found.into_iter().flatten());
}

/// Checks one source file (the fast path of `serve` re-checks one risk).
pub fn one(site: &Site, src: usize, out: &mut Vec<Diagnostic>) {
    file(site, src, &import_prefixes(), out);
}

fn file(site: &Site, i: usize, prefixes: &[String], out: &mut Vec<Diagnostic>) {
    let src = &site.sources[i];
    let mut pos = 0;
    for line in src.text.split_inclusive('\n') {
        let start = pos;
        pos += line.len();
        let body = line.trim_end();
        let lead = body.len() - body.trim_start().len();
        let trimmed = body.trim_start();
        // Every placeholder starts with 在此: most lines are passed over here.
        let placeholder = || placeholders().iter().find(|p| trimmed.contains(p.as_str()));
        if let Some(p) = trimmed.contains(PREFIX).then(placeholder).flatten() {
            let at = start + lead + trimmed.find(p.as_str()).unwrap_or(0);
            out.push(
                Diagnostic::new(Code::Placeholder, Some(src.locate(at, at + p.len())))
                    .arg("text", p.clone()),
            );
        }
        if start < src.body_start {
            if let Some(note) = trimmed.strip_prefix('#').map(str::trim_start) {
                if prefixes.iter().any(|p| note.starts_with(p.as_str())) {
                    out.push(
                        Diagnostic::new(
                            Code::ImportNote,
                            Some(src.locate(start + lead, start + body.len())),
                        )
                        .arg("note", note.to_string()),
                    );
                }
            }
        }
    }
}
