//! Phase 2, layers: back edges, ranks, dummy nodes, crossing reduction and
//! x-coordinates (with room kept for self-loops and their labels).
//! Deterministic: only `Vec`s, index order, stable sorts.

use super::geometry::EdgeKind;
use super::measure::{edge_label, label_size, Measured, LABEL_OFF};
use super::{FlowGraph, Shape};

/// Gap between neighbouring boxes of a layer.
const GAP_REAL: f64 = 44.0;
/// Gap between a box and an edge passing through the layer.
const GAP_DUMMY: f64 = 22.0;
/// Gap between two edges passing through a layer.
const GAP_DD: f64 = 14.0;
/// Barycentre passes (each one down and one up).
const ORDER_PASSES: usize = 8;
/// Width of a self-loop, and the extra width of each further one.
pub(crate) const LOOP_W: f64 = 20.0;
pub(crate) const LOOP_STEP: f64 = 12.0;

/// The layered graph: real nodes `0..n`, then one dummy node per layer
/// crossed by a forward edge. Per-node vectors are indexed by layered node.
#[derive(Debug, Clone)]
pub(crate) struct Layered {
    /// Number of real nodes.
    pub n: usize,
    /// Layer of each node.
    pub layer_of: Vec<usize>,
    /// Nodes of each layer, left to right.
    pub layers: Vec<Vec<usize>>,
    /// Position of each node in its layer.
    pub pos: Vec<usize>,
    /// Neighbours in the layer above / below (one entry per edge).
    pub up: Vec<Vec<usize>>,
    pub down: Vec<Vec<usize>>,
    /// Per graph edge: the chain of layered nodes of a forward edge (else empty).
    pub chains: Vec<Vec<usize>>,
    /// Per graph edge: its kind, `None` when its ends are out of range.
    pub kinds: Vec<Option<EdgeKind>>,
    /// Horizontal centre of each node.
    pub x: Vec<f64>,
    /// Room each node needs left / right of its centre.
    pub left_ext: Vec<f64>,
    pub right_ext: Vec<f64>,
    /// Whether a node lies on the main path.
    pub main: Vec<bool>,
    /// Half-width of each real decision node (0 for other nodes).
    pub decision_hw: Vec<f64>,
}

/// Builds the layered graph of `g` with x-coordinates for every node;
/// `measured` gives the boxes' sizes.
pub(crate) fn build(g: &FlowGraph, measured: &Measured) -> Layered {
    let nodes = &measured.nodes;
    let n = g.nodes.len();
    let kinds = classify(g);
    let rank = ranks(g, &kinds);
    let mut lg = build_layered(g, &kinds, &rank);
    order(&mut lg, g);
    lg.main = main_chain(g, &kinds, &lg);
    let loop_reserve = self_loop_reserve(g, &kinds, n);
    for (v, b) in nodes.iter().enumerate().take(n) {
        let badge_r = b.badge.map_or(0.0, |r| r.right() - b.w / 2.0);
        lg.left_ext[v] = b.w / 2.0;
        lg.right_ext[v] = (b.w / 2.0).max(badge_r) + loop_reserve[v];
        if b.shape == Shape::Decision {
            lg.decision_hw[v] = b.w / 2.0;
        }
    }
    place_x(&mut lg);
    lg
}

/// Width to keep free right of each node for its self-loops and their labels.
fn self_loop_reserve(g: &FlowGraph, kinds: &[Option<EdgeKind>], n: usize) -> Vec<f64> {
    let mut count = vec![0usize; n];
    let mut label_w = vec![0.0f64; n];
    for (i, e) in g.edges.iter().enumerate() {
        if kinds.get(i) == Some(&Some(EdgeKind::SelfLoop)) {
            count[e.from] += 1;
            if let Some(l) = edge_label(g, i) {
                label_w[e.from] = label_w[e.from].max(label_size(l).0 + LABEL_OFF);
            }
        }
    }
    (0..n)
        .map(|v| match count[v] {
            0 => 0.0,
            k => LOOP_W + (k - 1) as f64 * LOOP_STEP + label_w[v] + 4.0,
        })
        .collect()
}

/// Valid, distinct-endpoint edges leaving each node, in edge order.
fn out_edges(g: &FlowGraph) -> Vec<Vec<usize>> {
    let n = g.nodes.len();
    let mut out = vec![Vec::new(); n];
    for (i, e) in g.edges.iter().enumerate() {
        if e.from < n && e.to < n && e.from != e.to {
            out[e.from].push(i);
        }
    }
    out
}

