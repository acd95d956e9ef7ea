#!/usr/bin/env bash
# Benchmarks a copy across a long link: the target sits behind ck-netem delay proxies
# (tests/tools/ck-netem.cpp) that add 0, 20 and 50 ms of round trip, and ck-copy, the kcat
# pipe and MirrorMaker 2 copy the same data (1 KiB values, 8 partitions, 256 MiB) through
# each. The source is reached directly: the round trip is the one to the target, where the
# writes, the transactions and the groups go.
# Starts its own clusters (CK_RUN_DIR, default <repo>/.run/wan; ports 100 above
# scripts/clusters.sh's unless CK_*_PORT are set): the target gets one extra listener per
# round trip whose advertised address is its proxy (CK_TARGET_EXTRA_LISTENERS), so every
# client connection after the bootstrap goes through the delay too.
# Every tool runs --repeat times (default 3), the round trips interleaved within a round;
# each line gives the median, its runs in run order, and rtt_ms. The table on stderr adds
# x_rtt0 (the same tool's msg/s over its own at the smallest round trip, same run) and
# x_mm2 / x_kcat (ck-copy's msg/s over MirrorMaker 2's and the pipe's at the same round
# trip). --copy-args passes options to ck-copy (e.g. the long-link settings of ck-copy(1)).
set -euo pipefail
usage() {
  echo "usage: scripts/bench-wan.sh [--quick] [--rtts 0,20,50] [--messages-mb MB]" \
       "[--partitions N] [--repeat N] [--pause S] [--no-mm2] [--no-kcat] [--copy-args ARGS]" >&2
}
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$repo/scripts/bench-lib.sh"
rtts=0,20,50 mb=256 partitions=8 repeat=3 pause=1 run_mm2=true run_kcat=true copy_args=""
bench_options '
--quick rtts=0,50 mb=4 repeat=1 pause=0 run_mm2=false
--rtts rtts
--messages-mb mb
--partitions partitions
--repeat repeat
--pause pause
--no-mm2 run_mm2=false
--no-kcat run_kcat=false
--copy-args copy_args' "$@"
bench_init wan
private_clusters wan 919
IFS=, read -ra rtt_list <<<"$rtts"
# Round trip i: the broker listens on listen_port(i), its proxy on proxy_port(i).
listen_port() { echo $((CK_TARGET_PORT + 10 + $1)); }
proxy_port() { echo $((CK_TARGET_PORT + 20 + $1)); }
CK_TARGET_EXTRA_LISTENERS=""
for i in "${!rtt_list[@]}"; do
  CK_TARGET_EXTRA_LISTENERS+=" WAN$i:$(listen_port "$i"):$(proxy_port "$i")"
