#!/usr/bin/env bash
# Runs every libFuzzer target in BUILD_DIR for SECONDS each, on a scratch copy of the
# seed corpus in tests/fuzz/corpus/. Prints one line per target; exit 1 on any crash.
set -euo pipefail
usage() { echo "usage: tests/fuzz/run.sh BUILD_DIR SECONDS" >&2; }
(($# == 2)) || { usage; exit 2; }
build=$(cd "$1" && pwd) seconds=$2
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
scratch=$(mktemp -d "${TMPDIR:-/tmp}/ck-fuzz.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
status=0
for target in records properties; do
  mkdir -p "$scratch/$target"
  cp "$repo/tests/fuzz/corpus/$target"/* "$scratch/$target/"
  log=$scratch/$target.log
  if (cd "$scratch" && "$build/fuzz_$target" -max_total_time="$seconds" -max_len=8192 \
        -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 "$scratch/$target") >"$log" 2>&1; then
    result=ok
  else
    result=CRASH status=1
    tail -n 40 "$log" >&2
  fi
  execs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo 0)
  echo "fuzz_$target: $result, $execs executions in ${seconds}s, corpus $(ls "$scratch/$target" | wc -l) inputs"
done
exit $status
