//! SVG drawing of a laid-out flowchart.
//!
//! The output is byte-deterministic: numbers have at most one decimal and
//! attributes come in a fixed order. Text stays text (selectable, searchable)
//! and is XML-escaped; the chart scales with its container and prints on
//! white.

use std::fmt::Write;

use markup::{badge_text, escape_html as esc, width};

use super::geometry::{
    EdgeKind, Layout, NodeBox, BADGE_SIZE, LABEL_LH, LABEL_SIZE, RISK_GAP, RISK_SEP, SMALL_LH,
    SMALL_SIZE, SUB_GAP,
};
use super::{FlowGraph, FlowNode, RiskLink, Shape};

const FONT: &str =
    "'Microsoft YaHei','PingFang SC','Noto Sans CJK SC','Source Han Sans SC',sans-serif";
const INK: &str = "#212121";
const GREY: &str = "#5f6368";
const LINE: &str = "#546e7a";
const BORDER: &str = "#455a64";
const HALO_FILL: &str = "#ffd54f";
/// How far the line stops short of the arrow tip (hidden under the head).
const TIP: f64 = 4.0;

/// Options for [`render_svg`].
#[derive(Debug, Clone, Default)]
pub struct SvgOptions {
    /// Index of a step to highlight (e.g. on a risk's page), drawn with a halo.
    pub highlight: Option<usize>,
    /// Prefix for every id in the SVG, so that several flowcharts can share
    /// one page; the step groups get `id="{prefix}step-{id}"`.
    pub id_prefix: String,
    /// Word for "risk points" used in the tooltip of a marked step, e.g. "风险点".
    pub risk_label: String,
}

/// Formats a coordinate with at most one decimal ("12", "12.5", never "-0"),
/// exactly as [`num_exact`] does. A drawing has thousands of coordinates:
/// rounding to tenths in integers is several times faster than printing
/// the float; a value whose tenths are (nearly) a half, where the float's
/// exact decimal decides, is printed.
pub(crate) fn num(v: f64) -> String {
    let t = v * 10.0;
    if !v.is_finite() || t.abs() > 1e12 || ((t - t.trunc()).abs() - 0.5).abs() < 1e-6 {
        return num_exact(v);
    }
    let r = t.round() as i64;
    let (sign, a) = if r < 0 { ("-", -r) } else { ("", r) };
    match (a / 10, a % 10) {
        (0, 0) => "0".to_string(),
        (whole, 0) => format!("{sign}{whole}"),
        (whole, tenth) => format!("{sign}{whole}.{tenth}"),
    }
}

/// [`num`] by printing the float with one decimal.
fn num_exact(v: f64) -> String {
    if !v.is_finite() {
        return "0".to_string();
    }
    let s = format!("{v:.1}");
    let s = s.strip_suffix(".0").unwrap_or(&s);
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

/// Draws `g` as laid out by [`crate::layout()`] into a standalone `<svg>`
/// element (suitable for inline HTML).
pub fn render_svg(g: &FlowGraph, l: &Layout, o: &SvgOptions) -> String {
    draw(g, l, o, None)
}

/// A horizontal band of a drawing (`top`..`bottom`, in its units) and the
/// size it is shown at: one CSS pixel per unit times `scale`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Slice {
    pub top: f64,
    pub bottom: f64,
    pub scale: f64,
}

/// Draws the band `s` of `g` (a page of a flowchart cut with
/// [`crate::bands()`]): the `viewBox` covers the band, `width` and `height`
/// are its size times the scale, and only the steps and edge labels whose
/// middles lie in the band are drawn (edges are drawn whole and clipped), so
/// the bands of one drawing show every step once.
pub fn render_slice(g: &FlowGraph, l: &Layout, o: &SvgOptions, s: &Slice) -> String {
    draw(g, l, o, Some(s))
}

