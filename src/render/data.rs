//! `data.json`: the audience's model as data (SPEC §5) — every kind as an
//! array of items with their fields normalised, grades by canonical name.
//! Read back (typed) by `crate::history` for the change log and charts.

use crate::history::Snapshot;
use crate::model::Site;
use crate::write::Rendered;
use rayon::prelude::*;
use serde_json::{json, Value};

/// The `data.json` document of one audience's filtered site.
pub fn document(site: &Site, audience: usize) -> Value {
    let cfg = &site.config;
    let risks: Vec<Value> = site
        .risks
        .iter()
        .map(|r| {
            let mut v = serde_json::to_value(r)
                .expect("a risk is text, numbers and lists: it always makes a JSON value");
            v["grade"] = json!(cfg.grades[r.grade].name);
            v
        })
        .collect();
    json!({
        "version": cfg.version,
        "version_label": cfg.version_label,
        "scope": cfg.scopes[audience].name,
        "grades": cfg.grades.iter().map(|g| &g.name).collect::<Vec<_>>(),
        "notice": site.notice,
        "departments": site.departments,
        "posts": site.posts,
        "powers": site.powers,
        "flows": site.flows,
        "risks": risks,
        "measures": site.measures,
        "pages": site.pages,
    })
}

/// Where `data.json` goes in the version folder.
pub const PATH: &str = crate::history::DATA_JSON;

pub fn render(site: &Site, audience: usize) -> Rendered {
    Rendered {
        path: PATH.into(),
        bytes: bytes(site, audience),
    }
}

/// Writes `data.json` into `sink`.
pub fn render_into(
    site: &Site,
    audience: usize,
    sink: &dyn crate::write::Sink,
) -> Result<(), super::RenderError> {
    super::put(sink, PATH, bytes(site, audience))
}

/// The text of [`document`] as `serde_json::to_string_pretty` writes it,
/// without building the whole tree: each item is made a value (which
/// sorts its keys, as the whole document's would), printed and indented
/// on its own, in parallel.
pub fn bytes(site: &Site, audience: usize) -> Vec<u8> {
    let cfg = &site.config;
    let mut out = Vec::with_capacity(site.risks.len() * 4096);
    out.extend_from_slice(b"{");
    let mut first = true;
    let mut key = |out: &mut Vec<u8>, name: &str| {
        out.extend_from_slice(if first { b"\n  \"" } else { b",\n  \"" });
        first = false;
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(b"\": ");
    };
    // Keys in the order a sorted map prints them.
    key(&mut out, "departments");
    array(&mut out, &site.departments, |d| serde_json::to_value(d));
    key(&mut out, "flows");
    array(&mut out, &site.flows, |f| serde_json::to_value(f));
    key(&mut out, "grades");
    let grades: Vec<&String> = cfg.grades.iter().map(|g| &g.name).collect();
    array(&mut out, &grades, |g| serde_json::to_value(g));
    key(&mut out, "measures");
    array(&mut out, &site.measures, |m| serde_json::to_value(m));
    key(&mut out, "notice");
    out.extend(pretty(serde_json::to_value(&site.notice), 1));
    key(&mut out, "pages");
    array(&mut out, &site.pages, |p| serde_json::to_value(p));
    key(&mut out, "posts");
    array(&mut out, &site.posts, |p| serde_json::to_value(p));
    key(&mut out, "powers");
    array(&mut out, &site.powers, |p| serde_json::to_value(p));
    key(&mut out, "risks");
    array(&mut out, &site.risks, |r| {
        let mut v = serde_json::to_value(r)?;
        v["grade"] = json!(cfg.grades[r.grade].name);
        Ok(v)
    });
    key(&mut out, "scope");
    out.extend(pretty(Ok(json!(cfg.scopes[audience].name)), 1));
    key(&mut out, "version");
    out.extend(pretty(Ok(json!(cfg.version)), 1));
    key(&mut out, "version_label");
    out.extend(pretty(Ok(json!(cfg.version_label)), 1));
    out.extend_from_slice(b"\n}");
    out
}

/// A pretty-printed array at depth 1 of the document, its items made in
/// parallel.
fn array<T: Sync>(
    out: &mut Vec<u8>,
    items: &[T],
    value: impl Fn(&T) -> serde_json::Result<Value> + Sync,
) {
    if items.is_empty() {
        out.extend_from_slice(b"[]");
        return;
    }
    out.extend_from_slice(b"[");
    // A batch at a time, its items printed in parallel and appended in
    // order: only one batch's text is held besides the document.
    let mut first = true;
    for batch in items.chunks(1024) {
        let printed: Vec<Vec<u8>> = batch
            .par_chunks(64)
            .map(|chunk| {
                let mut text = Vec::new();
                for item in chunk {
                    text.extend_from_slice(b",\n    ");
                    text.extend(pretty(value(item), 2));
                }
                text
            })
            .collect();
        for text in printed {
            // The first item has no comma before it.
            out.extend_from_slice(if first { &text[1..] } else { &text });
            first = false;
        }
    }
    out.extend_from_slice(b"\n  ]");
}

/// A value printed as `to_string_pretty` prints it `depth` levels down:
/// every line after the first indented two spaces a level (strings hold
/// no raw line breaks, so only structure is indented).
fn pretty(value: serde_json::Result<Value>, depth: usize) -> Vec<u8> {
    let text = value
        .and_then(|v| serde_json::to_vec_pretty(&v))
        .expect("the model is text, numbers and lists keyed by text: it always prints as JSON");
    let indent = "  ".repeat(depth);
    let mut out = Vec::with_capacity(text.len() + text.len() / 8);
    for (i, line) in text.split(|&b| b == b'\n').enumerate() {
        if i > 0 {
            out.push(b'\n');
            out.extend_from_slice(indent.as_bytes());
        }
        out.extend_from_slice(line);
    }
    out
}

/// What the versions list shows of one version (from the typed history,
/// or the version being built).
#[derive(Debug, Clone, serde::Serialize)]
pub struct VersionSummary {
    pub version: String,
    /// `version_label` of that version's config, when it had one: what the
    /// list shows instead of the folder name.
    pub label: Option<String>,
    /// The notice's date.
    pub date: Option<String>,
    /// Risks per grade of the current config (a grade name the config no
    /// longer has is not counted), and their total.
    pub counts: Vec<u32>,
    pub total: u32,
}

/// The summary of the version in folder `name`, from its snapshot.
pub fn summary(site: &Site, name: &str, data: &Snapshot) -> VersionSummary {
    let mut counts = vec![0u32; site.config.grades.len()];
    for r in &data.risks {
        if let Some(i) = site.config.grade_index(&r.grade) {
            counts[i] += 1;
        }
    }
    VersionSummary {
        version: name.to_string(),
        label: data.version_label.clone(),
        date: data.notice.date.clone(),
        counts,
        total: data.risks.len() as u32,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The streamed text is byte for byte what printing the whole
    /// document gives, with and without empty lists.
    #[test]
    fn bytes_are_the_pretty_document() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let checked = crate::pipeline::check(root).expect("example config");
        for audience in 0..checked.site.config.scopes.len() {
            let mut site = crate::scope::filter(&checked.site, audience).clone_site();
            let whole = serde_json::to_string_pretty(&document(&site, audience)).unwrap();
            assert_eq!(String::from_utf8(bytes(&site, audience)).unwrap(), whole);
            site.measures.clear();
            site.pages.clear();
            let whole = serde_json::to_string_pretty(&document(&site, audience)).unwrap();
            assert_eq!(String::from_utf8(bytes(&site, audience)).unwrap(), whole);
        }
    }
}
