//! The grade-summary charts of an audience's site, each with the table of
//! its numbers (every grade listed, zeros included).

use super::charts::{self, ChartText, GradeKey, Row};
use super::Chart;
use crate::i18n::{tr, Lang};
use crate::model::{Risk, Site};
use std::collections::BTreeMap;

/// Per-grade risk counts of another version, read from its `data.json`.
#[derive(Debug, Clone)]
pub struct VersionCounts {
    pub version: String,
    pub counts: Vec<u32>,
}

fn keys(site: &Site) -> Vec<GradeKey> {
    site.config
        .grades
        .iter()
        .map(|g| GradeKey {
            name: g.name.clone(),
            color: g.color.clone(),
        })
        .collect()
}

fn text(lang: Lang, title_key: &str) -> ChartText {
    ChartText {
        title: tr(lang, title_key, &[]),
        count_axis: tr(lang, "ui.chart_count", &[]),
        likelihood: tr(lang, "ui.chart_likelihood", &[]),
        impact: tr(lang, "ui.chart_impact", &[]),
    }
}

fn head(site: &Site, first: &str) -> Vec<String> {
    let lang = site.config.lang();
    let mut h = vec![tr(lang, first, &[])];
    h.extend(site.config.grades.iter().map(|g| g.name.clone()));
    h.push(tr(lang, "ui.chart_total", &[]));
    h
}

fn table_rows(rows: &[Row]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|r| {
            let mut cells = vec![r.label.clone()];
            cells.extend(r.counts.iter().map(u32::to_string));
            cells.push(r.counts.iter().sum::<u32>().to_string());
            cells
        })
        .collect()
}

/// A row per label: the risks whose `label_of` it is, per grade. Each
/// risk's label is found once (a register has thousands of risks).
fn by<'a>(
    site: &'a Site,
    label_of: impl Fn(&'a Risk) -> Option<String>,
    labels: Vec<String>,
) -> Vec<Row> {
    let mut per_label: std::collections::HashMap<String, Vec<&'a Risk>> =
        labels.iter().map(|l| (l.clone(), Vec::new())).collect();
    for r in &site.risks {
        if let Some(list) = label_of(r).and_then(|l| per_label.get_mut(&l)) {
            list.push(r);
        }
    }
    labels
        .into_iter()
        .map(|label| Row {
            counts: site.grade_counts(per_label[&label].iter().copied()),
            label,
        })
        .collect()
}

/// (1) risks per grade.
pub fn grades_chart(site: &Site, risks: &[&Risk], id: &str) -> Chart {
    let lang = site.config.lang();
    let counts = site.grade_counts(risks.iter().copied());
    let t = text(lang, "ui.chart_grades");
    let row = Row {
        label: tr(lang, "ui.chart_all", &[]),
        counts: counts.clone(),
    };
    Chart {
        id: id.into(),
        title: t.title.clone(),
        svg: charts::grade_bars(&keys(site), &counts, &t),
        head: head(site, "ui.chart_scope"),
        rows: table_rows(&[row]),
    }
}

/// (2) department × grade.
pub fn departments_chart(site: &Site) -> Chart {
    let lang = site.config.lang();
    let rows = by(
        site,
        |r| {
            r.department
                .as_ref()
                .and_then(|d| site.department(d))
                .map(|d| d.meta.title.clone())
        },
        site.departments
            .iter()
            .map(|d| d.meta.title.clone())
            .collect(),
    );
    let t = text(lang, "ui.chart_departments");
    Chart {
        id: "departments".into(),
        title: t.title.clone(),
        svg: charts::stacked_rows(&keys(site), &rows, &t),
        head: head(site, "ui.col_department"),
        rows: table_rows(&rows),
    }
}

/// (3) type × grade.
pub fn types_chart(site: &Site) -> Chart {
    let lang = site.config.lang();
    let rows = by(
        site,
        |r| Some(r.risk_type.clone()),
        site.config.risk_types.clone(),
    );
    let t = text(lang, "ui.chart_types");
    Chart {
        id: "types".into(),
        title: t.title.clone(),
        svg: charts::stacked_rows(&keys(site), &rows, &t),
        head: head(site, "ui.col_type"),
        rows: table_rows(&rows),
    }
}

/// (4) the 5×5 likelihood × impact matrix, when any risk has a score.
pub fn matrix_chart(site: &Site) -> Option<Chart> {
    let lang = site.config.lang();
    let mut cells = [[0u32; 5]; 5];
    let mut any = false;
    for r in &site.risks {
        if let (Some(l), Some(i)) = (r.likelihood, r.impact) {
            cells[usize::from(l - 1).min(4)][usize::from(i - 1).min(4)] += 1;
            any = true;
        }
    }
    if !any {
        return None;
    }
    let t = text(lang, "ui.chart_matrix");
    let grade_of = |score: u32| Some(site.config.grade_for_score(score));
    let mut head = vec![tr(lang, "ui.chart_matrix_corner", &[])];
    head.extend((1..=5).map(|i| i.to_string()));
    let rows = (1..=5)
        .rev()
        .map(|l| {
            let mut row = vec![l.to_string()];
            row.extend((1..=5).map(|i| cells[l - 1][i - 1].to_string()));
            row
        })
        .collect();
    Some(Chart {
        id: "matrix".into(),
        title: t.title.clone(),
        svg: charts::matrix_graded(&cells, &keys(site), &grade_of, &t),
        head,
        rows,
    })
}

/// (5) counts per grade across versions (this one included).
pub fn versions_chart(site: &Site, history: &[VersionCounts]) -> Chart {
    let lang = site.config.lang();
    let rows: Vec<Row> = history
        .iter()
        .map(|v| Row {
            label: v.version.clone(),
            counts: v.counts.clone(),
        })
        .collect();
    let t = text(lang, "ui.chart_versions");
    Chart {
        id: "versions".into(),
        title: t.title.clone(),
        svg: charts::grouped_versions(&keys(site), &rows, &t),
        head: head(site, "ui.chart_version"),
        rows: table_rows(&rows),
    }
}

/// Charts of the home page, the register and each department.
pub fn all(
    site: &Site,
    history: &[VersionCounts],
) -> (Vec<Chart>, Vec<Chart>, BTreeMap<String, Vec<Chart>>) {
    let all: Vec<&Risk> = site.risks.iter().collect();
    let mut home = vec![
        grades_chart(site, &all, "grades"),
        departments_chart(site),
        types_chart(site),
    ];
    home.extend(matrix_chart(site));
    home.push(versions_chart(site, history));
    let mut register = vec![types_chart(site)];
    register.extend(matrix_chart(site));
    let departments = site
        .departments
        .iter()
        .map(|d| {
            let risks: Vec<&Risk> = site
                .risks
                .iter()
                .filter(|r| r.department.as_deref() == Some(d.meta.id.as_str()))
                .collect();
            (
                d.meta.id.clone(),
                vec![grades_chart(site, &risks, "department-grades")],
            )
        })
        .collect();
    (home, register, departments)
}
