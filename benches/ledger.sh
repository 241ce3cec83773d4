#!/usr/bin/env bash
# The ledger loop at size (#16): ledger export of the synthetic register,
# then an update import with 100 changed rows (100 grades changed in the
# workbook's XML, as a person would in Excel), median of 5 runs each.
#
#   benches/ledger.sh [N]        # N risks, default 10000
#
# Needs python3 (to change the cells). Figures go in BENCHMARKS.md.
set -euo pipefail
N="${1:-10000}"
REPO="$(cd "$(dirname "$0")/.." && pwd)"
cd "$REPO"
cargo build --release --quiet --bin gongshi --example synth
G="$REPO/target/release/gongshi"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
"$REPO/target/release/examples/synth" --risks "$N" --out "$WORK/site" --seed 1 >/dev/null
cp -r "$WORK/site" "$WORK/pristine"

ms() { local s e; s=$(date +%s%N); "$@" >/dev/null; e=$(date +%s%N); echo $(((e - s) / 1000000)); }
median() { printf '%s\n' "$@" | sort -n | sed -n "$((($# + 1) / 2))p"; }

ex=()
for _ in 1 2 3 4 5; do
  ex+=("$(ms "$G" --root "$WORK/site" -q export --format ledger -o "$WORK/ledger.xlsx")")
done
echo "export --format ledger, $N risks: median $(median "${ex[@]}") ms (runs: ${ex[*]}); $(stat -c %s "$WORK/ledger.xlsx") bytes"

python3 - "$WORK/ledger.xlsx" "$WORK/changed.xlsx" <<'EOF'
import re, sys, zipfile
src, dst = sys.argv[1], sys.argv[2]
zin = zipfile.ZipFile(src)
wb = zin.read("xl/workbook.xml").decode()
# the risks sheet is the second sheet (after 填表说明)
sheet = "xl/worksheets/sheet2.xml"
xml = zin.read(sheet).decode()
strings = re.findall(r"<si><t[^>]*>(.*?)</t></si>", zin.read("xl/sharedStrings.xml").decode(), re.S)
head = dict(re.findall(r'<c r="([A-Z]+)1"[^>]*t="s"[^>]*><v>(\d+)</v>', xml))
col = next(c for c, i in head.items() if strings[int(i)] == "风险等级")
changed = 0
def swap(m):
    global changed
    row = int(m.group(1))
    if changed >= 100 or row < 2 or row % 50:
        return m.group(0)
    value = strings[int(m.group(3))]
    new = "一级" if value != "一级" else "二级"
    changed += 1
    return f'<c r="{col}{row}"{m.group(2)} t="inlineStr"><is><t>{new}</t></is></c>'
xml = re.sub(rf'<c r="{col}(\d+)"( s="\d+")? t="s"><v>(\d+)</v></c>', swap, xml)
assert changed == 100, changed
zout = zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED)
for item in zin.infolist():
    data = xml.encode() if item.filename == sheet else zin.read(item.filename)
    zout.writestr(item, data)
zout.close()
EOF

im=()
for _ in 1 2 3 4 5; do
  rm -rf "$WORK/site/content" && cp -r "$WORK/pristine/content" "$WORK/site/content"
  im+=("$(ms "$G" --root "$WORK/site" import "$WORK/changed.xlsx")")
done
echo "import of the ledger with 100 changed rows: median $(median "${im[@]}") ms (runs: ${im[*]})"
rm -rf "$WORK/site/content" && cp -r "$WORK/pristine/content" "$WORK/site/content"
"$G" --root "$WORK/site" import "$WORK/changed.xlsx" --dry-run | tail -2
