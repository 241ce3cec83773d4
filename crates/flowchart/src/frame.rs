//! Phase 5, frame: the drawing shifted into view with a margin (room kept
//! around every step for the highlight halo) and its size set: the finished
//! [`Layout`].

use super::geometry::{Layout, Rect};
use super::labels::Labelled;

/// Margin around the drawing.
const MARGIN: f64 = 18.0;
/// Room kept around every node for the highlight halo.
const HALO: f64 = 7.0;

/// Shifts everything into view (with a margin) and sets the drawing size.
pub(crate) fn frame(labelled: Labelled) -> Layout {
    let Labelled {
        mut nodes,
        mut edges,
    } = labelled;
    let mut lo = (f64::INFINITY, f64::INFINITY);
    let mut hi = (f64::NEG_INFINITY, f64::NEG_INFINITY);
    let mut grow = |r: Rect| {
        lo = (lo.0.min(r.x), lo.1.min(r.y));
        hi = (hi.0.max(r.right()), hi.1.max(r.bottom()));
    };
    for b in &nodes {
        grow(Rect {
            x: b.x - HALO,
            y: b.y - HALO,
            w: b.w + 2.0 * HALO,
            h: b.h + 2.0 * HALO,
        });
        if let Some(r) = b.badge {
            grow(r);
        }
    }
    for e in &edges {
        for &(x, y) in &e.points {
            grow(Rect {
                x,
                y,
                w: 0.0,
                h: 0.0,
            });
        }
        if let Some(r) = e.label_rect {
            grow(r);
        }
    }
    if !lo.0.is_finite() {
        return Layout {
            width: 2.0 * MARGIN,
            height: 2.0 * MARGIN,
            nodes,
            edges,
        };
    }
    let (dx, dy) = (MARGIN - lo.0, MARGIN - lo.1);
    for b in &mut nodes {
        b.x += dx;
        b.y += dy;
        b.text_top += dy;
        if let Some(r) = &mut b.badge {
            r.x += dx;
            r.y += dy;
        }
    }
    for e in &mut edges {
        for p in &mut e.points {
            *p = (p.0 + dx, p.1 + dy);
        }
        if let Some(r) = &mut e.label_rect {
            r.x += dx;
            r.y += dy;
        }
    }
    Layout {
        width: hi.0 - lo.0 + 2.0 * MARGIN,
        height: hi.1 - lo.1 + 2.0 * MARGIN,
        nodes,
        edges,
    }
}
