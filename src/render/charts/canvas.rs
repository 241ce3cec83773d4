//! Shared drawing machinery: a small display list laid out in pixels, rendered
//! through plotters' SVG backend, plus text wrapping, ticks and legends. Text
//! width, colour parsing, contrast and escaping are `markup`'s.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontTransform;

use markup::escape_html;

/// Font stack written once on the root `<svg>` element.
pub(crate) const FONT_STACK: &str =
    "\"Microsoft YaHei\",\"PingFang SC\",\"Noto Sans CJK SC\",\"Source Han Sans SC\",sans-serif";
/// Placeholder family given to plotters; stripped from every `<text>` afterwards.
const FONT_SENTINEL: &str = "gs-chart-font";

/// Outer padding of every chart, in px.
pub(crate) const PAD: i32 = 16;
/// Main text colour (titles, labels, counts).
pub(crate) const INK: RGBColor = RGBColor(0x1f, 0x29, 0x37);
/// Secondary text colour (ticks, axis captions): 7:1 on white.
pub(crate) const MUTED: RGBColor = RGBColor(0x4b, 0x55, 0x63);
/// Light grid lines.
pub(crate) const GRID: RGBColor = RGBColor(0xe5, 0xe7, 0xeb);
/// Axis base lines.
pub(crate) const AXIS: RGBColor = RGBColor(0x9c, 0xa3, 0xaf);
/// Colour used when a grade colour cannot be parsed.
pub(crate) const FALLBACK: RGBColor = RGBColor(0x6b, 0x72, 0x80);

/// One thing to draw, in pixel coordinates of the final SVG.
#[derive(Clone)]
pub(crate) enum Shape {
    /// A filled rectangle from `(x0, y0)` to `(x1, y1)`.
    Rect {
        x0: i32,
        y0: i32,
        x1: i32,
        y1: i32,
        fill: RGBColor,
    },
    /// A line of text whose vertical centre sits at `y`.
    Text(Label),
}

/// A text item of the display list.
#[derive(Clone)]
pub(crate) struct Label {
    pub text: String,
    pub x: i32,
    pub y: i32,
    pub size: u32,
    pub color: RGBColor,
    pub bold: bool,
    pub anchor: HPos,
    pub rotate: bool,
}

/// A display list with a fixed canvas size.
#[derive(Default)]
pub(crate) struct Scene {
    pub shapes: Vec<Shape>,
}

impl Scene {
    /// Adds a filled rectangle; empty or inverted rectangles are skipped.
    pub fn rect(&mut self, x0: i32, y0: i32, x1: i32, y1: i32, fill: RGBColor) {
        if x1 > x0 && y1 > y0 {
            self.shapes.push(Shape::Rect {
                x0,
                y0,
                x1,
                y1,
                fill,
            });
        }
    }

    /// Adds a text whose vertical centre is `y`.
    #[allow(clippy::too_many_arguments)]
    pub fn text(
        &mut self,
        text: &str,
        x: i32,
        y: i32,
        size: u32,
        color: RGBColor,
        bold: bool,
        anchor: HPos,
    ) {
        let text = clean(text);
        if text.trim().is_empty() {
            return;
        }
        self.shapes.push(Shape::Text(Label {
            text,
            x,
            y,
            size,
            color,
            bold,
            anchor,
            rotate: false,
        }));
    }

    /// Adds an axis caption running bottom-to-top, centred on `(x, y)`.
    /// All-CJK captions are stacked upright one character per line, as in
    /// vertical Chinese writing; others are rotated.
    pub fn vertical_caption(&mut self, text: &str, x: i32, y: i32, size: u32, color: RGBColor) {
        let text = clean(text);
        let chars: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
        if chars.is_empty() {
            return;
        }
        if chars.iter().all(|c| !c.is_ascii()) {
            let step = size as i32 + 2;
            let top = y - step * (chars.len() as i32 - 1) / 2;
            for (k, c) in chars.iter().enumerate() {
                self.text(
                    &c.to_string(),
                    x,
                    top + step * k as i32,
                    size,
                    color,
                    false,
                    HPos::Center,
                );
            }
        } else {
            self.shapes.push(Shape::Text(Label {
                text,
                x,
                y,
                size,
                color,
                bold: false,
                anchor: HPos::Center,
                rotate: true,
            }));
        }
    }

    /// Adds a text running bottom to top, starting at `(x, y)` and centred on `x`.
    pub fn upright(&mut self, text: &str, x: i32, y: i32, size: u32, color: RGBColor) {
        let text = clean(text);
        if !text.trim().is_empty() {
            self.shapes.push(Shape::Text(Label {
                text,
                x,
                y,
                size,
                color,
                bold: false,
                anchor: HPos::Left,
                rotate: true,
            }));
        }
    }

    /// Writes a centred "no data" message inside a box.
    pub fn no_data(&mut self, x0: i32, y0: i32, x1: i32, y1: i32) {
        self.text(
            "暂无数据",
            (x0 + x1) / 2,
            (y0 + y1) / 2,
            14,
            MUTED,
            false,
            HPos::Center,
        );
    }

