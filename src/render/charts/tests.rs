use super::canvas::{contrast, nice_axis, parse_color, text_width, tint, wrap, INK, MUTED};
use super::*;

fn grades(spec: &[(&str, &str)]) -> Vec<GradeKey> {
    spec.iter()
        .map(|(n, c)| GradeKey {
            name: (*n).into(),
            color: (*c).into(),
        })
        .collect()
}

fn three() -> Vec<GradeKey> {
    grades(&[
        ("一级", "#c62828"),
        ("二级", "#b45309"),
        ("三级", "#1565c0"),
    ])
}

fn five() -> Vec<GradeKey> {
    grades(&[
        ("Ⅰ", "#b71c1c"),
        ("Ⅱ", "#e65100"),
        ("Ⅲ", "#f9a825"),
        ("Ⅳ", "#2e7d32"),
        ("Ⅴ", "#1565c0"),
    ])
}

fn two() -> Vec<GradeKey> {
    grades(&[("高", "#c62828"), ("低", "#1565c0")])
}

fn text(title: &str) -> ChartText {
    ChartText {
        title: title.into(),
        count_axis: "风险点数".into(),
        likelihood: "可能性".into(),
        impact: "影响程度".into(),
    }
}

fn rows(n: usize, grades: usize) -> Vec<Row> {
    (0..n)
        .map(|k| Row {
            label: format!("不动产登记中心{k}"),
            counts: (0..grades).map(|g| ((k * 7 + g * 3) % 11) as u32).collect(),
        })
        .collect()
}

fn cells() -> [[u32; 5]; 5] {
    [
        [3, 2, 0, 1, 0],
        [4, 6, 3, 2, 0],
        [1, 5, 8, 4, 2],
        [0, 2, 3, 5, 1],
        [0, 0, 1, 2, 37],
    ]
}

fn band(score: u32) -> String {
    (if score >= 15 {
        "#c62828"
    } else if score >= 8 {
        "#b45309"
    } else {
        "#1565c0"
    })
    .into()
}

fn band_index(score: u32) -> Option<usize> {
    Some(if score >= 15 {
        0
    } else if score >= 8 {
        1
    } else {
        2
    })
}

/// A minimal, strict XML reader for the tests: balanced tags, quoted
/// attributes, known entities only, no raw `<` or `&` in text, no control
/// characters, exactly one root element.
mod xml {
    /// One element: name, unescaped attributes, unescaped direct text, depth.
    pub struct Elem {
        pub name: String,
        pub attrs: Vec<(String, String)>,
        pub text: String,
        pub depth: usize,
    }