fn draw(g: &FlowGraph, l: &Layout, o: &SvgOptions, slice: Option<&Slice>) -> String {
    let p = esc(&o.id_prefix);
    // A middle on the drawing's last line belongs to the last band.
    let shown = |y: f64| {
        slice
            .is_none_or(|b| y >= b.top && (y < b.bottom || (b.bottom >= l.height && y <= b.bottom)))
    };
    // An image's children are presentational, so a chart with risk links
    // is a named group instead (axe: nested-interactive).
    let links = g
        .nodes
        .iter()
        .zip(&l.nodes)
        .any(|(n, b)| shown(b.cy()) && n.marker.as_ref().is_some_and(|m| !m.risks.is_empty()));
    let mut s = String::with_capacity(4096 + 1500 * l.nodes.len());
    open(&mut s, g, l, &p, slice, links);
    // Highlight halo, then edges, nodes, and labels over everything.
    if let Some(b) = o
        .highlight
        .and_then(|i| l.nodes.get(i))
        .filter(|b| shown(b.cy()))
    {
        s.push_str(&outline(
            b,
            6.0,
            &format!("class=\"flow-halo\" fill=\"{HALO_FILL}\""),
        ));
        s.push('\n');
    }
    s.push_str("<g class=\"flow-edges\" fill=\"none\" stroke=\"");
    s.push_str(LINE);
    s.push_str("\" stroke-width=\"1.4\" stroke-linejoin=\"round\">\n");
    for e in &l.edges {
        let d = path_d(&e.points);
        if d.is_empty() {
            continue;
        }
        let (class, dash) = match e.kind {
            EdgeKind::Back => ("flow-edge back", " stroke-dasharray=\"6 3\""),
            EdgeKind::SelfLoop => ("flow-edge self", ""),
            EdgeKind::Forward => ("flow-edge", ""),
        };
        let _ = writeln!(
            s,
            "<path class=\"{class}\" d=\"{d}\"{dash} marker-end=\"url(#{p}arrow)\"/>"
        );
    }
    s.push_str("</g>\n<g class=\"flow-nodes\">\n");
    for (i, (node, b)) in g.nodes.iter().zip(&l.nodes).enumerate() {
        if !shown(b.cy()) {
            continue;
        }
        node_svg(&mut s, node, b, o.highlight == Some(i), o, &p);
    }
    s.push_str("</g>\n<g class=\"flow-edge-labels\" font-size=\"12\">\n");
    for e in &l.edges {
        let (Some(r), Some(t)) = (
            e.label_rect,
            g.edges.get(e.edge).and_then(|x| x.label.as_deref()),
        ) else {
            continue;
        };
        if !shown(r.y + r.h / 2.0) {
            continue;
        }
        let _ = writeln!(
            s,
            "<g class=\"flow-edge-label\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\" fill=\"#fff\" \
             fill-opacity=\"0.9\"/><text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"#37474f\">{}</text></g>",
            num(r.x),
            num(r.y),
            num(r.w),
            num(r.h),
            num(r.x + r.w / 2.0),
            num(baseline(r.y, r.h, SMALL_SIZE)),
            esc(t.trim())
        );
    }
    s.push_str("</g>\n</svg>\n");
    s
}

