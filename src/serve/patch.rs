//! The fast path of a `serve` rebuild: risk files edited in place.
//!
//! A writer mostly edits one risk's text. When every changed file is a
//! risk file that the last good build read without any diagnostic, and the
//! edit keeps what other pages are built from — id, title, scope, type,
//! grade (likelihood, impact), department, posts, power and the shared
//! measures it cites — only that file is read again. Its new item replaces
//! the old one in the model, the checks about its own text run on it
//! (`check::one_risk`; every other check's findings cannot change), it is
//! filtered for the audience (`scope::filter_risk`) and only the pages that
//! show it are rendered: its own page, and when what list tables show of it
//! changed (owner, measures, its 待复核 badge…), the register and the pages
//! of its posts, powers, department, flows and shared measures; the home
//! page when its review state changed (the 未复核 count), and
//! `changes.html` and the home page when its change-log entries did.
//!
//! Anything else — a new, deleted or renamed file, another kind, a changed
//! reference, title or grade, a problem found — returns `None` and the
//! session runs the whole pipeline. `tests/it/serve_patch.rs` checks that both
//! paths give the same bytes.

use crate::diag::Diagnostic;
use crate::load::{Doc, Loaded};
use crate::model::{Kind, MeasureUse, Risk, Site};
use crate::render::Context;
use crate::write::Rendered;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

/// What the last good rebuild leaves for the next one.
pub struct Last {
    /// The whole checked model, sources included.
    pub site: Site,
    /// Source files with a diagnostic: edits to them take the full path,
    /// which reports where each one went.
    pub flagged: BTreeSet<String>,
    /// The warnings of that build, still true after a patch.
    pub warnings: Vec<Diagnostic>,
    /// What the served audience's pages and documents are made from.
    pub ctx: Arc<Context>,
}

impl Last {
    pub fn new(site: Site, diags: &[Diagnostic], ctx: Context) -> Last {
        Last {
            // an unreviewed risk (W130) can still take the fast path:
            // `apply` re-assesses it
            flagged: diags
                .iter()
                .filter(|d| d.code != crate::diag::Code::Unreviewed)
                .filter_map(|d| d.at.as_ref().map(|at| at.file.clone()))
                .collect(),
            warnings: diags.to_vec(),
            site,
            ctx: Arc::new(ctx),
        }
    }
}

/// One edited risk, read again.
struct Edit {
    /// Index in the whole site's risks (and its source's index).
    at: usize,
    src: crate::load::SourceFile,
    risk: Risk,
}

/// Applies an edit of the risk files `paths` (relative to `root`) to
/// `last` and renders the pages that show them. `None` when the edit is
/// outside the fast path; `last` must then be rebuilt in full, since it
/// may have been changed part-way.
pub fn apply(last: &mut Last, root: &Path, paths: &BTreeSet<String>) -> Option<Vec<Rendered>> {
    if paths.is_empty() {
        return None;
    }
    let shows_changes = last.ctx.extra().log.is_some();
    let edits: Vec<Edit> = paths
        .iter()
        .map(|p| read(last, root, p, shows_changes))
        .collect::<Option<_>>()?;
    let site = &mut last.site;
    for e in edits.iter() {
        let src = site.risks[e.at].meta.src;
        site.sources[src] = e.src.clone();
        site.risks[e.at] = e.risk.clone();
        site.risks[e.at].meta.src = src;
        if !crate::check::one_risk(site, &site.risks[e.at]).is_empty() {
            return None;
        }
        reassess(site, &mut last.warnings, e.at);
    }
    let ctx = Arc::make_mut(&mut last.ctx);
    let audience = ctx.site().audience();
    let mut jobs: BTreeSet<(Kind, usize)> = BTreeSet::new();
    let mut register = false;
    let mut home = false;
    let log = ctx.extra().log.clone();
    for e in &edits {
        // Its scope is unchanged (`same_shape`): unseen before, unseen now.
        if site.risks[e.at].meta.scope > audience {
            continue;
        }
        let unreviewed = |ctx: &Context| {
            let id = &site.risks[e.at].meta.id;
            let reviews = ctx.site().reviews.as_ref();
            reviews.map(|r| r.is_unreviewed(Kind::Risk, id))
        };
        let was = unreviewed(ctx);
        let (j, listed) = ctx.replace_risk(site, e.at)?;
        // The home page counts the unreviewed items.
        home |= unreviewed(ctx) != was;
        jobs.insert((Kind::Risk, j));
        if listed {
            register = true;
            jobs.extend(showing(ctx.site(), &ctx.site().risks[j].meta.id));
        }
    }
    // `changes.html` lists the log, the home page sums it up.
    let logged = ctx.extra().log != log;
    let ctx = &*ctx;
    let mut list: Vec<Redo> = jobs.into_iter().map(|(k, i)| Redo::Item(k, i)).collect();
    if register {
        list.push(Redo::Register);
    }
    if logged {
        list.push(Redo::Changes);
    }
    if home || logged {
        list.push(Redo::Home);
    }
    list.into_par_iter()
        .map(|redo| match redo {
            Redo::Item(kind, i) => ctx.item(kind, i)?.ok(),
            Redo::Register => ctx.register().ok(),
            Redo::Changes => ctx.changes().ok(),
            Redo::Home => ctx.home().ok(),
        })
        .collect()
}

