//! A whole small site from one input: config → load → model → check →
//! scope filter, then every diagnostic rendered as text in both languages.
//!
//! Input: files, each introduced by a line `@@ <path>` (e.g.
//! `@@ content/risks/R-001.md`); text before the first such line is
//! `content/risks/R-001.md`. A file named `gongshi.yaml` is the config
//! (the defaults when absent or invalid). The seeds in
//! `fuzz/corpus/site/` are real sites written this way.
#![no_main]

use gongshi::config::Config;
use gongshi::i18n::Lang;
use gongshi::load::{parse_document, Loaded};
use libfuzzer_sys::fuzz_target;

const MARK: &[u8] = b"@@ ";
const MAX_FILES: usize = 128;

/// The input's files as (path, bytes).
fn files(data: &[u8]) -> Vec<(String, &[u8])> {
    let mut out = Vec::new();
    let mut path = "content/risks/R-001.md".to_string();
    let (mut start, mut pos) = (0, 0);
    for line in data.split_inclusive(|&b| b == b'\n') {
        if line.starts_with(MARK) && out.len() < MAX_FILES {
            if pos > start {
                out.push((path, &data[start..pos]));
            }
            path = String::from_utf8_lossy(&line[MARK.len()..])
                .trim()
                .to_string();
            start = pos + line.len();
        }
        pos += line.len();
    }
    out.push((path, &data[start..]));
    out
}

fuzz_target!(|data: &[u8]| {
    let mut config = Config::default();
    let mut loaded = Loaded::default();
    for (path, bytes) in files(data) {
        if path == "gongshi.yaml" {
            if let Ok(c) = Config::parse(&String::from_utf8_lossy(bytes)) {
                config = c;
            }
        } else {
            loaded.add(parse_document(&path, bytes));
        }
    }
    let (site, mut diags) = gongshi::model::build(config, loaded);
    diags.extend(gongshi::check::run(&site));
    gongshi::diag::sort(&mut diags);
    for d in &diags {
        let _ = d.render(Lang::Zh);
        let _ = d.render(Lang::En);
        let _ = d.to_json(Lang::Zh);
    }
    for audience in 0..site.config.scopes.len() {
        let filtered = gongshi::scope::filter(&site, audience);
        let _ = gongshi::render::flows::draw_all(&filtered);
    }
});
