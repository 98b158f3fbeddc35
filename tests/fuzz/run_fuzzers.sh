#!/usr/bin/env bash
# Builds the libFuzzer targets with clang and runs each for a bounded time, seeded with a small corpus.
# Prints "fuzz <target>: <executions> executions, <crashes> crashes" per target; exits 1 on any crash.
# Usage: run_fuzzers.sh SOURCE_DIR BUILD_DIR [SECONDS_PER_TARGET]
set -euo pipefail
SRC="$1"; BUILD="$2"; SECS="${3:-20}"
export CCACHE_BASEDIR="$(cd "$SRC/../.." && pwd)" CCACHE_NOHASHDIR=1
if [ ! -f "$BUILD/build.ninja" ]; then
  CC=clang CXX=clang++ cmake -S "$SRC" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_COMPILER_LAUNCHER=ccache >/dev/null
fi
cmake --build "$BUILD" > "$BUILD/build.log" 2>&1 || { tail -40 "$BUILD/build.log"; exit 1; }
failed=0
for target in fuzz_http_parser fuzz_wa_binary_node fuzz_wa_frame_reader fuzz_wa_noise_handshake; do
  corpus="$BUILD/corpus/$target"; artifacts="$BUILD/artifacts/$target/"
  mkdir -p "$corpus" "$artifacts"
  case "$target" in
    fuzz_http_parser)
      printf '\x10GET / HTTP/1.1\r\nHost: a\r\n\r\n' > "$corpus/seed1"
      printf '\x20POST /api/v1/system/echo HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\n{}' > "$corpus/seed2" ;;
    fuzz_wa_binary_node)
      printf '\x00\xf8\x02\x13\x0a' > "$corpus/seed1" ;;
    fuzz_wa_frame_reader)
      printf '\x01\x03WA\x06\x03\x00\x00\x02hi' > "$corpus/seed1" ;;
    fuzz_wa_noise_handshake)
      # mode 0: HandshakeMessage{client_hello{ephemeral: 32 bytes}}; mode 2: CertChain{leaf{details, signature}}
      { printf '\x00\x12\x22\x0a\x20'; head -c 32 /dev/zero; } > "$corpus/seed1"
      printf '\x02\x0a\x0c\x0a\x04\x08\x01\x10\x02\x12\x04sign\x12\x00' > "$corpus/seed2"
      printf '\x03\x1a\x04\x0a\x00\x12\x00' > "$corpus/seed3"
      printf '\x04\x00\x01\x02\x03' > "$corpus/seed4" ;;
  esac
  log="$BUILD/$target.log"
  set +e
  "$BUILD/$target" -max_total_time="$SECS" -print_final_stats=1 -artifact_prefix="$artifacts" \
    -rss_limit_mb=1024 -timeout=10 "$corpus" > "$log" 2>&1
  rc=$?
  set -e
  execs=$(grep -m1 'stat::number_of_executed_units' "$log" | awk '{print $2}')
  crashes=$(find "$artifacts" -type f | wc -l)
  echo "fuzz $target: ${execs:-0} executions, $crashes crashes"
  if [ "$rc" -ne 0 ] || [ "$crashes" -ne 0 ]; then
    failed=1; tail -30 "$log"
  fi
done
exit $failed