/// DFS roots: Start nodes, then nodes without incoming edges, then the rest.
fn roots(g: &FlowGraph) -> Vec<usize> {
    let n = g.nodes.len();
    let mut has_in = vec![false; n];
    for e in &g.edges {
        if e.from < n && e.to < n && e.from != e.to {
            has_in[e.to] = true;
        }
    }
    let mut r: Vec<usize> = (0..n)
        .filter(|&v| g.nodes[v].shape == Shape::Start)
        .collect();
    r.extend((0..n).filter(|&v| g.nodes[v].shape != Shape::Start && !has_in[v]));
    r.extend((0..n).filter(|&v| g.nodes[v].shape != Shape::Start && has_in[v]));
    r
}

/// Classifies every edge: self-loop, back edge (closes a cycle in the DFS
/// from the roots) or forward. `None` for edges with invalid indices. Back
/// edges point to DFS ancestors, so leaving them out of the ranking has the
/// effect of reversing them; they are routed in side lanes.
fn classify(g: &FlowGraph) -> Vec<Option<EdgeKind>> {
    let n = g.nodes.len();
    let out = out_edges(g);
    let mut kinds: Vec<Option<EdgeKind>> = g
        .edges
        .iter()
        .map(|e| match (e.from < n && e.to < n, e.from == e.to) {
            (false, _) => None,
            (true, true) => Some(EdgeKind::SelfLoop),
            (true, false) => Some(EdgeKind::Forward),
        })
        .collect();
    // 0 = unvisited, 1 = on the stack, 2 = done.
    let mut state = vec![0u8; n];
    for root in roots(g) {
        if state[root] != 0 {
            continue;
        }
        state[root] = 1;
        let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some(top) = stack.last_mut() {
            let (v, i) = *top;
            if let Some(&e) = out[v].get(i) {
                top.1 += 1;
                let w = g.edges[e].to;
                match state[w] {
                    0 => {
                        state[w] = 1;
                        stack.push((w, 0));
                    }
                    1 => kinds[e] = Some(EdgeKind::Back),
                    _ => {}
                }
            } else {
                state[v] = 2;
                stack.pop();
            }
        }
    }
    kinds
}

/// Longest-path ranks on the forward edges; then each source moves down to
/// just above its highest successor (so a late second start sits next to
/// the step it feeds).
fn ranks(g: &FlowGraph, kinds: &[Option<EdgeKind>]) -> Vec<usize> {
    let n = g.nodes.len();
    let fwd: Vec<(usize, usize)> = g
        .edges
        .iter()
        .zip(kinds)
        .filter(|(_, k)| **k == Some(EdgeKind::Forward))
        .map(|(e, _)| (e.from, e.to))
        .collect();
    let mut indeg = vec![0usize; n];
    let mut succ = vec![Vec::new(); n];
    for &(a, b) in &fwd {
        indeg[b] += 1;
        succ[a].push(b);
    }
    let mut rank = vec![0usize; n];
    let mut queue: Vec<usize> = (0..n).filter(|&v| indeg[v] == 0).collect();
    let mut head = 0;
    let mut left = indeg.clone();
    while let Some(&v) = queue.get(head) {
        head += 1;
        for &w in &succ[v] {
            rank[w] = rank[w].max(rank[v] + 1);
            left[w] -= 1;
            if left[w] == 0 {
                queue.push(w);
            }
        }
    }
    for v in 0..n {
        if indeg[v] == 0 {
            if let Some(m) = succ[v].iter().map(|&w| rank[w]).min() {
                rank[v] = m.saturating_sub(1);
            }
        }
    }
    rank
}

/// Builds layers with a dummy node on every layer a forward edge passes.
fn build_layered(g: &FlowGraph, kinds: &[Option<EdgeKind>], rank: &[usize]) -> Layered {
    let n = g.nodes.len();
    let depth = rank.iter().map(|r| r + 1).max().unwrap_or(0);
    let mut lg = Layered {
        n,
        layer_of: rank.to_vec(),
        layers: vec![Vec::new(); depth],
        pos: Vec::new(),
        up: vec![Vec::new(); n],
        down: vec![Vec::new(); n],
        chains: vec![Vec::new(); g.edges.len()],
        kinds: kinds.to_vec(),
        x: Vec::new(),
        left_ext: vec![0.0; n],
        right_ext: vec![0.0; n],
        main: Vec::new(),
        decision_hw: vec![0.0; n],
    };
    for (i, e) in g.edges.iter().enumerate() {
        if kinds[i] != Some(EdgeKind::Forward) {
            continue;
        }
        let mut chain = vec![e.from];
        for r in rank[e.from] + 1..rank[e.to] {
            let d = lg.layer_of.len();
            lg.layer_of.push(r);
            lg.up.push(Vec::new());
            lg.down.push(Vec::new());
            lg.left_ext.push(0.0);
            lg.right_ext.push(0.0);
            chain.push(d);
        }
        chain.push(e.to);
        for w in chain.windows(2) {
            lg.down[w[0]].push(w[1]);
            lg.up[w[1]].push(w[0]);
        }
        lg.chains[i] = chain;
    }
    lg
}