    /// Renders the scene as a complete, accessible `<svg>` document.
    pub fn render(&self, width: i32, height: i32, title: &str) -> String {
        let (w, h) = (width.max(1) as u32, height.max(1) as u32);
        let mut buf = String::new();
        {
            let root = SVGBackend::with_string(&mut buf, (w, h)).into_drawing_area();
            // Errors can only come from file output, which a string buffer never does.
            let _ = root.fill(&WHITE);
            for shape in &self.shapes {
                let _ = match shape {
                    Shape::Rect {
                        x0,
                        y0,
                        x1,
                        y1,
                        fill,
                    } => root.draw(&Rectangle::new([(*x0, *y0), (*x1, *y1)], fill.filled())),
                    Shape::Text(l) => {
                        let style = (FontFamily::Name(FONT_SENTINEL), plotters_size(l.size))
                            .into_font()
                            .style(if l.bold {
                                FontStyle::Bold
                            } else {
                                FontStyle::Normal
                            })
                            .transform(if l.rotate {
                                FontTransform::Rotate270
                            } else {
                                FontTransform::None
                            })
                            .color(&l.color)
                            .pos(Pos::new(l.anchor, VPos::Center));
                        root.draw(&Text::new(l.text.as_str(), (l.x, l.y), style))
                    }
                };
            }
            let _ = root.present();
        }
        finish(&buf, w, h, title)
    }
}

/// Replaces plotters' `<svg>` opening tag with an accessible, scalable one and
/// moves the font stack to the root element.
fn finish(raw: &str, w: u32, h: u32, title: &str) -> String {
    let body = match raw.find('\n') {
        Some(i) if raw.starts_with("<svg") => &raw[i + 1..],
        _ => raw,
    };
    let body = round_font_sizes(&body.replace(&format!(" font-family=\"{FONT_SENTINEL}\""), ""));
    let title = escape_html(&clean(title));
    let mut out = String::with_capacity(body.len() + 400);
    out.push_str(&format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" \
         style=\"max-width:100%;height:auto\" role=\"img\" aria-label=\"{title}\" font-family=\"{}\">\n",
        escape_html(FONT_STACK)
    ));
    out.push_str(&format!("<title>{title}</title>\n"));
    out.push_str(&body);
    out
}

/// plotters writes `size / 1.24` as the SVG font size.
fn plotters_size(px: u32) -> f64 {
    f64::from(px) * 1.24
}

