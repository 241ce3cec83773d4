//! Line wrapping of step labels, measured with `markup`'s width estimate
//! (full-width characters 1 em, everything else 0.55 em). Wrapping breaks
//! between CJK characters, keeps Latin words together, never starts a line
//! with closing punctuation nor ends one with opening punctuation, and
//! balances the lines of a paragraph so that a 10-character label becomes
//! two lines of five rather than nine and one.

use markup::{char_em, is_wide, width};

/// Characters that must not begin a line.
fn no_start(c: char) -> bool {
    "，。、；：？！）》」』】〕〉’”…—·,.;:?!)]}%".contains(c)
}

/// Characters that must not end a line.
fn no_end(c: char) -> bool {
    "（《「『【〔〈‘“([{".contains(c)
}

/// One unbreakable piece of text, or a breakable space.
#[derive(Debug, Clone)]
enum Unit {
    Word(String),
    Space,
}

/// Splits one paragraph into units: a CJK character each, Latin words whole,
/// punctuation glued to its neighbour as the line-breaking rules require.
fn units(par: &str) -> Vec<Unit> {
    let mut out: Vec<Unit> = Vec::new();
    let mut glue_next = false;
    for c in par.chars() {
        if c.is_whitespace() {
            if !matches!(out.last(), Some(Unit::Space) | None) {
                out.push(Unit::Space);
            }
            glue_next = false;
            continue;
        }
        let wide = is_wide(c);
        let joins_prev = match out.last() {
            Some(Unit::Word(w)) => {
                glue_next || no_start(c) || (!wide && w.chars().last().is_some_and(|p| !is_wide(p)))
            }
            _ => false,
        };
        match out.last_mut() {
            Some(Unit::Word(w)) if joins_prev => w.push(c),
            _ => out.push(Unit::Word(c.to_string())),
        }
        glue_next = no_end(c);
    }
    if matches!(out.last(), Some(Unit::Space)) {
        out.pop();
    }
    out
}

/// Greedy fill of `units` into lines no wider than `max_w` pixels (a unit
/// wider than that is split between characters).
fn greedy(units: &[Unit], size: f64, max_w: f64) -> Vec<String> {
    let mut lines = Vec::new();
    let mut cur = String::new();
    let mut cur_w = 0.0;
    let space_w = width(" ", size);
    let mut pending_space = false;
    for u in units {
        match u {
            Unit::Space => pending_space = !cur.is_empty(),
            Unit::Word(w) => {
                let ww = width(w, size);
                let sp = if pending_space { space_w } else { 0.0 };
                if !cur.is_empty() && cur_w + sp + ww > max_w + 1e-6 {
                    lines.push(std::mem::take(&mut cur));
                    cur_w = 0.0;
                } else if pending_space {
                    cur.push(' ');
                    cur_w += sp;
                }
                pending_space = false;
                if ww > max_w + 1e-6 && cur.is_empty() {
                    // Too long for any line: break between characters.
                    for c in w.chars() {
                        let cw = char_em(c) * size;
                        if !cur.is_empty() && cur_w + cw > max_w + 1e-6 {
                            lines.push(std::mem::take(&mut cur));
                            cur_w = 0.0;
                        }
                        cur.push(c);
                        cur_w += cw;
                    }
                } else {
                    cur.push_str(w);
                    cur_w += ww;
                }
            }
        }
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

/// Wraps `s` into lines of at most `max_w` pixels at font size `size`
/// (a line may exceed it only by punctuation that cannot start the next
/// line). Explicit line breaks are kept; lines of each paragraph are
/// balanced. Empty input gives no lines.
pub(crate) fn wrap(s: &str, size: f64, max_w: f64) -> Vec<String> {
    let max_w = if max_w.is_finite() && max_w > size {
        max_w
    } else {
        size
    };
    let mut out = Vec::new();
    for par in s.lines() {
        let us = units(par);
        if us.is_empty() {
            continue;
        }
        let first = greedy(&us, size, max_w);
        if first.len() < 2 {
            out.extend(first);
            continue;
        }
        // Balance: the narrowest width that still needs no more lines.
        let total: f64 = first.iter().map(|l| width(l, size)).sum();
        let n = first.len();
        let step = size * 0.5;
        let mut w = (total / n as f64).max(size);
        let mut best = first;
        while w < max_w {
            let try_lines = greedy(&us, size, w);
            if try_lines.len() <= n {
                best = try_lines;
                break;
            }
            w += step;
        }
        out.extend(best);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_label_is_one_line() {
        assert_eq!(wrap("受理", 14.0, 126.0), vec!["受理"]);
        assert!(wrap("", 14.0, 126.0).is_empty());
        assert!(wrap("   ", 14.0, 126.0).is_empty());
    }

    #[test]
    fn long_label_is_balanced() {
        let l = wrap("一二三四五六七八九十", 14.0, 126.0);
        assert_eq!(l, vec!["一二三四五", "六七八九十"]);
        let l = wrap("对申请材料进行形式审查并出具受理通知书", 14.0, 126.0);
        assert_eq!(l.len(), 3);
        assert!(l.iter().all(|x| width(x, 14.0) <= 126.0));
        assert_eq!(l.concat(), "对申请材料进行形式审查并出具受理通知书");
    }

    #[test]
    fn latin_words_stay_together() {
        let l = wrap("提交 PDF 扫描件及ISO9001证书复印件", 14.0, 126.0);
        assert!(l.iter().any(|x| x.contains("ISO9001")), "{l:?}");
        assert!(l.iter().any(|x| x.contains("PDF")), "{l:?}");
    }

    #[test]
    fn punctuation_never_starts_a_line() {
        for s in ["一二三四五六七八九，十一", "甲乙丙丁戊己庚辛壬。癸子丑寅"]
        {
            let l = wrap(s, 14.0, 126.0);
            assert!(
                l.iter().skip(1).all(|x| !x.starts_with(['，', '。'])),
                "{l:?}"
            );
        }
        let l = wrap("一二三四五六七八（九）", 14.0, 126.0);
        assert!(l.iter().all(|x| !x.ends_with('（')), "{l:?}");
    }

    #[test]
    fn overlong_word_is_split() {
        let l = wrap("ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJ", 14.0, 126.0);
        assert!(l.len() >= 2);
        assert!(l.iter().all(|x| width(x, 14.0) <= 126.0 + 1e-9));
    }

    #[test]
    fn explicit_breaks_are_kept() {
        assert_eq!(wrap("受理\n审查", 14.0, 126.0), vec!["受理", "审查"]);
    }
}
