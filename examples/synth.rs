//! A synthetic register for benchmarks:
//! `cargo run --release --example synth -- --risks 10000 --out DIR [--seed 1]`.
//!
//! N risks (every type and grade, 3 measures each, about 800 Chinese
//! characters of body), N/10 powers and posts, N/50 flows of 8–15 steps,
//! 20 departments, about 70 % of items public. Same seed, same files.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a>(&mut self, list: &'a [&'a str]) -> &'a str {
        list[self.below(list.len())]
    }
}

const PHRASES: &[&str] = &[
    "在受理环节对申请材料把关不严，",
    "利用职务便利为特定关系人谋取利益，",
    "违规降低条件或者放宽标准予以办理，",
    "对应当回避的事项不主动申请回避，",
    "收受服务对象礼品礼金或者接受宴请，",
    "故意拖延办理时限，吃拿卡要，",
    "泄露尚未公开的审批信息和评审结果，",
    "化整为零规避公开招标程序，",
    "现场勘查走过场，勘查记录与实际不符，",
    "集体审议流于形式，个人说了算，",
    "对举报线索压案不查、有案不立，",
    "自由裁量权行使缺乏统一标准，",
    "台账记录不完整，事后难以追溯，",
    "与中介机构存在利益关联，",
    "岗位长期未交流，形成固定关系网，",
    "资金拨付未经规定程序审批，",
];
const TYPES: &[&str] = &["思想道德", "岗位职责", "业务流程", "制度机制", "外部环境"];
const GRADES: &[&str] = &["一级", "二级", "三级"];
const TIERS: &[&str] = &["个人岗位", "科室", "单位", "行业系统"];
const PHASES: &[&str] = &["前期预防", "中期监控", "后期处置"];
const CATEGORIES: &[&str] = &["教育", "制度", "监督"];
const POWER_CATEGORIES: &[&str] = &["行政许可", "行政处罚", "行政检查", "行政确认", "内部管理"];
const LEVELS: &[&str] = &["领导岗位", "中层岗位", "重要岗位", "一般岗位"];

fn body(rng: &mut Rng, chars: usize) -> String {
    let mut s = String::new();
    let mut n = 0;
    while n < chars {
        let p = rng.pick(PHRASES);
        s.push_str(p);
        n += p.chars().count();
        if rng.below(6) == 0 {
            s.push_str("情节严重的，依规依纪追究责任。\n\n");
            n += 15;
        }
    }
    s.push('\n');
    s
}

fn scope(rng: &mut Rng) -> &'static str {
    if rng.below(10) < 7 {
        "scope: public\n"
    } else {
        ""
    }
}

fn write(path: PathBuf, text: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("create folder");
    }
    std::fs::write(path, text).expect("write file");
}

