#!/usr/bin/env bash
# Byte-exact copy: null keys and values, empty values, binary data, repeated and null
# headers, timestamps and order survive, message by message; the result records
# carry the exact counts and target offsets.
source "$(dirname "$0")/lib.sh"

topic=$(name fidelity)
make_topic "$SRC" "$topic" 2
make_topic "$DST" "$topic" 2
{
  cat <<'JSON'
{"partition":0,"key":"a","value":"first","headers":[["h","1"],["h","2"],["h",null]],"timestamp":1700000000001}
{"partition":0,"key":null,"value":"no key","timestamp":1700000000002}
{"partition":0,"key":"tomb","value":null,"timestamp":1700000000003}
{"partition":0,"key":"","value":"","timestamp":1700000000004}
{"partition":0,"key_b64":"AP8Q","value_b64":"/wABAgM=","headers":[["bin","x"],["bin","x"]],"timestamp":1700000000005}
{"partition":1,"key":null,"value":null,"headers":[["only",null]],"timestamp":1600000000000}
{"partition":1,"key":"k","value":"ünïcødé ✓","timestamp":1700000000007}
JSON
  for i in $(seq 1 50); do echo "{\"partition\":1,\"key\":\"k$i\",\"value\":\"v$i\",\"headers\":[[\"i\",\"$i\"]],\"timestamp\":$((1700000001000 + i))}"; done
} | ck-testkit produce -b "$SRC" -t "$topic" 2>/dev/null

# A plan by hand (ck-copy reads any plan record): partition 0 from 1, partition 1 whole.
cat >"$WORK/plan.ndjson" <<EOF2
{"v":1,"type":"plan","topic":"$topic","partition":0,"action":"copy","start":1,"end":5,"groups":{},"groups_without_commit":[],"note":"kept"}
{"v":1,"type":"plan","topic":"$topic","partition":1,"action":"copy","start":0,"end":52,"groups":{},"groups_without_commit":[]}
EOF2
expect_exit 0 ck-copy -s "$SRC" -t "$DST" --input "$WORK/plan.ndjson"
cp "$WORK/out" "$WORK/result.ndjson"
expect_eq "result lines" "$(count_lines "$WORK/result.ndjson")" 2
r0=$(jq -c 'select(.partition==0) | [.type, .status, .copied, .target_start, .target_end, .note]' "$WORK/result.ndjson")
expect_eq "partition 0 result" "$r0" '["copy","copied",4,0,4,"kept"]'
r1=$(jq -c 'select(.partition==1) | [.status, .copied, .target_start, .target_end]' "$WORK/result.ndjson")
expect_eq "partition 1 result" "$r1" '["copied",52,0,52]'

ck-testkit dump -b "$SRC" -t "$topic" -p 0 --from 1 >"$WORK/src0"
ck-testkit dump -b "$SRC" -t "$topic" -p 1 >"$WORK/src1"
ck-testkit dump -b "$DST" -t "$topic" -p 0 >"$WORK/dst0"
ck-testkit dump -b "$DST" -t "$topic" -p 1 >"$WORK/dst1"
expect_eq "target partition 0 count" "$(count_lines "$WORK/dst0")" 4
expect_eq "target partition 1 count" "$(count_lines "$WORK/dst1")" 52
diff <(fingerprint "$WORK/src0") <(fingerprint "$WORK/dst0") || fail "partition 0 differs"
diff <(fingerprint "$WORK/src1") <(fingerprint "$WORK/dst1") || fail "partition 1 differs"
expect_eq "tombstone kept" "$(jq -c 'select(.key=="tomb") | .value' "$WORK/dst0")" null
expect_eq "null key kept" "$(jq -c 'select(.value=="no key") | .key' "$WORK/dst0")" null
expect_eq "empty value kept" "$(jq -c 'select(.key=="") | .value' "$WORK/dst0")" '""'
expect_eq "repeated headers kept" "$(jq -c 'select(.key_b64=="AP8Q") | .headers' "$WORK/dst0")" '[["bin","x"],["bin","x"]]'

# The same command again finds the work done: nothing is written twice.
expect_exit 0 ck-copy -s "$SRC" -t "$DST" --input "$WORK/plan.ndjson"
expect_eq "rerun result" "$(jq -c 'select(.partition==1) | [.status, .copied, .target_end]' "$WORK/out")" '["copied",52,52]'
expect_eq "no duplicates after rerun" "$(ck-testkit dump -b "$DST" -t "$topic" | wc -l)" 56
pass
