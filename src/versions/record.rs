//! `site/published.json`: the record of every published version, kept
//! outside the version folders it protects.
//!
//! `publish` enters each version it freezes, with the SHA-256 of the
//! manifest it wrote; `build` and `publish` refuse a version listed here
//! even when its manifest is gone, and `verify` reports a listed version
//! whose manifest is missing or not the recorded one. Manifests found
//! without an entry (versions frozen before the record existed) are entered
//! by the next `build` or `publish`. Written only under the site lock.

use super::{sha256_hex, MANIFEST};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::path::Path;

/// The record's file name in the output root (`site/`).
pub const RECORD: &str = "published.json";

/// One published version.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Published {
    pub scope: String,
    pub version: String,
    /// SHA-256 of its `manifest.json` as written.
    pub manifest_sha256: String,
    pub frozen_at: String,
}

/// `published.json`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Record {
    /// Sorted by scope, then version.
    pub published: Vec<Published>,
}

impl Record {
    /// The record of `out`; empty when there is none yet. An unreadable
    /// record is an error: what was published would be unknown.
    pub fn load(out: &Path) -> std::io::Result<Record> {
        match std::fs::read(out.join(RECORD)) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(std::io::Error::other),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Record::default()),
            Err(e) => Err(e),
        }
    }

    /// Writes the record (atomically).
    pub fn save(&self, out: &Path) -> std::io::Result<()> {
        let text = serde_json::to_string_pretty(self).map_err(std::io::Error::other)?;
        crate::write::file(&out.join(RECORD), format!("{text}\n").as_bytes())
    }

    pub fn find(&self, scope: &str, version: &str) -> Option<&Published> {
        self.published
            .iter()
            .find(|p| p.scope == scope && p.version == version)
    }

    /// Enters `p`, replacing an entry for the same version.
    pub fn put(&mut self, p: Published) {
        self.published
            .retain(|q| !(q.scope == p.scope && q.version == p.version));
        self.published.push(p);
        self.published
            .sort_by(|a, b| (&a.scope, &a.version).cmp(&(&b.scope, &b.version)));
    }

    /// Enters every manifest below `out` that has no entry yet (versions
    /// frozen before the record existed). Returns whether any was new.
    pub fn adopt(&mut self, out: &Path) -> bool {
        let mut changed = false;
        for (scope, version) in manifests_on_disk(out) {
            if self.find(&scope, &version).is_some() {
                continue;
            }
            let Ok(bytes) = std::fs::read(out.join(&scope).join(&version).join(MANIFEST)) else {
                continue;
            };
            let frozen_at = serde_json::from_slice::<super::Manifest>(&bytes)
                .map(|m| m.frozen_at)
                .unwrap_or_default();
            self.put(Published {
                scope,
                version,
                manifest_sha256: sha256_hex(&bytes),
                frozen_at,
            });
            changed = true;
        }
        changed
    }
}

/// (scope, version) of every `out/<scope>/<version>/manifest.json`.
pub fn manifests_on_disk(out: &Path) -> BTreeSet<(String, String)> {
    walkdir::WalkDir::new(out)
        .min_depth(3)
        .max_depth(3)
        .into_iter()
        .flatten()
        .filter(|e| e.file_name() == MANIFEST)
        .filter(|e| !crate::load::relative(out, e.path()).starts_with('.'))
        .filter_map(|e| {
            let rel = crate::load::relative(out, e.path());
            let mut parts = rel.split('/');
            Some((parts.next()?.to_string(), parts.next()?.to_string()))
        })
        .collect()
}
