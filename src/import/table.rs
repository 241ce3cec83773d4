//! A ledger file as rows of text: workbooks through [`super::workbook`]
//! (xlsx after [`super::package`] checked its parts), CSV in UTF-8 (BOM
//! or not), UTF-16 or GBK through `load::decode`, with `,`, tab or `;`
//! between fields. Only cells with data are kept, each within the bounds
//! below, so memory follows what a file holds, not what it claims.

use std::borrow::Cow;

/// Bounds of what `import` reads, checked against the cells that hold
/// data before anything is made for them: memory stays bounded whatever a
/// file claims. A ledger has a few hundred rows and a dozen columns.
pub const MAX_ROWS: u32 = 50_000;
/// Columns A to BL.
pub const MAX_COLS: u32 = 64;
/// Cells with data in the sheet read.
pub const MAX_CELLS: usize = 500_000;
/// The ledger file itself.
pub const MAX_FILE: u64 = 16 << 20;
/// One part of an xlsx package, unpacked.
pub const MAX_PART: u64 = 64 << 20;
/// Shared strings an xlsx may announce (`uniqueCount`).
pub const MAX_STRINGS: u64 = 1_000_000;
/// The text of all cells kept, copies included (a shared string named by
/// many cells, a merged cell filled down its rows): text that multiplies.
pub const MAX_TEXT: usize = 64 << 20;

/// The rows of one sheet.
#[derive(Debug, Default)]
pub struct Grid {
    /// Each row's cells, from column A up to its last cell with data.
    pub rows: Vec<Vec<String>>,
    /// Each row's number as the spreadsheet shows it (from 1).
    pub numbers: Vec<usize>,
    /// The sheet read, for workbooks.
    pub sheet: Option<String>,
    /// The CSV was in GBK/GB18030.
    pub gbk: bool,
}

impl Grid {
    /// Rows numbered from 1, as the spreadsheet shows them.
    pub(super) fn new(rows: Vec<Vec<String>>, sheet: Option<String>, gbk: bool) -> Grid {
        Grid {
            numbers: (1..=rows.len()).collect(),
            rows,
            sheet,
            gbk,
        }
    }
}

/// Which bound a cell with data crossed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    Rows,
    Cols,
    Cells,
    /// [`MAX_TEXT`]
    Text,
}

/// What is wrong with one part of an xlsx package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PartProblem {
    /// Unpacks to more than [`MAX_PART`] bytes.
    TooLarge,
    /// Announces this many shared strings (as written).
    Strings(String),
}

/// Why a file gave no rows.
#[derive(Debug, Clone)]
pub enum ReadError {
    /// A workbook calamine could not open, with its reason.
    Workbook(String),
    /// No sheet of that name; the names there are.
    NoSheet(String, Vec<String>),
    /// Neither a workbook nor text.
    NotText,
    /// A cell with data beyond a bound: the sheet (none for CSV), the
    /// cell's address (`XFD1048576`), the bound.
    Beyond {
        sheet: Option<String>,
        cell: String,
        bound: Bound,
    },
    /// A part of the package that is not read.
    Part { part: String, problem: PartProblem },
    /// The file is larger than [`MAX_FILE`] (its size).
    TooLarge(u64),
    /// An Excel 97-2003 workbook: calamine reads it whole on opening, and
    /// nothing can bound that beforehand, so it is refused (save as xlsx).
    Xls,
    /// A gongshi register export (`register.xlsx` by its document
    /// properties, `register.csv` by its heading row): a reading document
    /// of one audience, never a source.
    Export {
        site: Option<String>,
        version: Option<String>,
        audience: Option<String>,
    },
}

