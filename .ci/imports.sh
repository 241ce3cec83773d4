#!/usr/bin/env bash
# The import graph of src/'s top-level modules (`use crate::…` and `crate::…`
# paths) and the workspace crates they use; exits 1 on an import cycle, when a
# crate in crates/ reaches into the application, or when ARCHITECTURE.md's
# code map and src/ or crates/ disagree. `-v` lists every edge with its file and line. The work is in
# imports.py (python3 from Debian, standard library only).
set -euo pipefail
exec python3 "$(dirname "$0")/imports.py" "$@"
