#!/usr/bin/env bash
# Counts take the noun's number: one partition with one message reads "1 partition",
# "1 message" in ck-copy's dry run, created-topic line and summary and in
# ck-verify's summary; two partitions read "2 partitions" (ck::plural, unit-tested too).
source "$(dirname "$0")/lib.sh"

one=$(name one) two=$(name two)
make_topic "$SRC" "$one" 1 >/dev/null
make_topic "$SRC" "$two" 2 >/dev/null
ck-testkit gen -b "$SRC" -t "$one" -p 0 -n 1 2>/dev/null
plan_topic "$SRC" "$one" >"$WORK/one.plan"

expect_exit 0 ck-copy -s "$SRC" -t "$DST" -i "$WORK/one.plan" --create-topics --dry-run
expect_contains "dry run, topic" "$(cat "$WORK/err")" "would create topic $one with 1 partition,"
expect_contains "dry run, summary" "$(cat "$WORK/err")" "dry run: 1 partition to copy (up to 1 message)"

expect_exit 0 ck-copy -s "$SRC" -t "$DST" -i "$WORK/one.plan" --create-topics --no-progress
cp "$WORK/out" "$WORK/one.copied"
expect_contains "created" "$(cat "$WORK/err")" "created topic $one with 1 partition,"
expect_contains "summary" "$(cat "$WORK/err")" "1 partition copied, 0 skipped, 0 failed; 1 message, "

expect_exit 0 ck-verify -v -s "$SRC" -t "$DST" -i "$WORK/one.copied"
expect_contains "verify summary" "$(cat "$WORK/err")" "1 partition verified, 1 ok; 1 message in the source ranges"

plan_topic "$SRC" "$two" >"$WORK/two.plan"
expect_exit 0 ck-copy -s "$SRC" -t "$DST" -i "$WORK/two.plan" --create-topics --dry-run
expect_contains "two partitions" "$(cat "$WORK/err")" "would create topic $two with 2 partitions,"
expect_contains "no messages" "$(cat "$WORK/err")" "(up to 0 messages)"
pass
