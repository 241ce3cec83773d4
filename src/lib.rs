//! gongshi (公示): a static-site generator for integrity-risk disclosure.
//!
//! The crate reads as its pipeline (see ARCHITECTURE.md):
//! `load` → `model` (ids resolved) → `check` → `scope` filter → `render` → `write`.

#![forbid(unsafe_code)]

pub mod build;
pub mod changes;
pub mod check;
pub mod cli;
pub mod color;
pub mod config;
pub mod diag;
pub mod edit;
pub mod history;
pub mod i18n;
pub mod import;
pub mod kind;
pub mod load;
pub mod lock;
pub mod model;
pub mod pdf;
pub mod pipeline;
pub mod render;
pub mod review;
pub mod scope;
pub mod serve;
pub mod timing;
pub mod versions;
pub mod write;

/// Today's date as `YYYY-MM-DD` (UTC), for checks that depend on it
/// (rotation due). `GONGSHI_TODAY` overrides it, for tests. Nothing that is
/// written to the output depends on it.
pub fn today() -> String {
    if let Ok(t) = std::env::var("GONGSHI_TODAY") {
        return t;
    }
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    civil_date((secs / 86_400) as i64)
}

/// Days since 1970-01-01 to `YYYY-MM-DD` (proleptic Gregorian).
pub fn civil_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}
