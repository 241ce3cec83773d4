//! Reading a ledger workbook back: recognised by its hidden identity
//! sheet, each data sheet read through `import::table` (so every bound of
//! `import` holds), columns found by their headings (in either language,
//! in any order), the list sheet's names and the rows' fingerprints.

use super::cols::{Col, Sheet};
use super::{ID_SHEET, LIST_SHEET, MARK};
use crate::i18n::{tr, Lang};
use crate::import::headers::norm_heading;
use crate::import::table::{self, ReadError};
use std::collections::BTreeMap;

/// A data sheet's row.
#[derive(Debug, Clone)]
pub struct RowIn {
    /// The row number as the spreadsheet shows it.
    pub row: usize,
    pub cells: BTreeMap<Col, String>,
}

impl RowIn {
    pub fn get(&self, c: Col) -> &str {
        self.cells.get(&c).map_or("", String::as_str)
    }
}

#[derive(Debug, Clone)]
pub struct SheetIn {
    pub sheet: Sheet,
    /// The tab's name, for messages.
    pub name: String,
    pub rows: Vec<RowIn>,
}

/// A ledger workbook as read.
#[derive(Debug, Clone, Default)]
pub struct Ledger {
    /// `site`, `version`, `kind` (ledger, template), `gongshi`, `department`.
    pub identity: BTreeMap<String, String>,
    pub sheets: Vec<SheetIn>,
    /// Each exported row's hashes, by sheet and key, with the column keys
    /// they follow.
    pub fingerprints: BTreeMap<(Sheet, String), Vec<String>>,
    pub columns: BTreeMap<Sheet, Vec<String>>,
    /// The list sheet: list code → (shown, id).
    pub lists: BTreeMap<String, Vec<(String, String)>>,
}

impl Ledger {
    /// The hash recorded at export for a row's column.
    pub fn recorded(&self, sheet: Sheet, key: &str, col: Col) -> Option<&str> {
        let i = self
            .columns
            .get(&sheet)?
            .iter()
            .position(|k| k == col.key())?;
        self.fingerprints
            .get(&(sheet, key.to_string()))?
            .get(i)
            .map(String::as_str)
    }

    pub fn get(&self, k: &str) -> &str {
        self.identity.get(k).map_or("", String::as_str)
    }
}

/// Whether `bytes` is a ledger workbook (an xlsx with the identity sheet).
pub fn is_ledger(bytes: &[u8]) -> bool {
    use calamine::Reader;
    if !bytes.starts_with(b"PK\x03\x04") || crate::import::package::check(bytes).is_err() {
        return false;
    }
    let Ok(wb) = calamine::Xlsx::new(std::io::Cursor::new(bytes)) else {
        return false;
    };
    if !wb.sheet_names().iter().any(|n| n == ID_SHEET) {
        return false;
    }
    table::read(bytes, Some(ID_SHEET), &[]).is_ok_and(|g| {
        g.rows
            .first()
            .and_then(|r| r.first())
            .is_some_and(|c| c == MARK)
    })
}

/// Reads a ledger workbook (see [`is_ledger`]).
pub fn read(bytes: &[u8]) -> Result<Ledger, ReadError> {
    let id = table::read(bytes, Some(ID_SHEET), &[])?;
    let mut ledger = Ledger::default();
    let mut tabs: Vec<(Sheet, String)> = Vec::new();
    for row in &id.rows {
        let cell = |i: usize| row.get(i).cloned().unwrap_or_default();
        match cell(0).as_str() {
            "sheet" => {
                if let Some(s) = Sheet::from_code(&cell(1)) {
                    tabs.push((s, cell(2)));
                    let keys = cell(3).split(',').map(str::to_string).collect();
                    ledger.columns.insert(s, keys);
                }
            }
            "row" => {
                if let Some(s) = Sheet::from_code(&cell(1)) {
                    let hashes = cell(3).split(' ').map(str::to_string).collect();
                    ledger.fingerprints.insert((s, cell(2)), hashes);
                }
            }
            k if !k.is_empty() => {
                ledger.identity.insert(k.to_string(), cell(1));
            }
            _ => {}
        }
    }
    if let Ok(g) = table::read(bytes, Some(LIST_SHEET), &[]) {
        let head = g.rows.first().cloned().unwrap_or_default();
        for (c, code) in head.iter().enumerate().step_by(2) {
            let values = g.rows[1..]
                .iter()
                .filter_map(|r| {
                    let shown = r.get(c).filter(|s| !s.is_empty())?;
                    Some((shown.clone(), r.get(c + 1).cloned().unwrap_or_default()))
                })
                .collect();
            ledger.lists.insert(code.clone(), values);
        }
    }
    for (sheet, name) in tabs {
        let grid = match table::read(bytes, Some(&name), &[]) {
            Ok(g) => g,
            // a sheet deleted in the workbook: nothing to import from it
            Err(ReadError::NoSheet(..)) => continue,
            Err(e) => return Err(e),
        };
        let Some(head) = grid.rows.first() else {
            continue;
        };
        let cols: Vec<Option<Col>> = head.iter().map(|h| col_of(sheet, h)).collect();
        let rows = grid.rows[1..]
            .iter()
            .zip(&grid.numbers[1..])
            .map(|(cells, n)| RowIn {
                row: *n,
                cells: cols
                    .iter()
                    .enumerate()
                    .filter_map(|(i, c)| Some(((*c)?, cells.get(i).cloned().unwrap_or_default())))
                    .collect(),
            })
            .collect();
        ledger.sheets.push(SheetIn { sheet, name, rows });
    }
    Ok(ledger)
}

/// The column a heading names on `sheet`.
fn col_of(sheet: Sheet, heading: &str) -> Option<Col> {
    let h = norm_heading(heading);
    if h.is_empty() {
        return None;
    }
    sheet.cols().iter().copied().find(|c| {
        [Lang::Zh, Lang::En]
            .iter()
            .any(|l| norm_heading(&tr(*l, c.heading_key(sheet), &[])) == h)
    })
}
