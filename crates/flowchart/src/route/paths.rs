//! Routes, second step: tracks in the gaps between layers, y-coordinates,
//! the polylines of the planned edges, and self-loops.

use super::plan::Planned;
use super::{border_point, End, Routed, Side, BESIDE, EPS};
use crate::geometry::{EdgeKind, EdgePath, NodeBox};
use crate::layers::{Layered, LOOP_STEP, LOOP_W};
use crate::{FlowGraph, Shape};

/// Minimum gap between two layers.
const MIN_GAP: f64 = 56.0;
/// Space above the first and below the last track of an inner gap.
const GAP_PAD: f64 = 20.0;
/// Distance between two tracks of a gap.
const TRACK_SP: f64 = 10.0;
/// Padding of the gaps above the first and below the last layer when used.
const EDGE_PAD: f64 = 14.0;

/// A horizontal stretch of an edge in a gap, and the track it got.
#[derive(Debug, Clone)]
struct Req {
    gap: usize,
    lo: f64,
    hi: f64,
    /// Where the edge's vertical meets the stretch from above / below.
    above: Vec<f64>,
    below: Vec<f64>,
    track: usize,
}

/// Sets the y of every step and draws every edge of `planned`: the routed
/// drawing, text and badges moved to where their steps are.
pub(super) fn draw(g: &FlowGraph, lg: &Layered, planned: Planned) -> Routed {
    let mut t = Tracks {
        g,
        lg,
        jogs: vec![Vec::new(); planned.plans.len()],
        planned,
        reqs: Vec::new(),
    };
    let tracks = t.request_tracks();
    let track_y0 = t.place_y(&tracks);
    let mut edges = t.polylines(&track_y0);
    edges.extend(t.self_loops());
    edges.sort_by_key(|p| p.edge);
    let mut nodes = t.planned.nodes;
    for b in &mut nodes {
        b.text_top += b.y;
        if let Some(badge) = &mut b.badge {
            badge.x += b.x;
            badge.y += b.y;
        }
    }
    Routed { nodes, edges }
}

/// The planned edges, their stretches in the gaps and the tracks those got.
struct Tracks<'a> {
    g: &'a FlowGraph,
    lg: &'a Layered,
    planned: Planned,
    reqs: Vec<Req>,
    /// Per plan: its stretches (indices into `reqs`), in path order.
    jogs: Vec<Vec<usize>>,
}
/// Assigns the tracks of one gap (left-edge algorithm): stretches that
/// overlap get different tracks, and where one edge comes down at an x
/// where another goes on down, the first gets the higher track so their
/// verticals do not overlap (unless that costs more than two extra tracks,
/// as in a staircase of many parallel edges). Returns the number of tracks.
fn assign_tracks(reqs: &mut [Req], gap: usize, depth: usize) -> usize {
    let mut ids: Vec<usize> = (0..reqs.len())
        .filter(|&r| reqs[r].gap.min(depth) == gap)
        .collect();
    ids.sort_by(|&a, &b| {
        let (p, q) = (&reqs[a], &reqs[b]);
        p.lo.total_cmp(&q.lo)
            .then(p.hi.total_cmp(&q.hi))
            .then(a.cmp(&b))
    });
    let touch = |xs: &[f64], ys: &[f64]| xs.iter().any(|x| ys.iter().any(|y| (x - y).abs() < 6.0));
    // must_above[i]: the positions in `ids` that must lie above ids[i].
    let must_above: Vec<Vec<usize>> = ids
        .iter()
        .map(|&b| {
            (0..ids.len())
                .filter(|&j| ids[j] != b && touch(&reqs[ids[j]].above, &reqs[b].below))
                .collect()
        })
        .collect();
    let free = left_edge(reqs, &ids, &vec![Vec::new(); ids.len()]);
    let tidy = left_edge(reqs, &ids, &must_above);
    let count = |t: &[usize]| t.iter().map(|x| x + 1).max().unwrap_or(0);
    let best = if count(&tidy) <= count(&free) + 2 {
        tidy
    } else {
        free
    };
    for (i, &r) in ids.iter().enumerate() {
        reqs[r].gap = gap;
        reqs[r].track = best[i];
    }
    count(&best)
}

