//! `gongshi.yaml`: the site configuration, with the defaults of SPEC §2.

use crate::diag::{Code, Diagnostic, Location};
use crate::i18n::Lang;
use crate::load::yaml::{SpanIndex, YamlText};
use serde::{Deserialize, Serialize};
use std::path::Path;

pub mod portal;
pub use portal::Portal;

/// The file name of the configuration, at the site root.
pub const FILE: &str = "gongshi.yaml";

/// A risk grade, highest first in the list.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Grade {
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub color: String,
    #[serde(default)]
    pub owner: Option<String>,
    #[serde(default)]
    pub min_score: u32,
    /// Where `color` is written in gongshi.yaml, for diagnostics about it.
    #[serde(skip)]
    pub color_at: Option<Location>,
}

/// An audience (公示范围), widest first in the list.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ScopeDef {
    pub name: String,
    pub label: String,
}

/// The printable booklet.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(deny_unknown_fields, default)]
pub struct Booklet {
    pub pdf: bool,
    /// Also write `booklet.docx` (`build --docx` does too).
    pub docx: bool,
    pub chromium: Option<String>,
    /// The 审定签字备案 page's wording.
    pub sign_off: SignOff,
}

/// The booklet's 审定签字备案 page: its title, the sentence above the
/// signatures and one ruled line per signatory; unset: the catalogue's
/// wording in the site's language.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(deny_unknown_fields, default)]
pub struct SignOff {
    pub title: Option<String>,
    pub note: Option<String>,
    pub signatures: Option<Vec<String>>,
}

/// Review stamps (`gongshi review`) and the publish guard.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Review {
    /// Who signs when `gongshi review` is given no `--by`.
    pub by: Option<String>,
    /// `publish` refuses while an item the widest audience sees is
    /// unreviewed (`--allow-unreviewed` overrides once).
    pub guard: bool,
}

impl Default for Review {
    fn default() -> Self {
        Review {
            by: None,
            guard: true,
        }
    }
}

/// The whole configuration.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub title: String,
    pub unit: String,
    pub version: String,
    /// What pages, the booklet and the versions list call the version
    /// (`2025年（修订）`); `version` stays the folder name.
    pub version_label: Option<String>,
    pub language: String,
    pub grades: Vec<Grade>,
    pub risk_types: Vec<String>,
    pub phases: Vec<String>,
    pub measure_categories: Vec<String>,
    pub tiers: Vec<String>,
    pub post_levels: Vec<String>,
    pub power_categories: Vec<String>,
    pub scopes: Vec<ScopeDef>,
    pub default_scope: String,
    /// The audience that sees post holders; default: the narrowest.
    pub holders_scope: Option<String>,
    pub theme: String,
    pub unsafe_html: bool,
    pub booklet: Booklet,
    /// The identity a portal's pages carry (see [`portal`]).
    pub portal: Portal,
    pub review: Review,
}

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn grade(name: &str, aliases: &[&str], color: &str, owner: &str, min_score: u32) -> Grade {
    Grade {
        name: name.into(),
        aliases: strings(aliases),
        color: color.into(),
        owner: Some(owner.into()),
        min_score,
        color_at: None,
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "岗位廉政风险点及防控措施公示".into(),
            unit: String::new(),
            version: "1".into(),
            version_label: None,
            language: "zh-CN".into(),
            grades: vec![
                grade("一级", &["A", "高", "Ⅰ"], "#c62828", "单位主要领导", 15),
                grade("二级", &["B", "中", "Ⅱ"], "#ef6c00", "分管领导", 8),
                grade("三级", &["C", "低", "Ⅲ"], "#1565c0", "科室负责人", 1),
            ],
            risk_types: strings(&["思想道德", "岗位职责", "业务流程", "制度机制", "外部环境"]),
            phases: strings(&["前期预防", "中期监控", "后期处置"]),
            measure_categories: strings(&["教育", "制度", "监督"]),
            tiers: strings(&["个人岗位", "科室", "单位", "行业系统"]),
            post_levels: strings(&["领导岗位", "中层岗位", "重要岗位", "一般岗位"]),
            power_categories: strings(&[
                "行政许可",
                "行政处罚",
                "行政强制",
                "行政征收",
                "行政给付",
                "行政检查",
                "行政确认",
                "行政奖励",
                "行政裁决",
                "其他行政权力",
                "内部管理",
            ]),
            scopes: vec![
                ScopeDef {
                    name: "public".into(),
                    label: "社会公开".into(),
                },
                ScopeDef {
                    name: "internal".into(),
                    label: "单位内部".into(),
                },
            ],
            default_scope: "internal".into(),
            holders_scope: None,
            theme: "default".into(),
            unsafe_html: false,
            booklet: Booklet::default(),
            portal: Portal::default(),
            review: Review::default(),
        }
    }
}

