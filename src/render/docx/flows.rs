//! The flowcharts of the Word booklet, as PNG pictures.
//!
//! Each flow is laid out by `flowchart` and drawn as SVG as the HTML
//! booklet draws it — at the size where its smallest text (the grade
//! badge) is 9 pt, only a drawing wider than the text block scaled down to
//! its width, a tall one cut between its steps into one picture per page —
//! then rasterised by resvg at [`DPI`] with the system's fonts (the
//! drawing names Microsoft YaHei, PingFang SC, Noto Sans CJK SC: whichever
//! the machine has). Same machine and fonts, same bytes; another set of
//! fonts draws other pixels.

use crate::i18n::tr;
use crate::model::{Kind, Site};
use crate::render::view::Views;
use flowchart::{Slice, SvgOptions, MIN_TEXT_SIZE};
use rayon::prelude::*;
use resvg::{tiny_skia, usvg};
use std::sync::{Arc, OnceLock};

/// Raster resolution of the pictures.
pub const DPI: f64 = 200.0;
/// The smallest flowchart text on paper, in points (as the HTML booklet).
const MIN_PT: f64 = 9.0;
/// CSS pixels per point and per millimetre.
const PX_PER_PT: f64 = 4.0 / 3.0;
const PX_PER_MM: f64 = 96.0 / 25.4;
/// What a flow page's heading, power line and spacing take from the text
/// block, in points (a heading line and a power line of 28.95 pt, room).
const HEADING_PT: f64 = 2.0 * 28.95 + 16.0;
/// English Metric Units per CSS pixel.
const EMU_PER_PX: f64 = 9525.0;

/// One flow as the Word booklet shows it.
pub struct FlowPictures {
    pub id: String,
    pub title: String,
    pub power: Option<String>,
    pub pages: Vec<Picture>,
}

/// A PNG and its size on paper.
pub struct Picture {
    pub png: Vec<u8>,
    pub px: (u32, u32),
    pub emu: (u32, u32),
}

/// Every flow of the site drawn and rasterised (in parallel). A drawing
/// resvg cannot read is left out rather than failing the booklet.
pub fn pictures(site: &Site, v: &Views) -> Vec<FlowPictures> {
    if site.flows.is_empty() {
        return Vec::new();
    }
    let lang = site.config.lang();
    let risk_label = tr(lang, "ui.kind_risk", &[]);
    let fonts = fonts();
    site.flows
        .par_iter()
        .map(|f| {
            let g = crate::render::flows::graph(site, f);
            let layout = flowchart::layout(&g);
            // px per unit: MIN_TEXT_SIZE units are MIN_PT points, at most the block's width.
            let block_px = super::style::BLOCK_MM.0 * PX_PER_MM;
            let scale = (MIN_PT * PX_PER_PT / MIN_TEXT_SIZE).min(block_px / layout.width.max(1.0));
            let room_px = super::style::BLOCK_MM.1 * PX_PER_MM - HEADING_PT * PX_PER_PT;
            let band = (room_px / scale).max(MIN_TEXT_SIZE * 4.0);
            let pages = flowchart::bands(&layout, band)
                .into_iter()
                .enumerate()
                .filter_map(|(i, (top, bottom))| {
                    let opts = SvgOptions {
                        highlight: None,
                        id_prefix: format!("d-{}-{}-", f.meta.id, i + 1),
                        risk_label: risk_label.clone(),
                    };
                    let slice = Slice { top, bottom, scale };
                    let svg = flowchart::render_slice(&g, &layout, &opts, &slice);
                    rasterise(&svg, &fonts)
                })
                .collect();
            FlowPictures {
                id: f.meta.id.clone(),
                title: f.meta.title.clone(),
                power: v.ro(Kind::Power, &f.power).map(|p| p.title),
                pages,
            }
        })
        .collect()
}

/// The system's fonts, read once per process.
fn fonts() -> Arc<usvg::fontdb::Database> {
    static DB: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        db.load_system_fonts();
        db.set_sans_serif_family("Noto Sans CJK SC");
        Arc::new(db)
    })
    .clone()
}

/// `svg` (CSS pixels) as a PNG at [`DPI`].
fn rasterise(svg: &str, fonts: &Arc<usvg::fontdb::Database>) -> Option<Picture> {
    let opts = usvg::Options {
        fontdb: fonts.clone(),
        languages: vec!["zh-CN".into(), "en".into()],
        ..Default::default()
    };
    let tree = usvg::Tree::from_str(svg, &opts).ok()?;
    let size = tree.size();
    let k = (DPI / 96.0) as f32;
    let (w, h) = (
        (size.width() * k).ceil() as u32,
        (size.height() * k).ceil() as u32,
    );
    let mut pixmap = tiny_skia::Pixmap::new(w.max(1), h.max(1))?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(k, k),
        &mut pixmap.as_mut(),
    );
    let png = pixmap.encode_png().ok()?;
    let emu = |px: f32| (f64::from(px) * EMU_PER_PX).round() as u32;
    Some(Picture {
        png,
        px: (w, h),
        emu: (emu(size.width()), emu(size.height())),
    })
}
