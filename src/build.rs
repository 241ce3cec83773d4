//! The whole build: checked model → per-audience filter → render → write.

use crate::diag::Diagnostic;
use crate::history::History;
use crate::model::Site;
use crate::pipeline::Checked;
use crate::render::{self, theme::Theme, Context};
use crate::scope::Filtered;
use crate::versions::{Manifest, Record};
use std::path::{Path, PathBuf};

pub mod department;

/// Why a build stopped. No version folder was written when it did.
#[derive(Debug)]
pub enum BuildError {
    Config(Vec<Diagnostic>),
    Content(Vec<Diagnostic>),
    UnknownScope {
        scope: String,
        allowed: String,
    },
    /// The version was published (`publish`): `manifest` says whether
    /// its `manifest.json` is still there (else only `published.json`
    /// remembers it).
    Frozen {
        scope: String,
        version: String,
        manifest: bool,
        record: PathBuf,
    },
    /// Another build or publish of the same output folder held the lock
    /// for the whole wait (`lock::WAIT`).
    Busy {
        pid: Option<u32>,
        secs: u64,
    },
    Theme(render::theme::ThemeError),
    Render(render::RenderError),
    Io {
        path: PathBuf,
        detail: String,
    },
    /// `publish` with items the widest audience sees unreviewed (and the
    /// guard on, no `--allow-unreviewed`).
    Unreviewed(Vec<crate::versions::Unreviewed>),
    /// `build --department` naming a department the audience does not
    /// have (`nearest`: the id one keystroke off, when there is one).
    UnknownDepartment {
        id: String,
        scope: String,
        nearest: Option<String>,
    },
    /// A source file that could not be read (publish's content digest).
    Unreadable {
        path: PathBuf,
        detail: String,
    },
}

/// What a build wrote.
#[derive(Debug)]
pub struct Report {
    /// (scope name, files written, version folder)
    pub audiences: Vec<(String, usize, PathBuf)>,
    /// Warnings from check, then damaged versions' (W117).
    pub diags: Vec<Diagnostic>,
    /// The PDF booklets printed, or why not (empty without `--pdf`).
    pub pdf: Vec<crate::pdf::Outcome>,
    /// `publish --allow-unreviewed`: the unreviewed items published.
    pub unreviewed: Vec<crate::versions::Unreviewed>,
}

/// Options of `gongshi build`.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// One audience by name, or all.
    pub scope: Option<String>,
    /// Output root (default `root/site`; see [`out_dir`]).
    pub out: Option<PathBuf>,
    /// Also print `booklet.pdf` (`--pdf`; config `booklet.pdf` does too).
    pub pdf: bool,
    /// Also write `booklet.docx` (`--docx`; config `booklet.docx` does too).
    pub docx: bool,
    /// Write only this department's booklet (`--department`; see
    /// [`department`]).
    pub department: Option<String>,
}

/// The output folder of a build or preview: `--out`, else `root/site`.
pub fn out_dir(root: &Path, out: Option<&Path>) -> PathBuf {
    out.map_or_else(|| root.join("site"), Path::to_path_buf)
}

/// Renders one audience through `ctx` into `sink`; with `printer`, also
/// prints the booklet from the files just rendered and adds
/// `booklet.pdf`. A failed print is returned as the outcome and the home
/// page (the one page that links the PDF) is rendered again without the
/// link, so the output never points at a missing file. Returns the file
/// count and the outcome.
fn render_printing(
    ctx: &mut Context,
    scope: &str,
    printer: Option<&crate::pdf::Printer>,
    sink: &dyn crate::write::Sink,
) -> Result<(usize, Option<crate::pdf::Outcome>), render::RenderError> {
    let Some(printer) = printer else {
        return Ok((ctx.render(sink)?, None));
    };
    let started = std::time::Instant::now();
    let tee = crate::write::Tee {
        inner: sink,
        keep: |p: &str| p == render::booklet::PATH || p.starts_with("static/"),
        kept: crate::write::Memory::default(),
    };
    let n = ctx.render(&tee)?;
    match printer.print(&tee.kept.into_files()) {
        Ok((bytes, pages, numbered)) => {
            render::put(sink, render::booklet::PDF_PATH, bytes)?;
            let printed = crate::pdf::Printed {
                scope: scope.to_string(),
                pages,
                numbered,
                secs: started.elapsed().as_secs_f64(),
            };
            Ok((n + 1, Some(crate::pdf::Outcome::Printed(printed))))
        }
        Err(e) => {
            let home = ctx.unlink_pdf()?;
            render::put(sink, &home.path, home.bytes)?;
            Ok((n, Some(crate::pdf::Outcome::Skipped(e))))
        }
    }
}

/// A checked site ready to write: what `prepare` found before the lock.
struct Prepared {
    site: Site,
    diags: Vec<Diagnostic>,
    audiences: Vec<usize>,
    out: PathBuf,
    theme: Theme,
}

/// Checks, then builds the chosen audiences into `out/<scope>/<version>/`.
pub fn build(root: &Path, opts: &Options) -> Result<Report, BuildError> {
    build_waiting(root, opts, &mut |_| {})
}

