//! Which id each row gets: the id it names; else the existing item its
//! title names within its department ([`super::existing`]); else a fresh
//! `R-001`-style number that no file of `content/` holds and no version
//! under the output folder ever gave another item — a published number is
//! never given again, so the change log shows a removal and an addition,
//! not one risk turned into another.

use super::existing::{TitleMatch, Titles};
use super::rows::{Note, Record};
use super::{cells, Outcome, Report, RowReport};
use crate::i18n::Lang;
use crate::model::{is_id, Kind, Site};
use crate::render::export::Field;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Ids a new item may not take.
#[derive(Debug, Default)]
pub struct Taken {
    /// Ids of the site's items and of files in the kind's folder, with
    /// the file holding each.
    pub files: BTreeMap<String, String>,
    /// Ids of the kind in any version's `data.json` under the output
    /// folder, of any audience.
    pub published: BTreeSet<String>,
}

impl Taken {
    pub fn of(root: &Path, out: &Path, site: &Site, kind: Kind) -> Taken {
        Taken {
            files: in_content(root, site, kind),
            published: published(out, site, kind),
        }
    }

    /// Whether a fresh number may be `id`.
    pub fn is_free(&self, id: &str) -> bool {
        !self.files.contains_key(id) && !self.published.contains(id)
    }
}

/// Ids of `kind` already used: by items of the site and by files in its folder.
fn in_content(root: &Path, site: &Site, kind: Kind) -> BTreeMap<String, String> {
    let mut taken = BTreeMap::new();
    for (k, m) in site.metas() {
        if k == kind {
            let path = site
                .sources
                .get(m.src)
                .map(|s| s.path.clone())
                .unwrap_or_default();
            taken.insert(m.id.clone(), path);
        }
    }
    let dir = root.join("content").join(kind.folder());
    for e in walkdir::WalkDir::new(&dir).into_iter().flatten() {
        let p = e.path();
        if p.extension().is_some_and(|x| x == "md") {
            if let Some(stem) = p.file_stem().and_then(|s| s.to_str()) {
                let rel = p
                    .strip_prefix(root)
                    .unwrap_or(p)
                    .to_string_lossy()
                    .replace('\\', "/");
                taken.entry(stem.to_string()).or_insert(rel);
            }
        }
    }
    taken
}

/// The ids of a version's `data.json`; everything else is skipped unkept.
#[derive(serde::Deserialize, Default)]
struct Doc {
    #[serde(default)]
    risks: Vec<Id>,
    #[serde(default)]
    powers: Vec<Id>,
    #[serde(default)]
    posts: Vec<Id>,
}

#[derive(serde::Deserialize)]
struct Id {
    id: String,
}

/// Ids of `kind` in every version folder of every audience below `out`
/// (`out/<scope>/<version>/data.json`), published or only built: each was
/// seen by someone. A version whose `data.json` is missing or unreadable
/// adds nothing.
fn published(out: &Path, site: &Site, kind: Kind) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for scope in &site.config.scopes {
        for v in crate::write::versions(out, &scope.name) {
            let path = out.join(&scope.name).join(&v).join("data.json");
            let Ok(bytes) = std::fs::read(path) else {
                continue;
            };
            let doc: Doc = serde_json::from_slice(&bytes).unwrap_or_default();
            let list = match kind {
                Kind::Risk => doc.risks,
                Kind::Power => doc.powers,
                Kind::Post => doc.posts,
                _ => Vec::new(),
            };
            ids.extend(list.into_iter().map(|x| x.id));
        }
    }
    ids
}

/// How a row's id was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// Written in the row's 编号 cell.
    Written,
    /// The site's item with the row's title in its department.
    Title,
    /// A row above with the same title in the same department.
    Row(usize),
    /// Several items have the title: (their ids).
    Several(Vec<String>),
    /// A fresh number.
    New,
}

/// The id given to a row with a title.
#[derive(Debug, Clone)]
pub struct Assigned {
    pub id: String,
    pub found: Found,
    pub notes: Vec<Note>,
}