impl Config {
    /// The language of messages and pages.
    pub fn lang(&self) -> Lang {
        Lang::parse(&self.language).unwrap_or_default()
    }

    /// Index of a scope by name.
    pub fn scope_index(&self, name: &str) -> Option<usize> {
        self.scopes.iter().position(|s| s.name == name.trim())
    }

    /// Index of a scope written by its name (`public`) or its label
    /// (社会公开), as front matter and ledgers write it.
    pub fn scope_by_name_or_label(&self, s: &str) -> Option<usize> {
        self.scope_index(s)
            .or_else(|| self.scopes.iter().position(|x| x.label == s.trim()))
    }

    /// The scope a block marker names: exactly, else ignoring ASCII case
    /// (markers are folded to lower case). `None` for an unknown name.
    pub fn scope_of_marker(&self, name: &str) -> Option<usize> {
        self.scope_index(name).or_else(|| {
            self.scopes
                .iter()
                .position(|s| s.name.eq_ignore_ascii_case(name))
        })
    }

    /// Index of the default scope for items that name none.
    pub fn default_scope_index(&self) -> usize {
        self.scope_index(&self.default_scope)
            .unwrap_or(self.scopes.len().saturating_sub(1))
    }

    /// Index of the audience that sees post holders.
    pub fn holders_scope_index(&self) -> usize {
        self.holders_scope
            .as_deref()
            .and_then(|s| self.scope_index(s))
            .unwrap_or(self.scopes.len().saturating_sub(1))
    }

    /// The grade a name or alias stands for.
    pub fn grade_index(&self, name: &str) -> Option<usize> {
        let n = name.trim();
        self.grades
            .iter()
            .position(|g| g.name == n || g.aliases.iter().any(|a| a == n))
    }

    /// The grade of a likelihood × impact score, by the `min_score` bands.
    pub fn grade_for_score(&self, score: u32) -> usize {
        self.grades
            .iter()
            .position(|g| score >= g.min_score)
            .unwrap_or(self.grades.len().saturating_sub(1))
    }

    /// Every name and alias a grade may be written as, for messages.
    pub fn grade_names(&self) -> Vec<String> {
        self.grades
            .iter()
            .flat_map(|g| std::iter::once(g.name.clone()).chain(g.aliases.iter().cloned()))
            .collect()
    }

    /// Reads `root/gongshi.yaml`; a missing file gives the defaults.
    /// Errors are located in the file (`check` exits 2 on them).
    pub fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
        let path = root.join(FILE);
        let text = match std::fs::read(&path) {
            Ok(bytes) => match crate::load::decode::decode(bytes) {
                Ok((t, _)) => t,
                Err(_) => {
                    let d =
                        Diagnostic::new(Code::ConfigUnreadable, Some(Location::file_only(FILE)))
                            .arg("detail", "binary");
                    return Err(vec![d]);
                }
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
            Err(e) => {
                let d = Diagnostic::new(Code::ConfigUnreadable, Some(Location::file_only(FILE)))
                    .arg("detail", e.to_string());
                return Err(vec![d]);
            }
        };
        let mut config = Config::parse(&text)?;
        config.find_badge(root, &text);
        Ok(config)
    }

    /// Notes (for W121) a portal badge that is not a file of the site.
    fn find_badge(&mut self, root: &Path, text: &str) {
        let Some(badge) = self.portal.field("badge") else {
            return;
        };
        if !root.join(badge).is_file() {
            let spans = SpanIndex::build(text, 0);
            let (a, b) = spans.value_or_parent("portal.badge").unwrap_or((0, 0));
            self.portal.badge_missing = Some(Location::in_text(FILE, text, a, b));
        }
    }

    /// Parses and validates the text of `gongshi.yaml`.
    pub fn parse(text: &str) -> Result<Config, Vec<Diagnostic>> {
        let yt = YamlText {
            file: FILE,
            text,
            offset: 0,
        };
        let pre = yt.prescan();
        if !pre.is_empty() {
            return Err(pre);
        }
        let mut config: Config = if text.trim().is_empty() {
            Config::default()
        } else {
            serde_yaml::from_str(text).map_err(|e| {
                let mut d = yt.syntax_error(&e);
                d.code = Code::ConfigSyntax;
                vec![d]
            })?
        };
        let errors = config.validate(text);
        if errors.is_empty() {
            let spans = SpanIndex::build(text, 0);
            for key in portal::REQUIRED {
                if let Some((a, b)) = spans.value_or_parent(&format!("portal.{key}")) {
                    let at = Location::in_text(FILE, text, a, b);
                    config.portal.at.insert(key, at);
                }
            }
            for (i, g) in config.grades.iter_mut().enumerate() {
                g.color_at = spans
                    .get(&format!("grades.{i}.color"))
                    .map(|s| Location::in_text(FILE, text, s.value.0, s.value.1));
            }
            Ok(config)
        } else {
            Err(errors)
        }
    }

