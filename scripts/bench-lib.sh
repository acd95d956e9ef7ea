# Sourced by the scripts/bench*.sh: the one home of how a benchmark reads its options and
# sets up its clusters, how a run is timed, summarised and printed, and how the
# alternatives (the kcat pipe, MirrorMaker 2) are run. Expects $repo; bench_init sets $work
# (scratch directory); the timing expects $pause (seconds of settle), and emit_timed $size,
# $comp, $n and $repeat.

# bench_options SPEC ARGS...: sets the script's variables from ARGS as SPEC says, one
# option a line: "--name var" takes a value into $var, "--name a=1 b=2" is a switch that
# sets each. -h/--help prints the script's usage and exits 0; anything else, usage and 2.
bench_options() {
  local bo_spec=$1 bo_line bo_rest bo_set
  shift
  while (($#)); do
    [[ $1 == -h || $1 == --help ]] && { usage; exit 0; }
    bo_line=$(grep -m1 -e "^$1 " <<<"$bo_spec") || { usage; exit 2; }
    bo_rest=${bo_line#* }
    if [[ $bo_rest == *=* ]]; then
      for bo_set in $bo_rest; do printf -v "${bo_set%%=*}" '%s' "${bo_set#*=}"; done
    else
      (($# >= 2)) || { usage; exit 2; }
      printf -v "$bo_rest" '%s' "$2"
      shift
    fi
    shift
  done
}
# bench_init NAME: the tools of $CK_BUILD (default <repo>/build) first on PATH, and a fresh
# scratch directory $work.
bench_init() {
  BUILD=${CK_BUILD:-$repo/build}
  export PATH="$BUILD:$PATH"
  work=$(mktemp -d "${TMPDIR:-/tmp}/ck-bench-$1.XXXXXX")
}
# bench_start_clusters: starts the clusters (private_clusters' or scripts/clusters.sh's
# defaults) and stops them on exit, after killing the processes in bench_pids and a
# MirrorMaker still running, and removing $work; sets SRC, DST and the brokers' pids.
bench_pids=()
bench_cleanup() {
  local p
  for p in ${mm2_pid:-} "${bench_pids[@]}"; do kill "$p" 2>/dev/null || true; done
  bash "$repo/scripts/clusters.sh" stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
bench_start_clusters() {
  trap bench_cleanup EXIT
  bash "$repo/scripts/clusters.sh" start
  eval "$(bash "$repo/scripts/clusters.sh" env)"
  SRC=$CK_SOURCE_BROKERS DST=$CK_TARGET_BROKERS
  bench_broker_pids "$SRC" "$DST"
}

# emit NAME SIZE COMPRESSION MESSAGES SECONDS [RSS_KB CPU_S RUNS BROKER_CPU_S DISK_READ_MB
#      RUN_SECONDS_JSON RTT_MS]
emit() {
  jq -cn --arg name "$1" --argjson size "$2" --arg comp "$3" --argjson msgs "$4" \
     --argjson secs "$5" --argjson rss "${6:-null}" --argjson cpu "${7:-null}" \
     --argjson runs "${8:-1}" --argjson bcpu "${9:-null}" --argjson disk "${10:-null}" \
     --argjson each "${11:-null}" --argjson rtt "${12:-null}" '
    {bench: $name, value_bytes: $size, compression: $comp, messages: $msgs, seconds: $secs,
     runs: $runs, run_seconds: $each,
     msgs_per_s: (if $secs > 0 then ($msgs / $secs | floor) else null end),
     mb_per_s: (if $secs > 0 then ($msgs * $size / $secs / 1048576 * 100 | floor / 100) else null end),
     peak_rss_mb: (if $rss == null then null else ($rss / 1024 | floor) end), cpu_s: $cpu,
     broker_cpu_s: $bcpu, disk_read_mb: $disk}
    + (if $rtt == null then {} else {rtt_ms: $rtt} end)' \
    | tee -a "$work/results.ndjson"
}
now() { date +%s.%N; }
calc() { awk "BEGIN { printf \"%.3f\", $* }"; }
elapsed() { calc "$(now) - $1"; }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
median_or_null() {
  if [[ -n ${1:-} ]]; then median "$@"; else echo null; fi
}
max() { printf '%s\n' "$@" | sort -g | tail -n 1; }
settle() { [[ $pause == 0 ]] && return; sync; sleep "$pause"; }
total_end() {  # brokers topic -> sum of end offsets
  ck-testkit offsets -b "$1" -t "$2" | jq -s 'map(.last_stable) | add'
}
# CPU seconds (user + system) the given processes have used so far.
tick=$(getconf CLK_TCK)
proc_cpu() {
  local p total=0
  for p in "$@"; do total=$((total + $(awk '{ print $14 + $15 }' "/proc/$p/stat"))); done
  calc "$total / $tick"
}
# bench_broker_pids SRC DST: the brokers' process ids for broker_cpu, when SRC and DST are
# this checkout's scripts/clusters.sh clusters (otherwise none: their CPU is not counted).
broker_pids=()
bench_broker_pids() {
  broker_pids=()
  if [[ $(bash "$repo/scripts/clusters.sh" env 2>/dev/null | grep -E '^CK_(SOURCE|TARGET)_BROKERS=') \
        == "CK_SOURCE_BROKERS=$1"$'\n'"CK_TARGET_BROKERS=$2" ]]; then
    mapfile -t broker_pids < <(bash "$repo/scripts/clusters.sh" pids 2>/dev/null || true)
  fi
}
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
# NAME_rss, NAME_cpu, NAME_bcpu and NAME_disk (declared by the caller).
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
# timed_arrays NAME...: empty result arrays for timed.
timed_arrays() {
  local b
  for b in "$@"; do declare -ga "${b}_s=()" "${b}_rss=()" "${b}_cpu=()" "${b}_bcpu=()" "${b}_disk=()"; done
}
# emit_timed NAME BENCH [RTT_MS]: the median of NAME's runs (the largest RSS: for a pipe,
# its largest process) as BENCH's line, with every run's seconds in run order (the noise,
# visible).
emit_timed() {
  local -n e_s=$1_s e_rss=$1_rss e_cpu=$1_cpu e_bcpu=$1_bcpu e_disk=$1_disk
  emit "$2" "$size" "$comp" "$n" "$(median "${e_s[@]}")" "$(max "${e_rss[@]}")" "$(median "${e_cpu[@]}")" \
    "${#e_s[@]}" "$(median_or_null "${e_bcpu[@]}")" "$(max "${e_disk[@]}")" \
    "$(printf '%s\n' "${e_s[@]}" | jq -sc .)" "${3:-null}"
}

# "${kcat_pipe[@]}" SRC TOPIC DST TARGET_TOPIC COMPRESSION: the kcat copy (values only:
# loses keys, headers, timestamps and partitions), a command for timed. bash waits for both
# kcats: time counts the CPU of the whole pipe.
# shellcheck disable=SC2016  # the positional parameters belong to the inner shell
kcat_pipe=(bash -c '
  kcat -C -b "$1" -t "$2" -o beginning -e -q -D "\n" -f "%s\n" \
    | kcat -P -b "$3" -t "$4" -D "\n" -X "compression.type=$5" -X linger.ms=5 -X acks=all
' _)

# mm2_copy SRC TOPIC DST COMPRESSION ALIAS MESSAGES [COUNT_BROKERS]: MirrorMaker 2 in
# dedicated mode copies TOPIC from SRC (cluster ALIAS) into DST as ALIAS.TOPIC, timed from
# the JVM's start until the target holds MESSAGES (counted on COUNT_BROKERS, default DST).
# A new ALIAS per run: MirrorMaker keeps its position in topics named after it.
# Sets mm2_secs, mm2_cpu and mm2_bcpu (CPU seconds of MirrorMaker and of the brokers);
# gives up, saying so, after 900 s.
mm2_copy() {
  local src=$1 topic=$2 dst=$3 comp=$4 alias=$5 want=$6 count_at=${7:-$3}
  local props=$work/mm2.$alias.properties log=$work/mm2.$alias.log b0 t0 deadline got=0
  cat >"$props" <<PROPS
clusters = $alias, B
$alias.bootstrap.servers = $src
B.bootstrap.servers = $dst
$alias->B.enabled = true
$alias->B.topics = ${topic//./[.]}
B->$alias.enabled = false
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
    org.apache.kafka.connect.mirror.MirrorMaker "$props" --clusters B >"$log" 2>&1 &
  mm2_pid=$!
  deadline=$((SECONDS + 900))
  while ((SECONDS < deadline)); do
    kill -0 "$mm2_pid" 2>/dev/null \
      || { tail -n 5 "$log" >&2; echo "bench: MirrorMaker 2 exited" >&2; exit 1; }
    # The topic appears only once MirrorMaker has started: until then count 0.
    got=$({ ck-testkit offsets -b "$count_at" -t "$alias.$topic" 2>/dev/null || true; } \
            | jq -s 'map(.high_watermark) | add // 0')
    [[ $got -ge $want ]] && break
    sleep 0.5
  done
  mm2_secs=$(elapsed "$t0") mm2_bcpu=$(broker_cpu_since "$b0") mm2_cpu=$(proc_cpu "$mm2_pid")
  kill "$mm2_pid"; wait "$mm2_pid" 2>/dev/null || true; mm2_pid=
  [[ $got -ge $want ]] || echo "bench: MirrorMaker 2 copied $got of $want in 900 s" >&2
}

# private_clusters NAME PORT_BASE: a benchmark's own pair of clusters, apart from the test
# clusters: state under .run/NAME, source ports 1<PORT_BASE>2 and 1<PORT_BASE>3, target 2<PORT_BASE>2
# and 2<PORT_BASE>3 (wan 919 -> 19192, 29192), each overridable through the usual CK_* variables.
private_clusters() {
  export CK_RUN_DIR=${CK_RUN_DIR:-$repo/.run/$1}
  export CK_SOURCE_PORT=${CK_SOURCE_PORT:-1${2}2} CK_SOURCE_CONTROLLER_PORT=${CK_SOURCE_CONTROLLER_PORT:-1${2}3}
  export CK_TARGET_PORT=${CK_TARGET_PORT:-2${2}2} CK_TARGET_CONTROLLER_PORT=${CK_TARGET_CONTROLLER_PORT:-2${2}3}
}
# warm_target SRC DST TOPIC: one copy of 10 messages, untimed, so the target's transaction
# and offsets topics exist before anything is timed (on a broker busy creating thousands
# of partitions, creating them outlasted a first init_transactions' deadline).
warm_target() {
  ck-testkit create -b "$1" -t "$3" -p 1 >/dev/null
  ck-testkit create -b "$2" -t "$3" -p 1 >/dev/null
  ck-testkit gen -b "$1" -t "$3" -p 0 -n 10 2>/dev/null
  ck-testkit offsets -b "$1" -t "$3" | jq -c --arg t "$3" \
    '{v:1, topic:$t, partition, start:.log_start, end:.last_stable}' \
    | ck-copy -s "$1" -t "$2" --job "$3" -q >/dev/null
}
