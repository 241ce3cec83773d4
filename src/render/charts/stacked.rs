//! Horizontal stacked bars: one row per label, one segment per grade.

use plotters::prelude::WHITE;
use plotters::style::text_anchor::HPos;

use super::canvas::{
    ink_on, legend, nice_axis, parse_color, scale, text_width, title, wrap, Scene, AXIS, GRID, INK,
    MUTED, PAD,
};
use super::{ChartText, GradeKey, Row};

const WIDTH: i32 = 720;
const LABEL: u32 = 14;
const LABEL_LINE: i32 = 18;
const MAX_LABEL_W: i32 = 196;
const TICK: u32 = 13;
const BAR: i32 = 18;

/// Charts (2) and (3): a horizontal stacked bar per row, highest grade first.
pub(crate) fn stacked_rows(grades: &[GradeKey], rows: &[Row], t: &ChartText) -> String {
    let mut scene = Scene::default();
    let mut y = title(&mut scene, &t.title, WIDTH);
    let colors: Vec<_> = grades.iter().map(|g| parse_color(&g.color)).collect();
    let items: Vec<_> = grades
        .iter()
        .zip(&colors)
        .map(|(g, c)| (g.name.clone(), *c, *c))
        .collect();
    let used = legend(&mut scene, &items, PAD, WIDTH - PAD, y);
    y += used + if used > 0 { 8 } else { 0 };

    let value = |row: &Row, k: usize| u64::from(row.counts.get(k).copied().unwrap_or(0));
    let totals: Vec<u64> = rows
        .iter()
        .map(|r| (0..grades.len()).map(|k| value(r, k)).sum())
        .collect();
    let max = totals.iter().copied().max().unwrap_or(0);
    let (step, top_value) = nice_axis(max);

    let widest_label = rows
        .iter()
        .map(|r| text_width(r.label.trim(), LABEL))
        .max()
        .unwrap_or(0);
    let label_w = widest_label.clamp(LABEL as i32 * 2, MAX_LABEL_W);
    let caption_w = text_width(t.count_axis.trim(), TICK);
    let caption_beside = caption_w <= label_w;
    let total_w = totals
        .iter()
        .map(|v| text_width(&v.to_string(), TICK))
        .max()
        .unwrap_or(0);
    let left = PAD + label_w + 12;
    let right = WIDTH - PAD - total_w.max(text_width(&top_value.to_string(), TICK) / 2) - 8;

    let top = y;
    let mut cursor = top;
    for (row, total) in rows.iter().zip(&totals) {
        let lines = wrap(&row.label, label_w, LABEL, 3);
        let height = (LABEL_LINE * lines.len() as i32 + 10).max(30);
        let cy = cursor + height / 2;
        let first = cy - LABEL_LINE * (lines.len() as i32 - 1) / 2;
        for (n, line) in lines.iter().enumerate() {
            scene.text(
                line,
                left - 12,
                first + LABEL_LINE * n as i32,
                LABEL,
                INK,
                false,
                HPos::Right,
            );
        }
        let (y0, y1) = (cy - BAR / 2, cy + BAR / 2);
        let mut acc = 0u64;
        let mut bounds = Vec::new();
        for (k, color) in colors.iter().enumerate() {
            let v = value(row, k);
            if v == 0 {
                continue;
            }
            let x0 = scale(acc, top_value, left, right);
            acc += v;
            let x1 = scale(acc, top_value, left, right);
            scene.rect(x0, y0, x1.max(x0 + 1), y1, *color);
            let label = v.to_string();
            if text_width(&label, 12) + 8 <= x1 - x0 {
                scene.text(
                    &label,
                    (x0 + x1) / 2,
                    cy,
                    12,
                    ink_on(*color),
                    false,
                    HPos::Center,
                );
            }
            bounds.push(x1);
        }
        // Thin white gaps keep neighbouring segments apart without relying on hue.
        bounds.pop();
        for x in bounds {
            scene.rect(x - 1, y0, x + 1, y1, WHITE);
        }
        let end = scale(*total, top_value, left, right);
        scene.text(&total.to_string(), end + 6, cy, TICK, INK, true, HPos::Left);
        cursor += height;
    }
    if rows.is_empty() {
        scene.no_data(PAD, top, WIDTH - PAD, top + 60);
        return scene.render(WIDTH, top + 60 + PAD, &t.title);
    }
    let bottom = cursor;

    // Grid and ticks go under the bars: insert them first in the display list.
    let mut axis = Scene::default();
    let mut v = 0;
    while v <= top_value {
        let x = scale(v, top_value, left, right);
        if v > 0 {
            axis.rect(x, top, x + 1, bottom, GRID);
        }
        axis.text(
            &v.to_string(),
            x,
            bottom + 14,
            TICK,
            MUTED,
            false,
            HPos::Center,
        );
        v += step;
    }
    axis.rect(left, top, left + 1, bottom, AXIS);
    let mut height = bottom + 14 + 10 + PAD;
    if caption_beside {
        axis.text(
            &t.count_axis,
            left - 12,
            bottom + 14,
            TICK,
            MUTED,
            false,
            HPos::Right,
        );
    } else {
        axis.text(
            &t.count_axis,
            right,
            bottom + 36,
            TICK,
            MUTED,
            false,
            HPos::Right,
        );
        height += 22;
    }
    axis.shapes.append(&mut scene.shapes);
    axis.render(WIDTH, height, &t.title)
}
