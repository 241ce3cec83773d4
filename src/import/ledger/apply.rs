//! Writing what an import planned: every file staged beside its target
//! first, then all renamed into place, so an import writes all its files
//! or none. And the ids a new item must not take.

use super::plan::Write;
use crate::model::Site;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Writes every file of the plan, or none (staged, then renamed).
pub fn commit(root: &Path, writes: &[Write]) -> Result<(), (String, String)> {
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    let cleanup = |staged: &[(PathBuf, PathBuf)]| {
        for (tmp, _) in staged {
            let _ = std::fs::remove_file(tmp);
        }
    };
    for w in writes {
        let target = root.join(&w.rel);
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let tmp = target.with_file_name(format!(".gongshi-ledger-{name}-{}", std::process::id()));
        let made = target
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|_| std::fs::write(&tmp, &w.bytes));
        if let Err(e) = made {
            cleanup(&staged);
            let _ = std::fs::remove_file(&tmp);
            return Err((w.rel.clone(), e.to_string()));
        }
        staged.push((tmp, target));
    }
    for (i, (tmp, target)) in staged.iter().enumerate() {
        if let Err(e) = std::fs::rename(tmp, target) {
            cleanup(&staged[i..]);
            return Err((target.display().to_string(), e.to_string()));
        }
    }
    Ok(())
}

/// Every id in use: items of the site, file names under `content/`, and
/// the ids of every version published under `site/` (its `data.json`
/// files), so a new item never takes an id an earlier version gave
/// another.
pub fn taken_ids(root: &Path, site: &Site) -> BTreeSet<String> {
    let mut taken: BTreeSet<String> = site
        .metas()
        .into_iter()
        .map(|(_, m)| m.id.clone())
        .collect();
    for e in walkdir::WalkDir::new(root.join("content"))
        .into_iter()
        .flatten()
    {
        let p = e.path();
        if p.extension().is_some_and(|x| x == "md") {
            if let Some(stem) = p.file_stem().and_then(|s| s.to_str()) {
                taken.insert(stem.to_string());
            }
        }
    }
    let out = root.join("site");
    for e in walkdir::WalkDir::new(&out)
        .max_depth(3)
        .into_iter()
        .flatten()
        .filter(|e| e.file_name() == "data.json")
    {
        if let Ok(text) = std::fs::read_to_string(e.path()) {
            ids_in_json(&text, &mut taken);
        }
    }
    taken
}

/// The values of `"id"` keys in a JSON text.
fn ids_in_json(text: &str, into: &mut BTreeSet<String>) {
    let mut rest = text;
    while let Some(i) = rest.find("\"id\"") {
        rest = &rest[i + 4..];
        let after = rest.trim_start().strip_prefix(':').map(str::trim_start);
        if let Some(v) = after.and_then(|a| a.strip_prefix('"')) {
            if let Some(end) = v.find('"') {
                into.insert(v[..end].to_string());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn ids_are_found_in_data_json() {
        let mut s = std::collections::BTreeSet::new();
        super::ids_in_json(
            "{\"risks\": [{\"id\": \"R-031\", \"x\": 1}, {\"id\":\"P-9\"}]}",
            &mut s,
        );
        assert_eq!(s.into_iter().collect::<Vec<_>>(), ["P-9", "R-031"]);
    }
}