    fn validate(&self, text: &str) -> Vec<Diagnostic> {
        let spans = SpanIndex::build(text, 0);
        let at = |path: &str| {
            let (a, b) = spans.value_or_parent(path).unwrap_or((0, 0));
            Some(Location::in_text(FILE, text, a, b))
        };
        let invalid = |path: &str, what: &str| {
            Diagnostic::new(Code::ConfigInvalid, at(path))
                .arg("field", path)
                .arg("detail", what)
        };
        let mut out = Vec::new();
        if !(2..=5).contains(&self.grades.len()) {
            out.push(invalid("grades", "2–5"));
        }
        for (i, g) in self.grades.iter().enumerate() {
            if !is_hex_color(&g.color) {
                out.push(invalid(&format!("grades.{i}.color"), "#rrggbb"));
            }
        }
        if self.scopes.is_empty() {
            out.push(invalid("scopes", "≥ 1"));
        }
        if self.scope_index(&self.default_scope).is_none() {
            out.push(invalid("default_scope", &self.scope_names().join(", ")));
        }
        if let Some(h) = &self.holders_scope {
            if self.scope_index(h).is_none() {
                out.push(invalid("holders_scope", &self.scope_names().join(", ")));
            }
        }
        if Lang::parse(&self.language).is_none() {
            out.push(invalid("language", "zh-CN, en"));
        }
        if !is_safe_segment(&self.version) {
            // A Chinese name belongs in version_label, the folder name
            // stays ASCII.
            out.push(
                invalid("version", "2024, 2025-v2")
                    .arg("value", &self.version)
                    .hint_variant("label"),
            );
        }
        if self
            .version_label
            .as_deref()
            .is_some_and(|l| l.trim().is_empty())
        {
            out.push(invalid("version_label", "2025年（修订）"));
        }
        for (i, s) in self.scopes.iter().enumerate() {
            if !is_safe_segment(&s.name) {
                out.push(invalid(&format!("scopes.{i}.name"), "public, internal"));
            }
        }
        for (i, s) in self.portal.scopes.iter().enumerate() {
            if self.scope_index(s).is_none() {
                out.push(invalid(
                    &format!("portal.scopes.{i}"),
                    &self.scope_names().join(", "),
                ));
            }
        }
        if let Some(b) = self.portal.field("badge") {
            let under_static = b.strip_prefix("static/").is_some_and(|rest| {
                !rest.is_empty() && rest.split('/').all(|p| !p.is_empty() && p != "..")
            });
            if !under_static {
                out.push(invalid("portal.badge", "static/…"));
            }
        }
        if !is_folder_name(&self.theme) {
            out.push(Diagnostic::new(Code::ConfigThemeName, at("theme")).arg("value", &self.theme));
        }
        for (path, value) in self.texts() {
            if let Some(c) = value.chars().find(|c| is_control(*c)) {
                let d = Diagnostic::new(Code::ConfigControlChar, at(&path))
                    .arg("field", &path)
                    .arg("char", format!("U+{:04X}", c as u32));
                out.push(d);
            }
        }
        out
    }

    /// Every text value of the configuration with its key path, in file
    /// order: what validation checks for control characters.
    fn texts(&self) -> Vec<(String, &str)> {
        let mut out: Vec<(String, &str)> = vec![
            ("title".into(), &self.title),
            ("unit".into(), &self.unit),
            ("version".into(), &self.version),
        ];
        if let Some(l) = &self.version_label {
            out.push(("version_label".into(), l));
        }
        for (i, g) in self.grades.iter().enumerate() {
            out.push((format!("grades.{i}.name"), &g.name));
            for (j, a) in g.aliases.iter().enumerate() {
                out.push((format!("grades.{i}.aliases.{j}"), a));
            }
            if let Some(o) = &g.owner {
                out.push((format!("grades.{i}.owner"), o));
            }
        }
        let lists = [
            ("risk_types", &self.risk_types),
            ("phases", &self.phases),
            ("measure_categories", &self.measure_categories),
            ("tiers", &self.tiers),
            ("post_levels", &self.post_levels),
            ("power_categories", &self.power_categories),
        ];
        for (key, list) in lists {
            for (i, v) in list.iter().enumerate() {
                out.push((format!("{key}.{i}"), v));
            }
        }
        for (i, s) in self.scopes.iter().enumerate() {
            out.push((format!("scopes.{i}.label"), &s.label));
        }
        if let Some(c) = &self.booklet.chromium {
            out.push(("booklet.chromium".into(), c));
        }
        if let Some(b) = &self.review.by {
            out.push(("review.by".into(), b));
        }
        out
    }