/// A cell's address as a spreadsheet shows it: `A1`, `XFD1048576`
/// (`row`, `col` from 0).
pub fn address(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut c = col as u64 + 1;
    while c > 0 {
        let d = ((c - 1) % 26) as u8;
        letters.push(b'A' + d);
        c = (c - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8_lossy(&letters), row as u64 + 1)
}

/// Collects the cells with data of a sheet into rows, refusing the first
/// one beyond a bound.
pub(super) struct Filler {
    sheet: Option<String>,
    rows: Vec<Vec<String>>,
    cells: usize,
    /// Bytes of text kept so far.
    text: usize,
}

impl Filler {
    pub(super) fn new(sheet: Option<String>) -> Filler {
        Filler {
            sheet,
            rows: Vec::new(),
            cells: 0,
            text: 0,
        }
    }

    /// Places `text` at (`row`, `col`), from 0; empty text holds no data
    /// and is left out.
    pub(super) fn put(&mut self, row: u32, col: u32, text: Cow<str>) -> Result<(), ReadError> {
        if text.is_empty() {
            return Ok(());
        }
        self.cells += 1;
        let bound = if col >= MAX_COLS {
            Some(Bound::Cols)
        } else if row >= MAX_ROWS {
            Some(Bound::Rows)
        } else if self.cells > MAX_CELLS {
            Some(Bound::Cells)
        } else {
            None
        };
        if let Some(bound) = bound {
            return Err(self.beyond(row as usize, col as usize, bound));
        }
        self.add_text(row as usize, col as usize, text.len())?;
        let (r, c) = (row as usize, col as usize);
        if self.rows.len() <= r {
            self.rows.resize_with(r + 1, Vec::new);
        }
        let cells = &mut self.rows[r];
        if cells.len() <= c {
            cells.resize(c + 1, String::new());
        }
        cells[c] = text.into_owned();
        Ok(())
    }

    fn beyond(&self, row: usize, col: usize, bound: Bound) -> ReadError {
        ReadError::Beyond {
            sheet: self.sheet.clone(),
            cell: address(row as u32, col as u32),
            bound,
        }
    }

    /// Counts `len` more bytes of text kept at (`row`, `col`).
    fn add_text(&mut self, row: usize, col: usize, len: usize) -> Result<(), ReadError> {
        self.text += len;
        if self.text > MAX_TEXT {
            return Err(self.beyond(row, col, Bound::Text));
        }
        Ok(())
    }

    /// Copies each merged region's value down its first column, into the
    /// rows that are there (a region never adds rows or columns); the
    /// copies count against [`MAX_TEXT`].
    pub(super) fn fill_merged(&mut self, merges: &[calamine::Dimensions]) -> Result<(), ReadError> {
        for m in merges {
            let (top, col) = (m.start.0 as usize, m.start.1 as usize);
            let Some(value) = self.rows.get(top).and_then(|r| r.get(col)).cloned() else {
                continue;
            };
            if value.is_empty() {
                continue;
            }
            let last = (m.end.0 as usize).min(self.rows.len().saturating_sub(1));
            for r in top + 1..=last {
                if self.rows[r].get(col).is_some_and(|c| !c.is_empty()) {
                    continue;
                }
                self.add_text(r, col, value.len())?;
                let row = &mut self.rows[r];
                if row.len() <= col {
                    row.resize(col + 1, String::new());
                }
                row[col] = value.clone();
            }
        }
        Ok(())
    }

    pub(super) fn grid(self, gbk: bool) -> Grid {
        Grid::new(self.rows, self.sheet, gbk)
    }
}

/// Reads `bytes`; for workbooks, the sheet `sheet`, else the first sheet
/// named as in `preferred`, else the first sheet.
pub fn read(bytes: &[u8], sheet: Option<&str>, preferred: &[String]) -> Result<Grid, ReadError> {
    if bytes.len() as u64 > MAX_FILE {
        return Err(ReadError::TooLarge(bytes.len() as u64));
    }
    if bytes.starts_with(b"PK\x03\x04") {
        super::package::check(bytes)?;
        super::workbook::read(bytes, sheet, preferred)
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        Err(ReadError::Xls)
    } else {
        read_csv(bytes)
    }
}

/// A cell as text: whole numbers without `.0`, dates as `YYYY-MM-DD`.
pub(super) fn text(d: &calamine::Data) -> String {
    use calamine::Data;
    match d {
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "是" } else { "否" }.to_string(),
        Data::DateTime(dt) => {
            // Excel's serial day 25569 is 1970-01-01
            crate::civil_date(dt.as_f64().floor() as i64 - 25_569)
        }
        Data::DateTimeIso(s) => s.chars().take(10).collect(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(_) | Data::Empty => String::new(),
    }
}

fn read_csv(bytes: &[u8]) -> Result<Grid, ReadError> {
    let (text, enc) = crate::load::decode::decode(bytes).map_err(|_| ReadError::NotText)?;
    let mut filler = Filler::new(None);
    parse_csv(&text, |row, col, field| {
        filler.put(row, col, Cow::Owned(field))
    })?;
    let gbk = enc == crate::load::decode::Encoding::Gb18030;
    let grid = filler.grid(gbk);
    if is_register_csv(&grid) {
        return Err(ReadError::Export {
            site: None,
            version: None,
            audience: None,
        });
    }
    Ok(grid)
}

/// Whether the first row with data has exactly the headings of
/// `register.csv` (in any order, in either language).
fn is_register_csv(grid: &Grid) -> bool {
    let Some(first) = grid
        .rows
        .iter()
        .find(|r| r.iter().any(|c| !c.trim().is_empty()))
    else {
        return false;
    };
    let set = |row: &[String]| {
        let mut v: Vec<String> = row
            .iter()
            .map(|c| c.trim().trim_start_matches('\u{feff}').to_string())
            .filter(|c| !c.is_empty())
            .collect();
        v.sort();
        v
    };
    let have = set(first);
    crate::render::export::csv_headings()
        .iter()
        .any(|h| set(h) == have)
}

/// The field separator: whichever of `,` tab `;` the first line has most
/// of, outside quotes.
fn separator(text: &str) -> char {
    let first = text.lines().next().unwrap_or("");
    let mut quoted = false;
    let mut counts = [0usize; 3];
    for c in first.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => counts[0] += 1,
            '\t' if !quoted => counts[1] += 1,
            ';' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|&i| (counts[i], 3 - i)).unwrap_or(0);
    [',', '\t', ';'][best]
}

