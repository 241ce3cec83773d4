//! `register.xlsx`: one sheet per kind, written with rust_xlsxwriter. A
//! title row (unit, title, version, audience) stands above the header row,
//! which is styled, frozen and filtered; columns are sized for CJK text;
//! grade cells carry the grade's colour with a readable text colour; long
//! cells wrap. Each sheet prints on A4 landscape with every column fitted
//! to the page's width (as many pages tall as it takes), the header row
//! repeated on every page and page numbers in the footer; widths, row
//! heights and print setup are in [`super::xlsx_layout`]. The workbook's
//! creation date is fixed (see [`super::created`]) so the same content
//! gives the same bytes. Custom document properties name it a register
//! export of one audience ([`super::IDENTITY`]), which `import` refuses.
//! Every text cell is a plain string (never a formula), whatever it starts
//! with, written inline in its row (no shared-string table): the sheets are
//! written row by row through a temporary file in the system's temporary
//! folder, which must be writable.

use super::xlsx_layout::{self as layout, FONT_SIZE, HEAD};
use super::{columns, sheet_key, Cell, Field, Table};
use crate::changes::ChangeLog;
use crate::color::badge_text;
use crate::i18n::tr;
use crate::model::{Kind, Site};
use rayon::prelude::*;
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, XlsxError,
};

/// Excel's limit for the text of one cell.
const MAX_CELL: usize = 32_767;

/// A sheet as written: its name, title row, headings and table.
struct Sheet {
    name: String,
    title: String,
    heads: Vec<String>,
    table: Table,
}

/// The workbook's bytes, or why rust_xlsxwriter refused. `log`: the
/// audience's change log, written as a last sheet (修订对照) when there is
/// a previous version.
pub fn workbook(
    site: &Site,
    audience: usize,
    tables: Vec<Table>,
    log: Option<&ChangeLog>,
) -> Result<Vec<u8>, String> {
    let lang = site.config.lang();
    let title = title_row(site, audience);
    let mut sheets: Vec<Sheet> = tables
        .into_iter()
        .map(|t| Sheet {
            name: tr(lang, &sheet_key(t.kind), &[]),
            title: title.clone(),
            heads: columns(t.kind)
                .iter()
                .map(|(_, k)| tr(lang, k, &[]))
                .collect(),
            table: t,
        })
        .collect();
    sheets.extend(log.map(|l| changes_sheet(site, audience, l)));
    build(site, audience, sheets).map_err(|e| match e {
        XlsxError::TempFileError(dir, e) => tr(
            lang,
            "export.xlsx_tempdir",
            &[
                ("dir", dir.display().to_string()),
                ("detail", e.to_string()),
            ],
        ),
        e => e.to_string(),
    })
}

/// The 修订对照 sheet: 序号 / 编号 / 事项 / 修订前 / 修订后, an entry a row.
fn changes_sheet(site: &Site, audience: usize, log: &ChangeLog) -> Sheet {
    let cfg = &site.config;
    let lang = cfg.lang();
    let heads = [
        (Field::Seq, "export.col.seq"),
        (Field::Id, "export.col.id"),
        (Field::ChangeItem, "export.col.change_item"),
        (Field::Before, "export.col.before"),
        (Field::After, "export.col.after"),
    ];
    let rows = log
        .entries()
        .enumerate()
        .map(|(i, e)| {
            let r = crate::changes::row(lang, log, e);
            vec![
                Cell::Number(i as u32 + 1),
                Cell::Text(r.id),
                Cell::Text(r.item),
                Cell::Text(r.before),
                Cell::Text(r.after),
            ]
        })
        .collect();
    let shown = |name: &str, label: &Option<String>| label.clone().unwrap_or_else(|| name.into());
    let title = tr(
        lang,
        "export.changes_title_row",
        &[
            ("name", register_name(site)),
            ("from", shown(&log.from, &log.from_label)),
            ("to", shown(&log.to, &log.to_label)),
            ("scope_label", tr(lang, "ui.scope_label", &[])),
            ("audience", cfg.scopes[audience].label.clone()),
        ],
    );
    Sheet {
        name: tr(lang, "export.sheet.changes", &[]),
        title,
        heads: heads.iter().map(|(_, k)| tr(lang, k, &[])).collect(),
        table: Table {
            kind: Kind::Notice,
            columns: heads.iter().map(|(f, _)| *f).collect(),
            rows,
        },
    }
}

