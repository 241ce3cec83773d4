#!/usr/bin/env bash
# Binaries and zips for the office's machines (ARCHITECTURE.md, "Distribution").
#
#   scripts/dist.sh [PLATFORM...]
#       PLATFORM: linux-x86_64 windows-x86_64 linux-aarch64 (default: all three)
#
# 1. Build gongshi in release mode for each platform:
#      linux-x86_64    the toolchain on PATH (`cargo build --release --locked`);
#      windows-x86_64  Debian's rustc-web/cargo-web with the standard library
#      linux-aarch64   built from rust-web-src (`-Z build-std`), linked by
#                      mingw-w64 / gcc-aarch64-linux-gnu (Debian packages only).
# 2. Smoke-test each binary where it can run here: `init`, `check`, `build` of
#    the example site, `export --format ledger` and its `import --dry-run`
#    (aarch64 under qemu-aarch64, Windows under wine), every
#    output file byte-identical to the native build, and `serve` answering a
#    request at the address it prints.
# 3. Write dist/gongshi-VERSION-PLATFORM.zip: a folder holding the binary,
#    使用说明.txt, the double-click scripts 启动预览 and 生成网站, and the
#    example site (gongshi.yaml, content/) they work on. The README's install
#    section names every file of the zip (checked here).
#
# Under CI=true a missing tool is a failure; otherwise that step is skipped
# with the reason. Cross builds live in target/cross (Debian's compiler, kept
# apart from the rustup toolchain's target/).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PLATFORMS=("$@")
((${#PLATFORMS[@]})) || PLATFORMS=(linux-x86_64 windows-x86_64 linux-aarch64)
VERSION=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
CROSS_DIR=$ROOT/target/cross
DEBIAN_CARGO=${DEBIAN_CARGO:-/usr/bin/cargo}
DEBIAN_RUSTC=${DEBIAN_RUSTC:-/usr/bin/rustc}
# Every file this script writes gets this time, so the zips are the same
# bytes for the same sources (the last commit's time, or a fixed date).
EPOCH=$(git log -1 --format=%ct 2>/dev/null || echo 1735689600)

failed=()
say() { printf '\n== %s ==\n' "$*"; }
fail() { echo "dist: FAILED — $*"; failed+=("$*"); }
missing() {
  if [[ "${CI:-}" == true ]]; then fail "$1"; else echo "dist: skipped — $1 (a failure under CI=true)"; fi
}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/gongshi-dist.XXXXXX")
cleanup() {
  [[ -n "${WINEPREFIX:-}" ]] && command -v wineserver >/dev/null 2>&1 && wineserver -k 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

# --- 1. build -----------------------------------------------------------------

triple() {
  case $1 in
    linux-x86_64) echo x86_64-unknown-linux-gnu ;;
    windows-x86_64) echo x86_64-pc-windows-gnu ;;
    linux-aarch64) echo aarch64-unknown-linux-gnu ;;
  esac
}
binary() {
  case $1 in
    linux-x86_64) echo "${CARGO_TARGET_DIR:-$ROOT/target}/release/gongshi" ;;
    windows-x86_64) echo "$CROSS_DIR/x86_64-pc-windows-gnu/release/gongshi.exe" ;;
    linux-aarch64) echo "$CROSS_DIR/aarch64-unknown-linux-gnu/release/gongshi" ;;
  esac
}

build_native() {
  cargo build --release --locked --quiet
}

linker() {
  case $1 in
    windows-x86_64) echo x86_64-w64-mingw32-gcc ;;
    linux-aarch64) echo aarch64-linux-gnu-gcc ;;
  esac
}

# cross_ready PLATFORM: Debian's compiler, the std source and the linker are here.
cross_ready() {
  local tool
  for tool in "$DEBIAN_CARGO" "$DEBIAN_RUSTC" "$(linker "$1")"; do
    command -v "$tool" >/dev/null 2>&1 || { missing "$1: $tool not found (Debian: rustc-web cargo-web rust-web-src mingw-w64 gcc-aarch64-linux-gnu)"; return 1; }
  done
  [[ -d /usr/lib/rustlib/src/rust/library ]] || { missing "$1: the standard library's source (Debian: rust-web-src)"; return 1; }
}