/// [`build`], calling `waiting` (with the other run's process id) when
/// another build or publish of the same output folder has to finish first.
pub fn build_waiting(
    root: &Path,
    opts: &Options,
    waiting: &mut dyn FnMut(Option<u32>),
) -> Result<Report, BuildError> {
    if let Some(id) = &opts.department {
        return department::build(root, opts, id.trim(), waiting);
    }
    let prepared = prepare(root, opts)?;
    let _lock = lock(&prepared.out, waiting)?;
    write(root, opts, prepared)
}

/// `publish`: builds every audience, then freezes each version folder
/// (`manifest.json`, and its entry in `site/published.json`), all under one
/// lock, so that no other run can change a folder between its build and
/// its freezing. Returns the build's report and the manifests written.
pub fn publish(
    root: &Path,
    allow_unreviewed: bool,
    waiting: &mut dyn FnMut(Option<u32>),
) -> Result<(Report, Vec<Manifest>), BuildError> {
    let opts = Options::default();
    let prepared = prepare(root, &opts)?;
    let unreviewed = if prepared.site.config.review.guard {
        unreviewed_public(&prepared.site)
    } else {
        Vec::new()
    };
    if !unreviewed.is_empty() && !allow_unreviewed {
        return Err(BuildError::Unreviewed(unreviewed));
    }
    let scopes = prepared.site.config.scopes.len();
    let digest =
        crate::versions::content_digest(root).map_err(|(path, e)| BuildError::Unreadable {
            path,
            detail: e.to_string(),
        })?;
    let out = prepared.out.clone();
    let version = prepared.site.config.version.clone();
    let _lock = lock(&out, waiting)?;
    let mut report = write(root, &opts, prepared)?;
    let io = |path: &Path, e: std::io::Error| BuildError::Io {
        path: path.to_path_buf(),
        detail: e.to_string(),
    };
    let record_path = out.join(crate::versions::RECORD);
    let mut record = Record::load(&out).map_err(|e| io(&record_path, e))?;
    let mut manifests = Vec::new();
    for (a, (scope, _, dir)) in report.audiences.iter().enumerate() {
        // the override is recorded where the public does not read it
        let listed = if a > 0 || scopes == 1 {
            &unreviewed[..]
        } else {
            &[]
        };
        let m = crate::versions::freeze(&out, scope, &version, &digest, listed, &mut record)
            .map_err(|e| io(dir, e))?;
        manifests.push(m);
    }
    report.unreviewed = unreviewed;
    Ok((report, manifests))
}

/// The items the widest audience sees that are unreviewed, in kind then
/// id order: what `publish` refuses to put before the public.
pub fn unreviewed_public(site: &Site) -> Vec<crate::versions::Unreviewed> {
    use crate::model::ReviewState;
    let Some(reviews) = &site.reviews else {
        return Vec::new();
    };
    reviews
        .unreviewed()
        .filter_map(|(kind, id, state)| {
            let meta = site.meta(kind, id).filter(|m| m.scope == 0)?;
            let (state, fields) = match state {
                ReviewState::Current => return None,
                ReviewState::Never => ("never", Vec::new()),
                ReviewState::Unverified => ("unverified", Vec::new()),
                ReviewState::Changed { fields } => {
                    ("changed", fields.iter().map(|f| f.to_string()).collect())
                }
            };
            Some(crate::versions::Unreviewed {
                kind: kind.name().to_string(),
                id: id.to_string(),
                title: meta.title.clone(),
                file: site
                    .sources
                    .get(meta.src)
                    .map(|s| s.path.clone())
                    .unwrap_or_default(),
                state: state.to_string(),
                fields,
            })
        })
        .collect()
}

/// Locks the output folder for this run (see `lock`).
fn lock(
    out: &Path,
    waiting: &mut dyn FnMut(Option<u32>),
) -> Result<crate::lock::SiteLock, BuildError> {
    crate::lock::SiteLock::acquire(out, crate::lock::WAIT, waiting).map_err(|e| match e {
        crate::lock::LockError::Busy { pid, waited } => BuildError::Busy {
            pid,
            secs: waited.as_secs(),
        },
        crate::lock::LockError::Io { path, detail } => BuildError::Io { path, detail },
    })
}

/// Everything that needs no lock: check, the audiences, the theme.
fn prepare(root: &Path, opts: &Options) -> Result<Prepared, BuildError> {
    crate::timing::mark("start");
    let checked: Checked = crate::pipeline::check(root).map_err(BuildError::Config)?;
    crate::timing::mark("load, model, check");
    if checked.errors() > 0 {
        return Err(BuildError::Content(checked.diags));
    }
    let cfg = &checked.site.config;
    let audiences: Vec<usize> = match &opts.scope {
        Some(s) => vec![cfg.scope_index(s).ok_or_else(|| BuildError::UnknownScope {
            scope: s.clone(),
            allowed: cfg.scope_names().join(", "),
        })?],
        None => (0..cfg.scopes.len()).collect(),
    };
    let theme = Theme::load(root, &cfg.theme, cfg.lang()).map_err(BuildError::Theme)?;
    Ok(Prepared {
        out: out_dir(root, opts.out.as_deref()),
        site: checked.site,
        diags: checked.diags,
        audiences,
        theme,
    })
}

