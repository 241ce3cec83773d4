#!/usr/bin/env bash
# gongshi against Hugo on the same synthetic register (issue #11).
#
#   benches/compare.sh [--sizes "1000 10000"] [--with-100k] [--runs 5]
#                      [--serve] [--hugo-all] [--work DIR] [--keep]
#
# For each size N: writes the synthetic site once (examples/synth.rs), the
# equivalent Hugo site from it (benches/hugo_site.py: one page per public
# risk with the same front matter and body, the register list page, and
# term pages for grade, type and department), then times RUNS builds of
# each, alternating gongshi and Hugo so that the shared machine's load
# falls on both alike. Prints the median wall time, the ratio, peak RSS
# (/usr/bin/time -v), pages per second, the I/O floor (cat of every source,
# cp -r of gongshi's output) and gongshi's stage timings (GONGSHI_TIMINGS).
# --serve also edits one risk of the largest site five times while
# `gongshi serve` runs on a free loopback port and reads its rebuild lines.
#
# Every run writes to a fresh folder; nothing is deleted until all timing is
# done (this disk is slow to create files right after many were deleted; see
# NOTES-dependencies.md, "Benchmarking on these machines").
# Installs nothing: needs hugo (Debian `hugo`), /usr/bin/time, python3, cargo.
set -euo pipefail

SIZES="1000 10000"
RUNS=5
SERVE=0
HUGO_ALL=""
KEEP=0
WORK=""
while [ $# -gt 0 ]; do
    case "$1" in
        --sizes) SIZES="$2"; shift ;;
        --with-100k) SIZES="$SIZES 100000" ;;
        --runs) RUNS="$2"; shift ;;
        --serve) SERVE=1 ;;
        --hugo-all) HUGO_ALL="--all" ;;
        --work) WORK="$2"; shift ;;
        --keep) KEEP=1 ;;
        -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
        *) echo "unknown option: $1" >&2; exit 2 ;;
    esac
    shift
done

missing=0
for tool in hugo python3 cargo; do
    command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; missing=1; }
done
[ -x /usr/bin/time ] || { echo "missing: /usr/bin/time (Debian package time)" >&2; missing=1; }
if [ "$missing" = 1 ]; then
    echo "install the missing tools first, e.g. apt-get install -y hugo time" >&2
    exit 1
fi

REPO="$(cd "$(dirname "$0")/.." && pwd)"
cd "$REPO"
cargo build --release --quiet --bin gongshi --example synth
GONGSHI="$REPO/target/release/gongshi"
SYNTH="$REPO/target/release/examples/synth"
WORK="${WORK:-$(mktemp -d /tmp/gongshi-bench.XXXXXX)}"
mkdir -p "$WORK"
cleanup() { [ "$KEEP" = 1 ] || rm -rf "$WORK"; }
trap cleanup EXIT

echo "# gongshi vs Hugo — $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "commit: $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src themes Cargo.toml Cargo.lock || echo ' (+ uncommitted changes in src/themes)')"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); $(hugo version | cut -d' ' -f1-2); runs: $RUNS"
echo "work folder: $WORK"

