#!/usr/bin/env bash
# Times ck-plan against Kafka's own ConsumerGroupCommand (--describe --all-groups) on the
# same source state: N groups committing over M partitions (T topics of M/T partitions;
# each group commits on K partitions of one topic, so every partition has a commit and
# most groups of a topic have none on a given partition). Prints one JSON line on stdout:
#   {"bench":"plan","groups":N,"partitions":M,...,"ck_plan_s":..,"consumer_group_command_s":..,"ratio":..}
# ratio = ConsumerGroupCommand seconds / ck-plan seconds (higher: ck-plan faster);
# ck_plan_rss_mb and consumer_group_command_rss_mb: the largest peak RSS of each. Both run
# --repeat times, interleaved, after one untimed run of each and --pause seconds before
# every timed run; the medians are compared (wall time, process start to exit).
# --no-cgc: ck-plan alone (ConsumerGroupCommand takes minutes a run at 10,000 groups);
# the consumer_group_command fields and the ratio are then null.
# Both tools see every group of the cluster: run it on a cluster without other groups.
# Uses the source cluster in CK_SOURCE_BROKERS, or starts (and stops) its own.
set -euo pipefail
usage() {
  echo "usage: scripts/bench-plan.sh [--quick] [--groups N] [--topics T] [--partitions M]" \
       "[--commits-per-group K] [--jobs J] [--repeat N] [--pause S] [--no-cgc]" >&2
}
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
groups=1000 topics=50 partitions=5000 per_group=5 jobs=4 repeat=5 pause=2 warmup=true cgc=true
while (($#)); do
  case $1 in
    --quick) groups=20 topics=2 partitions=200 per_group=10 repeat=1 pause=0 warmup=false ;;
    --groups) groups=$2; shift ;;
    --topics) topics=$2; shift ;;
    --partitions) partitions=$2; shift ;;
    --commits-per-group) per_group=$2; shift ;;
    --jobs) jobs=$2; shift ;;
    --repeat) repeat=$2; shift ;;
    --pause) pause=$2; shift ;;
    --no-cgc) cgc=false ;;
    -h|--help) usage; exit 0 ;;
    *) usage; exit 2 ;;
  esac
  shift
