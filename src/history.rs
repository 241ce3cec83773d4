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
use crate::model::{
    Department, Flow, Measure, MeasureUse, Meta, Notice, Page, Post, Power, Risk, Site,
};
use serde::Deserialize;
use std::path::Path;

/// The file each version folder keeps its data in (`render::data` writes
/// it; this module reads it back).
pub const DATA_JSON: &str = "data.json";

/// One version of an audience as its `data.json` holds it: the audience's
/// whole filtered model, every kind and field (the change log compares
/// them all). A field an older gongshi did not write reads as empty;
/// `version` and `risks` must be there.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Snapshot {
    pub version: String,
    #[serde(default)]
    pub version_label: Option<String>,
    /// The audience (scope name) it was built for.
    #[serde(default)]
    pub scope: String,
    #[serde(default)]
    pub notice: Notice,
    #[serde(default)]
    pub departments: Vec<Department>,
    #[serde(default)]
    pub posts: Vec<Post>,
    #[serde(default)]
    pub powers: Vec<Power>,
    #[serde(default)]
    pub flows: Vec<Flow>,
    pub risks: Vec<RiskRecord>,
    #[serde(default)]
    pub measures: Vec<Measure>,
    #[serde(default)]
    pub pages: Vec<Page>,
}

/// A risk as `data.json` writes it: the model's `Risk` with its grade by
/// name (a version's grade names need not be the current config's).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RiskRecord {
    #[serde(flatten)]
    pub meta: Meta,
    #[serde(rename = "type")]
    pub risk_type: String,
    pub grade: String,
    pub likelihood: Option<u8>,
    pub impact: Option<u8>,
    pub tier: Option<String>,
    pub department: Option<String>,
    pub posts: Vec<String>,
    pub power: Option<String>,
    pub owner: Option<String>,
    pub measures: Vec<MeasureUse>,
    pub basis: Vec<String>,
    pub reviewed: Option<String>,
}

impl RiskRecord {
    /// A risk of the model as `data.json` writes it.
    pub fn of(cfg: &crate::config::Config, r: &Risk) -> RiskRecord {
        RiskRecord {
            meta: r.meta.clone(),
            risk_type: r.risk_type.clone(),
            grade: cfg
                .grades
                .get(r.grade)
                .map(|g| g.name.clone())
                .unwrap_or_default(),
            likelihood: r.likelihood,
            impact: r.impact,
            tier: r.tier.clone(),
            department: r.department.clone(),
            posts: r.posts.clone(),
            power: r.power.clone(),
            owner: r.owner.clone(),
            measures: r.measures.clone(),
            basis: r.basis.clone(),
            reviewed: r.reviewed.clone(),
        }
    }
}

impl Snapshot {
    /// The snapshot of the version being built, from its filtered site:
    /// what reading its `data.json` back would give.
    pub fn of(site: &Site) -> Snapshot {
        let cfg = &site.config;
        Snapshot {
            version: cfg.version.clone(),
            version_label: cfg.version_label.clone(),
            scope: String::new(),
            notice: site.notice.clone(),
            departments: site.departments.clone(),
            posts: site.posts.clone(),
            powers: site.powers.clone(),
            flows: site.flows.clone(),
            risks: site.risks.iter().map(|r| RiskRecord::of(cfg, r)).collect(),
            measures: site.measures.clone(),
            pages: site.pages.clone(),
        }
    }
}

/// One other version of the audience: its folder name and its data.
#[derive(Debug, Clone)]
pub struct Past {
    pub name: String,
    /// Shared: the render context keeps the previous version's for the
    /// preview's edits without copying it.
    pub data: std::sync::Arc<Snapshot>,
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
                Ok(data) => versions.push(Past {
                    name,
                    data: data.into(),
                }),
                Err((problem, line)) => diags.push(damaged(root, &path, &name, problem, line)),
            }
        }
        (History { versions }, diags)
    }

    /// Version `name` of `out/<scope>/` alone (`gongshi diff`), or its
    /// W117 warning when its `data.json` cannot be read.
    pub fn one(root: &Path, out: &Path, scope: &str, name: &str) -> Result<Past, Diagnostic> {
        let path = out.join(scope).join(name).join(DATA_JSON);
        match load(&path) {
            Ok(data) => Ok(Past {
                name: name.to_string(),
                data: data.into(),
            }),
            Err((problem, line)) => Err(damaged(root, &path, name, problem, line)),
        }
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
        assert_eq!(r.meta.id, "R-001");
    }
}
