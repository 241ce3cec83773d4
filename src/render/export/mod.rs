//! The register as spreadsheets: `register.xlsx` (one sheet per kind) and
//! `register.csv` (risks), plus `data.schema.json` beside `data.json` —
//! all from one audience's filtered site, like every renderer.
//!
//! A [`Table`] is the kind's items as rows of [`Cell`]s under [`Field`]
//! columns; the xlsx and csv writers only format tables. `gongshi import`
//! knows the same headings (see `import::headers`), but refuses the
//! exports themselves: they are reading documents of one audience, their
//! bodies without scope blocks. The workbook says so in custom document
//! properties ([`IDENTITY`]), the CSV by its exact heading row.

pub mod csv;
pub mod xlsx;
mod xlsx_layout;
pub mod zip_host;

use crate::changes::ChangeLog;
use crate::i18n::{tr, Lang};
use crate::model::{body::replace_links, Kind, MeasureUse, Site, StepKind};
use rayon::prelude::*;

/// What a column holds. Import maps headings to the same fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Field {
    Id,
    Title,
    Grade,
    Type,
    Tier,
    Department,
    Posts,
    Power,
    Likelihood,
    Impact,
    Measures,
    Owner,
    Basis,
    Body,
    Reviewed,
    Scope,
    Category,
    TimeLimit,
    Materials,
    Fee,
    Flow,
    Level,
    Key,
    HighRisk,
    ReportsTo,
    Incompatible,
    Rotation,
    Holders,
    StepNo,
    StepLabel,
    StepKind,
    StepPost,
    StepRisks,
    StepNext,
    /// The change sheet's 序号, 事项, 修订前, 修订后 (编号 is `Id`).
    Seq,
    ChangeItem,
    Before,
    After,
}

/// A cell of an export table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Text(String),
    Number(u32),
    /// A grade by its index in the config: its name, in its colour.
    Grade(usize),
}

/// One kind's items as rows.
#[derive(Debug, Clone)]
pub struct Table {
    pub kind: Kind,
    pub columns: Vec<Field>,
    pub rows: Vec<Vec<Cell>>,
}

const RISK: &[(Field, &str)] = &[
    (Field::Id, "export.col.id"),
    (Field::Title, "export.col.risk_title"),
    (Field::Grade, "export.col.grade"),
    (Field::Type, "export.col.type"),
    (Field::Tier, "export.col.tier"),
    (Field::Department, "export.col.department"),
    (Field::Posts, "export.col.risk_posts"),
    (Field::Power, "export.col.risk_power"),
    (Field::Likelihood, "export.col.likelihood"),
    (Field::Impact, "export.col.impact"),
    (Field::Measures, "export.col.measures"),
    (Field::Owner, "export.col.owner"),
    (Field::Basis, "export.col.risk_basis"),
    (Field::Body, "export.col.risk_body"),
    (Field::Reviewed, "export.col.reviewed"),
    (Field::Scope, "export.col.scope"),
];

const POWER: &[(Field, &str)] = &[
    (Field::Id, "export.col.id"),
    (Field::Title, "export.col.power_title"),
    (Field::Category, "export.col.category"),
    (Field::Department, "export.col.department"),
    (Field::Posts, "export.col.power_posts"),
    (Field::Basis, "export.col.power_basis"),
    (Field::TimeLimit, "export.col.time_limit"),
    (Field::Materials, "export.col.materials"),
    (Field::Fee, "export.col.fee"),
    (Field::Flow, "export.col.flow"),
    (Field::Body, "export.col.power_body"),
    (Field::Scope, "export.col.scope"),
];

const POST: &[(Field, &str)] = &[
    (Field::Id, "export.col.id"),
    (Field::Title, "export.col.post_title"),
    (Field::Department, "export.col.post_department"),
    (Field::Level, "export.col.level"),
    (Field::Key, "export.col.key"),
    (Field::HighRisk, "export.col.high_risk"),
    (Field::ReportsTo, "export.col.reports_to"),
    (Field::Incompatible, "export.col.incompatible"),
    (Field::Rotation, "export.col.rotation"),
    (Field::Holders, "export.col.holders"),
    (Field::Body, "export.col.post_body"),
    (Field::Scope, "export.col.scope"),
];