/// Left-edge track assignment of the stretches `ids` (sorted by left end),
/// each placed only below all of its `must_above`; a cycle of constraints is
/// broken by placing the first waiting stretch anyway.
fn left_edge(reqs: &[Req], ids: &[usize], must_above: &[Vec<usize>]) -> Vec<usize> {
    let mut track: Vec<Option<usize>> = vec![None; ids.len()];
    let mut t = 0;
    while track.iter().any(Option::is_none) {
        let mut end = f64::NEG_INFINITY;
        let mut any = false;
        for i in 0..ids.len() {
            let ready = must_above[i]
                .iter()
                .all(|&j| track[j].is_some_and(|tj| tj < t));
            if track[i].is_none() && ready && reqs[ids[i]].lo > end + 8.0 {
                track[i] = Some(t);
                end = reqs[ids[i]].hi;
                any = true;
            }
        }
        if !any {
            if let Some(i) = track.iter().position(Option::is_none) {
                track[i] = Some(t);
            }
        }
        t += 1;
    }
    track.into_iter().map(|t| t.unwrap_or(0)).collect()
}

/// Drops repeated points and the middle of three collinear points.
fn simplify(pts: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
    let mut out: Vec<(f64, f64)> = Vec::with_capacity(pts.len());
    for p in pts {
        if out
            .last()
            .is_some_and(|q| (q.0 - p.0).abs() < EPS && (q.1 - p.1).abs() < EPS)
        {
            continue;
        }
        if let [.., a, b] = out[..] {
            let same_x = (a.0 - b.0).abs() < EPS && (b.0 - p.0).abs() < EPS;
            let same_y = (a.1 - b.1).abs() < EPS && (b.1 - p.1).abs() < EPS;
            if same_x || same_y {
                out.pop();
            }
        }
        out.push(p);
    }
    out
}

