//! The theme: Tera templates and static files, built in (embedded in the
//! binary) and overridable file by file from `themes/<name>/` in the site.

use crate::i18n::{fill, tr, Lang};
use include_dir::{include_dir, Dir};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

static TEMPLATES: Dir = include_dir!("$CARGO_MANIFEST_DIR/themes/default/templates");
static STATIC: Dir = include_dir!("$CARGO_MANIFEST_DIR/themes/default/static");

/// Compiled templates plus the static files to copy.
pub struct Theme {
    pub tera: tera::Tera,
    /// Output path below `static/` → bytes (built-in, then the site's theme).
    pub statics: BTreeMap<String, Vec<u8>>,
    /// Whether the theme has the `risk_row` component (a site's own
    /// `components.html` from before it existed has not).
    has_risk_row: bool,
    /// What list pages need of each listed risk.
    listing: super::view::Listing,
    /// The templates the site's own theme replaces or adds.
    overridden: Vec<String>,
}

/// The built-in templates that can see the risks a page lists. While a
/// site overrides none of them, a listed risk needs only what they read of
/// it: id, title, href, grade and the prepared row (`Listing::Entry`).
pub const LISTING_TEMPLATES: [&str; 8] = [
    "base.html",
    "components.html",
    "risks.html",
    "department.html",
    "post.html",
    "power.html",
    "measure.html",
    "flow.html",
];

/// A template of gongshi's own that prints one register row with the
/// theme's `risk_row` component, for a page one folder down.
const RISK_ROW: &str = "gongshi-risk-row";

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
        let mut tera = tera::Tera::new();
        tera.autoescape_on([".html", ".svg", ".xml"]);
        tera.set_escape_fn(write_escaped_html);
        // Tera 2 checks at compile time that every function and filter
        // exists: register them first.
        tera.register_function("t", Translate::new(lang));
        tera.register_filter("css_string", css_string_filter);
        let overridden: Vec<String> = read_tree(&tpl_dir).into_keys().collect();
        tera.add_raw_templates(sources.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .map_err(|e| theme_error(&e, name, &overridden))?;
        // Tera refuses a call to a component no template defines: a site's
        // own `components.html` from before `risk_row` has none.
        let has_risk_row = tera
            .add_raw_template(RISK_ROW, "{{<risk_row root=\"../\" r={r} />}}")
            .is_ok();
        let own_lists = overridden
            .iter()
            .any(|t| LISTING_TEMPLATES.contains(&t.as_str()));
        let listing = if has_risk_row && !own_lists {
            super::view::Listing::Entry
        } else {
            super::view::Listing::Whole
        };
        Ok(Theme {
            tera,
            statics,
            has_risk_row,
            listing,
            overridden,
        })
    }

    /// Whether the site has its own `template` (in `themes/<name>/templates/`).
    pub fn overrides(&self, template: &str) -> bool {
        self.overridden.iter().any(|t| t == template)
    }

    /// What list pages need of each risk they list.
    pub fn listing(&self) -> super::view::Listing {
        self.listing
    }

    /// A risk's row of the register table as pages one folder down show it
    /// (`risk_row`), made once per build: every list page at that depth
    /// places it instead of rendering it again. `None` when the theme has
    /// no `risk_row`, or when the row cannot be made: the page listing the
    /// risk then calls `risk_row` itself and fails, named.
    pub fn risk_row(&self, risk: &super::view::RiskView) -> Option<super::view::Html> {
        if !self.has_risk_row {
            return None;
        }
        let mut ctx = tera::Context::new();
        // The built-in component reads the risk's head; a site's own, any field.
        if self.overrides("components.html") {
            ctx.insert("r", risk);
        } else {
            ctx.insert("r", &risk.head());
        }
        let row = self.tera.render(RISK_ROW, &ctx).ok()?;
        Some(super::view::Html::new(&row))
    }
}

