//! Geometry invariants of the layout on typical flows; `random` checks them
//! on random ones.

use super::*;

mod random;

pub(super) fn node(id: &str, label: &str, shape: Shape) -> FlowNode {
    FlowNode {
        id: id.into(),
        label: label.into(),
        shape,
        post: None,
        time_limit: None,
        marker: None,
    }
}

pub(super) fn edge(from: usize, to: usize, label: Option<&str>) -> FlowEdge {
    FlowEdge {
        from,
        to,
        label: label.map(Into::into),
    }
}

pub(super) fn marker(grade: &str, ids: &[&str]) -> RiskMarker {
    RiskMarker {
        grade: grade.into(),
        color: "#c62828".into(),
        risks: ids
            .iter()
            .map(|id| RiskLink {
                id: (*id).into(),
                title: format!("{id}的标题"),
                href: format!("../risks/{id}.html"),
            })
            .collect(),
    }
}

pub(super) fn graph(nodes: Vec<FlowNode>, edges: Vec<FlowEdge>) -> FlowGraph {
    FlowGraph {
        title: "测试流程".into(),
        nodes,
        edges,
    }
}

pub(super) fn chain() -> FlowGraph {
    let mut nodes = vec![node("s", "开始", Shape::Start)];
    for (i, l) in [
        "受理",
        "对申请材料进行形式审查并出具受理通知书",
        "审核",
        "决定",
    ]
    .iter()
    .enumerate()
    {
        nodes.push(node(&format!("n{i}"), l, Shape::Step));
    }
    nodes.push(node("e", "结束", Shape::End));
    let edges = (0..nodes.len() - 1).map(|i| edge(i, i + 1, None)).collect();
    graph(nodes, edges)
}

fn diamond() -> FlowGraph {
    let nodes = vec![
        node("s", "开始", Shape::Start),
        node("a", "初审", Shape::Step),
        node("d", "是否符合条件", Shape::Decision),
        node("b", "审批", Shape::Step),
        node("c", "不予许可并书面告知理由", Shape::Step),
        node("m", "归档", Shape::Step),
        node("e", "结束", Shape::End),
    ];
    let edges = vec![
        edge(0, 1, None),
        edge(1, 2, None),
        edge(2, 3, Some("同意")),
        edge(2, 4, Some("不同意")),
        edge(3, 5, None),
        edge(4, 5, None),
        edge(5, 6, None),
    ];
    graph(nodes, edges)
}

pub(super) fn looped() -> FlowGraph {
    let mut nodes = vec![
        node("s", "申请", Shape::Start),
        node("sl", "受理", Shape::Step),
        node("cs", "初审", Shape::Step),
        node("d", "集体审议", Shape::Decision),
        node("sp", "审批", Shape::Step),
        node("e", "办结", Shape::End),
    ];
    nodes[1].marker = Some(marker("一级", &["R-001", "R-002"]));
    nodes[1].post = Some("窗口受理员".into());
    nodes[1].time_limit = Some("1个工作日".into());
    let edges = vec![
        edge(0, 1, None),
        edge(1, 2, None),
        edge(2, 3, None),
        edge(3, 4, Some("同意")),
        edge(3, 1, Some("退回补正")),
        edge(3, 5, Some("不同意")),
        edge(4, 5, None),
    ];
    graph(nodes, edges)
}

fn merging() -> FlowGraph {
    let nodes = vec![
        node("s", "开始", Shape::Start),
        node("a1", "实地核查", Shape::Step),
        node("a2", "出具核查意见", Shape::Step),
        node("b1", "书面审查", Shape::Step),
        node("m", "汇总研究", Shape::Step),
        node("e", "结束", Shape::End),
    ];
    let edges = vec![
        edge(0, 1, None),
        edge(1, 2, None),
        edge(0, 3, None),
        edge(2, 4, None),
        edge(3, 4, None),
        edge(4, 5, None),
    ];
    graph(nodes, edges)
}

