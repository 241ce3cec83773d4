//! The previewed site: rebuilt through the shared pipeline
//! (`pipeline::check_with` → `scope::filter` → `build::render_audience`)
//! and kept in memory as a [`Snapshot`] the server answers from.
//!
//! A snapshot is never changed in place: a rebuild makes a new one (sharing
//! the bytes of every unchanged file with the old one) and the server swaps
//! it in whole, so no request ever sees half a rebuild.

use super::watch::Changes;
use crate::config::Config;
use crate::diag::{Diagnostic, Location};
use crate::i18n::{tr, Lang};
use crate::render::theme::Theme;
use crate::render::Rendered;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What the server answers from: the files of the last good build, and the
/// overlay while the current content has errors.
#[derive(Default)]
pub struct Snapshot {
    /// Bumped whenever what a page shows may have changed.
    pub generation: u64,
    /// Path in the version folder → bytes.
    pub files: BTreeMap<String, Arc<[u8]>>,
    /// The overlay HTML, while the content has errors.
    pub overlay: Option<String>,
}

impl Snapshot {
    /// The next snapshot: `built` (when the rebuild succeeded) replaces the
    /// files, sharing unchanged bytes; otherwise the last good files stay,
    /// less the pages in `gone` (their source was deleted or renamed).
    /// Returns it with the paths whose bytes changed, appeared or went.
    pub fn next(
        &self,
        built: Option<Vec<Rendered>>,
        gone: &[String],
        overlay: Option<String>,
    ) -> (Snapshot, Vec<String>) {
        let mut changed = Vec::new();
        let files = match built {
            None => {
                let mut files = self.files.clone();
                for g in gone {
                    if files.remove(g).is_some() {
                        changed.push(g.clone());
                    }
                }
                files
            }
            Some(list) => {
                let mut files = BTreeMap::new();
                for f in list {
                    let bytes = match self.files.get(&f.path) {
                        Some(old) if **old == *f.bytes => old.clone(),
                        _ => {
                            changed.push(f.path.clone());
                            Arc::from(f.bytes)
                        }
                    };
                    files.insert(f.path, bytes);
                }
                changed.extend(
                    self.files
                        .keys()
                        .filter(|k| !files.contains_key(*k))
                        .cloned(),
                );
                changed.sort();
                files
            }
        };
        let generation = if changed.is_empty() && overlay == self.overlay {
            self.generation
        } else {
            self.generation + 1
        };
        let next = Snapshot {
            generation,
            files,
            overlay,
        };
        (next, changed)
    }
}

/// Why the pages could not be rebuilt: diagnostics from config or check,
/// or a theme, scope or render failure.
#[derive(Debug, Clone)]
pub enum Problem {
    Diag(Diagnostic),
    /// A catalogue key and its arguments.
    Text(&'static str, Vec<(&'static str, String)>),
}

impl Problem {
    /// The message, with the diagnostic's code.
    pub fn title(&self, lang: Lang) -> String {
        match self {
            Problem::Diag(d) => format!("[{}] {}", d.code.as_str(), d.message(lang)),
            Problem::Text(key, args) => tr(lang, key, args),
        }
    }

    pub fn hint(&self, lang: Lang) -> Option<String> {
        match self {
            Problem::Diag(d) => d.hint(lang),
            Problem::Text(..) => None,
        }
    }

    pub fn at(&self) -> Option<&Location> {
        match self {
            Problem::Diag(d) => d.at.as_ref(),
            Problem::Text(..) => None,
        }
    }

    /// The problem as terminal text.
    pub fn render(&self, lang: Lang) -> String {
        match self {
            Problem::Diag(d) => d.render(lang),
            Problem::Text(..) => self.title(lang),
        }
    }
}

/// A failed rebuild: why, and which pages of the last good build lost
/// their source file.
pub struct Failed {
    pub problems: Vec<Problem>,
    pub gone: Vec<String>,
}

/// A successful rebuild.
pub struct Built {
    pub files: Vec<Rendered>,
    /// Warnings found by check (shown in the terminal, not in the overlay).
    pub warnings: Vec<Diagnostic>,
    /// The audience served.
    pub scope: String,
    /// Static files left out because they resolve outside the site folder.
    pub outside: Vec<String>,
}

/// What stays between rebuilds: the config and the compiled theme, reloaded
/// only when `gongshi.yaml` or the theme changed.
///
/// Every rebuild re-runs the shared pipeline over all of `content/` (about
/// 0.1 s on the example site). Re-reading only the changed sources belongs
/// in [`Session::check`], which receives the changed paths.
pub struct Session {
    root: PathBuf,
    scope: Option<String>,
    config: Option<Config>,
    theme: Option<Theme>,
    /// Source file → the item page made from it, as of the last good build.
    pages: BTreeMap<String, String>,
}

impl Session {
    pub fn new(root: &Path, scope: Option<String>) -> Session {
        Session {
            root: root.to_path_buf(),
            scope,
            config: None,
            theme: None,
            pages: BTreeMap::new(),
        }
    }

    /// Rebuilds the served audience after `changes`; when that fails, also
    /// names the pages whose source file is gone.
    pub fn rebuild(&mut self, changes: &Changes) -> Result<Built, Failed> {
        self.try_rebuild(changes).map_err(|problems| Failed {
            problems,
            gone: self
                .pages
                .iter()
                .filter(|(src, _)| !self.root.join(src).exists())
                .map(|(_, page)| page.clone())
                .collect(),
        })
    }