/// Rounds every `font-size="…"` value to whole pixels (plotters' division by
/// 1.24 leaves values such as `13.000000000000002`). Text content never holds
/// a raw `"`, so only attributes match.
fn round_font_sizes(svg: &str) -> String {
    const KEY: &str = "font-size=\"";
    let mut out = String::with_capacity(svg.len());
    let mut rest = svg;
    while let Some(i) = rest.find(KEY) {
        out.push_str(&rest[..i + KEY.len()]);
        rest = &rest[i + KEY.len()..];
        let end = rest.find('"').unwrap_or(rest.len());
        match rest[..end].parse::<f64>() {
            Ok(v) => out.push_str(&format!("{}", v.round())),
            Err(_) => out.push_str(&rest[..end]),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Removes characters XML 1.0 cannot carry and folds line breaks into spaces.
pub(crate) fn clean(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .filter(|c| !matches!(c, '\u{fffe}' | '\u{ffff}'))
        .collect()
}

/// Estimated width of `s` at `size` px, rounded up (`markup::width`: CJK
/// and other full-width characters 1 em, the rest 0.55 em).
pub(crate) fn text_width(s: &str, size: u32) -> i32 {
    markup::width(s, f64::from(size)).ceil() as i32
}

/// Breaks `s` into at most `max_lines` lines no wider than `max_w` px; the
/// last line is cut with "…" when the text does not fit. Latin words are kept
/// whole where possible; CJK text breaks between any two characters.
pub(crate) fn wrap(s: &str, max_w: i32, size: u32, max_lines: usize) -> Vec<String> {
    let s = clean(s);
    let s = s.trim();
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    for c in s.chars() {
        let mut next = cur.clone();
        next.push(c);
        if text_width(&next, size) <= max_w || cur.is_empty() {
            cur = next;
            continue;
        }
        // Prefer breaking at the last space of an ASCII run.
        let (line, rest) = match cur.rfind(' ') {
            Some(i) if c.is_ascii() && !c.is_whitespace() && i > 0 => {
                (cur[..i].to_string(), cur[i + 1..].to_string())
            }
            _ => (cur.clone(), String::new()),
        };
        lines.push(line.trim_end().to_string());
        cur = rest;
        if !(c.is_whitespace() && cur.is_empty()) {
            cur.push(c);
        }
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    if lines.len() > max_lines.max(1) {
        lines.truncate(max_lines.max(1));
        if let Some(last) = lines.last_mut() {
            last.push('…');
            while text_width(last, size) > max_w && last.chars().count() > 1 {
                let mut chars: Vec<char> = last.chars().collect();
                chars.truncate(chars.len() - 2);
                *last = chars.into_iter().collect::<String>() + "…";
            }
        }
    }
    lines
}

/// Parses `#rgb` or `#rrggbb` (`markup::parse_color`); anything else gives
/// a neutral grey.
pub(crate) fn parse_color(s: &str) -> RGBColor {
    markup::parse_color(s).map_or(FALLBACK, |c| RGBColor(c.0, c.1, c.2))
}

fn rgb(c: RGBColor) -> markup::Rgb {
    markup::Rgb(c.0, c.1, c.2)
}

/// WCAG contrast ratio between two colours (1 to 21).
pub(crate) fn contrast(a: RGBColor, b: RGBColor) -> f64 {
    markup::contrast(rgb(a), rgb(b))
}

/// The badge ink on `bg` (`markup::ink_on`: white or `#1a1a1a`, whichever
/// reads better), the ink `check`'s contrast warning measures.
pub(crate) fn ink_on(bg: RGBColor) -> RGBColor {
    let ink = markup::ink_on(rgb(bg)).1;
    RGBColor(ink.0, ink.1, ink.2)
}

/// Mixes `c` with white: `strength` 0 is white, 1 is `c`.
pub(crate) fn tint(c: RGBColor, strength: f64) -> RGBColor {
    let mix = |v: u8| {
        (255.0 - (255.0 - f64::from(v)) * strength)
            .round()
            .clamp(0.0, 255.0) as u8
    };
    RGBColor(mix(c.0), mix(c.1), mix(c.2))
}

/// An integer count axis: step and top value, at most six intervals, steps
/// of 1, 2 or 5 × 10ⁿ; small or zero counts get a 0–5 axis.
pub(crate) fn nice_axis(max: u64) -> (u64, u64) {
    let max = max.max(5);
    let mut magnitude = 1u64;
    loop {
        for m in [1u64, 2, 5] {
            let step = m.saturating_mul(magnitude);
            if max.div_ceil(step) <= 6 {
                return (step, max.div_ceil(step) * step);
            }
        }
        magnitude = magnitude.saturating_mul(10);
    }
}

/// Maps `v` on a `0..=top` axis to a pixel between `from` (0) and `to` (top).
pub(crate) fn scale(v: u64, top: u64, from: i32, to: i32) -> i32 {
    if top == 0 {
        return from;
    }
    let frac = v.min(top) as f64 / top as f64;
    from + ((f64::from(to - from)) * frac).round() as i32
}

/// Size of legend swatches and their text.
const SWATCH: i32 = 12;
const LEGEND_TEXT: u32 = 13;
const LEGEND_LINE: i32 = 22;

/// A legend entry: grade name, swatch fill and swatch edge.
pub(crate) type LegendItem = (String, RGBColor, RGBColor);

/// Lays out a horizontal legend of colour swatches with names, wrapping onto
/// more lines within `x0..x1`; returns the height used (0 when empty).
pub(crate) fn legend(scene: &mut Scene, items: &[LegendItem], x0: i32, x1: i32, top: i32) -> i32 {
    if items.is_empty() {
        return 0;
    }
    let (mut x, mut line) = (x0, 0);
    for (name, fill, edge) in items {
        let name: String = wrap(name, (x1 - x0 - SWATCH - 6).max(20), LEGEND_TEXT, 1).concat();
        let item_w = SWATCH + 6 + text_width(&name, LEGEND_TEXT);
        if x > x0 && x + item_w > x1 {
            x = x0;
            line += 1;
        }
        let cy = top + line * LEGEND_LINE + LEGEND_LINE / 2;
        scene.rect(x, cy - SWATCH / 2, x + SWATCH, cy + SWATCH / 2, *edge);
        if edge != fill {
            scene.rect(
                x + 1,
                cy - SWATCH / 2 + 1,
                x + SWATCH - 1,
                cy + SWATCH / 2 - 1,
                *fill,
            );
        }
        scene.text(
            &name,
            x + SWATCH + 6,
            cy,
            LEGEND_TEXT,
            INK,
            false,
            HPos::Left,
        );
        x += item_w + 20;
    }
    (line + 1) * LEGEND_LINE
}

/// Draws the chart title at the top left; returns the y below it.
pub(crate) fn title(scene: &mut Scene, title: &str, width: i32) -> i32 {
    let lines = wrap(title, width - 2 * PAD, 16, 2);
    if lines.is_empty() {
        return PAD;
    }
    for (k, line) in lines.iter().enumerate() {
        scene.text(
            line,
            PAD,
            PAD + 10 + 22 * k as i32,
            16,
            INK,
            true,
            HPos::Left,
        );
    }
    PAD + 22 * lines.len() as i32 + 8
}
