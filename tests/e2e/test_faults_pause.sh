#!/usr/bin/env bash
# The target broker frozen with SIGSTOP in the middle of a copy: for less than the
# deadline the copy recovers and exits 0; for longer, ck-copy stops with a clear error
# and exit 3 within a small multiple of the deadline, and the same command after the broker resumes
# finishes exactly.
source "$(dirname "$0")/lib.sh"
clusters() { bash "$CK_REPO/scripts/clusters.sh" "$@" >/dev/null 2>&1; }
trap 'clusters resume target; rm -rf "$WORK"' EXIT

# new_topic LABEL: a 2-partition source topic of 40,000 messages (8 MB) and its plan.
new_topic() {
  topic=$(name "$1")
  make_topic "$SRC" "$topic" 2
  make_topic "$DST" "$topic" 2
  for p in 0 1; do ck-testkit gen -b "$SRC" -t "$topic" -p "$p" -n 20000 --size 200 --seed "$p"; done
  plan_topic "$SRC" "$topic" >"$WORK/plan.ndjson"
}
# copy_then_pause TIMEOUT_S: starts ck-copy, freezes the target once a tenth has landed;
# at 2 MiB/s the copy takes 4 s, so it still runs then.
copy_then_pause() {
  ck-copy -s "$SRC" -t "$DST" --no-progress --txn-size 2000 --timeout "$1" --max-rate 2M \
    <"$WORK/plan.ndjson" >"$WORK/copied.ndjson" 2>"$WORK/copy.err" &
  pid=$!
  wait_landed "$pid" "$topic" 4000 "the target could be paused"
  clusters pause target
}

new_topic short
copy_then_pause 30
sleep 4
clusters resume target
rc=0
wait "$pid" || rc=$?
((rc == 0)) || fail "exit code after a 4 s pause with a 30 s deadline: expected 0, got $rc:
$(tail -n 5 "$WORK/copy.err")"
expect_exit 0 ck-verify -s "$SRC" -t "$DST" --content <"$WORK/copied.ndjson"
expect_eq "messages after the short pause" "$(expect_same_messages "$topic" 2)" 40000

# A deadline of 3 s keeps the whole freeze (a small multiple of it) under the broker's
# 9 s session: longer, and the single-node cluster fences itself on waking.
new_topic long
copy_then_pause 3
t0=$SECONDS
rc=0
wait "$pid" || rc=$?
waited=$((SECONDS - t0))
sed "s/^/    copy.err: /" "$WORK/copy.err" >&2
clusters resume target
t_resume=$SECONDS
expect_eq "exit code when the target stays frozen past the deadline" "$rc" 3
# Each wait is bounded by --timeout, but a failing transaction chains a few of them
# (deliveries, commit or abort, shutdown): giving up takes a small multiple of it.
((waited <= 20)) || fail "ck-copy took ${waited}s to give up with a 3 s deadline"
expect_contains "error names the target cluster" "$(cat "$WORK/copy.err")" "target cluster"
# Should the broker still have fenced itself, it leads its partitions again once
# unfenced; that recovery is the broker's, not ck-copy's. A broker that does not recover
# within 60 s is restarted (and says so), since the rerun below tests ck-copy, not Kafka.
if ! (wait_serving "$DST" "$topic" 60 target); then
  echo "target broker did not recover from SIGSTOP/SIGCONT within 60 s; restarting it" >&2
  clusters restart target || fail "could not restart the target broker"
  wait_serving "$DST" "$topic" 60 target
fi
echo "target served $topic again $((SECONDS - t_resume)) s after SIGCONT" >&2
if ! ck-copy -s "$SRC" -t "$DST" --no-progress --timeout 60 <"$WORK/plan.ndjson" >"$WORK/out" 2>"$WORK/err"; then
  fail "rerun after the long pause failed: $(tail -n 5 "$WORK/err")
$(broker_log_tail target)"
fi
cp "$WORK/out" "$WORK/copied.ndjson"
expect_exit 0 ck-verify -s "$SRC" -t "$DST" --content <"$WORK/copied.ndjson"
expect_eq "messages after the long pause and a rerun" "$(expect_same_messages "$topic" 2)" 40000
pass "short pause recovered; long pause: exit 3 after ${waited}s; rerun exact"
