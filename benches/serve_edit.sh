#!/usr/bin/env bash
# One risk edited while `gongshi serve` runs (issue #11, target 2):
#
#   benches/serve_edit.sh GONGSHI_BINARY SITE LOG_DIR [EDITS]
#
# Starts serve on a free loopback port on a copy-free SITE (it edits one
# risk file of SITE in place: pass a synthetic site), waits for the first
# build, then appends a sentence to one public risk EDITS times (default 5),
# 2 s apart so that each is a separate save. For each edit prints serve's own
# rebuild time (from its "Updated (…): n files changed …, N ms" line) and the
# time from the save to that line appearing (polled every 5 ms). Stops the
# server it started, by its process id, at the end.
set -euo pipefail

GONGSHI="$1"; SITE="$2"; LOGDIR="$3"; EDITS="${4:-5}"
mkdir -p "$LOGDIR"
LOG="$LOGDIR/serve.log"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
RISK=$(grep -rl -m1 '^scope: public$' "$SITE/content/risks" | sort | head -1 || true)

now_ns() { date +%s%N; }
t0=$(now_ns)
"$GONGSHI" serve --root "$SITE" --scope public --lang en --port "$PORT" >"$LOG" 2>&1 &
SERVER=$!
stop() { kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; }
trap stop EXIT

# wait_line PATTERN COUNT: until the log holds COUNT lines matching PATTERN.
wait_line() {
    local deadline=$(( $(now_ns) + 120000000000 ))
    while [ "$(grep -c -E "$1" "$LOG" || true)" -lt "$2" ]; do
        kill -0 "$SERVER" 2>/dev/null || { echo "serve stopped:" >&2; cat "$LOG" >&2; exit 1; }
        [ "$(now_ns)" -lt "$deadline" ] || { echo "timed out waiting for: $1" >&2; cat "$LOG" >&2; exit 1; }
        sleep 0.005
    done
}
wait_line '^Preview at ' 1
echo
echo "## serve: one risk edited ($(basename "$RISK")) on $(find "$SITE/content/risks" -name 'R-*.md' | wc -l) risks"
echo "first build: $(grep -E '^Preview of' "$LOG" | sed -E 's/.* ([0-9]+) ms$/\1/') ms (serve's own), $(( ($(now_ns) - t0) / 1000000 )) ms to listening"
echo "load average before edits: $(cut -d' ' -f1-3 /proc/loadavg)"
PATTERN='^(Updated|Checked|Not updated) \('
: >"$LOGDIR/own.ms"; : >"$LOGDIR/save.ms"
for i in $(seq 1 "$EDITS"); do
    sleep 2
    ts=$(now_ns)
    printf '\n第%s次修订：补充说明。\n' "$i" >>"$RISK"
    wait_line "$PATTERN" "$i"
    te=$(now_ns)
    line=$(grep -E "$PATTERN" "$LOG" | sed -n "${i}p")
    own=$(echo "$line" | sed -E 's/.*[ (]([0-9]+) ms\)?$/\1/')
    echo "$own" >>"$LOGDIR/own.ms"
    echo $(( (te - ts) / 1000000 )) >>"$LOGDIR/save.ms"
    echo "edit $i: save→line $(( (te - ts) / 1000000 )) ms; serve: $line"
done
median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
echo "median: serve's own rebuild $(median <"$LOGDIR/own.ms") ms; save→line $(median <"$LOGDIR/save.ms") ms (includes the watcher's debounce)"
echo "serve peak RSS: $(awk '/VmHWM/ {printf "%.0f MB", $2/1024}' "/proc/$SERVER/status")"
