//! The booklet's flowchart pages. A flowchart is printed at the one size
//! where its smallest text ([`MIN_TEXT_SIZE`], the grade badge) is
//! [`MIN_PT`] on paper — never shrunk to fit a page. A drawing narrow enough
//! for the portrait text block goes on portrait pages, a wider one on
//! landscape pages (`.flow-page.wide`, `@page flow-wide` in `booklet.css`);
//! a tall one is cut into bands between its steps ([`flowchart::bands`]), one
//! page each, the later ones titled "（续）". Only a drawing wider than the
//! landscape text block is scaled down to its width.
//!
//! The page sizes below are the default theme's (`booklet.css`); a theme
//! that changes the booklet's page margins or flow headings changes them too.

use super::super::view::Views;
use crate::i18n::tr;
use crate::model::{Kind, Site};
use flowchart::{Slice, SvgOptions, MIN_TEXT_SIZE};
use rayon::prelude::*;
use serde::Serialize;

/// The smallest flowchart text on paper, in points.
pub const MIN_PT: f64 = 9.0;
/// CSS pixels per millimetre and per point.
const PX_PER_MM: f64 = 96.0 / 25.4;
const PX_PER_PT: f64 = 4.0 / 3.0;
/// Text blocks (width, height) in mm: portrait pages (A4, margins
/// 37/26/35/28 mm) and landscape flow pages (margins 20/26/20/28 mm).
const PORTRAIT: (f64, f64) = (156.0, 225.0);
const LANDSCAPE: (f64, f64) = (243.0, 170.0);
/// A flow page's heading (`.flow-page h3`) and power line (`.flow-power`):
/// font size and line height in points; the space around them, with room
/// to spare for rounding.
const TITLE: (f64, f64) = (18.0, 28.9);
const POWER: (f64, f64) = (14.0, 22.4);
const SPACING_PT: f64 = 4.0 + 6.0 + 14.0;

/// One flow as the booklet prints it.
#[derive(Debug, Serialize)]
pub struct FlowPages {
    pub id: String,
    pub title: String,
    pub power: Option<String>,
    /// Printed on landscape pages.
    pub wide: bool,
    /// The drawing of each page, top to bottom.
    pub pages: Vec<String>,
}

/// Every flow of the site, drawn for the booklet (in parallel): ids
/// prefixed per flow and page (one document holds them all), risk markers
/// linking into the register below.
pub fn flows(site: &Site, v: &Views) -> Vec<FlowPages> {
    let lang = site.config.lang();
    let risk_label = tr(lang, "ui.kind_risk", &[]);
    let continued = tr(lang, "ui.booklet_flow_continued", &[]);
    site.flows
        .par_iter()
        .map(|f| {
            let power = v.ro(Kind::Power, &f.power).map(|p| p.title);
            let mut g = super::super::flows::graph(site, f);
            for n in &mut g.nodes {
                for r in n.marker.iter_mut().flat_map(|m| m.risks.iter_mut()) {
                    r.href = format!("#r-{}", r.id);
                }
            }
            let layout = flowchart::layout(&g);
            let heading = format!("{} {}", f.meta.id, f.meta.title);
            let fit = Fit::of(&heading, power.as_deref(), layout.width);
            let title = g.title.clone();
            let pages = flowchart::bands(&layout, fit.band_height)
                .into_iter()
                .enumerate()
                .map(|(i, (top, bottom))| {
                    if i > 0 {
                        g.title = format!("{title}{continued}");
                    }
                    let opts = SvgOptions {
                        highlight: None,
                        id_prefix: format!("bk-{}-{}-", f.meta.id, i + 1),
                        risk_label: risk_label.clone(),
                    };
                    let slice = Slice {
                        top,
                        bottom,
                        scale: fit.scale,
                    };
                    flowchart::render_slice(&g, &layout, &opts, &slice)
                })
                .collect();
            FlowPages {
                id: f.meta.id.clone(),
                title: f.meta.title.clone(),
                power,
                wide: fit.wide,
                pages,
            }
        })
        .collect()
}

/// How a drawing of `width` units goes on paper.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Fit {
    /// CSS pixels per drawing unit.
    scale: f64,
    wide: bool,
    /// The height of drawing (units) one page holds below the heading.
    band_height: f64,
}

impl Fit {
    /// For a page headed `heading` (and the `power` line, if any).
    fn of(heading: &str, power: Option<&str>, width: f64) -> Fit {
        // px per unit: MIN_TEXT_SIZE units are MIN_PT points.
        let scale = MIN_PT * PX_PER_PT / MIN_TEXT_SIZE;
        let px = |mm: f64| mm * PX_PER_MM;
        let wide = width * scale > px(PORTRAIT.0);
        let (block_w, block_h) = if wide { LANDSCAPE } else { PORTRAIT };
        let scale = scale.min(px(block_w) / width.max(1.0));
        let lines = |text: &str, (size, _): (f64, f64)| {
            (markup::width(text, size * PX_PER_PT) / px(block_w))
                .ceil()
                .max(1.0)
        };
        let mut heading_pt = lines(heading, TITLE) * TITLE.1 + SPACING_PT;
        if let Some(p) = power {
            heading_pt += lines(p, POWER) * POWER.1;
        }
        let room = px(block_h) - heading_pt * PX_PER_PT;
        Fit {
            scale,
            wide,
            band_height: (room / scale).max(MIN_TEXT_SIZE * 4.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_smallest_text_is_9_pt_whatever_the_orientation() {
        let f = "F-02 不动产登记办理流程图";
        let narrow = Fit::of(f, None, 300.0);
        let wide = Fit::of(f, Some("不动产登记"), 800.0);
        for fit in [narrow, wide] {
            let pt = MIN_TEXT_SIZE * fit.scale / PX_PER_PT;
            assert!((pt - MIN_PT).abs() < 1e-9, "{pt} pt");
        }
        assert!(!narrow.wide && wide.wide);
        assert!(
            narrow.band_height > wide.band_height,
            "portrait pages are taller"
        );
        // Drawn at that scale, a band fits its text block below the heading.
        assert!(narrow.band_height * narrow.scale < PORTRAIT.1 * PX_PER_MM - 60.0);
        assert!(wide.band_height * wide.scale < LANDSCAPE.1 * PX_PER_MM - 60.0);
    }

    #[test]
    fn only_a_drawing_wider_than_a_landscape_page_is_scaled_down() {
        let px = LANDSCAPE.0 * PX_PER_MM;
        let fit = Fit::of("F-01 流程", None, 2000.0);
        assert!(fit.wide && (2000.0 * fit.scale - px).abs() < 1e-6);
    }

    #[test]
    fn a_long_title_leaves_less_room_for_the_drawing() {
        let short = Fit::of("F-01 流程", None, 300.0);
        let long = Fit::of(&"很长的流程图标题".repeat(6), None, 300.0);
        assert!(long.band_height < short.band_height);
    }
}
