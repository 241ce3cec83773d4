//! Vertical bar charts: risks per grade, and counts per grade across versions.

use plotters::style::text_anchor::HPos;

use super::canvas::{
    legend, nice_axis, parse_color, scale, text_width, title, wrap, Scene, AXIS, GRID, INK, MUTED,
    PAD,
};
use super::{ChartText, GradeKey, Row};

const WIDTH: i32 = 680;
const PLOT_HEIGHT: i32 = 240;
const TICK: u32 = 13;
const CATEGORY: u32 = 14;
const CATEGORY_LINE: i32 = 18;
const COUNT: u32 = 12;

/// How counts are written over grouped bars.
#[derive(Clone, Copy, PartialEq, Eq)]
enum CountLabels {
    /// Horizontal, centred over the bar.
    Flat,
    /// Turned to read bottom to top, for bars narrower than the number.
    Upright,
    /// Bars too thin for any text: the data table carries the numbers.
    None,
}

/// The frame of a vertical count axis.
struct Frame {
    left: i32,
    right: i32,
    top: i32,
    bottom: i32,
    top_value: u64,
}

impl Frame {
    /// Lays out and draws the count axis for values up to `max`, with the
    /// caption above the tick labels, leaving `headroom` px above the plot for
    /// the count written over the tallest bar.
    fn draw(
        scene: &mut Scene,
        caption: &str,
        max: u64,
        y: i32,
        right: i32,
        headroom: i32,
    ) -> Frame {
        let (step, top_value) = nice_axis(max);
        let tick_w = text_width(&top_value.to_string(), TICK);
        let left = PAD + tick_w + 8;
        let has_caption = !caption.trim().is_empty();
        let top = y + if has_caption { 22 } else { 4 } + headroom;
        let bottom = top + PLOT_HEIGHT;
        scene.text(caption, PAD, y + 10, TICK, MUTED, false, HPos::Left);
        let mut v = 0;
        while v <= top_value {
            let py = scale(v, top_value, bottom, top);
            if v > 0 {
                scene.rect(left, py, right, py + 1, GRID);
            }
            scene.text(
                &v.to_string(),
                left - 8,
                py,
                TICK,
                MUTED,
                false,
                HPos::Right,
            );
            v += step;
        }
        Frame {
            left,
            right,
            top,
            bottom,
            top_value,
        }
    }

    /// Draws the base line; call after the bars so it sits on top of them.
    fn base_line(&self, scene: &mut Scene) {
        scene.rect(self.left, self.bottom, self.right, self.bottom + 1, AXIS);
    }

    /// Pixel y of the top of a bar of value `v`.
    fn y(&self, v: u64) -> i32 {
        scale(v, self.top_value, self.bottom, self.top)
    }
}

/// Writes category labels centred under each band; returns the number of
/// lines used by the tallest label. Labels are set at 14 px and wrapped onto
/// two lines, or at 11 px on one line when that fits; in crowded charts only
/// every n-th label is written, at 11 px.
fn category_labels(scene: &mut Scene, labels: &[String], frame: &Frame, band: f64) -> i32 {
    let max_w = (band as i32 - 4).max(1);
    let widest = |size| {
        labels
            .iter()
            .map(|l| text_width(l.trim(), size))
            .max()
            .unwrap_or(0)
    };
    let (size, every, max_lines) = if widest(CATEGORY) <= max_w {
        (CATEGORY, 1, 1)
    } else if widest(11) <= max_w {
        (11, 1, 1)
    } else if band >= 40.0 {
        (CATEGORY, 1, 2)
    } else {
        (
            11,
            (f64::from(widest(11) + 8) / band).ceil().max(1.0) as usize,
            1,
        )
    };
    let room = (band * every as f64) as i32 - 4;
    let mut most = 1;
    for (k, label) in labels.iter().enumerate().step_by(every) {
        let cx = frame.left + (band * (k as f64 + 0.5)).round() as i32;
        let lines = wrap(label, room.max(1), size, max_lines);
        most = most.max(lines.len() as i32);
        for (n, line) in lines.iter().enumerate() {
            let cy = frame.bottom + 16 + CATEGORY_LINE * n as i32;
            scene.text(line, cx, cy, size, INK, false, HPos::Center);
        }
    }
    most
}

