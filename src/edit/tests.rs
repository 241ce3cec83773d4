use super::*;

const FILE: &str = "---\n# 风险点\nid: R-001\ntitle: 受理环节  # 标题\ngrade: 二级\nposts:\n  - P-10\n\n  - P-11\nmeasures:\n  - phase: 前期预防\n    category: 制度\n    text: 公布清单。\n  - ref: M-04\nbasis: [《条例》, 《规程》]\nscope: 'public'\n---\n正文。\n\n<!-- scope: internal -->\n内部。\n<!-- /scope -->\n";

fn edit(path: &str, value: NewValue) -> Edit {
    Edit {
        path: path.into(),
        value,
    }
}

fn one(e: Edit) -> String {
    apply(
        FILE,
        &[e],
        &["id", "title", "grade", "department", "posts"],
        None,
    )
    .unwrap()
}

#[test]
fn a_scalar_changes_alone() {
    let out = one(edit("grade", NewValue::Text("一级".into())));
    assert_eq!(out, FILE.replace("grade: 二级", "grade: 一级"));
    let out = one(edit("title", NewValue::Text("受理: 环节".into())));
    assert_eq!(
        out,
        FILE.replace("title: 受理环节  # 标题", "title: \"受理: 环节\"  # 标题")
    );
    let out = one(edit("scope", NewValue::Text("internal".into())));
    assert_eq!(out, FILE.replace("'public'", "'internal'"));
}

#[test]
fn lists_keep_their_form() {
    let out = one(edit("posts", NewValue::List(vec!["P-12".into()])));
    assert_eq!(out, FILE.replace("  - P-10\n\n  - P-11\n", "  - P-12\n"));
    let out = one(edit(
        "basis",
        NewValue::List(vec!["《条例》".into(), "a, b".into()]),
    ));
    assert!(out.contains("basis: [《条例》, \"a, b\"]\n"), "{out}");
}

#[test]
fn a_measure_text_changes_in_place() {
    let out = one(edit(
        "measures.0.text",
        NewValue::Text("公布清单和时限。".into()),
    ));
    assert_eq!(out, FILE.replace("公布清单。", "公布清单和时限。"));
    let ms = vec![MeasureUse::Shared { id: "M-01".into() }];
    let out = one(edit("measures", NewValue::Measures(ms)));
    assert!(out.contains("measures:\n  - ref: M-01\nbasis"), "{out}");
}

#[test]
fn keys_come_and_go() {
    let out = one(edit("department", NewValue::Text("D-04".into())));
    assert!(
        out.contains("grade: 二级\ndepartment: D-04\nposts:"),
        "{out}"
    );
    let out = one(edit("basis", NewValue::Absent));
    assert_eq!(out, FILE.replace("basis: [《条例》, 《规程》]\n", ""));
}

#[test]
fn the_body_keeps_its_edges() {
    let out = apply(FILE, &[], &[], Some("新正文。")).unwrap();
    assert!(out.ends_with("---\n新正文。\n"), "{out}");
    let multi = one(edit("measures.0.text", NewValue::Text("一\n二".into())));
    assert!(
        multi.contains("    text: |-\n      一\n      二\n  - ref"),
        "{multi}"
    );
}

#[test]
fn crlf_and_gbk_are_kept() {
    let crlf = FILE.replace('\n', "\r\n");
    let f = TextFile::decode(crlf.as_bytes()).unwrap();
    let out = apply(
        &f.text,
        &[edit("grade", NewValue::Text("一级".into()))],
        &[],
        None,
    )
    .unwrap();
    assert_eq!(f.encode(&out), crlf.replace("二级", "一级").into_bytes());
    let gbk = encoding_rs::GB18030.encode(FILE).0.to_vec();
    let f = TextFile::decode(&gbk).unwrap();
    assert_eq!(f.encode(&f.text), gbk);
}
