//! Stage timings for benchmarks: with `GONGSHI_TIMINGS=1` in the
//! environment, each [`mark`] prints the time since the previous one to
//! stderr. Off (and free) otherwise; never part of any output file.

use std::sync::Mutex;
use std::time::Instant;

static LAST: Mutex<Option<Instant>> = Mutex::new(None);

fn enabled() -> bool {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("GONGSHI_TIMINGS").is_some())
}

/// The process's resident memory now, in MB (Linux; 0 elsewhere).
pub fn resident_mb() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    pages * 4096 / (1 << 20)
}

/// Prints `stage` with the milliseconds since the previous mark.
pub fn mark(stage: &str) {
    if !enabled() {
        return;
    }
    let now = Instant::now();
    let mut last = LAST.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(prev) = *last {
        eprintln!(
            "[timing] {stage:<24} {:>8.1} ms  (resident {} MB)",
            now.duration_since(prev).as_secs_f64() * 1000.0,
            resident_mb()
        );
    }
    *last = Some(now);
}