/// A template that does not compile, named by the file it came from
/// (the site's theme folder or the built-in theme) with the line and
/// column of Tera's report (` --> risk.html:3:20`); the report, with the
/// line marked, is the detail.
fn theme_error(e: &tera::Error, name: &str, overridden: &[String]) -> ThemeError {
    let detail = error_chain(e);
    let at = detail.lines().find_map(|l| {
        let place = l.trim_start().strip_prefix("--> ")?;
        let mut parts = place.rsplitn(3, ':');
        let (col, line, tpl) = (parts.next()?, parts.next()?, parts.next()?);
        Some((tpl.to_string(), line.to_string(), col.to_string()))
    });
    let file = match at {
        Some((tpl, line, col)) => {
            let folder = if overridden.contains(&tpl) {
                format!("themes/{name}/templates")
            } else {
                "themes/default/templates".to_string()
            };
            format!("{folder}/{tpl}:{line}:{col}")
        }
        None => format!("themes/{name}/templates"),
    };
    ThemeError { file, detail }
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
    /// Renders `template` with `page`'s context into `out`; errors name the
    /// page. A context that cannot be made is an error, never an empty one.
    pub fn render_to<T: serde::Serialize>(
        &self,
        template: &str,
        page: &super::page_data::PageContext<T>,
        out: &mut Vec<u8>,
    ) -> Result<(), super::RenderError> {
        let failed = |e: tera::Error| super::RenderError {
            page: page.path.into(),
            detail: error_chain(&e),
        };
        let ctx = page.context().map_err(failed)?;
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
    markup::escape_html(input)
}

/// [`escape_html`] as Tera's escape function.
fn write_escaped_html(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    markup::write_escaped_html(input, out)
}

/// A CSS string literal, quoted: the one way any text reaches CSS (the
/// print footer in every page's `style`, the booklet's running head in its
/// `<style>`). Quotes and backslashes are escaped, `<` and every control
/// character become hex escapes, so the value can neither end the string
/// nor the `<style>` element, whatever the configuration holds.
pub fn css_string(s: &str) -> String {
    markup::css_string(s)
}

/// `{{ text | css_string }}`: [`css_string`] for templates.
fn css_string_filter(text: &str, _: tera::Kwargs, _: &tera::State) -> String {
    css_string(text)
}

/// `{{ t(k="nav_home") }}`: a `ui.` message from the catalogue.
struct Translate {
    lang: Lang,
    /// The `ui.` messages by the rest of their key, each with its template
    /// value made once: templates call `t` many times on every page, most
    /// often with the key alone.
    ui: HashMap<&'static str, (&'static str, tera::Value)>,
}

impl Translate {
    fn new(lang: Lang) -> Translate {
        let ui = lang
            .messages_under("ui.")
            .map(|(k, text)| (k, (text, tera::Value::from(text))))
            .collect();
        Translate { lang, ui }
    }
}

impl tera::Function<tera::TeraResult<tera::Value>> for Translate {
    fn call(&self, args: tera::Kwargs, _: &tera::State) -> tera::TeraResult<tera::Value> {
        let key: &str = args.must_get("k")?;
        let Some((text, value)) = self.ui.get(key) else {
            // a site's own template may name any key: its page fails, named
            return Err(tera::Error::message(tr(
                self.lang,
                "render.no_message",
                &[("key", format!("ui.{key}"))],
            )));
        };
        let params: Vec<(&str, String)> = args
            .iter()
            .filter_map(|(k, v)| Some((k.as_str()?, v)))
            .filter(|(k, _)| *k != "k")
            .map(|(k, v)| (k, v.as_str().map_or_else(|| v.to_string(), str::to_string)))
            .collect();
        if params.is_empty() {
            return Ok(value.clone());
        }
        Ok(tera::Value::from(fill(text, &params)))
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
        let site = crate::model::Site::empty(crate::config::Config::default());
        let common = crate::render::page_common(&site, 0, &Default::default());
        let page = crate::render::page_data::PageContext {
            common: &common,
            root: "../".into(),
            path: "pages/about.html",
            section: "pages",
            data: &Broken,
        };
        let e = theme
            .render_to("page.html", &page, &mut out)
            .expect_err("no page from an empty context");
        assert_eq!(e.page, "pages/about.html");
        assert!(e.detail.contains("no such data"), "{}", e.detail);
        assert!(out.is_empty());
    }

    /// A site's own template naming a message the catalogue lacks fails
    /// the page, naming the key, instead of printing `ui.…` on it.
    #[test]
    fn a_template_naming_no_message_fails() {
        let mut tera = tera::Tera::default();
        tera.register_function("t", super::Translate::new(crate::i18n::Lang::Zh));
        let call = |k: &str| format!("{{{{ t(k=\"{k}\") }}}}");
        tera.add_raw_template("ok", &call("nav_home")).unwrap();
        // not a literal key, which the catalogue test would look up
        tera.add_raw_template("bad", &call(&["nav", "hom"].join("_")))
            .unwrap();
        let shown = tera.render("ok", &tera::Context::new()).unwrap();
        assert!(!shown.starts_with("ui."), "{shown}");
        let e = tera.render("bad", &tera::Context::new()).unwrap_err();
        let e = super::error_chain(&e);
        // the key as shown: `ui.` and the name
        assert!(e.contains(&["ui", "nav_hom"].join(".")), "{e}");
        assert!(e.contains("界面文字"), "in Chinese: {e}");
    }

    #[test]
    fn css_strings_cannot_be_ended() {
        assert_eq!(css_string("a\"b\\</style>"), "\"a\\\"b\\\\\\3c /style>\"");
        // A line break would end the string (and the declaration after it).
        assert_eq!(css_string("局\n} x{"), "\"局\\a } x{\"");
        assert_eq!(css_string("'\u{7f}"), "\"'\\7f \"");
    }
}
