//! `gongshi import`: a ledger (台账) spreadsheet to content files.
//!
//! read the file ([`table`]) → find the header row and what each column
//! means ([`headers`]) → each row to front matter and body, names matched
//! to ids ([`rows`], [`matcher`], [`cells`]) → plan one file per row
//! (`content/<kind>s/<id>.md`, never over an existing file without
//! `force`) → write, unless it is a dry run. The [`Report`] lists every
//! row: imported, in doubt (imported with guesses to check) or skipped.

pub mod cells;
pub mod existing;
pub mod guard;
pub mod headers;
pub mod ids;
pub mod ledger;
pub mod matcher;
pub mod ods;
pub mod package;
pub mod paths;
pub mod rows;
pub mod table;
pub mod update;
mod update_measures;
pub mod workbook;

use crate::diag::Diagnostic;
use crate::i18n::{tr, Lang};
use crate::model::{Kind, Site};
use headers::Col;
use matcher::{Matcher, Named};
use rows::{Draft, Lookups, Note, Record};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What `gongshi import` was asked.
pub struct Options {
    pub file: PathBuf,
    pub kind: Kind,
    pub sheet: Option<String>,
    pub dry_run: bool,
    pub force: bool,
    /// Rows that are existing items change those items in place
    /// ([`update`]), in the fields whose columns the sheet has.
    pub update: bool,
    /// The language of headings in notes and of comments written in files.
    pub lang: Lang,
}

/// Why nothing was imported.
#[derive(Debug)]
pub enum ImportError {
    Config(Vec<Diagnostic>),
    Read {
        path: PathBuf,
        detail: String,
    },
    Table(table::ReadError),
    /// No row names two known headings; what was looked for.
    NoHeader {
        expected: Vec<String>,
    },
    /// The header has no title column.
    NoTitle {
        expected: Vec<String>,
    },
    Write {
        path: String,
        detail: String,
    },
}

/// What became of one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Imported,
    /// Imported, with guesses listed in the notes.
    InDoubt,
    Skipped(Note),
    /// The site has the row's item already (by id, or by title within its
    /// department): nothing written, nothing created again.
    Exists,
    /// With `--update`: the item's file changed in these fields.
    Updated(Vec<crate::import::ledger::plan::Change>),
    /// With `--update`: the item already reads as the row; file untouched.
    Unchanged,
    Blank,
}

#[derive(Debug, Clone)]
pub struct RowReport {
    pub row: usize,
    pub outcome: Outcome,
    pub id: Option<String>,
    pub title: String,
    /// The file written (or to be written), relative to the site root.
    pub path: Option<String>,
    pub notes: Vec<Note>,
}

/// The whole import, for the report.
#[derive(Debug)]
pub struct Report {
    pub sheet: Option<String>,
    pub gbk: bool,
    pub header_row: usize,
    /// Headings understood (heading, column) and ignored.
    pub used: Vec<String>,
    pub ignored: Vec<String>,
    pub rows: Vec<RowReport>,
    pub dry_run: bool,
    pub update: bool,
}

impl Report {
    pub fn count(&self, f: impl Fn(&Outcome) -> bool) -> usize {
        self.rows.iter().filter(|r| f(&r.outcome)).count()
    }
}

/// The sheet names an export gives a kind, to find it in a workbook.
fn sheet_names(kind: Kind) -> Vec<String> {
    let key = crate::render::export::sheet_key(kind);
    vec![tr(Lang::Zh, &key, &[]), tr(Lang::En, &key, &[])]
}

fn named<T>(items: &[T], f: impl Fn(&T) -> Named) -> Matcher {
    Matcher::new(items.iter().map(f).collect())
}

fn lookups<'a>(site: &'a Site, kind: Kind, lang: Lang) -> Lookups<'a> {
    let plain = |m: &crate::model::Meta| Named {
        id: m.id.clone(),
        title: m.title.clone(),
        group: None,
    };
    Lookups {
        config: &site.config,
        lang,
        kind,
        departments: named(&site.departments, |x| plain(&x.meta)),
        posts: named(&site.posts, |x| Named {
            group: x.department.clone(),
            ..plain(&x.meta)
        }),
        powers: named(&site.powers, |x| plain(&x.meta)),
        flows: named(&site.flows, |x| plain(&x.meta)),
        measures: named(&site.measures, |x| plain(&x.meta)),
        columns: BTreeMap::new(),
    }
}

