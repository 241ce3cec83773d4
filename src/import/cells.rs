//! Reading the values office ledgers put in cells: numbered lists
//! ("1、…2、…", "（1）…", "1.…", ①…, one per line), lists of names,
//! yes/no marks, numbers with units, dates in the usual Chinese forms,
//! values from the config's lists, grades, measure tags.

use super::headers::norm;
use crate::config::Config;

/// Whether `c` shows as nothing at a cell's edge: spaces of any width
/// (full-width U+3000, no-break U+00A0) and the zero-width characters
/// text copied from web pages and Word brings along.
fn blank(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}')
}

/// A cell's text without blank edges (full-width spaces included) and
/// with each line trimmed.
pub fn clean(s: &str) -> String {
    let lines: Vec<&str> = s.lines().map(|l| l.trim_matches(blank)).collect();
    lines.join("\n").trim_matches(blank).to_string()
}

/// A numbering marker at byte `at` of `s`: its number and length.
fn marker(s: &str, at: usize) -> Option<(u32, usize)> {
    let rest = &s[at..];
    let first = rest.chars().next()?;
    if let Some(n) = circled(first) {
        return Some((n, first.len_utf8()));
    }
    let (open, inner) = match first {
        '(' | '（' => (first.len_utf8(), &rest[first.len_utf8()..]),
        _ => (0, rest),
    };
    let digits: String = inner.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() || digits.len() > 2 {
        return None;
    }
    let n: u32 = digits.parse().ok()?;
    let after = inner[digits.len()..].chars().next()?;
    let ok = if open > 0 {
        matches!(after, ')' | '）')
    } else {
        matches!(after, '、' | '.' | '．' | '，' | ',')
    };
    // "1.5倍" is a number, not an item
    if after == '.' && inner[digits.len() + 1..].starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    ok.then_some((n, open + digits.len() + after.len_utf8()))
}

fn circled(c: char) -> Option<u32> {
    match c {
        '①'..='⑳' => Some(c as u32 - '①' as u32 + 1),
        _ => None,
    }
}

/// Where an item may start: the beginning, after a line break, a space or
/// a sentence's end.
fn boundary(prev: Option<char>) -> bool {
    match prev {
        None => true,
        Some(c) => c == '\n' || c.is_whitespace() || "。；;！!？?".contains(c),
    }
}

/// A numbered cell split into its items; an unnumbered one by line and at
/// `；`/`;` outside brackets. Markers count 1, 2, 3… in order, so
/// "第三十七条、" or "3 个工作日" inside an item never split it. A
/// trailing `；` or `;` is dropped.
pub fn split_items(s: &str) -> Vec<String> {
    let s = clean(s);
    let mut cuts: Vec<(usize, usize)> = Vec::new(); // (start of marker, start of text)
    let mut expected = 1;
    let mut prev: Option<char> = None;
    for (i, c) in s.char_indices() {
        // circled numbers mark items wherever they stand
        if boundary(prev) || circled(c).is_some() {
            if let Some((n, len)) = marker(&s, i) {
                if n == expected {
                    cuts.push((i, i + len));
                    expected += 1;
                }
            }
        }
        prev = Some(c);
    }
    let numbered = cuts
        .first()
        .is_some_and(|(start, _)| s[..*start].trim().is_empty());
    let items: Vec<String> = if numbered {
        cuts.iter()
            .enumerate()
            .map(|(k, (_, from))| {
                let to = cuts.get(k + 1).map_or(s.len(), |(next, _)| *next);
                s[*from..to].to_string()
            })
            .collect()
    } else {
        s.lines()
            .flat_map(|l| split_outside(l, "；;", None))
            .collect()
    };
    items
        .into_iter()
        .map(|t| {
            let t = clean(&t.replace('\n', ""));
            t.trim_end_matches(['；', ';']).trim().to_string()
        })
        .filter(|t| !t.is_empty())
        .collect()
}

/// `s` cut at each of `seps` that stands outside brackets and quotes
/// (`副局长（分管审批、规划）` stays whole), but not where what follows
/// starts with `joined` (`第三十八条` continues the entry before it);
/// parts trimmed, empty ones dropped.
fn split_outside(s: &str, seps: &str, joined: Option<char>) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut depth = 0usize;
    for (i, c) in s.char_indices() {
        match c {
            '（' | '(' | '《' | '【' | '“' | '[' => depth += 1,
            '）' | ')' | '》' | '】' | '”' | ']' => depth = depth.saturating_sub(1),
            _ => {}
        }
        let rest = s[i + c.len_utf8()..].trim_start_matches(blank);
        let continues = joined.is_some_and(|j| rest.starts_with(j));
        if depth == 0 && seps.contains(c) && !continues {
            out.push(std::mem::take(&mut cur));
        } else {
            cur.push(c);
        }
    }
    out.push(cur);
    out.into_iter()
        .map(|x| x.trim_matches(blank).to_string())
        .filter(|x| !x.is_empty())
        .collect()
}

