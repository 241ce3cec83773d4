//! Grade-summary charts as SVG strings, drawn at build time with plotters.
//!
//! Every function returns a complete, byte-deterministic `<svg>` document:
//! a `viewBox` with `style="max-width:100%;height:auto"` so it scales,
//! `role="img"` with the chart title as `aria-label` and `<title>`, a white
//! background, selectable `<text>` in a CJK font stack, light grid lines and
//! integer count axes. Grades are never told by colour alone: bars carry the
//! grade names or a legend does, and counts are written on the bars.
//!
//! Layout is done here in pixels (`markup::width`: full-width characters
//! 1 em, the rest 0.55 em) and drawn with plotters' `Rectangle` and `Text`
//! elements; plotters' own text estimate (UTF-8 bytes) and its `Histogram`
//! (not deterministic) are not used. Text is escaped by the SVG backend (the
//! title by `markup::escape_html`); pass labels unescaped.

mod bars;
mod canvas;
mod matrix;
mod stacked;
#[cfg(test)]
mod tests;

/// A risk grade as configured: its display name and colour (`#rrggbb` or `#rgb`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GradeKey {
    /// Display name, e.g. `一级`, `Ⅲ` or `高`.
    pub name: String,
    /// Colour, e.g. `#c62828`; an unparsable value is drawn grey.
    pub color: String,
}

/// Counts per grade for one row label (a department, a risk type, a version…).
///
/// `counts[k]` belongs to `grades[k]`, grades highest first; missing counts
/// are read as 0 and extra ones are ignored.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Row {
    /// Row label, e.g. `不动产登记中心` or `2024`.
    pub label: String,
    /// One count per grade, in grade order.
    pub counts: Vec<u32>,
}

/// The words written on a chart.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ChartText {
    /// Chart title: drawn at the top left and used as the accessible name.
    pub title: String,
    /// Caption of the count axis, e.g. `风险点数`.
    pub count_axis: String,
    /// Caption of the matrix's horizontal axis, e.g. `可能性`.
    pub likelihood: String,
    /// Caption of the matrix's vertical axis, e.g. `影响程度`.
    pub impact: String,
}

/// Risks per grade: one vertical bar per grade in its colour, the count on
/// top of each bar and the grade name under it.
///
/// `counts[k]` is the count for `grades[k]`.
pub fn grade_bars(grades: &[GradeKey], counts: &[u32], t: &ChartText) -> String {
    bars::grade_bars(grades, counts, t)
}

/// Department × grade or type × grade: one horizontal stacked bar per row
/// (highest grade leftmost, counts inside segments that fit, the row total
/// at the end), long labels wrapped, and a legend of grade colours with names.
pub fn stacked_rows(grades: &[GradeKey], rows: &[Row], t: &ChartText) -> String {
    stacked::stacked_rows(grades, rows, t)
}

/// Counts per grade across versions: one bar group per row (the row label is
/// the version, e.g. `2024`), one bar per grade, with a legend; counts are
/// written above the bars when they fit.
pub fn grouped_versions(grades: &[GradeKey], rows: &[Row], t: &ChartText) -> String {
    bars::grouped_versions(grades, rows, t)
}

/// The 5×5 likelihood × impact matrix: likelihood 1..5 left to right, impact
/// 1..5 bottom to top, `cells[likelihood - 1][impact - 1]` written in each cell
/// (empty cells show nothing).
///
/// Each cell is a light tint of `band_color(likelihood × impact)`, light
/// enough that the dark count text keeps a contrast of at least 4.5:1. This
/// variant shows grades by colour only; prefer [`matrix_graded`] when the
/// grade names are at hand.
pub fn matrix(cells: &[[u32; 5]; 5], band_color: &dyn Fn(u32) -> String, t: &ChartText) -> String {
    matrix::matrix(cells, band_color, t)
}

/// The 5×5 matrix as [`matrix`], but each cell also names its grade and a
/// legend of grades follows, so grades are not told by colour alone.
///
/// `grade_of(score)` gives the index into `grades` of the grade a score
/// (likelihood × impact, 1..=25) falls in; `None` (or an index out of range)
/// leaves the cell light grey and unnamed.
pub fn matrix_graded(
    cells: &[[u32; 5]; 5],
    grades: &[GradeKey],
    grade_of: &dyn Fn(u32) -> Option<usize>,
    t: &ChartText,
) -> String {
    matrix::matrix_graded(cells, grades, grade_of, t)
}
