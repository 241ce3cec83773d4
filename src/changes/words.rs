//! The word-level diff of two texts (a measure's or a body's plain text):
//! each CJK character a word, runs of Latin letters and digits one word,
//! merged into runs of kept, deleted and inserted text.

use serde::Serialize;

/// One token of a word-level diff: `op` is "same", "del" or "ins".
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Token {
    pub op: &'static str,
    pub text: String,
}

/// Tokens for a Chinese-aware word diff: each CJK character alone, runs of
/// Latin letters and digits together, anything else alone.
fn tokens(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut word = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            word.push(c);
            continue;
        }
        if !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
        out.push(c.to_string());
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// A word-level diff (longest common subsequence), merged into runs. The
/// common start and end are set aside first, so a long body with one
/// sentence changed costs that sentence; a middle too long to compare
/// (over 4 million pairs) is shown deleted and inserted whole.
pub fn word_diff(old: &str, new: &str) -> Vec<Token> {
    let (a, b) = (tokens(old), tokens(new));
    let head = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let tail = a[head..]
        .iter()
        .rev()
        .zip(b[head..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let mut raw: Vec<(&'static str, &str)> = Vec::new();
    raw.extend(a[..head].iter().map(|t| ("same", t.as_str())));
    middle(&a[head..a.len() - tail], &b[head..b.len() - tail], &mut raw);
    raw.extend(a[a.len() - tail..].iter().map(|t| ("same", t.as_str())));
    let mut out: Vec<Token> = Vec::new();
    for (op, text) in raw {
        match out.last_mut() {
            Some(last) if last.op == op => last.text.push_str(text),
            _ => out.push(Token {
                op,
                text: text.to_string(),
            }),
        }
    }
    out
}

/// The diff of the differing middles, by longest common subsequence.
fn middle<'a>(a: &'a [String], b: &'a [String], raw: &mut Vec<(&'static str, &'a str)>) {
    if a.len().saturating_mul(b.len()) > 4_000_000 {
        raw.extend(a.iter().map(|t| ("del", t.as_str())));
        raw.extend(b.iter().map(|t| ("ins", t.as_str())));
        return;
    }
    let (n, m) = (a.len(), b.len());
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            raw.push(("same", &a[i]));
            i += 1;
            j += 1;
        } else if i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1]) {
            raw.push(("del", &a[i]));
            i += 1;
        } else {
            raw.push(("ins", &b[j]));
            j += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_marks_words() {
        let d = word_diff("严格执行双人审核制度", "严格执行三人审核和回避制度");
        let ins: Vec<_> = d
            .iter()
            .filter(|t| t.op == "ins")
            .map(|t| t.text.as_str())
            .collect();
        let del: Vec<_> = d
            .iter()
            .filter(|t| t.op == "del")
            .map(|t| t.text.as_str())
            .collect();
        assert_eq!(ins, ["三", "和回避"]);
        assert_eq!(del, ["双"]);
        assert_eq!(
            word_diff("abc 12", "abc 13")[1],
            Token {
                op: "del",
                text: "12".into()
            }
        );
    }
}