/// Initial order by DFS from the roots (first `next` first), then
/// barycentre sweeps down and up, keeping the order with fewest crossings.
fn order(lg: &mut Layered, g: &FlowGraph) {
    let total = lg.layer_of.len();
    let mut seen = vec![false; total];
    for root in roots(g) {
        if seen[root] {
            continue;
        }
        seen[root] = true;
        let mut stack = vec![root];
        while let Some(v) = stack.pop() {
            lg.layers[lg.layer_of[v]].push(v);
            for &w in lg.down[v].iter().rev() {
                if !seen[w] {
                    seen[w] = true;
                    stack.push(w);
                }
            }
        }
    }
    lg.pos = vec![0; total];
    set_pos(lg);
    let mut best = lg.layers.clone();
    let mut best_c = crossings(lg);
    for _ in 0..ORDER_PASSES {
        if best_c == 0 {
            break;
        }
        for r in 1..lg.layers.len() {
            sort_layer(lg, r, true);
        }
        for r in (0..lg.layers.len().saturating_sub(1)).rev() {
            sort_layer(lg, r, false);
        }
        let c = crossings(lg);
        if c < best_c {
            best_c = c;
            best = lg.layers.clone();
        }
    }
    lg.layers = best;
    set_pos(lg);
}

fn set_pos(lg: &mut Layered) {
    for layer in &lg.layers {
        for (i, &v) in layer.iter().enumerate() {
            lg.pos[v] = i;
        }
    }
}

/// Sorts layer `r` by the barycentre of its neighbours above (`by_up`) or
/// below; nodes without such neighbours keep their place.
fn sort_layer(lg: &mut Layered, r: usize, by_up: bool) {
    let mut keyed: Vec<(f64, usize, usize)> = lg.layers[r]
        .iter()
        .map(|&v| {
            let nb = if by_up { &lg.up[v] } else { &lg.down[v] };
            let key = if nb.is_empty() {
                lg.pos[v] as f64
            } else {
                nb.iter().map(|&u| lg.pos[u] as f64).sum::<f64>() / nb.len() as f64
            };
            (key, lg.pos[v], v)
        })
        .collect();
    keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    lg.layers[r] = keyed.into_iter().map(|k| k.2).collect();
    for (i, &v) in lg.layers[r].iter().enumerate() {
        lg.pos[v] = i;
    }
}

/// Number of edge crossings between consecutive layers.
fn crossings(lg: &Layered) -> usize {
    let mut c = 0;
    for layer in &lg.layers {
        let mut es: Vec<(usize, usize)> = Vec::new();
        for &u in layer {
            es.extend(lg.down[u].iter().map(|&w| (lg.pos[u], lg.pos[w])));
        }
        for (i, a) in es.iter().enumerate() {
            c += es[i + 1..]
                .iter()
                .filter(|b| (a.0 < b.0 && a.1 > b.1) || (a.0 > b.0 && a.1 < b.1))
                .count();
        }
    }
    c
}

/// The main path: from the first Start node (or root) follow each step's
/// first forward edge; its layered nodes (with dummies) are marked.
fn main_chain(g: &FlowGraph, kinds: &[Option<EdgeKind>], lg: &Layered) -> Vec<bool> {
    let mut main = vec![false; lg.layer_of.len()];
    let Some(&start) = roots(g).first() else {
        return main;
    };
    let out = out_edges(g);
    let mut v = start;
    main[v] = true;
    while let Some(&e) = out[v]
        .iter()
        .find(|&&e| kinds[e] == Some(EdgeKind::Forward))
    {
        for &d in &lg.chains[e] {
            main[d] = true;
        }
        v = g.edges[e].to;
    }
    main
}

