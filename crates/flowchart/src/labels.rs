//! Phase 4, labels: each edge label placed beside its edge, clear of steps,
//! badges and other labels.

use super::geometry::{EdgePath, NodeBox, Rect};
use super::measure::{edge_label, label_size, LABEL_OFF};
use super::route::Routed;
use super::FlowGraph;

/// The routed drawing with its edge labels placed (`label_rect`); not yet
/// framed.
#[derive(Debug, Clone)]
pub(crate) struct Labelled {
    /// One box per step, in the graph's order.
    pub(crate) nodes: Vec<NodeBox>,
    /// One path per valid edge, in the graph's order, labels placed.
    pub(crate) edges: Vec<EdgePath>,
}

/// Places the labels of the routed edges (see [`place_labels`]).
pub(crate) fn place(g: &FlowGraph, routed: Routed) -> Labelled {
    let Routed { nodes, mut edges } = routed;
    place_labels(g, &mut edges, &nodes);
    Labelled { nodes, edges }
}

/// A segment of an edge polyline.
type Seg = ((f64, f64), (f64, f64));

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
fn place_labels(g: &FlowGraph, paths: &mut [EdgePath], nodes: &[NodeBox]) {
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
