//! Routes, first step: the steps' x, then how each edge leaves and enters
//! its steps (bottom/top ports, diamond vertices, box sides), the side lanes
//! of back edges, and the ports of each side of a step spread apart.

use super::{port_range, End, Pool, Side, BESIDE};
use crate::geometry::{EdgeKind, NodeBox};
use crate::layers::Layered;
use crate::measure::Measured;
use crate::{FlowGraph, Shape};

/// Distance from the outermost node of a span to its first back-edge lane.
const LANE_GAP: f64 = 28.0;
/// Distance between neighbouring lanes.
const LANE_SP: f64 = 14.0;
/// Minimum distance between two ports on the top or bottom of a box.
const PORT_SP: f64 = 12.0;
/// Minimum distance between two ports on the side of a box.
const SIDE_SP: f64 = 14.0;

/// How one edge is routed: its ends, its columns or its lane.
#[derive(Debug, Clone)]
pub(super) struct Plan {
    pub(super) edge: usize,
    pub(super) from: usize,
    pub(super) to: usize,
    pub(super) kind: EdgeKind,
    pub(super) src: End,
    pub(super) dst: End,
    /// Forward edges: x of the edge on each layer from source to target.
    pub(super) cols: Vec<f64>,
    /// Back edges: side and x of the lane.
    pub(super) side: Side,
    pub(super) lane: f64,
    /// Vertex exits: whether the horizontal may run straight to the column.
    pub(super) direct: bool,
}

impl Plan {
    fn new(edge: usize, from: usize, to: usize, kind: EdgeKind, src: End, dst: End) -> Plan {
        Plan {
            edge,
            from,
            to,
            kind,
            src,
            dst,
            cols: Vec::new(),
            side: Side::Right,
            lane: 0.0,
            direct: true,
        }
    }
}

/// A pending port: plan, which end (true = target), desired place when
/// alone on its side of the node, desired place when sharing it.
type PortReq = (usize, bool, f64, f64);

/// Queues a port request of the next plan on side `pool` of node `v`.
fn ask(
    pools: &mut [Vec<PortReq>],
    k: usize,
    v: usize,
    pool: Pool,
    dst: bool,
    alone: f64,
    shared: f64,
) {
    pools[4 * v + pool as usize].push((k, dst, alone, shared));
}

/// The steps at their x (y still 0) and every forward and back edge's plan,
/// ports spread.
pub(super) struct Planned {
    pub(super) nodes: Vec<NodeBox>,
    /// Real nodes of each layer, in order.
    pub(super) reals: Vec<Vec<usize>>,
    pub(super) plans: Vec<Plan>,
}

/// Places the measured steps at the x of their layers and plans every edge.
pub(super) fn plan(g: &FlowGraph, lg: &Layered, measured: Measured) -> Planned {
    let mut nodes = measured.nodes;
    for (v, b) in nodes.iter_mut().enumerate() {
        b.rank = lg.layer_of[v];
        b.x = lg.x[v] - b.w / 2.0;
    }
    let mut p = Planner::new(g, lg, nodes);
    let exits = p.decision_exits();
    p.plan_forward(&exits);
    p.plan_back();
    p.assign_lanes();
    p.resolve_ports();
    Planned {
        nodes: p.nodes,
        reals: p.reals,
        plans: p.plans,
    }
}

struct Planner<'a> {
    g: &'a FlowGraph,
    lg: &'a Layered,
    nodes: Vec<NodeBox>,
    /// Real nodes of each layer, in order.
    reals: Vec<Vec<usize>>,
    /// Leftmost and rightmost extent of each layer (with dummies).
    ext: Vec<(f64, f64)>,
    has_loop: Vec<bool>,
    /// The edge each dummy node belongs to (index: dummy - node count).
    dummy_edge: Vec<usize>,
    /// Diamond side vertices in use: [left, right].
    vertex_used: Vec<[bool; 2]>,
    plans: Vec<Plan>,
    /// Port pools, four per node (see [`Pool`]).
    pools: Vec<Vec<PortReq>>,
}

