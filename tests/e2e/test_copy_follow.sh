#!/usr/bin/env bash
# Follow mode on a live source: producers write and a consumer group advances while
# ck-copy --follow copies beyond the plan's end. A kill -9 mid-follow, then the same job
# with --until-lag while producers still write: exit 0 by itself. Then SIGTERM: exit 143,
# every result's end committed. A last --until-lag 0 after the producers stopped: the
# target holds exactly the source from the plan's start to its end, once. No group is
# placed in follow mode.
source "$(dirname "$0")/lib.sh"

follow_fixture 5000
expect_eq "plan starts" "$(jq -s -c 'map([.start, .end])' "$WORK/plan.ndjson")" "[[1000,5000],[500,5000]]"

start_producer "$topic"
job=$(name job)
follow=(ck-copy -s "$SRC" -t "$DST" --job "$job" --follow --no-progress --txn-size 700 -i "$WORK/plan.ndjson")

# kill -9 while following.
"${follow[@]}" >"$WORK/out.kill" 2>"$WORK/copy.err" &
pid=$!
wait_landed "$pid" "$topic" 3000 "the kill -9"
kill -9 "$pid"
wait "$pid" 2>/dev/null || true
expect_contains "follow mode says groups wait" "$(cat "$WORK/copy.err")" \
  "follow mode: consumer groups are not placed"

# The group moves on the source meanwhile (a real consumer).
ck-testkit consume -b "$SRC" -g "$g" -t "$topic" --max 3000 >/dev/null 2>&1

# The same job, with --until-lag, while the producers still write: stops by itself.
expect_exit 0 "${follow[@]}" --until-lag 3000
expect_contains "until-lag says why it stopped" "$(cat "$WORK/err")" "within --until-lag"
kill -0 "$producer" 2>/dev/null || fail "the producers stopped before --until-lag did"
expect_eq "statuses at --until-lag" "$(jq -r .status "$WORK/out" | sort -u | tr '\n' ' ')" "copied "
expect_eq "no groups claimed" "$(jq -c '[.target_groups // {}] | add' "$WORK/out" | sort -u | tr -d '\n')" "{}"

# SIGTERM: a clean stop, everything committed, the end reached in each record.
"${follow[@]}" >"$WORK/out.term" 2>"$WORK/copy.err" &
pid=$!
sleep 3
kill -0 "$pid" || fail "follow mode ended by itself: $(tail -n 3 "$WORK/copy.err")"
kill -TERM "$pid"
code=0
wait "$pid" || code=$?
expect_eq "exit status after SIGTERM" "$code" 143
expect_eq "records after SIGTERM" "$(count_lines "$WORK/out.term")" 2
for p in 0 1; do
  rec=$(jq -c "select(.partition==$p)" "$WORK/out.term")
  start=$(jq .start <<<"$rec") end=$(jq .end <<<"$rec")
  ((end >= 5000)) || fail "partition $p: end $end below the plan's"
  ck-testkit dump -b "$SRC" -t "$topic" -p "$p" --from "$start" --to "$end" | fingerprint >"$WORK/want"
  ck-testkit dump -b "$DST" -t "$topic" -p "$p" | fingerprint >"$WORK/got"
  expect_eq "partition $p: copied at SIGTERM" "$(jq .copied <<<"$rec")" "$(count_lines "$WORK/want")"
  cmp -s "$WORK/want" "$WORK/got" || fail "partition $p: target differs from source [$start, $end) at SIGTERM"
done

# Producers stop; the last follow run catches up and stops at lag 0.
touch "$WORK/stop"
wait "$producer"
expect_exit 0 "${follow[@]}" --until-lag 0
ck-testkit offsets -b "$SRC" -t "$topic" >"$WORK/offsets"
for p in 0 1; do
  expect_eq "partition $p: end reached" "$(jq "select(.partition==$p) | .end" "$WORK/out")" \
    "$(jq "select(.partition==$p) | .last_stable" "$WORK/offsets")"
done
expect_same_messages "$topic" 2 "$WORK/plan.ndjson" >/dev/null
[[ -z $(ck-testkit group-offsets -b "$DST" -g "$g" 2>/dev/null) ]] ||
  fail "follow mode placed group $g in the target"
pass "followed a live source across kill -9, --until-lag and SIGTERM; exact copy"
