//! The part of a located source line shown under a message: the whole
//! line when it fits the width, else a window around the marked span with
//! `...` where it is cut, so a marker on column 300 of a long line is still
//! seen under its text.

use unicode_width::UnicodeWidthChar;

/// Marks a cut.
const CUT: &str = "...";

/// Never narrower than this, whatever the terminal says.
const MIN_WIDTH: usize = 24;

/// What to show of a line: the text before the marked span, the span,
/// and the text after it.
#[derive(Debug, PartialEq, Eq)]
pub struct Excerpt {
    pub before: String,
    pub span: String,
    pub after: String,
}

fn width(c: char) -> usize {
    c.width().unwrap_or(0)
}

impl Excerpt {
    /// `line` (tabs shown as spaces) with the span of `len` characters from
    /// character `start` (from 0), fitted into `max` display columns.
    pub fn new(line: &str, start: usize, len: usize, max: usize) -> Excerpt {
        let chars: Vec<char> = line
            .chars()
            .map(|c| if c == '\t' { ' ' } else { c })
            .collect();
        let s = start.min(chars.len());
        let e = (s + len.max(1)).min(chars.len());
        let cols = |r: &[char]| r.iter().map(|&c| width(c)).sum::<usize>();
        let max = max.max(MIN_WIDTH);
        if cols(&chars) <= max {
            return Excerpt {
                before: chars[..s].iter().collect(),
                span: chars[s..e].iter().collect(),
                after: chars[e..].iter().collect(),
            };
        }
        let room = max - 2 * CUT.len();
        // the span, cut to two thirds of the room
        let (mut end, mut used) = (s, 0);
        while end < e && used + width(chars[end]) <= room * 2 / 3 {
            used += width(chars[end]);
            end += 1;
        }
        // a third of what is left before it, then all that fits after it,
        // then more before if the line ended first
        let (mut a, mut left) = (s, 0);
        while a > 0 && left + width(chars[a - 1]) <= (room - used) / 3 {
            a -= 1;
            left += width(chars[a]);
        }
        let (mut b, mut right) = (end, 0);
        while end == e && b < chars.len() && left + used + right + width(chars[b]) <= room {
            right += width(chars[b]);
            b += 1;
        }
        while a > 0 && left + used + right + width(chars[a - 1]) <= room {
            a -= 1;
            left += width(chars[a]);
        }
        let mut before = if a > 0 {
            CUT.to_string()
        } else {
            String::new()
        };
        before.extend(&chars[a..s]);
        let mut after: String = chars[end.max(s)..b].iter().collect();
        if b < chars.len() {
            after.push_str(CUT);
        }
        Excerpt {
            before,
            span: chars[s..end].iter().collect(),
            after,
        }
    }

    /// Display columns of the text before the span.
    pub fn lead(&self) -> usize {
        self.before.chars().map(width).sum()
    }

    /// The source line numbered `line` and the marker line under it, as
    /// diagnostics show them (`12 | text`, `   | ^^^`). `full_width`: pad
    /// under a wide character with one U+3000, which keeps the marker
    /// aligned in proportional CJK fonts (the preview's overlay), else with
    /// spaces by display columns (terminals).
    pub fn numbered(&self, line: usize, full_width: bool) -> [String; 2] {
        let num = line.to_string();
        let pad = " ".repeat(num.len());
        let lead: String = if full_width {
            self.before
                .chars()
                .map(|c| if width(c) == 2 { '\u{3000}' } else { ' ' })
                .collect()
        } else {
            " ".repeat(self.lead())
        };
        [
            format!("{num} | {}{}{}", self.before, self.span, self.after),
            format!("{pad} | {lead}{}", "^".repeat(self.mark())),
        ]
    }

    /// Display columns of the span, at least one.
    pub fn mark(&self) -> usize {
        self.span
            .chars()
            .map(|c| width(c).max(1))
            .sum::<usize>()
            .max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(x: &Excerpt) -> String {
        format!("{}{}{}", x.before, x.span, x.after)
    }

    #[test]
    fn a_short_line_is_shown_whole() {
        let x = Excerpt::new("title：审批", 5, 1, 80);
        assert_eq!((x.before.as_str(), x.span.as_str()), ("title", "："));
        assert_eq!((x.lead(), x.mark()), (5, 2));
    }

    #[test]
    fn a_long_line_is_cut_around_the_span() {
        let line = format!("{}错误在这里{}", "甲".repeat(300), "乙".repeat(300));
        let x = Excerpt::new(&line, 300, 5, 80);
        let cols: usize = shown(&x).chars().map(width).sum();
        assert!(cols <= 80, "{cols} columns: {}", shown(&x));
        assert!(x.before.starts_with(CUT) && x.after.ends_with(CUT));
        assert_eq!(x.span, "错误在这里");
        assert!(x.lead() < 80 && x.lead() + x.mark() <= 80);
    }

    #[test]
    fn a_span_wider_than_the_room_is_cut_too() {
        let line = "x".repeat(500);
        let x = Excerpt::new(&line, 10, 400, 60);
        assert!(shown(&x).chars().count() <= 60, "{}", shown(&x));
        assert!(x.after.ends_with(CUT));
    }

    #[test]
    fn a_span_at_the_end_keeps_the_context_before_it() {
        let line = format!("{}：", "a".repeat(400));
        let x = Excerpt::new(&line, 400, 1, 60);
        assert_eq!(x.span, "：");
        assert!(x.before.starts_with(CUT) && x.after.is_empty());
        assert!(shown(&x).chars().map(width).sum::<usize>() <= 60);
        assert!(x.before.chars().count() > 40, "{}", x.before);
    }
}
