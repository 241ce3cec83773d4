//! Unit tests of the search index (`search.rs`).

use super::*;
use std::path::Path;

fn tokens(text: &str) -> (Vec<String>, Vec<String>) {
    let mut b = Vec::new();
    let mut w = Vec::new();
    tokenize(&text.to_lowercase(), &mut b, &mut w);
    let b = b
        .iter()
        .map(|k| {
            [(k >> 32) as u32, *k as u32]
                .iter()
                .filter_map(|c| char::from_u32(*c))
                .collect()
        })
        .collect();
    (b, w)
}

#[test]
fn chinese_is_cut_into_bigrams() {
    let (b, w) = tokens("违规审批，不动产");
    assert_eq!(b, ["违规", "规审", "审批", "不动", "动产"]);
    assert!(w.is_empty());
    // Punctuation and Latin break pairs; one character gives none.
    let (b, _) = tokens("审，批 审a批 审");
    assert!(b.is_empty(), "{b:?}");
    // Kana, hangul, 〇 and full-width digits pair too.
    let (b, _) = tokens("二〇２４年");
    assert_eq!(b, ["二〇", "〇２", "２４", "４年"]);
}

#[test]
fn latin_and_digits_are_whole_lowercase_words() {
    let (b, w) = tokens("见R-012与QL-03，2025年Excel台账v2.1");
    assert_eq!(w, ["r", "012", "ql", "03", "2025", "excel", "v2", "1"]);
    assert_eq!(b, ["台账"]);
    // Ids are found by their words: the browser asks for "r" and "012".
    let (_, w) = tokens("r-012");
    assert_eq!(w, ["r", "012"]);
}

#[test]
fn postings_round_trip_in_both_encodings() {
    let sparse = vec![3, 40, 41, 1000, 70_000];
    let s = encode_postings(&sparse);
    assert!(!s.starts_with('!'), "{s}");
    assert_eq!(decode_postings(&s), sparse);
    // One digit per gap under 32; 99 = 3 × 32 + 3 takes two.
    assert_eq!(encode_postings(&[0, 100, 101]), "AjDA");
    // Four neighbours fit one bitmap character.
    assert_eq!(encode_postings(&[0, 1, 2, 3]), "!P");
    let dense: Vec<u32> = (0..600).filter(|i| i % 3 != 0).collect();
    let d = encode_postings(&dense);
    assert!(d.starts_with('!'), "{d}");
    assert!(d.len() <= 1 + 600 / 6 + 1);
    assert_eq!(decode_postings(&d), dense);
    for n in [0u32, 31, 32, 1023, 1024, 32_767, 32_768, u32::MAX / 2] {
        assert_eq!(decode_postings(&encode_postings(&[n])), [n], "{n}");
    }
    // Nothing a JSON string must escape.
    assert!(ALPHABET
        .iter()
        .all(|b| b.is_ascii_alphanumeric() || b"-_".contains(b)));
}

/// A copy of the minimal test site with an internal-only risk added.
fn temp_site() -> tempfile::TempDir {
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad_sites/_base");
    let dir = tempfile::tempdir().expect("temp dir");
    for e in walkdir::WalkDir::new(&base) {
        let e = e.expect("walk");
        let to = dir
            .path()
            .join(e.path().strip_prefix(&base).expect("below"));
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&to).expect("mkdir");
        } else {
            std::fs::copy(e.path(), &to).expect("copy");
        }
    }
    let internal = "---\nid: R-090\ntitle: 内部专查的金丝雀风险\ntype: 岗位职责\ngrade: 一级\n\
        measures:\n  - phase: 前期预防\n    text: 金丝雀措施逐项登记。\nscope: internal\n---\n\
        **金丝雀**正文，涉及 Canary-Word。\n";
    std::fs::write(dir.path().join("content/risks/R-090.md"), internal).expect("write");
    dir
}

