//! Which column is which: headings normalised (spaces, full-width forms,
//! hints in brackets) and matched against the common Chinese names of each
//! field, the export's own headings in both languages, and the config's
//! phases (`前期预防措施` columns). The header row is the row among the
//! first ones that matches the most headings (at least two), so merged
//! title rows, blank rows and two-row headers above it are passed over.

use crate::config::Config;
use crate::i18n::{tr, Lang};
use crate::model::Kind;
use crate::render::export::{columns, Field};

/// What a column of a ledger feeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Col {
    Field(Field),
    /// 序号: a running number, never used as an id.
    Seq,
    /// Measures of one phase (index into `config.phases`).
    Phase(usize),
}

/// How many rows from the top are searched for the header.
const HEADER_SEARCH: usize = 30;

/// Common names of each field, beyond the export headings.
fn synonyms(kind: Kind) -> &'static [(Field, &'static [&'static str])] {
    use Field::*;
    match kind {
        Kind::Risk => &[
            (Id, &["编号", "风险编号", "风险点编号", "代码", "id"]),
            (
                Title,
                &[
                    "风险点",
                    "风险点名称",
                    "风险描述",
                    "风险内容",
                    "廉政风险点",
                    "风险点描述",
                    "主要风险点",
                    "风险事项",
                    "风险名称",
                    "廉政风险点名称",
                ],
            ),
            (Grade, &["风险等级", "等级", "风险级别", "级别", "风险程度"]),
            (Type, &["风险类型", "类型", "类别", "风险类别", "风险种类"]),
            (Tier, &["风险层级", "层级", "风险层面", "层面"]),
            (
                Department,
                &[
                    "责任科室",
                    "科室",
                    "部门",
                    "责任部门",
                    "所在科室",
                    "所在部门",
                    "责任单位",
                    "科室单位",
                    "单位",
                ],
            ),
            (
                Posts,
                &[
                    "涉险岗位",
                    "岗位",
                    "风险岗位",
                    "涉及岗位",
                    "相关岗位",
                    "岗位名称",
                ],
            ),
            (
                Power,
                &[
                    "相关职权",
                    "职权",
                    "职权名称",
                    "权力事项",
                    "事项名称",
                    "涉及职权",
                ],
            ),
            (
                Likelihood,
                &["可能性", "发生可能性", "发生概率", "可能性评分"],
            ),
            (
                Impact,
                &["影响程度", "危害程度", "影响", "危害", "严重程度"],
            ),
            (
                Measures,
                &[
                    "防控措施",
                    "防范措施",
                    "措施",
                    "风险防控措施",
                    "防控举措",
                    "预防措施",
                    "主要防控措施",
                    "防范措施内容",
                ],
            ),
            (Owner, &["防控责任人", "责任人", "责任领导", "防控责任领导"]),
            (Basis, &["依据制度", "制度依据", "依据", "相关制度", "制度"]),
            (
                Body,
                &[
                    "风险表现",
                    "风险表现形式",
                    "表现形式",
                    "具体表现",
                    "风险说明",
                    "主要表现",
                ],
            ),
            (Reviewed, &["复核日期", "审核日期", "更新日期", "日期"]),
            (Scope, &["公示范围", "范围"]),
        ],
        Kind::Power => &[
            (Id, &["编号", "职权编号", "事项编码", "编码", "代码", "id"]),
            (
                Title,
                &[
                    "职权名称",
                    "事项名称",
                    "权力名称",
                    "权力事项",
                    "职权事项",
                    "职权",
                    "名称",
                    "事项",
                ],
            ),
            (
                Category,
                &[
                    "职权类别",
                    "职权类型",
                    "权力类别",
                    "权力类型",
                    "类别",
                    "类型",
                    "事项类型",
                ],
            ),
            (
                Department,
                &[
                    "责任科室",
                    "承办科室",
                    "实施科室",
                    "科室",
                    "部门",
                    "责任部门",
                    "承办机构",
                    "实施机构",
                ],
            ),
            (Posts, &["承办岗位", "涉及岗位", "岗位", "办理岗位"]),
            (
                Basis,
                &["行使依据", "依据", "法律依据", "设定依据", "实施依据"],
            ),
            (TimeLimit, &["办理时限", "时限", "承诺时限", "法定时限"]),
            (Materials, &["所需材料", "申请材料", "材料"]),
            (Fee, &["收费标准", "收费", "收费依据及标准", "是否收费"]),
            (Flow, &["流程图", "流程", "办理流程"]),
            (Body, &["职责要求", "责任事项", "职责"]),
            (Scope, &["公示范围", "范围"]),
        ],
        Kind::Post => &[
            (Id, &["编号", "岗位编号", "代码", "id"]),
            (Title, &["岗位名称", "岗位", "职位", "职务"]),
            (
                Department,
                &[
                    "所属科室",
                    "科室",
                    "部门",
                    "所在科室",
                    "所属部门",
                    "责任科室",
                ],
            ),
            (
                Level,
                &["岗位层级", "层级", "岗位级别", "岗位类别", "岗位类型"],
            ),
            (Key, &["关键岗位", "是否关键岗位"]),
            (HighRisk, &["高风险岗位", "是否高风险岗位"]),
            (ReportsTo, &["上级岗位", "直接上级"]),
            (Incompatible, &["不相容岗位", "不相容职务"]),
            (Rotation, &["交流年限", "轮岗年限", "轮岗期限"]),
            (
                Holders,
                &["在岗人员", "人员", "姓名", "现任人员", "任职人员"],
            ),
            (Body, &["岗位职责", "职责", "主要职责", "职责内容"]),
            (Scope, &["公示范围", "范围"]),
        ],
        _ => &[],
    }
}

