//! Flowchart layout and SVG from arbitrary steps and edges (edges may
//! point anywhere, loop, repeat or run backwards), with and without a
//! highlighted step.
//!
//! Input, read with `arbitrary::Unstructured`: a step count (0–48), then
//! for each step a shape, a label (lossy UTF-8, wrapped by the layout), an
//! optional post, time limit and risk marker; then up to 128 edges
//! (indices may be out of range) with optional labels.
#![no_main]

use flowchart::{
    layout, render_svg, FlowEdge, FlowGraph, FlowNode, RiskLink, RiskMarker, Shape, SvgOptions,
};
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;

fn text(u: &mut Unstructured, max: usize) -> Result<String> {
    let len = u.int_in_range(0..=max)?;
    Ok(String::from_utf8_lossy(u.bytes(len.min(u.len()))?).into_owned())
}

fn maybe(u: &mut Unstructured, max: usize) -> Result<Option<String>> {
    Ok(if u.arbitrary()? {
        Some(text(u, max)?)
    } else {
        None
    })
}

fn graph(u: &mut Unstructured) -> Result<(FlowGraph, Option<usize>)> {
    let n = u.int_in_range(0..=48usize)?;
    let mut nodes = Vec::with_capacity(n);
    for i in 0..n {
        let shape = *u.choose(&[Shape::Start, Shape::Step, Shape::Decision, Shape::End])?;
        let marker = if u.ratio(1, 4)? {
            let risks = (0..u.int_in_range(0..=3)?)
                .map(|k| {
                    Ok(RiskLink {
                        id: format!("R-{i:03}-{k}"),
                        title: text(u, 40)?,
                        href: format!("../risks/R-{i:03}.html"),
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            Some(RiskMarker {
                grade: text(u, 6)?,
                color: u
                    .choose(&["#c62828", "#b45309", "#1565c0", "not a colour"])?
                    .to_string(),
                risks,
            })
        } else {
            None
        };
        nodes.push(FlowNode {
            id: format!("s{i}"),
            label: text(u, 120)?,
            shape,
            post: maybe(u, 30)?,
            time_limit: maybe(u, 12)?,
            marker,
        });
    }
    let mut edges = Vec::new();
    while edges.len() < 128 && !u.is_empty() {
        let bound = n + 2; // a little past the end: out-of-range edges are ignored
        edges.push(FlowEdge {
            from: u.int_in_range(0..=bound)?,
            to: u.int_in_range(0..=bound)?,
            label: maybe(u, 16)?,
        });
    }
    let highlight = if n > 0 && u.arbitrary()? {
        Some(u.int_in_range(0..=n - 1)?)
    } else {
        None
    };
    let title = "流程".to_string();
    Ok((
        FlowGraph {
            title,
            nodes,
            edges,
        },
        highlight,
    ))
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok((g, highlight)) = graph(&mut u) else {
        return;
    };
    let l = layout(&g);
    assert!(l.width.is_finite() && l.height.is_finite());
    assert_eq!(l.nodes.len(), g.nodes.len());
    for (i, a) in l.nodes.iter().enumerate() {
        for b in &l.nodes[i + 1..] {
            assert!(
                !a.rect().overlaps(&b.rect(), 0.0),
                "boxes overlap: {a:?} {b:?}"
            );
        }
    }
    for e in &l.edges {
        assert!(e.points.iter().all(|p| p.0.is_finite() && p.1.is_finite()));
    }
    let opts = SvgOptions {
        highlight,
        id_prefix: "f-".into(),
        risk_label: "风险点".into(),
    };
    let svg = render_svg(&g, &l, &opts);
    assert!(svg.starts_with("<svg") && svg.ends_with("</svg>\n"));
});