/// The root element, its title, the arrowhead and the white ground: the
/// whole drawing, or the band of `slice` at its scale.
fn open(s: &mut String, g: &FlowGraph, l: &Layout, p: &str, slice: Option<&Slice>, links: bool) {
    let role = if links { "group" } else { "img" };
    let (w, h) = (num(l.width), num(l.height));
    let (view, size, ground, gh) = match slice {
        None => (
            format!("0 0 {w} {h}"),
            format!("width=\"{w}\""),
            String::new(),
            h,
        ),
        Some(b) => {
            let band = (b.bottom - b.top).max(0.0);
            let (sw, sh) = (num(l.width * b.scale), num(band * b.scale));
            (
                format!("0 {} {w} {}", num(b.top), num(band)),
                format!("width=\"{sw}\" height=\"{sh}\""),
                format!(" y=\"{}\"", num(b.top)),
                num(band),
            )
        }
    };
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"{view}\" {size} role=\"{role}\" \
         aria-labelledby=\"{p}flow-title\" style=\"max-width:100%;height:auto\" class=\"flowchart\" \
         font-family=\"{FONT}\">\n<title id=\"{p}flow-title\">{}</title>\n",
        esc(&g.title)
    );
    let _ = write!(
        s,
        "<defs><marker id=\"{p}arrow\" viewBox=\"0 0 10 10\" refX=\"{}\" refY=\"5\" markerWidth=\"9\" \
         markerHeight=\"9\" markerUnits=\"userSpaceOnUse\" orient=\"auto\"><path d=\"M0,1L10,5L0,9z\" \
         fill=\"{LINE}\"/></marker></defs>\n<rect{ground} width=\"{w}\" height=\"{gh}\" fill=\"#fff\"/>\n",
        num(10.0 - TIP / 0.9)
    );
}

/// `d` attribute of a polyline, its end pulled back under the arrowhead.
fn path_d(pts: &[(f64, f64)]) -> String {
    let mut pts = pts.to_vec();
    let k = pts.len();
    if k < 2 {
        return String::new();
    }
    let (a, z) = (pts[k - 2], pts[k - 1]);
    let len = ((z.0 - a.0).powi(2) + (z.1 - a.1).powi(2)).sqrt();
    if len > TIP + 2.0 {
        pts[k - 1] = (z.0 - (z.0 - a.0) / len * TIP, z.1 - (z.1 - a.1) / len * TIP);
    }
    let mut d = String::new();
    for (i, (x, y)) in pts.iter().enumerate() {
        let _ = write!(
            d,
            "{}{},{}",
            if i == 0 { "M" } else { "L" },
            num(*x),
            num(*y)
        );
    }
    d
}

/// Baseline that centres a line of CJK text of `size` in a band.
fn baseline(top: f64, band: f64, size: f64) -> f64 {
    top + band / 2.0 + size * 0.36
}

/// Half-width available inside the outline at height `y` (minus padding).
fn inner_half(b: &NodeBox, y: f64) -> f64 {
    match b.shape {
        Shape::Decision => b.w / 2.0 * (1.0 - (y - b.cy()).abs() / (b.h / 2.0)) - 8.0,
        Shape::Start | Shape::End => b.w / 2.0 - b.h / 2.0,
        Shape::Step => b.w / 2.0 - 10.0,
    }
}

/// Outline element (`rect` or `polygon`) of a box grown by `grow`.
fn outline(b: &NodeBox, grow: f64, attrs: &str) -> String {
    if b.shape == Shape::Decision {
        let (hw, hh) = (b.w / 2.0, b.h / 2.0);
        let k = (hw * hw + hh * hh).sqrt();
        let (a, c) = (hw + grow * k / hh, hh + grow * k / hw);
        let (cx, cy) = (b.cx(), b.cy());
        format!(
            "<polygon points=\"{},{} {},{} {},{} {},{}\" {attrs}/>",
            num(cx),
            num(cy - c),
            num(cx + a),
            num(cy),
            num(cx),
            num(cy + c),
            num(cx - a),
            num(cy)
        )
    } else {
        format!(
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{}\" {attrs}/>",
            num(b.x - grow),
            num(b.y - grow),
            num(b.w + 2.0 * grow),
            num(b.h + 2.0 * grow),
            num(b.radius() + grow)
        )
    }
}

