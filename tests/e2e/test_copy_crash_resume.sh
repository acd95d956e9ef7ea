#!/usr/bin/env bash
# Exactly once across crashes: a slow copy (small transactions) killed with SIGKILL
# at several moments (during startup, early, in the middle, late), each time followed
# by the same command, leaves exactly the planned messages in the target, in order,
# no duplicates; the two groups of the plan land on the target offsets of their
# first unread messages. Then SIGINT: exit 130, clean results, and a rerun finishes.
source "$(dirname "$0")/lib.sh"

topic=$(name crash)
make_topic "$SRC" "$topic" 2 retention.ms=-1 >/dev/null
make_topic "$DST" "$topic" 2 retention.ms=-1 >/dev/null
ck-testkit gen -b "$SRC" -t "$topic" -p 0 -n 20000 --size 20 2>/dev/null
ck-testkit gen -b "$SRC" -t "$topic" -p 1 -n 20000 --size 20 --seed 2 2>/dev/null
ga=$(name ga) gb=$(name gb)
cat >"$WORK/plan.ndjson" <<EOF2
{"v":1,"type":"plan","topic":"$topic","partition":0,"action":"copy","start":0,"end":20000,"groups":{"$ga":6000,"$gb":19999},"groups_without_commit":[]}
{"v":1,"type":"plan","topic":"$topic","partition":1,"action":"copy","start":0,"end":20000,"groups":{"$ga":0},"groups_without_commit":["$gb"]}
EOF2
job=$(name job)
copy=(ck-copy -s "$SRC" -t "$DST" --job "$job" --txn-size 500 --no-progress -i "$WORK/plan.ndjson")
copy() { "${copy[@]}"; }
# Offsets written to the target so far (messages and transaction markers).
written() { ck-testkit offsets -b "$DST" -t "$topic" | jq -s 'map(.high_watermark) | add'; }

# Kill points: after 20 ms (startup: connecting, fencing, reading progress), then when
# the target has passed 4k, 16k and 30k offsets. At 200 KiB/s the 40,000 messages of
# 26 key and value bytes take 5 s, so a run is still copying when its point comes.
for point in 0 4000 16000 30000; do
  "${copy[@]}" --max-rate 200k >"$WORK/out.$point" 2>"$WORK/err.$point" &
  pid=$!
  if [[ $point == 0 ]]; then
    sleep 0.02
  else
    for _ in $(seq 1 400); do (($(written) >= point)) && break; sleep 0.05; done
  fi
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  echo "killed at $point: $(written) offsets in the target" >&2
done
expect_exit 0 copy
cp "$WORK/out" "$WORK/result.ndjson"
expect_eq "results" "$(jq -c '[.partition, .status, .copied]' "$WORK/result.ndjson" | sort | tr -d '\n')" \
  '[0,"copied",20000][1,"copied",20000]'

for p in 0 1; do
  ck-testkit dump -b "$SRC" -t "$topic" -p $p >"$WORK/src$p"
  ck-testkit dump -b "$DST" -t "$topic" -p $p >"$WORK/dst$p"
  expect_eq "target partition $p count" "$(count_lines "$WORK/dst$p")" 20000
  cmp -s <(fingerprint "$WORK/src$p") <(fingerprint "$WORK/dst$p") || fail "partition $p differs"
  # the result's target range is where the messages are
  expect_eq "partition $p target_start" "$(jq -r "select(.partition==$p) | .target_start" "$WORK/result.ndjson")" \
    "$(jq -s -r '.[0].offset' "$WORK/dst$p")"
  expect_eq "partition $p target_end" "$(jq -r "select(.partition==$p) | .target_end" "$WORK/result.ndjson")" \
    "$(jq -s -r '.[-1].offset + 1' "$WORK/dst$p")"
done

# Each group's target offset holds the message at its source offset.
check_group() {  # group partition source_offset
  local off
  off=$(ck-testkit group-offsets -b "$DST" -g "$1" | jq -r "select(.partition==$2) | .offset")
  [[ -n $off ]] || fail "group $1 has no offset on partition $2 in the target"
  expect_eq "group $1 partition $2 result" "$(jq -r "select(.partition==$2) | .target_groups[\"$1\"]" "$WORK/result.ndjson")" "$off"
  expect_eq "group $1 partition $2 first unread message" \
    "$(ck-testkit dump -b "$DST" -t "$topic" -p "$2" --from "$off" --to "$((off + 1))" | fingerprint | jq -c '{key,value,headers,timestamp}')" \
    "$(ck-testkit dump -b "$SRC" -t "$topic" -p "$2" --from "$3" --to "$(($3 + 1))" | fingerprint | jq -c '{key,value,headers,timestamp}')"
}
check_group "$ga" 0 6000
check_group "$gb" 0 19999
check_group "$ga" 1 0
check_group "$gb" 1 0

# SIGINT: a clean stop (exit 130) and a rerun that completes it.
topic2=$(name sigint)
make_topic "$SRC" "$topic2" 1 retention.ms=-1 >/dev/null
make_topic "$DST" "$topic2" 1 retention.ms=-1 >/dev/null
ck-testkit gen -b "$SRC" -t "$topic2" -p 0 -n 20000 --size 20 2>/dev/null
echo "{\"v\":1,\"topic\":\"$topic2\",\"partition\":0,\"start\":0,\"end\":20000}" >"$WORK/plan2.ndjson"
copy2=(ck-copy -s "$SRC" -t "$DST" --job "$job.2" --txn-size 300 --no-progress -i "$WORK/plan2.ndjson")
# At 100 KiB/s the 20,000 messages take 5 s: SIGINT comes while it copies.
"${copy2[@]}" --max-rate 100k >"$WORK/out.int" 2>"$WORK/err.int" &
pid=$!
for _ in $(seq 1 400); do
  (($(ck-testkit offsets -b "$DST" -t "$topic2" | jq .high_watermark) >= 4000)) && break
  sleep 0.05
done
kill -INT "$pid"
code=0
wait "$pid" || code=$?
expect_eq "exit code after SIGINT" "$code" 130
expect_eq "stopped result" "$(jq -r .status "$WORK/out.int")" stopped
stopped_at=$(jq -r .copied "$WORK/out.int")
expect_eq "target holds what the stopped result says" \
  "$(ck-testkit dump -b "$DST" -t "$topic2" | wc -l)" "$stopped_at"
expect_exit 0 "${copy2[@]}"
expect_eq "rerun result" "$(jq -c '[.status, .copied]' "$WORK/out")" '["copied",20000]'
ck-testkit dump -b "$SRC" -t "$topic2" >"$WORK/src"
ck-testkit dump -b "$DST" -t "$topic2" >"$WORK/dst"
cmp -s <(fingerprint "$WORK/src") <(fingerprint "$WORK/dst") || fail "sigint: target differs"
pass "stopped at $stopped_at by SIGINT"
