//! The geometry every phase speaks: rectangles, laid-out steps and edges,
//! the finished [`Layout`], and the text sizes the drawing is made for.
//! Types only; no phase's code.

use super::Shape;

/// Label font size (px).
pub const LABEL_SIZE: f64 = 14.0;
/// Label line height (px).
pub const LABEL_LH: f64 = 20.0;
/// Font size of the post / time-limit lines and of the risk ids (px).
pub const SMALL_SIZE: f64 = 12.0;
/// Line height of the small lines (px).
pub const SMALL_LH: f64 = 17.0;
/// Space between the label and the small lines (px).
pub const SUB_GAP: f64 = 3.0;
/// Space above the risk-id rows, where a thin rule is drawn (px).
pub const RISK_GAP: f64 = 9.0;
/// Horizontal space between two risk ids in a row (px).
pub const RISK_SEP: f64 = 10.0;
/// Badge font size (px), height and horizontal padding.
pub const BADGE_SIZE: f64 = 11.0;
/// The smallest text of a drawing (px): the badge. The booklet prints a
/// flowchart so that this size is at least 9 pt on paper.
pub const MIN_TEXT_SIZE: f64 = BADGE_SIZE;

/// An axis-aligned rectangle (top-left corner and size).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Rect {
    /// Left.
    pub x: f64,
    /// Top.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
}

impl Rect {
    /// Right edge.
    pub fn right(&self) -> f64 {
        self.x + self.w
    }
    /// Bottom edge.
    pub fn bottom(&self) -> f64 {
        self.y + self.h
    }
    /// Whether the two rectangles overlap once `self` is grown by `margin`.
    pub fn overlaps(&self, o: &Rect, margin: f64) -> bool {
        self.x - margin < o.right()
            && o.x < self.right() + margin
            && self.y - margin < o.bottom()
            && o.y < self.bottom() + margin
    }
    /// Whether the segment `a`–`b` (axis-aligned) enters the interior of the
    /// rectangle shrunk by `inset`.
    pub fn cut_by(&self, a: (f64, f64), b: (f64, f64), inset: f64) -> bool {
        let (x0, x1) = (a.0.min(b.0), a.0.max(b.0));
        let (y0, y1) = (a.1.min(b.1), a.1.max(b.1));
        x0 < self.right() - inset
            && x1 > self.x + inset
            && y0 < self.bottom() - inset
            && y1 > self.y + inset
    }
}

/// A laid-out step.
#[derive(Debug, Clone)]
pub struct NodeBox {
    /// Left of the bounding box.
    pub x: f64,
    /// Top of the bounding box.
    pub y: f64,
    /// Width of the bounding box (a diamond's full width).
    pub w: f64,
    /// Height of the bounding box.
    pub h: f64,
    /// Shape, copied from the step.
    pub shape: Shape,
    /// Layer (0 = top).
    pub rank: usize,
    /// Wrapped label lines ([`LABEL_SIZE`]).
    pub lines: Vec<String>,
    /// Post and time-limit lines ([`SMALL_SIZE`]).
    pub sub_lines: Vec<String>,
    /// Risk ids per row, as indices into the step's `marker.risks`.
    pub risk_rows: Vec<Vec<usize>>,
    /// Top of the first text line.
    pub text_top: f64,
    /// Grade badge, when the step has a risk marker.
    pub badge: Option<Rect>,
}

impl NodeBox {
    /// The bounding box.
    pub fn rect(&self) -> Rect {
        Rect {
            x: self.x,
            y: self.y,
            w: self.w,
            h: self.h,
        }
    }
    /// Horizontal centre.
    pub fn cx(&self) -> f64 {
        self.x + self.w / 2.0
    }
    /// Vertical centre.
    pub fn cy(&self) -> f64 {
        self.y + self.h / 2.0
    }
    /// Corner radius of the drawn outline (pills: half the height).
    pub fn radius(&self) -> f64 {
        match self.shape {
            Shape::Start | Shape::End => self.h / 2.0,
            Shape::Step => 4.0,
            Shape::Decision => 0.0,
        }
    }
    /// Whether `p` lies on the drawn outline (rectangle, pill or diamond)
    /// within `tol` pixels.
    pub fn on_outline(&self, p: (f64, f64), tol: f64) -> bool {
        let (hw, hh) = (self.w / 2.0, self.h / 2.0);
        let (dx, dy) = ((p.0 - self.cx()).abs(), (p.1 - self.cy()).abs());
        match self.shape {
            Shape::Decision => {
                // Distance to the edge x/hw + y/hh = 1.
                let d = (dx * hh + dy * hw - hw * hh) / (hw * hw + hh * hh).sqrt();
                d.abs() <= tol && dx <= hw + tol && dy <= hh + tol
            }
            Shape::Start | Shape::End => {
                let r = hh;
                if dx <= hw - r {
                    (dy - hh).abs() <= tol
                } else {
                    let ex = dx - (hw - r);
                    ((ex * ex + dy * dy).sqrt() - r).abs() <= tol
                }
            }
            Shape::Step => {
                (dx <= hw + tol && (dy - hh).abs() <= tol)
                    || (dy <= hh + tol && (dx - hw).abs() <= tol)
            }
        }
    }
}

/// How an edge is routed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EdgeKind {
    /// Downwards, through the layers.
    Forward,
    /// A loop back to an earlier step, routed in a side lane.
    Back,
    /// From a step to itself.
    SelfLoop,
}

/// A routed edge.
#[derive(Debug, Clone)]
pub struct EdgePath {
    /// Index into [`FlowGraph::edges`].
    pub edge: usize,
    /// Source node index.
    pub from: usize,
    /// Target node index.
    pub to: usize,
    /// Routing kind.
    pub kind: EdgeKind,
    /// Orthogonal polyline from a point on the source outline to a point on
    /// the target outline (the arrow tip).
    pub points: Vec<(f64, f64)>,
    /// Background rectangle of the label (text centred in it), if labelled.
    pub label_rect: Option<Rect>,
}

/// The geometry of a whole flowchart.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    /// Width of the drawing.
    pub width: f64,
    /// Height of the drawing.
    pub height: f64,
    /// One box per step, in the graph's order.
    pub nodes: Vec<NodeBox>,
    /// One path per valid edge, in the graph's order.
    pub edges: Vec<EdgePath>,
}
