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
quick=false sizes="100,1024,10240" comps="none,lz4" mb=256 partitions=4 run_mm2=true run_kcat=true repeat=5 pause=1
while (($#)); do
  case $1 in
    --quick) quick=true ;;
    --sizes) sizes=$2; shift ;;
    --compressions) comps=$2; shift ;;
    --messages-mb) mb=$2; shift ;;
    --partitions) partitions=$2; shift ;;
    --repeat) repeat=$2; shift ;;
    --pause) pause=$2; shift ;;
    --no-mm2) run_mm2=false ;;
    --no-kcat) run_kcat=false ;;
    -h|--help) usage; exit 0 ;;
    *) usage; exit 2 ;;
  esac
  shift
done
if $quick; then sizes=1024 comps=none mb=2 run_mm2=false repeat=1 pause=0; fi
BUILD=${CK_BUILD:-$repo/build}
export PATH="$BUILD:$PATH"
work=$(mktemp -d "${TMPDIR:-/tmp}/ck-bench.XXXXXX")
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

# emit NAME SIZE COMPRESSION MESSAGES SECONDS [RSS_KB CPU_S RUNS BROKER_CPU_S DISK_READ_MB
#      RUN_SECONDS_JSON]
emit() {
  jq -cn --arg name "$1" --argjson size "$2" --arg comp "$3" --argjson msgs "$4" \
     --argjson secs "$5" --argjson rss "${6:-null}" --argjson cpu "${7:-null}" \
     --argjson runs "${8:-1}" --argjson bcpu "${9:-null}" --argjson disk "${10:-null}" \
     --argjson each "${11:-null}" '
    {bench: $name, value_bytes: $size, compression: $comp, messages: $msgs, seconds: $secs,
     runs: $runs, run_seconds: $each,
     msgs_per_s: (if $secs > 0 then ($msgs / $secs | floor) else null end),
     mb_per_s: (if $secs > 0 then ($msgs * $size / $secs / 1048576 * 100 | floor / 100) else null end),
     peak_rss_mb: (if $rss == null then null else ($rss / 1024 | floor) end), cpu_s: $cpu,
     broker_cpu_s: $bcpu, disk_read_mb: $disk}' \
    | tee -a "$work/results.ndjson"
}
now() { date +%s.%N; }
# CPU seconds (user + system) the given processes have used so far.
tick=$(getconf CLK_TCK)
proc_cpu() {
  local p total=0
  for p in "$@"; do total=$((total + $(awk '{ print $14 + $15 }' "/proc/$p/stat"))); done
  calc "$total / $tick"
}
# The brokers' CPU seconds so far, or nothing when their process ids are unknown: only the
# clusters of this checkout's scripts/clusters.sh count, and only when they are the ones
# this run uses.
broker_pids=()
if [[ $(bash "$repo/scripts/clusters.sh" env 2>/dev/null | grep -E '^CK_(SOURCE|TARGET)_BROKERS=') \
      == "CK_SOURCE_BROKERS=$SRC"$'\n'"CK_TARGET_BROKERS=$DST" ]]; then
  mapfile -t broker_pids < <(bash "$repo/scripts/clusters.sh" pids 2>/dev/null || true)
