#!/usr/bin/env bash
# Writes the seed corpora under fuzz/corpus/ from real files: the example
# site (content/, gongshi.yaml) and the bad-input corpus (tests/bad_sites/).
# Seeds are named after their source; inputs the fuzzer finds are not kept
# here (.ci/gates.sh gives it a scratch folder), only seeds and regressions.
set -euo pipefail
cd "$(dirname "$0")/.."
C=fuzz/corpus
mkdir -p "$C/site" "$C/markdown" "$C/flow" "$C/serve_path" "$C/import"

# site: files joined as `@@ <path>` sections (see fuzz_targets/site.rs).
# `_base` plus one bad case each (the case's files replace the base's);
# `expect.yaml`'s delete/gbk/crlf/pad are not applied.
sections() { # ROOT... — later roots win for the same path
  declare -A seen=()
  local order=() root f rel
  for root in "$@"; do
    while IFS= read -r f; do
      rel=${f#"$root"/}
      [[ -n ${seen[$rel]:-} ]] || order+=("$rel")
      seen[$rel]=$f
    done < <(find "$root" -type f \( -name '*.md' -o -name gongshi.yaml \) | sort)
  done
  for rel in "${order[@]}"; do
    printf '@@ %s\n' "$rel"
    cat "${seen[$rel]}"
  done
}
for case in tests/bad_sites/[0-9]*/; do
  name=$(basename "$case")
  [[ $name == 50-* ]] && continue # padded to 5 MB at test time; the seed would only be the base
  sections tests/bad_sites/_base "$case" >"$C/site/bad-$name"
done
sections tests/bad_sites/_base >"$C/site/base"
{
  printf '@@ gongshi.yaml\n'
  cat gongshi.yaml
  find content -type f -name '*.md' | sort | while IFS= read -r f; do
    printf '@@ %s\n' "$f"
    cat "$f"
  done
} >"$C/site/example"

# markdown: an options byte (0: sanitised, 3: unsafe_html and ../) + a body.
n=0
for f in content/_index.md content/pages/*.md content/risks/R-00[1-4].md content/flows/F-01.md \
  tests/bad_sites/{26,33,42,60,63,66}-*/content/*/*.md tests/bad_sites/{26,33,42,60,63,66}-*/content/*.md; do
  [[ -f $f ]] || continue
  n=$((n + 1))
  { printf '\0'; cat "$f"; } >"$C/markdown/$(echo "$f" | tr '/' '_')"
done
{ printf '\3'; cat content/risks/R-001.md; } >"$C/markdown/unsafe-R-001"

# flow: bytes read by arbitrary::Unstructured; the flows' own text is as good
# a start as any.
for f in content/flows/*.md; do
  cp "$f" "$C/flow/$(basename "$f" .md)"
done
head -c 512 /dev/zero >"$C/flow/zeros"
printf '\x10\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f%.0s' {1..32} >"$C/flow/counting"
# serve_path: request targets and whole heads, the refused ones of
# src/serve/http.rs's tests among them.
n=0
for t in / /risks/ '/risks/R-001.html?x=1#top' /pages/%E8%AF%B4%E6%98%8E.html /static/gongshi.css \
  /../Cargo.toml /%2e%2e/%2e%2e/etc/passwd '/risks/..%2f..%2fCargo.toml' '/static\..\gongshi.yaml' \
  /risks%5c..%5cCargo.toml //etc/passwd /C:/Windows/win.ini /a//b.html /%00.html /%zz /%+2e%+2e/x \
  http://127.0.0.1/index.html '/__gongshi/open?k=00'; do
  n=$((n + 1))
  printf '%s' "$t" >"$C/serve_path/target-$n"
done
printf 'GET /risks/R-001.html HTTP/1.1\r\nHost: 127.0.0.1:4000\r\nSec-Fetch-Site: none\r\n\r\n' >"$C/serve_path/head-get"
printf 'GET /%%2e%%2e/gongshi.yaml HTTP/1.0\r\n\r\n' >"$C/serve_path/head-dotdot"
# import: the ledger fixtures as they are, the CSV also in GBK and with
# tabs. The workbooks in fuzz/corpus/import/ are kept as they are: a
# register export of tests/bad_sites/_base (refused by its properties), a
# small ledger with shared strings and a merge, and hostile ones made as
# in tests/it/import.rs (a cell at XFD1048576, a uniqueCount of 10^12, a
# merge down a whole column).
for f in tests/ledgers/*; do
  cp "$f" "$C/import/$(basename "$f")"
done
if command -v iconv >/dev/null; then
  iconv -f UTF-8 -t GB18030 tests/ledgers/office-risks.csv >"$C/import/office-risks-gbk.csv"
fi
tr ',' '\t' <tests/ledgers/office-risks.csv >"$C/import/office-risks.tsv"
echo "seeds: site $(ls "$C/site" | wc -l), markdown $(ls "$C/markdown" | wc -l), flow $(ls "$C/flow" | wc -l), serve_path $(ls "$C/serve_path" | wc -l), import $(ls "$C/import" | wc -l)"
