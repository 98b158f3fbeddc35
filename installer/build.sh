#!/usr/bin/env bash
# Configures and builds Atende into <repo>/build (Ninja + ccache). Installs missing packages first.
# Usage: installer/build.sh [extra cmake -D options]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/installer/deps.sh"

# ccache hits across clones at other paths (CI builds a fresh clone): paths relative to the repo root,
# and no cwd in the hash (-g embeds it).
export CCACHE_BASEDIR="$ROOT" CCACHE_NOHASHDIR=1 CCACHE_COMPILERCHECK=content
BUILD="${ATENDE_BUILD_DIR:-$ROOT/build}"
if [ ! -f "$BUILD/build.ninja" ]; then
  cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache "$@" >/dev/null
fi
cmake --build "$BUILD" -- -j"$(( $(nproc) + 1 ))"