now_ns() { date +%s%N; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

# measure NAME CMD... : runs CMD under /usr/bin/time -v, appends
# "wall_ms rss_kb" to $WORK/NAME.times.
measure() {
    local name="$1"; shift
    local t0 t1 tv="$WORK/time.$$"
    t0=$(now_ns)
    /usr/bin/time -v -o "$tv" "$@" >/dev/null 2>"$WORK/$name.stderr" || {
        echo "failed: $*" >&2; cat "$WORK/$name.stderr" >&2; exit 1; }
    t1=$(now_ns)
    echo "$(( (t1 - t0) / 1000000 )) $(awk -F': ' '/Maximum resident set size/ {print $2}' "$tv")" >>"$WORK/$name.times"
}
med_ms() { awk '{print $1}' "$WORK/$1.times" | median; }
med_rss_mb() { awk '{print $2}' "$WORK/$1.times" | median | awk '{printf "%.0f", $1/1024}'; }
max_rss_mb() { awk '{print $2}' "$WORK/$1.times" | sort -n | tail -1 | awk '{printf "%.0f", $1/1024}'; }
all_ms() { awk '{print $1}' "$WORK/$1.times" | paste -sd' '; }
html_count() { find "$1" -name '*.html' | wc -l; }
# timed_ms CMD... : wall milliseconds of one run.
timed_ms() { local t0 t1; t0=$(now_ns); "$@" >/dev/null; t1=$(now_ns); echo $(( (t1 - t0) / 1000000 )); }

SUMMARY="$WORK/summary.md"
{
    echo "| risks | public risk pages | gongshi median (s) | Hugo median (s) | gongshi/Hugo | gongshi peak RSS (MB) | Hugo peak RSS (MB) | gongshi pages (pages/s) | Hugo pages (pages/s) | cat sources (s) | cp -r output (s) |"
    echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
} >"$SUMMARY"

for N in $SIZES; do
    echo
    echo "## N = $N"
    SITE="$WORK/synth-$N"
    HSITE="$WORK/hugo-$N"
    "$SYNTH" --risks "$N" --out "$SITE" >/dev/null
    python3 "$REPO/benches/hugo_site.py" "$SITE" "$HSITE" $HUGO_ALL
    PUBLIC=$(find "$HSITE/content/risks" -name 'R-*.md' | wc -l)
    echo "sources: $(find "$SITE/content" -type f | wc -l) files, $(du -sh "$SITE/content" | cut -f1)"
    # One untimed run of each warms the page cache and the binaries.
    "$GONGSHI" build --root "$SITE" --scope public --out "$WORK/out/warm-g-$N" -q
    hugo --source "$HSITE" --destination "$WORK/out/warm-h-$N" --quiet
    echo "load average before timing: $(load)"
    for i in $(seq 1 "$RUNS"); do
        measure "g-$N" "$GONGSHI" build --root "$SITE" --scope public --out "$WORK/out/g-$N-$i" -q
        measure "h-$N" hugo --source "$HSITE" --destination "$WORK/out/h-$N-$i" --quiet
    done
    echo "load average after timing:  $(load)"
    GP=$(html_count "$WORK/out/g-$N-1")
    HP=$(html_count "$WORK/out/h-$N-1")
    GMS=$(med_ms "g-$N"); HMS=$(med_ms "h-$N")
    echo "gongshi build --scope public: runs (ms) $(all_ms "g-$N"); median $GMS ms; peak RSS median $(med_rss_mb "g-$N") MB, max $(max_rss_mb "g-$N") MB; $GP html files; $(du -sh "$WORK/out/g-$N-1" | cut -f1)"
    echo "hugo:                         runs (ms) $(all_ms "h-$N"); median $HMS ms; peak RSS median $(med_rss_mb "h-$N") MB, max $(max_rss_mb "h-$N") MB; $HP html files; $(du -sh "$WORK/out/h-$N-1" | cut -f1)"
    RATIO=$(awk -v g="$GMS" -v h="$HMS" 'BEGIN {printf "%.2f", g/h}')
    GPS=$(awk -v p="$GP" -v ms="$GMS" 'BEGIN {printf "%.0f", p*1000/ms}')
    HPS=$(awk -v p="$HP" -v ms="$HMS" 'BEGIN {printf "%.0f", p*1000/ms}')
    echo "ratio gongshi/Hugo: $RATIO; pages/s: gongshi $GPS, Hugo $HPS"
    # The I/O floor: read every source, write gongshi's output bytes again.
    echo "load average before I/O floor: $(load)"
    : >"$WORK/cat-$N.ms"; : >"$WORK/cp-$N.ms"
    for i in 1 2 3; do
        timed_ms sh -c "find '$SITE' -type f -print0 | xargs -0 cat >/dev/null" >>"$WORK/cat-$N.ms"
        timed_ms cp -r "$WORK/out/g-$N-1" "$WORK/out/cp-$N-$i" >>"$WORK/cp-$N.ms"
    done
    CAT=$(median <"$WORK/cat-$N.ms"); CP=$(median <"$WORK/cp-$N.ms")
    echo "I/O floor (median of 3): cat all sources $CAT ms; cp -r gongshi output $CP ms"
    echo "gongshi stages (GONGSHI_TIMINGS=1, one more run):"
    GONGSHI_TIMINGS=1 "$GONGSHI" build --root "$SITE" --scope public --out "$WORK/out/t-$N" -q 2>&1 >/dev/null |
        sed 's/^/    /'
    printf '| %s | %s | %.2f | %.2f | %s | %s | %s | %s (%s) | %s (%s) | %.2f | %.2f |\n' \
        "$N" "$PUBLIC" "$(awk -v v="$GMS" 'BEGIN{print v/1000}')" "$(awk -v v="$HMS" 'BEGIN{print v/1000}')" \
        "$RATIO" "$(max_rss_mb "g-$N")" "$(max_rss_mb "h-$N")" "$GP" "$GPS" "$HP" "$HPS" \
        "$(awk -v v="$CAT" 'BEGIN{print v/1000}')" "$(awk -v v="$CP" 'BEGIN{print v/1000}')" >>"$SUMMARY"
done

if [ "$SERVE" = 1 ]; then
    N=$(echo "$SIZES" | tr ' ' '\n' | sort -n | tail -1)
    "$REPO/benches/serve_edit.sh" "$GONGSHI" "$WORK/synth-$N" "$WORK/serve-$N"
fi

echo
echo "## Summary (peak RSS: the largest of the runs)"
cat "$SUMMARY"
