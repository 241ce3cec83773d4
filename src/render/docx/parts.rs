//! The booklet's front parts: cover, notice, summary tables, powers; and
//! the tables every part uses (a heading row that repeats on each page,
//! rows kept whole where they fit on a page).

use super::style::{self, fonts, mm, HEITI, XIAOBIAOSONG};
use super::{centred, t, text, Body};
use crate::i18n::{tr, Lang};
use crate::model::{Kind, Site};
use crate::render::view::Views;
use crate::render::Chart;
use docx_rs::{
    AlignmentType, LineSpacing, LineSpacingType, Paragraph, Run, Shading, Table, TableCell,
    TableCellMargins, TableLayoutType, TableRow, VAlignType, WidthType,
};

/// A cell: its paragraphs.
pub type Cell = Vec<Paragraph>;

/// A cell of one line of text.
pub fn cell(text: impl Into<String>) -> Cell {
    vec![Paragraph::new()
        .style(style::CELL)
        .add_run(Run::new().add_text(text.into()))]
}

/// A cell of one centred line of text.
pub fn centred_cell(text: impl Into<String>) -> Cell {
    vec![Paragraph::new()
        .style(style::CELL)
        .align(AlignmentType::Center)
        .add_run(Run::new().add_text(text.into()))]
}

/// Lines of table text a row of cells takes at most (five-point text,
/// 15 pt lines): rows up to a third of a page are kept whole, taller ones may break rather than leave half a page empty.
const KEEP_WHOLE_LINES: usize = 15;

/// A table as wide as the text block: columns of `widths` (mm, summing to
/// 156), a heading row `head` that repeats on each page, then `rows`; a row
/// whose estimated `lines` fit on a page is never split across pages.
pub fn table(widths: &[f64], head: &[String], rows: Vec<(Vec<Cell>, usize)>) -> Table {
    let twips: Vec<usize> = widths.iter().map(|w| mm(*w) as usize).collect();
    let heading_cells: Vec<Cell> = head
        .iter()
        .map(|h| {
            vec![Paragraph::new()
                .style(style::HEAD_CELL)
                .add_run(Run::new().add_text(h.clone()))]
        })
        .collect();
    let mut all = vec![row(heading_cells, &twips, true).cant_split()];
    for (cells, lines) in rows {
        let r = row(cells, &twips, false);
        all.push(if lines <= KEEP_WHOLE_LINES {
            r.cant_split()
        } else {
            r
        });
    }
    Table::new(all)
        .margins(TableCellMargins::new().margin(0, 57, 0, 57))
        .set_grid(twips)
        .width(style::TEXT_WIDTH as usize, WidthType::Dxa)
        .layout(TableLayoutType::Fixed)
}

/// One row of cells `twips` wide; a heading row shaded.
fn row(cells: Vec<Cell>, twips: &[usize], heading: bool) -> TableRow {
    let cells = cells
        .into_iter()
        .zip(twips)
        .map(|(paragraphs, w)| {
            let mut c = TableCell::new()
                .width(*w, WidthType::Dxa)
                .vertical_align(VAlignType::Center);
            if heading {
                c = c.shading(Shading::new().fill("E7E6E6").color("auto"));
            }
            if paragraphs.is_empty() {
                return c.add_paragraph(Paragraph::new().style(style::CELL));
            }
            paragraphs.into_iter().fold(c, TableCell::add_paragraph)
        })
        .collect();
    TableRow::new(cells)
}

