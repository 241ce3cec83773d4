//! `gongshi review`'s work: which items a request names, and writing each
//! one's stamp into its file with the lossless editor (`src/edit/`): only
//! the `reviewed` line changes (added at the end of the front matter when
//! there was none), the file keeps its encoding and line ends.

use super::Fingerprint;
use crate::edit::{self, Edit, EditError, NewValue, TextFile};
use crate::model::{Kind, ReviewState, Site};
use std::path::Path;

/// An item named by kind and id.
pub type Item = (Kind, String);

/// Why a request names no item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unknown {
    /// An id no stamped item has, with the nearest one when close.
    Id { id: String, nearest: Option<String> },
    /// The id of an item that takes no stamp (a free page).
    NotStamped { id: String, kind: Kind },
    /// `--department` naming no department.
    Department { id: String, nearest: Option<String> },
}

/// The items `ids`, `all` and `department` name, in kind then id order,
/// each once; or every id that names nothing.
pub fn select(
    site: &Site,
    ids: &[String],
    all: bool,
    department: Option<&str>,
) -> Result<Vec<Item>, Vec<Unknown>> {
    let stamped: Vec<Item> = site
        .metas()
        .into_iter()
        .filter(|(k, _)| k.stamped())
        .map(|(k, m)| (k, m.id.clone()))
        .collect();
    let mut unknown = Vec::new();
    let mut out: Vec<Item> = Vec::new();
    if all {
        out.extend(stamped.iter().cloned());
    }
    let names: Vec<String> = stamped.iter().map(|(_, id)| id.clone()).collect();
    for id in ids {
        let id = id.trim();
        let found: Vec<&Item> = stamped.iter().filter(|(_, i)| i == id).collect();
        if found.is_empty() {
            match site.lookup(id) {
                Some((kind, _)) => unknown.push(Unknown::NotStamped {
                    id: id.to_string(),
                    kind,
                }),
                None => unknown.push(Unknown::Id {
                    id: id.to_string(),
                    nearest: crate::model::fields::nearest(id, &names),
                }),
            }
        }
        out.extend(found.into_iter().cloned());
    }
    if let Some(d) = department {
        match site.department(d.trim()) {
            Some(_) => out.extend(of_department(site, d.trim())),
            None => {
                let ids: Vec<String> = site.departments.iter().map(|x| x.meta.id.clone()).collect();
                unknown.push(Unknown::Department {
                    id: d.to_string(),
                    nearest: crate::model::fields::nearest(d, &ids),
                });
            }
        }
    }
    if !unknown.is_empty() {
        return Err(unknown);
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// A department's items: itself, its posts, powers and risks, and the
/// flows of its powers.
fn of_department(site: &Site, d: &str) -> Vec<Item> {
    let is = |x: &Option<String>| x.as_deref() == Some(d);
    let mut out = vec![(Kind::Department, d.to_string())];
    fn ids(kind: Kind, v: Vec<&String>) -> Vec<Item> {
        v.into_iter().map(|id| (kind, id.clone())).collect()
    }
    out.extend(ids(
        Kind::Post,
        site.posts
            .iter()
            .filter(|x| is(&x.department))
            .map(|x| &x.meta.id)
            .collect(),
    ));
    let powers: Vec<&String> = site
        .powers
        .iter()
        .filter(|x| is(&x.department))
        .map(|x| &x.meta.id)
        .collect();
    out.extend(ids(
        Kind::Flow,
        site.flows
            .iter()
            .filter(|f| f.power.as_ref().is_some_and(|p| powers.contains(&p)))
            .map(|x| &x.meta.id)
            .collect(),
    ));
    out.extend(ids(Kind::Power, powers));
    out.extend(ids(
        Kind::Risk,
        site.risks
            .iter()
            .filter(|x| is(&x.department))
            .map(|x| &x.meta.id)
            .collect(),
    ));
    out
}

/// A value inside a one-line flow mapping: plain when it reads back the
/// same, else double-quoted.
fn flow_value(s: &str) -> String {
    if edit::yaml::plain_ok(s) && !s.contains([',', '[', ']', '{', '}']) {
        s.to_string()
    } else {
        edit::yaml::double_quoted(s)
    }
}

/// The stamp as written after `reviewed:`. The date is written plain (it
/// reads back as text, like every date of the content); the digests are
/// always quoted (some would read as numbers).
pub fn stamp_text(date: &str, by: &str, fp: &Fingerprint) -> String {
    format!(
        "{{date: {date}, by: {}, fingerprint: \"{}\", fields: \"{}\"}}",
        flow_value(by),
        fp.whole,
        fp.fields
    )
}

/// What stamping did.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Stamped now.
    pub stamped: Vec<Item>,
    /// Already current: left as they were.
    pub current: Vec<Item>,
    /// Files that could not be written: the file, the catalogue key of
    /// why, and the system's words when there are any.
    pub failed: Vec<(String, &'static str, String)>,
}

/// Stamps `items` of `site` (read from `root`) as reviewed on `date` by
/// `by`. Items whose stamp is current are left alone.
pub fn stamp(root: &Path, site: &Site, items: &[Item], date: &str, by: &str) -> Outcome {
    let mut out = Outcome::default();
    let reviews = site.reviews.clone().unwrap_or_else(|| super::assess(site));
    for (kind, id) in items {
        if reviews.state(*kind, id) == Some(&ReviewState::Current) {
            out.current.push((*kind, id.clone()));
            continue;
        }
        let (Some(meta), Some(fp)) = (site.meta(*kind, id), super::of(site, *kind, id)) else {
            continue;
        };
        let rel = &site.sources[meta.src].path;
        match write_stamp(&root.join(rel), &stamp_text(date, by, &fp)) {
            Ok(()) => out.stamped.push((*kind, id.clone())),
            Err((key, detail)) => out.failed.push((rel.clone(), key, detail)),
        }
    }
    out
}

/// Sets `reviewed:` of the file at `path` to `stamp`, changing nothing else.
fn write_stamp(path: &Path, stamp: &str) -> Result<(), (&'static str, String)> {
    let io = |e: std::io::Error| ("stamp.fail.io", e.to_string());
    let bytes = std::fs::read(path).map_err(io)?;
    let file = TextFile::decode(&bytes).map_err(|e| describe(&e))?;
    let edits = [Edit {
        path: "reviewed".into(),
        value: NewValue::Raw(stamp.to_string()),
    }];
    let text = edit::apply(&file.text, &edits, &[], None).map_err(|e| describe(&e))?;
    crate::write::file(path, &file.encode(&text)).map_err(io)
}

/// Why the editor refused, as a catalogue key.
fn describe(e: &EditError) -> (&'static str, String) {
    match e {
        EditError::NoFrontMatter => ("stamp.fail.front", String::new()),
        EditError::NotFound(p) | EditError::Verify(p) => ("stamp.fail.verify", p.clone()),
        EditError::Encoding => ("stamp.fail.encoding", String::new()),
    }
}
