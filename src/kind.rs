//! The kinds of content file, a leaf every stage names: `load` tells a
//! file's kind by its folder or `kind:`, `model` builds one item type per kind.

use serde::Serialize;

/// The kinds of content file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Notice,
    Department,
    Post,
    Power,
    Flow,
    Risk,
    Measure,
    Page,
}

impl Kind {
    /// Every kind that lives in a folder of its own, in navigation order.
    pub const FOLDERS: [Kind; 7] = [
        Kind::Power,
        Kind::Flow,
        Kind::Risk,
        Kind::Post,
        Kind::Department,
        Kind::Measure,
        Kind::Page,
    ];

    /// The order an id is looked up in across kinds (a `[[ID]]` link's
    /// target), which is also the search index's order of kinds.
    pub const LOOKUP: [Kind; 7] = [
        Kind::Risk,
        Kind::Power,
        Kind::Flow,
        Kind::Post,
        Kind::Department,
        Kind::Measure,
        Kind::Page,
    ];

    /// From a folder name (`risks`), a `kind:` value (`risk`) or the
    /// Chinese word for it (风险点).
    pub fn parse(s: &str) -> Option<Kind> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "notice" | "_index" => Kind::Notice,
            "department" | "departments" => Kind::Department,
            "post" | "posts" => Kind::Post,
            "power" | "powers" => Kind::Power,
            "flow" | "flows" => Kind::Flow,
            "risk" | "risks" => Kind::Risk,
            "measure" | "measures" => Kind::Measure,
            "page" | "pages" => Kind::Page,
            // the words writers use (the pages' own headings)
            "科室" | "部门" => Kind::Department,
            "岗位" => Kind::Post,
            "职权" | "职权事项" => Kind::Power,
            "流程图" | "流程" | "办理流程" => Kind::Flow,
            "风险点" | "风险" => Kind::Risk,
            "防控措施" | "措施" | "共用防控措施" => Kind::Measure,
            "页面" | "说明页" => Kind::Page,
            _ => return None,
        })
    }

    /// The folder, both below `content/` and in the output.
    pub fn folder(self) -> &'static str {
        match self {
            Kind::Notice => "",
            Kind::Department => "departments",
            Kind::Post => "posts",
            Kind::Power => "powers",
            Kind::Flow => "flows",
            Kind::Risk => "risks",
            Kind::Measure => "measures",
            Kind::Page => "pages",
        }
    }

    /// The singular name used in `kind:` and `gongshi new`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Notice => "notice",
            Kind::Department => "department",
            Kind::Post => "post",
            Kind::Power => "power",
            Kind::Flow => "flow",
            Kind::Risk => "risk",
            Kind::Measure => "measure",
            Kind::Page => "page",
        }
    }

    /// Whether items of this kind carry a review stamp (`gongshi review`):
    /// every item of the register, not the free pages or the notice.
    pub fn stamped(self) -> bool {
        !matches!(self, Kind::Notice | Kind::Page)
    }

    /// `departments, posts, …` for messages.
    pub fn folder_list() -> String {
        Kind::FOLDERS.map(|k| k.folder()).join(", ")
    }
}