    impl Elem {
        pub fn attr(&self, key: &str) -> Option<&str> {
            self.attrs
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.as_str())
        }
    }

    fn unescape(s: &str) -> Result<String, String> {
        let mut out = String::new();
        let mut rest = s;
        while let Some(i) = rest.find(['&', '<']) {
            out.push_str(&rest[..i]);
            if rest[i..].starts_with('<') {
                return Err(format!("raw < in {s:?}"));
            }
            let end = rest[i..]
                .find(';')
                .ok_or_else(|| format!("bare & in {s:?}"))?
                + i;
            out.push(match &rest[i + 1..end] {
                "lt" => '<',
                "gt" => '>',
                "amp" => '&',
                "quot" => '"',
                "apos" => '\'',
                // character references, as `markup::escape_html` writes `'`
                other => match other.strip_prefix('#').map(|n| match n.strip_prefix('x') {
                    Some(hex) => u32::from_str_radix(hex, 16),
                    None => n.parse(),
                }) {
                    Some(Ok(c)) => char::from_u32(c).ok_or_else(|| format!("bad &{other};"))?,
                    _ => return Err(format!("unknown entity &{other}; in {s:?}")),
                },
            });
            rest = &rest[end + 1..];
        }
        out.push_str(rest);
        Ok(out)
    }

    fn parse_tag(inner: &str, depth: usize) -> Result<Elem, String> {
        let name_end = inner
            .find(|c: char| c.is_whitespace())
            .unwrap_or(inner.len());
        let name = inner[..name_end].to_string();
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == ':')
        {
            return Err(format!("bad tag name in <{inner}>"));
        }
        let mut attrs = Vec::new();
        let mut rest = inner[name_end..].trim_start();
        while !rest.is_empty() {
            let eq = rest
                .find('=')
                .ok_or_else(|| format!("attribute without value in <{inner}>"))?;
            let key = rest[..eq].trim().to_string();
            let quote = rest[eq + 1..]
                .chars()
                .next()
                .filter(|c| *c == '"' || *c == '\'');
            let quote = quote.ok_or_else(|| format!("unquoted attribute in <{inner}>"))?;
            let close = rest[eq + 2..].find(quote).ok_or("unterminated attribute")? + eq + 2;
            if attrs.iter().any(|(k, _)| *k == key) {
                return Err(format!("duplicate attribute {key}"));
            }
            attrs.push((key, unescape(&rest[eq + 2..close])?));
            rest = rest[close + 1..].trim_start();
        }
        Ok(Elem {
            name,
            attrs,
            text: String::new(),
            depth,
        })
    }

    pub fn parse(doc: &str) -> Result<Vec<Elem>, String> {
        if let Some(c) = doc
            .chars()
            .find(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        {
            return Err(format!("control character {c:?}"));
        }
        let (mut elems, mut open): (Vec<Elem>, Vec<usize>) = (Vec::new(), Vec::new());
        let mut rest = doc;
        while !rest.is_empty() {
            let lt = rest.find('<').unwrap_or(rest.len());
            let text = unescape(&rest[..lt])?;
            match open.last() {
                Some(&top) => elems[top].text.push_str(&text),
                None if !text.trim().is_empty() => {
                    return Err(format!("text outside root: {text:?}"))
                }
                None => {}
            }
            rest = &rest[lt..];
            if rest.is_empty() {
                break;
            }
            let mut quote = None;
            let gt = rest
                .char_indices()
                .find(|&(_, c)| {
                    match (quote, c) {
                        (None, '"' | '\'') => quote = Some(c),
                        (Some(q), c) if q == c => quote = None,
                        _ => {}
                    }
                    quote.is_none() && c == '>'
                })
                .map(|(i, _)| i)
                .ok_or("unterminated tag")?;
            let inner = &rest[1..gt];
            rest = &rest[gt + 1..];
            if let Some(name) = inner.strip_prefix('/') {
                let top = open.pop().ok_or_else(|| format!("stray </{name}>"))?;
                if elems[top].name != name.trim() {
                    return Err(format!("<{}> closed by </{name}>", elems[top].name));
                }
            } else if let Some(inner) = inner.strip_suffix('/') {
                elems.push(parse_tag(inner.trim_end(), open.len())?);
            } else {
                elems.push(parse_tag(inner, open.len())?);
                open.push(elems.len() - 1);
            }
            if open.is_empty() && !rest.trim().is_empty() {
                return Err("content after the root element".into());
            }
        }
        if !open.is_empty() {
            return Err("unclosed elements".into());
        }
        if elems.iter().filter(|e| e.depth == 0).count() != 1 {
            return Err("not exactly one root".into());
        }
        Ok(elems)
    }
}

/// Parses the SVG as XML (panicking with the document if malformed) and
/// checks the root's accessibility and scaling attributes.
fn parse(svg: &str) -> Vec<xml::Elem> {
    let elems = xml::parse(svg).unwrap_or_else(|e| panic!("malformed SVG ({e}):\n{svg}"));
    let root = &elems[0];
    assert_eq!(root.name, "svg");
    assert_eq!(root.attr("xmlns"), Some("http://www.w3.org/2000/svg"));
    assert!(root.attr("viewBox").is_some_and(|v| v.starts_with("0 0 ")));
    assert_eq!(root.attr("role"), Some("img"));
    assert!(root.attr("aria-label").is_some());
    assert!(root
        .attr("style")
        .is_some_and(|s| s.contains("max-width:100%")));
    assert!(root
        .attr("font-family")
        .is_some_and(|f| f.starts_with("\"Microsoft YaHei\"")));
    assert!(elems
        .get(1)
        .is_some_and(|e| e.name == "title" && e.depth == 1));
    elems
}

