#!/usr/bin/env bash
# Quality gates over whatever `gongshi build` produces from the example site
# (ARCHITECTURE.md, "Quality gates"). `.ci/run` calls it after `cargo test`.
#
#   html   Nu Html Checker (npm vnu-jar, on the machine's Java) over every
#          page of both audiences, and the theme's CSS: zero errors.
#   axe    axe-core in Debian's headless Chromium (playwright-core) on the
#          home, register, risk, flow, power, post, search, changes and
#          booklet pages, WCAG 2.1 A/AA: no serious or critical violation.
#   links  linkchecker from file:// over both audiences, anchors included:
#          no broken link or anchor; every built page reachable.
#   fuzz   cargo-fuzz targets (fuzz/) for FUZZ_SECONDS each: no crash.
#
# Usage: .ci/gates.sh [GATE...]   (default: all four)
# Under CI=true a missing tool fails its gate; otherwise the gate is
# skipped with the reason. Node tools are pinned in .ci/package-lock.json
# and installed into .ci/node_modules (git-ignored); cargo-fuzz is pinned
# below. Env: FUZZ_SECONDS (default 60).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

CARGO_FUZZ_VERSION=0.13.2
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
GATES=("$@")
((${#GATES[@]})) || GATES=(html axe links fuzz)

passed=0 failed=0 skipped=0
failures=()
pass() { echo "gate $1: passed — $2"; passed=$((passed + 1)); }
fail() { echo "gate $1: FAILED — $2"; failed=$((failed + 1)); failures+=("$1"); }
# A tool is missing: a failure under CI, a skip elsewhere.
missing() {
  if [[ "${CI:-}" == true ]]; then
    fail "$1" "$2"
  else
    echo "gate $1: skipped — $2 (it fails under CI=true)"
    skipped=$((skipped + 1))
  fi
}
section() { printf '\n== %s ==\n' "$*"; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/gongshi-gates.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
# linkchecker, run as root, drops to `nobody`: the site must be readable.
chmod 755 "$WORK"
SITE=$WORK/site

section "build the example site (release)"
if ! cargo build --release --locked --quiet; then
  echo "gates: the release build failed"
  exit 1
fi
start=$(date +%s%N)
if ! "${CARGO_TARGET_DIR:-target}/release/gongshi" build --out "$SITE"; then
  echo "gates: gongshi build failed"
  exit 1
fi
ms=$((($(date +%s%N) - start) / 1000000))
mapfile -t PAGES < <(find "$SITE" -name '*.html' -type f | sort)
# Printed for the log only: speed is measured in benches/, never asserted.
echo "built ${#PAGES[@]} HTML pages in ${ms} ms"
chmod -R a+rX "$SITE"

# The pinned npm tools, installed again only when the lock file changed.
node_tools() {
  local stamp=.ci/node_modules/.gates-lock
  [[ -f $stamp ]] && cmp -s "$stamp" .ci/package-lock.json && return 0
  command -v npm >/dev/null || return 1
  npm ci --prefix .ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null &&
    cp .ci/package-lock.json "$stamp"
}

gate_html() {
  section "html: Nu Html Checker"
  command -v java >/dev/null || { missing html "java not found"; return; }
  node_tools || { missing html "npm tools not installed (npm ci in .ci failed)"; return; }
  local jar=.ci/node_modules/vnu-jar/build/dist/vnu.jar out=$WORK/vnu.txt
  local css
  mapfile -t css < <(find "$SITE" -path '*/static/*.css' -type f | sort)
  java -jar "$jar" --version | sed 's/^/vnu /'
  # vnu exits 1 when it reports an error; any other failure (no Java heap,
  # a bad option) must not pass for "no errors".
  local rc=0
  java -jar "$jar" --format gnu --also-check-css "${PAGES[@]}" >"$out" 2>&1 || rc=$?
  if ((${#css[@]})); then
    java -jar "$jar" --format gnu --css "${css[@]}" >>"$out" 2>&1 || rc=$((rc | $?))
  fi
  sed "s|file:$SITE/||" "$out"
  local errors warnings
  errors=$(grep -c ': error' "$out")
  warnings=$(grep -c ': info warning' "$out")
  local what="${#PAGES[@]} pages and ${#css[@]} stylesheets validated, $errors error(s), $warnings warning(s)"
  if ((errors)); then
    fail html "$what"
  elif ((rc)); then
    fail html "vnu exited with $rc without reporting an error"
  else
    pass html "$what"
  fi
}

gate_axe() {
  section "axe: axe-core in headless Chromium"
  [[ -x $CHROMIUM ]] || { missing axe "no Chromium at $CHROMIUM"; return; }
  node_tools || { missing axe "npm tools not installed (npm ci in .ci failed)"; return; }
  local out=$WORK/axe.txt
  CHROMIUM=$CHROMIUM node .ci/axe.mjs "$SITE" | tee "$out"
  local rc=${PIPESTATUS[0]} summary
  summary=$(grep '^axe-core:' "$out" | sed 's/^axe-core: //')
  case $rc in
    0) pass axe "$summary" ;;
    1) fail axe "$summary" ;;
    *) fail axe "axe.mjs could not run (exit $rc)" ;;
  esac
}

gate_links() {
  section "links: linkchecker"
  command -v linkchecker >/dev/null || { missing links "linkchecker not found (apt-get install linkchecker)"; return; }
  local conf=$WORK/linkcheckerrc out=$WORK/links.txt
  printf '[checking]\nthreads=4\n[output]\nstatus=0\nverbose=1\n[AnchorCheck]\n' >"$conf"
  local urls=() index
  for index in "$SITE"/*/index.html; do urls+=("file://$index"); done
  # Fragments like `#grade=一级` are filter states read by the register's
  # script, not anchors: those URLs are skipped (their page is reached by
  # other links).
  linkchecker -f "$conf" --no-robots --ignore-url='#[A-Za-z_-]+=' "${urls[@]}" >"$out" 2>&1
  local rc=$?
  # Verbose output has one block per URL: show those with an error or a
  # warning, and the statistics.
  awk -v RS= '/\nResult +Error|\nWarning /' "$out" | sed "s|file://$SITE/||g"
  sed -n '/^Statistics:/,$p' "$out"
  # Every built page must be reached from an audience's index.
  local reached unreached summary
  reached=$(sed -n "s|^Real URL *file://\($SITE/[^#]*\.html\)\(#.*\)\?$|\1|p" "$out" | sort -u)
  unreached=$(comm -23 <(printf '%s\n' "${PAGES[@]}") <(printf '%s\n' "$reached"))
  summary=$(grep -o '[0-9]* links\? in [0-9]* URLs\? checked\. [0-9]* warnings\? found\. [0-9]* errors\? found\.' "$out")
  if [[ -n $unreached ]]; then
    echo "pages no link reaches:"
    echo "$unreached" | sed "s|$SITE/|  |"
  fi
  local hit
  hit=$(comm -12 <(printf '%s\n' "${PAGES[@]}") <(printf '%s\n' "$reached") | grep -c .)
  local what="${summary:-no summary}; $hit of ${#PAGES[@]} pages reached"
  if ((rc == 0)) && [[ -z $unreached && -n $summary ]]; then pass links "$what"; else fail links "$what"; fi
}

gate_fuzz() {
  section "fuzz: cargo-fuzz smoke run, ${FUZZ_SECONDS}s per target"
  if ! command -v cargo-fuzz >/dev/null; then
    if [[ "${CI:-}" == true ]]; then
      echo "installing cargo-fuzz $CARGO_FUZZ_VERSION"
      cargo install cargo-fuzz --locked --version "$CARGO_FUZZ_VERSION" --quiet ||
        { fail fuzz "cargo install cargo-fuzz failed"; return; }
    else
      missing fuzz "cargo-fuzz not found (cargo install cargo-fuzz --locked --version $CARGO_FUZZ_VERSION)"
      return
    fi
  fi
  # libFuzzer's flags are unstable rustc options: the stable toolchain
  # accepts them with RUSTC_BOOTSTRAP=1. No sanitizer (-s none: nothing
  # unsafe of ours to watch; keeps it fast); debug assertions on (-a), so
  # overflows and failed debug_asserts count as crashes.
  export RUSTC_BOOTSTRAP=1
  local flags=(-s none -a --fuzz-dir fuzz)
  if ! cargo fuzz build "${flags[@]}" 2>&1 | tail -3; then
    fail fuzz "cargo fuzz build failed"
    return
  fi
  local t crashed=() report=()
  for t in $(cargo fuzz list --fuzz-dir fuzz); do
    # New inputs go to a scratch corpus; fuzz/corpus/<t> (the seeds) is read only.
    local scratch=$WORK/corpus-$t log=$WORK/fuzz-$t.txt
    mkdir -p "$scratch" "fuzz/corpus/$t"
    cargo fuzz run "${flags[@]}" "$t" "$scratch" "fuzz/corpus/$t" -- \
      -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=4096 \
      -print_final_stats=1 -close_fd_mask=1 >"$log" 2>&1
    local rc=$? runs
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')
    if ((rc)); then
      crashed+=("$t")
      grep -v '^#[0-9]' "$log" | tail -40
      report+=("$t: CRASH after ${runs:-?} executions (input in fuzz/artifacts/$t/)")
    else
      report+=("$t: ${runs:-?} executions, $(find "$scratch" -type f | wc -l) new corpus inputs, no crash")
    fi
  done
  printf '  %s\n' "${report[@]}"
  local what
  what=$(printf '%s; ' "${report[@]}")
  if ((${#crashed[@]})); then fail fuzz "${what%; }"; else pass fuzz "${what%; }"; fi
}

for g in "${GATES[@]}"; do
  case $g in
    html | axe | links | fuzz) "gate_$g" ;;
    *) echo "unknown gate: $g (html, axe, links, fuzz)"; exit 2 ;;
  esac
done

section "summary"
((failed)) && echo "failed gates: ${failures[*]}"
echo "gates: $passed passed, $failed failed, $skipped skipped"
((failed == 0))