/// The cover: unit, title, what the booklet is, audience, version and 文号,
/// the issuer and date at the foot; for a department's own booklet (`part`,
/// its id), which department.
pub fn cover(site: &Site, audience: usize, part: Option<&str>) -> Vec<Paragraph> {
    let cfg = &site.config;
    let lang = cfg.lang();
    let gap = |lines: usize| {
        (0..lines)
            .map(|_| Paragraph::new())
            .collect::<Vec<Paragraph>>()
    };
    let big = |text: &str, face: &str, size: usize| {
        Paragraph::new()
            .align(AlignmentType::Center)
            .line_spacing(
                LineSpacing::new()
                    .line_rule(LineSpacingType::Exact)
                    .line((size * 15) as i32),
            )
            .add_run(Run::new().add_text(text).fonts(fonts(face)).size(size))
    };
    let mut out = gap(2);
    out.push(big(&cfg.unit, HEITI, style::SANHAO));
    out.extend(gap(1));
    out.push(big(&cfg.title, XIAOBIAOSONG, style::ERHAO));
    out.extend(gap(1));
    out.push(big(
        &tr(lang, "ui.booklet_kind", &[("version", cfg.version.clone())]),
        HEITI,
        style::SANHAO,
    ));
    let part = part.and_then(|id| site.departments.iter().find(|d| d.meta.id == id));
    if let Some(d) = part {
        let title = d.meta.title.clone();
        let line = tr(lang, "ui.booklet_part_cover", &[("department", title)]);
        out.push(big(&line, HEITI, style::SIHAO));
    }
    out.extend(gap(3));
    let audience = &cfg.scopes[audience].label;
    out.push(centred(&format!("{}{audience}", t(lang, "ui.scope_label"))));
    out.push(centred(&format!(
        "{}{}",
        t(lang, "ui.version_label"),
        cfg.version
    )));
    if let Some(no) = &site.notice.doc_no {
        let no = crate::render::booklet::official_doc_no(no);
        out.push(centred(&format!("{}{no}", t(lang, "ui.booklet_doc_no"))));
    }
    out.extend(gap(3));
    if let Some(issuer) = &site.notice.issuer {
        out.push(centred(issuer));
    }
    if let Some(d) = &site.notice.date {
        out.push(centred(&date(lang, d)));
    }
    out
}

/// A date as the booklet writes it (`2025年3月1日`); other text as it is.
pub fn date(lang: Lang, d: &str) -> String {
    let p: Vec<&str> = d.split('-').collect();
    match p.as_slice() {
        [y, m, day] if crate::model::is_date(d) => tr(
            lang,
            "ui.date_ymd",
            &[
                ("y", y.to_string()),
                ("m", m.trim_start_matches('0').to_string()),
                ("d", day.trim_start_matches('0').to_string()),
                ("iso", d.to_string()),
            ],
        ),
        _ => d.to_string(),
    }
}

/// The notice: title, 文号, text, issuer and date on the right, the
/// 公示期 and where to send feedback.
pub fn notice(body: &mut Body, site: &Site) {
    let lang = site.config.lang();
    let n = &site.notice;
    let title = if n.title.is_empty() {
        &site.config.title
    } else {
        &n.title
    };
    body.part(title);
    if let Some(no) = &n.doc_no {
        body.p(centred(&crate::render::booklet::official_doc_no(no)));
    }
    for p in text::paragraphs(site, &n.body, style::BODY) {
        body.p(p);
    }
    let right = |text: &str| {
        Paragraph::new()
            .align(AlignmentType::Right)
            .indent(None, None, Some(640), None)
            .add_run(Run::new().add_text(text))
    };
    if n.issuer.is_some() || n.date.is_some() {
        body.p(Paragraph::new());
    }
    if let Some(issuer) = &n.issuer {
        body.p(right(issuer));
    }
    if let Some(d) = &n.date {
        body.p(right(&date(lang, d)));
    }
    if let Some(period) = &n.period {
        body.p(Paragraph::new()
            .style(style::BODY)
            .add_run(Run::new().add_text(format!(
                "{}{} {} {}",
                t(lang, "ui.period"),
                date(lang, &period.start),
                t(lang, "ui.to"),
                date(lang, &period.end)
            ))));
    }
    if !n.feedback.is_empty() {
        body.subheading(&t(lang, "ui.feedback"));
        for f in &n.feedback {
            body.p(Paragraph::new()
                .style(style::BODY)
                .add_run(Run::new().add_text(format!("{}：{}", f.label, f.value))));
        }
    }
}

