//! Writing what an import planned: every file staged beside its target
//! first, then all renamed into place, so an import writes all its files
//! or none. And the ids a new item must not take.

use super::plan::Write;
use crate::model::{Kind, Site};
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

/// Every id in use: items of the site, files in the folders of the kinds a
/// ledger holds, and the ids of those kinds in every version under `site/`
/// (`import::ids::Taken`, the rule plain import follows too), so a new
/// item never takes an id an earlier version gave another.
pub fn taken_ids(root: &Path, site: &Site) -> BTreeSet<String> {
    let mut taken: BTreeSet<String> = site
        .metas()
        .into_iter()
        .map(|(_, m)| m.id.clone())
        .collect();
    let out = root.join("site");
    for kind in [Kind::Risk, Kind::Power, Kind::Post] {
        let t = crate::import::ids::Taken::of(root, &out, site, kind);
        taken.extend(t.files.into_keys());
        taken.extend(t.published);
    }
    taken
}
