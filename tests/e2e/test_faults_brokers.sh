#!/usr/bin/env bash
# The target broker, then the source broker, killed (SIGKILL) and restarted in the middle of
# a copy. ck-copy either rides it out or stops with exit 3; the same command again then
# finishes, and the target holds every message exactly once.
source "$(dirname "$0")/lib.sh"
clusters() { bash "$CK_REPO/scripts/clusters.sh" "$@" >/dev/null 2>&1; }
trap 'clusters resume source; clusters resume target; rm -rf "$WORK"' EXIT
for side in target source; do
  topic=$(name "restart-$side")
  make_topic "$SRC" "$topic" 2
  for p in 0 1; do
    ck-testkit gen -b "$SRC" -t "$topic" -p "$p" -n 20000 --size 200 --seed "$p"
  done
  plan_topic "$SRC" "$topic" >"$WORK/plan.ndjson"
  copy_args=(-s "$SRC" -t "$DST" --create-topics --no-progress --txn-size 2000 --timeout 90)
  copy() { ck-copy "${copy_args[@]}" <"$WORK/plan.ndjson" >"$WORK/copied.ndjson" 2>>"$WORK/copy.err"; }
  # The first run at 1 MiB/s: its 8 MB take 8 s, so it still copies when the broker dies.
  ck-copy "${copy_args[@]}" --max-rate 1M <"$WORK/plan.ndjson" >"$WORK/copied.ndjson" 2>>"$WORK/copy.err" &
  pid=$!
  # Kill the broker once about a quarter of the data has landed, while ck-copy still runs.
  wait_landed "$pid" "$topic" 10000 "the $side broker could be killed"
  clusters kill "$side"
  sleep 1
  clusters restart "$side" || fail "could not restart the $side broker"
  rc=0
  wait "$pid" || rc=$?
  echo "$side restart: first run exit $rc" >&2
  [[ $rc == 0 || $rc == 3 ]] || fail "ck-copy exit $rc during a $side broker restart (want 0 or 3)"
  if [[ $rc != 0 ]]; then
    copy || fail "rerun after the $side restart failed: $(tail -n 3 "$WORK/copy.err")"
  fi
  expect_eq "copied ($side restart)" "$(jq -s 'map(.copied) | add' "$WORK/copied.ndjson")" 40000
  expect_exit 0 ck-verify -s "$SRC" -t "$DST" --content <"$WORK/copied.ndjson"
  n=$(expect_same_messages "$topic" 2)
  expect_eq "messages compared ($side restart)" "$n" 40000
done
pass "target and source broker restarts survived, 0 lost, 0 duplicated"
