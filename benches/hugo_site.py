#!/usr/bin/env python3
"""Turns a gongshi site (from `examples/synth.rs`) into the equivalent Hugo
site for benches/compare.sh: one page per public risk with the same front
matter and body, the risk register list page, and taxonomy term pages for
grade, type and department, with the minimal layouts in benches/hugo/layouts.

Usage: hugo_site.py SRC_SITE DEST [--all]
  --all  also internal (non-public) risks; by default only public ones, the
         same pages as `gongshi build --scope public`.

Hugo reserves the front-matter key `type` (it picks layouts), so the risk
type is written as `risktype`; every other line is copied as it is.
"""
import os
import shutil
import sys


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    include_all = "--all" in sys.argv
    if len(args) != 2:
        sys.exit(__doc__)
    src, dest = args
    here = os.path.dirname(os.path.abspath(__file__))
    os.makedirs(os.path.join(dest, "content", "risks"), exist_ok=True)
    shutil.copytree(os.path.join(here, "hugo", "layouts"),
                    os.path.join(dest, "layouts"), dirs_exist_ok=True)
    with open(os.path.join(dest, "config.yaml"), "w", encoding="utf-8") as f:
        f.write(
            "baseURL: /\n"
            "languageCode: zh-CN\n"
            "title: 合成测试单位岗位廉政风险点及防控措施公示\n"
            "disableKinds: [RSS, sitemap, robotsTXT, 404]\n"
            "taxonomies:\n  grade: grade\n  risktype: risktype\n  department: department\n"
            "uglyURLs: false\n"
        )
    with open(os.path.join(dest, "content", "_index.md"), "w", encoding="utf-8") as f:
        f.write("---\ntitle: 关于岗位廉政风险点及防控措施的公示\n---\n"
                "现将本单位岗位廉政风险点及防控措施予以公示。\n")
    with open(os.path.join(dest, "content", "risks", "_index.md"), "w", encoding="utf-8") as f:
        f.write("---\ntitle: 廉政风险点登记表\n---\n")
    risks_dir = os.path.join(src, "content", "risks")
    written = 0
    for name in sorted(os.listdir(risks_dir)):
        if not name.endswith(".md") or name.startswith("_"):
            continue
        with open(os.path.join(risks_dir, name), encoding="utf-8") as f:
            text = f.read()
        _, front, body = text.split("---\n", 2)
        if not include_all and "\nscope: public\n" not in "\n" + front:
            continue
        lines = []
        for line in front.splitlines(keepends=True):
            if line.startswith("type:"):
                line = "risktype:" + line[len("type:"):]
            lines.append(line)
        with open(os.path.join(dest, "content", "risks", name), "w", encoding="utf-8") as f:
            f.write("---\n" + "".join(lines) + "---\n" + body)
        written += 1
    print(f"wrote a Hugo site with {written} risk pages to {dest}")


if __name__ == "__main__":
    main()
