#!/bin/sh
# Instructions of the engine benchmark's Node run at one size (bench/engine.node.ts), counted by
# valgrind's callgrind with V8 on a single thread (no concurrent compiler or collector threads). Wall
# time on a shared 2-core machine moves by a third from hour to hour; this count repeats to ~0.2%,
# so two builds of the engine can be compared in one go. It counts instructions, not cache misses:
# a change that saves hash-table probes or memory may show little here and more in time.
#
# usage: bench/instructions.sh [REPLICAS]   (default 1000: ~75 s; 10000: ~10 min)
set -e
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "valgrind not found (Debian: apt-get install valgrind)" >&2; exit 1; }
[ -x node_modules/.bin/esbuild ] || { echo "node_modules/.bin/esbuild not found: run npm ci first" >&2; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# One bundle, so no loader or transpile cache changes the count from run to run.
node_modules/.bin/esbuild bench/engine.node.ts --bundle --platform=node --format=esm --outfile="$out/engine.mjs" \
  --log-level=warning
BENCH_SIZES="${1:-1000}" valgrind --tool=callgrind --callgrind-out-file=/dev/null --smc-check=all-non-file \
  node --single-threaded --expose-gc "$out/engine.mjs" 2>&1 | sed -n -e 's/^ *\([0-9]* replicas on [0-9]* nodes\).*/\1 under valgrind (times are not meaningful):/p' -e 's/^==[0-9]*== Collected : \([0-9]*\)/  \1 instructions/p'
