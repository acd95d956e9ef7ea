#!/usr/bin/env bash
# Benchmarks a cutover from a live source: the downtime (wall time from the producers
# stopped to the final step done: ck-plan, the delta ck-copy of the same job, groups placed)
# after a pre-copy in follow mode of a backlog while ProducerPerformance writes about
# 20 MB/s and four groups move on; beside it, the same backlog migrated offline (ck-plan |
# ck-copy of an identical topic: the full copy time, the downtime without follow mode).
# Also follow mode's CPU seconds and peak RSS (/usr/bin/time over the pre-copy).
# For each backlog (MiB, --backlogs 256,2048) one JSON line on stdout: backlog_mb, downtime_s
# (plan_s, delta_s), offline_s, downtime_over_offline, precopy_s, follow_cpu_s,
# follow_peak_rss_mb, producer_mb_per_s (measured), delta_messages, groups_placed,
# verify_exit (ck-verify --exact-groups on the final results). Ratios, not timed tests.
# Starts its own clusters (CK_RUN_DIR, default <repo>/.run/cutover; ports base 939).
set -euo pipefail
usage() {
  echo "usage: scripts/bench-cutover.sh [--quick] [--backlogs MB,...] [--partitions N]" \
       "[--produce-mb-s N] [--until-lag LAG]" >&2
}
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$repo/scripts/bench-lib.sh"
backlogs=256 partitions=8 produce_mb=20 until_lag=1s pause=1
bench_options '
--quick backlogs=16 produce_mb=2 pause=0
--backlogs backlogs
--partitions partitions
--produce-mb-s produce_mb
--until-lag until_lag' "$@"
bench_init cutover
private_clusters cutover 939
bench_start_clusters
size=1024 run_id=$(date +%s)
say() { echo "bench-cutover: $*" >&2; }

# fill TOPIC MESSAGES [THROUGHPUT]: ProducerPerformance into the source (-1: as fast as it can).
fill() {
  bash "$repo/scripts/kafka-tool.sh" org.apache.kafka.tools.ProducerPerformance --topic "$1" \
    --num-records "$2" --record-size "$size" --throughput "${3:--1}" \
    --producer-props "bootstrap.servers=$SRC" acks=all linger.ms=5 batch.size=262144
}
# move_groups TOPIC: four groups commit positions 1,000 to 4,000 messages behind the end of
# every partition, twice a second, until killed (consumers keeping up with producers).
move_groups() {
  while :; do
    ck-testkit offsets -b "$SRC" -t "$1" \
      | jq -r --arg t "$1" --arg r "$run_id" 'range(1; 5) as $g
          | "bench.\($r).g\($g).\($t) \($t) \(.partition) \([.last_stable - 1000 * $g, 0] | max)"' \
      | ck-testkit commit -b "$SRC" >/dev/null 2>&1 || true
    sleep 0.5
  done
}
plan() { ck-plan -s "$SRC" --topic "$(printf '%s' "$1" | sed 's/[.]/[.]/g')" -q; }

# A first copy creates the target's transaction and offsets topics: not part of any timing.
ck-testkit create -b "$SRC" -t "cut.$run_id.warm" -p 1 >/dev/null
ck-testkit gen -b "$SRC" -t "cut.$run_id.warm" -p 0 -n 10 2>/dev/null
plan "cut.$run_id.warm" | ck-copy -s "$SRC" -t "$DST" --job "warm.$run_id" --create-topics -q >/dev/null

