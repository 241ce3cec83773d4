//! `data.json`: the audience's model as data (SPEC §5) — every kind as an
//! array of items with their fields normalised, grades by canonical name.

use super::Rendered;
use crate::model::Site;
use serde_json::{json, Value};

/// The `data.json` document of one audience's filtered site.
pub fn document(site: &Site, audience: usize) -> Value {
    let cfg = &site.config;
    let risks: Vec<Value> = site
        .risks
        .iter()
        .map(|r| {
            let mut v = serde_json::to_value(r).unwrap_or(Value::Null);
            v["grade"] = json!(cfg.grades[r.grade].name);
            v
        })
        .collect();
    json!({
        "version": cfg.version,
        "scope": cfg.scopes[audience].name,
        "grades": cfg.grades.iter().map(|g| &g.name).collect::<Vec<_>>(),
        "notice": site.notice,
        "departments": site.departments,
        "posts": site.posts,
        "powers": site.powers,
        "flows": site.flows,
        "risks": risks,
        "measures": site.measures,
        "pages": site.pages,
    })
}

/// Where `data.json` goes in the version folder.
pub const PATH: &str = "data.json";

pub fn render(site: &Site, audience: usize) -> Rendered {
    let text = serde_json::to_string_pretty(&document(site, audience)).unwrap_or_default();
    Rendered {
        path: PATH.into(),
        bytes: text.into_bytes(),
    }
}

/// What the versions list shows of one version, read from its `data.json`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct VersionSummary {
    pub version: String,
    /// The notice's date.
    pub date: Option<String>,
    /// Risks per grade of the current config (a grade name the config no
    /// longer has is not counted), and their total.
    pub counts: Vec<u32>,
    pub total: u32,
}

/// The summary of a version from its `data.json` text.
pub fn summary(site: &Site, data: &str) -> Option<VersionSummary> {
    let v: Value = serde_json::from_str(data).ok()?;
    let version = v.get("version")?.as_str()?.to_string();
    let date = v
        .pointer("/notice/date")
        .and_then(Value::as_str)
        .map(String::from);
    let mut counts = vec![0u32; site.config.grades.len()];
    let risks = v.get("risks")?.as_array()?;
    for r in risks {
        if let Some(i) = r
            .get("grade")
            .and_then(Value::as_str)
            .and_then(|g| site.config.grade_index(g))
        {
            counts[i] += 1;
        }
    }
    Some(VersionSummary {
        version,
        date,
        counts,
        total: risks.len() as u32,
    })
}
