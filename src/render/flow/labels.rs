//! Edge-label placement and the final framing of the drawing.

use super::layout::{EdgePath, Layout, NodeBox, Rect, SMALL_SIZE};
use super::text;
use super::FlowGraph;

/// Height of an edge-label box.
const LABEL_H: f64 = 18.0;
/// Horizontal padding inside an edge-label box.
const LABEL_PAD: f64 = 5.0;
/// Distance between a label box and its edge.
pub(super) const LABEL_OFF: f64 = 5.0;
/// Margin around the drawing.
const MARGIN: f64 = 18.0;
/// Room kept around every node for the highlight halo.
const HALO: f64 = 7.0;

/// A segment of an edge polyline.
type Seg = ((f64, f64), (f64, f64));

/// Size of the box of an edge label.
pub(super) fn label_size(s: &str) -> (f64, f64) {
    (text::width(s, SMALL_SIZE) + 2.0 * LABEL_PAD, LABEL_H)
}

/// The label of edge `e`, trimmed, if it has a non-empty one.
pub(super) fn edge_label(g: &FlowGraph, e: usize) -> Option<&str> {
    g.edges
        .get(e)?
        .label
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// Candidate label boxes beside each segment (returned with it), nearest
/// the source first; with `fit`, only beside segments long enough to hold
/// the label.
fn candidates(pts: &[(f64, f64)], w: f64, h: f64, fit: bool) -> Vec<(Rect, Seg)> {
    let mut out = Vec::new();
    for s in pts.windows(2) {
        let (a, b) = (s[0], s[1]);
        let vertical = (a.0 - b.0).abs() < 1e-6;
        let len = if vertical {
            (b.1 - a.1).abs()
        } else {
            (b.0 - a.0).abs()
        };
        let along = if vertical { h } else { w };
        if fit && len < along + 10.0 {
            continue;
        }
        let mut t = 6.0;
        loop {
            if vertical {
                let y = if b.1 > a.1 { a.1 + t } else { a.1 - t - h };
                out.push((
                    Rect {
                        x: a.0 + LABEL_OFF,
                        y,
                        w,
                        h,
                    },
                    (a, b),
                ));
                out.push((
                    Rect {
                        x: a.0 - LABEL_OFF - w,
                        y,
                        w,
                        h,
                    },
                    (a, b),
                ));
            } else {
                let x = if b.0 > a.0 { a.0 + t } else { a.0 - t - w };
                out.push((
                    Rect {
                        x,
                        y: a.1 - LABEL_OFF - h,
                        w,
                        h,
                    },
                    (a, b),
                ));
                out.push((
                    Rect {
                        x,
                        y: a.1 + LABEL_OFF,
                        w,
                        h,
                    },
                    (a, b),
                ));
            }
            t += 8.0;
            if t + along > len - 4.0 || out.len() > 600 {
                break;
            }
        }
    }
    out
}

/// Label boxes on the square ring `ring` (10 px steps) around a point.
fn ring_spots(x0: f64, y0: f64, w: f64, h: f64, ring: i32) -> Vec<Rect> {
    let mut out = Vec::new();
    for i in -ring..=ring {
        for j in -ring..=ring {
            if i.abs() == ring || j.abs() == ring {
                let (dx, dy) = (f64::from(i) * 10.0, f64::from(j) * 10.0);
                out.push(Rect {
                    x: x0 + dx + LABEL_OFF,
                    y: y0 + dy,
                    w,
                    h,
                });
            }
        }
    }
    out
}

/// Whether segment `o` runs along segment `s` where the label box `r`
/// stands beside it.
fn shares(s: &Seg, o: &Seg, r: &Rect) -> bool {
    let vertical = |q: &Seg| (q.0 .0 - q.1 .0).abs() < 1e-6;
    let overlap =
        |a0: f64, a1: f64, b0: f64, b1: f64| a0.min(a1) < b1.max(b0) && b0.min(b1) < a0.max(a1);
    match (vertical(s), vertical(o)) {
        (true, true) => (s.0 .0 - o.0 .0).abs() < 1.0 && overlap(o.0 .1, o.1 .1, r.y, r.bottom()),
        (false, false) => (s.0 .1 - o.0 .1).abs() < 1.0 && overlap(o.0 .0, o.1 .0, r.x, r.right()),
        _ => false,
    }
}

/// The smallest rectangle holding both.
fn union(a: &Rect, b: &Rect) -> Rect {
    let (x, y) = (a.x.min(b.x), a.y.min(b.y));
    Rect {
        x,
        y,
        w: a.right().max(b.right()) - x,
        h: a.bottom().max(b.bottom()) - y,
    }
}

/// Places each edge label beside its edge, as near the source as possible,
/// clear of nodes, badges and other labels, and crossing as few edges as
/// possible. Segments too short to hold the label are tried last.
pub(super) fn place_labels(g: &FlowGraph, paths: &mut [EdgePath], nodes: &[NodeBox]) {
    let mut obstacles: Vec<Rect> = nodes.iter().map(NodeBox::rect).collect();
    obstacles.extend(nodes.iter().filter_map(|b| b.badge));
    let segs: Vec<(Seg, usize)> = paths
        .iter()
        .enumerate()
        .flat_map(|(k, p)| p.points.windows(2).map(move |w| ((w[0], w[1]), k)))
        .collect();
    let mut placed: Vec<Rect> = Vec::new();
    for (k, p) in paths.iter_mut().enumerate() {
        let Some(label) = edge_label(g, p.edge) else {
            continue;
        };
        let (w, h) = label_size(label);
        let mut cands = candidates(&p.points, w, h, true);
        cands.extend(candidates(&p.points, w, h, false));
        // Only what lies near the candidates can collide with them.
        let near = cands.iter().fold(None, |acc: Option<Rect>, (r, _)| {
            Some(acc.map_or(*r, |a| union(&a, r)))
        });
        let near = near.unwrap_or_default();
        let local: Vec<Rect> = obstacles
            .iter()
            .copied()
            .filter(|o| o.overlaps(&near, 5.0))
            .collect();
        let local_segs: Vec<&(Seg, usize)> = segs
            .iter()
            .filter(|(s, _)| near.cut_by(s.0, s.1, -2.0))
            .collect();
        let free = |r: &Rect, obst: &[Rect], placed: &[Rect]| {
            obst.iter().all(|o| !r.overlaps(o, 6.0)) && placed.iter().all(|o| !r.overlaps(o, 3.0))
        };
        let mut best: Option<(usize, Rect)> = None;
        for (r, beside) in cands {
            if !free(&r, &local, &placed) {
                continue;
            }
            // Lines crossed or passing within 4 px count once; running
            // beside a stretch that another edge shares makes the label
            // ambiguous: ten times.
            let crossed = local_segs
                .iter()
                .filter(|(s, _)| r.cut_by(s.0, s.1, -4.0))
                .count();
            let shared = local_segs
                .iter()
                .filter(|(s, owner)| *owner != k && shares(&beside, s, &r))
                .count();
            let cost = crossed + 10 * shared;
            if best.is_none_or(|b| cost < b.0) {
                best = Some((cost, r));
            }
            if cost == 0 {
                break;
            }
        }
        let rect = best.map(|b| b.1).or_else(|| {
            // Nowhere beside the edge: the nearest free spot around its start.
            let (x0, y0) = p.points.first().copied().unwrap_or_default();
            (1..40)
                .flat_map(|ring| ring_spots(x0, y0, w, h, ring))
                .find(|r| free(r, &obstacles, &placed))
        });
        if let Some(r) = rect {
            placed.push(r);
            p.label_rect = Some(r);
        }
    }
}

/// Shifts everything into view (with a margin) and sets the drawing size.
pub(super) fn finish(mut nodes: Vec<NodeBox>, mut edges: Vec<EdgePath>) -> Layout {
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
