#!/usr/bin/env bash
# Many partitions: a source with --partitions (default 10,000) partitions in --topics (1,000)
# topics, 10 messages each, and --groups (default: as many as partitions) groups, each
# committed on every partition of one topic (scripts/bench-plan.sh's set-up, which also times
# ck-plan beside ConsumerGroupCommand there, with peak RSS; --no-cgc leaves
# ConsumerGroupCommand out, minutes a run at 10,000 groups). Then, each of --repeat rounds on
# a fresh target, timed with peak RSS and CPU seconds (bench-lib.sh's timed):
#   plan       ck-plan of every partition and group
#   copy       ck-copy of the whole plan into the target (--create-topics, default settings:
#              it waits for the broker to open the 10,000 new logs); goal: peak RSS <= 256 MiB
#   verify     ck-verify of counts, content digests and groups of the copy (--content)
# Prints bench-plan.sh's line and one JSON line per step on stdout, a table on stderr.
# Starts its own clusters (CK_RUN_DIR, default <repo>/.run/scale; ports 200 above
# scripts/clusters.sh's unless CK_*_PORT are set; broker heap CK_BROKER_HEAP, default 1g
# here: 10,000 partitions and their transactions outgrow the tests' 512m).
set -euo pipefail
usage() {
  echo "usage: scripts/bench-scale.sh [--quick] [--partitions M] [--topics T] [--groups G]" \
       "[--repeat N] [--no-cgc]" >&2
}
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$repo/scripts/bench-lib.sh"
partitions=10000 topics=1000 groups="" repeat=3 pause=1 cgc=""
bench_options '
--quick partitions=200 topics=20 repeat=1 pause=0
--partitions partitions
--topics topics
--groups groups
--repeat repeat
--no-cgc cgc=--no-cgc' "$@"
# A partition holds a file open for its log segment: the broker needs a file handle per
# partition, and the copy makes as many in the target.
need_files=$((partitions + 2000))
if (($(ulimit -n) < need_files)); then
  ulimit -n "$need_files" 2>/dev/null \
    || { echo "bench-scale: needs ulimit -n >= $need_files (has $(ulimit -n))" >&2; exit 1; }
fi
bench_init scale
private_clusters scale 929
export CK_BROKER_HEAP=${CK_BROKER_HEAP:-1g}
bench_start_clusters
export CK_SOURCE_BROKERS CK_TARGET_BROKERS
warm_target "$SRC" "$DST" scale-warm.1

bash "$repo/scripts/bench-plan.sh" --groups "${groups:-$partitions}" --topics "$topics" \
  --partitions "$partitions" --commits-per-group $((partitions / topics)) --repeat "$repeat" \
  ${cgc:+"$cgc"} | tee "$work/plan-bench.ndjson"

# step NAME MESSAGES: the median line of NAME's timed runs.
step() {
  local -n s_s=$1_s s_rss=$1_rss s_cpu=$1_cpu s_bcpu=$1_bcpu
  jq -cn --arg step "$1" --argjson partitions "$partitions" --argjson messages "$2" \
    --argjson secs "$(median "${s_s[@]}")" --argjson rss "$(max "${s_rss[@]}")" \
    --argjson cpu "$(median "${s_cpu[@]}")" --argjson bcpu "$(median_or_null "${s_bcpu[@]}")" \
    --argjson each "$(printf '%s\n' "${s_s[@]}" | jq -sc .)" \
    '{bench: "scale", step: $step, partitions: $partitions, messages: $messages,
      seconds: $secs, run_seconds: $each, peak_rss_mb: ($rss / 1024 | floor), cpu_s: $cpu,
      broker_cpu_s: $bcpu}' | tee -a "$work/steps.ndjson"
}
timed_arrays plan copy verify
for ((round = 1; round <= repeat; round++)); do
  timed plan ck-plan -q -s "$SRC" --topic 'bench-plan\..*' >"$work/plan.ndjson"
  planned=$(wc -l <"$work/plan.ndjson")
  ((planned == partitions)) || { echo "bench-scale: ck-plan planned $planned of $partitions" >&2; exit 1; }
  n=$(jq -s 'map(.end - .start) | add' "$work/plan.ndjson")
  # Each round a fresh target: the previous round's topics go first.
  if ((round > 1)); then
    bash "$repo/scripts/clusters.sh" stop target >/dev/null
    bash "$repo/scripts/clusters.sh" start target
    bench_broker_pids "$SRC" "$DST"
    warm_target "$SRC" "$DST" "scale-warm.$round"
  fi
  timed copy ck-copy -s "$SRC" -t "$DST" --job "scale-$round" --create-topics -q \
    <"$work/plan.ndjson" >"$work/copied.ndjson"
  copied=$(jq -s 'map(.copied) | add' "$work/copied.ndjson")
  [[ $copied == "$n" ]] || { echo "bench-scale: ck-copy copied $copied of $n" >&2; exit 1; }
  timed verify ck-verify -s "$SRC" -t "$DST" --content <"$work/copied.ndjson"
done
{ step plan "$n"; step copy "$n"; step verify "$n"; } >/dev/null
cat "$work/steps.ndjson"
{
  jq -r 'select(.consumer_group_command_s != null)
    | "plan: \(.groups) groups over \(.partitions) partitions: ck-plan \(.ck_plan_s) s, \(.ck_plan_rss_mb) MiB; ConsumerGroupCommand \(.consumer_group_command_s) s, \(.consumer_group_command_rss_mb) MiB (x\(.ratio))"' \
    "$work/plan-bench.ndjson"
  jq -r '"\(.step): \(.partitions) partitions, \(.messages) messages: \(.seconds) s (runs \(.run_seconds | map(tostring) | join("/"))), peak RSS \(.peak_rss_mb) MiB, \(.cpu_s) CPU s"' \
    "$work/steps.ndjson"
} >&2