/// Minimum distance between the centres of neighbours `a` then `b`.
fn sep(lg: &Layered, a: usize, b: usize) -> f64 {
    let gap = match (a < lg.n, b < lg.n) {
        (true, true) => GAP_REAL,
        (false, false) => GAP_DD,
        _ => GAP_DUMMY,
    };
    lg.right_ext[a] + gap + lg.left_ext[b]
}

/// Priority placement: the main path is one vertical line; each other node
/// moves towards the median of its neighbours in the previous layer of the
/// sweep, without passing nodes of higher priority (dummies, to keep long
/// edges straight, then nodes with more neighbours).
fn place_x(lg: &mut Layered) {
    let total = lg.layer_of.len();
    lg.x = vec![0.0; total];
    for layer in &lg.layers {
        let mut cur = 0.0;
        for (i, &v) in layer.iter().enumerate() {
            cur = if i == 0 {
                lg.left_ext[v]
            } else {
                cur + sep(lg, layer[i - 1], v)
            };
            lg.x[v] = cur;
        }
    }
    let depth = lg.layers.len();
    for pass in 0..5 {
        let down = pass % 2 == 0;
        let rs: Vec<usize> = if down {
            (0..depth).collect()
        } else {
            (0..depth).rev().collect()
        };
        for r in rs {
            place_layer(lg, r, down);
        }
    }
    // Compaction: shift everything so the leftmost extent is at 0.
    let min = (0..total)
        .map(|v| lg.x[v] - lg.left_ext[v])
        .fold(f64::INFINITY, f64::min);
    if min.is_finite() {
        for x in &mut lg.x {
            *x -= min;
        }
    }
}

fn place_layer(lg: &mut Layered, r: usize, down: bool) {
    let layer = lg.layers[r].clone();
    let m = layer.len();
    let main_pos = layer.iter().position(|&v| lg.main[v]);
    let desired: Vec<f64> = layer
        .iter()
        .enumerate()
        .map(|(i, &v)| {
            if lg.main[v] {
                return 0.0;
            }
            // A side branch of a decision moves clear of the diamond, so it
            // can leave by a side vertex.
            if let (true, [u], Some(pm)) = (down, lg.up[v].as_slice(), main_pos) {
                let hw = lg.decision_hw.get(*u).copied().unwrap_or(0.0);
                if hw > 0.0 {
                    let off = hw + 26.0;
                    return lg.x[*u] + if i < pm { -off } else { off };
                }
            }
            let nb = if down { &lg.up[v] } else { &lg.down[v] };
            let mut xs: Vec<f64> = nb.iter().map(|&u| lg.x[u]).collect();
            xs.sort_by(f64::total_cmp);
            match xs.len() {
                0 => lg.x[v],
                k if k % 2 == 1 => xs[k / 2],
                k => (xs[k / 2 - 1] + xs[k / 2]) / 2.0,
            }
        })
        .collect();
    let prio = |v: usize| -> usize {
        if lg.main[v] {
            usize::MAX
        } else if v >= lg.n {
            usize::MAX / 2
        } else {
            lg.up[v].len() + lg.down[v].len()
        }
    };
    let mut seq: Vec<usize> = (0..m).collect();
    seq.sort_by(|&a, &b| prio(layer[b]).cmp(&prio(layer[a])).then(a.cmp(&b)));
    let mut placed = vec![false; m];
    for i in seq {
        let mut lb = f64::NEG_INFINITY;
        let mut acc = 0.0;
        for j in (0..i).rev() {
            acc += sep(lg, layer[j], layer[j + 1]);
            if placed[j] {
                lb = lg.x[layer[j]] + acc;
                break;
            }
        }
        let mut rb = f64::INFINITY;
        acc = 0.0;
        for j in i + 1..m {
            acc += sep(lg, layer[j - 1], layer[j]);
            if placed[j] {
                rb = lg.x[layer[j]] - acc;
                break;
            }
        }
        let x = desired[i].min(rb).max(lb);
        lg.x[layer[i]] = x;
        placed[i] = true;
        for k in i + 1..m {
            if placed[k] {
                break;
            }
            let min = lg.x[layer[k - 1]] + sep(lg, layer[k - 1], layer[k]);
            if lg.x[layer[k]] >= min {
                break;
            }
            lg.x[layer[k]] = min;
        }
        for k in (0..i).rev() {
            if placed[k] {
                break;
            }
            let max = lg.x[layer[k + 1]] - sep(lg, layer[k], layer[k + 1]);
            if lg.x[layer[k]] <= max {
                break;
            }
            lg.x[layer[k]] = max;
        }
    }
}
