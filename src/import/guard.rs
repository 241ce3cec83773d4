//! What `import --force` may write over an existing file: never a wider
//! scope than the item has, never a body that loses the item's scope
//! blocks (`<!-- scope: -->`). A ledger's cells carry no scope blocks —
//! and a register export's bodies have them merged or cut for one
//! audience — so a row that would do either is refused, and a ledger
//! naming no scope keeps the item's.

use super::rows::{Draft, Note};
use crate::model::{body::scope_blocks, Kind, Site};
use serde_yaml::Value;

/// Checks `d`, the row for the existing file `rel`, against the item in
/// it. `Ok` with a note when the item's scope was kept; `Err` with why
/// the row is refused.
pub fn overwrite(site: &Site, kind: Kind, rel: &str, d: &mut Draft) -> Result<Option<Note>, Note> {
    let path = || ("path", rel.to_string());
    let existing = site
        .metas()
        .into_iter()
        .find(|(k, m)| *k == kind && site.sources.get(m.src).is_some_and(|s| s.path == rel));
    let Some((_, old)) = existing else {
        return Err(Note::new("import.skip.unreadable", vec![path()], false));
    };
    let scopes = &site.config.scopes;
    let old_label = || {
        scopes
            .get(old.scope)
            .map_or(String::new(), |s| s.label.clone())
    };
    let named = d
        .front
        .get("scope")
        .and_then(Value::as_str)
        .map(str::to_string);
    let mut kept = None;
    match named.as_deref().and_then(|n| site.config.scope_index(n)) {
        Some(new) if new < old.scope => {
            return Err(Note::new(
                "import.skip.widen",
                vec![
                    ("scope", scopes[new].label.clone()),
                    path(),
                    ("old", old_label()),
                ],
                false,
            ));
        }
        Some(_) => {}
        None => {
            let name = scopes
                .get(old.scope)
                .map_or(String::new(), |s| s.name.clone());
            d.front.insert(Value::from("scope"), Value::from(name));
            kept = Some(Note::new(
                "import.note.scope_kept",
                vec![path(), ("scope", old_label())],
                false,
            ));
        }
    }
    let lost = match scope_blocks(&old.body) {
        Ok(blocks) => blocks
            .iter()
            .filter(|b| !d.body.contains(&old.body[b.open.0..b.close.1]))
            .count(),
        // a broken block: its text cannot be told apart, keep the file
        Err(_) => 1,
    };
    if lost > 0 {
        return Err(Note::new(
            "import.skip.blocks",
            vec![path(), ("n", lost.to_string())],
            false,
        ));
    }
    Ok(kept)
}
