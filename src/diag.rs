//! Diagnostics: errors and warnings as values, shown in the configured language.
//!
//! A [`Diagnostic`] names a [`Code`] and carries the arguments of its
//! message; the words come from the catalogue (`i18n`) only when it is shown,
//! as text with the source line and a marker, or as JSON.

use crate::i18n::{tr, tr_opt, Lang};
use serde::Serialize;
use std::fmt::Write as _;

mod excerpt;
pub use excerpt::Excerpt;

/// How serious a diagnostic is: errors stop `build`, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

macro_rules! codes {
    ($($name:ident = $code:literal, $sev:ident;)*) => {
        /// Every diagnostic gongshi can report. The code is stable and
        /// documented; message and hint live in the catalogue under
        /// `diag.<code>` and `diag.<code>.hint`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
        pub enum Code { $($name,)* }
        impl Code {
            /// All codes, for documentation and catalogue tests.
            pub const ALL: &'static [Code] = &[$(Code::$name,)*];
            /// The stable code, e.g. `E011`.
            pub fn as_str(self) -> &'static str { match self { $(Code::$name => $code,)* } }
            /// Error or warning.
            pub fn severity(self) -> Severity { match self { $(Code::$name => Severity::$sev,)* } }
        }
    };
}

codes! {
    ConfigUnreadable = "C001", Error;
    ConfigSyntax = "C002", Error;
    ConfigInvalid = "C003", Error;
    ConfigControlChar = "C004", Error;
    ConfigThemeName = "C005", Error;
    NoFrontMatter = "E001", Error;
    UnclosedFrontMatter = "E002", Error;
    NotText = "E003", Error;
    YamlSyntax = "E010", Error;
    FullWidthColon = "E011", Error;
    FullWidthSpace = "E012", Error;
    TabIndent = "E013", Error;
    NotAMapping = "E014", Error;
    MissingField = "E020", Error;
    WrongType = "E021", Error;
    NotAllowed = "E022", Error;
    BadDate = "E023", Error;
    BadId = "E024", Error;
    OutOfRange = "E025", Error;
    UnknownKind = "E026", Error;
    ReservedId = "E027", Error;
    DuplicateId = "E030", Error;
    DanglingRef = "E031", Error;
    DanglingLink = "E032", Error;
    UnknownNextStep = "E033", Error;
    DuplicateStep = "E034", Error;
    IncompatibleHeld = "E035", Error;
    BadScopeBlock = "E036", Error;
    IdCaseClash = "E038", Error;
    FullWidthInValue = "E039", Error;
    UnknownField = "W101", Warning;
    StepUnreachable = "W102", Warning;
    StepNoEnd = "W103", Warning;
    RotationDue = "W104", Warning;
    NoMeasure = "W105", Warning;
    TopGradeNoOwner = "W106", Warning;
    GradeScoreMismatch = "W107", Warning;
    ScopeInversion = "W108", Warning;
    RawScript = "W109", Warning;
    GbkEncoding = "W110", Warning;
    LowContrast = "W111", Warning;
    IgnoredFile = "W112", Warning;
    NameIdMismatch = "W113", Warning;
    HiddenExtension = "W114", Warning;
    Placeholder = "W115", Warning;
    ImportNote = "W116", Warning;
    DamagedVersion = "W117", Warning;
    PortalMissing = "W120", Warning;
    PortalBadgeMissing = "W121", Warning;
    Unreviewed = "W130", Warning;
}

/// Where a diagnostic points: a file relative to the site root, a 1-based
/// line and column (in characters), the length of the marked span and the
/// source line itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    pub file: String,
    pub line: usize,
    pub column: usize,
    #[serde(skip)]
    pub len: usize,
    #[serde(skip)]
    pub source_line: String,
}

impl Location {
    /// What to show of the source line in `max` display columns: the whole
    /// line, or a window around the marked span.
    pub fn excerpt(&self, max: usize) -> Excerpt {
        Excerpt::new(
            &self.source_line,
            self.column.saturating_sub(1),
            self.len,
            max,
        )
    }