/// Gives every row with a title an id: its 编号 when that is a usable id
/// (letters and digits, not a bare running number, not used twice in the
/// sheet); else the id of the existing item (or row above) of its title in
/// its department (`department` reads a row's); else the next free
/// number. Rows without a title are reported (blank or skipped) and get
/// `None`.
pub fn assign(
    kind: Kind,
    lang: Lang,
    records: &[Record],
    taken: &Taken,
    titles: &mut Titles,
    department: impl Fn(&Record) -> Option<String>,
    report: &mut Report,
) -> Vec<Option<Assigned>> {
    let mut batch: BTreeSet<String> = BTreeSet::new();
    let mut written: Vec<Option<String>> = Vec::new();
    for rec in records {
        let title = cells::clean(rec.get(Field::Title));
        if title.is_empty() {
            report.rows.push(untitled(kind, lang, rec));
            written.push(None);
            continue;
        }
        let w = cells::clean(rec.get(Field::Id));
        let usable = is_id(&w) && w.chars().any(|c| c.is_ascii_alphabetic());
        let keep = usable && batch.insert(w.clone());
        written.push(Some(if keep { w } else { String::new() }));
    }
    // then, in the sheet's order, match titles and number the rest
    let mut n = 0;
    let mut out = Vec::new();
    for (w, rec) in written.into_iter().zip(records) {
        let Some(w) = w else {
            out.push(None);
            continue;
        };
        let title = cells::clean(rec.get(Field::Title));
        let dept = department(rec);
        let (id, found) = if !w.is_empty() {
            (w, Found::Written)
        } else {
            match titles.find(&title, dept.as_deref()) {
                TitleMatch::Item(id) => (id, Found::Title),
                TitleMatch::Row(row, id) => (id, Found::Row(row)),
                TitleMatch::Several(ids) => (String::new(), Found::Several(ids)),
                TitleMatch::New => {
                    let fresh = loop {
                        n += 1;
                        let c = numbered(kind, n);
                        if taken.is_free(&c) && !batch.contains(&c) {
                            break c;
                        }
                    };
                    batch.insert(fresh.clone());
                    (fresh, Found::New)
                }
            }
        };
        let mut notes = Vec::new();
        if found == Found::New {
            notes.push(new_id_note(rec, &id));
        }
        if matches!(found, Found::New | Found::Written) && !taken.files.contains_key(&id) {
            titles.add_row(rec.row, &id, &title, dept.as_deref());
        }
        out.push(Some(Assigned { id, found, notes }));
    }
    out
}

fn new_id_note(rec: &Record, id: &str) -> Note {
    let written = cells::clean(rec.get(Field::Id));
    if written.is_empty() {
        Note::new("import.note.id_new", vec![("id", id.to_string())], false)
    } else {
        let args = vec![("value", written), ("id", id.to_string())];
        Note::new("import.note.id_replaced", args, false)
    }
}

/// The report of a row without a title: blank, or skipped for want of one.
fn untitled(kind: Kind, lang: Lang, rec: &Record) -> RowReport {
    let outcome = if rec.is_blank() {
        Outcome::Blank
    } else {
        let what = crate::render::export::heading(lang, kind, Field::Title);
        Outcome::Skipped(Note::new(
            "import.skip.missing",
            vec![("what", what)],
            false,
        ))
    };
    RowReport {
        row: rec.row,
        outcome,
        id: None,
        // what the row does hold, to recognise it by
        title: rec
            .cells
            .values()
            .map(|v| cells::clean(v).replace('\n', " "))
            .find(|v| !v.is_empty())
            .map(|v| v.chars().take(24).collect())
            .unwrap_or_default(),
        path: None,
        notes: Vec::new(),
    }
}

/// The `n`th id of `kind`'s numbering: `R-001`, `QL-01`, `P-01`.
pub fn numbered(kind: Kind, n: usize) -> String {
    let (pre, width) = match kind {
        Kind::Risk => ("R-", 3),
        Kind::Power => ("QL-", 2),
        _ => ("P-", 2),
    };
    format!("{pre}{n:0width$}")
}