fn node_svg(
    s: &mut String,
    node: &FlowNode,
    b: &NodeBox,
    highlight: bool,
    o: &SvgOptions,
    p: &str,
) {
    let marker = node.marker.as_ref();
    let mut class = String::from("flow-node");
    if marker.is_some() {
        class.push_str(" has-risk");
    }
    if highlight {
        class.push_str(" highlight");
    }
    let _ = writeln!(s, "<g id=\"{p}step-{}\" class=\"{class}\">", esc(&node.id));
    if let Some(m) = marker.filter(|m| !m.risks.is_empty()) {
        let list: Vec<String> = m
            .risks
            .iter()
            .map(|r| format!("{} {}", r.id, r.title).trim().to_string())
            .collect();
        let _ = writeln!(
            s,
            "<title>{}：{}</title>",
            esc(&o.risk_label),
            esc(&list.join("；"))
        );
    }
    let (fill, stroke) = match b.shape {
        Shape::Start | Shape::End => ("#eceff1", "#78909c"),
        Shape::Decision => ("#f1f6fb", BORDER),
        Shape::Step => ("#fff", BORDER),
    };
    let (stroke, sw) = match marker {
        Some(m) => (esc(&m.color), "2.5"),
        None => (stroke.to_string(), "1.3"),
    };
    s.push_str(&outline(
        b,
        0.0,
        &format!("fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"{sw}\""),
    ));
    s.push('\n');
    let cx = num(b.cx());
    let mut y = b.text_top;
    for line in &b.lines {
        let _ = writeln!(
            s,
            "<text x=\"{cx}\" y=\"{}\" font-size=\"{}\" text-anchor=\"middle\" fill=\"{INK}\">{}</text>",
            num(baseline(y, LABEL_LH, LABEL_SIZE)),
            num(LABEL_SIZE),
            esc(line)
        );
        y += LABEL_LH;
    }
    if !b.sub_lines.is_empty() {
        y += SUB_GAP;
        for line in &b.sub_lines {
            let _ = writeln!(
                s,
                "<text x=\"{cx}\" y=\"{}\" font-size=\"{}\" text-anchor=\"middle\" fill=\"{GREY}\">{}</text>",
                num(baseline(y, SMALL_LH, SMALL_SIZE)),
                num(SMALL_SIZE),
                esc(line)
            );
            y += SMALL_LH;
        }
    }
    if let (Some(m), false) = (marker, b.risk_rows.is_empty()) {
        let rule_y = y + RISK_GAP / 2.0;
        let half = inner_half(b, rule_y).max(0.0);
        if half > 8.0 {
            let _ = writeln!(
                s,
                "<line x1=\"{}\" y1=\"{y1}\" x2=\"{}\" y2=\"{y1}\" stroke=\"{stroke}\" stroke-opacity=\"0.4\"/>",
                num(b.cx() - half),
                num(b.cx() + half),
                y1 = num(rule_y)
            );
        }
        y += RISK_GAP;
        for row in &b.risk_rows {
            let ids: Vec<&RiskLink> = row.iter().filter_map(|&i| m.risks.get(i)).collect();
            let total: f64 = ids.iter().map(|r| width(&r.id, SMALL_SIZE)).sum::<f64>()
                + RISK_SEP * ids.len().saturating_sub(1) as f64;
            let mut x = b.cx() - total / 2.0;
            for r in ids {
                let _ = writeln!(
                    s,
                    "<a href=\"{}\" class=\"flow-risk\"><title>{}</title><text x=\"{}\" y=\"{}\" font-size=\"{}\" \
                     fill=\"{INK}\" text-decoration=\"underline\">{}</text></a>",
                    esc(&r.href),
                    esc(format!("{} {}", r.id, r.title).trim()),
                    num(x),
                    num(baseline(y, SMALL_LH, SMALL_SIZE)),
                    num(SMALL_SIZE),
                    esc(&r.id)
                );
                x += width(&r.id, SMALL_SIZE) + RISK_SEP;
            }
            y += SMALL_LH;
        }
    }
    if let (Some(m), Some(r)) = (marker, b.badge) {
        // white or near-black, whichever reads better on the grade colour
        let ink = badge_text(&m.color).1;
        let _ = writeln!(
            s,
            "<g class=\"flow-badge\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{}\" fill=\"{stroke}\" \
             stroke=\"#fff\" stroke-width=\"1.5\"/><text x=\"{}\" y=\"{}\" font-size=\"{}\" font-weight=\"bold\" \
             text-anchor=\"middle\" fill=\"{ink}\">{}</text></g>",
            num(r.x),
            num(r.y),
            num(r.w),
            num(r.h),
            num(r.h / 2.0),
            num(r.x + r.w / 2.0),
            num(baseline(r.y, r.h, BADGE_SIZE)),
            num(BADGE_SIZE),
            esc(&m.grade)
        );
    }
    s.push_str("</g>\n");
}

