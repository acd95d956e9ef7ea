#!/usr/bin/env bash
# A clean migration (hand-built: the same messages in both clusters, transaction markers and
# an aborted transaction making offset gaps, groups committed where they belong) verifies
# silently with exit 0, from copy results and from plan records.
source "$(dirname "$0")/lib.sh"
topic=$(name clean)
group=$(name g)
for b in "$SRC" "$DST"; do make_topic "$b" "$topic" 3 retention.ms=-1; done
for b in "$SRC" "$DST"; do
  ck-testkit gen -b "$b" -t "$topic" -p 0 -n 200 --seed 1 2>/dev/null
  ck-testkit gen -b "$b" -t "$topic" -p 1 -n 120 --seed 2 --txn commit --txn-size 40 2>/dev/null
done
# Partition 2: the source also holds an aborted transaction, which must not count.
ck-testkit gen -b "$SRC" -t "$topic" -p 2 -n 30 --seed 3 --txn abort 2>/dev/null
ck-testkit gen -b "$SRC" -t "$topic" -p 2 -n 50 --seed 4 2>/dev/null
ck-testkit gen -b "$DST" -t "$topic" -p 2 -n 50 --seed 4 2>/dev/null
end_of() { ck-testkit offsets -b "$1" -t "$topic" | jq -r "select(.partition==$2) | .last_stable"; }
s1=$(end_of "$SRC" 1) s2=$(end_of "$SRC" 2) t1=$(end_of "$DST" 1)
expect_eq "source partition 1 end (3 transactions of 40 + markers)" "$s1" 123
# Group g read 50 messages of partition 0 and 40 of partition 1 (offset 41: past a marker).
commit_retry -b "$DST" -g "$group" -t "$topic" -p 0 -o 50
commit_retry -b "$DST" -g "$group" -t "$topic" -p 1 -o 41

jq -nc --arg t "$topic" --arg g "$group" --argjson s1 "$s1" --argjson s2 "$s2" --argjson t1 "$t1" '
  {v:1,type:"copy",topic:$t,partition:0,action:"copy",start:0,end:200,groups:{($g):50},
   status:"copied",copied:200,target_start:0,target_end:200,target_groups:{($g):50}},
  {v:1,type:"copy",topic:$t,partition:1,action:"copy",start:0,end:$s1,groups:{($g):41},
   status:"copied",copied:120,target_start:0,target_end:$t1,target_groups:{($g):41}},
  {v:1,type:"copy",topic:$t,partition:2,action:"copy",start:0,end:$s2,groups:{},
   status:"copied",copied:50,target_start:0,target_end:50,target_groups:{}}' >"$WORK/copied.ndjson"

expect_exit 0 ck-verify -s "$SRC" -t "$DST" --content <"$WORK/copied.ndjson"
expect_eq "stdout of a clean verification" "$(cat "$WORK/out")" ""
expect_eq "stderr of a clean verification" "$(cat "$WORK/err")" ""

expect_exit 0 ck-verify --json --content --input "$WORK/copied.ndjson"
expect_eq "json lines" "$(count_lines "$WORK/out")" 3
expect_eq "source counts" "$(jq -r .source_count "$WORK/out" | tr '\n' ' ')" "200 120 50 "
expect_eq "target counts" "$(jq -r .target_count "$WORK/out" | tr '\n' ' ')" "200 120 50 "
expect_eq "verdicts" "$(jq -r .verdict "$WORK/out" | sort -u)" "ok"
expect_eq "type" "$(jq -r .type "$WORK/out" | sort -u)" "verify"
expect_eq "digests agree" "$(jq -r 'select(.source_digest != .target_digest)' "$WORK/out")" ""
expect_eq "group remaining on partition 0" \
  "$(jq -c 'select(.partition==0) | .group_checks | map({group, expected, committed, remaining, verdict})' "$WORK/out")" \
  "[{\"group\":\"$group\",\"expected\":50,\"committed\":50,\"remaining\":150,\"verdict\":\"ok\"}]"
expect_eq "group remaining on partition 1" \
  "$(jq -c 'select(.partition==1) | .group_checks[0].remaining' "$WORK/out")" 80

# Re-verifying the verify records gives the same records (no repeated fields).
cp "$WORK/out" "$WORK/verified.ndjson"
expect_exit 0 ck-verify --json --content <"$WORK/verified.ndjson"
cmp -s "$WORK/out" "$WORK/verified.ndjson" || fail "re-verification changed the records"

# Plan records: the target partition is checked whole, the groups' target offsets derived
# by counting (source offset 41 is message #40, which sits at target offset 41).
jq -c '{v,type:"plan",topic,partition,action,start,"end":.end,groups}' "$WORK/copied.ndjson" >"$WORK/plan.ndjson"
expect_exit 0 ck-verify -s "$SRC" -t "$DST" --content <"$WORK/plan.ndjson"
expect_eq "stderr with plan records" "$(cat "$WORK/err")" ""
expect_exit 0 ck-verify --json <"$WORK/plan.ndjson"
expect_eq "derived expectation on partition 1" \
  "$(jq -c 'select(.partition==1) | .group_checks[0] | [.expected, .committed]' "$WORK/out")" "[41,41]"
# -v says what was checked.
expect_exit 0 ck-verify -v <"$WORK/copied.ndjson"
expect_contains "verbose summary" "$(cat "$WORK/err")" "3 partitions verified, 3 ok"
pass
