//! The booklet's main parts: flowcharts (one page or more each), the
//! register — one table per department, risks by grade (highest first)
//! then id, as `booklet.html` orders them — posts and shared measures.

use super::flows::FlowPictures;
use super::parts::{cell, centred_cell, small, table, Cell};
use super::style::{self, fonts, HEITI};
use super::{t, text, Body};
use crate::i18n::tr;
use crate::model::{Kind, MeasureUse, Risk, Site};
use crate::render::view::{RiskView, Views};
use docx_rs::{AlignmentType, LineSpacing, LineSpacingType, Paragraph, Pic, Run};

/// Each flow from a new page: its heading, its power, its pictures (later
/// pages headed "（续）").
pub fn flows(body: &mut Body, site: &Site, pictures: Vec<FlowPictures>) {
    if pictures.is_empty() {
        return;
    }
    let lang = site.config.lang();
    body.part(&t(lang, "ui.flows_title"));
    let continued = t(lang, "ui.booklet_flow_continued");
    for f in &pictures {
        let mut line = format!("{} {}", f.id, f.title);
        if let Some(p) = &f.power {
            line.push_str(&format!("（{p}）"));
        }
        body.p(Paragraph::new()
            .style(style::BODY)
            .add_run(Run::new().add_text(line)));
    }
    let mut n = 0;
    for f in pictures {
        let title = format!("{} {}", f.id, f.title);
        body.heading(&title, true);
        if let Some(p) = &f.power {
            body.p(Paragraph::new()
                .style(style::BODY)
                .add_run(Run::new().add_text(format!("{}：{p}", t(lang, "ui.col_power")))));
        }
        for (page, pic) in f.pages.into_iter().enumerate() {
            if page > 0 {
                body.p(Paragraph::new()
                    .style(style::H2)
                    .page_break_before(true)
                    .keep_next(true)
                    .outline_lvl(9)
                    .add_run(Run::new().add_text(format!("{title}{continued}"))));
            }
            n += 1;
            let image = Pic::new_with_dimensions(pic.png, pic.px.0, pic.px.1)
                .id(format!("rIdFlow{n}"))
                .size(pic.emu.0, pic.emu.1);
            body.p(Paragraph::new()
                .align(AlignmentType::Center)
                .line_spacing(
                    LineSpacing::new()
                        .line_rule(LineSpacingType::Auto)
                        .line(240)
                        .before(0)
                        .after(0),
                )
                .add_run(Run::new().add_image(image)));
        }
    }
}

/// Column widths of the register (mm): 序号, 编号, 风险点, 风险表现, 等级,
/// 防控措施, 责任人.
const REGISTER: [f64; 7] = [10.0, 16.0, 28.0, 34.0, 11.0, 43.5, 13.5];
/// Characters of five-point text per line in the widest text columns.
const CHARS: [usize; 3] = [6, 8, 10];

/// The register: per department (in id order, risks without a visible
/// department last) a heading with its count and one table.
pub fn register(body: &mut Body, site: &Site, v: &Views) {
    let lang = site.config.lang();
    body.part(&t(lang, "ui.register_title"));
    let head: Vec<String> = [
        "ui.docx_col_no",
        "ui.col_id",
        "ui.col_risk",
        "ui.manifestation",
        "ui.docx_col_grade",
        "ui.col_measure",
        "ui.docx_col_owner",
    ]
    .iter()
    .map(|k| t(lang, k))
    .collect();
    let mut groups: Vec<(String, Vec<usize>)> = site
        .departments
        .iter()
        .map(|d| (d.meta.id.clone(), Vec::new()))
        .collect();
    let mut none = Vec::new();
    for (i, r) in v.risks.iter().enumerate() {
        let at = r
            .department
            .as_ref()
            .and_then(|d| groups.iter().position(|g| g.0 == d.id));
        match at {
            Some(g) => groups[g].1.push(i),
            None => none.push(i),
        }
    }
    let no_department = t(lang, "ui.booklet_no_department");
    let titled = groups
        .into_iter()
        .map(|(id, list)| {
            let title = v.r(Kind::Department, &id).map_or(id, |d| d.title);
            (title, list)
        })
        .chain(std::iter::once((no_department, none)));
    for (i, (title, mut list)) in titled.filter(|g| !g.1.is_empty()).enumerate() {
        list.sort_by_key(|&r| v.risks[r].grade.rank);
        let count = tr(
            lang,
            "ui.booklet_risk_count",
            &[("n", list.len().to_string())],
        );
        body.heading(&format!("{title}{count}"), i > 0);
        let rows = list
            .iter()
            .enumerate()
            .map(|(n, &r)| risk_row(site, &site.risks[r], &v.risks[r], n + 1))
            .collect();
        body.table(table(&REGISTER, &head, rows));
    }
}