    /// Whether audience `a`'s pages carry the portal footer: those of
    /// `portal.scopes`, else the widest.
    pub fn on_portal(&self, a: usize) -> bool {
        if self.portal.is_empty() {
            return false;
        }
        if self.portal.scopes.is_empty() {
            return a == 0;
        }
        self.portal
            .scopes
            .iter()
            .any(|s| self.scope_index(s) == Some(a))
    }

    /// Scope names, widest first.
    pub fn scope_names(&self) -> Vec<String> {
        self.scopes.iter().map(|s| s.name.clone()).collect()
    }
}

fn is_hex_color(c: &str) -> bool {
    c.len() == 7 && c.starts_with('#') && c[1..].chars().all(|x| x.is_ascii_hexdigit())
}

/// Characters no configuration text may hold: they would end a CSS string
/// or a line wherever the value is written (styles, print footers, CSV).
fn is_control(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}')
}

/// A theme name: one folder below `themes/`, never a path out of it.
fn is_folder_name(s: &str) -> bool {
    !s.trim().is_empty()
        && s != "."
        && s != ".."
        && !s.contains(['/', '\\', ':'])
        && !s.chars().any(is_control)
}

/// A name safe to use as one folder in the output (`site/<scope>/<version>`).
fn is_safe_segment(s: &str) -> bool {
    !s.is_empty()
        && s != "."
        && s != ".."
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// Peeks at `language:` in a config that may not parse, so even the
/// message about a broken config is in the right language.
pub fn peek_lang(root: &Path) -> Option<Lang> {
    let text = std::fs::read_to_string(root.join(FILE)).ok()?;
    text.lines()
        .find_map(|l| l.strip_prefix("language:"))
        .and_then(|v| Lang::parse(v.trim().trim_matches(['"', '\''])))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_match_the_spec() {
        let c = Config::parse("title: x\n").unwrap();
        assert_eq!(c.grades.len(), 3);
        assert_eq!(c.grade_index("B"), Some(1));
        assert_eq!(c.grade_index("Ⅲ"), Some(2));
        assert_eq!(c.grade_for_score(16), 0);
        assert_eq!(c.grade_for_score(8), 1);
        assert_eq!(c.grade_for_score(3), 2);
        assert_eq!(c.default_scope_index(), 1);
        assert_eq!(c.holders_scope_index(), 1);
    }

    #[test]
    fn bad_config_is_located() {
        let errs = Config::parse("title: x\ndefault_scope: outside\n").unwrap_err();
        let at = errs[0].at.clone().unwrap();
        assert_eq!((errs[0].code, at.line), (Code::ConfigInvalid, 2));
        let errs = Config::parse("title: x\ngrdaes: []\n").unwrap_err();
        assert_eq!(errs[0].code, Code::ConfigSyntax);
        assert_eq!(errs[0].at.as_ref().unwrap().line, 2);
    }

    /// A Windows path typed in double quotes: a located Chinese error,
    /// and each of the two fixes its hint gives makes the file readable
    /// with the path as typed (block and flow style).
    #[test]
    fn windows_path_in_double_quotes_gets_fixes_that_parse() {
        let path = r"C:\Program Files\Google\Chrome\Application\chrome.exe";
        for (lead, tail) in [
            ("booklet:\n  chromium: ", "\n"),
            ("booklet: {chromium: ", "}\n"),
        ] {
            let bad = format!("title: x\n{lead}\"{path}\"{tail}");
            let errs = Config::parse(&bad).unwrap_err();
            assert_eq!(errs.len(), 1, "{errs:?}");
            let d = &errs[0];
            assert_eq!(d.code, Code::ConfigSyntax);
            let at = d.at.as_ref().unwrap();
            let last = lead.rsplit('\n').next().unwrap();
            let want = (2 + lead.matches('\n').count(), last.len() + 18);
            assert_eq!((at.line, at.column), want, "{bad}");
            assert!(d.message(Lang::Zh).contains("“\\G”不是可用的转义写法"));
            let hint = d.hint(Lang::Zh).unwrap();
            let arg = |k: &str| d.args.iter().find(|(n, _)| *n == k).unwrap().1.clone();
            let (single, slashes) = (arg("single"), arg("slashes"));
            assert!(hint.contains(&single) && hint.contains(&slashes), "{hint}");
            assert_eq!(single, format!("'{path}'"));
            for (fix, want) in [
                (single, path.to_string()),
                (slashes, path.replace('\\', "/")),
            ] {
                let good = format!("title: x\n{lead}{fix}{tail}");
                let c = Config::parse(&good).unwrap_or_else(|e| panic!("{good}: {e:?}"));
                assert_eq!(c.booklet.chromium.as_deref(), Some(want.as_str()));
            }
        }
    }
}
