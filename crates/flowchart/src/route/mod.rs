//! Phase 3, routes: every step placed and every edge drawn as an
//! orthogonal polyline, in two steps. `plan` decides how each edge leaves and
//! enters its steps (bottom/top ports, diamond vertices, box sides), the side
//! lanes of back edges, and spreads the ports ([`plan::Planned`]); `paths`
//! assigns tracks in the gaps between layers, sets y-coordinates and draws
//! the polylines and self-loops ([`Routed`]). This file holds what both
//! steps speak: sides, port pools, edge ends and the outline points.

mod paths;
mod plan;

use super::geometry::{EdgePath, NodeBox};
use super::layers::Layered;
use super::measure::Measured;
use super::{FlowGraph, Shape};

/// Coordinates closer than this are the same.
pub(crate) const EPS: f64 = 1e-6;
/// How far an edge comes down beside a box it enters from the side.
pub(crate) const BESIDE: f64 = 16.0;

/// The steps placed (text and badges where they are drawn) and every edge
/// as a polyline; labels are not placed yet.
#[derive(Debug, Clone)]
pub(crate) struct Routed {
    /// One box per step, in the graph's order.
    pub(crate) nodes: Vec<NodeBox>,
    /// One path per valid edge, in the graph's order.
    pub(crate) edges: Vec<EdgePath>,
}

/// Places the measured steps on the layers of `lg` and routes every edge.
pub(crate) fn route(g: &FlowGraph, lg: &Layered, measured: Measured) -> Routed {
    let planned = plan::plan(g, lg, measured);
    paths::draw(g, lg, planned)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Side {
    Left,
    Right,
}

impl Side {
    /// The outward direction: -1 or +1.
    pub(crate) fn sign(self) -> f64 {
        match self {
            Side::Left => -1.0,
            Side::Right => 1.0,
        }
    }
}

/// The four port pools of a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pool {
    Top = 0,
    Bottom = 1,
    Left = 2,
    Right = 3,
}

impl From<Side> for Pool {
    fn from(s: Side) -> Pool {
        match s {
            Side::Left => Pool::Left,
            Side::Right => Pool::Right,
        }
    }
}

/// Where an edge leaves or enters a node.
#[derive(Debug, Clone, Copy)]
pub(crate) enum End {
    /// Bottom (leaving) or top (entering) at this x; diamonds: the vertex.
    Port(f64),
    /// The left or right vertex of a diamond.
    Vertex(Side),
    /// The left or right border of a box, `dy` below its centre.
    Border(Side, f64),
}

/// Range of x where edges may meet the top or bottom of a box.
pub(crate) fn port_range(b: &NodeBox, top: bool) -> (f64, f64) {
    if b.shape == Shape::Decision {
        return (b.cx(), b.cx());
    }
    let inset = b.radius().max(10.0);
    let lo = b.x + inset;
    let mut hi = b.x + b.w - inset;
    if let (true, Some(badge)) = (top, b.badge) {
        // `badge` is still relative to the box here.
        hi = hi.min(b.x + badge.x - 6.0).max(b.cx());
    }
    (lo, hi.max(lo))
}

/// Point on the left or right outline of a node at height `y`.
pub(crate) fn border_point(b: &NodeBox, side: Side, y: f64) -> (f64, f64) {
    let dy = (y - b.cy()).abs().min(b.h / 2.0);
    let off = match b.shape {
        Shape::Start | Shape::End => {
            let r = b.h / 2.0;
            b.w / 2.0 - r + (r * r - dy * dy).max(0.0).sqrt()
        }
        Shape::Decision => b.w / 2.0 * (1.0 - dy / (b.h / 2.0)),
        Shape::Step => b.w / 2.0,
    };
    (b.cx() + side.sign() * off, y)
}