/// Every `<text>` content, trimmed.
fn texts(svg: &str) -> Vec<String> {
    parse(svg)
        .into_iter()
        .filter(|e| e.name == "text")
        .map(|e| e.text.trim().to_string())
        .collect()
}

/// Every rectangle fill, upper case.
fn fills(svg: &str) -> Vec<String> {
    parse(svg)
        .iter()
        .filter(|e| e.name == "rect")
        .filter_map(|e| e.attr("fill").map(str::to_uppercase))
        .collect()
}

#[test]
fn the_xml_reader_rejects_malformed_documents() {
    for bad in [
        "<svg><text>a</svg>",
        "<svg><text>a & b</text></svg>",
        "<svg><text>a <b</text></svg>",
        "<svg x=1></svg>",
        "<svg></svg><svg></svg>",
        "<svg><text>&nbsp;</text></svg>",
        "<svg>\u{1}</svg>",
    ] {
        assert!(xml::parse(bad).is_err(), "{bad}");
    }
    let ok = xml::parse("<svg a=\"&lt;b&gt;\"><text>&amp;x</text><rect/></svg>").expect("ok");
    assert_eq!(ok[0].attr("a"), Some("<b>"));
    assert_eq!(ok[1].text, "&x");
    assert_eq!(ok[2].depth, 1);
}

/// All charts for one input set, for the checks every chart must pass.
fn all_charts(g: &[GradeKey], r: &[Row], counts: &[u32], t: &ChartText) -> Vec<String> {
    vec![
        grade_bars(g, counts, t),
        stacked_rows(g, r, t),
        grouped_versions(g, r, t),
        matrix(&cells(), &band, t),
        matrix_graded(&cells(), g, &band_index, t),
    ]
}

#[test]
fn output_is_byte_deterministic() {
    let (g, r, t) = (five(), rows(25, 5), text("各部门风险等级分布"));
    let a = all_charts(&g, &r, &[5, 4, 3, 2, 1], &t);
    let b = all_charts(&g, &r, &[5, 4, 3, 2, 1], &t);
    assert_eq!(a, b);
}

#[test]
fn grade_bars_draw_each_grade_in_its_colour_with_count_and_name() {
    let svg = grade_bars(&three(), &[21, 33, 7], &text("各等级风险点数量"));
    let (fills, texts) = (fills(&svg), texts(&svg));
    for color in ["#C62828", "#B45309", "#1565C0"] {
        assert!(fills.iter().any(|f| f == color), "no bar in {color}");
    }
    for label in [
        "21",
        "33",
        "7",
        "一级",
        "二级",
        "三级",
        "风险点数",
        "各等级风险点数量",
    ] {
        assert!(texts.iter().any(|t| t == label), "no text {label}");
    }
}

#[test]
fn stacked_and_grouped_show_grade_names_in_legend_and_counts() {
    let r = vec![
        Row {
            label: "办公室".into(),
            counts: vec![1, 3, 6],
        },
        Row {
            label: "不动产登记中心".into(),
            counts: vec![3, 6, 4],
        },
    ];
    for svg in [
        stacked_rows(&three(), &r, &text("部门")),
        grouped_versions(&three(), &r, &text("版本")),
    ] {
        let texts = texts(&svg);
        for label in ["一级", "二级", "三级", "办公室", "不动产登记中心", "6"] {
            assert!(texts.iter().any(|t| t == label), "no text {label} in {svg}");
        }
        let fills = fills(&svg);
        for color in ["#C62828", "#B45309", "#1565C0"] {
            assert!(fills.iter().any(|f| f == color), "no {color}");
        }
    }
    let stacked = texts(&stacked_rows(&three(), &r, &text("部门")));
    assert!(stacked.iter().any(|t| t == "10"), "row total");
    assert!(stacked.iter().any(|t| t == "13"), "row total");
}