    /// The location of byte range `start..end` of `text` (the decoded,
    /// LF-normalised content of `file`).
    pub fn in_text(file: &str, text: &str, start: usize, end: usize) -> Location {
        let start = floor_char(text, start.min(text.len()));
        let end = floor_char(text, end.clamp(start, text.len()));
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let line = text[..start].matches('\n').count() + 1;
        let column = text[line_start..start].chars().count() + 1;
        let len = text[start..end.min(line_end)].chars().count().max(1);
        Location {
            file: file.to_string(),
            line,
            column,
            len,
            source_line: text[line_start..line_end].to_string(),
        }
    }

    /// A location naming only a file (no line to show).
    pub fn file_only(file: &str) -> Location {
        Location {
            file: file.to_string(),
            line: 1,
            column: 1,
            len: 0,
            source_line: String::new(),
        }
    }
}

fn floor_char(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// One error or warning.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub code: Code,
    pub at: Option<Location>,
    pub args: Vec<(&'static str, String)>,
    /// Which hint to show when a code has several: `diag.<code>.hint.<variant>`
    /// (e.g. a suggestion only when there is one to make).
    pub hint_variant: Option<&'static str>,
}

impl Diagnostic {
    pub fn new(code: Code, at: Option<Location>) -> Diagnostic {
        Diagnostic {
            code,
            at,
            args: Vec::new(),
            hint_variant: None,
        }
    }

    /// Chooses the hint `diag.<code>.hint.<variant>` instead of the plain one.
    pub fn hint_variant(mut self, variant: &'static str) -> Diagnostic {
        self.hint_variant = Some(variant);
        self
    }

    /// The arguments as shown in `lang`: a `field` path (`steps.1.risks.0`)
    /// in words ("第 2 个步骤的风险（risks）第 1 项"), and its last key as
    /// `key` for hints that show what to type.
    fn shown_args(&self, lang: Lang) -> Vec<(&'static str, String)> {
        let mut args = self.args.clone();
        if let Some(i) = args.iter().position(|(k, _)| *k == "field") {
            let path = args[i].1.clone();
            args[i].1 = crate::i18n::field_path(lang, &path);
            if !args.iter().any(|(k, _)| *k == "key") {
                let key = path
                    .rsplit('.')
                    .find(|s| s.parse::<usize>().is_err())
                    .unwrap_or(&path);
                args.push(("key", key.to_string()));
            }
        }
        // a list of field names (`known`) shown with their words
        if let Some(i) = args.iter().position(|(k, _)| *k == "known") {
            let names: Vec<String> = args[i]
                .1
                .split(", ")
                .map(|key| crate::i18n::field_path(lang, key))
                .collect();
            args[i].1 = names.join(&tr(lang, "field.list.join", &[]));
        }
        // the fields an unreviewed item changed, in words
        if let Some(i) = args.iter().position(|(k, _)| *k == "fields") {
            let names: Vec<String> = args[i]
                .1
                .split(", ")
                .map(|key| crate::i18n::field_path(lang, key))
                .collect();
            args[i].1 = names.join(&tr(lang, "field.list.join", &[]));
        }
        // `problem` names a catalogue message (a parser's problem in words)
        if let Some(i) = args.iter().position(|(k, _)| *k == "problem") {
            args[i].1 = tr(lang, &args[i].1, &args);
        }
        args
    }

    /// Adds a message argument (`{name}` in the catalogue).
    pub fn arg(mut self, name: &'static str, value: impl Into<String>) -> Diagnostic {
        self.args.push((name, value.into()));
        self
    }

    pub fn severity(&self) -> Severity {
        self.code.severity()
    }

    pub fn is_error(&self) -> bool {
        self.severity() == Severity::Error
    }

    pub fn message(&self, lang: Lang) -> String {
        tr(
            lang,
            &format!("diag.{}", self.code.as_str()),
            &self.shown_args(lang),
        )
    }

    pub fn hint(&self, lang: Lang) -> Option<String> {
        let args = self.shown_args(lang);
        let base = format!("diag.{}.hint", self.code.as_str());
        if let Some(v) = self.hint_variant {
            if let Some(h) = tr_opt(lang, &format!("{base}.{v}"), &args) {
                return Some(h);
            }
        }
        tr_opt(lang, &base, &args)
    }

    /// The diagnostic as a few lines of text, with the source line and a
    /// marker under the offending span, like a compiler's.
    pub fn render(&self, lang: Lang) -> String {
        let sev = match self.severity() {
            Severity::Error => tr(lang, "cli.error", &[]),
            Severity::Warning => tr(lang, "cli.warning", &[]),
        };
        let mut out = format!("{sev}[{}]: {}\n", self.code.as_str(), self.message(lang));
        if let Some(at) = &self.at {
            let _ = writeln!(out, "  --> {}:{}:{}", at.file, at.line, at.column);
            if !at.source_line.is_empty() || at.len > 0 {
                let digits = at.line.to_string().len();
                let room = terminal_width().saturating_sub(digits + 4);
                let [text, marker] = at.excerpt(room).numbered(at.line, false);
                let _ = writeln!(out, " {} |", " ".repeat(digits));
                let _ = writeln!(out, " {text}");
                let _ = writeln!(out, " {marker}");
            }
        }
        if let Some(hint) = self.hint(lang) {
            let _ = writeln!(out, "  = {}: {hint}", tr(lang, "cli.hint", &[]));
        }
        out
    }

    /// The diagnostic as a JSON object for `check --format json`.
    pub fn to_json(&self, lang: Lang) -> serde_json::Value {
        let at = self.at.clone().unwrap_or_else(|| Location::file_only(""));
        serde_json::json!({
            "code": self.code.as_str(),
            "severity": self.severity(),
            "file": at.file,
            "line": at.line,
            "column": at.column,
            "message": self.message(lang),
            "hint": self.hint(lang),
            "source": at.source_line,
        })
    }
}

/// Diagnostics in a stable order: by file, line, column, then code.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        let ka = a.at.as_ref().map(|l| (l.file.as_str(), l.line, l.column));
        let kb = b.at.as_ref().map(|l| (l.file.as_str(), l.line, l.column));
        ka.cmp(&kb).then(a.code.cmp(&b.code))
    });
}