fn build(site: &Site, audience: usize, sheets: Vec<Sheet>) -> Result<Vec<u8>, XlsxError> {
    let cfg = &site.config;
    let lang = cfg.lang();
    let mut wb = Workbook::new();
    let (y, m, d) = super::created(site);
    let date = ExcelDateTime::from_ymd(y, m, d)?;
    let props = DocProperties::new()
        .set_title(&cfg.title)
        .set_company(&cfg.unit)
        .set_author(&cfg.unit)
        .set_creation_datetime(&date)
        .set_custom_property(super::IDENTITY.0, super::IDENTITY.1)
        .set_custom_property("gongshi.site", cfg.title.as_str())
        .set_custom_property("gongshi.version", cfg.version.as_str())
        .set_custom_property("gongshi.audience", cfg.scopes[audience].name.as_str())
        .set_custom_property(
            "gongshi.audience_label",
            cfg.scopes[audience].label.as_str(),
        )
        .set_comment(tr(
            lang,
            "export.identity_note",
            &[("label", cfg.scopes[audience].label.clone())],
        ));
    wb.set_properties(&props);
    // The fastest deflate: on a 10,000-risk register the default level took
    // a third of the workbook's time, for a file half the size (1.4 MB
    // instead of 2.7 MB).
    wb.set_zip_compression_level(1);

    let border = |f: Format| {
        f.set_border(FormatBorder::Thin)
            .set_border_color("#9e9e9e")
            .set_font_size(FONT_SIZE)
    };
    let head = border(
        Format::new()
            .set_bold()
            .set_background_color("#dde3ea")
            .set_font_color("#1a1a1a")
            .set_text_wrap()
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter),
    );
    let body = border(Format::new().set_text_wrap().set_align(FormatAlign::Top));
    let number = border(
        Format::new()
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::Top),
    );
    let grades: Vec<Format> = cfg
        .grades
        .iter()
        .map(|g| {
            border(
                Format::new()
                    .set_bold()
                    .set_background_color(g.color.as_str())
                    .set_font_color(badge_text(&g.color).1)
                    .set_align(FormatAlign::Center)
                    .set_align(FormatAlign::Top),
            )
        })
        .collect();

    let title = border(
        Format::new()
            .set_bold()
            .set_font_size(14)
            .set_align(FormatAlign::Left)
            .set_align(FormatAlign::VerticalCenter),
    );
    let footer = format!("&C{}", tr(lang, "export.page_footer", &[]));

    for sheet in sheets {
        let (title_text, heads, t) = (sheet.title, sheet.heads, sheet.table);
        // Row by row: each row goes to a temporary file as it is written,
        // its strings inline, so the workbook never holds the register's
        // text twice (on 10,000 risks a third of the build's peak memory,
        // and the shared-string table's hashing a quarter of its time).
        let ws = wb.add_worksheet_with_constant_memory()?;
        ws.set_name(sheet.name)?;
        let last_col = t.columns.len().saturating_sub(1) as u16;
        if last_col > 0 {
            ws.merge_range(0, 0, 0, last_col, &title_text, &title)?;
        } else {
            ws.write_string_with_format(0, 0, &title_text, &title)?;
        }
        ws.set_row_height(0, 24)?;
        for (c, h) in heads.iter().enumerate() {
            ws.write_string_with_format(HEAD, c as u16, h, &head)?;
        }
        // Each cell measured once, rows in parallel; the widest per column
        // (a maximum, so the same whichever order the rows come in).
        let wants: Vec<f64> = t
            .rows
            .par_iter()
            .map(|row| {
                let mut units = vec![0.0; t.columns.len()];
                for (u, cell) in units.iter_mut().zip(row) {
                    *u = cell_units(site, cell);
                }
                units
            })
            .reduce(
                || vec![0.0; t.columns.len()],
                |a, b| a.iter().zip(&b).map(|(x, y)| x.max(*y)).collect(),
            );
        let mut widths: Vec<f64> = t
            .columns
            .iter()
            .zip(&heads)
            .zip(&wants)
            .map(|((f, h), w)| layout::column_width(*f, h, *w))
            .collect();
        layout::fit(&t.columns, &mut widths, &wants);
        for (c, w) in widths.iter().enumerate() {
            ws.set_column_width(c as u16, *w)?;
        }
        // Spreadsheet programs do not all grow rows for wrapped text on
        // opening, so each row gets the height its longest cell needs.
        let head_lines = heads
            .iter()
            .zip(&widths)
            .map(|(h, w)| layout::text_lines(h, *w))
            .max()
            .unwrap_or(1);
        ws.set_row_height(HEAD, layout::row_height(head_lines.max(2)))?;
        let row_lines: Vec<usize> = t
            .rows
            .par_iter()
            .map(|row| {
                row.iter()
                    .zip(&widths)
                    .map(|(cell, w)| layout::cell_lines(cell, *w))
                    .max()
                    .unwrap_or(1)
            })
            .collect();
        for (r, lines) in row_lines.into_iter().enumerate() {
            if lines > 1 {
                ws.set_row_height(r as u32 + HEAD + 1, layout::row_height(lines))?;
            }
        }
        // The cells are moved into the sheet, so each table's text is
        // freed as the workbook takes it.
        let n = t.rows.len() as u32;
        for (r, row) in t.rows.into_iter().enumerate() {
            let r = r as u32 + HEAD + 1;
            for (c, cell) in row.into_iter().enumerate() {
                let c = c as u16;
                match cell {
                    Cell::Text(s) if s.is_empty() => {
                        ws.write_blank(r, c, &body)?;
                    }
                    Cell::Text(s) => {
                        ws.write_string_with_format(r, c, clip(s), &body)?;
                    }
                    Cell::Number(n) => {
                        ws.write_number_with_format(r, c, f64::from(n), &number)?;
                    }
                    Cell::Grade(g) => {
                        let name = cfg.grades.get(g).map_or("", |x| x.name.as_str());
                        let fmt = grades.get(g).unwrap_or(&body);
                        ws.write_string_with_format(r, c, name, fmt)?;
                    }
                }
            }
        }
        ws.set_freeze_panes(HEAD + 1, 2)?;
        ws.autofilter(HEAD, 0, n + HEAD, last_col)?;
        layout::print_setup(ws, &footer)?;
    }
    wb.save_to_buffer().map(super::zip_host::made_on_unix)
}