/// One risk's row and the lines it is estimated to take.
fn risk_row(site: &Site, risk: &Risk, r: &RiskView, n: usize) -> (Vec<Cell>, usize) {
    let lang = site.config.lang();
    let label = |key: &str, value: &str| small(&format!("{}：{value}", t(lang, key)));
    let mut what = vec![Paragraph::new()
        .style(style::CELL)
        .add_run(Run::new().add_text(&r.link.title).fonts(fonts(HEITI)))];
    let kind = match &r.tier {
        Some(tier) => format!("{}（{tier}）", r.risk_type),
        None => r.risk_type.clone(),
    };
    what.push(label("ui.col_type", &kind));
    let posts: Vec<&str> = r.posts.iter().map(|p| p.title.as_str()).collect();
    if !posts.is_empty() {
        what.push(label("ui.col_posts", &posts.join("、")));
    }
    let powers: Vec<&str> = r.powers.iter().map(|p| p.title.as_str()).collect();
    if !powers.is_empty() {
        what.push(label("ui.col_power", &powers.join("、")));
    }
    let shown = text::paragraphs(site, &risk.meta.body, style::CELL);
    let mut grade = centred_cell(&r.grade.name);
    if let Some(score) = r.score {
        grade.push(
            Paragraph::new()
                .style(style::CELL)
                .align(AlignmentType::Center)
                .add_run(Run::new().add_text(format!("({score})"))),
        );
    }
    let (measures, measure_chars) = measures(site, risk);
    let mut measure_cell = measures;
    if !r.basis.is_empty() {
        measure_cell.push(label("ui.basis", &r.basis.join("；")));
    }
    let owner = r.owner.clone().or_else(|| r.grade.owner.clone());
    // Lines: the tallest of the three text columns.
    let what_chars =
        r.link.title.chars().count() + kind.chars().count() + 8 * (1 + posts.len() + powers.len());
    let body_chars = text::one_line(site, &risk.meta.body).chars().count();
    let basis: usize = r.basis.iter().map(|b| b.chars().count()).sum();
    let lines = [
        what_chars / CHARS[0] + 3,
        body_chars / CHARS[1] + 1,
        (measure_chars + basis) / CHARS[2] + measure_cell.len(),
    ]
    .into_iter()
    .max()
    .unwrap_or(1);
    let cells = vec![
        centred_cell(n.to_string()),
        cell(&r.link.id),
        what,
        shown,
        grade,
        measure_cell,
        cell(owner.unwrap_or_default()),
    ];
    (cells, lines)
}