impl Tracks<'_> {
    /// Fixes the columns of every edge, asks for a track wherever an edge
    /// moves sideways in a gap, and assigns tracks; returns tracks per gap.
    fn request_tracks(&mut self) -> Vec<usize> {
        let depth = self.lg.layers.len();
        let nodes = &self.planned.nodes;
        let reqs = &mut self.reqs;
        for (plan, jogs) in self.planned.plans.iter_mut().zip(&mut self.jogs) {
            let (rs, rt) = (nodes[plan.from].rank, nodes[plan.to].rank);
            let mut ask = |gap: usize,
                           a: f64,
                           b: f64,
                           above: Vec<f64>,
                           below: Vec<f64>,
                           jogs: &mut Vec<usize>| {
                jogs.push(reqs.len());
                let (lo, hi) = (a.min(b), a.max(b));
                reqs.push(Req {
                    gap,
                    lo,
                    hi,
                    above,
                    below,
                    track: 0,
                });
            };
            if plan.kind != EdgeKind::Forward {
                // The lane rises from below the source's stretch to above
                // the target's.
                if let End::Port(x) = plan.src {
                    let above = vec![x, plan.lane];
                    ask(rs + 1, x, plan.lane, above, Vec::new(), jogs);
                }
                if let End::Port(x) = plan.dst {
                    let below = vec![plan.lane, x];
                    ask(rt, plan.lane, x, Vec::new(), below, jogs);
                }
                continue;
            }
            let (bs, bt) = (&nodes[plan.from], &nodes[plan.to]);
            let last = plan.cols.len() - 1;
            if let End::Port(x) = plan.dst {
                plan.cols[last] = x;
            }
            plan.cols[0] = match plan.src {
                End::Port(x) => x,
                // Out of a side vertex: straight to the column when it lies
                // beyond the vertex, else just clear of it and down.
                End::Vertex(sd) => {
                    let beside = bs.cx() + sd.sign() * (bs.w / 2.0 + BESIDE);
                    match (sd, plan.direct) {
                        (Side::Right, true) => plan.cols[1].max(beside),
                        (Side::Left, true) => plan.cols[1].min(beside),
                        _ => beside,
                    }
                }
                End::Border(..) => plan.cols[1],
            };
            if let End::Border(sd, _) = plan.dst {
                // Come down beside the box (ports may have moved the column).
                let beside = bt.cx() + sd.sign() * (bt.w / 2.0 + 12.0);
                plan.cols[last] = match sd {
                    Side::Right => plan.cols[last - 1].max(beside),
                    Side::Left => plan.cols[last - 1].min(beside),
                };
            }
            for j in 0..last {
                let (a, b) = (plan.cols[j], plan.cols[j + 1]);
                if (a - b).abs() > EPS {
                    ask(rs + j + 1, a, b, vec![a], vec![b], jogs);
                }
            }
        }
        (0..=depth)
            .map(|gap| assign_tracks(&mut self.reqs, gap, depth))
            .collect()
    }

    /// Sets the y of every node; returns the y of the first track of each gap.
    fn place_y(&mut self, tracks: &[usize]) -> Vec<f64> {
        let depth = self.lg.layers.len();
        let mut y = 0.0;
        let mut track_y0 = vec![0.0; depth + 1];
        for (gap, &t) in tracks.iter().enumerate() {
            let span = t.saturating_sub(1) as f64 * TRACK_SP;
            let h = match (gap == 0 || gap == depth, t > 0) {
                (true, true) => 2.0 * EDGE_PAD + span,
                (true, false) => 0.0,
                (false, _) => MIN_GAP.max(2.0 * GAP_PAD + span),
            };
            track_y0[gap] = y + (h - span) / 2.0;
            y += h;
            if let Some(layer) = self.planned.reals.get(gap) {
                let lh = layer
                    .iter()
                    .map(|&v| self.planned.nodes[v].h)
                    .fold(0.0, f64::max);
                for &v in layer {
                    self.planned.nodes[v].y = y + (lh - self.planned.nodes[v].h) / 2.0;
                }
                y += lh;
            }
        }
        track_y0
    }

    /// Point where an edge leaves (`leaving`) or enters node `b`.
    fn end_point(b: &NodeBox, end: End, leaving: bool) -> (f64, f64) {
        let y = if leaving { b.y + b.h } else { b.y };
        match end {
            End::Port(_) if b.shape == Shape::Decision => (b.cx(), y),
            End::Port(x) => (x, y),
            End::Vertex(sd) => (b.cx() + sd.sign() * b.w / 2.0, b.cy()),
            End::Border(sd, dy) => border_point(b, sd, b.cy() + dy),
        }
    }

    /// The polylines of the forward and back edges.
    fn polylines(&self, track_y0: &[f64]) -> Vec<EdgePath> {
        let ty = |r: usize| {
            let q = &self.reqs[r];
            track_y0.get(q.gap).copied().unwrap_or(0.0) + q.track as f64 * TRACK_SP
        };
        let plans = &self.planned.plans;
        let mut paths = Vec::with_capacity(plans.len());
        for (plan, jogs) in plans.iter().zip(&self.jogs) {
            let a = Self::end_point(&self.planned.nodes[plan.from], plan.src, true);
            let z = Self::end_point(&self.planned.nodes[plan.to], plan.dst, false);
            let mut pts = vec![a];
            let mut jogs = jogs.iter().map(|&r| ty(r));
            if plan.kind == EdgeKind::Forward {
                let mut cur = plan.cols[0];
                pts.push((cur, a.1));
                for &nx in &plan.cols[1..] {
                    if (cur - nx).abs() > EPS {
                        let y = jogs.next().unwrap_or(a.1);
                        pts.push((cur, y));
                        pts.push((nx, y));
                    }
                    cur = nx;
                }
                pts.push((cur, z.1));
            } else {
                if let End::Port(_) = plan.src {
                    let y = jogs.next().unwrap_or(a.1);
                    pts.push((a.0, y));
                    pts.push((plan.lane, y));
                } else {
                    pts.push((plan.lane, a.1));
                }
                if let End::Port(_) = plan.dst {
                    let y = jogs.next().unwrap_or(z.1);
                    pts.push((plan.lane, y));
                    pts.push((z.0, y));
                } else {
                    pts.push((plan.lane, z.1));
                }
            }
            pts.push(z);
            paths.push(EdgePath {
                edge: plan.edge,
                from: plan.from,
                to: plan.to,
                kind: plan.kind,
                points: simplify(pts),
                label_rect: None,
            });
        }
        paths
    }

    /// Self-loops, nested on the right of their node.
    fn self_loops(&self) -> Vec<EdgePath> {
        let mut count = vec![0usize; self.planned.nodes.len()];
        let mut out = Vec::new();
        for (i, e) in self.g.edges.iter().enumerate() {
            if self.lg.kinds[i] != Some(EdgeKind::SelfLoop) {
                continue;
            }
            let b = &self.planned.nodes[e.from];
            let k = count[e.from] as f64;
            count[e.from] += 1;
            let d = match b.shape {
                Shape::Decision => (b.h / 4.0 + 4.0 * k).min(b.h / 2.0 - 2.0),
                _ => (8.0 + 4.0 * k).min(b.h / 2.0 - 4.0),
            };
            let xo = b.x + b.w + LOOP_W + k * LOOP_STEP;
            let p1 = border_point(b, Side::Right, b.cy() - d);
            let p2 = border_point(b, Side::Right, b.cy() + d);
            out.push(EdgePath {
                edge: i,
                from: e.from,
                to: e.from,
                kind: EdgeKind::SelfLoop,
                points: vec![p1, (xo, p1.1), (xo, p2.1), p2],
                label_rect: None,
            });
        }
        out
    }
}
