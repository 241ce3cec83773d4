//! Escaping text for HTML/XML and for CSS strings.

use std::fmt::Write as _;

/// Escapes text for HTML/XML text and double- or single-quoted attributes;
/// drops C0 control characters, which neither may contain. Unlike Tera's
/// default it leaves `/` alone, so relative URLs stay readable. The same
/// escaper serves pages, inline SVG (flowcharts, charts) and the preview's
/// own pages.
pub fn escape_html(input: &str) -> String {
    let mut out = String::with_capacity(input.len() + 8);
    for c in input.chars() {
        match escaped(c) {
            Some(e) => out.push_str(e),
            None => out.push(c),
        }
    }
    out
}

/// What [`escape_html`] writes for `c`, if not `c` itself.
pub fn escaped(c: char) -> Option<&'static str> {
    match c {
        '&' => Some("&amp;"),
        '<' => Some("&lt;"),
        '>' => Some("&gt;"),
        '"' => Some("&quot;"),
        '\'' => Some("&#39;"),
        c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => Some(""),
        _ => None,
    }
}

/// [`escape_html`] into a writer, the runs between escaped characters
/// written as they are (a template engine's escape function).
pub fn write_escaped_html(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut from = 0;
    for (i, c) in input.char_indices() {
        if let Some(e) = escaped(c) {
            out.write_all(&input.as_bytes()[from..i])?;
            out.write_all(e.as_bytes())?;
            from = i + c.len_utf8();
        }
    }
    out.write_all(&input.as_bytes()[from..])
}

/// A CSS string literal, quoted: the one way any text reaches CSS (the
/// print footer in every page's `style`, the booklet's running head in its
/// `<style>`). Quotes and backslashes are escaped, `<` and every control
/// character (and the line and paragraph separators) become hex escapes,
/// so the value can neither end the string nor the `<style>` element.
pub fn css_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if c == '<' || c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') => {
                let _ = write!(out, "\\{:x} ", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escapes_the_five_and_drops_c0_controls() {
        assert_eq!(escape_html("<b>&\"'"), "&lt;b&gt;&amp;&quot;&#39;");
        assert_eq!(escape_html("a\u{1}b\u{1f}c"), "abc");
        assert_eq!(escape_html("a\tb\nc\rd"), "a\tb\nc\rd");
        assert_eq!(escape_html("../risks/R-001.html"), "../risks/R-001.html");
        assert_eq!(escape_html("受理（窗口）"), "受理（窗口）");
        assert_eq!(escape_html(""), "");
    }

    #[test]
    fn css_strings_cannot_be_ended() {
        assert_eq!(css_string("a\"b\\</style>"), "\"a\\\"b\\\\\\3c /style>\"");
        // A line break would end the string (and the declaration after it).
        assert_eq!(css_string("局\n} x{"), "\"局\\a } x{\"");
        assert_eq!(css_string("'\u{7f}"), "\"'\\7f \"");
        assert_eq!(css_string("a\u{2028}b"), "\"a\\2028 b\"");
        assert_eq!(css_string(""), "\"\"");
    }
}