done
((partitions % topics == 0)) || { echo "bench-plan: --partitions must be a multiple of --topics" >&2; exit 2; }
per_topic=$((partitions / topics))
BUILD=${CK_BUILD:-$repo/build}
export PATH="$BUILD:$PATH"
command -v ck-plan >/dev/null && command -v ck-testkit >/dev/null \
  || { echo "bench-plan: build ck-plan and ck-testkit first (make BUILD=$BUILD)" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/ck-bench-plan.XXXXXX")
started_cluster=false
cleanup() {
  $started_cluster && bash "$repo/scripts/clusters.sh" stop source >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
if [[ -z ${CK_SOURCE_BROKERS:-} ]]; then
  bash "$repo/scripts/clusters.sh" start source >&2
  started_cluster=true
  eval "$(bash "$repo/scripts/clusters.sh" env)"
fi
SRC=$CK_SOURCE_BROKERS
run_id=$(date +%s)
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }'; }
say() { echo "bench-plan: $*" >&2; }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# Topics with 10 messages per partition, one producer per topic.
say "creating $topics topics x $per_topic partitions"
t0=$(now)
for ((t = 0; t < topics; t++)); do
  topic="bench-plan.$run_id.t$t"
  ck-testkit create -b "$SRC" -t "$topic" -p "$per_topic" -c retention.ms=-1 >/dev/null
  for ((p = 0; p < per_topic; p++)); do
    for ((i = 0; i < 10; i++)); do echo "{\"partition\":$p,\"value\":\"m$i\"}"; done
  done | ck-testkit produce -b "$SRC" -t "$topic" >/dev/null 2>"$work/produce.err" \
    || { cat "$work/produce.err" >&2; exit 1; }
done

# Group g commits on K consecutive partitions of topic g % T (offsets 0..10 vary).
say "committing: $groups groups x $per_group partitions ($jobs in parallel)"
for ((g = 0; g < groups; g++)); do
  t=$((g % topics))
  first=$(((g / topics) * per_group % per_topic))
  for ((k = 0; k < per_group; k++)); do
    echo "bench-plan.$run_id.g$g bench-plan.$run_id.t$t $(((first + k) % per_topic)) $(((g + k) % 11))"
  done
done >"$work/commits"
# Bulk commits: J ck-testkit processes, each committing its share of whole groups (one
# request per group) from stdin; a process per commit took ~80 s for 5000.
split -n "l/$jobs" "$work/commits" "$work/commits."
for part in "$work"/commits.*; do
  ck-testkit commit -b "$SRC" <"$part" >/dev/null &
done
failed=0
for job in $(jobs -p); do wait "$job" || failed=1; done
((failed == 0)) || { echo "bench-plan: committing failed" >&2; exit 1; }
setup_s=$(since "$t0")
say "set up in ${setup_s}s"
sync  # 5,000 new partitions' files (and any earlier benchmark's data) reach the disk first

# Same footing for both: one untimed run of each first (the broker opens the indexes of
# 5,000 fresh partitions on the first ListOffsets), and a pause before every timed run so
# neither starts while the broker still digests the other's requests (a JVM client's
# teardown, the broker's own garbage collection).
settle() { sleep "$pause"; }
if $warmup; then
  ck-plan -q -s "$SRC" >/dev/null
  if $cgc; then
    bash "$repo/scripts/kafka-tool.sh" org.apache.kafka.tools.consumer.group.ConsumerGroupCommand \
      --bootstrap-server "$SRC" --describe --all-groups >/dev/null 2>&1
  fi
fi
plan_runs=() cgc_runs=() plan_rss=() cgc_rss=()
rss_of() { /usr/bin/time -f %M -o "$work/rss" "$@"; }  # peak RSS (KiB) into $work/rss
for ((round = 1; round <= repeat; round++)); do
  settle
  t0=$(now)
  rss_of ck-plan -q -s "$SRC" >"$work/plan"
  plan_runs+=("$(since "$t0")") plan_rss+=("$(<"$work/rss")")
  planned=$(grep -c "bench-plan\.$run_id\." "$work/plan" || true)
  ((planned == partitions)) || { echo "bench-plan: ck-plan planned $planned of $partitions partitions" >&2; exit 1; }
  say "ck-plan: ${plan_runs[-1]}s, $(wc -l <"$work/plan") records"

  $cgc || continue
  settle
  t0=$(now)
  rss_of bash "$repo/scripts/kafka-tool.sh" org.apache.kafka.tools.consumer.group.ConsumerGroupCommand \
    --bootstrap-server "$SRC" --describe --all-groups >"$work/cgc" 2>"$work/cgc.err"
  cgc_runs+=("$(since "$t0")") cgc_rss+=("$(<"$work/rss")")
  described=$(grep -c "bench-plan\.$run_id\." "$work/cgc" || true)
  say "ConsumerGroupCommand: ${cgc_runs[-1]}s, $described rows"
done
plan_s=$(median "${plan_runs[@]}") cgc_s=null cgc_rss_mb=null
max_mb() { printf '%s\n' "$@" | sort -g | tail -n 1 | awk '{ print int($1 / 1024) }'; }
if $cgc; then cgc_s=$(median "${cgc_runs[@]}") cgc_rss_mb=$(max_mb "${cgc_rss[@]}"); fi

jq -cn --argjson groups "$groups" --argjson partitions "$partitions" --argjson topics "$topics" \
  --argjson commits "$(wc -l <"$work/commits")" --argjson plan "$plan_s" --argjson cgc "$cgc_s" \
  --argjson runs "$repeat" --argjson setup "$setup_s" \
  --argjson plan_rss "$(max_mb "${plan_rss[@]}")" --argjson cgc_rss "$cgc_rss_mb" \
  '{bench: "plan", groups: $groups, topics: $topics, partitions: $partitions, commits: $commits,
    runs: $runs, setup_s: $setup,
    ck_plan_s: ($plan * 1000 | round / 1000),
    consumer_group_command_s: (if $cgc == null then null else ($cgc * 1000 | round / 1000) end),
    ratio: (if $cgc == null then null else ($cgc / $plan * 10 | round / 10) end),
    ck_plan_rss_mb: $plan_rss, consumer_group_command_rss_mb: $cgc_rss}'