    fn try_rebuild(&mut self, changes: &Changes) -> Result<Built, Vec<Problem>> {
        let config = match &self.config {
            Some(c) if !changes.config => c.clone(),
            _ => {
                self.config = None;
                self.theme = None;
                let c = Config::load(&self.root).map_err(errors_of)?;
                self.config = Some(c.clone());
                c
            }
        };
        if changes.theme || self.theme.is_none() {
            self.theme = None;
            let theme = Theme::load(&self.root, &config.theme, config.lang()).map_err(|e| {
                vec![Problem::Text(
                    "cli.build.theme_error",
                    vec![("file", e.file), ("detail", e.detail)],
                )]
            })?;
            self.theme = Some(theme);
        }
        let audience = match &self.scope {
            Some(s) => config.scope_index(s).ok_or_else(|| {
                vec![Problem::Text(
                    "cli.build.unknown_scope",
                    vec![
                        ("scope", s.clone()),
                        ("allowed", config.scope_names().join(", ")),
                    ],
                )]
            })?,
            None => config.scopes.len().saturating_sub(1),
        };
        let checked = self.check(config, changes);
        if checked.errors() > 0 {
            return Err(errors_of(checked.diags));
        }
        let site = &checked.site;
        let scope = site.config.scopes[audience].name.clone();
        let filtered = crate::scope::filter(site, audience);
        let Some(theme) = self.theme.as_ref() else {
            return Err(Vec::new());
        };
        let out = self.root.join("site");
        let files = crate::build::render_audience(&self.root, &filtered, audience, theme, &out)
            .map_err(|e| {
                vec![Problem::Text(
                    "cli.build.render_error",
                    vec![("page", e.page), ("detail", e.detail)],
                )]
            })?;
        let (files, outside) = confine(&self.root, &site.config.theme, files);
        self.pages = site
            .metas()
            .into_iter()
            .filter_map(|(kind, meta)| {
                let src = site.sources.get(meta.src)?.path.clone();
                Some((src, format!("{}/{}.html", kind.folder(), meta.id)))
            })
            .collect();
        Ok(Built {
            files,
            warnings: checked.diags,
            scope,
            outside,
        })
    }

    /// Config → load → model → check. The whole of `content/` is read again;
    /// `_changes` names what changed, for a rebuild that re-reads only those.
    fn check(&self, config: Config, _changes: &Changes) -> crate::pipeline::Checked {
        crate::pipeline::check_with(&self.root, config)
    }
}

fn errors_of(diags: Vec<Diagnostic>) -> Vec<Problem> {
    diags
        .into_iter()
        .filter(Diagnostic::is_error)
        .map(Problem::Diag)
        .collect()
}

/// Drops static files whose source on disk resolves (through a symlinked
/// file or folder) outside the site folder, so the preview never serves
/// anything from elsewhere on the machine.
fn confine(root: &Path, theme: &str, files: Vec<Rendered>) -> (Vec<Rendered>, Vec<String>) {
    let Ok(base) = root.canonicalize() else {
        return (files, Vec::new());
    };
    let sources = [
        root.join("static"),
        root.join("themes").join(theme).join("static"),
    ];
    let mut kept = Vec::with_capacity(files.len());
    let mut outside = Vec::new();
    for f in files {
        let escapes = f.path.strip_prefix("static/").is_some_and(|rel| {
            sources.iter().any(|dir| {
                let p = dir.join(rel);
                p.symlink_metadata().is_ok()
                    && p.canonicalize().map_or(true, |c| !c.starts_with(&base))
            })
        });
        if escapes {
            outside.push(f.path);
        } else {
            kept.push(f);
        }
    }
    (kept, outside)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> Rendered {
        Rendered {
            path: path.into(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    #[test]
    fn next_snapshot_shares_unchanged_bytes_and_lists_changes() {
        let empty = Snapshot::default();
        let (one, changed) = empty.next(
            Some(vec![file("a.html", "A"), file("b.html", "B")]),
            &[],
            None,
        );
        assert_eq!(changed, ["a.html", "b.html"]);
        assert_eq!(one.generation, 1);
        let (two, changed) = one.next(
            Some(vec![file("a.html", "A"), file("c.html", "C")]),
            &[],
            None,
        );
        assert_eq!(changed, ["b.html", "c.html"]);
        assert!(Arc::ptr_eq(&one.files["a.html"], &two.files["a.html"]));
        let (three, changed) = two.next(
            Some(vec![file("a.html", "A"), file("c.html", "C")]),
            &[],
            None,
        );
        assert!(changed.is_empty());
        assert_eq!(three.generation, two.generation);
    }

    #[test]
    fn failed_rebuild_keeps_files_and_bumps_for_the_overlay() {
        let built = vec![file("a.html", "A"), file("risks/R-9.html", "R")];
        let (one, _) = Snapshot::default().next(Some(built), &[], None);
        let gone = ["risks/R-9.html".to_string()];
        let (two, changed) = one.next(None, &gone, Some("<div>x</div>".into()));
        assert_eq!(changed, gone);
        assert_eq!(two.generation, one.generation + 1);
        assert_eq!(&*two.files["a.html"], b"A");
        assert!(!two.files.contains_key("risks/R-9.html"));
    }
}
