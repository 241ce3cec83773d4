//! One way to render an audience: a [`Context`] is made once per audience
//! from its [`Filtered`] site and the other versions ([`History`]), and
//! every file of the version folder comes out of it. `build`, `serve`
//! (pages at once, documents on request, the fast path), the PDF booklet
//! and `export` all render through it, so a page added here is added to
//! every one of them (`tests/it/serve_build.rs` compares serve with build).

use super::{pages, theme::Theme, view::Views, Extra, RenderError};
use crate::changes::ChangeLog;
use crate::history::{History, RiskRecord, Snapshot};
use crate::model::{Kind, Site};
use crate::scope::Filtered;
use crate::write::{Rendered, Sink};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What one audience's version folder is made from: its filtered site,
/// the drawings and change log made from it and the history, the views
/// every page reads, and the theme.
#[derive(Clone)]
pub struct Context {
    filtered: Filtered,
    root: PathBuf,
    theme: Arc<Theme>,
    views: Views,
    extra: Extra,
    common: super::view::Shown<super::page_data::Common>,
    /// Whether `booklet.docx` is one of the documents.
    docx: bool,
    /// The version the change log compares with, kept for an edited risk
    /// (`replace_risk`).
    previous: Option<Arc<Snapshot>>,
}

impl Context {
    /// Draws the charts (with the other versions' counts from `history`),
    /// the flowcharts and the change log, and builds the views.
    /// `booklet_pdf`: the home page links `booklet.pdf`. `root` is the
    /// site folder (its `static/` goes over the theme's).
    pub fn new(
        root: &Path,
        filtered: Filtered,
        history: &History,
        theme: Arc<Theme>,
        booklet_pdf: bool,
    ) -> Context {
        // Independent of each other: side by side.
        let (mut extra, views) = rayon::join(
            || extra(&filtered, history),
            || Views::build(&filtered, &|r| theme.risk_row(r), theme.listing()),
        );
        extra.booklet_pdf = booklet_pdf;
        crate::timing::mark("charts, flows, views");
        let common = super::page_common(&filtered, filtered.audience(), &extra);
        let docx = filtered.config.booklet.docx;
        let previous = extra.log.as_ref().and_then(|_| {
            let p = history.previous(&filtered.config.version)?;
            Some(Arc::clone(&p.data))
        });
        Context {
            filtered,
            root: root.to_path_buf(),
            theme,
            views,
            extra,
            common,
            docx,
            previous,
        }
    }

    /// Also make `booklet.docx` (`build --docx`; config `booklet.docx`
    /// turns it on for every context).
    pub fn with_docx(mut self) -> Context {
        self.docx = true;
        self
    }

    /// The audience's site.
    pub fn site(&self) -> &Filtered {
        &self.filtered
    }

    /// The audience's site, the rest dropped.
    pub fn into_site(self) -> Filtered {
        let Context {
            filtered,
            views,
            extra,
            previous,
            ..
        } = self;
        // The views of a large site take a while to free; nothing waits.
        rayon::spawn(move || drop((views, extra, previous)));
        filtered
    }

    pub fn extra(&self) -> &Extra {
        &self.extra
    }

    /// The view data every page reads.
    pub fn views(&self) -> &Views {
        &self.views
    }

    /// What every page gets.
    pub fn common(&self) -> &super::view::Shown<super::page_data::Common> {
        &self.common
    }

    pub fn theme(&self) -> &Theme {
        &self.theme
    }

    /// Every file of the version folder into `sink`: pages, documents
    /// (see [`super::DOCUMENTS`]) and static files. Returns the count.
    ///
    /// Pages and documents render at the same time: the documents are
    /// mostly single long tasks (the booklet's template, the workbook) and
    /// the list pages' data is made on one thread, so each fills in around
    /// the others.
    pub fn render(&self, sink: &dyn Sink) -> Result<usize, RenderError> {
        let (pages, documents) = rayon::join(|| self.pages(sink), || self.documents(sink));
        crate::timing::mark("pages and documents");
        let statics = self.statics();
        let n = statics.len();
        for f in statics {
            super::put(sink, &f.path, f.bytes)?;
        }
        Ok(pages? + documents? + n)
    }

    /// Every page (list pages, then item pages) into `sink`.
    pub fn pages(&self, sink: &dyn Sink) -> Result<usize, RenderError> {
        timed("list pages' data, pages", || {
            let (site, v, extra) = (&*self.filtered, &self.views, &self.extra);
            let lists = pages::list_jobs(site, v, extra);
            pages::render(&self.theme, lists, site, v, extra, &self.common, sink)
        })
    }

    /// The theme's static files with the site's own `static/` over them.
    pub fn statics(&self) -> Vec<Rendered> {
        self.theme.static_files(&self.root)
    }