#[test]
fn zero_counts_and_empty_inputs_render() {
    let zeros = vec![Row {
        label: "办公室".into(),
        counts: vec![0, 0, 0],
    }];
    for svg in all_charts(&three(), &zeros, &[0, 0, 0], &text("全零")) {
        parse(&svg);
    }
    let bars = texts(&grade_bars(&three(), &[0, 0, 0], &text("全零")));
    assert_eq!(
        bars.iter().filter(|t| *t == "0").count(),
        4,
        "axis 0 and three bar counts"
    );
    for svg in all_charts(&[], &[], &[], &ChartText::default()) {
        parse(&svg);
    }
    assert!(texts(&stacked_rows(&three(), &[], &text("空")))
        .iter()
        .any(|t| t == "暂无数据"));
    let empty = matrix(&[[0; 5]; 5], &band, &text("空矩阵"));
    assert!(
        !texts(&empty).iter().any(|t| t == "0"),
        "empty cells show nothing"
    );
}

#[test]
fn five_and_two_grades() {
    for (g, r) in [(five(), rows(25, 5)), (two(), rows(1, 2))] {
        let counts: Vec<u32> = (1..=g.len() as u32).collect();
        // The plain matrix (index 3) shows grades by tint only; all others name them.
        for (k, svg) in all_charts(&g, &r, &counts, &text("等级"))
            .iter()
            .enumerate()
        {
            let texts = texts(svg);
            if k == 3 {
                continue;
            }
            for grade in &g {
                assert!(texts.contains(&grade.name), "no {} in {svg}", grade.name);
            }
        }
        let fills = fills(&grade_bars(&g, &counts, &text("等级")));
        for grade in &g {
            assert!(fills.contains(&grade.color.to_uppercase()));
        }
    }
}

#[test]
fn mismatched_counts_and_huge_values_do_not_panic() {
    let g = three();
    let r = vec![
        Row {
            label: "短".into(),
            counts: vec![],
        },
        Row {
            label: "长".into(),
            counts: vec![u32::MAX, u32::MAX, u32::MAX, 9],
        },
    ];
    for svg in all_charts(&g, &r, &[u32::MAX], &text("极值")) {
        parse(&svg);
    }
    let big = [[u32::MAX; 5]; 5];
    parse(&matrix(&big, &|_| "not a colour".into(), &text("极值")));
    parse(&matrix_graded(&big, &g, &|_| Some(99), &text("越界")));
    let svg = grade_bars(&g, &[10_000, 5, 0], &text("万"));
    assert!(texts(&svg).iter().any(|t| t == "10000"));
}

#[test]
fn text_is_escaped_and_control_characters_removed() {
    let nasty = "<b>&\"'\u{0}\u{1b}x";
    let g = grades(&[(nasty, "#c62828"), ("二级", "#b45309")]);
    let r = vec![Row {
        label: nasty.into(),
        counts: vec![2, 1],
    }];
    let t = ChartText {
        title: nasty.into(),
        count_axis: nasty.into(),
        likelihood: nasty.into(),
        impact: nasty.into(),
    };
    for svg in all_charts(&g, &r, &[2, 1], &t) {
        let elems = parse(&svg);
        assert_eq!(elems[1].text, "<b>&\"'  x");
        assert_eq!(elems[0].attr("aria-label"), Some("<b>&\"'  x"));
        assert!(!svg.contains("<b>"));
    }
    let texts = texts(&stacked_rows(&g, &r, &t));
    assert!(
        texts.iter().any(|t| t == "<b>&\"'  x"),
        "label text round-trips"
    );
}

#[test]
fn font_sizes_are_whole_pixels() {
    let svg = stacked_rows(&five(), &rows(3, 5), &text("字号"));
    for node in parse(&svg).iter().filter(|e| e.name == "text") {
        let size = node.attr("font-size").expect("font-size");
        assert!(
            size.parse::<u32>().is_ok_and(|s| (11..=18).contains(&s)),
            "size {size}"
        );
        assert!(
            node.attr("font-family").is_none(),
            "family is set once on the root"
        );
    }
}