/// Text made comparable: no spaces of any width, full-width letters,
/// digits and signs as ASCII, ASCII lower-cased.
pub fn norm(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            _ => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// A heading made comparable: [`norm`], without a trailing colon or
/// required-marker star, nor a hint in brackets (`风险等级（高/中/低）`).
pub fn norm_heading(s: &str) -> String {
    let mut h = norm(s);
    loop {
        let before = h.len();
        h = h.trim_matches(|c| c == '*' || c == ':').to_string();
        if h.ends_with(')') {
            if let Some(open) = h.rfind('(') {
                if open > 0 {
                    h.truncate(open);
                }
            }
        }
        if h.len() == before {
            return h;
        }
    }
}

/// Every heading a column may carry, normalised, with what it feeds.
pub fn known(kind: Kind, config: &Config) -> Vec<(String, Col)> {
    let mut out: Vec<(String, Col)> = Vec::new();
    let mut add = |h: &str, col: Col| {
        let h = norm_heading(h);
        if !h.is_empty() && !out.iter().any(|(k, _)| *k == h) {
            out.push((h, col));
        }
    };
    // the export's headings first: they are what a round trip meets
    for lang in [Lang::Zh, Lang::En] {
        for (field, key) in columns(kind) {
            add(&tr(lang, key, &[]), Col::Field(*field));
        }
    }
    add("序号", Col::Seq);
    add("no.", Col::Seq);
    for (field, names) in synonyms(kind) {
        for n in *names {
            add(n, Col::Field(*field));
        }
    }
    if kind == Kind::Risk {
        for (i, p) in config.phases.iter().enumerate() {
            add(p, Col::Phase(i));
            add(&format!("{p}措施"), Col::Phase(i));
        }
    }
    out
}

/// The column a heading names, if any.
pub fn lookup(known: &[(String, Col)], heading: &str) -> Option<Col> {
    let h = norm_heading(heading);
    known.iter().find(|(k, _)| *k == h).map(|(_, c)| *c)
}

/// The header: its index among `rows` and each column's meaning (the first
/// column wins when two headings mean the same), or `None` when no row
/// names two known headings.
pub fn find_header(
    rows: &[Vec<String>],
    known: &[(String, Col)],
) -> Option<(usize, Vec<Option<Col>>)> {
    let mut best: Option<(usize, usize)> = None;
    for (i, row) in rows.iter().take(HEADER_SEARCH).enumerate() {
        let hits = row.iter().filter(|c| lookup(known, c).is_some()).count();
        if hits >= 2 && best.is_none_or(|(_, n)| hits > n) {
            best = Some((i, hits));
        }
    }
    let (at, _) = best?;
    let mut seen = Vec::new();
    let cols = rows[at]
        .iter()
        .map(|c| {
            let col = lookup(known, c)?;
            if seen.contains(&col) {
                return None;
            }
            seen.push(col);
            Some(col)
        })
        .collect();
    Some((at, cols))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_are_normalised() {
        assert_eq!(norm_heading(" 风险　等级（高/中/低）："), "风险等级");
        assert_eq!(norm_heading("*防控措施"), "防控措施");
        assert_eq!(norm("ＡＢＣ　１２"), "abc12");
        assert_eq!(norm_heading("Rotation (years)"), "rotation");
    }

    #[test]
    fn header_row_below_a_title_and_blank_rows() {
        let cfg = Config::default();
        let k = known(Kind::Risk, &cfg);
        let rows: Vec<Vec<String>> = vec![
            vec!["某局廉政风险点台账".into(), String::new()],
            vec![String::new(), String::new()],
            vec![
                "序号".into(),
                "风险点名称".into(),
                "防范措施".into(),
                "备注".into(),
            ],
        ];
        let (at, cols) = find_header(&rows, &k).unwrap();
        assert_eq!(at, 2);
        assert_eq!(
            cols,
            vec![
                Some(Col::Seq),
                Some(Col::Field(Field::Title)),
                Some(Col::Field(Field::Measures)),
                None
            ]
        );
    }

    #[test]
    fn phase_columns() {
        let cfg = Config::default();
        let k = known(Kind::Risk, &cfg);
        assert_eq!(lookup(&k, "中期监控措施"), Some(Col::Phase(1)));
    }
}