    /// The documents of [`super::DOCUMENTS`] (and the data schema) into
    /// `sink`, each written as soon as it is made, while the pages render
    /// beside them. Two chains go side by side, taken up by whichever
    /// thread is free (the pages are done well before them): the HTML
    /// booklet then the workbook, the two largest in memory, never held
    /// at once; the search index beside data.json (the index's postings
    /// are merged on one thread, data.json's items are printed on any).
    /// The Word booklet, by far the largest, comes after them, on its own.
    pub fn documents(&self, sink: &dyn Sink) -> Result<usize, RenderError> {
        let (site, a) = (&*self.filtered, self.filtered.audience());
        let xlsx = || {
            timed("xlsx, csv, schema", || {
                super::export::render_into(site, a, self.extra.log.as_ref(), sink)
            })
        };
        let search = || {
            timed("search index", || {
                super::search::render_into(site, sink).map(|()| 1)
            })
        };
        let data = || {
            timed("data.json", || {
                super::data::render_into(site, a, sink).map(|()| 1)
            })
        };
        let (large, small) = rayon::join(
            || Ok::<_, RenderError>(self.booklet_html(sink)? + xlsx()?),
            || {
                let (search, data) = rayon::join(search, data);
                Ok::<_, RenderError>(search? + data?)
            },
        );
        let docx = self.booklet_docx(sink);
        Ok(large? + small? + docx?)
    }

    /// `booklet.html` into `sink`.
    fn booklet_html(&self, sink: &dyn Sink) -> Result<usize, RenderError> {
        timed("booklet", || {
            let home = pages::home_job(&self.filtered, &self.views, &self.extra);
            super::booklet::render_into(
                &self.filtered,
                &self.views,
                &home,
                self.extra.log.as_ref(),
                &self.theme,
                &self.common,
                sink,
            )
            .map(|()| 1)
        })
    }

    /// `booklet.docx` into `sink` when it is wanted.
    fn booklet_docx(&self, sink: &dyn Sink) -> Result<usize, RenderError> {
        if !self.docx {
            return Ok(0);
        }
        timed("booklet.docx", || {
            let bytes = super::docx::render(&self.filtered, &self.views, &self.extra).map_err(
                |detail| RenderError {
                    page: super::docx::PATH.into(),
                    detail,
                },
            )?;
            super::put(sink, super::docx::PATH, bytes).map(|()| 1)
        })
    }

    /// The booklets alone (`booklet.html`, and `booklet.docx` when wanted)
    /// with the static files: what a department's booklet folder holds
    /// (`build --department`, a context of `Filtered::department`).
    pub fn booklets(&self, sink: &dyn Sink) -> Result<usize, RenderError> {
        let (html, docx) = rayon::join(|| self.booklet_html(sink), || self.booklet_docx(sink));
        let statics = self.statics();
        let n = statics.len();
        for f in statics {
            super::put(sink, &f.path, f.bytes)?;
        }
        Ok(html? + docx? + n)
    }

    /// The home page, the one page that links `booklet.pdf`.
    pub fn home(&self) -> Result<Rendered, RenderError> {
        let job = pages::home_job(&self.filtered, &self.views, &self.extra);
        page(&self.theme, job, &self.common)
    }

    /// The booklet could not be printed: the home page stops linking it.
    /// Returns the home page again (the only page that changes).
    pub fn unlink_pdf(&mut self) -> Result<Rendered, RenderError> {
        self.extra.booklet_pdf = false;
        self.common = super::page_common(&self.filtered, self.filtered.audience(), &self.extra);
        self.home()
    }

    /// The page of item `i` of `kind` (`None` for a kind without pages
    /// or an index out of range).
    pub fn item(&self, kind: Kind, i: usize) -> Option<Result<Rendered, RenderError>> {
        let job = pages::item_job(&self.filtered, &self.views, &self.extra, kind, i)?;
        Some(page(&self.theme, job, &self.common))
    }

    /// The change log's page (`changes.html`).
    pub fn changes(&self) -> Result<Rendered, RenderError> {
        let job = pages::changes_job(&self.filtered, &self.views, &self.extra);
        page(&self.theme, job, &self.common)
    }

    /// The register (`risks/index.html`).
    pub fn register(&self) -> Result<Rendered, RenderError> {
        let job = pages::risks_job(&self.filtered, &self.views, &self.extra);
        page(&self.theme, job, &self.common)
    }

    /// Takes the edited risk at `at` of the whole site `whole` (see
    /// [`Filtered::replace_risk`]). Returns its position in this
    /// audience's risks and whether what list tables show of it changed
    /// (then the pages listing it must be rendered again too); `None` when
    /// the whole site must be cut again.
    pub fn replace_risk(&mut self, whole: &Site, at: usize) -> Option<(usize, bool)> {
        let id = &whole.risks.get(at)?.meta.id;
        let j = self
            .filtered
            .risks
            .binary_search_by(|r| r.meta.id.cmp(id))
            .ok()?;
        // What list tables show of a risk is its view less the body.
        let shown = |v: &Views| serde_json::to_value(&v.risks[j]).ok();
        let before = shown(&self.views)?;
        let j = self.filtered.replace_risk(whole, at)?;
        let theme = &self.theme;
        self.views
            .set_risk(&self.filtered, j, &|r| theme.risk_row(r), theme.listing());
        // The change log compares every field: the risk's entries again.
        if let (Some(old), Some(log)) = (&self.previous, &mut self.extra.log) {
            let site: &Site = &self.filtered;
            let risk = RiskRecord::of(&site.config, &site.risks[j]);
            log.replace_risk(&site.config, old, site, &risk);
        }
        Some((j, shown(&self.views)? != before))
    }
}