const FLOW: &[(Field, &str)] = &[
    (Field::Id, "export.col.flow_id"),
    (Field::Title, "export.col.flow_title"),
    (Field::Power, "export.col.flow_power"),
    (Field::StepNo, "export.col.step_no"),
    (Field::StepLabel, "export.col.step_label"),
    (Field::StepKind, "export.col.step_kind"),
    (Field::StepPost, "export.col.step_post"),
    (Field::StepRisks, "export.col.step_risks"),
    (Field::StepNext, "export.col.step_next"),
    (Field::TimeLimit, "export.col.step_time"),
];

/// The kinds with a sheet, in sheet order.
pub const SHEETS: [Kind; 4] = [Kind::Risk, Kind::Power, Kind::Post, Kind::Flow];

/// The columns of a kind's sheet with the catalogue key of each heading.
pub fn columns(kind: Kind) -> &'static [(Field, &'static str)] {
    match kind {
        Kind::Risk => RISK,
        Kind::Power => POWER,
        Kind::Post => POST,
        Kind::Flow => FLOW,
        _ => &[],
    }
}

/// The catalogue key of a kind's sheet name.
pub fn sheet_key(kind: Kind) -> String {
    format!("export.sheet.{}", kind.name())
}

/// The heading of a column in `lang`.
pub fn heading(lang: Lang, kind: Kind, field: Field) -> String {
    columns(kind)
        .iter()
        .find(|(f, _)| *f == field)
        .map(|(_, key)| tr(lang, key, &[]))
        .unwrap_or_default()
}

/// The custom document property naming a workbook a gongshi register
/// export; `gongshi.site`, `gongshi.version`, `gongshi.audience` and
/// `gongshi.audience_label` say whose, and `import` refuses it.
pub const IDENTITY: (&str, &str) = ("gongshi.document", "register");

/// The heading rows `register.csv` can have (one per language): a CSV
/// whose header row has exactly these headings is an export.
pub fn csv_headings() -> Vec<Vec<String>> {
    [Lang::Zh, Lang::En]
        .iter()
        .map(|l| RISK.iter().map(|(_, k)| tr(*l, k, &[])).collect())
        .collect()
}

/// How multi-valued cells are joined: names with 、, longer texts by line.
pub const NAME_SEP: &str = "、";

/// The date the exported workbook says it was created: the notice's date,
/// else a fixed one, so the same content gives the same bytes.
pub fn created(site: &Site) -> (u16, u8, u8) {
    let parse = |d: &str| -> Option<(u16, u8, u8)> {
        let mut it = d.split('-');
        let y = it.next()?.parse().ok()?;
        let m = it.next()?.parse().ok()?;
        let day = it.next()?.parse().ok()?;
        Some((y, m, day))
    };
    site.notice
        .date
        .as_deref()
        .filter(|d| crate::model::is_date(d))
        .and_then(parse)
        .unwrap_or((1980, 1, 1))
}

/// Numbered measures, one per line: `1、【前期预防·制度】text`, the text's
/// `[[ID]]` links shown as titles like a body's. A shared measure shows
/// its title.
pub fn measures_text(site: &Site, measures: &[MeasureUse]) -> String {
    let mut lines = Vec::new();
    for m in measures {
        let (phase, category, text) = match m {
            MeasureUse::Inline {
                phase,
                category,
                text,
            } => (phase.clone(), category.clone(), plain(site, text)),
            MeasureUse::Shared { id } => match site.measure(id) {
                Some(s) => (s.phase.clone(), s.category.clone(), s.meta.title.clone()),
                None => continue,
            },
        };
        let tags: Vec<String> = [phase, category].into_iter().flatten().collect();
        let tag = if tags.is_empty() {
            String::new()
        } else {
            format!("【{}】", tags.join("·"))
        };
        lines.push(format!("{}、{tag}{text}", lines.len() + 1));
    }
    lines.join("\n")
}

