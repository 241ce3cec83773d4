//! The message catalogue: every user-visible string, in zh-CN and en.
//!
//! Messages live in `zh-CN.yaml` and `en.yaml` beside this file, as flat
//! `key: text` pairs with `{name}` placeholders. Code names a key; the
//! language is chosen when the message is shown, so one diagnostic can be
//! printed in either language.

use std::collections::BTreeMap;
use std::sync::OnceLock;

/// A language the messages are available in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub enum Lang {
    /// Simplified Chinese, the default.
    #[default]
    #[serde(rename = "zh-CN")]
    Zh,
    /// English.
    #[serde(rename = "en")]
    En,
}

impl Lang {
    /// Parses a language tag as written in `gongshi.yaml` or `--lang`.
    pub fn parse(tag: &str) -> Option<Lang> {
        match tag.trim().to_ascii_lowercase().as_str() {
            "zh" | "zh-cn" | "zh_cn" | "zh-hans" | "cn" => Some(Lang::Zh),
            "en" | "en-us" | "en-gb" | "english" => Some(Lang::En),
            _ => None,
        }
    }

    /// The tag used in `lang=` attributes.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// Every message of this language.
    pub fn catalogue(self) -> &'static BTreeMap<String, String> {
        static ZH: OnceLock<BTreeMap<String, String>> = OnceLock::new();
        static EN: OnceLock<BTreeMap<String, String>> = OnceLock::new();
        match self {
            Lang::Zh => ZH.get_or_init(|| parse_catalogue(include_str!("zh-CN.yaml"))),
            Lang::En => EN.get_or_init(|| parse_catalogue(include_str!("en.yaml"))),
        }
    }

    /// The messages whose keys start with `prefix`, by the rest of the key
    /// (`ui.` gives what templates name with `t(k=…)`).
    pub fn messages_under(
        self,
        prefix: &str,
    ) -> impl Iterator<Item = (&'static str, &'static str)> + use<'_> {
        self.catalogue()
            .range(prefix.to_string()..)
            .map_while(move |(k, v)| Some((k.strip_prefix(prefix)?, v.as_str())))
    }
}

fn parse_catalogue(text: &str) -> BTreeMap<String, String> {
    // The catalogues are part of the binary and covered by tests; a broken
    // one is a programming error caught by `cargo test`.
    serde_yaml::from_str(text).unwrap_or_default()
}

/// Looks up `key` and fills in `{name}` placeholders from `args`.
/// Code names its keys, so an unknown one is a bug: see [`missing`].
pub fn tr(lang: Lang, key: &str, args: &[(&str, String)]) -> String {
    match lang.catalogue().get(key) {
        Some(text) => fill(text, args),
        None => missing(lang, key),
    }
}

/// A key the catalogue lacks. A debug build (every test) panics naming
/// it; a release build shows the key where the text should be and says so
/// on stderr, once per key, rather than going on without a word.
fn missing(lang: Lang, key: &str) -> String {
    if cfg!(debug_assertions) {
        panic!("the catalogue has no message {key}");
    }
    static SAID: std::sync::Mutex<std::collections::BTreeSet<String>> =
        std::sync::Mutex::new(std::collections::BTreeSet::new());
    let first = SAID
        .lock()
        .map_or(true, |mut said| said.insert(key.to_string()));
    if first {
        let said = tr_opt(lang, "i18n.missing", &[("key", key.to_string())]);
        eprintln!("{}", said.as_deref().unwrap_or(key));
    }
    key.to_string()
}

/// Like [`tr`], but `None` when the key is absent (optional hints).
pub fn tr_opt(lang: Lang, key: &str, args: &[(&str, String)]) -> Option<String> {
    lang.catalogue().get(key).map(|t| fill(t, args))
}