/// 40 steps, 5 decisions: branches, merges, loops, a self-loop, long edges.
pub(super) fn forty() -> FlowGraph {
    let labels = [
        "登记",
        "材料初审",
        "补充材料并重新提交审查",
        "现场核查",
        "专家评审",
        "公示",
        "复核",
    ];
    let mut nodes = vec![node("s0", "提出申请", Shape::Start)];
    for i in 1..39 {
        let shape = if [6, 13, 20, 27, 34].contains(&i) {
            Shape::Decision
        } else {
            Shape::Step
        };
        let label = if shape == Shape::Decision {
            format!("审议{i}")
        } else {
            format!("{}{i}", labels[i % labels.len()])
        };
        let mut nd = node(&format!("s{i}"), &label, shape);
        if i % 5 == 0 {
            nd.marker = Some(marker(
                if i % 2 == 0 { "二级" } else { "一级" },
                &["R-010", "R-011"],
            ));
            nd.post = Some("经办人".into());
        }
        nodes.push(nd);
    }
    nodes.push(node("s39", "办结", Shape::End));
    let special = [(7, 8), (21, 22)];
    let mut edges: Vec<FlowEdge> = (0..39)
        .filter(|i| !special.contains(&(*i, i + 1)))
        .map(|i| edge(i, i + 1, None))
        .collect();
    edges.extend([
        edge(6, 8, Some("不同意")),
        edge(7, 9, None),
        edge(13, 10, Some("退回补正")),
        edge(20, 22, Some("不同意")),
        edge(22, 39, Some("不予许可")),
        edge(21, 23, None),
        edge(27, 27, Some("暂缓")),
        edge(27, 24, Some("退回")),
        edge(34, 38, Some("不同意")),
    ]);
    graph(nodes, edges)
}

/// Whether `p` lies strictly inside the drawn outline of `b`.
fn inside(b: &NodeBox, p: (f64, f64)) -> bool {
    let (dx, dy) = ((p.0 - b.cx()).abs(), (p.1 - b.cy()).abs());
    let (hw, hh) = (b.w / 2.0 - 0.5, b.h / 2.0 - 0.5);
    match b.shape {
        Shape::Decision => dx / hw + dy / hh < 1.0,
        Shape::Start | Shape::End if dx > hw - hh => (dx - (hw - hh)).hypot(dy) < hh,
        _ => dx < hw && dy < hh,
    }
}

/// Asserts every geometric invariant and returns the layout.
pub(super) fn check(g: &FlowGraph) -> Layout {
    let l = layout(g);
    assert!(l.width.is_finite() && l.height.is_finite() && l.width > 0.0 && l.height > 0.0);
    assert_eq!(l.nodes.len(), g.nodes.len());
    let within = |x: f64, y: f64| {
        (-0.01..=l.width + 0.01).contains(&x) && (-0.01..=l.height + 0.01).contains(&y)
    };
    for (i, a) in l.nodes.iter().enumerate() {
        assert!(
            within(a.x, a.y) && within(a.x + a.w, a.y + a.h),
            "node {i} outside the drawing"
        );
        for b in &l.nodes[i + 1..] {
            assert!(
                !a.rect().overlaps(&b.rect(), 10.0),
                "boxes overlap: {a:?} {b:?}"
            );
        }
    }
    let valid = g
        .edges
        .iter()
        .filter(|e| e.from < g.nodes.len() && e.to < g.nodes.len())
        .count();
    assert_eq!(l.edges.len(), valid);
    let mut labels: Vec<Rect> = Vec::new();
    for e in &l.edges {
        let (s, t) = (&l.nodes[e.from], &l.nodes[e.to]);
        assert!(e.points.len() >= 2, "edge {} has no segment", e.edge);
        let (a, z) = (e.points[0], e.points[e.points.len() - 1]);
        assert!(
            s.on_outline(a, 0.5),
            "edge {} starts off its source: {a:?} {s:?}",
            e.edge
        );
        assert!(
            t.on_outline(z, 0.5),
            "edge {} ends off its target: {z:?} {t:?}",
            e.edge
        );
        for w in e.points.windows(2) {
            let (p, q) = (w[0], w[1]);
            assert!(within(p.0, p.1) && within(q.0, q.1));
            assert!(
                (p.0 - q.0).abs() < 1e-6 || (p.1 - q.1).abs() < 1e-6,
                "edge {} not orthogonal",
                e.edge
            );
            for (k, b) in l.nodes.iter().enumerate() {
                if k != e.from && k != e.to {
                    assert!(
                        !b.rect().cut_by(p, q, 0.5),
                        "edge {} ({p:?}-{q:?}) crosses node {k}",
                        e.edge
                    );
                } else {
                    for j in 1..20 {
                        let f = f64::from(j) / 20.0;
                        let m = (p.0 + (q.0 - p.0) * f, p.1 + (q.1 - p.1) * f);
                        assert!(
                            !inside(b, m),
                            "edge {} runs inside its own end node {k}",
                            e.edge
                        );
                    }
                }
            }
        }
        if let Some(r) = e.label_rect {
            assert!(within(r.x, r.y) && within(r.right(), r.bottom()));
            for b in &l.nodes {
                assert!(
                    !r.overlaps(&b.rect(), 0.0),
                    "label of edge {} on a node",
                    e.edge
                );
                if let Some(badge) = b.badge {
                    assert!(
                        !r.overlaps(&badge, 0.0),
                        "label of edge {} on a badge",
                        e.edge
                    );
                }
            }
            assert!(labels.iter().all(|o| !r.overlaps(o, 0.0)), "labels overlap");
            labels.push(r);
        } else if let Some(t) = g.edges[e.edge].label.as_deref() {
            assert!(t.trim().is_empty(), "label of edge {} not placed", e.edge);
        }
    }
    let again = layout(g);
    assert_eq!(
        format!("{l:?}"),
        format!("{again:?}"),
        "layout not deterministic"
    );
    l
}

