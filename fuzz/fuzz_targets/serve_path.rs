//! The preview's request path → file key mapping (`serve::http::key_of`),
//! after the head parser (`serve::head::parse`) when the input is a whole
//! request head.
//!
//! Input: any bytes. As a head (`GET … HTTP/1.1` and headers) when it
//! parses as one, else as the request target itself (lossy UTF-8).
//! Whatever key comes out names a file of the in-memory snapshot only: no
//! `..` or `.` segment, no empty segment, no backslash, NUL or other
//! control character, no `:` (drive letters), never a leading slash.
#![no_main]

use gongshi::serve::head::parse;
use gongshi::serve::http::key_of;
use libfuzzer_sys::fuzz_target;

fn check(target: &str) {
    let Some(key) = key_of(target) else {
        return;
    };
    assert!(!key.is_empty(), "{target:?}: empty key");
    assert!(!key.starts_with('/'), "{target:?} → {key:?}");
    assert!(
        !key.contains(['\\', '\0', ':']) && !key.chars().any(char::is_control),
        "{target:?} → {key:?}"
    );
    for seg in key.split('/') {
        assert!(
            !seg.is_empty() && seg != "." && seg != "..",
            "{target:?} → {key:?}"
        );
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(Some((req, used))) = parse(data) {
        assert!(used <= data.len());
        check(&req.target);
    }
    check(&String::from_utf8_lossy(data));
});
