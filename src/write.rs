//! Stage 6, write: atomic output.
