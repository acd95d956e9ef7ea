#!/usr/bin/env bash
# A message with key, repeated headers, a null header, an explicit timestamp, plus a
# tombstone and binary bytes, makes a round trip through each local cluster unchanged.
source "$(dirname "$0")/lib.sh"

cat >"$WORK/in.ndjson" <<'JSON'
{"partition":1,"key":"order-17","value":"{\"qty\":3}","headers":[["trace","a"],["trace","b"],["empty",null]],"timestamp":1700000000123}
{"partition":1,"key":"order-17","value":null,"headers":[],"timestamp":1700000000124}
{"partition":0,"key_b64":"AP8Q","value_b64":"/wABAg==","headers":[["bin","x"]],"timestamp":1700000000125}
JSON
for brokers in "$SRC" "$DST"; do
  topic=$(name roundtrip)
  make_topic "$brokers" "$topic" 2
  ck-testkit produce -b "$brokers" -t "$topic" <"$WORK/in.ndjson" 2>/dev/null
  ck-testkit dump -b "$brokers" -t "$topic" >"$WORK/dump.ndjson"
  expect_eq "messages read back from $brokers" "$(count_lines "$WORK/dump.ndjson")" 3
  # dump orders by partition: compare as sets of fingerprints
  diff <(fingerprint "$WORK/in.ndjson" | jq -cS 'with_entries(select(.value != null))
          | .headers |= (. // [])' | sort) \
       <(fingerprint "$WORK/dump.ndjson" | jq -cS 'with_entries(select(.value != null))' | sort) \
    || fail "round trip through $brokers changed a message"
  expect_eq "tombstone value" "$(jq -c 'select(.offset==1 and .partition==1) | .value' "$WORK/dump.ndjson")" null
  expect_eq "timestamp kept" "$(jq -c 'select(.partition==0) | .timestamp' "$WORK/dump.ndjson")" 1700000000125
done
pass