/// The centres of the main path (first `next` from the start).
fn main_path_xs(g: &FlowGraph, l: &Layout) -> Vec<f64> {
    let mut v = 0;
    let mut xs = vec![l.nodes[0].cx()];
    let mut seen = vec![false; g.nodes.len()];
    while let Some(e) = g.edges.iter().find(|e| e.from == v && e.to != v) {
        if seen[e.to] || l.nodes[e.to].rank <= l.nodes[v].rank {
            break;
        }
        seen[e.to] = true;
        v = e.to;
        xs.push(l.nodes[v].cx());
    }
    xs
}

fn assert_straight(g: &FlowGraph, l: &Layout) {
    let xs = main_path_xs(g, l);
    assert!(xs.len() > 2);
    assert!(
        xs.iter().all(|x| (x - xs[0]).abs() < 0.01),
        "main path not straight: {xs:?}"
    );
}

#[test]
fn chain_is_one_straight_column() {
    let g = chain();
    let l = check(&g);
    assert_straight(&g, &l);
    for e in &l.edges {
        assert_eq!(e.points.len(), 2, "chain edges are straight");
    }
    for w in l.nodes.windows(2) {
        assert!(w[1].y > w[0].y + w[0].h);
    }
    assert!(l.nodes[2].lines.len() >= 2, "long label wrapped");
}

#[test]
fn diamond_splits_and_merges() {
    let g = diamond();
    let l = check(&g);
    assert_straight(&g, &l);
    let d = &l.nodes[2];
    let no = l.edges.iter().find(|e| e.edge == 3).map(|e| e.points[0]);
    let side = no.is_some_and(|p| (p.0 - d.x).abs() < 0.5 || (p.0 - d.x - d.w).abs() < 0.5);
    assert!(side, "the side branch leaves by a side vertex: {no:?}");
    assert_eq!(l.nodes[3].rank, l.nodes[4].rank);
}

#[test]
fn loop_back_runs_in_a_side_lane() {
    let g = looped();
    let l = check(&g);
    assert_straight(&g, &l);
    let back = l
        .edges
        .iter()
        .find(|e| e.kind == EdgeKind::Back)
        .expect("a back edge");
    assert_eq!((back.from, back.to), (3, 1));
    let lane = back
        .points
        .windows(2)
        .find(|w| (w[0].0 - w[1].0).abs() < 1e-6 && w[0].1 > w[1].1);
    let lane = lane.expect("an upward lane");
    let x = lane[0].0;
    let (y0, y1) = (lane[1].1, lane[0].1);
    for b in l.nodes.iter().filter(|b| b.y < y1 && b.y + b.h > y0) {
        assert!(x > b.x + b.w || x < b.x, "lane at {x} crosses {b:?}");
    }
    assert!(back.label_rect.is_some());
}

#[test]
fn two_branches_merge() {
    let g = merging();
    let l = check(&g);
    assert_straight(&g, &l);
    assert!(l.nodes[3].rank < l.nodes[4].rank);
}

