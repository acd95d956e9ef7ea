#!/usr/bin/env bash
# ck-plan | ck-copy | ck-verify end to end: transactions in the source (offset gaps), two
# groups at different offsets; verification passes silently with content digests, then
# fails once a message is deleted from the target.
source "$(dirname "$0")/lib.sh"
topic=$(name pipe)
g1=$(name g1) g2=$(name g2)
make_topic "$SRC" "$topic" 2 retention.ms=-1
ck-testkit gen -b "$SRC" -t "$topic" -p 0 -n 300 --seed 1 --txn commit --txn-size 70 2>/dev/null
ck-testkit gen -b "$SRC" -t "$topic" -p 1 -n 40 --seed 2 --txn abort 2>/dev/null
ck-testkit gen -b "$SRC" -t "$topic" -p 1 -n 200 --seed 3 2>/dev/null
ck-testkit commit -b "$SRC" -g "$g1" -t "$topic" -p 0 -o 50 >/dev/null
ck-testkit commit -b "$SRC" -g "$g1" -t "$topic" -p 1 -o 100 >/dev/null
ck-testkit commit -b "$SRC" -g "$g2" -t "$topic" -p 0 -o 150 >/dev/null
ck-plan -s "$SRC" --topic "^${topic//./\\.}\$" >"$WORK/plan.ndjson" 2>"$WORK/plan.err" ||
  fail "ck-plan failed: $(cat "$WORK/plan.err")"
expect_eq "plan records" "$(count_lines "$WORK/plan.ndjson")" 2
ck-copy -s "$SRC" -t "$DST" --create-topics <"$WORK/plan.ndjson" >"$WORK/copied.ndjson" 2>"$WORK/copy.err" ||
  fail "ck-copy failed: $(tail -n 3 "$WORK/copy.err")"
expect_exit 0 ck-verify -s "$SRC" -t "$DST" --content <"$WORK/copied.ndjson"
expect_eq "silent after a clean copy" "$(cat "$WORK/out" "$WORK/err")" ""
expect_exit 0 ck-verify --content --json <"$WORK/copied.ndjson"
expect_eq "counts" "$(jq -r '"\(.partition):\(.source_count)/\(.target_count)"' "$WORK/out" | sort | tr '\n' ' ')" \
  "0:250/250 1:200/200 "
expect_eq "all groups in place" "$(jq -r '.group_checks[].verdict' "$WORK/out" | sort -u)" "ok"
# The plan alone verifies too (whole target partitions, derived group offsets).
expect_exit 0 ck-verify --content <"$WORK/plan.ndjson"
expect_eq "silent with the plan" "$(cat "$WORK/err")" ""

ck-testkit delete-records -b "$DST" -t "$topic" -p 1 -o 5 >/dev/null
expect_exit 1 ck-verify --content <"$WORK/copied.ndjson"
expect_contains "deleted messages reported" "$(cat "$WORK/err")" \
  "ck-verify: topic $topic partition 1: source has 200 messages in ["
pass
