#!/usr/bin/env bash
# ck-copy killed with SIGKILL at 12 seeded random points (one during start-up, the rest
# when the target has passed a random share of the data), each followed by the same
# command again; then a run to the end. The target must hold every message exactly once
# (ck-verify --content passes, and a dump comparison finds nothing lost or duplicated).
source "$(dirname "$0")/lib.sh"
RANDOM=${CK_FAULT_SEED:-20261124}
topic=$(name kills)
make_topic "$SRC" "$topic" 3
for p in 0 1 2; do
  ck-testkit gen -b "$SRC" -t "$topic" -p "$p" -n 20000 --size 100 --seed "$p" --txn commit --txn-size 2000
done
plan_topic "$SRC" "$topic" >"$WORK/plan.ndjson"
copy_args=(-s "$SRC" -t "$DST" --create-topics --no-progress --txn-size 200 --timeout 60)
copy() { ck-copy "${copy_args[@]}" <"$WORK/plan.ndjson" >"$WORK/copied.ndjson" 2>>"$WORK/copy.err"; }
target_offsets() {
  ck-testkit offsets -b "$DST" -t "$topic" 2>/dev/null | jq -s 'map(.high_watermark) | add // 0'
}
kills=0
for i in $(seq 1 12); do
  # Kill 1 lands during start-up; kill i > 1 once the target passed a random share of
  # the 60,000 messages that grows with i (about 7% to 90%). At 512 KiB/s (a 1 s burst,
  # then 5,000 messages of 106 key and value bytes a second) a run still copies then.
  threshold=$(( (i * 7 + RANDOM % 6) * 600 ))
  ck-copy "${copy_args[@]}" --max-rate 512k <"$WORK/plan.ndjson" >"$WORK/copied.ndjson" 2>>"$WORK/copy.err" &
  pid=$!  # ck-copy itself (not a subshell), so kill -9 hits it
  if ((i == 1)); then
    sleep 0.05
  else
    while kill -0 "$pid" 2>/dev/null && (($(target_offsets) < threshold)); do sleep 0.05; done
  fi
  if kill -9 "$pid" 2>/dev/null; then kills=$((kills + 1)); fi
  wait "$pid" 2>/dev/null || true
  echo "kill $i at target offsets >= $threshold (now $(target_offsets))" >&2
done
rc=0
copy || rc=$?
expect_eq "exit code of the final run" "$rc" 0
expect_eq "copied in the result records" "$(jq -s 'map(.copied) | add' "$WORK/copied.ndjson")" 60000
expect_exit 0 ck-verify -s "$SRC" -t "$DST" --content <"$WORK/copied.ndjson"
expect_eq "ck-verify output" "$(cat "$WORK/out" "$WORK/err")" ""
n=$(expect_same_messages "$topic" 3)
expect_eq "messages compared" "$n" 60000
((kills >= 10)) || fail "only $kills of 12 kills hit a running ck-copy"
pass "$kills kills survived, 0 lost, 0 duplicated over $n messages"