/// The ledger's bytes, refused unread when larger than
/// [`table::MAX_FILE`].
fn read_bounded(path: &Path) -> Result<Vec<u8>, ImportError> {
    use std::io::Read;
    let read_error = |e: std::io::Error| ImportError::Read {
        path: path.to_path_buf(),
        detail: e.to_string(),
    };
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .map_err(read_error)?
        .take(table::MAX_FILE + 1)
        .read_to_end(&mut bytes)
        .map_err(read_error)?;
    if bytes.len() as u64 > table::MAX_FILE {
        let size = std::fs::metadata(path).map_or(bytes.len() as u64, |m| m.len());
        return Err(ImportError::Table(table::ReadError::TooLarge(size)));
    }
    Ok(bytes)
}

/// Runs an import over the site at `root`.
pub fn run(root: &Path, opts: &Options) -> Result<Report, ImportError> {
    let config = crate::config::Config::load(root).map_err(ImportError::Config)?;
    let checked = crate::pipeline::check_with(root, config);
    let site = &checked.site;
    let kind = opts.kind;
    let bytes = read_bounded(&opts.file)?;
    let grid = table::read(&bytes, opts.sheet.as_deref(), &sheet_names(kind))
        .map_err(ImportError::Table)?;
    let known = headers::known(kind, &site.config);
    let texts = &grid.rows;
    let expected = || {
        crate::render::export::columns(kind)
            .iter()
            .take(4)
            .map(|(_, k)| tr(opts.lang, k, &[]))
            .collect::<Vec<_>>()
    };
    let (at, cols) = headers::find_header(texts, &known).ok_or_else(|| ImportError::NoHeader {
        expected: expected(),
    })?;
    let title_col = Col::Field(crate::render::export::Field::Title);
    if !cols.contains(&Some(title_col)) {
        return Err(ImportError::NoTitle {
            expected: expected(),
        });
    }
    let head = &texts[at];
    let mut used = Vec::new();
    let mut ignored = Vec::new();
    for (i, h) in head.iter().enumerate() {
        let h = h.trim();
        if h.is_empty() {
            continue;
        }
        match cols.get(i).copied().flatten() {
            Some(_) => used.push(h.to_string()),
            None => ignored.push(h.to_string()),
        }
    }
    let records: Vec<Record> = grid.rows[at + 1..]
        .iter()
        .zip(&grid.numbers[at + 1..])
        .map(|(cells, n)| Record {
            row: *n,
            cells: cols
                .iter()
                .enumerate()
                .filter_map(|(i, c)| Some((((*c)?), cells.get(i).cloned().unwrap_or_default())))
                .collect(),
        })
        .collect();
    let mut lk = lookups(site, kind, opts.lang);
    lk.columns = cols
        .iter()
        .enumerate()
        .filter_map(|(i, c)| Some(((*c)?, u32::try_from(i).ok()?)))
        .collect();
    let mut report = Report {
        sheet: grid.sheet.clone(),
        gbk: grid.gbk,
        header_row: grid.numbers[at],
        used,
        ignored,
        rows: Vec::new(),
        dry_run: opts.dry_run,
        update: opts.update,
    };
    let taken = ids::Taken::of(root, &root.join("site"), site, kind);
    let mut titles = existing::Titles::of(site, kind);
    let department = |rec: &Record| department_of(&lk, rec);
    let assigned = ids::assign(
        kind,
        opts.lang,
        &records,
        &taken,
        &mut titles,
        department,
        &mut report,
    );
    if kind == Kind::Post {
        // posts of this sheet may report to one another
        for (rec, a) in records.iter().zip(&assigned) {
            if let Some(a) = a.as_ref().filter(|a| !a.id.is_empty()) {
                lk.posts.add(Named {
                    id: a.id.clone(),
                    title: cells::clean(rec.get(crate::render::export::Field::Title)),
                    group: department_of(&lk, rec),
                });
            }
        }
    }
    let mut writes = Vec::new();
    for (rec, a) in records.iter().zip(assigned) {
        let Some(a) = a else { continue };
        let title = cells::clean(rec.get(crate::render::export::Field::Title));
        let go_on = opts.force || opts.update;
        if let Some(r) = matched(rec, &a, &title, &taken, kind, go_on) {
            report.rows.push(r);
            continue;
        }
        if opts.update {
            if let Some(rel) = existing_file(root, &a, &taken, kind) {
                let t = update::Target {
                    id: &a.id,
                    rel: &rel,
                    by_title: a.found == ids::Found::Title,
                };
                let (row, write) = updated(root, site, &lk, rec, &t, &title, a.notes);
                report.rows.push(row);
                writes.extend(write);
                continue;
            }
        }
        let (id, mut pre) = (a.id, a.notes);
        let rel = format!("content/{}/{id}.md", kind.folder());
        let exists = root.join(&rel).exists();
        let skip = |note: Note| RowReport {
            row: rec.row,
            outcome: Outcome::Skipped(note),
            id: Some(id.clone()),
            title: title.clone(),
            path: None,
            notes: Vec::new(),
        };
        if let Some(other) = taken.files.get(&id).filter(|p| **p != rel && !p.is_empty()) {
            report.rows.push(skip(Note::new(
                "import.skip.id_taken",
                vec![("id", id.clone()), ("path", other.clone())],
                false,
            )));
            continue;
        }
        if let Some((link, to)) = paths::link_out_of_content(root, &rel) {
            report.rows.push(skip(Note::new(
                "import.skip.symlink",
                vec![("path", link), ("target", to)],
                false,
            )));
            continue;
        }
        if exists && !opts.force {
            report
                .rows
                .push(exists_row(rec, &id, &title, &rel, "import.note.exists_id"));
            continue;
        }
        match rows::draft(&lk, rec, &id, &title) {
            Ok(mut d) => {
                if exists {
                    match guard::overwrite(site, kind, &rel, &mut d) {
                        Ok(kept) => pre.extend(kept),
                        Err(why) => {
                            report.rows.push(skip(why));
                            continue;
                        }
                    }
                    pre.push(Note::new(
                        "import.note.overwrite",
                        vec![("path", rel.clone())],
                        false,
                    ));
                }
                pre.append(&mut d.notes);
                d.notes = pre;
                let doubt = d.notes.iter().any(|n| n.doubt);
                report.rows.push(RowReport {
                    row: rec.row,
                    outcome: if doubt {
                        Outcome::InDoubt
                    } else {
                        Outcome::Imported
                    },
                    id: Some(id.clone()),
                    title: title.clone(),
                    path: Some(rel.clone()),
                    notes: d.notes.clone(),
                });
                writes.push(crate::import::ledger::plan::Write {
                    rel,
                    bytes: file_text(&d).into_bytes(),
                });
            }
            Err(note) => report.rows.push(skip(note)),
        }
    }
    report.rows.sort_by_key(|r| r.row);
    if !opts.dry_run {
        // all staged beside their targets, then renamed: every file or
        // none, and a link in a file's place is replaced, never written
        // through
        crate::import::ledger::apply::commit(root, &writes)
            .map_err(|(path, detail)| ImportError::Write { path, detail })?;
    }
    Ok(report)
}

