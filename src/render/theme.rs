//! The theme: Tera templates and static files, built in (embedded in the
//! binary) and overridable file by file from `themes/<name>/` in the site.

use crate::i18n::{tr, Lang};
use include_dir::{include_dir, Dir};
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::Path;

static TEMPLATES: Dir = include_dir!("$CARGO_MANIFEST_DIR/themes/default/templates");
static STATIC: Dir = include_dir!("$CARGO_MANIFEST_DIR/themes/default/static");

/// Compiled templates plus the static files to copy.
pub struct Theme {
    pub tera: tera::Tera,
    /// Output path below `static/` → bytes (built-in, then the site's theme).
    pub statics: BTreeMap<String, Vec<u8>>,
}

/// A template that failed to load or compile.
#[derive(Debug)]
pub struct ThemeError {
    pub file: String,
    pub detail: String,
}

impl Theme {
    /// Loads the built-in theme, then the site's `themes/<name>/` over it.
    pub fn load(root: &Path, name: &str, lang: Lang) -> Result<Theme, ThemeError> {
        let mut sources: BTreeMap<String, String> = BTreeMap::new();
        for f in TEMPLATES.files() {
            let name = f.path().to_string_lossy().replace('\\', "/");
            sources.insert(name, f.contents_utf8().unwrap_or_default().to_string());
        }
        let mut statics = BTreeMap::new();
        collect(&STATIC, &mut statics);
        let site_theme = root.join("themes").join(name);
        let tpl_dir = site_theme.join("templates");
        for (rel, bytes) in read_tree(&tpl_dir) {
            let text = String::from_utf8(bytes).map_err(|_| ThemeError {
                file: format!("themes/{name}/templates/{rel}"),
                detail: "UTF-8".into(),
            })?;
            sources.insert(rel, text);
        }
        statics.extend(read_tree(&site_theme.join("static")));
        let mut tera = tera::Tera::default();
        tera.autoescape_on(vec![".html", ".svg", ".xml"]);
        tera.set_escape_fn(escape_html);
        let list: Vec<(&str, &str)> = sources
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        tera.add_raw_templates(list).map_err(|e| ThemeError {
            file: format!("themes/{name}/templates"),
            detail: error_chain(&e),
        })?;
        tera.register_function("t", Translate { lang });
        tera.register_filter("css_string", css_string_filter);
        Ok(Theme { tera, statics })
    }
}

fn collect(d: &Dir, out: &mut BTreeMap<String, Vec<u8>>) {
    for f in d.files() {
        out.insert(
            f.path().to_string_lossy().replace('\\', "/"),
            f.contents().to_vec(),
        );
    }
    for sub in d.dirs() {
        collect(sub, out);
    }
}

impl Theme {
    /// Renders `template` with `data` into `out`. `page` names the page in
    /// errors: a context that cannot be made is an error, never an empty one.
    pub fn render_to<T: serde::Serialize>(
        &self,
        template: &str,
        page: &str,
        data: &T,
        out: &mut Vec<u8>,
    ) -> Result<(), super::RenderError> {
        let failed = |e: tera::Error| super::RenderError {
            page: page.into(),
            detail: error_chain(&e),
        };
        let ctx = tera::Context::from_serialize(data).map_err(failed)?;
        self.tera.render_to(template, &ctx, out).map_err(failed)
    }

    /// The `static/` files of a version folder: the theme's, then the
    /// site's own `root/static/` over them.
    pub fn static_files(&self, root: &Path) -> Vec<super::Rendered> {
        let mut files = self.statics.clone();
        files.extend(read_tree(&root.join("static")));
        files
            .into_iter()
            .map(|(path, bytes)| super::Rendered {
                path: format!("static/{path}"),
                bytes,
            })
            .collect()
    }
}

/// Every file below `dir`, by relative path, sorted.
pub fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    if !dir.is_dir() {
        return out;
    }
    for e in walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        if e.file_type().is_file() {
            if let Ok(bytes) = std::fs::read(e.path()) {
                out.insert(crate::load::relative(dir, e.path()), bytes);
            }
        }
    }
    out
}

/// A Tera error with its causes, which hold the useful line numbers.
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}

/// Escapes text for HTML/XML text and double- or single-quoted attributes;
/// drops C0 control characters, which neither may contain. Unlike Tera's
/// default it leaves `/` alone, so relative URLs stay readable.
pub fn escape_html(input: &str) -> String {
    let mut out = String::with_capacity(input.len() + 8);
    for c in input.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// A CSS string literal, quoted: the one way any text reaches CSS (the
/// print footer in every page's `style`, the booklet's running head in its
/// `<style>`). Quotes and backslashes are escaped, `<` and every control
/// character become hex escapes, so the value can neither end the string
/// nor the `<style>` element, whatever the configuration holds.
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

/// `{{ text | css_string }}`: [`css_string`] for templates.
fn css_string_filter(
    value: &tera::Value,
    _: &HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let text = value
        .as_str()
        .ok_or_else(|| tera::Error::msg("css_string takes text"))?;
    Ok(tera::Value::String(css_string(text)))
}

/// `{{ t(k="nav_home") }}`: a `ui.` message from the catalogue.
struct Translate {
    lang: Lang,
}

impl tera::Function for Translate {
    fn call(&self, args: &HashMap<String, tera::Value>) -> tera::Result<tera::Value> {
        let key = args
            .get("k")
            .and_then(|v| v.as_str())
            .ok_or_else(|| tera::Error::msg("t() needs k=\"…\""))?;
        let params: Vec<(&str, String)> = args
            .iter()
            .filter(|(k, _)| k.as_str() != "k")
            .map(|(k, v)| {
                (
                    k.as_str(),
                    v.as_str().map_or_else(|| v.to_string(), str::to_string),
                )
            })
            .collect();
        Ok(tera::Value::String(tr(
            self.lang,
            &format!("ui.{key}"),
            &params,
        )))
    }

    fn is_safe(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::{css_string, Theme};

    /// Data that cannot be serialised (a map with a non-string key, say).
    struct Broken;

    impl serde::Serialize for Broken {
        fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
            Err(serde::ser::Error::custom("no such data"))
        }
    }

    #[test]
    fn a_context_that_cannot_be_made_is_an_error_naming_the_page() {
        let theme = Theme::load(
            std::path::Path::new("/nonexistent"),
            "default",
            crate::i18n::Lang::Zh,
        )
        .expect("built-in theme");
        let mut out = Vec::new();
        let e = theme
            .render_to("page.html", "pages/about.html", &Broken, &mut out)
            .expect_err("no page from an empty context");
        assert_eq!(e.page, "pages/about.html");
        assert!(e.detail.contains("no such data"), "{}", e.detail);
        assert!(out.is_empty());
    }

    #[test]
    fn css_strings_cannot_be_ended() {
        assert_eq!(css_string("a\"b\\</style>"), "\"a\\\"b\\\\\\3c /style>\"");
        // A line break would end the string (and the declaration after it).
        assert_eq!(css_string("局\n} x{"), "\"局\\a } x{\"");
        assert_eq!(css_string("'\u{7f}"), "\"'\\7f \"");
    }
}