/// A front-matter field path (`grade`, `steps.1.risks.0`) in words:
/// each key by its label (`field.<key>` in the catalogue) with the key
/// itself, each list position counted from 1 —
/// "第 2 个步骤的风险（risks）第 1 项", "risks (risks) of step 2, item 1".
pub fn field_path(lang: Lang, path: &str) -> String {
    let mut parts: Vec<(&str, Option<usize>)> = Vec::new();
    for seg in path.split('.').filter(|s| !s.is_empty()) {
        match (seg.parse::<usize>(), parts.last_mut()) {
            (Ok(n), Some(last)) if last.1.is_none() => last.1 = Some(n + 1),
            (Ok(n), _) => parts.push(("", Some(n + 1))),
            (Err(_), _) => parts.push((seg, None)),
        }
    }
    let label = |key: &str| tr_opt(lang, &format!("field.{key}"), &[]);
    let mut shown: Vec<String> = Vec::new();
    let last = parts.len().saturating_sub(1);
    for (i, (key, n)) in parts.iter().enumerate() {
        let args = |name: String| {
            vec![
                ("name", name),
                ("key", key.to_string()),
                ("n", n.map(|n| n.to_string()).unwrap_or_default()),
            ]
        };
        let text = match (i == last, n) {
            (false, Some(_)) => tr(
                lang,
                "field.path.parent_item",
                &args(label(key).unwrap_or_else(|| key.to_string())),
            ),
            (false, None) => label(key).unwrap_or_else(|| key.to_string()),
            (true, n) => {
                let named = match label(key) {
                    Some(l) => tr(lang, "field.path.named", &args(l)),
                    None => key.to_string(),
                };
                match n {
                    Some(_) => tr(lang, "field.path.item", &args(named)),
                    None => named,
                }
            }
        };
        shown.push(text);
    }
    if lang == Lang::En {
        shown.reverse();
    }
    shown.join(&tr(lang, "field.path.join", &[]))
}