#[test]
fn matrix_tints_keep_text_readable() {
    let svg = matrix(&cells(), &band, &text("风险矩阵"));
    let written = texts(&svg);
    for count in ["3", "8", "37"] {
        assert!(written.iter().any(|t| t == count));
    }
    for color in [
        "#c62828", "#b45309", "#1565c0", "#f9a825", "#000000", "#ffff00", "#2e7d32",
    ] {
        let c = parse_color(color);
        let tinted = super::matrix::cell_tint(c);
        assert!(contrast(tinted, INK) >= 4.5, "{color}");
        assert!(contrast(tinted, MUTED) >= 4.5, "{color}");
        assert_ne!(tinted, tint(c, 0.0), "{color} still tinted");
    }
    let graded = texts(&matrix_graded(
        &cells(),
        &three(),
        &band_index,
        &text("风险矩阵"),
    ));
    assert!(
        graded.iter().filter(|t| *t == "一级").count() > 1,
        "cells and legend name grades"
    );
}

#[test]
fn axis_steps_are_sensible_integers() {
    assert_eq!(nice_axis(0), (1, 5));
    assert_eq!(nice_axis(7), (2, 8));
    assert_eq!(nice_axis(33), (10, 40));
    assert_eq!(nice_axis(10_000), (2_000, 10_000));
    assert_eq!(nice_axis(10_001), (2_000, 12_000));
    for max in (0..3000).chain([u64::from(u32::MAX) * 5]) {
        let (step, top) = nice_axis(max);
        assert!(top >= max && top / step <= 6 && top % step == 0, "{max}");
    }
}

#[test]
fn text_measure_and_wrap() {
    assert_eq!(text_width("不动产登记中心", 14), 98);
    assert_eq!(text_width("2024", 10), 22);
    assert_eq!(wrap("不动产登记中心", 98, 14, 2), vec!["不动产登记中心"]);
    assert_eq!(
        wrap("不动产登记中心", 56, 14, 2),
        vec!["不动产登", "记中心"]
    );
    let cut = wrap("市自然资源和规划局不动产登记中心", 56, 14, 2);
    assert_eq!(cut.len(), 2);
    assert!(cut[1].ends_with('…') && text_width(&cut[1], 14) <= 56);
    assert_eq!(
        wrap("Risk control office", 80, 14, 3),
        vec!["Risk", "control", "office"]
    );
    assert!(wrap("", 50, 14, 2).is_empty());
    assert_eq!(wrap("很长", 1, 14, 1).len(), 1);
}

#[test]
fn colours_parse_with_fallback() {
    assert_eq!(
        parse_color("#c62828"),
        plotters::prelude::RGBColor(0xc6, 0x28, 0x28)
    );
    assert_eq!(
        parse_color("#fff"),
        plotters::prelude::RGBColor(255, 255, 255)
    );
    assert_eq!(parse_color("红色"), super::canvas::FALLBACK);
}

/// Counts inside a light grade's segment are written in the badge ink that
/// `check`'s contrast warning measures (`#1a1a1a`), white on a dark one.
#[test]
fn counts_on_bars_use_the_checked_badge_ink() {
    let g = grades(&[("高", "#ffeb3b"), ("低", "#1565c0")]);
    let r = vec![Row {
        label: "办公室".into(),
        counts: vec![7, 9],
    }];
    let svg = stacked_rows(&g, &r, &text("部门"));
    let fill_of = |count: &str| {
        parse(&svg)
            .into_iter()
            .find(|e| e.name == "text" && e.text.trim() == count)
            .and_then(|e| e.attr("fill").map(str::to_string))
    };
    assert_eq!(fill_of("7").as_deref(), Some("#1A1A1A"));
    assert_eq!(fill_of("9").as_deref(), Some("#FFFFFF"));
    assert_eq!(markup::badge_text("#ffeb3b").1, "#1a1a1a");
}
