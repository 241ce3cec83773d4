//! Phase 1, measuring: each step's texts wrapped and its box sized (at the
//! origin), and the size of each edge label's box. Nothing is placed yet.

use super::geometry::{
    NodeBox, Rect, BADGE_SIZE, LABEL_LH, LABEL_SIZE, RISK_GAP, RISK_SEP, SMALL_LH, SMALL_SIZE,
    SUB_GAP,
};
use super::text;
use super::{FlowGraph, FlowNode, Shape};

/// Height of an edge-label box.
const LABEL_H: f64 = 18.0;
/// Horizontal padding inside an edge-label box.
const LABEL_PAD: f64 = 5.0;
/// Distance between a label box and its edge.
pub(crate) const LABEL_OFF: f64 = 5.0;
const BADGE_H: f64 = 17.0;
const BADGE_PAD: f64 = 7.0;
const LABEL_MAX_W: f64 = 9.0 * LABEL_SIZE;
const SMALL_MAX_W: f64 = 11.0 * SMALL_SIZE;
const PAD_X: f64 = 14.0;
const PAD_Y: f64 = 10.0;
const MIN_W: f64 = 96.0;
const MIN_H: f64 = 40.0;

/// The steps' boxes, in the graph's order, sized but not placed.
#[derive(Debug, Clone)]
pub(crate) struct Measured {
    pub(crate) nodes: Vec<NodeBox>,
}

/// Measures every step of `g`.
pub(crate) fn measure(g: &FlowGraph) -> Measured {
    Measured {
        nodes: g.nodes.iter().map(node_box).collect(),
    }
}

/// Size of the box of an edge label.
pub(crate) fn label_size(s: &str) -> (f64, f64) {
    (markup::width(s, SMALL_SIZE) + 2.0 * LABEL_PAD, LABEL_H)
}

/// The label of edge `e`, trimmed, if it has a non-empty one.
pub(crate) fn edge_label(g: &FlowGraph, e: usize) -> Option<&str> {
    g.edges
        .get(e)?
        .label
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// Measures a step: wraps its texts and sizes its box (at the origin).
fn node_box(node: &FlowNode) -> NodeBox {
    let lines = text::wrap(&node.label, LABEL_SIZE, LABEL_MAX_W);
    let mut sub_lines = Vec::new();
    let post = node
        .post
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let time = node
        .time_limit
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    if let (Some(p), Some(t)) = (post, time) {
        let joined = format!("{p} · {t}");
        if markup::width(&joined, SMALL_SIZE) <= SMALL_MAX_W {
            sub_lines.push(joined);
        } else {
            sub_lines.extend(text::wrap(p, SMALL_SIZE, SMALL_MAX_W));
            sub_lines.extend(text::wrap(t, SMALL_SIZE, SMALL_MAX_W));
        }
    } else if let Some(s) = post.or(time) {
        sub_lines.extend(text::wrap(s, SMALL_SIZE, SMALL_MAX_W));
    }
    let line_w = |ls: &[String], size: f64| {
        ls.iter()
            .map(|l| markup::width(l, size))
            .fold(0.0, f64::max)
    };
    let mut cw = line_w(&lines, LABEL_SIZE).max(line_w(&sub_lines, SMALL_SIZE));
    // Risk ids in rows no wider than the text (or a label line).
    let mut risk_rows: Vec<Vec<usize>> = Vec::new();
    if let Some(m) = &node.marker {
        let row_max = cw.max(LABEL_MAX_W);
        let mut row_w = 0.0;
        for (i, r) in m.risks.iter().enumerate() {
            let w = markup::width(&r.id, SMALL_SIZE);
            match risk_rows.last_mut() {
                Some(row) if row_w + RISK_SEP + w <= row_max => {
                    row.push(i);
                    row_w += RISK_SEP + w;
                }
                _ => {
                    risk_rows.push(vec![i]);
                    row_w = w;
                }
            }
            cw = cw.max(row_w);
        }
    }
    let mut ch = lines.len() as f64 * LABEL_LH;
    if !sub_lines.is_empty() {
        ch += SUB_GAP + sub_lines.len() as f64 * SMALL_LH;
    }
    if !risk_rows.is_empty() {
        ch += RISK_GAP + risk_rows.len() as f64 * SMALL_LH;
    }
    let (w, h) = match node.shape {
        Shape::Step => ((cw + 2.0 * PAD_X).max(MIN_W), (ch + 2.0 * PAD_Y).max(MIN_H)),
        Shape::Start | Shape::End => {
            let h = (ch + 2.0 * PAD_Y).max(MIN_H);
            ((cw + h + 8.0).max(MIN_W), h)
        }
        Shape::Decision => {
            // A content rectangle cw'×ch' fits exactly in a diamond of
            // (cw' + 2ch') × (ch' + cw'/2).
            let (iw, ih) = (cw + 12.0, ch + 6.0);
            ((iw + 2.0 * ih).max(104.0), (ih + iw / 2.0).max(56.0))
        }
    };
    let badge = node.marker.as_ref().map(|m| {
        let bw = markup::width(&m.grade, BADGE_SIZE) + 2.0 * BADGE_PAD;
        match node.shape {
            // Centred on the upper-right edge of the diamond.
            Shape::Decision => Rect {
                x: w * 0.75 - bw / 2.0 + 6.0,
                y: h * 0.25 - BADGE_H,
                w: bw,
                h: BADGE_H,
            },
            _ => Rect {
                x: w - bw + 6.0,
                y: -BADGE_H / 2.0 - 1.0,
                w: bw,
                h: BADGE_H,
            },
        }
    });
    NodeBox {
        x: 0.0,
        y: 0.0,
        w,
        h,
        shape: node.shape,
        rank: 0,
        lines,
        sub_lines,
        risk_rows,
        text_top: (h - ch) / 2.0,
        badge,
    }
}
