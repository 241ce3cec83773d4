//! How `register.xlsx` stands on the page: column widths, the lines a
//! wrapped cell takes and the row height that holds them, and the print
//! setup. Widths are in spreadsheet units (the width of a digit of the
//! workbook's 11-point default font, 7 px in Excel); a 10-point CJK glyph
//! takes [`CJK`] units there. Sixteen columns at these widths print at
//! about 70 % on A4 landscape, so the 10-point text is 7 pt on paper.
//! Lines are counted as Excel wraps, which takes more room per glyph than
//! LibreOffice: rows are never cut, whatever opens the file.

use super::{Cell, Field};
use rust_xlsxwriter::{Worksheet, XlsxError};

/// The cells' font size, in points.
pub const FONT_SIZE: f64 = 10.0;

/// Points per line of 10-point text with CJK glyphs (Excel's CJK fonts
/// take 13 to 13.5; LibreOffice about 11).
const LINE_HEIGHT: f64 = 13.5;

/// Units taken by a CJK glyph (13.3 px at 10 pt).
const CJK: f64 = 1.91;

/// Units taken by the cell's padding.
const PAD: f64 = 0.8;

/// Units the heading's filter button takes on screen (it does not print).
const BUTTON: f64 = 1.6;

/// The units all of a sheet's columns may take together, with the
/// spreadsheet's own 0.71 of padding each: at 7 pt a unit in LibreOffice
/// without Calibri, the widest case, 158 units print at 73 % on A4
/// landscape between 0.25-inch margins (805.9 pt), so 10-point text is
/// 7.3 pt on paper; in Excel a unit is 5.25 pt, larger still.
const BUDGET: f64 = 158.0;

/// The row of the headings; the title row is above it.
pub const HEAD: u32 = 1;

/// The widest a column grows; wider text wraps. Long text columns are
/// narrow enough for all sixteen risk columns to print readably; code
/// columns only as wide as their content.
fn max_width(field: Field) -> f64 {
    match field {
        Field::Measures => 48.0,
        Field::Before | Field::After => 40.0,
        Field::ChangeItem => 24.0,
        Field::Body => 32.0,
        Field::Basis | Field::Materials | Field::StepNext => 20.0,
        Field::Title => 16.0,
        Field::Posts | Field::Power | Field::Holders | Field::Incompatible => 8.0,
        Field::Department | Field::Owner | Field::StepPost | Field::Flow => 7.0,
        Field::Reviewed => 9.5,
        Field::Id
        | Field::Grade
        | Field::Type
        | Field::Tier
        | Field::Scope
        | Field::Likelihood
        | Field::Impact
        | Field::StepNo
        | Field::Seq => 5.5,
        _ => 9.0,
    }
}

/// A column's width: its widest cell (`widest` units, see [`widest`]), at
/// most [`max_width`], at least its heading on two lines beside the filter
/// button.
pub fn column_width(field: Field, heading: &str, widest: f64) -> f64 {
    let chars: Vec<char> = heading.chars().collect();
    let half: String = chars[..chars.len().div_ceil(2)].iter().collect();
    let head = units(&half) + PAD + BUTTON;
    (widest + PAD).min(max_width(field)).max(head).max(4.0)
}

/// The units of a text's widest line.
pub fn widest(s: &str) -> f64 {
    s.lines().map(units).fold(0.0, f64::max)
}

/// The columns' widths made to fit [`BUDGET`]: too wide, the long text
/// columns give up room in proportion to what they hold above their
/// heading's width; too narrow, the columns whose text wraps take the rest
/// in proportion to what they lack.
pub fn fit(fields: &[Field], widths: &mut [f64], wants: &[f64]) {
    let total: f64 = widths.iter().map(|w| w + 0.71).sum();
    let long = |f: Field| max_width(f) >= 16.0;
    if total > BUDGET {
        let give: Vec<f64> = fields
            .iter()
            .zip(widths.iter())
            .map(|(f, w)| if long(*f) { (w - 8.0).max(0.0) } else { 0.0 })
            .collect();
        let room: f64 = give.iter().sum();
        let cut = ((total - BUDGET) / room.max(1.0)).min(1.0);
        for (w, g) in widths.iter_mut().zip(give) {
            *w -= g * cut;
        }
    } else {
        let lack: Vec<f64> = widths
            .iter()
            .zip(wants)
            .map(|(w, x)| (x - w).max(0.0))
            .collect();
        let need: f64 = lack.iter().sum();
        let add = ((BUDGET - total) / need.max(1.0)).min(1.0);
        for (w, l) in widths.iter_mut().zip(lack) {
            *w += l * add;
        }
    }
    for w in widths.iter_mut() {
        *w = (*w * 10.0).floor() / 10.0;
    }
}

/// The tallest a row may be, in points (Excel's limit).
const MAX_ROW_HEIGHT: f64 = 409.0;

/// The most lines worth counting: a row this many lines high is already
/// at [`MAX_ROW_HEIGHT`].
const MOST_LINES: usize = ((MAX_ROW_HEIGHT - 4.0) / LINE_HEIGHT) as usize;
const _: () = assert!(MOST_LINES as f64 * LINE_HEIGHT + 4.0 >= MAX_ROW_HEIGHT);

