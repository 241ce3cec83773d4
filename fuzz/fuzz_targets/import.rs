//! Ledger files for `gongshi import`: bytes → `import::table::read` (CSV in
//! any encoding, xlsx through the package check and calamine's streaming
//! reader, xls, ods) → the header search. Never a panic or an abort, and
//! what comes back stays inside the bounds of `import::table`.
#![no_main]

use gongshi::import::{headers, table};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let preferred = ["风险点".to_string(), "Risks".to_string()];
    let Ok(grid) = table::read(data, None, &preferred) else {
        return;
    };
    assert!(grid.rows.len() <= table::MAX_ROWS as usize);
    assert_eq!(grid.rows.len(), grid.numbers.len());
    for row in &grid.rows {
        assert!(row.len() <= table::MAX_COLS as usize);
    }
    let known = headers::known(
        gongshi::model::Kind::Risk,
        &gongshi::config::Config::default(),
    );
    let _ = headers::find_header(&grid.rows, &known);
});
