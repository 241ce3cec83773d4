//! The 5×5 likelihood × impact heat matrix.

use plotters::prelude::RGBColor;
use plotters::style::text_anchor::HPos;

use super::canvas::{
    contrast, legend, parse_color, tint, title, wrap, LegendItem, Scene, INK, MUTED, PAD,
};
use super::{ChartText, GradeKey};

const CELL: i32 = 76;
const TICK: u32 = 13;
/// Cells whose score belongs to no grade.
const NO_GRADE: RGBColor = RGBColor(0xf3, 0xf4, 0xf6);

/// How one cell is filled and named.
struct CellStyle {
    fill: RGBColor,
    name: Option<String>,
}

/// The lightest-needed tint of `c`: as strong as possible up to 30 %, while
/// both the count (dark ink) and grade names (muted ink) keep ≥ 4.5:1.
pub(crate) fn cell_tint(c: RGBColor) -> RGBColor {
    (0..=15)
        .map(|k| tint(c, 0.30 - 0.02 * f64::from(k)))
        .find(|t| contrast(*t, MUTED) >= 4.5 && contrast(*t, INK) >= 4.5)
        .unwrap_or(RGBColor(255, 255, 255))
}

/// Chart (4) with colours only: see [`super::matrix`].
pub(crate) fn matrix(
    cells: &[[u32; 5]; 5],
    band_color: &dyn Fn(u32) -> String,
    t: &ChartText,
) -> String {
    let style = |score: u32| CellStyle {
        fill: cell_tint(parse_color(&band_color(score))),
        name: None,
    };
    draw(cells, &style, &[], t)
}

/// Chart (4) with grade names in the cells and a legend: see [`super::matrix_graded`].
pub(crate) fn matrix_graded(
    cells: &[[u32; 5]; 5],
    grades: &[GradeKey],
    grade_of: &dyn Fn(u32) -> Option<usize>,
    t: &ChartText,
) -> String {
    let style = |score: u32| match grade_of(score).and_then(|k| grades.get(k)) {
        Some(g) => CellStyle {
            fill: cell_tint(parse_color(&g.color)),
            name: Some(g.name.clone()),
        },
        None => CellStyle {
            fill: NO_GRADE,
            name: None,
        },
    };
    let items: Vec<_> = grades
        .iter()
        .map(|g| {
            let c = parse_color(&g.color);
            (g.name.clone(), cell_tint(c), c)
        })
        .collect();
    draw(cells, &style, &items, t)
}

fn draw(
    cells: &[[u32; 5]; 5],
    style: &dyn Fn(u32) -> CellStyle,
    legend_items: &[LegendItem],
    t: &ChartText,
) -> String {
    let grid_left = PAD + 58;
    let width = grid_left + 5 * CELL + PAD + 8;
    let mut scene = Scene::default();
    let grid_top = title(&mut scene, &t.title, width) + 8;
    let grid_bottom = grid_top + 5 * CELL;

    for (l, column) in cells.iter().enumerate() {
        for (i, &count) in column.iter().enumerate() {
            let score = (l as u32 + 1) * (i as u32 + 1);
            let cell = style(score);
            let x0 = grid_left + CELL * l as i32;
            let y0 = grid_top + CELL * (4 - i as i32);
            scene.rect(x0 + 1, y0 + 1, x0 + CELL - 1, y0 + CELL - 1, cell.fill);
            if let Some(name) = &cell.name {
                let name = wrap(name, CELL - 12, 11, 1).concat();
                scene.text(&name, x0 + 7, y0 + 13, 11, MUTED, false, HPos::Left);
            }
            if count > 0 {
                let cy = y0 + CELL / 2 + if cell.name.is_some() { 5 } else { 0 };
                scene.text(
                    &count.to_string(),
                    x0 + CELL / 2,
                    cy,
                    18,
                    INK,
                    true,
                    HPos::Center,
                );
            }
        }
    }
    // Both scales run 1..5: impact bottom to top, likelihood left to right.
    for k in 0..5 {
        let y = grid_top + CELL * (4 - k) + CELL / 2;
        scene.text(
            &(k + 1).to_string(),
            grid_left - 10,
            y,
            TICK,
            MUTED,
            false,
            HPos::Right,
        );
        let x = grid_left + CELL * k + CELL / 2;
        scene.text(
            &(k + 1).to_string(),
            x,
            grid_bottom + 14,
            TICK,
            MUTED,
            false,
            HPos::Center,
        );
    }
    scene.vertical_caption(&t.impact, PAD + 10, (grid_top + grid_bottom) / 2, 14, INK);
    let caption = wrap(&t.likelihood, 5 * CELL, 14, 1).concat();
    scene.text(
        &caption,
        grid_left + 5 * CELL / 2,
        grid_bottom + 38,
        14,
        INK,
        false,
        HPos::Center,
    );
    let mut height = grid_bottom + 38 + 10 + PAD;
    let used = legend(
        &mut scene,
        legend_items,
        grid_left,
        width - PAD,
        height - PAD + 4,
    );
    if used > 0 {
        height += used + 4;
    }
    scene.render(width, height, &t.title)
}