/// A body as plain text: `[[ID]]` becomes the item's title.
pub fn plain(site: &Site, body: &str) -> String {
    replace_links(body, |l, out| out.push_str(site.link_title(&l.id)))
        .trim()
        .to_string()
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

fn opt(s: &Option<String>) -> Cell {
    text(s.clone().unwrap_or_default())
}

fn num(n: Option<u32>) -> Cell {
    n.map_or_else(|| text(""), Cell::Number)
}

/// A kind's table from the filtered site.
pub fn table(site: &Site, kind: Kind) -> Table {
    let lang = site.config.lang();
    let cols: Vec<Field> = columns(kind).iter().map(|(f, _)| *f).collect();
    let dept = |id: &Option<String>| -> Cell {
        text(
            id.as_deref()
                .and_then(|d| site.department(d))
                .map(|d| d.meta.title.clone())
                .unwrap_or_default(),
        )
    };
    let post_titles = |ids: &[String]| -> Cell {
        text(
            ids.iter()
                .filter_map(|p| site.post(p))
                .map(|p| p.meta.title.as_str())
                .collect::<Vec<_>>()
                .join(NAME_SEP),
        )
    };
    let scope = |s: usize| text(site.config.scopes[s].label.clone());
    let yes_no = |b: bool| text(tr(lang, if b { "export.yes" } else { "export.no" }, &[]));
    let mut rows = Vec::new();
    match kind {
        Kind::Risk => {
            // Bodies and measures as text are most of the export's work.
            rows = site
                .risks
                .par_iter()
                .map(|r| {
                    vec![
                        text(&r.meta.id),
                        text(&r.meta.title),
                        Cell::Grade(r.grade),
                        text(&r.risk_type),
                        opt(&r.tier),
                        dept(&r.department),
                        post_titles(&r.posts),
                        text(
                            r.power
                                .as_deref()
                                .and_then(|p| site.power(p))
                                .map(|p| p.meta.title.clone())
                                .unwrap_or_default(),
                        ),
                        num(r.likelihood.map(u32::from)),
                        num(r.impact.map(u32::from)),
                        text(measures_text(site, &r.measures)),
                        opt(&r.owner),
                        text(r.basis.join("\n")),
                        text(plain(site, &r.meta.body)),
                        opt(&r.reviewed),
                        scope(r.meta.scope),
                    ]
                })
                .collect();
        }
        Kind::Power => {
            for p in &site.powers {
                rows.push(vec![
                    text(&p.meta.id),
                    text(&p.meta.title),
                    opt(&p.category),
                    dept(&p.department),
                    post_titles(&p.posts),
                    text(p.basis.join("\n")),
                    opt(&p.time_limit),
                    text(p.materials.join("\n")),
                    opt(&p.fee),
                    text(
                        p.flow
                            .as_deref()
                            .and_then(|f| site.flow(f))
                            .map(|f| f.meta.title.clone())
                            .unwrap_or_default(),
                    ),
                    text(plain(site, &p.meta.body)),
                    scope(p.meta.scope),
                ]);
            }
        }
        Kind::Post => {
            for p in &site.posts {
                let reports_to = p.reports_to.clone().into_iter().collect::<Vec<_>>();
                let holders: Vec<String> = p
                    .holders
                    .iter()
                    .map(|h| match &h.since {
                        Some(s) => format!("{}（{s}）", h.name),
                        None => h.name.clone(),
                    })
                    .collect();
                rows.push(vec![
                    text(&p.meta.id),
                    text(&p.meta.title),
                    dept(&p.department),
                    opt(&p.level),
                    yes_no(p.key),
                    yes_no(p.high_risk),
                    post_titles(&reports_to),
                    post_titles(&p.incompatible),
                    num(p.rotation_years),
                    text(holders.join("\n")),
                    text(plain(site, &p.meta.body)),
                    scope(p.meta.scope),
                ]);
            }
        }
        Kind::Flow => {
            for f in &site.flows {
                let power = f
                    .power
                    .as_deref()
                    .and_then(|p| site.power(p))
                    .map(|p| p.meta.title.clone())
                    .unwrap_or_default();
                for (i, s) in f.steps.iter().enumerate() {
                    let label_of = |id: &str| {
                        f.steps
                            .iter()
                            .find(|x| x.id == id)
                            .map_or(id.to_string(), |x| x.label.clone())
                    };
                    let next: Vec<String> = s
                        .next
                        .iter()
                        .map(|n| match &n.label {
                            Some(l) => format!("{l}：{}", label_of(&n.to)),
                            None => label_of(&n.to),
                        })
                        .collect();
                    let step_kind = match s.kind {
                        StepKind::Start => "export.step.start",
                        StepKind::Step => "export.step.step",
                        StepKind::Decision => "export.step.decision",
                        StepKind::End => "export.step.end",
                    };
                    let post = s.post.clone().into_iter().collect::<Vec<_>>();
                    rows.push(vec![
                        text(&f.meta.id),
                        text(&f.meta.title),
                        text(power.clone()),
                        Cell::Number(i as u32 + 1),
                        text(&s.label),
                        text(tr(lang, step_kind, &[])),
                        post_titles(&post),
                        text(s.risks.join(NAME_SEP)),
                        text(next.join(NAME_SEP)),
                        opt(&s.time_limit),
                    ]);
                }
            }
        }
        _ => {}
    }
    Table {
        kind,
        columns: cols,
        rows,
    }
}

/// `data.json`'s schema (JSON Schema 2020-12), written beside it.
pub const DATA_SCHEMA: &str = include_str!("data.schema.json");

/// `register.xlsx` of a site filtered for `audience`: every kind's sheet,
/// and the audience's change log when there is a previous version.
pub fn xlsx_bytes(
    site: &Site,
    audience: usize,
    log: Option<&ChangeLog>,
) -> Result<Vec<u8>, String> {
    let tables: Vec<Table> = SHEETS.par_iter().map(|k| table(site, *k)).collect();
    xlsx::workbook(site, audience, tables, log)
}

/// `register.csv` of a filtered site: the risks.
pub fn csv_bytes(site: &Site) -> Vec<u8> {
    csv::write(site, &table(site, Kind::Risk))
}

pub const XLSX_PATH: &str = "register.xlsx";
pub const CSV_PATH: &str = "register.csv";
pub const SCHEMA_PATH: &str = "data.schema.json";

/// Writes the export files of one audience's version folder into `sink`:
/// the sheets' tables made in parallel, then the CSV and the workbook from
/// them, each written when done. Returns the number of files.
pub fn render_into(
    site: &Site,
    audience: usize,
    log: Option<&ChangeLog>,
    sink: &dyn crate::write::Sink,
) -> Result<usize, super::RenderError> {
    let tables: Vec<Table> = SHEETS.par_iter().map(|k| table(site, *k)).collect();
    // The CSV first: it is written and freed before the workbook, which
    // then takes the tables' text over.
    let risks = &tables[SHEETS.iter().position(|k| *k == Kind::Risk).unwrap_or(0)];
    super::put(sink, CSV_PATH, csv::write(site, risks))?;
    let workbook =
        xlsx::workbook(site, audience, tables, log).map_err(|detail| super::RenderError {
            page: XLSX_PATH.into(),
            detail,
        })?;
    super::put(sink, XLSX_PATH, workbook)?;
    super::put(sink, SCHEMA_PATH, DATA_SCHEMA.as_bytes().to_vec())?;
    Ok(3)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_heading_and_sheet_is_in_both_catalogues() {
        for lang in [Lang::Zh, Lang::En] {
            for kind in SHEETS {
                assert!(lang.catalogue().contains_key(&sheet_key(kind)));
                for (_, key) in columns(kind) {
                    assert!(lang.catalogue().contains_key(*key), "{key}");
                }
            }
            for key in [
                "export.yes",
                "export.no",
                "export.step.start",
                "export.step.step",
                "export.step.decision",
                "export.step.end",
            ] {
                assert!(lang.catalogue().contains_key(key), "{key}");
            }
        }
    }

    #[test]
    fn headings_differ_within_a_sheet() {
        for lang in [Lang::Zh, Lang::En] {
            for kind in SHEETS {
                let mut names: Vec<String> = columns(kind)
                    .iter()
                    .map(|(_, k)| tr(lang, k, &[]))
                    .collect();
                let n = names.len();
                names.sort();
                names.dedup();
                assert_eq!(names.len(), n, "{kind:?} {lang:?}");
            }
        }
    }
}