/// The file of the existing item a row is (by its title, or by the id it
/// names when that item's file exists), for `--update`.
fn existing_file(root: &Path, a: &ids::Assigned, taken: &ids::Taken, kind: Kind) -> Option<String> {
    let known = taken.files.get(&a.id).filter(|p| !p.is_empty()).cloned();
    match a.found {
        ids::Found::Title => {
            Some(known.unwrap_or_else(|| format!("content/{}/{}.md", kind.folder(), a.id)))
        }
        ids::Found::Written => known.filter(|p| root.join(p).exists()),
        _ => None,
    }
}

/// The report of a row updating an existing item, and the file to write.
fn updated(
    root: &Path,
    site: &Site,
    lk: &Lookups,
    rec: &Record,
    t: &update::Target,
    title: &str,
    mut notes: Vec<Note>,
) -> (RowReport, Option<crate::import::ledger::plan::Write>) {
    let mut row = RowReport {
        row: rec.row,
        outcome: Outcome::Unchanged,
        id: Some(t.id.to_string()),
        title: title.to_string(),
        path: Some(t.rel.to_string()),
        notes: Vec::new(),
    };
    match update::plan(root, site, lk, rec, t, title) {
        Ok(up) => {
            notes.extend(up.notes);
            row.notes = notes;
            if up.write.is_some() {
                row.outcome = Outcome::Updated(up.changes);
            }
            (row, up.write)
        }
        Err(why) => {
            row.outcome = Outcome::Skipped(why);
            row.path = None;
            (row, None)
        }
    }
}