/// A list of names: split at 、，,；; / and line breaks, but not inside
/// brackets (`副局长（分管审批、规划）` is one name).
pub fn split_names(s: &str) -> Vec<String> {
    split_outside(s, "、，,；;/／\n", None)
}

/// A list of regulations: the items of [`split_items`], each cut further
/// at 、，, outside brackets when every part is a title in 《》 (a part
/// starting with 第 continues the one before it:
/// `《土地管理法》第三十七条、第三十八条` is one entry). Other items stay
/// whole (`建设项目批准、核准或者备案文件` is one material).
pub fn split_basis(s: &str) -> Vec<String> {
    split_items(s)
        .into_iter()
        .flat_map(|item| {
            let parts = split_outside(&item, "、，,", Some('第'));
            if parts.iter().all(|p| p.starts_with('《')) {
                parts
            } else {
                vec![item]
            }
        })
        .collect()
}

/// A yes/no mark: 是/否, √/×, Y/N, yes/no, true/false, 1/0.
pub fn yes_no(s: &str) -> Option<bool> {
    let t = norm(s);
    match t.as_str() {
        "是" | "√" | "✓" | "✔" | "y" | "yes" | "true" | "1" | "★" | "●" => Some(true),
        "否" | "×" | "✗" | "n" | "no" | "false" | "0" | "" | "-" | "/" | "无" => Some(false),
        _ => None,
    }
}

/// The first whole number in a cell (`5年`, `3 分`).
pub fn number(s: &str) -> Option<u32> {
    let t = norm(s);
    let digits: String = t
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(char::is_ascii_digit)
        .collect();
    let rest_has_digits = t
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .skip_while(char::is_ascii_digit)
        .any(|c| c.is_ascii_digit());
    if rest_has_digits {
        return None; // "3-4", "1.5": not one whole number
    }
    digits.parse().ok()
}

/// A date as `YYYY-MM-DD` from `2025-05-20`, `2025/5/20`, `2025.5.20`,
/// `2025年5月20日` (or 号), `20250520`, full-width digits, with or
/// without a time after it (`2025/5/20 0:00`, as a date cell saved to CSV
/// gives). A date cell of a workbook arrives as `YYYY-MM-DD` already.
pub fn date(s: &str) -> Option<String> {
    let t = norm(without_time(s));
    let parts: Vec<&str> = t
        .split(['-', '/', '.', '年', '月', '日', '号'])
        .filter(|p| !p.is_empty())
        .collect();
    let (y, m, d): (u32, u32, u32) = match parts.as_slice() {
        [y, m, d] => (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?),
        [all] if all.len() == 8 && all.bytes().all(|b| b.is_ascii_digit()) => (
            all[..4].parse().ok()?,
            all[4..6].parse().ok()?,
            all[6..].parse().ok()?,
        ),
        _ => return None,
    };
    let out = format!("{y:04}-{m:02}-{d:02}");
    crate::model::is_date(&out).then_some(out)
}

/// `s` without a time of day after the date (` 0:00`, ` 10:30:00`,
/// `T08:00:00`).
fn without_time(s: &str) -> &str {
    let s = s.trim_matches(blank);
    let Some(colon) = s.find([':', '：']) else {
        return s;
    };
    let before = s[..colon].trim_end_matches(|c: char| c.is_ascii_digit());
    match before.strip_suffix(['T', ' ', '\u{3000}']) {
        Some(date) => date,
        None => s,
    }
}

/// Post holders, one a line or separated by 、: `陈某（2023-02-01）`,
/// `陈某 2023-02-01` or just `陈某`.
pub fn holders(s: &str) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    for part in clean(s).split(['\n', '、', '，', ',', '；', ';']) {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let (name, rest) = match part.find(['（', '(', ' ', '\u{3000}']) {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        let rest = rest.trim_matches(|c: char| c.is_whitespace() || "（()）起".contains(c));
        out.push((name.trim().to_string(), date(rest)));
    }
    out
}

