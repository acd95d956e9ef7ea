#!/usr/bin/env bash
# The source broker frozen with SIGSTOP in the middle of a copy (a hung broker keeps its
# connections open, so nothing fails fast): ck-copy stops with exit 3, naming the source
# and the partition, within a small multiple of its deadline; it does not wait out the
# requests librdkafka keeps open to the frozen broker (socket.timeout.ms and its retries:
# minutes). After the broker resumes, the same command finishes exactly.
source "$(dirname "$0")/lib.sh"
clusters() { bash "$CK_REPO/scripts/clusters.sh" "$@" >/dev/null 2>&1; }
trap 'clusters resume source; rm -rf "$WORK"' EXIT

topic=$(name frozen)
make_topic "$SRC" "$topic" 2
make_topic "$DST" "$topic" 2
for p in 0 1; do ck-testkit gen -b "$SRC" -t "$topic" -p "$p" -n 20000 --size 200 --seed "$p"; done
plan_topic "$SRC" "$topic" >"$WORK/plan.ndjson"

# At 2 MiB/s the 8 MB take 4 s, read through a 1 MiB buffer: the copy still reads from
# the source when it freezes.
ck-copy -s "$SRC" -t "$DST" --no-progress --txn-size 2000 --timeout 3 --max-rate 2M --max-buffer-mb 1 \
  <"$WORK/plan.ndjson" >"$WORK/copied.ndjson" 2>"$WORK/copy.err" &
pid=$!
wait_landed "$pid" "$topic" 4000 "the source could be paused"
clusters pause source
t0=$SECONDS
rc=0
wait "$pid" || rc=$?
waited=$((SECONDS - t0))
clusters resume source
sed "s/^/    copy.err: /" "$WORK/copy.err" >&2
expect_eq "exit code when the source stays frozen past the deadline" "$rc" 3
((waited <= 20)) || fail "ck-copy took ${waited}s to give up with a 3 s deadline on a frozen source"
expect_contains "error names the source and the topic" "$(cat "$WORK/copy.err")" "$topic"
expect_contains "error names the source cluster" "$(cat "$WORK/copy.err")" "source"

if ! (wait_serving "$SRC" "$topic" 60 source); then
  echo "source broker did not recover from SIGSTOP/SIGCONT within 60 s; restarting it" >&2
  clusters restart source || fail "could not restart the source broker"
  wait_serving "$SRC" "$topic" 60 source
fi
ck-copy -s "$SRC" -t "$DST" --no-progress --timeout 60 <"$WORK/plan.ndjson" >"$WORK/copied.ndjson" 2>"$WORK/err" ||
  fail "rerun after the source resumed failed: $(tail -n 5 "$WORK/err")"
expect_exit 0 ck-verify -s "$SRC" -t "$DST" --content <"$WORK/copied.ndjson"
expect_eq "messages after the freeze and a rerun" "$(expect_same_messages "$topic" 2)" 40000
pass "frozen source: exit 3 after ${waited}s; rerun exact"