pub fn generate(out: &Path, risks: usize, seed: u64) {
    let mut rng = Rng(seed);
    let c = out.join("content");
    let posts = (risks / 10).max(2);
    let powers = (risks / 10).max(1);
    let flows = (risks / 50).max(1);
    write(
        out.join("gongshi.yaml"),
        "title: 合成测试单位岗位廉政风险点及防控措施公示\nunit: 合成测试单位\nversion: \"2025\"\n",
    );
    write(c.join("_index.md"), "---\ntitle: 关于岗位廉政风险点及防控措施的公示\nscope: public\ndoc_no: 合成发〔2025〕1号\nissuer: 合成测试单位\ndate: 2025-06-01\nperiod: {start: 2025-06-01, end: 2025-06-15}\n---\n现将本单位岗位廉政风险点及防控措施予以公示。\n");
    for d in 1..=20 {
        write(
            c.join(format!("departments/D-{d:02}.md")),
            &format!("---\ntitle: 第{d}科室\nscope: public\n---\n"),
        );
    }
    for p in 1..=posts {
        let text = format!(
            "---\ntitle: 岗位{p}\nscope: public\ndepartment: D-{:02}\nlevel: {}\nkey: {}\nholders:\n  - {{name: 人员{p}, since: 2024-01-01}}\n---\n负责本岗位职责范围内的工作。\n",
            1 + p % 20,
            rng.pick(LEVELS),
            p % 3 == 0
        );
        write(c.join(format!("posts/P-{p:05}.md")), &text);
    }
    for m in 1..=10 {
        write(
            c.join(format!("measures/M-{m:02}.md")),
            &format!(
                "---\ntitle: 共用措施{m}\nscope: public\nphase: {}\ncategory: {}\n---\n{}",
                PHASES[m % 3],
                CATEGORIES[m % 3],
                body(&mut rng, 80)
            ),
        );
    }
    // Flows first decide which risks they mark; a public flow marks public risks only.
    let risk_public: Vec<bool> = (0..risks).map(|_| rng.below(10) < 7).collect();
    for f in 1..=flows {
        let steps = 8 + rng.below(8);
        let mut t = format!(
            "---\ntitle: 流程{f}\nscope: public\npower: QL-{:05}\nsteps:\n",
            1 + (f - 1) % powers
        );
        for s in 0..steps {
            let kind = if s == 0 {
                "start"
            } else if s == steps - 1 {
                "end"
            } else if s == steps / 2 {
                "decision"
            } else {
                "step"
            };
            let _ = write!(
                t,
                "  - id: s{s}\n    label: 第{s}步办理环节\n    kind: {kind}\n    post: P-{:05}\n",
                1 + rng.below(posts)
            );
            if kind == "step" && rng.below(2) == 0 {
                let r = (f * 50 + s) % risks;
                if risk_public[r] {
                    let _ = writeln!(t, "    risks: [R-{:05}]", r + 1);
                }
            }
            if kind == "decision" {
                let _ = write!(t, "    next:\n      - {{to: s{}, label: 同意}}\n      - {{to: s1, label: 退回补正}}\n", s + 1);
            }
        }
        t.push_str("---\n流程说明。\n");
        write(c.join(format!("flows/F-{f:04}.md")), &t);
    }
    for p in 1..=powers {
        let flow = if p <= flows {
            format!("flow: F-{p:04}\n")
        } else {
            String::new()
        };
        let text = format!(
            "---\ntitle: 职权事项{p}\nscope: public\ncategory: {}\ndepartment: D-{:02}\nposts: [P-{:05}]\nbasis: [《相关法规》第{p}条]\ntime_limit: 20个工作日\n{flow}---\n{}",
            rng.pick(POWER_CATEGORIES),
            1 + p % 20,
            1 + p % posts,
            body(&mut rng, 120)
        );
        write(c.join(format!("powers/QL-{p:05}.md")), &text);
    }
    for (i, public) in risk_public.iter().enumerate() {
        let r = i + 1;
        let grade = GRADES[i % 3];
        let mut t = format!(
            "---\ntitle: 风险点{r}：{}\n{}type: {}\ngrade: {grade}\ntier: {}\ndepartment: D-{:02}\nposts: [P-{:05}]\npower: QL-{:05}\nmeasures:\n",
            rng.pick(PHRASES).trim_end_matches('，'),
            if *public { "scope: public\n" } else { "" },
            TYPES[i % 5],
            rng.pick(TIERS),
            1 + i % 20,
            1 + rng.below(posts),
            1 + rng.below(powers)
        );
        for ph in PHASES {
            let _ = writeln!(
                t,
                "  - {{phase: {ph}, category: {}, text: {}}}",
                rng.pick(CATEGORIES),
                body(&mut rng, 40).trim()
            );
        }
        t.push_str("basis: [《廉政风险防控管理办法》]\nreviewed: 2025-05-01\n---\n");
        t.push_str(&body(&mut rng, 800));
        let _ = scope(&mut rng);
        write(c.join(format!("risks/R-{r:05}.md")), &t);
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let value = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let risks: usize = value("--risks")
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let seed: u64 = value("--seed").and_then(|v| v.parse().ok()).unwrap_or(1);
    let Some(out) = value("--out") else {
        eprintln!("usage: synth --risks N --out DIR [--seed S]");
        std::process::exit(2);
    };
    generate(Path::new(&out), risks, seed);
    println!("wrote a synthetic site with {risks} risks to {out}");
}
