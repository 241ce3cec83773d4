//! The previewed site: rebuilt through the shared pipeline
//! (`pipeline::check_with` → `scope::filter` → `render::Context`)
//! and kept in memory as a [`Snapshot`] the server answers from.
//!
//! A snapshot is never changed in place: a rebuild makes a new one (sharing
//! the bytes of every unchanged file with the old one) and the server swaps
//! it in whole, so no request ever sees half a rebuild.

use super::documents::Pending;
use super::patch::Last;
use super::watch::Changes;
use crate::config::Config;
use crate::diag::{Diagnostic, Location};
use crate::i18n::{tr, Lang};
use crate::render::{theme::Theme, Context};
use crate::write::Rendered;
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
    /// The documents of the last good build, made on request.
    pub documents: Option<Arc<Pending>>,
    /// The overlay HTML, while the content has errors.
    pub overlay: Option<String>,
    /// The warnings panel HTML, while a good build has warnings.
    pub warnings: Option<String>,
}

/// What a rebuild changes of the files.
pub enum Update<'a> {
    /// A full rebuild: these are all the files.
    All(Vec<Rendered>, Arc<Pending>),
    /// The fast path: these files replace theirs; the rest stay.
    Some(Vec<Rendered>, Arc<Pending>),
    /// A failed rebuild: the last good files stay, less the pages whose
    /// source is gone.
    Keep { gone: &'a [String] },
}

impl Snapshot {
    /// What is added to every served page besides the reload script: the
    /// error overlay, or else the warnings panel.
    pub fn decor(&self) -> Option<&str> {
        self.overlay.as_deref().or(self.warnings.as_deref())
    }

