//! Writing the ledger workbook: the 填表说明 sheet first (an internal
//! document, with a worked example row), one data sheet per kind plus the
//! measures of the risks, the hidden list sheet feeding every dropdown,
//! and the hidden identity sheet with each row's fingerprint. The id
//! column is locked (the sheet is protected without a password, rows may
//! be added, sorted and filtered), headings frozen, widths and wrapping
//! set. The creation date is fixed, so the same content gives the same
//! bytes.

use super::cols::{Cells, Col, Form, List, Sheet};
use super::{hash, AllLabels, ID_SHEET, LIST_SHEET, MARK};
use crate::i18n::{tr, Lang};
use crate::model::{Kind, Site};
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DocProperties, ExcelDateTime, Format, FormatAlign,
    FormatBorder, Formula, ProtectionOptions, Workbook, Worksheet, XlsxError,
};
use std::collections::BTreeMap;

/// What to write.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Only this department's items (and the measures of its risks).
    pub department: Option<String>,
    /// Blank rows to fill instead of the items.
    pub template: bool,
    /// Blank rows per sheet of a template.
    pub rows: usize,
}

/// The workbook's bytes, or why it could not be made.
pub fn workbook(site: &Site, opts: &Options) -> Result<Vec<u8>, String> {
    build(site, opts).map_err(|e| e.to_string())
}

/// Where each dropdown list sits on the list sheet.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum ListKey {
    Config(List),
    Grades,
    Scopes,
    YesNo,
    Items(Kind),
}

/// Each list's first column on the list sheet, and its (shown, id) pairs.
type Lists = BTreeMap<ListKey, (u16, Vec<(String, String)>)>;

struct Formats {
    head: Format,
    locked: Format,
    cell: Format,
}

fn formats() -> Formats {
    let border = |f: Format| f.set_border(FormatBorder::Thin).set_border_color("#9e9e9e");
    Formats {
        head: border(
            Format::new()
                .set_bold()
                .set_background_color("#dde3ea")
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
        ),
        locked: border(
            Format::new()
                .set_background_color("#f0f0f0")
                .set_align(FormatAlign::Top),
        ),
        cell: border(
            Format::new()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_unlocked(),
        ),
    }
}

fn build(site: &Site, opts: &Options) -> Result<Vec<u8>, XlsxError> {
    let cfg = &site.config;
    let lang = cfg.lang();
    let labels = AllLabels::of(site);
    let cells = Cells {
        site,
        labels: &labels,
    };
    let mut wb = Workbook::new();
    let (y, m, d) = crate::render::export::created(site);
    let props = DocProperties::new()
        .set_title(&cfg.title)
        .set_company(&cfg.unit)
        .set_author(&cfg.unit)
        .set_creation_datetime(&ExcelDateTime::from_ymd(y, m, d)?)
        .set_comment(tr(lang, "ledger.guide.internal", &[]));
    wb.set_properties(&props);
    wb.set_zip_compression_level(1);
    let fmt = formats();
    super::book_guide::guide(wb.add_worksheet(), site, &fmt.head)?;
    let lists = list_columns(site, &labels);
    let mut fingerprints: Vec<(Sheet, String, String)> = Vec::new();
    let mut names = Vec::new();
    for sheet in Sheet::ALL {
        let ws = wb.add_worksheet();
        let name = tr(lang, sheet.name_key(), &[]);
        ws.set_name(&name)?;
        names.push((sheet, name));
        let rows = if opts.template {
            template_rows(site, &labels, sheet, opts)
        } else {
            cells.rows(sheet, opts.department.as_deref())
        };
        write_sheet(ws, lang, sheet, &rows, &fmt)?;
        let last = (rows.len() as u32 + 500).max(1000);
        validations(ws, sheet, &lists, last)?;
        if !opts.template {
            for (key, row) in &rows {
                let hashes: Vec<String> = sheet
                    .cols()
                    .iter()
                    .zip(row)
                    .map(|(c, v)| hash(c.form(sheet), v))
                    .collect();
                fingerprints.push((sheet, key.clone(), hashes.join(" ")));
            }
        }
    }
    write_lists(wb.add_worksheet(), &lists)?;
    let id = wb.add_worksheet();
    id.set_name(ID_SHEET)?.set_hidden(true);
    let kind = if opts.template { "template" } else { "ledger" };
    let head: [(&str, &str); 7] = [
        (MARK, "1"),
        ("site", &cfg.title),
        ("unit", &cfg.unit),
        ("version", &cfg.version),
        ("kind", kind),
        ("gongshi", env!("CARGO_PKG_VERSION")),
        ("department", opts.department.as_deref().unwrap_or("")),
    ];
    let mut r = 0u32;
    for (k, v) in head {
        id.write_string(r, 0, k)?;
        id.write_string(r, 1, v)?;
        r += 1;
    }
    for (sheet, name) in &names {
        let keys: Vec<&str> = sheet.cols().iter().map(|c| c.key()).collect();
        for (c, v) in ["sheet", sheet.code(), name, &keys.join(",")]
            .iter()
            .enumerate()
        {
            id.write_string(r, c as u16, *v)?;
        }
        r += 1;
    }
    for (sheet, key, hashes) in &fingerprints {
        for (c, v) in ["row", sheet.code(), key, hashes].iter().enumerate() {
            id.write_string(r, c as u16, *v)?;
        }
        r += 1;
    }
    wb.save_to_buffer()
        .map(crate::render::export::zip_host::made_on_unix)
}

