//! Process flowcharts (权力运行流程图): a layered top-to-bottom layout and an
//! SVG renderer.
//!
//! The caller turns a flow's steps into a [`FlowGraph`], runs [`layout`] (pure,
//! deterministic geometry) and draws it with [`render_svg`], whole, or one
//! horizontal band at a time ([`bands`], [`render_slice`]) for printed pages.
//! No text in any language is hard-coded here except what the caller passes
//! in (step labels, edge labels, grade names, [`SvgOptions::risk_label`]).
//!
//! [`layout`] is a straight chain of phases, each a file that returns its own
//! value and imports only the phases before it:
//!
//! 1. `geometry` — the types every phase speaks ([`Rect`], [`NodeBox`],
//!    [`EdgePath`], [`Layout`]) and the text sizes; `text` wraps labels;
//! 2. `measure` — each step's box sized, edge labels' sizes (`Measured`);
//! 3. `layers` — back edges, ranks, dummy nodes, crossing reduction,
//!    x-coordinates (`Layered`);
//! 4. `route` — ends, ports and lanes planned (`route/plan.rs`), then tracks
//!    in the gaps, y-coordinates and polylines (`route/paths.rs`) (`Routed`);
//! 5. `labels` — edge labels placed (`Labelled`);
//! 6. `frame` — shifted into view with a margin: the [`Layout`].
//!
//! `svg` draws a [`Layout`]; `bands` cuts a tall one into pages. Text is
//! measured and escaped, and badge inks chosen, by the `markup` crate, as
//! everywhere else in gongshi.

#![forbid(unsafe_code)]

mod bands;
mod frame;
pub mod geometry;
mod labels;
mod layers;
mod measure;
mod route;
mod svg;
mod text;

#[cfg(test)]
mod tests;

pub use bands::bands;
pub use geometry::{EdgeKind, EdgePath, Layout, NodeBox, Rect, MIN_TEXT_SIZE};
pub use svg::{render_slice, render_svg, Slice, SvgOptions};

/// Lays out `g` top to bottom. Deterministic; never panics; edges whose
/// indices are out of range are left out.
pub fn layout(g: &FlowGraph) -> Layout {
    let measured = measure::measure(g);
    let layered = layers::build(g, &measured);
    let routed = route::route(g, &layered, measured);
    let labelled = labels::place(g, routed);
    frame::frame(labelled)
}

/// The shape a step is drawn with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Start of the process: a rounded "pill".
    Start,
    /// An ordinary step: a rectangle.
    Step,
    /// A decision: a diamond; its outgoing edges usually carry labels.
    Decision,
    /// End of the process: a rounded "pill".
    End,
}

/// One step of a flow.
#[derive(Debug, Clone)]
pub struct FlowNode {
    /// Step id, used for DOM ids: `id="step-<id>"` (with the caller's prefix).
    pub id: String,
    /// Label (usually Chinese, may be long: it is wrapped).
    pub label: String,
    /// Shape to draw.
    pub shape: Shape,
    /// Responsible post title, drawn smaller under the label.
    pub post: Option<String>,
    /// Time limit such as "3个工作日", drawn small under the label.
    pub time_limit: Option<String>,
    /// Present when the step carries risks.
    pub marker: Option<RiskMarker>,
}

/// The risks marked on a step.
#[derive(Debug, Clone)]
pub struct RiskMarker {
    /// Name of the highest grade among the step's risks, e.g. "一级"; shown as
    /// text in a badge, so the grade never depends on colour alone.
    pub grade: String,
    /// That grade's colour, e.g. "#c62828": node border and badge fill.
    pub color: String,
    /// The risks, linked from the node.
    pub risks: Vec<RiskLink>,
}

/// A link from a step to one risk page.
#[derive(Debug, Clone)]
pub struct RiskLink {
    /// Risk id, shown as the link text (e.g. "R-001").
    pub id: String,
    /// Risk title, shown in tooltips.
    pub title: String,
    /// Relative link, e.g. "../risks/R-001.html".
    pub href: String,
}

/// A directed edge between two steps.
#[derive(Debug, Clone)]
pub struct FlowEdge {
    /// Index of the source step in [`FlowGraph::nodes`].
    pub from: usize,
    /// Index of the target step in [`FlowGraph::nodes`].
    pub to: usize,
    /// Optional label such as "同意", "不同意" or "退回补正".
    pub label: Option<String>,
}

/// A whole flow: its title, steps and edges. Edges with indices out of range
/// are ignored by the layout.
#[derive(Debug, Clone)]
pub struct FlowGraph {
    /// Title, used as the SVG's accessible name.
    pub title: String,
    /// Steps, in document order.
    pub nodes: Vec<FlowNode>,
    /// Edges, in document order (the first `next` of a step comes first).
    pub edges: Vec<FlowEdge>,
}