/// The summary: counts of every kind, risks by grade with their default
/// owners, and the table of every chart of the home page (by grade, by
/// department, by type, …).
pub fn summary(body: &mut Body, site: &Site, charts: &[Chart]) {
    let lang = site.config.lang();
    body.part(&t(lang, "ui.summary"));
    let head: Vec<String> = [
        "ui.nav_risks",
        "ui.nav_powers",
        "ui.nav_flows",
        "ui.nav_posts",
        "ui.nav_departments",
        "ui.nav_measures",
    ]
    .iter()
    .map(|k| t(lang, k))
    .collect();
    let counts = [
        site.risks.len(),
        site.powers.len(),
        site.flows.len(),
        site.posts.len(),
        site.departments.len(),
        site.measures.len(),
    ];
    let row: Vec<Cell> = counts.iter().map(|n| centred_cell(n.to_string())).collect();
    body.p(caption(&t(lang, "ui.docx_counts")));
    body.table(table(&[26.0; 6], &head, vec![(row, 1)]));

    body.p(caption(&t(lang, "ui.booklet_grade_owners")));
    let grades = site.grade_counts(site.risks.iter());
    let rows = site
        .config
        .grades
        .iter()
        .zip(grades)
        .map(|(g, n)| {
            let cells = vec![
                centred_cell(&g.name),
                centred_cell(n.to_string()),
                cell(g.owner.clone().unwrap_or_default()),
            ];
            (cells, 1)
        })
        .collect();
    let head = [
        t(lang, "ui.col_grade"),
        t(lang, "ui.col_count"),
        t(lang, "ui.col_owner_default"),
    ];
    body.table(table(&[40.0, 40.0, 76.0], &head, rows));

    for c in charts
        .iter()
        .filter(|c| !c.head.is_empty() && !c.rows.is_empty())
    {
        body.p(caption(&c.title));
        let n = c.head.len() as f64;
        let first = (156.0 / n).clamp(36.0, 60.0);
        let rest = (156.0 - first) / (n - 1.0).max(1.0);
        let mut widths = vec![first];
        widths.extend(std::iter::repeat_n(rest, c.head.len() - 1));
        let rows = c
            .rows
            .iter()
            .map(|r| {
                let cells: Vec<Cell> = r
                    .iter()
                    .enumerate()
                    .map(|(i, x)| if i == 0 { cell(x) } else { centred_cell(x) })
                    .collect();
                (cells, 1)
            })
            .collect();
        body.table(table(&widths, &c.head, rows));
    }
}

/// A table's title.
pub fn caption(text: &str) -> Paragraph {
    Paragraph::new()
        .style(style::CAPTION)
        .keep_next(true)
        .add_run(Run::new().add_text(text))
}

/// The power list: id, power (with its basis), category, department,
/// time limit, how many risks.
pub fn powers(body: &mut Body, site: &Site, v: &Views) {
    if site.powers.is_empty() {
        return;
    }
    let lang = site.config.lang();
    body.part(&t(lang, "ui.powers_title"));
    let cfg = &site.config;
    let rank = |c: &Option<String>| {
        c.as_ref()
            .and_then(|c| cfg.power_categories.iter().position(|x| x == c))
            .unwrap_or(usize::MAX)
    };
    let mut list: Vec<_> = site.powers.iter().collect();
    list.sort_by_key(|p| rank(&p.category));
    let rows = list
        .iter()
        .map(|p| {
            let risks = site.links.power_risks.get(&p.meta.id).map_or(0, Vec::len);
            let mut title = cell(&p.meta.title);
            if !p.basis.is_empty() {
                title.push(small(&format!(
                    "{}：{}",
                    t(lang, "ui.power_basis"),
                    p.basis.join("；")
                )));
            }
            let lines = 2 + p.basis.iter().map(|b| b.chars().count()).sum::<usize>() / 12;
            let cells = vec![
                cell(&p.meta.id),
                title,
                cell(p.category.clone().unwrap_or_default()),
                cell(
                    v.ro(Kind::Department, &p.department)
                        .map(|d| d.title)
                        .unwrap_or_default(),
                ),
                cell(p.time_limit.clone().unwrap_or_default()),
                centred_cell(risks.to_string()),
            ];
            (cells, lines)
        })
        .collect();
    let head = [
        t(lang, "ui.col_id"),
        t(lang, "ui.col_power"),
        t(lang, "ui.category"),
        t(lang, "ui.col_department"),
        t(lang, "ui.time_limit"),
        t(lang, "ui.col_risk_count"),
    ];
    body.table(table(&[18.0, 52.0, 22.0, 28.0, 20.0, 16.0], &head, rows));
}

/// A paragraph of table text with its label in 黑体.
pub fn small(text: &str) -> Paragraph {
    Paragraph::new()
        .style(style::CELL)
        .add_run(Run::new().add_text(text))
}