/// Refuses when a chosen audience's version was published: its folder
/// holds `manifest.json`, or `published.json` lists it (a manifest lost or
/// deleted does not unfreeze it). Versions frozen before the record
/// existed are entered into it first.
fn refuse_frozen(out: &Path, site: &Site, audiences: &[usize]) -> Result<(), BuildError> {
    let path = out.join(crate::versions::RECORD);
    let io = |e: std::io::Error| BuildError::Io {
        path: path.clone(),
        detail: e.to_string(),
    };
    let mut record = Record::load(out).map_err(io)?;
    if record.adopt(out) {
        record.save(out).map_err(io)?;
    }
    let cfg = &site.config;
    for &a in audiences {
        let scope = &cfg.scopes[a].name;
        let manifest = crate::versions::is_frozen(out, scope, &cfg.version);
        if manifest || record.find(scope, &cfg.version).is_some() {
            return Err(BuildError::Frozen {
                scope: scope.clone(),
                version: cfg.version.clone(),
                manifest,
                record: path.clone(),
            });
        }
    }
    Ok(())
}

/// Writes the prepared audiences; the caller holds the output's lock.
fn write(root: &Path, opts: &Options, p: Prepared) -> Result<Report, BuildError> {
    let Prepared {
        site,
        diags,
        audiences,
        out,
        theme,
    } = p;
    refuse_frozen(&out, &site, &audiences)?;
    let io = |path: &Path, e: std::io::Error| BuildError::Io {
        path: path.to_path_buf(),
        detail: e.to_string(),
    };
    // Render (and print) every audience into its staging folder; only when
    // all succeeded are they swapped into place. A staging folder dropped
    // on an error removes itself.
    crate::write::sweep(&out).map_err(|e| io(&out, e))?;
    let mut pdf = Vec::new();
    let printer = crate::pdf::Printer::wanted(root, &site.config.booklet, opts.pdf, &mut pdf);
    // Every audience's filtered site first: the whole model (sources and
    // all) is then dropped before anything renders.
    let filtered: Vec<(usize, Filtered)> = audiences
        .iter()
        .map(|&a| (a, crate::scope::filter(&site, a)))
        .collect();
    crate::timing::mark("scope filter");
    let cfg = site.config.clone();
    let cfg = &cfg;
    // Freeing a large model takes a while; nothing waits for it. Its own
    // thread, not the pool's: rendering keeps the pool busy, and the
    // memory is wanted back before the pages and documents take theirs.
    std::thread::spawn(move || drop(site));
    let mut staged = Vec::new();
    let mut diags = diags;
    let theme = std::sync::Arc::new(theme);
    for (a, filtered) in filtered {
        let name = &cfg.scopes[a].name;
        // The other versions, read once before anything renders.
        let (history, damaged) = History::read(root, &out, name, &cfg.version);
        diags.extend(damaged);
        let staging =
            crate::write::Staging::new(&out, name, &cfg.version).map_err(|e| io(&out, e))?;
        let mut ctx = Context::new(root, filtered, &history, theme.clone(), printer.is_some());
        if opts.docx {
            ctx = ctx.with_docx();
        }
        let (files, outcome) = render_printing(&mut ctx, name, printer.as_ref(), &staging)
            .map_err(BuildError::Render)?;
        pdf.extend(outcome);
        let versions = render::context::summaries(ctx.site(), &history);
        // What the versions list needs of it: the config and the pages.
        let mut filtered = ctx.into_site();
        filtered.keep_only_pages();
        staged.push((a, filtered, versions, files, staging));
    }
    let mut report = Report {
        audiences: Vec::new(),
        diags,
        pdf,
        unreviewed: Vec::new(),
    };
    for (a, filtered, versions, files, staging) in staged {
        let name = &cfg.scopes[a].name;
        let dir = staging.commit().map_err(|e| io(&out, e))?;
        crate::timing::mark("swap into place");
        audience_index(&out, a, &filtered, &theme, &versions)?;
        report.audiences.push((name.clone(), files, dir));
    }
    Ok(report)
}

/// The files of `out/<scope>/` outside version folders: the versions list,
/// the index that opens the newest, `versions-data.js`.
/// `versions`: every version, newest first (see [`summaries`]).
fn audience_index(
    out: &Path,
    a: usize,
    filtered: &Filtered,
    theme: &Theme,
    versions: &[render::data::VersionSummary],
) -> Result<(), BuildError> {
    let io = |path: &Path, e: std::io::Error| BuildError::Io {
        path: path.to_path_buf(),
        detail: e.to_string(),
    };
    let name = &filtered.config.scopes[a].name;
    for f in render::versions_index(filtered, a, theme, versions).map_err(BuildError::Render)? {
        let path = out.join(name).join(&f.path);
        crate::write::file(&path, &f.bytes).map_err(|e| io(&path, e))?;
    }
    let data = out.join(name).join("versions-data.js");
    crate::write::file(&data, crate::versions::switcher_data(out, name).as_bytes())
        .map_err(|e| io(&data, e))
}