/// A template's rows: blank, with the department filled in.
fn template_rows(
    site: &Site,
    labels: &AllLabels,
    sheet: Sheet,
    opts: &Options,
) -> Vec<(String, Vec<String>)> {
    let cols = sheet.cols();
    let dept = opts
        .department
        .as_deref()
        .filter(|d| site.department(d).is_some())
        .map(|d| labels.get(Kind::Department).label(d));
    let n = if sheet == Sheet::Measures {
        opts.rows * 3
    } else {
        opts.rows
    };
    (0..n)
        .map(|_| {
            let row = cols
                .iter()
                .map(|c| match (c, &dept) {
                    (Col::Department, Some(d)) => d.clone(),
                    _ => String::new(),
                })
                .collect();
            (String::new(), row)
        })
        .collect()
}

fn write_sheet(
    ws: &mut Worksheet,
    lang: Lang,
    sheet: Sheet,
    rows: &[(String, Vec<String>)],
    fmt: &Formats,
) -> Result<(), XlsxError> {
    let cols = sheet.cols();
    for (c, col) in cols.iter().enumerate() {
        let c = c as u16;
        ws.write_string_with_format(0, c, tr(lang, col.heading_key(sheet), &[]), &fmt.head)?;
        ws.set_column_width(c, col.width())?;
        let f = if *col == Col::Id {
            &fmt.locked
        } else {
            &fmt.cell
        };
        ws.set_column_format(c, f)?;
    }
    ws.set_row_height(0, 30)?;
    ws.set_landscape()
        .set_paper_size(9)
        .set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 0)?;
    ws.set_freeze_panes(1, if sheet == Sheet::Measures { 3 } else { 2 })?;
    ws.autofilter(0, 0, rows.len() as u32, cols.len() as u16 - 1)?;
    for (r, (_, row)) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, v) in row.iter().enumerate() {
            let f = if cols[c] == Col::Id {
                &fmt.locked
            } else {
                &fmt.cell
            };
            if v.is_empty() {
                ws.write_blank(r, c as u16, f)?;
            } else {
                ws.write_string_with_format(r, c as u16, v, f)?;
            }
        }
    }
    let mut opts = ProtectionOptions::new();
    opts.format_cells = true;
    opts.format_columns = true;
    opts.format_rows = true;
    opts.insert_rows = true;
    opts.delete_rows = true;
    opts.sort = true;
    opts.use_autofilter = true;
    ws.protect_with_options(&opts);
    Ok(())
}

