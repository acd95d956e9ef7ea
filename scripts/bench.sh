#!/usr/bin/env bash
# Benchmarks ck-copy and ck-verify against the limits of the local brokers and against the
# alternatives, side by side in one run on the same data:
#   limit-read   Kafka's ConsumerPerformance on the source (fetch rate, no group join)
#   limit-write  Kafka's ProducerPerformance into the target (acks=all)
#   ck-copy      the copy (wall time from start to exit; peak RSS; CPU seconds)
#   kcat-pipe    kcat -C | kcat -P (loses headers, timestamps and partitions)
#   kcat-read    kcat -C alone into memory, kcat-write kcat -P alone from there: each half of
#                a copy on its own, through librdkafka with kcat's settings
#   mm2          MirrorMaker 2, dedicated mode, timed until the target caught up
#   ck-verify    count mode over the copied range
# ck-copy, kcat-pipe and ck-verify run --repeat times (default 5), interleaved (a shared
# machine's noise hits both sides alike); their line gives the median time, the largest
# RSS and the runs.
# Every timed run starts after `sync` and a --pause (default 1 s): the gigabytes the last
# run wrote are flushed to disk first instead of during whichever tool runs next.
# Every time is wall time from process start to exit, start-up included: for MirrorMaker 2
# that is the JVM, Connect and task start (several seconds), so small sizes favour the others.
# cpu_s is the tool's CPU time (user + system; both kcat processes for the pipe), broker_cpu_s
# the two broker JVMs' CPU time during the same run when they are this checkout's
# scripts/clusters.sh clusters (null otherwise): on a small machine the brokers and the tool
# share the cores, and the sum is what a copy costs. disk_read_mb (JSON only, the most of
# the runs): what the run read from disk instead of the page cache.
# run_seconds (JSON only): every run's wall time, in run order, next to their median.
# Prints one JSON line per measurement on stdout, a table with ratios on stderr.
# Uses the clusters in CK_SOURCE_BROKERS/CK_TARGET_BROKERS, or starts its own.
set -euo pipefail
usage() {
  echo "usage: scripts/bench.sh [--quick] [--sizes 100,1024,10240] [--messages-mb MB]" \
       "[--compressions none,lz4] [--partitions N] [--repeat N] [--pause S] [--no-mm2]" \
       "[--no-kcat]" >&2
}
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$repo/scripts/bench-lib.sh"
quick=false sizes="100,1024,10240" comps="none,lz4" mb=256 partitions=4 run_mm2=true run_kcat=true repeat=5 pause=1
bench_options '
--quick quick=true
--sizes sizes
--compressions comps
--messages-mb mb
--partitions partitions
--repeat repeat
--pause pause
--no-mm2 run_mm2=false
--no-kcat run_kcat=false' "$@"
if $quick; then sizes=1024 comps=none mb=2 run_mm2=false repeat=1 pause=0; fi
bench_init copy
# The kcat-read output lives in memory: the disk would slow the read and the write after it.
shm=$(mktemp -d /dev/shm/ck-bench.XXXXXX 2>/dev/null || mktemp -d "$work/values.XXXXXX")
started_clusters=false
cleanup() {
  [[ -n ${mm2_pid:-} ]] && kill "$mm2_pid" 2>/dev/null || true
  $started_clusters && bash "$repo/scripts/clusters.sh" stop >/dev/null 2>&1 || true
  rm -rf "$work" "$shm"
}
trap cleanup EXIT
if [[ -z ${CK_SOURCE_BROKERS:-} || -z ${CK_TARGET_BROKERS:-} ]]; then
  bash "$repo/scripts/clusters.sh" start
  started_clusters=true
  eval "$(bash "$repo/scripts/clusters.sh" env)"