# build_cross PLATFORM...: one cargo run for every target, so the build
# scripts and proc-macros for the host are compiled once.
build_cross() {
  local platform target upper args=() vars=()
  for platform in "$@"; do
    target=$(triple "$platform")
    upper=${target//-/_}
    args+=(--target "$target")
    vars+=("CARGO_TARGET_${upper^^}_LINKER=$(linker "$platform")" "CC_${upper}=$(linker "$platform")")
  done
  env RUSTC_BOOTSTRAP=1 RUSTC="$DEBIAN_RUSTC" CARGO_TARGET_DIR="$CROSS_DIR" "${vars[@]}" \
    "$DEBIAN_CARGO" build --release --locked --quiet -Z build-std=std,panic_abort "${args[@]}"
}

built=()
cross=()
for platform in "${PLATFORMS[@]}"; do
  case $platform in
    linux-x86_64)
      say "build $platform"
      start=$(date +%s)
      if build_native; then
        echo "built $(binary "$platform") in $(($(date +%s) - start)) s"
        built+=("$platform")
      else
        fail "$platform: the build failed"
      fi
      ;;
    windows-x86_64 | linux-aarch64) cross_ready "$platform" && cross+=("$platform") ;;
    *) fail "unknown platform $platform" ;;
  esac
done
if ((${#cross[@]})); then
  say "build ${cross[*]}"
  start=$(date +%s)
  if build_cross "${cross[@]}"; then
    for platform in "${cross[@]}"; do echo "built $(binary "$platform")"; done
    echo "in $(($(date +%s) - start)) s"
    built+=("${cross[@]}")
  else
    fail "${cross[*]}: the build failed"
  fi
fi

# --- 2. smoke -----------------------------------------------------------------

# run PLATFORM ARGS...: the platform's binary, under its emulator if needed.
run() {
  local platform=$1
  shift
  case $platform in
    linux-x86_64) "$(binary linux-x86_64)" "$@" ;;
    linux-aarch64) QEMU_LD_PREFIX=/usr/aarch64-linux-gnu qemu-aarch64 "$(binary linux-aarch64)" "$@" ;;
    windows-x86_64) wine "$WORK/wine/gongshi.exe" "$@" ;;
  esac
}

can_run() {
  case $1 in
    linux-x86_64) return 0 ;;
    linux-aarch64)
      command -v qemu-aarch64 >/dev/null 2>&1 || { missing "linux-aarch64: qemu-aarch64 not found (Debian: qemu-user)"; return 1; }
      [[ -d /usr/aarch64-linux-gnu/lib ]] || { missing "linux-aarch64: /usr/aarch64-linux-gnu (Debian: libc6-arm64-cross)"; return 1; }
      ;;
    windows-x86_64)
      command -v wine >/dev/null 2>&1 || { missing "windows-x86_64: wine not found (Debian: wine wine64)"; return 1; }
      mkdir -p "$WORK/wine"
      cp "$(binary windows-x86_64)" "$WORK/wine/"
      # wine 8.0 lacks bcryptprimitives.dll: a stand-in next to the exe (.ci/wine/).
      x86_64-w64-mingw32-gcc -shared -O2 -o "$WORK/wine/bcryptprimitives.dll" \
        .ci/wine/bcryptprimitives.c -ladvapi32 || { fail "windows-x86_64: the bcryptprimitives stand-in did not build"; return 1; }
      export WINEPREFIX=$WORK/wineprefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
      unset DISPLAY
      wineboot -i >/dev/null 2>&1 || true
      ;;
  esac
}

# serve_answers PLATFORM DIR: start `serve` in DIR, open the printed address,
# expect the home page, stop it.
serve_answers() {
  local platform=$1 dir=$2 port=$((20000 + RANDOM % 20000)) pid url ok=1
  (cd "$dir" && run "$platform" serve --port "$port" >"$WORK/serve-$platform.log" 2>&1) &
  pid=$!
  for _ in $(seq 1 120); do
    url=$(grep -o 'http://127\.0\.0\.1:[0-9]*/__gongshi/open?k=[0-9a-zA-Z]*' "$WORK/serve-$platform.log" | head -1)
    [[ -n $url ]] && break
    sleep 0.5
  done
  if [[ -n $url ]] && curl -sS -L -c "$WORK/jar-$platform" -b "$WORK/jar-$platform" "$url" -o "$WORK/home-$platform.html" &&
    grep -q '<html' "$WORK/home-$platform.html"; then
    ok=0
    echo "serve answered at ${url%%/__gongshi*}"
  else
    sed 's/^/  serve: /' "$WORK/serve-$platform.log" | tail -20
  fi
  kill "$pid" 2>/dev/null
  pkill -f "serve --port $port" 2>/dev/null
  wait "$pid" 2>/dev/null
  return $ok
}

