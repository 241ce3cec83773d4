//! A matched row updates its file in place; an unmatched one makes a new
//! file under a fresh id. Both go through the in-place editor, so the
//! bytes planned are the bytes written.

use super::cols::{Col, Form};
use super::plan::{order, show, Change, Planner, RowPlan, Status, Write};
use super::plan_measures::MeasureRows;
use super::read::{RowIn, SheetIn};
use super::values::body_keeps_blocks;
use super::{hash, norm_cell};
use crate::edit::{self, Edit, EditError, NewValue, TextFile};
use crate::import::headers::norm;
use crate::import::rows::Note;
use crate::model::{Kind, MeasureUse};

fn skipped(mut out: RowPlan, n: Note) -> RowPlan {
    out.status = Status::Skipped(n);
    out.changes.clear();
    out
}

impl Planner<'_> {
    /// The edits a row makes to the existing item `id` (`cur`: its cells now).
    pub(super) fn update(
        &mut self,
        s: &SheetIn,
        r: &RowIn,
        id: &str,
        cur: &[String],
        mut out: RowPlan,
        mrows: &mut MeasureRows,
    ) -> RowPlan {
        let sheet = s.sheet;
        let kind = sheet.kind();
        let Some((meta, _)) = self.item(kind, id) else {
            return out;
        };
        let (old_scope, old_body, src) = (meta.scope, meta.body.clone(), meta.src);
        out.title = meta.title.clone();
        out.path = self
            .site
            .sources
            .get(src)
            .map_or(String::new(), |s| s.path.clone());
        let mut edits = Vec::new();
        let mut body = None;
        for (i, col) in sheet.cols().iter().enumerate() {
            if *col == Col::Id || !r.cells.contains_key(col) {
                continue;
            }
            let form = col.form(sheet);
            let (sv, cv) = (r.get(*col), cur.get(i).map_or("", String::as_str));
            if norm_cell(form, sv) == norm_cell(form, cv)
                || (*col == Col::Title && out.id.is_empty() && norm(sv) == norm(cv))
            {
                continue;
            }
            let rec = self.ledger.recorded(sheet, id, *col);
            if rec == Some(hash(form, sv).as_str()) {
                continue; // the file changed since the export, the sheet did not
            }
            let heading = self.heading(sheet, *col);
            let change = Change {
                field: heading.clone(),
                old: show(cv),
                new: show(sv),
            };
            if rec.is_some_and(|h| h != hash(form, cv)) && !self.force {
                out.conflicts.push(change);
                continue;
            }
            let v = match self.reader().value(form, &heading, sv) {
                Ok(v) => v,
                Err(n) => return skipped(out, n),
            };
            if self.reader().value(form, &heading, cv).ok().as_ref() == Some(&v) {
                continue;
            }
            if v == NewValue::Absent
                && matches!(col, Col::Title | Col::Type | Col::Grade | Col::Scope)
            {
                let n = Note::new("ledger.skip.required", vec![("heading", heading)], false);
                return skipped(out, n);
            }
            if let (Col::Scope, NewValue::Text(name)) = (col, &v) {
                let cfg = &self.site.config;
                if cfg.scope_index(name).is_some_and(|n| n < old_scope) {
                    let label =
                        |i: usize| cfg.scopes.get(i).map_or(String::new(), |s| s.label.clone());
                    let n = Note::new(
                        "ledger.skip.widen",
                        vec![("old", label(old_scope)), ("new", sv.trim().to_string())],
                        false,
                    );
                    return skipped(out, n);
                }
            }
            if form == Form::Body {
                let new = norm_cell(form, sv);
                if let Err(n) = body_keeps_blocks(&self.site.config, &old_body, &new) {
                    let note = Note::new("ledger.skip.blocks", vec![("n", n.to_string())], false);
                    return skipped(out, note);
                }
                body = Some(new);
            } else {
                edits.push(Edit {
                    path: col.key().into(),
                    value: v,
                });
            }
            out.changes.push(change);
        }
        let mut whole = None;
        if kind == Kind::Risk {
            let rows = mrows.take(Some(id), &out.title);
            if let Some(risk) = self.site.risk(id) {
                match self.measure_edits(risk, &rows) {
                    Ok(m) => {
                        edits.extend(m.edits);
                        whole = m.whole;
                        out.changes.extend(m.changes);
                        out.conflicts.extend(m.conflicts);
                    }
                    Err(n) => return skipped(out, n),
                }
            }
        }
        if !out.conflicts.is_empty() {
            out.status = Status::Conflict;
            out.changes.clear();
            return out;
        }
        if edits.is_empty() && body.is_none() {
            out.changes.clear();
            return out;
        }
        let rel = out.path.clone();
        match self.edit_file(&rel, kind, &edits, body.as_deref(), whole) {
            Ok(Some(bytes)) => {
                self.plan.writes.push(Write { rel, bytes });
                out.status = Status::Updated;
                out
            }
            Ok(None) => {
                out.changes.clear();
                out
            }
            Err(n) => skipped(out, n),
        }
    }

    /// The file's new bytes, `None` when they are the same.
    fn edit_file(
        &self,
        rel: &str,
        kind: Kind,
        edits: &[Edit],
        body: Option<&str>,
        whole: Option<Vec<MeasureUse>>,
    ) -> Result<Option<Vec<u8>>, Note> {
        if let Some((link, to)) = crate::import::paths::link_out_of_content(self.root, rel) {
            return Err(Note::new(
                "import.skip.symlink",
                vec![("path", link), ("target", to)],
                false,
            ));
        }
        let fail = |detail: String| {
            Note::new(
                "ledger.skip.edit",
                vec![("path", rel.to_string()), ("detail", detail)],
                false,
            )
        };
        let bytes = std::fs::read(self.root.join(rel)).map_err(|e| fail(e.to_string()))?;
        let file = TextFile::decode(&bytes).map_err(|e| fail(format!("{e:?}")))?;
        let mut text = edit::apply(&file.text, edits, order(kind), body);
        if let (Err(EditError::NotFound(_)), Some(w)) = (&text, whole) {
            // a measure field the file does not write: the list is rewritten
            let mut e: Vec<Edit> = edits
                .iter()
                .filter(|e| !e.path.starts_with("measures"))
                .cloned()
                .collect();
            e.push(Edit {
                path: "measures".into(),
                value: NewValue::Measures(w),
            });
            text = edit::apply(&file.text, &e, order(kind), body);
        }
        let text = text.map_err(|e| fail(format!("{e:?}")))?;
        let new = file.encode(&text);
        Ok((new != bytes).then_some(new))
    }

    /// A new item from an unmatched row, under a fresh id.
    pub(super) fn create(
        &mut self,
        s: &SheetIn,
        r: &RowIn,
        mut out: RowPlan,
        mrows: &mut MeasureRows,
    ) -> RowPlan {
        let sheet = s.sheet;
        let kind = sheet.kind();
        let mut edits: Vec<Edit> = Vec::new();
        let mut body = None;
        for col in sheet.cols() {
            if *col == Col::Id {
                continue;
            }
            let heading = self.heading(sheet, *col);
            let v = match self.reader().value(col.form(sheet), &heading, r.get(*col)) {
                Ok(v) => v,
                Err(n) => return skipped(out, n),
            };
            let required = matches!(col, Col::Title)
                || (kind == Kind::Risk && matches!(col, Col::Type | Col::Grade));
            match v {
                NewValue::Absent if required => {
                    let n = Note::new("ledger.skip.required", vec![("heading", heading)], false);
                    return skipped(out, n);
                }
                NewValue::Absent => {}
                NewValue::Text(t) if *col == Col::Body => body = Some(t),
                v => edits.push(Edit {
                    path: col.key().into(),
                    value: v,
                }),
            }
        }
        if !edits.iter().any(|e| e.path == "scope") {
            let scope = self.site.config.default_scope.clone();
            edits.push(Edit {
                path: "scope".into(),
                value: NewValue::Text(scope),
            });
        }
        if kind == Kind::Risk {
            let rows = mrows.take(None, &out.title);
            match self.measure_list(&rows) {
                Ok(ms) if !ms.is_empty() => edits.push(Edit {
                    path: "measures".into(),
                    value: NewValue::Measures(ms),
                }),
                Ok(_) => {}
                Err(n) => return skipped(out, n),
            }
        }
        let ord = order(kind);
        edits.sort_by_key(|e| ord.iter().position(|k| *k == e.path).unwrap_or(ord.len()));
        let id = self.fresh_id(kind);
        let rel = format!("content/{}/{id}.md", kind.folder());
        let skeleton = format!("---\nid: {id}\n---\n");
        match edit::apply(&skeleton, &edits, ord, body.as_deref()) {
            Ok(text) => {
                out.id = id;
                out.path = rel.clone();
                out.status = Status::New;
                self.plan.writes.push(Write {
                    rel,
                    bytes: text.into_bytes(),
                });
                out
            }
            Err(e) => skipped(
                out,
                Note::new(
                    "ledger.skip.edit",
                    vec![("path", rel), ("detail", format!("{e:?}"))],
                    false,
                ),
            ),
        }
    }

    /// The next id of `kind` used nowhere: not in `content/`, not in any
    /// published version, not given to another row of this import.
    fn fresh_id(&mut self, kind: Kind) -> String {
        let mut n = 1;
        loop {
            let c = crate::import::ids::numbered(kind, n);
            if self.taken.insert(c.clone()) {
                return c;
            }
            n += 1;
        }
    }
}
