//! Reading the values office ledgers put in cells: numbered lists
//! ("1、…2、…", "（1）…", "1.…", ①…, one per line), lists of names,
//! yes/no marks, numbers with units, dates in the usual Chinese forms.

/// A cell's text without blank edges (full-width spaces included) and
/// with each line trimmed.
pub fn clean(s: &str) -> String {
    let lines: Vec<&str> = s.lines().map(str::trim).collect();
    lines.join("\n").trim().to_string()
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

/// Where an item may start: the beginning, after a line break or a
/// sentence's end.
fn boundary(prev: Option<char>) -> bool {
    match prev {
        None => true,
        Some(c) => c == '\n' || c.is_whitespace() || "。；;！!？?".contains(c),
    }
}

/// A numbered cell split into its items; an unnumbered one by line.
/// Markers count 1, 2, 3… in order, so "第三十七条、" or "3 个工作日"
/// inside an item never split it. A trailing `；` or `;` is dropped.
pub fn split_items(s: &str) -> Vec<String> {
    let s = clean(s);
    let mut cuts: Vec<(usize, usize)> = Vec::new(); // (start of marker, start of text)
    let mut expected = 1;
    let mut prev: Option<char> = None;
    for (i, c) in s.char_indices() {
        if boundary(prev) {
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
        s.lines().map(str::to_string).collect()
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

/// A list of names: split at 、，,；; / and line breaks, but not inside
/// brackets (`副局长（分管审批、规划）` is one name).
pub fn split_names(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut depth = 0usize;
    for c in s.chars() {
        match c {
            '（' | '(' | '《' | '【' | '“' | '[' => depth += 1,
            '）' | ')' | '》' | '】' | '”' | ']' => depth = depth.saturating_sub(1),
            _ => {}
        }
        if depth == 0 && "、，,；;/／\n".contains(c) {
            out.push(std::mem::take(&mut cur));
        } else {
            cur.push(c);
        }
    }
    out.push(cur);
    out.into_iter()
        .map(|x| x.trim().to_string())
        .filter(|x| !x.is_empty())
        .collect()
}

/// A yes/no mark: 是/否, √/×, Y/N, yes/no, true/false, 1/0.
pub fn yes_no(s: &str) -> Option<bool> {
    let t = super::headers::norm(s);
    match t.as_str() {
        "是" | "√" | "✓" | "✔" | "y" | "yes" | "true" | "1" | "★" | "●" => Some(true),
        "否" | "×" | "✗" | "n" | "no" | "false" | "0" | "" | "-" | "/" | "无" => Some(false),
        _ => None,
    }
}

/// The first whole number in a cell (`5年`, `3 分`).
pub fn number(s: &str) -> Option<u32> {
    let t = super::headers::norm(s);
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

/// A date as `YYYY-MM-DD` from `2025-05-20`, `2025/5/20`, `2025.5.20` or
/// `2025年5月20日`.
pub fn date(s: &str) -> Option<String> {
    let t = super::headers::norm(s);
    let parts: Vec<&str> = t
        .split(['-', '/', '.', '年', '月', '日'])
        .filter(|p| !p.is_empty())
        .collect();
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    let (y, m, d): (u32, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    let out = format!("{y:04}-{m:02}-{d:02}");
    crate::model::is_date(&out).then_some(out)
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
}