/// The lists of the list sheet, each a column: (what, values shown, ids).
fn list_columns(
    site: &Site,
    labels: &AllLabels,
) -> BTreeMap<ListKey, (u16, Vec<(String, String)>)> {
    let cfg = &site.config;
    let same = |v: &[String]| v.iter().map(|s| (s.clone(), s.clone())).collect::<Vec<_>>();
    let mut lists: Vec<(ListKey, Vec<(String, String)>)> = vec![
        (
            ListKey::Grades,
            cfg.grades
                .iter()
                .map(|g| (g.name.clone(), g.name.clone()))
                .collect(),
        ),
        (
            ListKey::Scopes,
            cfg.scopes
                .iter()
                .map(|s| (s.label.clone(), s.name.clone()))
                .collect(),
        ),
        (ListKey::YesNo, same(&["是".into(), "否".into()])),
    ];
    for l in [
        List::Types,
        List::Tiers,
        List::Phases,
        List::MeasureCats,
        List::PowerCats,
        List::Levels,
    ] {
        lists.push((ListKey::Config(l), same(l.values(cfg))));
    }
    for k in [
        Kind::Department,
        Kind::Post,
        Kind::Power,
        Kind::Flow,
        Kind::Measure,
    ] {
        lists.push((ListKey::Items(k), labels.get(k).ordered.clone()));
    }
    // two columns a list: what is shown, and the id or name it stands for
    lists
        .into_iter()
        .enumerate()
        .map(|(i, (k, v))| (k, (i as u16 * 2, v)))
        .collect()
}

fn list_key(form: Form) -> Option<ListKey> {
    Some(match form {
        Form::Choice(l) => ListKey::Config(l),
        Form::Grade => ListKey::Grades,
        Form::Scope => ListKey::Scopes,
        Form::Bool => ListKey::YesNo,
        Form::Ref(k) | Form::Refs(k) => ListKey::Items(k),
        _ => return None,
    })
}

/// A list's code on the list sheet's first row (what import reads).
fn list_code(k: &ListKey) -> String {
    match k {
        ListKey::Config(l) => format!("{l:?}").to_lowercase(),
        ListKey::Grades => "grades".into(),
        ListKey::Scopes => "scopes".into(),
        ListKey::YesNo => "yesno".into(),
        ListKey::Items(k) => k.name().to_string(),
    }
}

fn validations(
    ws: &mut Worksheet,
    sheet: Sheet,
    lists: &Lists,
    last: u32,
) -> Result<(), XlsxError> {
    for (c, col) in sheet.cols().iter().enumerate() {
        let form = col.form(sheet);
        let Some((at, values)) = list_key(form).and_then(|k| lists.get(&k)) else {
            continue;
        };
        if values.is_empty() {
            continue;
        }
        let letter = crate::import::table::address(0, u32::from(*at));
        let letter = letter.trim_end_matches('1');
        let formula = format!("={LIST_SHEET}!${letter}$2:${letter}${}", values.len() + 1);
        let mut dv = DataValidation::new().allow_list_formula(Formula::new(formula));
        // several posts go in one cell, joined by 、
        if matches!(form, Form::Refs(_)) {
            dv = dv.set_error_style(DataValidationErrorStyle::Information);
        }
        ws.add_data_validation(1, c as u16, last, c as u16, &dv)?;
    }
    Ok(())
}

fn write_lists(ws: &mut Worksheet, lists: &Lists) -> Result<(), XlsxError> {
    ws.set_name(LIST_SHEET)?.set_hidden(true);
    for (k, (at, values)) in lists {
        ws.write_string(0, *at, list_code(k))?;
        ws.write_string(0, *at + 1, "id")?;
        for (r, (shown, id)) in values.iter().enumerate() {
            ws.write_string(r as u32 + 1, *at, shown)?;
            ws.write_string(r as u32 + 1, *at + 1, id)?;
        }
    }
    Ok(())
}
