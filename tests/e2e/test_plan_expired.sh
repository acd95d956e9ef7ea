#!/usr/bin/env bash
# Committed offsets below the log start (DeleteRecords): start is clamped to the log
# start and the lost messages counted; with nothing left the partition is skipped.
source "$(dirname "$0")/lib.sh"
re() { printf '%s' "$1" | sed 's/[.]/\\./g'; }  # names hold only [A-Za-z0-9._-]

topic=$(name expiring)
group=$(name slow-group)
# retention.ms=-1: gen's timestamps are old, the broker's retention check would expire them.
make_topic "$SRC" "$topic" 2 retention.ms=-1 >/dev/null
for p in 0 1; do ck-testkit gen -b "$SRC" -t "$topic" -p $p -n 100 >/dev/null; done
ck-testkit commit -b "$SRC" -g "$group" -t "$topic" -p 0 -o 10
ck-testkit commit -b "$SRC" -g "$group" -t "$topic" -p 1 -o 30
ck-testkit delete-records -b "$SRC" -t "$topic" -p 0 -o 40 >/dev/null
ck-testkit delete-records -b "$SRC" -t "$topic" -p 1 -o 100 >/dev/null

expect_exit 0 ck-plan -s "$SRC" --group "$(re "$group")"
expect_eq "records" "$(count_lines "$WORK/out")" 2
expect_eq "p0" "$(jq -c 'select(.partition == 0) | [.start, .end, .log_start, .expired, .action, .groups[]]' "$WORK/out")" \
  '[40,100,40,30,"copy",10]'
expect_eq "p1" "$(jq -c 'select(.partition == 1) | [.start, .end, .log_start, .expired, .action, .reason]' "$WORK/out")" \
  '[100,100,100,70,"skip","expired"]'
err=$(cat "$WORK/err")
expect_contains "warning p0" "$err" "warning: topic $topic partition 0: 30 unconsumed messages expired"
expect_contains "warning p1" "$err" "warning: topic $topic partition 1: 70 unconsumed messages expired"
expect_contains "summary" "$err" "topic $topic: 1 partition to copy, 1 skipped, up to 60 messages, 100 expired"
pass
