#!/usr/bin/env bash
# A message deleted from the target, a partition and a topic missing in the target, and a
# changed message (content mode) are each reported with topic, partition and offsets; exit 1.
source "$(dirname "$0")/lib.sh"
topic=$(name mm)
only_src=$(name gone)
make_topic "$SRC" "$topic" 3 retention.ms=-1
make_topic "$DST" "$topic" 2 retention.ms=-1
make_topic "$SRC" "$only_src" 1 retention.ms=-1
for b in "$SRC" "$DST"; do ck-testkit gen -b "$b" -t "$topic" -p 0 -n 100 --seed 1 2>/dev/null; done
ck-testkit gen -b "$SRC" -t "$topic" -p 2 -n 10 --seed 2 2>/dev/null
ck-testkit gen -b "$SRC" -t "$only_src" -p 0 -n 10 --seed 3 2>/dev/null
# Partition 1: 20 messages; in the target message #7 has another value.
jq -nc 'range(20) | {partition:1, key:"k\(.)", value:"v\(.)", headers:[["h","x"]], timestamp:(1800000000000+.)}' \
  >"$WORK/p1.ndjson"
jq -c 'if .key=="k7" then .value="changed" else . end' "$WORK/p1.ndjson" >"$WORK/p1-changed.ndjson"
ck-testkit produce -b "$SRC" -t "$topic" <"$WORK/p1.ndjson" 2>/dev/null
ck-testkit produce -b "$DST" -t "$topic" <"$WORK/p1-changed.ndjson" 2>/dev/null
ck-testkit delete-records -b "$DST" -t "$topic" -p 0 -o 1 >/dev/null

record() {  # record TOPIC PARTITION END TARGET_END
  jq -nc --arg t "$1" --argjson p "$2" --argjson e "$3" --argjson te "$4" \
    '{v:1,type:"copy",topic:$t,partition:$p,action:"copy",start:0,end:$e,groups:{},
      status:"copied",copied:$e,target_start:0,target_end:$te,target_groups:{}}'
}
{ record "$topic" 0 100 100; record "$topic" 1 20 20; record "$topic" 2 10 10
  record "$only_src" 0 10 10; } >"$WORK/copied.ndjson"

expect_exit 1 ck-verify -s "$SRC" -t "$DST" --content <"$WORK/copied.ndjson"
err=$(cat "$WORK/err")
expect_eq "stdout stays empty" "$(cat "$WORK/out")" ""
expect_contains "deleted message" "$err" \
  "ck-verify: topic $topic partition 0: source has 100 messages in [0,100), target has 99 in [0,100)"
expect_contains "where the deleted message shows" "$err" \
  "ck-verify: topic $topic partition 0: content differs, first at message #0 of the range: source offset 0, target offset 1"
expect_contains "changed message" "$err" \
  "ck-verify: topic $topic partition 1: content differs, first at message #7 of the range: source offset 7, target offset 7"
expect_contains "missing partition" "$err" \
  "ck-verify: topic $topic partition 2: missing in the target (the topic has 2 partitions)"
expect_contains "missing topic" "$err" "ck-verify: topic $only_src partition 0: missing in the target (topic absent)"
expect_eq "one line per problem" "$(grep -c . "$WORK/err")" 5

# Counts alone do not see the changed value, but still the rest.
expect_exit 1 ck-verify -s "$SRC" -t "$DST" --json <"$WORK/copied.ndjson"
expect_eq "verdicts without --content" "$(jq -r '"\(.partition):\(.verdict)"' "$WORK/out" | tr '\n' ' ')" \
  "0:mismatch 1:ok 2:missing 0:missing "
# With --json the first difference is machine-readable too.
expect_exit 1 ck-verify --content --json <"$WORK/copied.ndjson"
expect_eq "first difference record" "$(jq -c 'select(.partition==1 and .topic=="'"$topic"'") | .first_difference' "$WORK/out")" \
  '{"position":7,"source_offset":7,"target_offset":7}'
pass