/// The title row: unit (left out when the title already names it),
/// register title, audience and version, labelled as the pages label them.
fn title_row(site: &Site, audience: usize) -> String {
    let cfg = &site.config;
    let lang = cfg.lang();
    let name = register_name(site);
    tr(
        lang,
        "export.title_row",
        &[
            ("name", name),
            ("scope_label", tr(lang, "ui.scope_label", &[])),
            ("audience", cfg.scopes[audience].label.clone()),
            ("version_label", tr(lang, "ui.version_label", &[])),
            ("version", cfg.version.clone()),
        ],
    )
}

/// The register's name: unit (left out when the title already names it)
/// and title.
fn register_name(site: &Site) -> String {
    let cfg = &site.config;
    let unit = cfg.unit.trim();
    if unit.is_empty() || cfg.title.contains(unit) {
        cfg.title.clone()
    } else {
        format!("{unit}　{}", cfg.title)
    }
}

/// The units of a cell's widest line as shown (a grade by its name).
fn cell_units(site: &Site, cell: &Cell) -> f64 {
    match cell {
        Cell::Text(s) => layout::widest(s),
        Cell::Number(n) => layout::units(&n.to_string()),
        Cell::Grade(g) => site
            .config
            .grades
            .get(*g)
            .map_or(0.0, |x| layout::units(&x.name)),
    }
}

/// A text cut to what one cell may hold (never in the middle of a character).
fn clip(mut s: String) -> String {
    if let Some((end, _)) = s.char_indices().nth(MAX_CELL) {
        s.truncate(end);
    }
    s
}