fi
broker_cpu() { ((${#broker_pids[@]} == 2)) && proc_cpu "${broker_pids[@]}" || true; }
broker_cpu_since() { [[ -n $1 ]] && calc "$(broker_cpu) - $1" || true; }
# Sectors read from the machine's disks so far: what a run read from disk rather than from
# the page cache (the brokers' data outgrows memory in the 10 GiB runs).
disk_sectors_read() {
  local d s total=0
  for d in /sys/block/*; do
    case ${d##*/} in loop* | ram* | zram*) continue ;; esac
    read -r _ _ s _ <"$d/stat" && total=$((total + s))
  done
  echo "$total"
}
disk_mb_since() { calc "($(disk_sectors_read) - $1) * 512 / 1048576"; }
# timed NAME COMMAND...: runs COMMAND after settle; appends its wall seconds, peak RSS (KiB),
# CPU seconds, the brokers' CPU seconds and the MB read from disk to the arrays NAME_s,
# NAME_rss, NAME_cpu, NAME_bcpu and NAME_disk.
timed() {
  local -n t_s=$1_s t_rss=$1_rss t_cpu=$1_cpu t_bcpu=$1_bcpu t_disk=$1_disk
  shift
  settle
  local b0 d0 t0 rss user sys
  b0=$(broker_cpu) d0=$(disk_sectors_read) t0=$(now)
  /usr/bin/time -f '%M %U %S' -o "$work/time.txt" "$@"
  t_s+=("$(elapsed "$t0")") t_bcpu+=("$(broker_cpu_since "$b0")")
  t_disk+=("$(disk_mb_since "$d0")")
  read -r rss user sys <"$work/time.txt"
  t_rss+=("$rss") t_cpu+=("$(calc "$user + $sys")")
}
# emit_timed NAME BENCH: the median of NAME's runs (the largest RSS: for a pipe, its largest
# process) as BENCH's line, with every run's seconds in run order (the noise, visible).
emit_timed() {
  local -n e_s=$1_s e_rss=$1_rss e_cpu=$1_cpu e_bcpu=$1_bcpu e_disk=$1_disk
  emit "$2" "$size" "$comp" "$n" "$(median "${e_s[@]}")" "$(max "${e_rss[@]}")" "$(median "${e_cpu[@]}")" \
    "$repeat" "$(median_or_null "${e_bcpu[@]}")" "$(max "${e_disk[@]}")" \
    "$(printf '%s\n' "${e_s[@]}" | jq -sc .)"
}
settle() { [[ $pause == 0 ]] && return; sync; sleep "$pause"; }
calc() { awk "BEGIN { printf \"%.3f\", $* }"; }
elapsed() { calc "$(now) - $1"; }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
median_or_null() {
  if [[ -n ${1:-} ]]; then median "$@"; else echo null; fi
}
max() { printf '%s\n' "$@" | sort -g | tail -n 1; }
total_end() {  # brokers topic -> sum of end offsets
  ck-testkit offsets -b "$1" -t "$2" | jq -s 'map(.last_stable) | add'
}

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
    for b in copy verify kcat kread kwrite; do
      declare -a "${b}_s=()" "${b}_rss=()" "${b}_cpu=()" "${b}_bcpu=()" "${b}_disk=()"
    done
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
        # bash waits for both kcats: time counts the CPU of the whole pipe.
        timed kcat bash -c '
          kcat -C -b "$1" -t "$2" -o beginning -e -q -D "\n" -f "%s\n" \
            | kcat -P -b "$3" -t "$4" -D "\n" -X "compression.type=$5" -X linger.ms=5 -X acks=all
        ' _ "$SRC" "$topic" "$DST" "$topic.kcat$round" "$comp"
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
      cat >"$work/mm2.properties" <<PROPS
clusters = A, B
A.bootstrap.servers = $SRC
B.bootstrap.servers = $DST
A->B.enabled = true
A->B.topics = bench[.]$size[.]$comp[.]$run_id
B->A.enabled = false
emit.heartbeats.enabled = false
emit.checkpoints.enabled = false
sync.topic.acls.enabled = false
sync.group.offsets.enabled = false
replication.factor = 1
checkpoints.topic.replication.factor = 1
heartbeats.topic.replication.factor = 1
offset-syncs.topic.replication.factor = 1
offset.storage.replication.factor = 1
status.storage.replication.factor = 1
config.storage.replication.factor = 1
B.producer.compression.type = $comp
PROPS
      settle
      b0=$(broker_cpu) t0=$(now)
      java -Xmx512m -cp "$("$repo/scripts/kafka-jars.sh" --print-dir)/*" \
        -Dlog4j.configuration="file:$repo/scripts/kafka/tools-log4j.properties" \
        org.apache.kafka.connect.mirror.MirrorMaker "$work/mm2.properties" --clusters B \
        >"$work/mm2.log" 2>&1 &
      mm2_pid=$!
      deadline=$((SECONDS + 900)) got=0
      while ((SECONDS < deadline)); do
        kill -0 "$mm2_pid" 2>/dev/null \
          || { tail -n 5 "$work/mm2.log" >&2; echo "bench: MirrorMaker 2 exited" >&2; exit 1; }
        # The topic appears only once MirrorMaker has started: until then count 0.
        got=$({ ck-testkit offsets -b "$DST" -t "A.$topic" 2>/dev/null || true; } \
                | jq -s 'map(.high_watermark) | add // 0')
        [[ $got -ge $n ]] && break
        sleep 0.5
      done
      secs=$(elapsed "$t0") mm2_bcpu=$(broker_cpu_since "$b0")
      mm2_cpu=$(proc_cpu "$mm2_pid")
      kill "$mm2_pid"; wait "$mm2_pid" 2>/dev/null || true; mm2_pid=
      [[ $got -ge $n ]] || echo "bench: MirrorMaker 2 copied $got of $n in 900 s" >&2
      emit mm2 "$size" "$comp" "$n" "$secs" "" "$mm2_cpu" 1 "$mm2_bcpu"
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
