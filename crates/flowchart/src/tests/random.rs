//! The layout's and the drawing's invariants on random graphs, with
//! proptest: a failure shrinks to the smallest graph that shows it.

use super::{check, edge, graph, marker, node};
use crate::{
    bands, layout, render_slice, render_svg, FlowGraph, FlowNode, Shape, Slice, SvgOptions,
};
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use proptest::sample::select;

/// Labels of random steps: short, long, Latin, markup, empty, multi-line.
const LABELS: [&str; 8] = [
    "受理",
    "审查并出具书面意见",
    "A",
    "ISO 9001 认证材料核验",
    "<b>&",
    "局务会集体研究决定是否批准",
    "",
    "登记\n（窗口）",
];

/// Characters random labels are made of: CJK, Latin, spaces, line breaks,
/// punctuation that must not start or end a line, markup.
const ALPHABET: [char; 16] = [
    '受', '理', '审', '批', 'A', 'b', '9', ' ', '\n', '，', '。', '（', '）', '—', '<', '&',
];

const SHAPES: [Shape; 5] = [
    Shape::Start,
    Shape::Step,
    Shape::Step,
    Shape::Decision,
    Shape::End,
];

const EDGE_LABELS: [Option<&str>; 6] = [
    None,
    None,
    Some("同意"),
    Some("退回补正"),
    Some("不同意"),
    Some("  "),
];

/// A step label: one of [`LABELS`] or up to 40 characters of [`ALPHABET`].
fn arb_label() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => select(&LABELS[..]).prop_map(String::from),
        1 => vec(select(&ALPHABET[..]), 0..40).prop_map(|cs| cs.into_iter().collect()),
    ]
}

/// A step (its id is set by [`arb_graph`]): any shape, maybe one to three
/// risks, maybe a post and a time limit.
fn arb_node() -> impl Strategy<Value = FlowNode> {
    (
        arb_label(),
        select(&SHAPES[..]),
        option::of(1..=3usize),
        any::<bool>(),
    )
        .prop_map(|(label, shape, risks, post)| {
            let mut nd = node("", &label, shape);
            if let Some(k) = risks {
                nd.marker = Some(marker("一级", &["R-1", "R-22", "R-333"][..k]));
            }
            if post {
                nd.post = Some("分管副局长".into());
                nd.time_limit = Some("3个工作日".into());
            }
            nd
        })
}

/// A graph of fewer than `max_n` steps and `max_m` edges: loops back,
/// self-loops, duplicates, and now and then an end out of range (left out
/// by the layout).
fn arb_graph(max_n: usize, max_m: usize) -> impl Strategy<Value = FlowGraph> {
    vec(arb_node(), 0..max_n)
        .prop_flat_map(move |nodes| {
            let n = nodes.len();
            let end = || prop_oneof![19 => 0..n.max(1), 1 => 0..n + 2];
            let edges = vec((end(), end(), select(&EDGE_LABELS[..])), 0..max_m);
            (Just(nodes), edges)
        })
        .prop_map(|(mut nodes, edges)| {
            for (i, nd) in nodes.iter_mut().enumerate() {
                nd.id = format!("n{i}");
            }
            let edges = edges.into_iter().map(|(a, b, l)| edge(a, b, l)).collect();
            graph(nodes, edges)
        })
}

/// Every invariant of [`check`], and of the drawing: the same bytes twice,
/// a whole `<svg>`, and page bands that cover it with every step on exactly
/// one page.
fn drawing_keeps_invariants(g: &FlowGraph, highlight: Option<usize>) {
    let l = check(g);
    let o = SvgOptions {
        highlight,
        id_prefix: "r-".into(),
        risk_label: "风险点".into(),
    };
    let svg = render_svg(g, &l, &o);
    assert!(svg.starts_with("<svg") && svg.ends_with("</svg>\n"));
    assert_eq!(svg, render_svg(g, &layout(g), &o), "SVG not deterministic");
    let max_h = l.height / 2.0 + 30.0;
    let cut = bands(&l, max_h);
    assert_eq!(cut.first().map(|b| b.0), Some(0.0));
    assert_eq!(cut.last().map(|b| b.1), Some(l.height));
    for w in cut.windows(2) {
        assert_eq!(w[0].1, w[1].0, "bands meet");
    }
    assert!(cut.iter().all(|(t, b)| b - t <= max_h + 1e-9), "{cut:?}");
    let slices: Vec<String> = cut
        .iter()
        .map(|&(top, bottom)| {
            let s = Slice {
                top,
                bottom,
                scale: 1.0,
            };
            render_slice(g, &l, &o, &s)
        })
        .collect();
    for n in &g.nodes {
        let id = format!("id=\"r-step-{}\"", n.id);
        let shown: usize = slices.iter().map(|s| s.matches(&id).count()).sum();
        assert_eq!(shown, 1, "step {} on {shown} pages", n.id);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn small_random_graphs_keep_invariants(
        g in arb_graph(10, 14),
        highlight in option::of(0..10usize),
    ) {
        drawing_keeps_invariants(&g, highlight);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(100))]

    #[test]
    fn large_random_graphs_keep_invariants(
        g in arb_graph(30, 45),
        highlight in option::of(0..30usize),
    ) {
        drawing_keeps_invariants(&g, highlight);
    }
}