/// A row's height for `lines` lines of text.
pub fn row_height(lines: usize) -> f64 {
    (lines as f64 * LINE_HEIGHT + 4.0).min(MAX_ROW_HEIGHT)
}

/// How many lines a cell takes in a column `width` units wide, wrapped as
/// a spreadsheet wraps: between CJK glyphs, but never before closing or
/// after opening punctuation, and between Latin words.
pub fn cell_lines(cell: &Cell, width: f64) -> usize {
    let Cell::Text(s) = cell else { return 1 };
    text_lines(s, width)
}

/// [`cell_lines`] of a text. Counting stops at [`MOST_LINES`], where the
/// row's height stops growing: a long cell is not wrapped to its end.
pub fn text_lines(s: &str, width: f64) -> usize {
    let room = (width - PAD).max(CJK);
    let mut lines = 0;
    for l in s.lines() {
        if lines >= MOST_LINES {
            break;
        }
        lines += wrap(l, room, MOST_LINES - lines);
    }
    lines.max(1)
}

/// The lines `line` wraps to in `room` units, counted up to `most`.
fn wrap(line: &str, room: f64, most: usize) -> usize {
    let mut lines = 1;
    let mut used = 0.0;
    for w in piece_widths(line) {
        if lines >= most {
            break;
        }
        if used > 0.0 && used + w > room {
            lines += 1;
            used = 0.0;
        }
        if w > room {
            // a piece wider than the line breaks anywhere
            let extra = (w / room).ceil() as usize - 1;
            lines += extra;
            used = w - room * extra as f64;
        } else {
            used += w;
        }
    }
    lines
}

/// The [`units`] of each piece a line wraps between: a Latin word with
/// the spaces after it, or a CJK glyph with any opening punctuation before
/// it and closing punctuation after it. One pass over the characters: the
/// workbook measures every cell of the register.
fn piece_widths(line: &str) -> impl Iterator<Item = f64> + '_ {
    let mut chars = line.chars().peekable();
    std::iter::from_fn(move || {
        let c = chars.next()?;
        let latin = c.is_ascii() && !c.is_ascii_whitespace();
        let opening = is_opening(c);
        let mut width = unit(c);
        while let Some(&d) = chars.peek() {
            let keep = if latin {
                d.is_ascii() || is_closing(d)
            } else {
                is_closing(d) || d == ' ' || opening
            };
            if !keep {
                break;
            }
            width += unit(d);
            chars.next();
            if opening && !is_opening(d) {
                break;
            }
        }
        Some(width)
    })
}

fn is_closing(c: char) -> bool {
    matches!(
        c,
        '，' | '。'
            | '、'
            | '；'
            | '：'
            | '！'
            | '？'
            | '）'
            | '」'
            | '』'
            | '》'
            | '〉'
            | '】'
            | '”'
            | '’'
            | '…'
            | '·'
            | ','
            | '.'
            | ';'
            | ':'
            | '!'
            | '?'
            | ')'
            | ']'
    )
}

fn is_opening(c: char) -> bool {
    matches!(
        c,
        '（' | '「' | '『' | '《' | '〈' | '【' | '“' | '‘' | '(' | '['
    )
}

/// Units a text takes on one line at [`FONT_SIZE`].
pub fn units(s: &str) -> f64 {
    s.chars().map(unit).sum()
}

/// Units a character takes (see [`units`]).
fn unit(c: char) -> f64 {
    match c {
        ' ' | '-' | '.' | ',' | ':' | ';' | '/' | '(' | ')' | '\'' => 0.6,
        c if c.is_ascii() => 1.0,
        // the common case, without the width table
        '\u{4e00}'..='\u{9fff}' => CJK,
        c if unicode_width::UnicodeWidthChar::width(c) == Some(2) => CJK,
        _ => 1.0,
    }
}

/// A4 landscape, every column on the page's width (fit to one page wide,
/// any number tall), narrow margins (Excel's "narrow": 0.25 inch at the
/// sides), the header row on every page, the page number in the footer.
pub fn print_setup(ws: &mut Worksheet, footer: &str) -> Result<(), XlsxError> {
    ws.set_landscape();
    ws.set_paper_size(9); // A4
    ws.set_print_fit_to_pages(1, 0);
    ws.set_margins(0.25, 0.25, 0.4, 0.5, 0.2, 0.2);
    ws.set_print_center_horizontally(true);
    ws.set_repeat_rows(HEAD, HEAD)?;
    ws.set_footer(footer);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_too_long_for_any_row_gets_the_tallest_row_and_short_ones_their_lines() {
        // Ten glyphs a line in a column of 20 units.
        let line = "风".repeat(10);
        assert_eq!(text_lines(&line, 20.0), 1);
        assert_eq!(text_lines(&format!("{line}{line}\n{line}"), 20.0), 3);
        let long = format!("{line}\n").repeat(10_000);
        assert!(text_lines(&long, 20.0) >= MOST_LINES);
        assert_eq!(row_height(text_lines(&long, 20.0)), MAX_ROW_HEIGHT);
        assert!(row_height(MOST_LINES - 1) < MAX_ROW_HEIGHT);
    }
}