for mb in ${backlogs//,/ }; do
  n=$((mb * 1048576 / size))
  offline=cut.$run_id.$mb.offline live=cut.$run_id.$mb.live
  for t in "$offline" "$live"; do
    ck-testkit create -b "$SRC" -t "$t" -p "$partitions" >/dev/null
    fill "$t" "$n" >"$work/fill.log"
  done
  # The groups' starting positions, for the plans: the backlog is what they have not read.
  for t in "$offline" "$live"; do
    ck-testkit offsets -b "$SRC" -t "$t" | jq -r --arg t "$t" --arg r "$run_id" \
      'range(1; 5) as $g | "bench.\($r).g\($g).\($t) \($t) \(.partition) 0"' | ck-testkit commit -b "$SRC"
  done
  say "$mb MiB backlog ($n messages of $size bytes, $partitions partitions) in $offline and $live"

  # Offline: the whole backlog while nothing writes.
  settle
  t0=$(now)
  plan "$offline" | ck-copy -s "$SRC" -t "$DST" --job "off.$run_id.$mb" --create-topics -q >"$work/offline.ndjson"
  offline_s=$(elapsed "$t0")
  say "offline: $offline_s s"

  # Live: producers and groups move; follow mode pre-copies until within the lag.
  settle
  fill "$live" 1000000000 $((produce_mb * 1048576 / size)) >"$work/live-producer.log" 2>&1 &
  producer_pid=$!
  bench_pids=("$producer_pid")
  # The plan first: the groups have read nothing of the backlog, so all of it is planned.
  plan "$live" >"$work/plan.live.ndjson"
  move_groups "$live" &
  mover_pid=$!
  bench_pids+=("$mover_pid")
  end0=$(total_end "$SRC" "$live")
  until (($(total_end "$SRC" "$live") > end0)); do sleep 0.2; done  # the JVM is writing
  end0=$(total_end "$SRC" "$live") p0=$(now)
  t0=$(now)
  /usr/bin/time -f '%M %U %S' -o "$work/follow.time" \
    ck-copy -s "$SRC" -t "$DST" --job "live.$run_id.$mb" --create-topics --follow \
      --until-lag "$until_lag" --no-progress -i "$work/plan.live.ndjson" >"$work/precopy.ndjson" 2>"$work/follow.err"
  precopy_s=$(elapsed "$t0")
  read -r rss user sys <"$work/follow.time"
  # The cutover: producers and consumers stop; the clock starts once they are gone.
  kill "$mover_pid"; wait "$mover_pid" 2>/dev/null || true
  kill "$producer_pid"; wait "$producer_pid" 2>/dev/null || true; bench_pids=()
  produced_mb_s=$(calc "($(total_end "$SRC" "$live") - $end0) * $size / 1048576 / ($(now) - $p0)")
  t0=$(now)
  plan "$live" >"$work/plan.final.ndjson"
  plan_s=$(elapsed "$t0")
  ck-copy -s "$SRC" -t "$DST" --job "live.$run_id.$mb" -q -i "$work/plan.final.ndjson" >"$work/final.ndjson"
  downtime_s=$(elapsed "$t0")
  verify=0
  ck-verify -s "$SRC" -t "$DST" --exact-groups -q <"$work/final.ndjson" >/dev/null 2>"$work/verify.err" || verify=$?
  ((verify == 0)) || say "ck-verify --exact-groups: exit $verify: $(head -n 3 "$work/verify.err")"
  jq -cn --argjson mb "$mb" --argjson down "$downtime_s" --argjson plan "$plan_s" \
    --argjson off "$offline_s" --argjson pre "$precopy_s" --argjson cpu "$(calc "$user + $sys")" \
    --argjson rss "$rss" --argjson prod "$produced_mb_s" --argjson verify "$verify" \
    --argjson delta "$(jq -s 'map(.copied) | add' "$work/final.ndjson")" \
    --argjson pre_msgs "$(jq -s 'map(.copied) | add' "$work/precopy.ndjson")" \
    --argjson placed "$(jq -s 'map(.target_groups // {} | length) | add' "$work/final.ndjson")" '
    {bench: "cutover", backlog_mb: $mb, downtime_s: $down, plan_s: $plan, delta_s: ($down - $plan),
     offline_s: $off, downtime_over_offline: ($down / $off * 1000 | floor / 1000),
     precopy_s: $pre, precopy_messages: $pre_msgs, follow_cpu_s: $cpu,
     follow_peak_rss_mb: ($rss / 1024 | floor), producer_mb_per_s: $prod,
     job_messages: $delta, groups_placed: $placed, verify_exit: $verify}'
done
