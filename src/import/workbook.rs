//! Workbooks through calamine. An xlsx sheet is read cell by cell with
//! calamine's streaming reader (`worksheet_cells_reader`), never as a
//! whole `Range`: only cells with data are kept, each checked against
//! the bounds of [`super::table`] before it is stored, so a lone cell at
//! XFD1048576 costs nothing but its refusal. ods, which calamine reads
//! whole when it opens it, goes through its `Range` after
//! [`super::ods`] bounded what that makes. xls is refused before this
//! (`ReadError::Xls`): nothing can bound what calamine makes of it. Merged cells
//! are filled downwards, as a merged 科室 cell means every row it spans.

use super::table::{text, Filler, Grid, ReadError};
use calamine::{Data, Ods, Reader, Xlsx};
use std::borrow::Cow;
use std::io::Cursor;

/// Reads a workbook's sheet: `sheet`, else the first named as in
/// `preferred`, else the first. `bytes` is a zip package checked by
/// [`super::package::check`]: xlsx, else ODS.
pub fn read(bytes: &[u8], sheet: Option<&str>, preferred: &[String]) -> Result<Grid, ReadError> {
    match Xlsx::new(Cursor::new(bytes)) {
        Ok(wb) => read_xlsx(wb, sheet, preferred),
        Err(e) => match Ods::new(Cursor::new(bytes)) {
            Ok(wb) => read_ods(wb, sheet, preferred),
            Err(_) => Err(err(&e)),
        },
    }
}

fn err(e: &dyn std::fmt::Display) -> ReadError {
    ReadError::Workbook(e.to_string())
}

/// An xlsx sheet, cell by cell.
fn read_xlsx(
    mut wb: Xlsx<Cursor<&[u8]>>,
    sheet: Option<&str>,
    preferred: &[String],
) -> Result<Grid, ReadError> {
    let name = choose(&wb.sheet_names(), sheet, preferred)?;
    let merges = wb.merge_cells_by_sheet_name(&name).unwrap_or_default();
    let mut filler = Filler::new(Some(name.clone()));
    let mut cells = wb.worksheet_cells_reader(&name).map_err(|e| err(&e))?;
    while let Some(cell) = cells.next_cell().map_err(|e| err(&e))? {
        let (row, col) = cell.get_position();
        let data = Data::from(cell.get_value().clone());
        filler.put(row, col, Cow::Owned(text(&data)))?;
    }
    filler.fill_merged(&merges)?;
    Ok(filler.grid(false))
}

/// An ods sheet, from the `Range` calamine made when opening it.
fn read_ods(
    mut wb: Ods<Cursor<&[u8]>>,
    sheet: Option<&str>,
    preferred: &[String],
) -> Result<Grid, ReadError> {
    let name = choose(&wb.sheet_names(), sheet, preferred)?;
    let range = wb.worksheet_range(&name).map_err(|e| err(&e))?;
    let (r0, c0) = range.start().unwrap_or((0, 0));
    let mut filler = Filler::new(Some(name));
    for (row, col, data) in range.used_cells() {
        filler.put(r0 + row as u32, c0 + col as u32, Cow::Owned(text(data)))?;
    }
    Ok(filler.grid(false))
}

/// The sheet to read.
fn choose(
    names: &[String],
    sheet: Option<&str>,
    preferred: &[String],
) -> Result<String, ReadError> {
    let same = |a: &str, b: &str| super::headers::norm(a) == super::headers::norm(b);
    match sheet {
        Some(s) => names
            .iter()
            .find(|n| n.as_str() == s)
            .or_else(|| names.iter().find(|n| same(n, s)))
            .cloned()
            .ok_or_else(|| ReadError::NoSheet(s.to_string(), names.to_vec())),
        None => preferred
            .iter()
            .find_map(|p| names.iter().find(|n| same(n, p)))
            .or_else(|| names.first())
            .cloned()
            .ok_or_else(|| ReadError::NoSheet(String::new(), Vec::new())),
    }
}