#[test]
fn forty_steps_five_decisions() {
    let g = forty();
    let l = check(&g);
    assert_straight(&g, &l);
    assert_eq!(
        l.edges.iter().filter(|e| e.kind == EdgeKind::Back).count(),
        2
    );
    assert_eq!(
        l.edges
            .iter()
            .filter(|e| e.kind == EdgeKind::SelfLoop)
            .count(),
        1
    );
}

#[test]
fn overlapping_back_edges_get_separate_lanes() {
    let mut g = looped();
    // A second loop back from the decision, and one from 审批 over it.
    g.edges.push(edge(3, 2, Some("补充说明")));
    g.edges.push(edge(4, 1, Some("重新受理")));
    let l = check(&g);
    let lanes: Vec<f64> = l
        .edges
        .iter()
        .filter(|e| e.kind == EdgeKind::Back)
        .filter_map(|e| {
            let w = e.points.windows(2).find(|w| w[0].1 > w[1].1 + 1.0)?;
            Some(w[0].0)
        })
        .collect();
    assert_eq!(lanes.len(), 3);
    for (i, a) in lanes.iter().enumerate() {
        for b in &lanes[i + 1..] {
            assert!((a - b).abs() >= 10.0, "lanes too close: {lanes:?}");
        }
    }
}

#[test]
fn odd_graphs_do_not_panic() {
    check(&graph(vec![], vec![]));
    check(&graph(vec![], vec![edge(0, 1, Some("x"))]));
    let one = || vec![node("a", "孤立步骤", Shape::Step)];
    check(&graph(
        one(),
        vec![
            edge(0, 0, Some("重新提交")),
            edge(0, 0, None),
            edge(0, 5, None),
        ],
    ));
    // No start node, a cycle only.
    let cyc = vec![
        node("a", "甲", Shape::Step),
        node("b", "乙", Shape::Decision),
        node("c", "丙", Shape::Step),
    ];
    check(&graph(
        cyc,
        vec![
            edge(0, 1, None),
            edge(1, 2, Some("是")),
            edge(2, 0, Some("否")),
        ],
    ));
    // Several starts, a duplicated edge, a disconnected node, two back edges into one step.
    let mut g = looped();
    g.nodes.push(node("x", "另一起点", Shape::Start));
    g.nodes.push(node("y", "孤立", Shape::Step));
    g.edges.extend([
        edge(6, 2, None),
        edge(1, 2, Some("加急")),
        edge(4, 1, Some("退回")),
        edge(4, 4, None),
    ]);
    check(&g);
}

/// `k` blocks of 受理 → 审查 → decision (同意 onwards, 不同意 to a side step
/// that ends the flow, 退回 back to the block's first step).
pub(super) fn long_flow(k: usize) -> FlowGraph {
    let mut nodes = vec![node("start", "开始", Shape::Start)];
    let mut edges = Vec::new();
    let end = 1 + 4 * k;
    for b in 0..k {
        let i = 1 + 4 * b;
        nodes.push(node(&format!("a{b}"), "受理登记", Shape::Step));
        nodes.push(node(
            &format!("b{b}"),
            "审查材料并提出初步意见",
            Shape::Step,
        ));
        nodes.push(node(&format!("d{b}"), "是否同意", Shape::Decision));
        nodes.push(node(&format!("c{b}"), "书面告知不予办理", Shape::Step));
        if b == 0 {
            edges.push(edge(0, 1, None));
        }
        edges.push(edge(i, i + 1, None));
        edges.push(edge(i + 1, i + 2, None));
        edges.push(edge(i + 2, i + 3, Some("不同意")));
        edges.push(edge(i + 2, i, Some("退回")));
        edges.push(edge(i + 3, end, None));
    }
    nodes.push(node("end", "办结", Shape::End));
    // Each block's 同意 leads to the next block (or the end).
    for b in 0..k {
        let i = 1 + 4 * b;
        edges.insert(
            0,
            edge(i + 2, if b + 1 < k { i + 4 } else { end }, Some("同意")),
        );
    }
    FlowGraph {
        title: "长流程".into(),
        nodes,
        edges,
    }
}

#[test]
fn long_flow_keeps_invariants() {
    let g = long_flow(12);
    let l = check(&g);
    assert_eq!(l.nodes.len(), 50);
    assert_eq!(
        l.edges.iter().filter(|e| e.kind == EdgeKind::Back).count(),
        12
    );
}