/// A value from `allowed`: `(value, guessed)`. Exact; or equal once
/// normalised or without a 风险/岗位/层面 suffix, or one allowed value
/// containing it (or contained in it) — those are guesses.
pub fn choose(v: &str, allowed: &[String]) -> Option<(String, bool)> {
    let v = v.trim();
    if let Some(a) = allowed.iter().find(|a| a.as_str() == v) {
        return Some((a.clone(), false));
    }
    let strip = |s: &str| -> String {
        let n = norm(s);
        ["风险", "层面", "类"].iter().fold(n, |acc, suf| {
            acc.strip_suffix(suf).map_or(acc.clone(), str::to_string)
        })
    };
    let sv = strip(v);
    if sv.is_empty() {
        return None;
    }
    if let Some(a) = allowed.iter().find(|a| strip(a) == sv) {
        return Some((a.clone(), true));
    }
    let near: Vec<&String> = allowed
        .iter()
        .filter(|a| {
            let sa = strip(a);
            sa.contains(&sv) || sv.contains(&sa)
        })
        .collect();
    (near.len() == 1).then(|| (near[0].clone(), true))
}

/// A value without spaces (full-width ones included), full-width letters,
/// digits and punctuation as half-width; case kept (`Ⅱ` stays `Ⅱ`).
fn fold(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// The grade a cell names: `(index, guessed)`. Read for certain: a
/// grade's name or alias (spaces and full-width forms aside, `级` after an
/// alias: `B级`), or its position in the config's list (`2级`, `２`, `二`,
/// `第二级` → the second grade) through
/// [`crate::model::fields::grade_by_position`], the reading `check` gives
/// `grade:` — so only when unambiguous. Guessed (noted): with `风险` or
/// `等` after it (`高风险`, `二级风险`). Anything else is `None`, never a
/// nearest grade.
pub fn grade(config: &Config, v: &str) -> Option<(usize, bool)> {
    let folded = fold(v);
    let named = |s: &str| -> Option<usize> {
        let n = norm(s);
        config.grades.iter().position(|g| {
            std::iter::once(&g.name)
                .chain(&g.aliases)
                .any(|a| norm(a) == n)
        })
    };
    let certain = |s: &str| {
        config
            .grade_index(s)
            .or_else(|| named(s))
            .or_else(|| crate::model::fields::grade_by_position(config, s))
            .or_else(|| s.strip_suffix('级').and_then(named))
    };
    if let Some(i) = certain(&folded) {
        return Some((i, false));
    }
    let bare = folded.trim_end_matches("风险");
    let guess = [bare, bare.trim_end_matches('等')]
        .into_iter()
        .filter(|t| !t.is_empty() && *t != folded)
        .find_map(certain);
    guess.map(|i| (i, true))
}

/// `【前期预防·制度】text` → (phase, category, text), when every part of
/// the tag is a configured phase or category; otherwise the item as it is.
pub fn tag(cfg: &Config, item: &str) -> (Option<String>, Option<String>, String) {
    let none = (None, None, item.to_string());
    let Some(rest) = item.strip_prefix('【') else {
        return none;
    };
    let Some(close) = rest.find('】') else {
        return none;
    };
    let (inner, text) = (&rest[..close], rest[close + '】'.len_utf8()..].trim());
    let (mut phase, mut category) = (None, None);
    for part in inner.split(['·', '、', '/', ' ']).filter(|p| !p.is_empty()) {
        if cfg.phases.iter().any(|p| p == part) {
            phase = Some(part.to_string());
        } else if cfg.measure_categories.iter().any(|c| c == part) {
            category = Some(part.to_string());
        } else {
            return none;
        }
    }
    (phase, category, text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_items_on_one_line_and_on_several() {
        assert_eq!(
            split_items("1、公开清单；2、每周抽查；3、电子监察。"),
            vec!["公开清单", "每周抽查", "电子监察。"]
        );
        assert_eq!(
            split_items("（1）两人以上踏勘\n（2）集体审议"),
            vec!["两人以上踏勘", "集体审议"]
        );
        assert_eq!(
            split_items("1.一次告知\n2.限时办结"),
            vec!["一次告知", "限时办结"]
        );
        assert_eq!(split_items("①甲②乙"), vec!["甲", "乙"]);
    }

    #[test]
    fn numbers_inside_items_do_not_split() {
        assert_eq!(
            split_items("1、依照第三十七条、第三十八条审查；2、3 个工作日内答复"),
            vec!["依照第三十七条、第三十八条审查", "3 个工作日内答复"]
        );
        assert_eq!(split_items("按1.5倍计算"), vec!["按1.5倍计算"]);
        assert_eq!(split_items("甲\n乙"), vec!["甲", "乙"]);
        assert_eq!(split_items("  "), Vec::<String>::new());
    }

    #[test]
    fn values() {
        assert_eq!(
            split_names("审批员、科长，窗口人员"),
            vec!["审批员", "科长", "窗口人员"]
        );
        assert_eq!(
            split_names("副局长（分管审批、规划）、审批员"),
            vec!["副局长（分管审批、规划）", "审批员"]
        );
        assert_eq!(yes_no("√"), Some(true));
        assert_eq!(yes_no("否"), Some(false));
        assert_eq!(yes_no("也许"), None);
        assert_eq!(number("5年"), Some(5));
        assert_eq!(number("３"), Some(3));
        assert_eq!(number("3-4"), None);
        assert_eq!(date("2025年5月20日").as_deref(), Some("2025-05-20"));
        assert_eq!(date("2025/5/2").as_deref(), Some("2025-05-02"));
        assert_eq!(date("下月"), None);
        assert_eq!(
            holders("陈某（2023-02-01）\n褚某某"),
            vec![
                ("陈某".to_string(), Some("2023-02-01".to_string())),
                ("褚某某".to_string(), None)
            ]
        );
    }

    #[test]
    fn choices_and_grades() {
        let cfg = Config::default();
        assert_eq!(
            choose("业务流程", &cfg.risk_types),
            Some(("业务流程".into(), false))
        );
        assert_eq!(
            choose("业务流程风险", &cfg.risk_types),
            Some(("业务流程".into(), true))
        );
        assert_eq!(choose("廉洁", &cfg.risk_types), None);
        assert_eq!(grade(&cfg, "一级"), Some((0, false)));
        assert_eq!(grade(&cfg, "高风险"), Some((0, true)));
        assert_eq!(grade(&cfg, "二级风险"), Some((1, true)));
        assert_eq!(grade(&cfg, "Ｃ"), Some((2, false)));
        assert_eq!(grade(&cfg, "极高"), None);
    }

    #[test]
    fn grades_as_offices_type_them() {
        let cfg = Config::default();
        for v in [
            "2级",
            "２级",
            "2",
            "二",
            "Ⅱ",
            "B",
            "二 级",
            "Ⅱ级",
            "b级",
            "第二级",
            " 二级　",
        ] {
            assert_eq!(grade(&cfg, v), Some((1, false)), "{v}");
        }
        assert_eq!(grade(&cfg, "1"), Some((0, false)));
        assert_eq!(grade(&cfg, "3级"), Some((2, false)));
        assert_eq!(grade(&cfg, "3级风险"), Some((2, true)));
        for v in ["4级", "0", "2-3", "1.5", "高中", "二三级", "12"] {
            assert_eq!(grade(&cfg, v), None, "{v}");
        }
        // listed from low to high, 3级 could mean two grades: never guessed
        let mut low_first = Config::default();
        low_first.grades.reverse();
        assert_eq!(grade(&low_first, "三级"), Some((0, false)));
        assert_eq!(grade(&low_first, "3级"), None);
        assert_eq!(grade(&low_first, "1"), None);
        assert_eq!(grade(&low_first, "A"), Some((2, false)));
    }

    #[test]
    fn lists_dates_and_edges_as_offices_type_them() {
        assert_eq!(
            split_items("公开清单；每周抽查;电子监察"),
            vec!["公开清单", "每周抽查", "电子监察"]
        );
        assert_eq!(
            split_items("建设项目批准、核准或者备案文件\n规划图"),
            vec!["建设项目批准、核准或者备案文件", "规划图"]
        );
        assert_eq!(
            split_basis("依据《行政许可法》，按《城乡规划法》办理"),
            vec!["依据《行政许可法》，按《城乡规划法》办理"]
        );
        assert_eq!(
            split_basis("《行政许可法》、《土地管理法》第三十七条、第三十八条；《城乡规划法》"),
            vec![
                "《行政许可法》",
                "《土地管理法》第三十七条、第三十八条",
                "《城乡规划法》"
            ]
        );
        assert_eq!(
            split_names("审批员\r\n科长；出纳"),
            vec!["审批员", "科长", "出纳"]
        );
        for v in [
            "20250520",
            "2025/5/20 0:00",
            "2025-05-20 10:30:00",
            "2025-05-20T08:00:00",
            "２０２５年５月２０号",
            " 2025.5.20　",
        ] {
            assert_eq!(date(v).as_deref(), Some("2025-05-20"), "{v}");
        }
        for v in ["2025年5月", "45797", "2025-02-30", "5/20"] {
            assert_eq!(date(v), None, "{v}");
        }
        assert_eq!(clean("\u{3000} 窗口受理\u{200b}\u{a0}"), "窗口受理");
        assert_eq!(clean("\u{feff}甲\u{3000}\n\u{3000}乙 "), "甲\n乙");
    }

    #[test]
    fn measure_tags() {
        let cfg = Config::default();
        assert_eq!(
            tag(&cfg, "【前期预防·制度】公开清单"),
            (
                Some("前期预防".into()),
                Some("制度".into()),
                "公开清单".into()
            )
        );
        assert_eq!(
            tag(&cfg, "【注意】别的"),
            (None, None, "【注意】别的".into())
        );
    }
}