# smoke PLATFORM: init, check, build; the same bytes as the native build.
smoke() {
  local platform=$1 dir=$WORK/smoke-$1
  can_run "$platform" || return 0
  mkdir -p "$dir"
  (cd "$dir" && run "$platform" -q init site) || { fail "$platform: init"; return; }
  (cd "$dir/site" && run "$platform" check >"$WORK/check-$platform.log" 2>&1) || {
    cat "$WORK/check-$platform.log"
    fail "$platform: check"
    return
  }
  (cd "$dir/site" && run "$platform" build >"$WORK/build-$platform.log" 2>&1) || {
    cat "$WORK/build-$platform.log"
    fail "$platform: build"
    return
  }
  # the ledger workbook out and back in (a dry run): the same bytes everywhere
  (cd "$dir/site" && run "$platform" -q export --format ledger -o ledger.xlsx &&
    run "$platform" -q import ledger.xlsx --dry-run >"$WORK/import-$platform.log" 2>&1) || {
    cat "$WORK/import-$platform.log"
    fail "$platform: export --format ledger / import --dry-run"
    return
  }
  local files
  files=$(find "$dir/site/site" -type f | wc -l)
  if [[ $platform != linux-x86_64 ]]; then
    if diff -r -q "$WORK/smoke-linux-x86_64/site" "$dir/site" >"$WORK/diff-$platform.log"; then
      echo "$platform: init + check + build + ledger export/import: $files files, byte-identical to linux-x86_64"
    else
      head -20 "$WORK/diff-$platform.log"
      fail "$platform: output differs from linux-x86_64 ($(wc -l <"$WORK/diff-$platform.log") entries)"
      return
    fi
  else
    echo "$platform: init + check + build + ledger export/import: $files files"
  fi
  serve_answers "$platform" "$dir/site" || fail "$platform: serve did not answer"
}

if [[ " ${built[*]} " =~ " linux-x86_64 " ]]; then
  for platform in linux-x86_64 "${built[@]}"; do
    [[ $platform == linux-x86_64 && -d $WORK/smoke-linux-x86_64 ]] && continue
    say "smoke $platform"
    smoke "$platform"
  done
elif ((${#built[@]})); then
  fail "smoke tests compare with linux-x86_64: build it too"
fi

# --- 3. zip -------------------------------------------------------------------

# stage PLATFORM DIR: the zip's folder.
stage() {
  local platform=$1 dir=$2 exe=gongshi ext=sh
  [[ $platform == windows-* ]] && exe=gongshi.exe ext=bat
  mkdir -p "$dir"
  cp "$(binary "$platform")" "$dir/$exe"
  "$(binary linux-x86_64)" -q init "$dir" || return 1
  if [[ $ext == bat ]]; then
    # Notepad and cmd.exe: CRLF; the usage notes as UTF-8 with a BOM.
    { printf '\xef\xbb\xbf'; sed 's/$/\r/' scripts/dist/使用说明.txt; } >"$dir/使用说明.txt"
    sed 's/$/\r/' scripts/dist/启动预览.bat >"$dir/启动预览.bat"
    sed 's/$/\r/' scripts/dist/生成网站.bat >"$dir/生成网站.bat"
  else
    cp scripts/dist/使用说明.txt "$dir/"
    install -m 755 scripts/dist/启动预览.sh scripts/dist/生成网站.sh "$dir/"
  fi
  find "$dir" -exec touch -h -d "@$EPOCH" {} +
}

# The README's install section names every file at the top of the zip.
readme_names() {
  local dir=$1 name
  for name in $(ls "$dir"); do
    grep -qF -- "$name" <(sed -n '/^## 安装/,/^## [^安]/p' README.md) || { fail "README.md's install section does not name $name"; return 1; }
  done
}

if ((${#failed[@]} == 0)); then
  mkdir -p dist
  for platform in "${built[@]}"; do
    say "zip $platform"
    name=gongshi-$VERSION-$platform
    rm -rf "${WORK:?}/zip" && mkdir -p "$WORK/zip"
    stage "$platform" "$WORK/zip/$name" || { fail "$platform: staging the zip"; continue; }
    readme_names "$WORK/zip/$name" || continue
    rm -f "dist/$name.zip"
    (cd "$WORK/zip" && find "$name" | LC_ALL=C sort | zip -q -X -D -@ "$ROOT/dist/$name.zip") || { fail "$platform: zip"; continue; }
    echo "dist/$name.zip: $(du -h "dist/$name.zip" | cut -f1), $(unzip -Z1 "dist/$name.zip" | wc -l) entries"
  done
fi

if ((${#failed[@]})); then
  printf '\ndist: %d failure(s):\n' "${#failed[@]}"
  printf '  %s\n' "${failed[@]}"
  exit 1
fi
echo
echo "dist: ok (${built[*]})"
