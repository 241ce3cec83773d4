//! The integration tests: one crate (one link of the library instead of one
//! per file), a module per feature. `cargo test` runs them; tests that need
//! Chromium, poppler or LibreOffice are `#[ignore]`d there and run with
//! `cargo test -- --include-ignored` (CI does, with the tools installed).

mod common;
mod poppler;
mod serve_support;

/// The synthetic register of the benchmarks (`examples/synth.rs`).
#[path = "../../examples/synth.rs"]
#[allow(dead_code)]
mod synth;

mod bad_inputs;
mod booklet;
mod booklet_department;
mod booklet_docx;
mod booklet_print;
mod booklet_sign_off;
mod browser;
mod canary;
mod changelog;
mod chart_shots;
mod charts;
mod check_json;
mod display;
mod docs;
mod encodings;
mod export;
mod export_print;
mod import;
mod import_ods;
mod import_rows;
mod import_update;
mod init_new;
mod ledger_loop;
mod portal;
mod preview_ui;
mod review;
mod review_pages;
mod safe_writes;
mod scope_doors;
mod scopes;
mod search;
mod serve;
mod serve_build;
mod serve_patch;
mod serve_side_doors;
mod site_build;
mod versions;
mod writer_mistakes;