#[cfg(test)]
mod tests {
    use super::super::geometry::MIN_TEXT_SIZE;
    use super::super::tests::{chain, forty, looped, marker, node};
    use super::super::{layout, FlowEdge};
    use super::*;

    fn opts(prefix: &str, highlight: Option<usize>) -> SvgOptions {
        SvgOptions {
            highlight,
            id_prefix: prefix.into(),
            risk_label: "风险点".into(),
        }
    }

    proptest::proptest! {
        #[test]
        fn tenths_in_integers_print_as_the_float_prints(v in -1e7f64..1e7, k in 0i64..200_000) {
            assert_eq!(num(v), num_exact(v));
            // halves and tenths, where the rounding is decided
            let h = (k - 100_000) as f64 / 20.0;
            assert_eq!(num(h), num_exact(h), "{}", h);
        }
    }

    #[test]
    fn numbers_have_at_most_one_decimal() {
        assert_eq!(num(12.0), "12");
        assert_eq!(num(12.25), "12.2");
        assert_eq!(num(-0.04), "0");
        assert_eq!(num(f64::NAN), "0");
        let g = forty();
        let svg = render_svg(&g, &layout(&g), &opts("a-", None));
        let mut digits_after_dot = 0;
        let mut after_dot = false;
        for c in svg.chars() {
            if c == '.' {
                after_dot = true;
                digits_after_dot = 0;
            } else if after_dot && c.is_ascii_digit() {
                digits_after_dot += 1;
                assert!(digits_after_dot <= 1, "long number in the SVG");
            } else {
                after_dot = false;
            }
        }
    }

    #[test]
    fn same_input_same_bytes() {
        let g = forty();
        let a = render_svg(&g, &layout(&g), &opts("f-", Some(5)));
        let b = render_svg(&g, &layout(&g.clone()), &opts("f-", Some(5)));
        assert_eq!(a, b);
    }

    #[test]
    fn risk_marker_shows_grade_links_and_tooltip() {
        let g = looped();
        let svg = render_svg(&g, &layout(&g), &opts("p1-", Some(1)));
        assert!(
            svg.contains(" role=\"group\" "),
            "links inside: not an image"
        );
        assert!(svg.contains(">一级</text>"), "grade name as text");
        assert!(svg.contains("<a href=\"../risks/R-001.html\""));
        assert!(svg.contains("<a href=\"../risks/R-002.html\""));
        assert!(svg.contains(">R-001</text></a>"));
        assert!(svg.contains("<title>风险点：R-001 R-001的标题；R-002 R-002的标题</title>"));
        assert!(svg.contains("<g id=\"p1-step-sl\" class=\"flow-node has-risk highlight\">"));
        assert!(svg.contains("class=\"flow-halo\" fill=\"#ffd54f\""));
        assert!(svg.contains("stroke=\"#c62828\" stroke-width=\"2.5\""));
        assert!(svg.contains("<g id=\"p1-step-cs\" class=\"flow-node\">"));
        assert!(svg.contains(">退回补正</text>"));
        assert!(svg.contains("stroke-dasharray"), "loop-backs are dashed");
    }

