//! Dangling references and scope inversions (a wider item citing a
//! narrower one, which the wider audience's site will not show).

use crate::diag::{Code, Diagnostic, Location};
use crate::model::{Kind, Meta, Site};

/// The scope of the item `id` of `kind`, if it exists.
pub(super) fn scope_of(site: &Site, kind: Kind, id: &str) -> Option<usize> {
    match kind {
        Kind::Notice => Some(site.notice.scope),
        _ => Some(site.meta(kind, id)?.scope),
    }
}

/// One reference from `from` (its field at `path`) to `id` of `kind`.
fn reference(
    site: &Site,
    out: &mut Vec<Diagnostic>,
    from: &Meta,
    path: &str,
    kind: Kind,
    id: &str,
) {
    let src = &site.sources[from.src];
    match scope_of(site, kind, id) {
        None if unreadable(site, Some(kind), id) => {}
        None => out.push(dangling(site, src.field(path), path, kind, id)),
        Some(scope) if scope > from.scope => out.push(
            Diagnostic::new(Code::ScopeInversion, Some(src.field(path)))
                .arg("id", id)
                .arg("scope", site.config.scopes[from.scope].label.clone())
                .arg("target", site.config.scopes[scope].label.clone()),
        ),
        Some(_) => {}
    }
}

/// A reference to nothing, with the hint that fits what was written:
/// several ids joined by a full-width comma, an item's name instead of its
/// id, a near-miss of one id, or else the advice to create it.
fn dangling(site: &Site, at: Location, path: &str, kind: Kind, id: &str) -> Diagnostic {
    use crate::model::fields::{fullwidth_char, is_id};
    if let Some(c) = fullwidth_char(id) {
        let parts: Vec<&str> = id
            .split(['，', '、', '；', '：', '\u{3000}'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        return Diagnostic::new(Code::FullWidthInValue, Some(at))
            .arg("field", path)
            .arg("value", id)
            .arg("char", c.to_string())
            .arg("fixed", format!("[{}]", parts.join(", ")));
    }
    let d = Diagnostic::new(Code::DanglingRef, Some(at))
        .arg("field", path)
        .arg("id", id)
        .arg("kind", kind.folder());
    let metas: Vec<&Meta> = site
        .metas()
        .into_iter()
        .filter(|(k, _)| *k == kind)
        .map(|(_, m)| m)
        .collect();
    let name = id.trim();
    let by_title: Vec<&&Meta> = match metas.iter().filter(|m| m.title == name).count() {
        0 => metas
            .iter()
            .filter(|m| !name.is_empty() && (m.title.contains(name) || name.contains(&m.title)))
            .collect(),
        _ => metas.iter().filter(|m| m.title == name).collect(),
    };
    if let [m] = by_title.as_slice() {
        return d
            .arg("suggest", format!("{}（{}）", m.id, m.title))
            .arg("suggest_id", m.id.clone())
            .hint_variant("title");
    }
    // an id one keystroke away (R-0O1, r-001), and only one such
    let close: Vec<&&Meta> = metas
        .iter()
        .filter(|m| strsim::damerau_levenshtein(&m.id.to_lowercase(), &name.to_lowercase()) <= 1)
        .collect();
    if let [m] = close.as_slice() {
        return d.arg("nearest", m.id.clone()).hint_variant("nearest");
    }
    if is_id(name) {
        d
    } else {
        d.hint_variant("not_id")
    }
}

/// Whether the file for `id` (in `kind`'s folder, if given) exists but gave
/// no item because it could not be parsed. Its own error says so; calling
/// every reference to it dangling too would send the writer to other files.
pub(super) fn unreadable(site: &Site, kind: Option<Kind>, id: &str) -> bool {
    site.sources.iter().enumerate().any(|(i, s)| {
        let rel = s.path.strip_prefix("content/").unwrap_or(&s.path);
        let folder = rel.split('/').next().unwrap_or("");
        let name = rel.rsplit('/').next().unwrap_or("");
        let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
        stem == id
            && kind.is_none_or(|k| folder == k.folder())
            && !site.metas().iter().any(|(_, m)| m.src == i)
    })
}

/// Checks every field that names another item ([`Site::refs`]).
pub fn check(site: &Site, out: &mut Vec<Diagnostic>) {
    site.refs(|from, field, id| {
        reference(site, out, from, &field.to_string(), field.kind(), id);
    });
}