/// `text` with its `{name}` placeholders filled in from `args`.
pub fn fill(text: &str, args: &[(&str, String)]) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match args.iter().find(|(k, _)| *k == name) {
                    Some((_, v)) => out.push_str(v),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogues_parse_and_have_the_same_keys() {
        let zh = Lang::Zh.catalogue();
        let en = Lang::En.catalogue();
        assert!(zh.len() > 50, "zh-CN catalogue did not parse");
        let zk: Vec<_> = zh.keys().collect();
        let ek: Vec<_> = en.keys().collect();
        let missing_en: Vec<_> = zk.iter().filter(|k| !en.contains_key(**k)).collect();
        let missing_zh: Vec<_> = ek.iter().filter(|k| !zh.contains_key(**k)).collect();
        assert!(missing_en.is_empty(), "missing in en: {missing_en:?}");
        assert!(missing_zh.is_empty(), "missing in zh-CN: {missing_zh:?}");
    }

    /// Code names its keys; one the catalogue lacks is a bug that a test
    /// exercising it must catch, never a key shown on a page.
    #[test]
    #[should_panic(expected = "ui.no_such_message")]
    fn a_missing_key_fails_a_test() {
        tr(Lang::Zh, "ui.no_such_message", &[]);
    }

    #[test]
    fn placeholders_are_filled() {
        assert_eq!(fill("a {x} b {y}", &[("x", "1".into())]), "a 1 b {y}");
        assert_eq!(fill("{", &[]), "{");
    }

    /// The first segment of every catalogue key (`cli`, `diag`, `ui`,
    /// `serve`, `export`, …): a string literal starting with one of them
    /// and a dot is a key.
    fn prefixes() -> Vec<String> {
        let mut p: Vec<String> = Lang::Zh
            .catalogue()
            .keys()
            .filter_map(|k| k.split_once('.').map(|(a, _)| a.to_string()))
            .collect();
        p.sort();
        p.dedup();
        p
    }

    #[test]
    fn every_key_used_in_code_and_templates_exists() {
        // Keys are written as string literals ("diag.…", "cli.…", "ui.…",
        // "serve.…", …) in the sources and as t(k="…") in the templates;
        // scan both so a typo is caught here, not by a user.
        let prefixes = prefixes();
        assert!(prefixes.len() > 5, "{prefixes:?}");
        let mut missing = Vec::new();
        let mut seen = 0;
        for dir in ["src", "themes"] {
            let root = format!("{}/{dir}", env!("CARGO_MANIFEST_DIR"));
            for entry in walkdir::WalkDir::new(root) {
                let entry = entry.unwrap();
                let ext = entry.path().extension().and_then(|e| e.to_str());
                // this file's own test holds made-up keys
                if !matches!(ext, Some("rs" | "html")) || entry.path().ends_with("i18n/mod.rs") {
                    continue;
                }
                let text = std::fs::read_to_string(entry.path()).unwrap();
                let keys = if ext == Some("html") {
                    template_keys(&text)
                } else {
                    literal_keys(&text, &prefixes)
                };
                for key in keys {
                    seen += 1;
                    if !Lang::Zh.catalogue().contains_key(&key) {
                        missing.push(format!("{}: {key}", entry.path().display()));
                    }
                }
            }
        }
        assert!(seen > 300, "only {seen} keys found: the scan is broken");
        assert!(missing.is_empty(), "keys not in catalogue: {missing:#?}");
    }

    #[test]
    fn the_scan_finds_keys_of_every_prefix_and_in_templates() {
        let prefixes = vec!["cli".to_string(), "serve".to_string(), "ui".to_string()];
        let rs = r#"tr(l, "serve.nope", &[]); "cli.a.b"; "ui.x.xlsx"; "cli.""#;
        assert_eq!(literal_keys(rs, &prefixes), ["cli.a.b", "serve.nope"]);
        let html = r#"{{ t(k="nav_home") }} {{ t(k='search', n=2) }} {{ t(k=name) }} {{ t(k="nav_" ~ n.key) }}"#;
        assert_eq!(template_keys(html), ["ui.nav_home", "ui.search"]);
    }

    /// `t(k="name")` in a template is the catalogue's `ui.name`
    /// (`render::theme`'s `t`); `t(k=variable)` and keys built with `~`
    /// cannot be checked here.
    fn template_keys(text: &str) -> Vec<String> {
        let mut keys = Vec::new();
        for start in ["t(k=\"", "t(k='"] {
            let quote = start.chars().last().unwrap();
            let mut rest = text;
            while let Some(at) = rest.find(start) {
                let tail = &rest[at + start.len()..];
                let end = tail.find(quote).unwrap_or(0);
                // `"nav_" ~ n.key` builds the key: only its start is written
                if !tail[end + 1..].trim_start().starts_with('~') {
                    keys.push(format!("ui.{}", &tail[..end]));
                }
                rest = &tail[end..];
            }
        }
        keys.sort();
        keys
    }

    /// File names that look like keys (`ledger.xlsx`, `import.rs`).
    const FILE_ENDINGS: [&str; 11] = [
        ".rs", ".md", ".html", ".css", ".js", ".json", ".yaml", ".xlsx", ".csv", ".pdf", ".txt",
    ];

    fn literal_keys(text: &str, prefixes: &[String]) -> Vec<String> {
        let mut keys = Vec::new();
        for quote in ['"', '\''] {
            for prefix in prefixes {
                let start = format!("{quote}{prefix}.");
                let mut rest = text;
                while let Some(at) = rest.find(&start) {
                    let tail = &rest[at + 1..];
                    let end = tail.find(quote).unwrap_or(0);
                    let key = &tail[..end];
                    if key
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
                        && !key.ends_with('.')
                        && !FILE_ENDINGS.iter().any(|e| key.ends_with(e))
                    {
                        keys.push(key.to_string());
                    }
                    rest = &tail[end..];
                }
            }
        }
        keys.sort();
        keys
    }
}