/// The department a row names, as an id (exactly or once normalised).
fn department_of(lk: &Lookups, rec: &Record) -> Option<String> {
    let dept = cells::clean(rec.get(crate::render::export::Field::Department));
    match lk.departments.find(&dept, None) {
        matcher::Found::Exact(d) | matcher::Found::Normalised(d) | matcher::Found::ById(d) => {
            Some(d)
        }
        _ => None,
    }
}

/// The report of a row whose title is an existing item's, a row's above
/// or several items', when that settles the row: it is never created
/// again (a title match is overwritten only with `--force`).
fn matched(
    rec: &Record,
    a: &ids::Assigned,
    title: &str,
    taken: &ids::Taken,
    kind: Kind,
    force: bool,
) -> Option<RowReport> {
    let skip = |note: Note| RowReport {
        row: rec.row,
        outcome: Outcome::Skipped(note),
        id: None,
        title: title.to_string(),
        path: None,
        notes: Vec::new(),
    };
    match &a.found {
        ids::Found::Several(ids) => Some(skip(Note::new(
            "import.skip.several",
            vec![("ids", ids.join("、"))],
            false,
        ))),
        ids::Found::Row(row) => Some(skip(Note::new(
            "import.skip.same_row",
            vec![("row", row.to_string()), ("id", a.id.clone())],
            false,
        ))),
        ids::Found::Title if !force => {
            let path = taken.files.get(&a.id).cloned().unwrap_or_default();
            let path = match path.is_empty() {
                true => format!("content/{}/{}.md", kind.folder(), a.id),
                false => path,
            };
            Some(exists_row(
                rec,
                &a.id,
                title,
                &path,
                "import.note.exists_title",
            ))
        }
        _ => None,
    }
}

/// A row of an item the site has: reported, not written.
fn exists_row(rec: &Record, id: &str, title: &str, path: &str, how: &'static str) -> RowReport {
    RowReport {
        row: rec.row,
        outcome: Outcome::Exists,
        id: Some(id.to_string()),
        title: title.to_string(),
        path: Some(path.to_string()),
        notes: vec![Note::new(
            how,
            vec![("id", id.to_string()), ("path", path.to_string())],
            false,
        )],
    }
}

/// The Markdown file of a draft: block-style YAML front matter (serialised
/// by serde_yaml, so every string is quoted as it needs), comments for the
/// names nothing matched, the body.
pub fn file_text(d: &Draft) -> String {
    let yaml =
        serde_yaml::to_string(&serde_yaml::Value::Mapping(d.front.clone())).unwrap_or_default();
    let mut out = String::from("---\n");
    out.push_str(&yaml);
    for c in &d.comments {
        out.push_str("# ");
        out.push_str(&c.replace('\n', " "));
        out.push('\n');
    }
    out.push_str("---\n");
    if !d.body.is_empty() {
        out.push_str(&d.body);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::i18n::Lang;

    #[test]
    fn every_import_message_is_in_both_catalogues() {
        let sources = [
            include_str!("mod.rs"),
            include_str!("rows.rs"),
            include_str!("cells.rs"),
            include_str!("guard.rs"),
            include_str!("ids.rs"),
            include_str!("update.rs"),
        ];
        let mut keys = Vec::new();
        for text in sources {
            for part in text.split("\"import.").skip(1) {
                let key: String = part
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || "._".contains(*c))
                    .collect();
                let whole = part[key.len()..].starts_with('"');
                if whole && !key.is_empty() && !key.ends_with('.') {
                    keys.push(format!("import.{key}"));
                }
            }
        }
        assert!(keys.len() > 8, "{keys:?}");
        for lang in [Lang::Zh, Lang::En] {
            for k in &keys {
                assert!(lang.catalogue().contains_key(k), "{lang:?} lacks {k}");
            }
        }
    }
}
