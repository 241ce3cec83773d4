//! Ids across files: duplicates (which file is the copy), ids that clash
//! on a case-insensitive disk or are Windows device names, and files whose
//! name is not their id.

use super::*;
use crate::diag::{Code, Diagnostic};
use std::collections::btree_map::{BTreeMap, Entry};

/// The file name without folder and extension.
fn file_stem(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.').map_or(name, |(s, _)| s)
}

/// Which of several items with one id is the original (the others are
/// copies, e.g. Explorer's "R-001 - 副本.md"): the one whose file is named
/// by the id; among equals, the one changed first; then path order.
fn original(group: &[&Meta], sources: &[SourceFile]) -> usize {
    let key = |m: &Meta| {
        let src = &sources[m.src];
        (
            file_stem(&src.path) != m.id,
            src.modified.unwrap_or(std::time::SystemTime::UNIX_EPOCH),
            m.src,
        )
    };
    (0..group.len()).min_by_key(|&i| key(group[i])).unwrap_or(0)
}

/// Whether Windows reserves `id` as a device name: `CON`, `PRN`, `AUX`,
/// `NUL`, `COM1`–`COM9`, `LPT1`–`LPT9`, in any case, alone or before a dot
/// (`CON.html`, the page it would get, is the device too).
pub(super) fn is_reserved_on_windows(id: &str) -> bool {
    let stem = id.split('.').next().unwrap_or(id).to_ascii_uppercase();
    matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || ["COM", "LPT"].iter().any(|p| {
            stem.strip_prefix(p)
                .is_some_and(|n| n.len() == 1 && matches!(n.as_bytes()[0], b'1'..=b'9'))
        })
}

/// Reports duplicate ids per kind (keeping the original, reporting the
/// copy: see [`original`]), ids that differ only in letter case (one file
/// on Windows), and files whose name is not their id; sorts every list by id.
pub(super) fn dedupe(site: &mut Site, diags: &mut Vec<Diagnostic>) {
    fn one<T>(
        items: &mut Vec<T>,
        meta: impl Fn(&T) -> &Meta,
        sources: &[SourceFile],
        diags: &mut Vec<Diagnostic>,
    ) {
        items.sort_by(|a, b| {
            meta(a)
                .id
                .cmp(&meta(b).id)
                .then(meta(a).src.cmp(&meta(b).src))
        });
        let mut keep: Vec<bool> = vec![true; items.len()];
        let mut start = 0;
        while start < items.len() {
            let id = &meta(&items[start]).id;
            let end = start
                + items[start..]
                    .iter()
                    .take_while(|x| &meta(x).id == id)
                    .count();
            if end - start > 1 {
                let group: Vec<&Meta> = items[start..end].iter().map(&meta).collect();
                let kept = original(&group, sources);
                for (i, m) in group.iter().enumerate().filter(|(i, _)| *i != kept) {
                    keep[start + i] = false;
                    let src = &sources[m.src];
                    let d = Diagnostic::new(Code::DuplicateId, Some(src.field("id")))
                        .arg("id", m.id.clone())
                        .arg("file", src.path.clone())
                        .arg("other", sources[group[kept].src].path.clone());
                    diags.push(d);
                }
            }
            start = end;
        }
        let mut k = keep.into_iter();
        items.retain(|_| k.next().unwrap_or(true));
        for m in items.iter().map(&meta) {
            let src = &sources[m.src];
            let stem = file_stem(&src.path);
            if stem != m.id && stem != "_index" {
                let d = Diagnostic::new(Code::NameIdMismatch, Some(src.field("id")))
                    .arg("id", m.id.clone())
                    .arg("name", stem.to_string());
                diags.push(d);
            }
        }
        let mut folded: BTreeMap<String, &Meta> = BTreeMap::new();
        for m in items.iter().map(&meta) {
            match folded.entry(m.id.to_lowercase()) {
                Entry::Vacant(v) => {
                    v.insert(m);
                }
                Entry::Occupied(o) => {
                    let first = o.get();
                    let d = Diagnostic::new(Code::IdCaseClash, Some(sources[m.src].field("id")))
                        .arg("id", m.id.clone())
                        .arg("first", first.id.clone())
                        .arg("other", sources[first.src].path.clone());
                    diags.push(d);
                }
            }
        }
    }
    let s = &site.sources;
    macro_rules! each {
        ($($kind:ident $list:ident),*) => {$(
            one(&mut site.$list, |x| &x.meta, s, diags);
        )*};
    }
    item_lists!(each);
    site.pages
        .sort_by(|a, b| a.weight.cmp(&b.weight).then(a.meta.id.cmp(&b.meta.id)));
}