/// Chart (1): one bar per grade in its colour, count above, name below.
pub(crate) fn grade_bars(grades: &[GradeKey], counts: &[u32], t: &ChartText) -> String {
    let mut scene = Scene::default();
    let y = title(&mut scene, &t.title, WIDTH);
    let value = |k: usize| u64::from(counts.get(k).copied().unwrap_or(0));
    let max = (0..grades.len()).map(value).max().unwrap_or(0);
    let frame = Frame::draw(&mut scene, &t.count_axis, max, y, WIDTH - PAD, 18);
    let mut lines = 1;
    if grades.is_empty() {
        scene.no_data(frame.left, frame.top, frame.right, frame.bottom);
    } else {
        let band = f64::from(frame.right - frame.left) / grades.len() as f64;
        let bar_w = (band * 0.56).clamp(8.0, 76.0).round() as i32;
        for (k, grade) in grades.iter().enumerate() {
            let cx = frame.left + (band * (k as f64 + 0.5)).round() as i32;
            let top = frame.y(value(k));
            scene.rect(
                cx - bar_w / 2,
                top,
                cx - bar_w / 2 + bar_w,
                frame.bottom,
                parse_color(&grade.color),
            );
            scene.text(
                &value(k).to_string(),
                cx,
                top - 10,
                TICK,
                INK,
                true,
                HPos::Center,
            );
        }
        let names: Vec<String> = grades.iter().map(|g| g.name.clone()).collect();
        lines = category_labels(&mut scene, &names, &frame, band);
    }
    frame.base_line(&mut scene);
    let height = frame.bottom + 16 + CATEGORY_LINE * (lines - 1) + 10 + PAD;
    scene.render(WIDTH, height, &t.title)
}

/// Chart (5): one group per version, one bar per grade in each group.
pub(crate) fn grouped_versions(grades: &[GradeKey], rows: &[Row], t: &ChartText) -> String {
    let mut scene = Scene::default();
    let mut y = title(&mut scene, &t.title, WIDTH);
    let items: Vec<_> = grades
        .iter()
        .map(|g| (g.name.clone(), parse_color(&g.color), parse_color(&g.color)))
        .collect();
    let used = legend(&mut scene, &items, PAD, WIDTH - PAD, y);
    if used > 0 {
        y += used + 4;
    }
    let value = |row: &Row, k: usize| u64::from(row.counts.get(k).copied().unwrap_or(0));
    let max = rows
        .iter()
        .flat_map(|r| (0..grades.len()).map(move |k| value(r, k)))
        .max()
        .unwrap_or(0);
    // Bar geometry depends only on the plot width, which the axis labels fix.
    let plot_w =
        f64::from(WIDTH - PAD - (PAD + text_width(&nice_axis(max).1.to_string(), TICK) + 8));
    let band = plot_w / rows.len().max(1) as f64;
    let n = grades.len().max(1) as f64;
    let gap = if band / n >= 12.0 { 2.0 } else { 0.0 };
    let slot = (band * 0.78 / n).min(56.0);
    let bar_w = (slot - gap).max(1.0);
    let widest = rows
        .iter()
        .flat_map(|r| (0..grades.len()).map(move |k| text_width(&value(r, k).to_string(), COUNT)))
        .max()
        .unwrap_or(0);
    // Counts go above the bars, turned upright when they are wider than a bar.
    let counts = if f64::from(widest + 4) <= slot {
        CountLabels::Flat
    } else if bar_w >= f64::from(COUNT) {
        CountLabels::Upright
    } else {
        CountLabels::None
    };
    let headroom = if counts == CountLabels::Upright {
        widest + 10
    } else {
        18
    };
    let frame = Frame::draw(&mut scene, &t.count_axis, max, y, WIDTH - PAD, headroom);
    let mut lines = 1;
    if rows.is_empty() || grades.is_empty() {
        scene.no_data(frame.left, frame.top, frame.right, frame.bottom);
    } else {
        for (r, row) in rows.iter().enumerate() {
            let start = f64::from(frame.left) + band * (r as f64 + 0.5) - slot * n / 2.0;
            for (k, grade) in grades.iter().enumerate() {
                let x0 = (start + slot * k as f64 + gap / 2.0).round() as i32;
                let x1 = (start + slot * k as f64 + gap / 2.0 + bar_w).round() as i32;
                let top = frame.y(value(row, k));
                scene.rect(
                    x0,
                    top,
                    x1.max(x0 + 1),
                    frame.bottom,
                    parse_color(&grade.color),
                );
                let label = value(row, k).to_string();
                match counts {
                    CountLabels::Flat => scene.text(
                        &label,
                        (x0 + x1) / 2,
                        top - 9,
                        COUNT,
                        INK,
                        false,
                        HPos::Center,
                    ),
                    CountLabels::Upright => {
                        scene.upright(&label, (x0 + x1) / 2, top - 5, COUNT, INK)
                    }
                    CountLabels::None => {}
                }
            }
        }
        let labels: Vec<String> = rows.iter().map(|r| r.label.clone()).collect();
        lines = category_labels(&mut scene, &labels, &frame, band);
    }
    frame.base_line(&mut scene);
    let height = frame.bottom + 16 + CATEGORY_LINE * (lines - 1) + 10 + PAD;
    scene.render(WIDTH, height, &t.title)
}