/// The width of the terminal diagnostics are printed to (stderr), else
/// `COLUMNS`, else 100.
fn terminal_width() -> usize {
    console::Term::stderr()
        .size_checked()
        .map(|(_, cols)| cols as usize)
        .or_else(|| std::env::var("COLUMNS").ok()?.parse().ok())
        .unwrap_or(100)
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_width::UnicodeWidthChar;

    #[test]
    fn every_code_has_a_message_in_both_languages() {
        for code in Code::ALL {
            for lang in [Lang::Zh, Lang::En] {
                let key = format!("diag.{}", code.as_str());
                assert!(
                    lang.catalogue().contains_key(&key),
                    "{key} missing in {lang:?}"
                );
            }
        }
    }

    #[test]
    fn location_counts_characters_not_bytes() {
        let text = "---\ntitle：审批\n---\n";
        let at = text.find('：').unwrap();
        let loc = Location::in_text("a.md", text, at, at + '：'.len_utf8());
        assert_eq!((loc.line, loc.column, loc.len), (2, 6, 1));
        assert_eq!(loc.source_line, "title：审批");
    }

    #[test]
    fn render_marks_wide_characters_with_two_columns() {
        let text = "名称：x";
        let loc = Location::in_text("a.md", text, 6, 9);
        let d = Diagnostic::new(Code::FullWidthColon, Some(loc));
        let shown = d.render(Lang::Zh);
        assert!(shown.contains("a.md:1:3"), "{shown}");
        assert!(shown.contains("|     ^^"), "{shown}");
    }

    #[test]
    fn a_long_line_is_shown_around_the_column() {
        let text = format!("title: {}：{}", "审".repeat(200), "批".repeat(200));
        let at = text.find('：').unwrap();
        let loc = Location::in_text("a.md", &text, at, at + '：'.len_utf8());
        let d = Diagnostic::new(Code::FullWidthColon, Some(loc));
        let shown = d.render(Lang::Zh);
        let lines: Vec<&str> = shown.lines().collect();
        let (source, marker) = (lines[3], lines[4]);
        assert!(
            source.contains("...审审") && source.contains("：批批"),
            "{shown}"
        );
        assert!(source.chars().count() < 120, "{shown}");
        let col = |s: &str, upto: usize| -> usize {
            s.chars().take(upto).map(|c| c.width().unwrap_or(0)).sum()
        };
        let colon = source.chars().position(|c| c == '：').unwrap();
        assert_eq!(marker.find('^'), Some(col(source, colon)), "{shown}");
    }
}
