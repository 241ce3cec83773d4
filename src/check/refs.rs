//! Dangling references and scope inversions (a wider item citing a
//! narrower one, which the wider audience's site will not show).

use crate::diag::{Code, Diagnostic, Location};
use crate::model::{Kind, MeasureUse, Meta, Site};

/// The scope of the item `id` of `kind`, if it exists.
pub(super) fn scope_of(site: &Site, kind: Kind, id: &str) -> Option<usize> {
    Some(match kind {
        Kind::Department => site.department(id)?.meta.scope,
        Kind::Post => site.post(id)?.meta.scope,
        Kind::Power => site.power(id)?.meta.scope,
        Kind::Flow => site.flow(id)?.meta.scope,
        Kind::Risk => site.risk(id)?.meta.scope,
        Kind::Measure => site.measure(id)?.meta.scope,
        Kind::Page => site.page(id)?.meta.scope,
        Kind::Notice => site.notice.scope,
    })
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

fn opt(
    site: &Site,
    out: &mut Vec<Diagnostic>,
    from: &Meta,
    path: &str,
    kind: Kind,
    id: &Option<String>,
) {
    if let Some(id) = id {
        reference(site, out, from, path, kind, id);
    }
}

fn list(
    site: &Site,
    out: &mut Vec<Diagnostic>,
    from: &Meta,
    path: &str,
    kind: Kind,
    ids: &[String],
) {
    for (i, id) in ids.iter().enumerate() {
        reference(site, out, from, &format!("{path}.{i}"), kind, id);
    }
}

/// Checks every field that names another item.
pub fn check(site: &Site, out: &mut Vec<Diagnostic>) {
    for d in &site.departments {
        opt(site, out, &d.meta, "head", Kind::Post, &d.head);
        opt(site, out, &d.meta, "parent", Kind::Department, &d.parent);
    }
    for p in &site.posts {
        opt(
            site,
            out,
            &p.meta,
            "department",
            Kind::Department,
            &p.department,
        );
        opt(site, out, &p.meta, "reports_to", Kind::Post, &p.reports_to);
        list(
            site,
            out,
            &p.meta,
            "incompatible",
            Kind::Post,
            &p.incompatible,
        );
    }
    for p in &site.powers {
        opt(
            site,
            out,
            &p.meta,
            "department",
            Kind::Department,
            &p.department,
        );
        list(site, out, &p.meta, "posts", Kind::Post, &p.posts);
        opt(site, out, &p.meta, "flow", Kind::Flow, &p.flow);
    }
    for f in &site.flows {
        opt(site, out, &f.meta, "power", Kind::Power, &f.power);
        for (i, s) in f.steps.iter().enumerate() {
            opt(
                site,
                out,
                &f.meta,
                &format!("steps.{i}.post"),
                Kind::Post,
                &s.post,
            );
            list(
                site,
                out,
                &f.meta,
                &format!("steps.{i}.risks"),
                Kind::Risk,
                &s.risks,
            );
        }
    }
    for r in &site.risks {
        opt(
            site,
            out,
            &r.meta,
            "department",
            Kind::Department,
            &r.department,
        );
        list(site, out, &r.meta, "posts", Kind::Post, &r.posts);
        opt(site, out, &r.meta, "power", Kind::Power, &r.power);
        for (i, m) in r.measures.iter().enumerate() {
            if let MeasureUse::Shared { id } = m {
                reference(
                    site,
                    out,
                    &r.meta,
                    &format!("measures.{i}.ref"),
                    Kind::Measure,
                    id,
                );
            }
        }
    }
}
