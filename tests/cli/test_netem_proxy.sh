#!/usr/bin/env bash
# The delay proxy (tests/tools/ck-netem.cpp) adds the round trip it is asked for, keeps
# the bytes in order, is not itself a bottleneck at 0 ms, and refuses non-loopback targets.
# run-all: alone
source "$(dirname "$0")/lib.sh"

base=$((40000 + RANDOM % 20000))
echo_port=$base proxy0=$((base + 1)) proxy50=$((base + 2))
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$WORK"' EXIT
ck-netem echo --listen 127.0.0.1:$echo_port & pids+=($!)
ck-netem proxy --listen 127.0.0.1:$proxy0 --to 127.0.0.1:$echo_port --rtt-ms 0 & pids+=($!)
ck-netem proxy --listen 127.0.0.1:$proxy50 --to 127.0.0.1:$echo_port --rtt-ms 50 & pids+=($!)
for port in $echo_port $proxy0 $proxy50; do
  for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.1; done
done

# Round trip: the median of 20 pings through the 50 ms proxy, against the direct one.
direct=$(ck-netem probe --to 127.0.0.1:$echo_port --pings 20 --bulk-mb 256)
slow=$(ck-netem probe --to 127.0.0.1:$proxy50 --pings 20 --bulk-mb 64)
rtt_direct=$(jq -r .rtt_ms_median <<<"$direct")
rtt_slow=$(jq -r .rtt_ms_median <<<"$slow")
awk -v d="$rtt_direct" 'BEGIN { exit !(d < 5) }' || fail "direct round trip $rtt_direct ms"
awk -v s="$rtt_slow" 'BEGIN { exit !(s >= 50 && s < 65) }' \
  || fail "round trip through the 50 ms proxy: $rtt_slow ms"

# Throughput at 0 ms: bytes cross the proxy twice (there and back) and still arrive whole
# (probe fails on a short transfer); a generous floor against the direct echo, since the
# machine is shared. The benchmarks measure the Kafka copy through it.
fast=$(ck-netem probe --to 127.0.0.1:$proxy0 --pings 5 --bulk-mb 256)
rate_direct=$(jq -r .mib_per_s <<<"$direct") rate_proxy=$(jq -r .mib_per_s <<<"$fast")
awk -v p="$rate_proxy" -v d="$rate_direct" 'BEGIN { exit !(p >= 0.25 * d) }' \
  || fail "proxy at 0 ms moved $rate_proxy MiB/s against $rate_direct direct"

# Loopback only: any other target is refused before anything is sent.
expect_exit 2 ck-netem proxy --listen 127.0.0.1:$((base + 3)) --to 10.0.0.1:9092 --rtt-ms 1
expect_contains "non-loopback refused" "$(cat "$WORK/err")" "only loopback addresses"
pass "rtt $rtt_direct -> $rtt_slow ms at 50; $rate_direct MiB/s direct, $rate_proxy via proxy at 0 ms"