    /// The next snapshot, sharing the bytes of unchanged files with this
    /// one. Returns it with the paths whose bytes changed, appeared or went
    /// (and, when any did, the documents, which may have changed with them).
    pub fn next(
        &self,
        update: Update,
        overlay: Option<String>,
        warnings: Option<String>,
    ) -> (Snapshot, Vec<String>) {
        let mut changed = Vec::new();
        let mut share = |files: &mut BTreeMap<String, Arc<[u8]>>, f: Rendered| {
            let bytes = match self.files.get(&f.path) {
                Some(old) if **old == *f.bytes => old.clone(),
                _ => {
                    changed.push(f.path.clone());
                    Arc::from(f.bytes)
                }
            };
            files.insert(f.path, bytes);
        };
        let rebuilt = !matches!(update, Update::Keep { .. });
        let (files, documents) = match update {
            Update::Keep { gone } => {
                let mut files = self.files.clone();
                for g in gone {
                    if files.remove(g).is_some() {
                        changed.push(g.clone());
                    }
                }
                (files, self.documents.clone())
            }
            Update::Some(list, documents) => {
                let mut files = self.files.clone();
                for f in list {
                    share(&mut files, f);
                }
                (files, Some(documents))
            }
            Update::All(list, documents) => {
                let mut files = BTreeMap::new();
                for f in list {
                    share(&mut files, f);
                }
                changed.extend(
                    self.files
                        .keys()
                        .filter(|k| !files.contains_key(*k))
                        .cloned(),
                );
                (files, Some(documents))
            }
        };
        changed.sort();
        if rebuilt && !changed.is_empty() {
            // After the pages, so that the terminal line names those first.
            changed.extend(crate::render::DOCUMENTS.iter().map(|d| d.to_string()));
        }
        let same = overlay == self.overlay && warnings == self.warnings;
        let generation = if changed.is_empty() && same {
            self.generation
        } else {
            self.generation + 1
        };
        let next = Snapshot {
            generation,
            files,
            documents,
            overlay,
            warnings,
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
    /// Every page and static file, or (when `patched`) only the pages the
    /// edit changed.
    pub files: Vec<Rendered>,
    pub patched: bool,
    /// The documents of `render::DOCUMENTS`, made on request.
    pub documents: Arc<Pending>,
    /// Warnings found by check (shown in the terminal, not in the overlay).
    pub warnings: Vec<Diagnostic>,
    /// The audience served, by its label (`单位内部`).
    pub scope: String,
    /// Static files left out because they resolve outside the site folder.
    pub outside: Vec<String>,
}

/// What stays between rebuilds: the config and the compiled theme, reloaded
/// only when `gongshi.yaml` or the theme changed, and what the last good
/// build was made from.
///
/// A rebuild first tries the fast path (`serve::patch`: risk files edited
/// in place re-render only the pages that show them); otherwise it re-runs
/// the shared pipeline over all of `content/`.
pub struct Session {
    root: PathBuf,
    /// The output folder the other versions are read from.
    out: PathBuf,
    scope: Option<String>,
    config: Option<Config>,
    theme: Option<Arc<Theme>>,
    /// Source file → the item page made from it, as of the last good build.
    pages: BTreeMap<String, String>,
    last: Option<Last>,
}

impl Session {
    pub fn new(root: &Path, out: &Path, scope: Option<String>) -> Session {
        Session {
            root: root.to_path_buf(),
            out: out.to_path_buf(),
            scope,
            config: None,
            theme: None,
            pages: BTreeMap::new(),
            last: None,
        }
    }

    /// Rebuilds the served audience after `changes`; when that fails, also
    /// names the pages whose source file is gone.
    pub fn rebuild(&mut self, changes: &Changes) -> Result<Built, Failed> {
        if let Some(built) = self.patch(changes) {
            return Ok(built);
        }
        self.last = None;
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

    /// The fast path, when `changes` are risk files edited in place.
    fn patch(&mut self, changes: &Changes) -> Option<Built> {
        if changes.config || changes.theme || changes.statics || !changes.content {
            return None;
        }
        let last = self.last.as_mut()?;
        let files = super::patch::apply(last, &self.root, &changes.paths)?;
        let site = &last.site;
        Some(Built {
            files,
            patched: true,
            documents: Arc::new(Pending::new(&last.ctx)),
            warnings: last.warnings.clone(),
            scope: site.config.scopes[last.ctx.site().audience()].label.clone(),
            outside: Vec::new(),
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
            self.theme = Some(Arc::new(theme));
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
        let checked = crate::pipeline::check_with(&self.root, config);
        if checked.errors() > 0 {
            return Err(errors_of(checked.diags));
        }
        let site = checked.site;
        let scope = site.config.scopes[audience].label.clone();
        let Some(theme) = self.theme.clone() else {
            return Err(Vec::new());
        };
        let (history, damaged) = crate::history::History::read(
            &self.root,
            &self.out,
            &site.config.scopes[audience].name,
            &site.config.version,
        );
        let (ctx, files) = render(&self.root, &site, audience, theme, &history).map_err(|e| {
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
        let mut warnings = checked.diags;
        warnings.extend(damaged);
        let last = Last::new(site, &warnings, ctx);
        let documents = Arc::new(Pending::new(&last.ctx));
        self.last = Some(last);
        Ok(Built {
            files,
            patched: false,
            documents,
            warnings,
            scope,
            outside,
        })
    }
}

/// Every page and static file of the served audience (the documents come
/// later, on request), with the context they were made from.
fn render(
    root: &Path,
    site: &crate::model::Site,
    audience: usize,
    theme: Arc<Theme>,
    history: &crate::history::History,
) -> Result<(Context, Vec<Rendered>), crate::render::RenderError> {
    let filtered = crate::scope::filter(site, audience);
    let ctx = Context::new(root, filtered, history, theme, false);
    let sink = crate::write::Memory::default();
    ctx.pages(&sink)?;
    let mut files = sink.into_files();
    files.extend(ctx.statics());
    Ok((ctx, files))
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
        let all = |files| Update::All(files, Arc::default());
        let (one, changed) = empty.next(
            all(vec![file("a.html", "A"), file("b.html", "B")]),
            None,
            None,
        );
        let documents = crate::render::DOCUMENTS.len();
        assert_eq!(changed.len(), 2 + documents);
        assert!(changed.contains(&"a.html".to_string()));
        assert_eq!(one.generation, 1);
        let (two, changed) = one.next(
            all(vec![file("a.html", "A"), file("c.html", "C")]),
            None,
            None,
        );
        assert_eq!(changed[..2], ["b.html", "c.html"]);
        assert!(Arc::ptr_eq(&one.files["a.html"], &two.files["a.html"]));
        let (three, changed) = two.next(
            all(vec![file("a.html", "A"), file("c.html", "C")]),
            None,
            None,
        );
        assert!(changed.is_empty());
        assert_eq!(three.generation, two.generation);
        let (four, changed) = three.next(
            Update::Some(vec![file("c.html", "D")], Arc::default()),
            None,
            None,
        );
        assert_eq!(changed.len(), 1 + documents);
        assert!(Arc::ptr_eq(&three.files["a.html"], &four.files["a.html"]));
        assert_eq!(&*four.files["c.html"], b"D");
    }

    #[test]
    fn failed_rebuild_keeps_files_and_bumps_for_the_overlay() {
        let built = vec![file("a.html", "A"), file("risks/R-9.html", "R")];
        let (one, _) = Snapshot::default().next(Update::All(built, Arc::default()), None, None);
        let gone = ["risks/R-9.html".to_string()];
        let (two, changed) = one.next(
            Update::Keep { gone: &gone },
            Some("<div>x</div>".into()),
            None,
        );
        assert_eq!(changed, gone);
        assert_eq!(two.generation, one.generation + 1);
        assert_eq!(&*two.files["a.html"], b"A");
        assert!(!two.files.contains_key("risks/R-9.html"));
    }
}