impl<'a> Planner<'a> {
    fn new(g: &'a FlowGraph, lg: &'a Layered, nodes: Vec<NodeBox>) -> Planner<'a> {
        let n = nodes.len();
        let reals = lg
            .layers
            .iter()
            .map(|l| l.iter().copied().filter(|&v| v < n).collect())
            .collect();
        let ext = lg
            .layers
            .iter()
            .map(|l| {
                l.iter()
                    .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
                        (
                            a.min(lg.x[v] - lg.left_ext[v]),
                            b.max(lg.x[v] + lg.right_ext[v]),
                        )
                    })
            })
            .collect();
        let mut has_loop = vec![false; n];
        for (i, e) in g.edges.iter().enumerate() {
            if lg.kinds[i] == Some(EdgeKind::SelfLoop) {
                has_loop[e.from] = true;
            }
        }
        let mut dummy_edge = vec![usize::MAX; lg.layer_of.len().saturating_sub(n)];
        for (i, c) in lg.chains.iter().enumerate() {
            for &d in c.iter().filter(|&&d| d >= n) {
                dummy_edge[d - n] = i;
            }
        }
        Planner {
            g,
            lg,
            nodes,
            reals,
            ext,
            has_loop,
            dummy_edge,
            vertex_used: vec![[false; 2]; n],
            plans: Vec::new(),
            pools: vec![Vec::new(); 4 * n],
        }
    }

    /// Whether no node but `v` occupies `x0..x1` in v's layer.
    fn clear(&self, v: usize, x0: f64, x1: f64) -> bool {
        let (a, b) = (x0.min(x1), x0.max(x1));
        let lg = self.lg;
        self.reals[self.nodes[v].rank].iter().all(|&u| {
            u == v || lg.x[u] + lg.right_ext[u] + 4.0 < a || lg.x[u] - lg.left_ext[u] - 4.0 > b
        })
    }

    /// Whether another edge passes layer `r` within a few pixels of `x`
    /// (a vertical there would run on top of it).
    fn dummy_near(&self, r: usize, x: f64, edge: usize) -> bool {
        let n = self.nodes.len();
        self.lg.layers.get(r).is_some_and(|l| {
            l.iter().any(|&d| {
                d >= n && self.dummy_edge[d - n] != edge && (self.lg.x[d] - x).abs() < 8.0
            })
        })
    }

    /// Whether `v` is the outermost node of its layer on `side`.
    fn extreme(&self, v: usize, side: Side) -> bool {
        let l = &self.reals[self.nodes[v].rank];
        match side {
            Side::Left => l.first() == Some(&v),
            Side::Right => l.last() == Some(&v),
        }
    }

    /// Where a back edge leaves (`incoming` false) or enters node `n`: on
    /// the lane's side when it can go straight there (`direct`), else by a
    /// port in `pool` on the top or bottom border.
    fn back_end(
        &mut self,
        n: usize,
        direct: bool,
        pool: Pool,
        incoming: bool,
        side: Side,
        far: f64,
    ) -> End {
        let plan = self.plans.len();
        if !direct {
            ask(&mut self.pools, plan, n, pool, incoming, far, far);
            End::Port(self.nodes[n].cx())
        } else if self.nodes[n].shape == Shape::Decision {
            self.use_vertex(n, side);
            End::Vertex(side)
        } else {
            ask(&mut self.pools, plan, n, side.into(), incoming, 0.0, 0.0);
            End::Border(side, 0.0)
        }
    }

    fn use_vertex(&mut self, v: usize, side: Side) {
        self.vertex_used[v][usize::from(side == Side::Right)] = true;
    }

    fn vertex_free(&self, v: usize, side: Side) -> bool {
        !self.vertex_used[v][usize::from(side == Side::Right)]
    }

    /// Decision exits: a side vertex for a branch beside the diamond; when
    /// several branches would share the bottom vertex, all but the
    /// straightest leave by a free side vertex (and turn down beside it).
    fn decision_exits(&self) -> Vec<Option<(Side, bool)>> {
        let (g, lg) = (self.g, self.lg);
        let mut exits: Vec<Option<(Side, bool)>> = vec![None; g.edges.len()];
        for (d, b) in self.nodes.iter().enumerate() {
            if b.shape != Shape::Decision {
                continue;
            }
            let (cx, hw) = (b.cx(), b.w / 2.0 + 12.0);
            let es: Vec<(usize, f64)> = (0..g.edges.len())
                .filter(|&i| lg.kinds[i] == Some(EdgeKind::Forward) && g.edges[i].from == d)
                .filter_map(|i| {
                    let c = &lg.chains[i];
                    let next = match c.len() {
                        0 | 1 => return None,
                        2 => self.nodes[g.edges[i].to].cx(),
                        _ => lg.x[c[1]],
                    };
                    Some((i, next))
                })
                .collect();
            let mut below: Vec<(usize, f64)> = Vec::new();
            for &(i, next) in &es {
                let free = !self.dummy_near(b.rank, next, i);
                if free && next > cx + hw && self.clear(d, cx, next + 30.0) {
                    exits[i] = Some((Side::Right, true));
                } else if free && next < cx - hw && self.clear(d, cx, next - 30.0) {
                    exits[i] = Some((Side::Left, true));
                } else {
                    below.push((i, next));
                }
            }
            let keep = below
                .iter()
                .enumerate()
                .min_by(|a, c| (a.1 .1 - cx).abs().total_cmp(&(c.1 .1 - cx).abs()))
                .map(|x| x.0);
            for (j, &(i, next)) in below.iter().enumerate() {
                let sd = if next >= cx { Side::Right } else { Side::Left };
                let vx = cx + sd.sign() * b.w / 2.0;
                let used = es.iter().any(|&(o, _)| exits[o].is_some_and(|x| x.0 == sd));
                let beside = vx + sd.sign() * BESIDE;
                let free = !self.dummy_near(b.rank, beside, i);
                if Some(j) != keep && !used && free && self.clear(d, vx, vx + sd.sign() * 46.0) {
                    exits[i] = Some((sd, false));
                }
            }
        }
        exits
    }

    /// Plans every forward edge: its exit, its entry and its columns.
    fn plan_forward(&mut self, exits: &[Option<(Side, bool)>]) {
        let (g, lg) = (self.g, self.lg);
        for (i, e) in g.edges.iter().enumerate() {
            if lg.kinds[i] != Some(EdgeKind::Forward) || lg.chains[i].len() < 2 {
                continue;
            }
            let chain = &lg.chains[i];
            let (s, t) = (e.from, e.to);
            let (bs, bt) = (&self.nodes[s], &self.nodes[t]);
            let cols: Vec<f64> = chain.iter().map(|&v| lg.x[v]).collect();
            let span1 = chain.len() == 2;
            let src = exits[i].map_or(End::Port(bs.cx()), |(sd, _)| End::Vertex(sd));
            // Box-to-box edges whose port ranges overlap go straight down.
            let boxes = bs.shape != Shape::Decision && bt.shape != Shape::Decision;
            let common = if span1 && boxes {
                let (a0, a1) = port_range(bs, false);
                let (b0, b1) = port_range(bt, true);
                let (lo, hi) = (a0.max(b0), a1.min(b1));
                (lo <= hi).then(|| ((bs.cx() + bt.cx()) / 2.0).clamp(lo, hi))
            } else {
                None
            };
            // An edge arriving from beside a box comes down its own column
            // and enters the box's side.
            let prev = if span1 { bs.cx() } else { cols[cols.len() - 2] };
            let (tl, tr) = (bt.x, bt.x + bt.w);
            let side_in = if common.is_some()
                || (span1 && matches!(src, End::Vertex(_)))
                || bt.shape == Shape::Decision
                || self.dummy_near(bt.rank, prev, i)
            {
                None
            } else if prev > tr + BESIDE && !self.has_loop[t] && self.clear(t, tr, prev + 30.0) {
                Some(Side::Right)
            } else if prev < tl - BESIDE && self.clear(t, tl, prev - 30.0) {
                Some(Side::Left)
            } else {
                None
            };
            if bs.shape != Shape::Decision {
                // Coming down beside the target: from the middle when alone,
                // else from the end nearest the target, out of the others' way.
                let (d, shared) = match (span1, side_in) {
                    (false, _) => (cols[1], cols[1]),
                    (true, Some(Side::Right)) => (bs.cx(), tr + BESIDE),
                    (true, Some(Side::Left)) => (bs.cx(), tl - BESIDE),
                    (true, None) => {
                        let c = common.unwrap_or(bt.cx());
                        (c, c)
                    }
                };
                ask(
                    &mut self.pools,
                    self.plans.len(),
                    s,
                    Pool::Bottom,
                    false,
                    d,
                    shared,
                );
            }
            let mut dst = End::Port(bt.cx());
            if let Some(sd) = side_in {
                dst = End::Border(sd, 0.0);
                ask(
                    &mut self.pools,
                    self.plans.len(),
                    t,
                    sd.into(),
                    true,
                    0.0,
                    0.0,
                );
            } else if bt.shape != Shape::Decision {
                let d = match (span1, src) {
                    (false, _) => cols[cols.len() - 2],
                    (true, End::Vertex(_)) => bt.cx(),
                    (true, _) => common.unwrap_or(bs.cx()),
                };
                ask(&mut self.pools, self.plans.len(), t, Pool::Top, true, d, d);
            }
            if let End::Vertex(sd) = src {
                self.use_vertex(s, sd);
            }
            let mut plan = Plan::new(i, s, t, EdgeKind::Forward, src, dst);
            plan.cols = cols;
            plan.direct = exits[i].is_none_or(|x| x.1);
            self.plans.push(plan);
        }
    }

    /// Plans every back edge: the side of its lane, and whether it leaves
    /// and enters by the nodes' sides (when nothing is in the way) or by the
    /// gaps below its source and above its target.
    fn plan_back(&mut self) {
        let g = self.g;
        for (i, e) in g.edges.iter().enumerate() {
            if self.lg.kinds[i] != Some(EdgeKind::Back) {
                continue;
            }
            let (s, t) = (e.from, e.to);
            let direct = |r: &Planner, v: usize, sd: Side| {
                r.extreme(v, sd) && !(sd == Side::Right && r.has_loop[v]) && r.vertex_free(v, sd)
            };
            let cost =
                |sd: Side| usize::from(!direct(self, s, sd)) + usize::from(!direct(self, t, sd));
            let side = if cost(Side::Left) < cost(Side::Right) {
                Side::Left
            } else {
                Side::Right
            };
            let far = side.sign() * f64::INFINITY;
            let s_direct = direct(self, s, side);
            let src = self.back_end(s, s_direct, Pool::Bottom, false, side, far);
            let t_direct = direct(self, t, side);
            let dst = self.back_end(t, t_direct, Pool::Top, true, side, far);
            let mut plan = Plan::new(i, s, t, EdgeKind::Back, src, dst);
            plan.side = side;
            self.plans.push(plan);
        }
    }

    /// Lanes: shorter spans inside; each lane outside the nodes of its span
    /// and the lanes it overlaps.
    fn assign_lanes(&mut self) {
        let span = |p: &Plan| (self.nodes[p.to].rank, self.nodes[p.from].rank);
        let mut back: Vec<usize> = (0..self.plans.len())
            .filter(|&k| self.plans[k].kind == EdgeKind::Back)
            .collect();
        back.sort_by_key(|&k| {
            let (r0, r1) = span(&self.plans[k]);
            (r1 - r0, self.plans[k].edge)
        });
        let mut done: Vec<usize> = Vec::new();
        for k in back {
            let (r0, r1) = span(&self.plans[k]);
            let side = self.plans[k].side;
            let ext = self.ext.get(r0..=r1).unwrap_or_default();
            let mut lane = match side {
                Side::Right => ext.iter().map(|e| e.1).fold(f64::NEG_INFINITY, f64::max) + LANE_GAP,
                Side::Left => ext.iter().map(|e| e.0).fold(f64::INFINITY, f64::min) - LANE_GAP,
            };
            for &o in &done {
                let p = &self.plans[o];
                let (q0, q1) = span(p);
                if p.side == side && q0 <= r1 && r0 <= q1 {
                    lane = match side {
                        Side::Right => lane.max(p.lane + LANE_SP),
                        Side::Left => lane.min(p.lane - LANE_SP),
                    };
                }
            }
            self.plans[k].lane = if lane.is_finite() { lane } else { 0.0 };
            done.push(k);
        }
    }

    /// Spreads the ports of each side of each node.
    fn resolve_ports(&mut self) {
        for (idx, pool) in self.pools.iter_mut().enumerate() {
            if pool.is_empty() {
                continue;
            }
            let b = &self.nodes[idx / 4];
            if pool.len() > 1 {
                for p in pool.iter_mut() {
                    p.2 = p.3;
                }
            }
            pool.sort_by(|a, c| a.2.total_cmp(&c.2).then(a.0.cmp(&c.0)).then(a.1.cmp(&c.1)));
            let (lo, hi, sp) = match idx % 4 {
                k @ (0 | 1) => {
                    let (lo, hi) = port_range(b, k == Pool::Top as usize);
                    (lo, hi, PORT_SP)
                }
                _ => {
                    let r = (b.h / 2.0 - 8.0).max(0.0);
                    (-r, r, SIDE_SP)
                }
            };
            let desired: Vec<f64> = pool.iter().map(|p| p.2).collect();
            for (p, x) in pool.iter().zip(spread(&desired, lo, hi, sp)) {
                let plan = &mut self.plans[p.0];
                let end = if p.1 { &mut plan.dst } else { &mut plan.src };
                *end = match *end {
                    End::Border(sd, _) => End::Border(sd, x),
                    _ => End::Port(x),
                };
            }
        }
    }
}

/// Spreads sorted desired positions over `lo..=hi`, at least `sp` apart
/// when there is room.
fn spread(desired: &[f64], lo: f64, hi: f64, sp: f64) -> Vec<f64> {
    let k = desired.len();
    if hi <= lo || k == 0 {
        return vec![(lo + hi) / 2.0; k];
    }
    let sp = if k > 1 {
        sp.min((hi - lo) / (k - 1) as f64)
    } else {
        sp
    };
    let mut p: Vec<f64> = desired.iter().map(|d| d.clamp(lo, hi)).collect();
    for i in 1..k {
        p[i] = p[i].max(p[i - 1] + sp);
    }
    p[k - 1] = p[k - 1].min(hi);
    for i in (0..k - 1).rev() {
        p[i] = p[i].min(p[i + 1] - sp);
    }
    p
}