    #[test]
    fn root_element_and_prefixed_ids() {
        let g = chain();
        let l = layout(&g);
        let a = render_svg(&g, &l, &opts("one-", None));
        let b = render_svg(&g, &l, &opts("two-", None));
        let head = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" role=\"img\" \
             aria-labelledby=\"one-flow-title\" style=\"max-width:100%;height:auto\"",
            w = num(l.width),
            h = num(l.height)
        );
        assert!(a.starts_with(&head), "{}", &a[..200]);
        assert!(a.contains("<title id=\"one-flow-title\">测试流程</title>"));
        assert!(a.contains("<marker id=\"one-arrow\"") && a.contains("url(#one-arrow)"));
        assert!(b.contains("<marker id=\"two-arrow\"") && !b.contains("one-"));
        assert!(a.contains("Noto Sans CJK SC"));
        assert!(!a.contains(" height=\"") || a.contains("<rect width="));
    }

    #[test]
    fn text_is_escaped() {
        let mut n = node("x", "<b>&\"'", Shape::Step);
        n.post = Some("a<b".into());
        n.marker = Some(marker("<级>", &["R&1"]));
        let g = FlowGraph {
            title: "A & <B>".into(),
            nodes: vec![n, node("y", "乙", Shape::End)],
            edges: vec![FlowEdge {
                from: 0,
                to: 1,
                label: Some("是&否".into()),
            }],
        };
        let svg = render_svg(&g, &layout(&g), &opts("q\"-", None));
        assert!(svg.contains("&lt;b&gt;&amp;&quot;&#39;"));
        assert!(svg.contains("a&lt;b"));
        assert!(svg.contains("&lt;级&gt;"));
        assert!(svg.contains("href=\"../risks/R&amp;1.html\""));
        assert!(svg.contains(">是&amp;否</text>"));
        assert!(svg.contains("A &amp; &lt;B&gt;"));
        assert!(svg.contains("id=\"q&quot;-step-x\""));
        assert!(!svg.contains("<b>"));
    }

    #[test]
    fn no_text_is_smaller_than_the_smallest_size() {
        let g = looped();
        let svg = render_svg(&g, &layout(&g), &opts("m-", Some(1)));
        let sizes: Vec<f64> = svg
            .split("font-size=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next()?.parse().ok())
            .collect();
        assert!(sizes.len() > 5, "{sizes:?}");
        assert!(sizes.iter().all(|&s| s >= MIN_TEXT_SIZE), "{sizes:?}");
        assert!(sizes.contains(&MIN_TEXT_SIZE), "the badge is the smallest");
    }

    #[test]
    fn the_slices_of_a_drawing_show_every_step_and_label_once() {
        let g = looped();
        let l = layout(&g);
        let cut = super::super::bands(&l, l.height / 2.0 + 30.0);
        assert!(cut.len() >= 2, "{cut:?}");
        let slices: Vec<String> = cut
            .iter()
            .enumerate()
            .map(|(i, &(top, bottom))| {
                let sl = Slice {
                    top,
                    bottom,
                    scale: 1.5,
                };
                render_slice(&g, &l, &opts(&format!("s{i}-"), None), &sl)
            })
            .collect();
        let (top, bottom) = cut[1];
        assert!(slices[1].starts_with(&format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 {} {} {}\" width=\"{}\" height=\"{}\"",
            num(top),
            num(l.width),
            num(bottom - top),
            num(l.width * 1.5),
            num((bottom - top) * 1.5)
        )), "{}", &slices[1][..200]);
        for n in &g.nodes {
            let step = |s: &String| s.matches(&format!("step-{}\"", n.id)).count();
            assert_eq!(slices.iter().map(step).sum::<usize>(), 1, "step {}", n.id);
        }
        let labels = |s: &String| s.matches("class=\"flow-edge-label\"").count();
        let whole = render_svg(&g, &l, &opts("w-", None));
        assert_eq!(slices.iter().map(labels).sum::<usize>(), labels(&whole));
        assert!(whole.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 "));
    }

    #[test]
    fn empty_graph_is_a_valid_svg() {
        let g = FlowGraph {
            title: String::new(),
            nodes: vec![],
            edges: vec![],
        };
        let svg = render_svg(&g, &layout(&g), &SvgOptions::default());
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>\n"));
    }
}
