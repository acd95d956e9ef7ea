#!/usr/bin/env bash
# A target that dies in the middle of a copy: ck-copy gives up within 1.5x --timeout of the
# kill, exit 3, and reports the unfinished partitions "interrupted" (resumable, not
# "failed"); ck-verify calls that incomplete. After the target is back, the same command
# finishes and the target holds every message exactly once.
source "$(dirname "$0")/lib.sh"
clusters() { bash "$CK_REPO/scripts/clusters.sh" "$@" >/dev/null 2>&1; }
# The target back for the next test, should this one stop while it is down.
trap 'cluster_running target || clusters restart target || true; rm -rf "$WORK"' EXIT
topic=$(name giveup)
make_topic "$SRC" "$topic" 2
for p in 0 1; do ck-testkit gen -b "$SRC" -t "$topic" -p "$p" -n 20000 --size 200 --seed "$p"; done
plan_topic "$SRC" "$topic" >"$WORK/plan.ndjson"
timeout_s=10
copy_args=(-s "$SRC" -t "$DST" --create-topics --no-progress --txn-size 2000 --timeout "$timeout_s")
# The first run at 512 KiB/s: its 8 MB take 15 s, so it is still copying when the target
# dies after a quarter, however slowly this test polls on a loaded machine.
ck-copy "${copy_args[@]}" --max-rate 512k <"$WORK/plan.ndjson" >"$WORK/first.ndjson" 2>"$WORK/copy.err" &
pid=$!
wait_landed "$pid" "$topic" 10000 "the target could be killed"
clusters kill target
killed=$(date +%s.%N)
rc=0
wait "$pid" || rc=$?
gave_up=$(date +%s.%N)
took=$(awk -v a="$killed" -v b="$gave_up" 'BEGIN { printf "%.1f", b - a }')
echo "gave up $took s after the target died (--timeout ${timeout_s}s), exit $rc" >&2
expect_eq "exit code of ck-copy with the target dead" "$rc" 3
awk -v t="$took" -v l="$timeout_s" 'BEGIN { exit !(t <= 1.5 * l) }' ||
  fail "gave up $took s after the kill, more than 1.5x --timeout ${timeout_s}s"
statuses=$(jq -r .status "$WORK/first.ndjson" | sort | uniq -c | tr -s ' ' | paste -sd, -)
[[ $(jq -r .status "$WORK/first.ndjson" | sort -u) == interrupted ]] ||
  fail "statuses after the target died: [$statuses], want every one interrupted"
expect_contains "the error of an interrupted partition" "$(jq -r .error "$WORK/first.ndjson" | head -n 1)" "run the same command again"

clusters restart target || fail "could not restart the target"
wait_serving "$DST" "$topic" 60 target
expect_exit 1 ck-verify -s "$SRC" -t "$DST" <"$WORK/first.ndjson"
expect_contains "ck-verify on an interrupted copy" "$(cat "$WORK/err")" "interrupted"
ck-copy "${copy_args[@]}" <"$WORK/plan.ndjson" >"$WORK/second.ndjson" 2>>"$WORK/copy.err" ||
  fail "rerun after the target came back: $(tail -n 3 "$WORK/copy.err")"
expect_eq "statuses of the rerun" "$(jq -r .status "$WORK/second.ndjson" | sort -u)" copied
expect_exit 0 ck-verify -s "$SRC" -t "$DST" --content <"$WORK/second.ndjson"
n=$(expect_same_messages "$topic" 2)
expect_eq "messages compared" "$n" 40000
pass "gave up ${took}s after the target died (--timeout ${timeout_s}s), interrupted, then resumed exactly"
