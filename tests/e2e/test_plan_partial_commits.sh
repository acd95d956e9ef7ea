#!/usr/bin/env bash
# Fully consumed partitions, groups that committed on only some partitions (default:
# planned from the log start; --committed-only: skipped), and the name filters.
source "$(dirname "$0")/lib.sh"
re() { printf '%s' "$1" | sed 's/[.]/\\./g'; }  # names hold only [A-Za-z0-9._-]

t1=$(name orders)
t2=$(name audit)
ga=$(name group-a)
gb=$(name group-b)
# retention.ms=-1: gen's timestamps are old, the broker's retention check would expire them.
make_topic "$SRC" "$t1" 3 retention.ms=-1 >/dev/null
make_topic "$SRC" "$t2" 2 retention.ms=-1 >/dev/null
for p in 0 1 2; do ck-testkit gen -b "$SRC" -t "$t1" -p $p -n 20 >/dev/null; done
for p in 0 1; do ck-testkit gen -b "$SRC" -t "$t2" -p $p -n 20 >/dev/null; done
ck-testkit commit -b "$SRC" -g "$ga" -t "$t1" -p 0 -o 20   # all read
ck-testkit commit -b "$SRC" -g "$ga" -t "$t1" -p 1 -o 5    # p2: no commit
ck-testkit commit -b "$SRC" -g "$gb" -t "$t2" -p 1 -o 7    # p0: no commit
both=(--group "$(re "$ga")" --group "$(re "$gb")")
row() { jq -c --arg t "$1" --argjson p "$2" "select(.topic == \$t and .partition == \$p) | $3" "$WORK/out"; }

expect_exit 0 ck-plan -s "$SRC" "${both[@]}"
expect_eq "records" "$(count_lines "$WORK/out")" 5
expect_eq "t1 p0" "$(row "$t1" 0 '[.action, .reason, .start, .end]')" '["skip","all consumed",20,20]'
expect_eq "t1 p1" "$(row "$t1" 1 '[.action, .start, .end]')" '["copy",5,20]'
expect_eq "t1 p2" "$(row "$t1" 2 '[.action, .start, .end, .groups, .groups_without_commit]')" \
  "[\"copy\",0,20,{},[\"$ga\"]]"
expect_eq "t2 p0" "$(row "$t2" 0 '[.action, .start, .groups_without_commit]')" "[\"copy\",0,[\"$gb\"]]"
expect_eq "t2 p1" "$(row "$t2" 1 '[.action, .start]')" '["copy",7]'

expect_exit 0 ck-plan -s "$SRC" "${both[@]}" --committed-only
expect_eq "committed-only t1 p2" "$(row "$t1" 2 '[.action, .reason, .groups_without_commit]')" \
  "[\"skip\",\"no committed offset\",[\"$ga\"]]"
expect_eq "committed-only t2 p0" "$(row "$t2" 0 '[.action, .reason]')" '["skip","no committed offset"]'
expect_eq "committed-only t1 p1" "$(row "$t1" 1 '[.action, .start]')" '["copy",5]'
expect_contains "summary" "$(cat "$WORK/err")" "topic $t1: 1 partition to copy, 2 skipped, up to 15 messages"

# Filters: include one group, exclude one group, include a topic, exclude a topic.
topics() { jq -r .topic "$WORK/out" | sort -u | tr '\n' ' '; }
expect_exit 0 ck-plan -s "$SRC" --group "$(re "$ga")"
expect_eq "--group" "$(topics)" "$t1 "
expect_exit 0 ck-plan -s "$SRC" "${both[@]}" --exclude-group "$(re "$ga")"
expect_eq "--exclude-group" "$(topics)" "$t2 "
expect_exit 0 ck-plan -s "$SRC" "${both[@]}" --topic "$(re "$t2")"
expect_eq "--topic" "$(topics)" "$t2 "
expect_exit 0 ck-plan -s "$SRC" "${both[@]}" --exclude-topic "$(re "$t2")"
expect_eq "--exclude-topic" "$(topics)" "$t1 "
# Full match: a pattern matching only part of the name selects nothing.
expect_exit 0 ck-plan -s "$SRC" "${both[@]}" --topic "orders"
expect_eq "full match" "$(count_lines "$WORK/out")" 0
expect_exit 2 ck-plan -s "$SRC" --group "("
expect_contains "bad pattern" "$(cat "$WORK/err")" "option '--group'"
pass
