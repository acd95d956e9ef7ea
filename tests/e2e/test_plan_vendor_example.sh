#!/usr/bin/env bash
# The vendor guide's example: test123-group reads test1..test3, test34-group reads test3
# and test4; test3 starts at the smaller of the two groups' offsets.
source "$(dirname "$0")/lib.sh"

for i in 1 2 3 4; do
  t[$i]=$(name test$i)
  # retention.ms=-1: gen's timestamps are old, the broker's retention check would expire them.
  make_topic "$SRC" "${t[$i]}" 1 retention.ms=-1 >/dev/null
  ck-testkit gen -b "$SRC" -t "${t[$i]}" -p 0 -n 50 >/dev/null
done
g123=$(name test123-group)
g34=$(name test34-group)
ck-testkit commit -b "$SRC" -g "$g123" -t "${t[1]}" -p 0 -o 10
ck-testkit commit -b "$SRC" -g "$g123" -t "${t[2]}" -p 0 -o 20
ck-testkit commit -b "$SRC" -g "$g123" -t "${t[3]}" -p 0 -o 30
ck-testkit commit -b "$SRC" -g "$g34" -t "${t[3]}" -p 0 -o 25
ck-testkit commit -b "$SRC" -g "$g34" -t "${t[4]}" -p 0 -o 40

# Patterns match whole names; the generated names' dots are escaped.
re() { printf '%s' "$1" | sed 's/[.]/\\./g'; }  # names hold only [A-Za-z0-9._-]
expect_exit 0 ck-plan -s "$SRC" --group "$(re "$g123")" --group "$(re "$g34")"
plan=$WORK/out
expect_eq "records" "$(count_lines "$plan")" 4
expect_eq "order" "$(jq -r .topic "$plan" | tr '\n' ' ')" "${t[1]} ${t[2]} ${t[3]} ${t[4]} "
rec() { jq -c --arg t "$1" 'select(.topic == $t)' "$plan"; }
expect_eq "test1" "$(rec "${t[1]}" | jq -c '[.start, .end, .action, .groups]')" \
  "[10,50,\"copy\",{\"$g123\":10}]"
expect_eq "test2 start/end" "$(rec "${t[2]}" | jq -c '[.start, .end]')" "[20,50]"
expect_eq "test3 start/end" "$(rec "${t[3]}" | jq -c '[.start, .end, .action]')" '[25,50,"copy"]'
expect_eq "test3 groups" "$(rec "${t[3]}" | jq -c '.groups')" "{\"$g123\":30,\"$g34\":25}"
expect_eq "test4 start/end" "$(rec "${t[4]}" | jq -c '[.start, .end]')" "[40,50]"
expect_eq "test3 fields" "$(rec "${t[3]}" | jq -c '[.type, .partition, .partitions, .log_start, .high_watermark, .expired, .groups_without_commit]')" \
  '["plan",0,1,0,50,0,[]]'

# NDJSON that jq reads and writes back byte for byte, and edits with ordinary filters.
jq -c . "$plan" | cmp - "$plan" || fail "jq -c . changed the plan"
expect_eq "jq edit" "$(jq -c 'select(.start < 25) | .topic' "$plan" | wc -l)" 2

err=$(cat "$WORK/err")
expect_contains "summary test3" "$err" "topic ${t[3]}: 1 partition to copy, 0 skipped, up to 25 messages, 0 expired; 2 groups"
expect_contains "summary total" "$err" "total: 4 topics, 4 partitions to copy, 0 skipped, up to 105 messages"

# -q leaves stderr silent, stdout unchanged.
cp "$plan" "$WORK/plan1"
expect_exit 0 ck-plan -q -s "$SRC" --group "$(re "$g123")|$(re "$g34")"
cmp "$WORK/out" "$WORK/plan1" || fail "-q changed the plan"
expect_eq "quiet stderr" "$(cat "$WORK/err")" ""
pass
