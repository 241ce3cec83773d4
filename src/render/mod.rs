//! Stage 5, render: pages, SVG, exports — from the filtered model only.

pub mod color;
