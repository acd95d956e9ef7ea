#!/usr/bin/env bash
# The benchmark scripts still work: scripts/bench.sh --quick and scripts/bench-plan.sh --quick
# against the suite's clusters print valid JSON lines with the expected fields, and ck-copy
# moved exactly the messages generated. No speed is asserted (timings are only reported).
source "$(dirname "$0")/lib.sh"

bash "$CK_REPO/scripts/bench.sh" --quick >"$WORK/bench.ndjson" 2>"$WORK/bench.err" \
  || { tail -n 20 "$WORK/bench.err" >&2; fail "scripts/bench.sh --quick failed"; }
jq -e . "$WORK/bench.ndjson" >/dev/null || fail "bench.sh printed lines that are not JSON"
# Every line carries the fields the table and the README use.
bad=$(jq -c 'select((has("bench") and has("value_bytes") and has("compression")
                     and has("messages") and has("seconds") and has("msgs_per_s")
                     and has("mb_per_s") and has("peak_rss_mb") and has("runs")) | not)' \
        "$WORK/bench.ndjson")
expect_eq "bench.sh lines missing fields" "$bad" ""
benches=$(jq -r .bench "$WORK/bench.ndjson" | sort | paste -sd, -)
expect_eq "bench.sh measurements" "$benches" \
  "ck-copy,ck-verify,kcat-pipe,kcat-read,kcat-write,limit-read,limit-write"
# --quick: 2 MiB of 1 KiB values, so 2048 messages, all copied (bench.sh checks the
# copy's own report; the line's count is the data size).
expect_eq "ck-copy messages" "$(jq -r 'select(.bench == "ck-copy") | .messages' "$WORK/bench.ndjson")" 2048
expect_eq "ck-copy value size" "$(jq -r 'select(.bench == "ck-copy") | .value_bytes' "$WORK/bench.ndjson")" 1024
rss=$(jq -r 'select(.bench == "ck-copy") | .peak_rss_mb' "$WORK/bench.ndjson")
[[ $rss =~ ^[0-9]+$ && $rss -gt 0 ]] || fail "ck-copy peak RSS not measured: [$rss]"
# The suite's brokers are scripts/clusters.sh's: their CPU time is counted for each run,
# and the kcat pipe's own CPU time too.
for b in ck-copy ck-verify kcat-pipe kcat-read kcat-write; do
  v=$(jq -r --arg b "$b" 'select(.bench == $b) | "\(.cpu_s) \(.broker_cpu_s)"' "$WORK/bench.ndjson")
  [[ $v =~ ^[0-9.]+\ [0-9.]+$ ]] || fail "$b: CPU seconds not measured (cpu_s broker_cpu_s: [$v])"
done
# Every timed run's seconds next to the median: --quick runs each once.
for b in ck-copy ck-verify kcat-pipe; do
  jq -se --arg b "$b" 'map(select(.bench == $b)) | length == 1 and (.[0] | .run_seconds as $r
    | ($r | type) == "array" and ($r | length) == .runs and ($r | all(. > 0))
      and $r[0] == .seconds)' "$WORK/bench.ndjson" >/dev/null \
    || fail "$b: run_seconds: $(jq -c --arg b "$b" 'select(.bench == $b)' "$WORK/bench.ndjson")"
done
expect_contains "bench.sh table" "$(cat "$WORK/bench.err")" "x_limit"

bash "$CK_REPO/scripts/bench-plan.sh" --quick >"$WORK/plan.ndjson" 2>"$WORK/plan.err" \
  || { tail -n 20 "$WORK/plan.err" >&2; fail "scripts/bench-plan.sh --quick failed"; }
expect_eq "bench-plan.sh lines" "$(count_lines "$WORK/plan.ndjson")" 1
jq -e 'select(.bench == "plan" and .groups == 20 and .partitions == 200 and .commits == 200
              and (.ck_plan_s | type) == "number" and .ck_plan_s > 0
              and (.consumer_group_command_s | type) == "number" and (.ratio | type) == "number")' \
  "$WORK/plan.ndjson" >/dev/null || fail "bench-plan.sh line: $(cat "$WORK/plan.ndjson")"
pass
