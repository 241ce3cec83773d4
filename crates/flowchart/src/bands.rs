//! Cutting a tall flowchart into horizontal bands, one per printed page.
//!
//! A cut never passes through a step (with its badge and the arrowhead
//! above it), an edge label or a loop drawn beside a step: cuts are made
//! only in the free space between them. As few pages as possible, then
//! the bands balanced (the tallest as low as it can be), so the last page
//! is not left with a sliver. Only when one element is taller than a page
//! is it cut through.

use super::geometry::{EdgeKind, Layout};

/// Room kept free above a step (its arrowhead) and below it.
const ABOVE: f64 = 12.0;
const BELOW: f64 = 4.0;

/// The bands `(top, bottom)` that cover the drawing from 0 to its height,
/// each at most `max_h` tall when the drawing allows; one band when it fits.
/// As few bands as the free cuts allow, and of those cuttings the one whose
/// tallest band is lowest.
pub fn bands(l: &Layout, max_h: f64) -> Vec<(f64, f64)> {
    let height = l.height.max(0.0);
    if max_h.is_nan() || max_h <= 0.0 || height <= max_h {
        return vec![(0.0, height)];
    }
    let cuts = free_cuts(l);
    let fewest = farthest(&cuts, height, max_h);
    // The lowest limit that still needs no more bands (bisection).
    let (mut low, mut high) = (height / fewest.len() as f64, max_h);
    let mut best = fewest;
    for _ in 0..40 {
        let mid = (low + high) / 2.0;
        let b = farthest(&cuts, height, mid);
        if b.len() <= best.len() {
            best = b;
            high = mid;
        } else {
            low = mid;
        }
    }
    best
}

/// Bands of at most `limit`, each cut at the lowest free cut it reaches
/// (through an element only where no free cut is in reach).
fn farthest(cuts: &[f64], height: f64, limit: f64) -> Vec<(f64, f64)> {
    let mut out = Vec::new();
    let mut top = 0.0;
    while height - top > limit {
        let cut = cuts
            .iter()
            .copied()
            .rev()
            .find(|&c| c > top && c <= top + limit)
            .unwrap_or(top + limit);
        out.push((top, cut));
        top = cut;
    }
    out.push((top, height));
    out
}

/// The middles of the free gaps between the drawing's elements, top down.
fn free_cuts(l: &Layout) -> Vec<f64> {
    let mut taken: Vec<(f64, f64)> = Vec::new();
    for b in &l.nodes {
        let (mut top, mut bottom) = (b.y, b.y + b.h);
        if let Some(r) = b.badge {
            top = top.min(r.y);
            bottom = bottom.max(r.bottom());
        }
        taken.push((top - ABOVE, bottom + BELOW));
    }
    for e in &l.edges {
        if let Some(r) = e.label_rect {
            taken.push((r.y - BELOW, r.bottom() + BELOW));
        }
        if e.kind == EdgeKind::SelfLoop {
            let ys = e.points.iter().map(|p| p.1);
            let top = ys.clone().fold(f64::INFINITY, f64::min);
            let bottom = ys.fold(f64::NEG_INFINITY, f64::max);
            if top <= bottom {
                taken.push((top - ABOVE, bottom + BELOW));
            }
        }
    }
    taken.retain(|t| t.0.is_finite() && t.1.is_finite());
    taken.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut cuts = Vec::new();
    let mut reach = f64::NEG_INFINITY;
    for (top, bottom) in taken {
        if reach.is_finite() && top > reach {
            cuts.push((reach + top) / 2.0);
        }
        reach = reach.max(bottom);
    }
    cuts
}

#[cfg(test)]
mod tests {
    use super::super::{layout, FlowEdge, FlowGraph, FlowNode, Shape};
    use super::*;

    fn chain(n: usize) -> FlowGraph {
        let nodes = (0..n)
            .map(|i| FlowNode {
                id: format!("S{i}"),
                label: format!("第{i}步审批材料"),
                shape: Shape::Step,
                post: Some("审批员".into()),
                time_limit: None,
                marker: None,
            })
            .collect();
        let edges = (1..n)
            .map(|i| FlowEdge {
                from: i - 1,
                to: i,
                label: (i % 3 == 0).then(|| "同意".to_string()),
            })
            .collect();
        FlowGraph {
            title: "流程".into(),
            nodes,
            edges,
        }
    }

    #[test]
    fn a_short_flow_is_one_band() {
        let l = layout(&chain(3));
        assert_eq!(bands(&l, l.height + 1.0), vec![(0.0, l.height)]);
    }

    #[test]
    fn bands_cover_the_drawing_fit_the_page_and_never_cut_a_step_or_label() {
        let l = layout(&chain(14));
        for max_h in [180.0, 250.0, 400.0, 777.0] {
            let b = bands(&l, max_h);
            assert!(b.len() >= 2, "{max_h}: {b:?}");
            assert_eq!(b[0].0, 0.0);
            assert_eq!(b.last().unwrap().1, l.height);
            for w in b.windows(2) {
                assert_eq!(w[0].1, w[1].0, "bands meet");
            }
            for (top, bottom) in &b {
                assert!(bottom - top <= max_h, "{max_h}: band {top}–{bottom}");
                for n in &l.nodes {
                    assert!(
                        !(n.y < *bottom && n.y + n.h > *bottom),
                        "step cut at {bottom}"
                    );
                }
                for r in l.edges.iter().filter_map(|e| e.label_rect) {
                    assert!(!(r.y < *bottom && r.bottom() > *bottom), "label cut");
                }
            }
            // Balanced: no band is under half the average.
            let avg = l.height / b.len() as f64;
            assert!(b.iter().all(|(t, u)| u - t > avg / 2.0), "{max_h}: {b:?}");
        }
    }

    #[test]
    fn a_step_taller_than_a_page_is_cut_rather_than_lost() {
        let l = layout(&chain(4));
        let b = bands(&l, 20.0);
        assert_eq!(b.last().unwrap().1, l.height);
        assert!(
            b.iter().all(|(t, u)| u > t && u - t <= 20.0 + 1e-9),
            "{b:?}"
        );
        assert_eq!(bands(&Layout::default(), 100.0), vec![(0.0, 0.0)]);
    }
}