fn site_at(root: &Path) -> Site {
    let checked = crate::pipeline::check(root).expect("config");
    assert_eq!(checked.errors(), 0, "{:?}", checked.diags);
    checked.site
}

#[test]
fn the_index_holds_only_what_the_audience_sees() {
    let dir = temp_site();
    let site = site_at(dir.path());
    let public = crate::scope::filter(&site, 0);
    let internal = crate::scope::filter(&site, 1);
    let pub_js = script(&public, &index(&public));
    let int_js = script(&internal, &index(&internal));
    for secret in [
        "R-090",
        "金丝雀",
        "canary",
        "Canary",
        "内部核查记录", // an internal block in the public R-001
        "张某某",       // a holder: internal by holders_scope
    ] {
        assert!(!pub_js.contains(secret), "public index holds {secret}");
        assert!(int_js.contains(secret), "internal index lacks {secret}");
    }
    // The internal risk's bigrams and words are indexed only internally.
    let idx = index(&internal);
    let r = idx
        .entries
        .iter()
        .position(|e| e.id == "R-090")
        .expect("R-090");
    let jin = (u64::from('金') << 32) | u64::from('丝');
    let post = idx.bigrams.iter().find(|(k, _)| *k == jin).expect("金丝");
    assert!(post.1.contains(&(r as u32)));
    assert!(idx.words.iter().any(|(w, _)| w == "canary"));
    assert!(!index(&public).bigrams.iter().any(|(k, _)| *k == jin));
}

#[test]
fn entries_are_plain_text_with_grades_and_hrefs() {
    let dir = temp_site();
    let site = crate::scope::filter(&site_at(dir.path()), 1);
    let entries = entries(&site);
    let r = entries.iter().find(|e| e.id == "R-090").expect("R-090");
    assert_eq!(r.kind, Kind::Risk);
    assert_eq!(r.href, "risks/R-090.html");
    assert_eq!(r.grade, Some(0));
    assert_eq!(
        r.text,
        "金丝雀正文，涉及 Canary-Word。 金丝雀措施逐项登记。"
    );
    // `[[F-01]]` reads as the flow's title; kinds come in index order.
    let r1 = entries.iter().find(|e| e.id == "R-001").expect("R-001");
    let flow = site.flow("F-01").expect("F-01");
    assert!(r1.text.contains(&flow.meta.title), "{}", r1.text);
    assert!(!r1.text.contains("[["));
    let kinds: Vec<usize> = entries
        .iter()
        .map(|e| KINDS.iter().position(|k| *k == e.kind).unwrap())
        .collect();
    assert!(kinds.windows(2).all(|w| w[0] <= w[1]));
}

#[test]
fn markdown_syntax_is_stripped() {
    let dir = temp_site();
    let site = site_at(dir.path());
    let text = plain(
        &site,
        "## 风险表现\n\n受理员**放宽**条件，\n见`第三条`。\n\n- 一\n- 二\n\n|甲|乙|\n|-|-|\n|1|2|\n\n<b>x</b>[链接](http://x)",
    );
    assert_eq!(
        text,
        "风险表现 受理员放宽条件，见第三条。 一 二 甲 乙 1 2 x链接"
    );
}

#[test]
fn same_site_same_bytes() {
    let dir = temp_site();
    let site = crate::scope::filter(&site_at(dir.path()), 1);
    let a = render(&site);
    let b = render(&crate::scope::filter(&site_at(dir.path()), 1));
    assert_eq!(a.path, "search-index.js");
    assert_eq!(a.bytes, b.bytes);
    let text = String::from_utf8(a.bytes).expect("utf-8");
    assert!(text.starts_with("window.GONGSHI_SEARCH = {\"format\":1,"));
    // Tokens are sorted, so the browser can binary-search them.
    let idx = index(&site);
    assert!(idx.bigrams.windows(2).all(|w| w[0].0 < w[1].0));
    assert!(idx.words.windows(2).all(|w| w[0].0 < w[1].0));
}
