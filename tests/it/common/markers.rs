//! Scope-block markers as people type them (case, spacing, full-width
//! characters from a Chinese IME): every pair here must work as a real
//! `internal` block. The scope tests and the canary sweep both use it.

/// `(open, close)` pairs of an internal block.
pub const INTERNAL: &[(&str, &str)] = &[
    ("<!--scope:internal-->", "<!--/scope-->"),
    ("<!-- Scope: internal -->", "<!-- /Scope -->"),
    ("<！-- scope：internal --＞", "<！-- /scope --＞"),
    (
        "＜！－－ ｓｃｏｐｅ：ｉｎｔｅｒｎａｌ －－＞",
        "＜！－－／ｓｃｏｐｅ－－＞",
    ),
    ("<!--   scope :   internal   -->", "<!--  /  scope  -->"),
    ("<!-- SCOPE: Internal -->", "<!-- / SCOPE -->"),
    (
        "<!--\u{3000}scope：\u{3000}internal\u{3000}-->",
        "<!--\u{3000}/scope\u{3000}-->",
    ),
    ("<!——scope: internal——>", "<!——/scope——>"),
];