fi
SRC=$CK_SOURCE_BROKERS DST=$CK_TARGET_BROKERS
IFS=, read -ra size_list <<<"$sizes"
IFS=, read -ra comp_list <<<"$comps"
# Every topic stays until the clusters stop: per size and compression the source data and
# the limit, ck-copy, kcat pipe and kcat write copies of each round, MirrorMaker's one.
# A full disk fails a run halfway with errors that name other causes; say it up front.
if $started_clusters; then
  copies=$((2 + repeat))  # source, limit-write, ck-copy's rounds (appended)
  if $run_kcat; then copies=$((copies + 2 * repeat)); fi
  if $run_mm2; then copies=$((copies + 1)); fi
  need_mb=$((copies * mb * ${#size_list[@]} * ${#comp_list[@]}))
  data_dir=${CK_RUN_DIR:-$repo/.run}
  free_mb=$(df -Pm "$data_dir" | awk 'NR == 2 { print $4 }')
  ((free_mb > need_mb)) || {
    echo "bench: needs about $need_mb MB free for the brokers' data in $data_dir, has $free_mb MB" >&2
    exit 1
  }
fi
tool() { bash "$repo/scripts/kafka-tool.sh" "$@"; }
run_id=$(date +%s)
bench_broker_pids "$SRC" "$DST"

for size in "${size_list[@]}"; do
  for comp in "${comp_list[@]}"; do
    n=$((mb * 1048576 / size))
    topic="bench.$size.$comp.$run_id"
    ck-testkit create -b "$SRC" -t "$topic" -p "$partitions" >/dev/null
    ck-testkit create -b "$DST" -t "$topic.limit" -p "$partitions" >/dev/null
    echo "bench: $topic: $n messages of $size bytes, compression $comp" >&2
    # The source data, written by ProducerPerformance (also warms the brokers).
    tool org.apache.kafka.tools.ProducerPerformance --topic "$topic" --num-records "$n" \
      --record-size "$size" --throughput -1 \
      --producer-props "bootstrap.servers=$SRC" acks=all "compression.type=$comp" \
      linger.ms=5 batch.size=262144 >"$work/pp-src.log"
    # limit-write: the same messages into the target.
    settle
    tool org.apache.kafka.tools.ProducerPerformance --topic "$topic.limit" --num-records "$n" \
      --record-size "$size" --throughput -1 \
      --producer-props "bootstrap.servers=$DST" acks=all "compression.type=$comp" \
      linger.ms=5 batch.size=262144 >"$work/pp.log"
    rate=$(tail -n 1 "$work/pp.log" | grep -oE '^[0-9]+ records sent, [0-9.]+' | awk '{print $NF}')
    emit limit-write "$size" "$comp" "$n" "$(calc "$n / $rate")"
    # limit-read: ConsumerPerformance's fetch rate (the group join excluded).
    settle
    d0=$(disk_sectors_read)
    tool org.apache.kafka.tools.ConsumerPerformance --bootstrap-server "$SRC" --topic "$topic" \
      --messages "$n" --timeout 60000 --group "bench-cp-$run_id-$size-$comp" >"$work/cp.log"
    disk=$(disk_mb_since "$d0")
    fetch_rate=$(tail -n 1 "$work/cp.log" | awk -F', *' '{print $NF}')
    emit limit-read "$size" "$comp" "$n" "$(calc "$n / $fetch_rate")" "" "" 1 "" "$disk"

    # ck-copy: plan the whole topic, copy, measure. Later rounds copy the same range again
    # under another job name (--append: into the same target topic).
    ck-testkit offsets -b "$SRC" -t "$topic" | jq -c --arg t "$topic" \
      '{v:1, topic:$t, partition, start:.log_start, end:.last_stable}' >"$work/plan.ndjson"
    ck-testkit create -b "$DST" -t "$topic" -p "$partitions" >/dev/null
    timed_arrays copy verify kcat kread kwrite
    for ((round = 1; round <= repeat; round++)); do
      more=()
      ((round > 1)) && more=(--append)
      timed copy \
        ck-copy -s "$SRC" -t "$DST" --job "bench-$run_id-$round" --no-progress -q "${more[@]}" \
        --target-set "compression.type=$comp" <"$work/plan.ndjson" >"$work/copied.ndjson"
      copied=$(jq -s 'map(.copied) | add' "$work/copied.ndjson")
      [[ $copied == "$n" ]] || { echo "bench: ck-copy copied $copied of $n" >&2; exit 1; }

      # ck-verify count mode over what was just copied.
      timed verify ck-verify -s "$SRC" -t "$DST" <"$work/copied.ndjson"

      if $run_kcat; then
        ck-testkit create -b "$DST" -t "$topic.kcat$round" -p "$partitions" >/dev/null
        timed kcat "${kcat_pipe[@]}" "$SRC" "$topic" "$DST" "$topic.kcat$round" "$comp"
        got=$(total_end "$DST" "$topic.kcat$round")
        [[ $got == "$n" ]] || echo "bench: kcat pipe delivered $got of $n" >&2
        # Each half alone, through librdkafka as ck-copy is: the read into memory
        # (/dev/shm), the write from there. A copy runs both at once on the same cores.
        timed kread kcat -C -b "$SRC" -t "$topic" -o beginning -e -q -D '\n' -f '%s\n' \
          >"$shm/values"
        ck-testkit create -b "$DST" -t "$topic.kw$round" -p "$partitions" >/dev/null
        timed kwrite kcat -P -b "$DST" -t "$topic.kw$round" -D '\n' -X "compression.type=$comp" \
          -X linger.ms=5 -X acks=all <"$shm/values"
        rm -f "$shm/values"
      fi
    done
    emit_timed copy ck-copy
    emit_timed verify ck-verify
    if $run_kcat; then
      emit_timed kcat kcat-pipe
      emit_timed kread kcat-read
      emit_timed kwrite kcat-write
    fi

    if $run_mm2; then
      mm2_copy "$SRC" "$topic" "$DST" "$comp" A "$n"
      emit mm2 "$size" "$comp" "$n" "$mm2_secs" "" "$mm2_cpu" 1 "$mm2_bcpu"
    fi
  done
done

# The table: each row with its ratio to min(limit-read, limit-write), to the slower of the
# two halves done alone (x_rdk: min(kcat-read, kcat-write), for the copies only; 1 means
# copying as fast as kcat only reads or only writes the same data) and to the alternatives.
jq -rs '
  group_by([.value_bytes, .compression])[] as $g
  | ($g | map({key: .bench, value: .msgs_per_s}) | from_entries) as $r
  | ([$r["limit-read"], $r["limit-write"]] | min) as $limit
  | ([$r["kcat-read"], $r["kcat-write"]] | min) as $rdk
  | def ratio(a; b): if a and b then (a / b * 100 | floor / 100 | tostring) else "-" end;
    $g[] | [ .bench, (.value_bytes|tostring), .compression, (.messages|tostring),
             (.msgs_per_s|tostring), (.mb_per_s|tostring), ((.peak_rss_mb // "-")|tostring),
             ((.cpu_s // "-")|tostring), ((.broker_cpu_s // "-")|tostring),
             ratio(.msgs_per_s; $limit),
             (if .bench | IN("ck-copy", "kcat-pipe", "mm2") then ratio(.msgs_per_s; $rdk) else "-" end),
             (if .bench == "ck-copy" then ratio($r["ck-copy"]; $r["mm2"]) else "-" end),
             (if .bench == "ck-copy" then ratio($r["ck-copy"]; $r["kcat-pipe"]) else "-" end)]
  | @tsv' "$work/results.ndjson" \
  | (printf 'bench\tbytes\tcomp\tmessages\tmsg/s\tMB/s\trss_MB\tcpu_s\tbrk_cpu\tx_limit\tx_rdk\tx_mm2\tx_kcat\n'; cat) \
  | column -t -s $'\t' >&2