/// One export of `filtered` by its file name in the version folder
/// (`register.csv`, `register.xlsx`, `data.json`): the bytes `build` writes
/// there, given the same `history`. `None` for another name.
pub fn document(
    filtered: &Filtered,
    history: &History,
    path: &str,
) -> Option<Result<Vec<u8>, RenderError>> {
    let (site, a) = (&**filtered, filtered.audience());
    let failed = |detail: String| RenderError {
        page: path.into(),
        detail,
    };
    Some(match path {
        super::export::CSV_PATH => Ok(super::export::csv_bytes(site)),
        super::export::XLSX_PATH => {
            let log = changes(filtered, history);
            super::export::xlsx_bytes(site, a, log.as_ref()).map_err(failed)
        }
        super::data::PATH => Ok(super::data::render(site, a).bytes),
        _ => return None,
    })
}

fn page(
    theme: &Theme,
    job: pages::Job,
    common: &super::view::Shown<super::page_data::Common>,
) -> Result<Rendered, RenderError> {
    let path = job.path.clone();
    let bytes = pages::render_page(theme, job, common)?;
    Ok(Rendered { path, bytes })
}

/// Drawings for one audience's pages: charts (with the other versions'
/// counts from `history`), flowcharts and the change log.
fn extra(filtered: &Filtered, history: &History) -> Extra {
    let site: &Site = filtered;
    // Flowcharts, charts and the change log side by side.
    let ((flow_svgs, risk_flow_svgs), ((home_charts, register_charts, department_charts), log)) =
        rayon::join(
            || super::flows::draw_all(site),
            || {
                rayon::join(
                    || super::summary::all(site, &counts(site, history)),
                    || changes(filtered, history),
                )
            },
        );
    Extra {
        home_charts,
        register_charts,
        department_charts,
        flow_svgs,
        risk_flow_svgs,
        log,
        booklet_pdf: false,
    }
}

/// The audience's change log against the newest readable version older
/// than the one being built, both its own data; `None` when there is none.
fn changes(filtered: &Filtered, history: &History) -> Option<ChangeLog> {
    let site: &Site = filtered;
    let previous = history.previous(&site.config.version)?;
    let new = Snapshot::of(site);
    let mut log = ChangeLog::compare(&site.config, filtered.audience(), &previous.data, &new);
    log.from = previous.name.clone();
    Some(log)
}

/// Per-grade counts of every version of this audience, oldest first; the
/// version being built counts from the model, the others from `history`.
fn counts(site: &Site, history: &History) -> Vec<super::summary::VersionCounts> {
    // `summaries` is newest first; the chart reads oldest first.
    summaries(site, history)
        .into_iter()
        .rev()
        .map(|v| super::summary::VersionCounts {
            version: v.version,
            counts: v.counts,
        })
        .collect()
}

/// Every version of the audience (the one being built from its filtered
/// site), newest first, as the versions list and the chart show them.
pub fn summaries(site: &Site, history: &History) -> Vec<super::data::VersionSummary> {
    let current = &site.config.version;
    let mut list: Vec<super::data::VersionSummary> = history
        .versions
        .iter()
        .map(|p| super::data::summary(site, &p.name, &p.data))
        .collect();
    list.push(super::data::VersionSummary {
        version: current.clone(),
        label: site.config.version_label.clone(),
        date: site.notice.date.clone(),
        counts: site.grade_counts(site.risks.iter()),
        total: site.risks.len() as u32,
    });
    let mut names: Vec<String> = list.iter().map(|v| v.version.clone()).collect();
    crate::write::sort_versions(&mut names);
    list.sort_by_key(|v| names.iter().position(|n| n == &v.version));
    list
}

/// Runs `f`; with `GONGSHI_TIMINGS` set, prints how long it took. For
/// tasks that run beside others, whose stage marks would interleave.
fn timed<T>(task: &str, f: impl FnOnce() -> T) -> T {
    let start = std::time::Instant::now();
    let out = f();
    if std::env::var_os("GONGSHI_TIMINGS").is_some() {
        let ms = start.elapsed().as_secs_f64() * 1000.0;
        let mb = crate::timing::resident_mb();
        eprintln!("[timing]   {task:<22} {ms:>8.1} ms (concurrent; resident {mb} MB at its end)");
    }
    out
}