done
export CK_TARGET_EXTRA_LISTENERS
per_run=1  # ck-copy's, appended; then the pipe's and MirrorMaker's topics
if $run_kcat; then per_run=$((per_run + 1)); fi
if $run_mm2; then per_run=$((per_run + 1)); fi
copies=$((1 + ${#rtt_list[@]} * repeat * per_run))
mkdir -p "$CK_RUN_DIR"
free_mb=$(df -Pm "$CK_RUN_DIR" | awk 'NR == 2 { print $4 }')
((free_mb > copies * mb)) || {
  echo "bench-wan: needs about $((copies * mb)) MB free in $CK_RUN_DIR, has $free_mb MB" >&2
  exit 1
}
bench_start_clusters
for i in "${!rtt_list[@]}"; do
  ck-netem proxy --listen "127.0.0.1:$(proxy_port "$i")" --to "127.0.0.1:$(listen_port "$i")" \
    --rtt-ms "${rtt_list[$i]}" &
  bench_pids+=($!)
done
# Each proxy answers before the first run (a metadata request through it).
for i in "${!rtt_list[@]}"; do
  for _ in $(seq 50); do kcat -b "127.0.0.1:$(proxy_port "$i")" -L -m 5 >/dev/null 2>&1 && break; sleep 0.1; done
done

size=1024 comp=none n=$((mb * 1048576 / size)) run_id=$(date +%s)
topic=wan.$run_id
ck-testkit create -b "$SRC" -t "$topic" -p "$partitions" >/dev/null
ck-testkit create -b "$DST" -t "$topic" -p "$partitions" >/dev/null
echo "bench-wan: $topic: $n messages of $size bytes over $partitions partitions; round trips $rtts ms" >&2
bash "$repo/scripts/kafka-tool.sh" org.apache.kafka.tools.ProducerPerformance --topic "$topic" \
  --num-records "$n" --record-size "$size" --throughput -1 \
  --producer-props "bootstrap.servers=$SRC" acks=all linger.ms=5 batch.size=262144 >"$work/pp.log"
ck-testkit offsets -b "$SRC" -t "$topic" | jq -c --arg t "$topic" \
  '{v:1, topic:$t, partition, start:.log_start, end:.last_stable}' >"$work/plan.ndjson"

# A first copy creates the target's transaction and offsets topics: not part of any timing.
warm_target "$SRC" "$DST" "$topic.warm"
for i in "${!rtt_list[@]}"; do timed_arrays "copy$i" "kcat$i" "mm2$i"; done
read -ra extra <<<"$copy_args"
said() {  # NAME BENCH: the run just timed, as it happens (a long run shows its progress)
  local -n last=$1_s
  echo "bench-wan: round $round, ${rtt_list[$i]} ms: $2 ${last[-1]} s" >&2
}
for ((round = 1; round <= repeat; round++)); do
  for i in "${!rtt_list[@]}"; do
    via=127.0.0.1:$(proxy_port "$i")
    # ck-copy: the whole topic again under a new job name, appended to the same target topic.
    timed "copy$i" ck-copy -s "$SRC" -t "$via" --job "wan-$run_id-$round-$i" --no-progress -q \
      --append "${extra[@]+"${extra[@]}"}" <"$work/plan.ndjson" >"$work/copied.ndjson"
    copied=$(jq -s 'map(.copied) | add' "$work/copied.ndjson")
    [[ $copied == "$n" ]] || { echo "bench-wan: ck-copy copied $copied of $n" >&2; exit 1; }
    said "copy$i" ck-copy
    if $run_kcat; then
      ck-testkit create -b "$DST" -t "$topic.kcat$round.$i" -p "$partitions" >/dev/null
      timed "kcat$i" "${kcat_pipe[@]}" "$SRC" "$topic" "$via" "$topic.kcat$round.$i" "$comp"
      got=$(total_end "$DST" "$topic.kcat$round.$i")
      [[ $got == "$n" ]] || echo "bench-wan: kcat pipe delivered $got of $n" >&2
      said "kcat$i" kcat-pipe
    fi
    if $run_mm2; then
      mm2_copy "$SRC" "$topic" "$via" "$comp" "R$round$i" "$n" "$DST"
      declare -n m_s=mm2${i}_s m_cpu=mm2${i}_cpu m_bcpu=mm2${i}_bcpu
      m_s+=("$mm2_secs") m_cpu+=("$mm2_cpu")
      [[ -n $mm2_bcpu ]] && m_bcpu+=("$mm2_bcpu")
      unset -n m_s m_cpu m_bcpu
      said "mm2$i" mm2
    fi
  done
done
for i in "${!rtt_list[@]}"; do
  emit_timed "copy$i" ck-copy "${rtt_list[$i]}"
  $run_kcat && emit_timed "kcat$i" kcat-pipe "${rtt_list[$i]}"
  $run_mm2 && emit_timed "mm2$i" mm2 "${rtt_list[$i]}"
done >/dev/null
cat "$work/results.ndjson"

jq -rs '
  (map(.rtt_ms) | min) as $base
  | (map({key: "\(.bench)@\(.rtt_ms)", value: .msgs_per_s}) | from_entries) as $r
  | def ratio(a; b): if a and b then (a / b * 100 | floor / 100 | tostring) else "-" end;
    sort_by(.rtt_ms, .bench)[]
  | [ .bench, (.rtt_ms|tostring), (.messages|tostring), (.msgs_per_s|tostring),
      (.mb_per_s|tostring), ((.peak_rss_mb // "-")|tostring), ((.cpu_s // "-")|tostring),
      (.run_seconds | map(tostring) | join("/")),
      ratio(.msgs_per_s; $r["\(.bench)@\($base)"]),
      (if .bench == "ck-copy" then ratio(.msgs_per_s; $r["mm2@\(.rtt_ms)"]) else "-" end),
      (if .bench == "ck-copy" then ratio(.msgs_per_s; $r["kcat-pipe@\(.rtt_ms)"]) else "-" end)]
  | @tsv' "$work/results.ndjson" \
  | (printf 'bench\trtt_ms\tmessages\tmsg/s\tMB/s\trss_MB\tcpu_s\truns_s\tx_rtt0\tx_mm2\tx_kcat\n'; cat) \
  | column -t -s $'\t' >&2