/// Re-assesses the edited risk at `at`: its review state in the whole
/// site (which `Filtered::replace_risk` copies and `filter_risk` reads for
/// the 最近审定 date and the 待复核 badges) and its W130 warning, at its new
/// line. `apply` then renders again the pages showing the state: the
/// risk's own, the lists showing its badge (its view changed) and the home
/// page's 未复核 count (`tests/serve_patch.rs` compares with a full rebuild).
fn reassess(site: &mut Site, warnings: &mut Vec<Diagnostic>, at: usize) {
    let now = crate::review::risk_state(site, &site.risks[at]);
    let id = site.risks[at].meta.id.clone();
    if let Some(reviews) = &mut site.reviews {
        reviews.set(Kind::Risk, &id, now.clone());
    }
    let file = &site.sources[site.risks[at].meta.src].path;
    warnings.retain(|d| {
        d.code != crate::diag::Code::Unreviewed || d.at.as_ref().is_none_or(|l| &l.file != file)
    });
    warnings.extend(crate::check::review::one(site, Kind::Risk, &id, &now));
    crate::diag::sort(warnings);
}

/// A page to render again.
enum Redo {
    Item(Kind, usize),
    /// `risks/index.html`.
    Register,
    /// `changes.html`.
    Changes,
    /// `index.html`.
    Home,
}

/// Reads the risk file `rel` again; `None` unless it is a risk the last
/// build had, read without diagnostics, edited within the fast path.
fn read(last: &Last, root: &Path, rel: &str, shows_changes: bool) -> Option<Edit> {
    let site = &last.site;
    if last.flagged.contains(rel) {
        return None;
    }
    let at = site
        .risks
        .iter()
        .position(|r| site.sources.get(r.meta.src).is_some_and(|s| s.path == rel))?;
    let bytes = std::fs::read(root.join(rel)).ok()?;
    let (Some(src), Some((Kind::Risk, front)), diags) = crate::load::parse_document(rel, bytes)
    else {
        return None;
    };
    if !diags.is_empty() {
        return None;
    }
    let loaded = Loaded {
        sources: vec![src.clone()],
        docs: vec![Doc {
            src: 0,
            kind: Kind::Risk,
            front,
        }],
        diags: Vec::new(),
    };
    let (mut one, diags) = crate::model::build(site.config.clone(), loaded);
    if !diags.is_empty() || one.risks.len() != 1 {
        return None;
    }
    let risk = one.risks.pop()?;
    same_shape(&site.risks[at], &risk, shows_changes).then_some(Edit { at, src, risk })
}

/// Whether `new` differs from `old` only where no other page's structure,
/// chart or flowchart depends on it. With a change log shown, measures
/// count too (the log compares them).
fn same_shape(old: &Risk, new: &Risk, shows_changes: bool) -> bool {
    let shared = |r: &Risk| -> Vec<String> {
        r.measures
            .iter()
            .filter_map(|m| match m {
                MeasureUse::Shared { id } => Some(id.clone()),
                MeasureUse::Inline { .. } => None,
            })
            .collect()
    };
    if shows_changes && old.measures != new.measures || shared(old) != shared(new) {
        return false;
    }
    let mut n = new.clone();
    n.meta.body.clone_from(&old.meta.body);
    n.meta.src = old.meta.src;
    n.owner.clone_from(&old.owner);
    n.tier.clone_from(&old.tier);
    n.basis.clone_from(&old.basis);
    n.reviewed.clone_from(&old.reviewed);
    n.measures.clone_from(&old.measures);
    n == *old
}

/// The item pages (other than its own) whose tables list risk `id`.
fn showing(site: &Site, id: &str) -> Vec<(Kind, usize)> {
    let l = &site.links;
    let mut out = Vec::new();
    let mut add = |kind: Kind, items: Vec<&str>| {
        for item in items {
            if let Some(i) = index(site, kind, item) {
                out.push((kind, i));
            }
        }
    };
    fn keys<'a>(m: &'a BTreeMap<String, Vec<String>>, id: &str) -> Vec<&'a str> {
        m.iter()
            .filter(|(_, v)| v.iter().any(|x| x == id))
            .map(|(k, _)| k.as_str())
            .collect()
    }
    add(Kind::Post, keys(&l.post_risks, id));
    add(Kind::Power, keys(&l.power_risks, id));
    add(Kind::Department, keys(&l.department_risks, id));
    add(Kind::Measure, keys(&l.measure_risks, id));
    let flows: Vec<&str> = l
        .risk_steps
        .get(id)
        .map(|s| s.iter().map(|s| s.flow.as_str()).collect())
        .unwrap_or_default();
    add(Kind::Flow, flows);
    out
}

/// The position of item `id` in its kind's (id-sorted) list.
fn index(site: &Site, kind: Kind, id: &str) -> Option<usize> {
    fn find<T>(items: &[T], meta: impl Fn(&T) -> &crate::model::Meta, id: &str) -> Option<usize> {
        items.binary_search_by(|x| meta(x).id.as_str().cmp(id)).ok()
    }
    match kind {
        Kind::Post => find(&site.posts, |x| &x.meta, id),
        Kind::Power => find(&site.powers, |x| &x.meta, id),
        Kind::Department => find(&site.departments, |x| &x.meta, id),
        Kind::Measure => find(&site.measures, |x| &x.meta, id),
        Kind::Flow => find(&site.flows, |x| &x.meta, id),
        _ => None,
    }
}