/// RFC 4180 records (quotes doubled inside quoted fields; line breaks
/// inside quotes belong to the field). `text` has LF line ends. Each field
/// goes to `put` with its row and column (from 0); the first error stops.
pub fn parse_csv<E>(
    text: &str,
    mut put: impl FnMut(u32, u32, String) -> Result<(), E>,
) -> Result<(), E> {
    let sep = separator(text);
    let (mut row, mut col) = (0u32, 0u32);
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    let mut open = false; // a record has begun
    while let Some(c) = chars.next() {
        open = true;
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    field.push('"');
                    chars.next();
                } else {
                    quoted = false;
                }
            } else {
                field.push(c);
            }
        } else if c == '"' && field.is_empty() {
            quoted = true;
        } else if c == sep {
            put(row, col, std::mem::take(&mut field))?;
            col = col.saturating_add(1);
        } else if c == '\n' {
            put(row, col, std::mem::take(&mut field))?;
            (row, col, open) = (row.saturating_add(1), 0, false);
        } else {
            field.push(c);
        }
    }
    if open {
        put(row, col, field)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Vec<Vec<String>> {
        let mut f = Filler::new(None);
        parse_csv(text, |r, c, s| f.put(r, c, Cow::Owned(s))).unwrap();
        f.rows
    }

    #[test]
    fn csv_with_quotes_and_line_breaks() {
        let rows = parse("编号,措施\nR-1,\"1、甲\n2、乙\"\nR-2,\"说 \"\"好\"\"\"\n");
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[1], vec!["R-1", "1、甲\n2、乙"]);
        assert_eq!(rows[2], vec!["R-2", "说 \"好\""]);
    }

    #[test]
    fn tab_separated() {
        assert_eq!(parse("a\tb,c\td\n")[0], vec!["a", "b,c", "d"]);
    }

    #[test]
    fn gbk_csv_is_read() {
        let (gbk, _, _) = encoding_rs::GBK.encode("风险点,等级\r\n违规审批,一级\r\n");
        let g = read(&gbk, None, &[]).unwrap();
        assert!(g.gbk);
        assert_eq!(g.rows[1], vec!["违规审批".to_string(), "一级".to_string()]);
        assert_eq!(g.numbers[1], 2);
    }

    #[test]
    fn addresses() {
        assert_eq!(address(0, 0), "A1");
        assert_eq!(address(9, 25), "Z10");
        assert_eq!(address(0, 26), "AA1");
        assert_eq!(address(1_048_575, 16_383), "XFD1048576");
    }

    #[test]
    fn a_far_csv_field_is_refused_by_its_cell() {
        let line = format!("{}x\n", ",".repeat(70));
        let mut f = Filler::new(None);
        let e = parse_csv(&line, |r, c, s| f.put(r, c, Cow::Owned(s))).unwrap_err();
        assert!(matches!(e, ReadError::Beyond { cell, bound: Bound::Cols, .. } if cell == "BS1"));
    }
}
