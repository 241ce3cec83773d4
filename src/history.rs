//! History (历年版本): the other versions of one audience, read once per
//! build — before anything renders — from their `data.json` in the output
//! folder, as typed data. The change log (`render::changes`), the versions
//! chart (`render::summary`) and the versions list (`render::data`) take it
//! from here and never read the output folder themselves.
//!
//! A version whose `data.json` is missing, unreadable or not what gongshi
//! writes is left out with a warning (W117) naming the file, so a damaged
//! old version never makes the change log or the chart vanish silently.

use crate::diag::{Code, Diagnostic, Location};
use crate::model::{MeasureUse, Site};
use serde::Deserialize;
use std::path::Path;

/// The file each version folder keeps its data in (`render::data` writes
/// it; this module reads it back).
pub const DATA_JSON: &str = "data.json";

/// What the change log, the chart and the versions list need of one
/// version's `data.json` (fields it does not need are not read).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Snapshot {
    pub version: String,
    #[serde(default)]
    pub notice: Option<NoticeDate>,
    pub risks: Vec<RiskRecord>,
    #[serde(default)]
    pub posts: Vec<Named>,
    #[serde(default)]
    pub powers: Vec<Named>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NoticeDate {
    #[serde(default)]
    pub date: Option<String>,
}

/// A post or power: its id and title.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Named {
    pub id: String,
    #[serde(default)]
    pub title: Option<String>,
}

/// A risk as the change log compares it; `grade` by its name.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RiskRecord {
    pub id: String,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub grade: String,
    #[serde(default, rename = "type")]
    pub risk_type: String,
    #[serde(default)]
    pub measures: Vec<MeasureRecord>,
}

/// A measure on a risk, as `data.json` writes `MeasureUse`.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum MeasureRecord {
    Inline {
        #[serde(default)]
        phase: Option<String>,
        #[serde(default)]
        category: Option<String>,
        #[serde(default)]
        text: String,
    },
    Shared {
        id: String,
    },
}

impl Snapshot {
    /// The snapshot of the version being built, from its filtered site:
    /// what reading its `data.json` back would give.
    pub fn of(site: &Site) -> Snapshot {
        let cfg = &site.config;
        let named = |id: &str, title: &str| Named {
            id: id.to_string(),
            title: Some(title.to_string()),
        };
        Snapshot {
            version: cfg.version.clone(),
            notice: Some(NoticeDate {
                date: site.notice.date.clone(),
            }),
            risks: site
                .risks
                .iter()
                .map(|r| RiskRecord {
                    id: r.meta.id.clone(),
                    title: Some(r.meta.title.clone()),
                    grade: cfg
                        .grades
                        .get(r.grade)
                        .map(|g| g.name.clone())
                        .unwrap_or_default(),
                    risk_type: r.risk_type.clone(),
                    measures: r.measures.iter().map(MeasureRecord::of).collect(),
                })
                .collect(),
            posts: site
                .posts
                .iter()
                .map(|p| named(&p.meta.id, &p.meta.title))
                .collect(),
            powers: site
                .powers
                .iter()
                .map(|p| named(&p.meta.id, &p.meta.title))
                .collect(),
        }
    }
}

impl MeasureRecord {
    fn of(m: &MeasureUse) -> MeasureRecord {
        match m {
            MeasureUse::Inline {
                phase,
                category,
                text,
            } => MeasureRecord::Inline {
                phase: phase.clone(),
                category: category.clone(),
                text: text.clone(),
            },
            MeasureUse::Shared { id } => MeasureRecord::Shared { id: id.clone() },
        }
    }
}

/// One other version of the audience: its folder name and its data.
#[derive(Debug, Clone)]
pub struct Past {
    pub name: String,
    pub data: Snapshot,
}

/// The other versions of one audience that could be read, oldest first
/// (the version being built is not among them).
#[derive(Debug, Clone, Default)]
pub struct History {
    pub versions: Vec<Past>,
}