/// A risk's measures by phase (the config's order, then the others): the
/// phase in 黑体, each measure numbered with its category; a shared measure
/// shows its title. Also the characters written, for the row's height.
fn measures(site: &Site, risk: &Risk) -> (Vec<Paragraph>, usize) {
    let lang = site.config.lang();
    let mut phases: Vec<(Option<String>, Vec<String>)> = site
        .config
        .phases
        .iter()
        .map(|p| (Some(p.clone()), Vec::new()))
        .collect();
    let mut other = Vec::new();
    for m in &risk.measures {
        let (phase, category, text) = match m {
            MeasureUse::Inline {
                phase,
                category,
                text,
            } => (phase, category, text::one_line(site, text)),
            MeasureUse::Shared { id } => match site.measure(id) {
                Some(s) => (&s.phase, &s.category, s.meta.title.clone()),
                None => continue,
            },
        };
        let line = match category {
            Some(c) => format!("【{c}】{text}"),
            None => text,
        };
        match phases.iter_mut().find(|p| p.0.as_ref() == phase.as_ref()) {
            Some(p) => p.1.push(line),
            None => other.push(line),
        }
    }
    phases.push((Some(t(lang, "ui.phase_other")), other));
    let mut out = Vec::new();
    let mut chars = 0;
    for (phase, lines) in phases.into_iter().filter(|p| !p.1.is_empty()) {
        out.push(
            Paragraph::new().style(style::CELL).add_run(
                Run::new()
                    .add_text(phase.unwrap_or_default())
                    .fonts(fonts(HEITI)),
            ),
        );
        for (i, l) in lines.iter().enumerate() {
            chars += l.chars().count() + 3;
            out.push(small(&format!("{}. {l}", i + 1)));
        }
    }
    if out.is_empty() {
        out.push(small(&t(lang, "ui.none")));
    }
    (out, chars)
}

/// The posts: id, post (with its holders where the audience sees them),
/// department, level, key/high-risk, its risks with their grades.
pub fn posts(body: &mut Body, site: &Site, v: &Views) {
    if site.posts.is_empty() {
        return;
    }
    let lang = site.config.lang();
    body.part(&t(lang, "ui.posts_title"));
    let rows = site
        .posts
        .iter()
        .map(|p| {
            let ids = crate::model::ids(&site.links.post_risks, &p.meta.id).to_vec();
            let risks: Vec<String> = v
                .risks_of(&ids)
                .iter()
                .map(|r| format!("{}（{}）", r.link.id, r.grade.name))
                .collect();
            let mut title = cell(&p.meta.title);
            let holders: Vec<&str> = p.holders.iter().map(|h| h.name.as_str()).collect();
            if !holders.is_empty() {
                title.push(small(&format!(
                    "{}：{}",
                    t(lang, "ui.holders"),
                    holders.join("、")
                )));
            }
            let mut flags = Vec::new();
            if p.key {
                flags.push(t(lang, "ui.key_post"));
            }
            if p.high_risk {
                flags.push(t(lang, "ui.high_risk_post"));
            }
            let lines = 2 + risks.len() / 2 + holders.len() / 4;
            let cells = vec![
                cell(&p.meta.id),
                title,
                cell(
                    v.ro(Kind::Department, &p.department)
                        .map(|d| d.title)
                        .unwrap_or_default(),
                ),
                cell(p.level.clone().unwrap_or_default()),
                cell(flags.join("、")),
                cell(risks.join("、")),
            ];
            (cells, lines)
        })
        .collect();
    let head = [
        t(lang, "ui.col_id"),
        t(lang, "ui.col_post"),
        t(lang, "ui.col_department"),
        t(lang, "ui.level"),
        t(lang, "ui.col_flags"),
        t(lang, "ui.booklet_post_risks"),
    ];
    body.table(table(&[18.0, 34.0, 28.0, 22.0, 22.0, 32.0], &head, rows));
}

/// The shared measures: each a heading, its phase and category, its text.
pub fn measures_part(body: &mut Body, site: &Site) {
    if site.measures.is_empty() {
        return;
    }
    let lang = site.config.lang();
    body.part(&t(lang, "ui.booklet_measures"));
    for m in &site.measures {
        body.subheading(&format!("{} {}", m.meta.id, m.meta.title));
        let mut facts = Vec::new();
        if let Some(p) = &m.phase {
            facts.push(format!("{}：{p}", t(lang, "ui.phase")));
        }
        if let Some(c) = &m.category {
            facts.push(format!("{}：{c}", t(lang, "ui.category")));
        }
        if !facts.is_empty() {
            body.p(caption_left(&facts.join("　")));
        }
        for p in text::paragraphs(site, &m.meta.body, style::BODY) {
            body.p(p);
        }
    }
}

fn caption_left(text: &str) -> Paragraph {
    Paragraph::new()
        .style(style::BODY)
        .add_run(Run::new().add_text(text))
}