impl History {
    /// Reads every version folder of `out/<scope>/` but `current`; each
    /// one that cannot be read is a W117 warning naming its `data.json`
    /// (shown relative to `root` when it lies inside it).
    pub fn read(root: &Path, out: &Path, scope: &str, current: &str) -> (History, Vec<Diagnostic>) {
        let mut versions = Vec::new();
        let mut diags = Vec::new();
        // Newest first; reversed into the oldest first.
        for name in crate::write::versions(out, scope).into_iter().rev() {
            if name == current {
                continue;
            }
            let path = out.join(scope).join(&name).join(DATA_JSON);
            match load(&path) {
                Ok(data) => versions.push(Past { name, data }),
                Err((problem, line)) => diags.push(damaged(root, &path, &name, problem, line)),
            }
        }
        (History { versions }, diags)
    }

    /// The newest version older than `current` (the one the change log
    /// compares with); a damaged one is passed over for the one before.
    pub fn previous(&self, current: &str) -> Option<&Past> {
        let mut names: Vec<String> = self.versions.iter().map(|p| p.name.clone()).collect();
        names.push(current.to_string());
        crate::write::sort_versions(&mut names);
        let at = names.iter().position(|n| n == current)?;
        let name = names.get(at + 1)?;
        self.versions.iter().find(|p| &p.name == name)
    }
}

/// A `data.json` read and typed, or what is wrong with it (a catalogue
/// key) and the line where reading stopped.
fn load(path: &Path) -> Result<Snapshot, (&'static str, usize)> {
    let bytes = std::fs::read(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => ("history.missing", 0),
        _ => ("history.unreadable", 0),
    })?;
    serde_json::from_slice(&bytes).map_err(|e| {
        let problem = match e.classify() {
            serde_json::error::Category::Eof => "history.cut_short",
            serde_json::error::Category::Syntax => "history.not_json",
            serde_json::error::Category::Data => "history.wrong_shape",
            serde_json::error::Category::Io => "history.unreadable",
        };
        (problem, e.line())
    })
}

/// The W117 warning for a damaged version.
fn damaged(
    root: &Path,
    path: &Path,
    version: &str,
    problem: &'static str,
    line: usize,
) -> Diagnostic {
    let shown = |p: &Path| match p.strip_prefix(root) {
        Ok(_) => crate::load::relative(root, p),
        Err(_) => p.display().to_string(),
    };
    let file = shown(path);
    let dir = path.parent().map(shown).unwrap_or_default();
    Diagnostic::new(Code::DamagedVersion, Some(Location::file_only(&file)))
        .arg("version", version)
        .arg("file", file)
        .arg("dir", dir)
        .arg("line", line.to_string())
        .arg("problem", problem)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version(out: &Path, name: &str, data: &str) {
        let dir = out.join("public").join(name);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("data.json"), data).unwrap();
    }

    const GOOD: &str = r#"{"version": "V", "risks": [{"id": "R-001", "grade": "一级",
        "type": "t", "measures": [{"kind": "shared", "id": "M-1"}]}], "posts": []}"#;

    #[test]
    fn damaged_versions_are_named_and_the_others_kept() {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("site");
        version(&out, "2022", GOOD);
        version(&out, "2023", &GOOD[..40]);
        version(&out, "2024", r#"{"version": "2024", "risks": 3}"#);
        version(&out, "2025", GOOD);
        std::fs::create_dir_all(out.join("public/2026")).unwrap();
        let (history, diags) = History::read(root.path(), &out, "public", "2025");
        let names: Vec<&str> = history.versions.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["2022"]);
        let seen: Vec<(String, &str)> = diags
            .iter()
            .map(|d| {
                let problem = d.args.iter().find(|(k, _)| *k == "problem").unwrap();
                (d.at.as_ref().unwrap().file.clone(), problem.1.as_str())
            })
            .collect();
        assert_eq!(
            seen,
            [
                (
                    "site/public/2023/data.json".to_string(),
                    "history.cut_short"
                ),
                (
                    "site/public/2024/data.json".to_string(),
                    "history.wrong_shape"
                ),
                ("site/public/2026/data.json".to_string(), "history.missing"),
            ]
        );
        // the change log of 2025 compares with 2022, the newest readable
        assert_eq!(
            history.previous("2025").map(|p| p.name.as_str()),
            Some("2022")
        );
        assert!(history.previous("2021").is_none());
        let r = &history.versions[0].data.risks[0];
        assert_eq!((r.grade.as_str(), r.risk_type.as_str()), ("一级", "t"));
    }
}
