#!/usr/bin/env bash
# Limits: 1 MiB messages and a message with 10,000 headers copy byte for byte; so do 40
# partitions through a 1 MiB producer queue; a plan of 100,000 records is read, validated
# and reported in bounded memory.
source "$(dirname "$0")/lib.sh"

# 1 MiB values need bigger message limits on the topic and the clients.
big=$(name big)
make_topic "$SRC" "$big" 1 max.message.bytes=4194304
ck-testkit gen -b "$SRC" -t "$big" -p 0 -n 3 --size 1048576 -X message.max.bytes=4194304 2>/dev/null
# One message with 10,000 headers (repeated names, a null value among them).
jq -cn '{partition:0, key:"many", value:"h",
         headers: ([range(10000)] | map(["h\(. % 100)", (if . == 5000 then null else "v\(.)" end)]))}' \
  | ck-testkit produce -b "$SRC" -t "$big" -X message.max.bytes=4194304 2>/dev/null
plan_topic "$SRC" "$big" >"$WORK/plan.ndjson"
expect_exit 0 ck-copy -s "$SRC" -t "$DST" --create-topics --no-progress \
  --target-set message.max.bytes=4194304 <"$WORK/plan.ndjson"
cp "$WORK/out" "$WORK/copied.ndjson"
expect_eq "copied" "$(jq '.copied' "$WORK/copied.ndjson")" 4
# gen writes bytes that are not UTF-8: 1 MiB comes back as 1,398,104 base64 characters.
# (The default max.message.bytes would refuse these: the created topic got the source's.)
expect_eq "largest value in the target (base64 length)" \
  "$(ck-testkit dump -b "$DST" -t "$big" -p 0 | jq -s 'map(.value_b64 // "" | length) | max')" 1398104
expect_eq "headers of the last message" \
  "$(ck-testkit dump -b "$DST" -t "$big" -p 0 | jq -s '.[3].headers | length')" 10000
expect_eq "messages compared" "$(expect_same_messages "$big" 1)" 4
expect_exit 0 ck-verify -s "$SRC" -t "$DST" --content <"$WORK/copied.ndjson"

# A 1 MiB producer queue over 40 partitions (1,000-byte values): the queue is full all
# the time and holds only short batches, which ck-copy flushes out; every message arrives
# once, in order.
many=$(name many)
make_topic "$SRC" "$many" 40
make_topic "$DST" "$many" 40
awk 'BEGIN { v = sprintf("%1000s", ""); gsub(/ /, "x", v)
             for (i = 0; i < 8000; i++) printf "{\"partition\":%d,\"key\":\"k%d\",\"value\":\"%d%s\"}\n", i % 40, i, i, v }' \
  | ck-testkit produce -b "$SRC" -t "$many" 2>/dev/null
plan_topic "$SRC" "$many" >"$WORK/many.ndjson"
expect_exit 0 ck-copy -s "$SRC" -t "$DST" --no-progress --max-buffer-mb 1 <"$WORK/many.ndjson"
expect_eq "copied through a full queue" "$(jq -s 'map(.copied) | add' "$WORK/out")" 8000
# One dump of each topic (not one per partition), each partition's messages in order.
for side in src dst; do
  brokers=$SRC; [[ $side == dst ]] && brokers=$DST
  ck-testkit dump -b "$brokers" -t "$many" | jq -s -c 'sort_by(.partition)[]' | fingerprint >"$WORK/many.$side"
done
expect_eq "target messages" "$(count_lines "$WORK/many.dst")" 8000
cmp -s "$WORK/many.src" "$WORK/many.dst" || fail "$many: target differs from source (order or content)"

# 100,000 plan records (for topics that do not exist): read, validated, each reported
# as a failed result, in bounded memory.
seq 0 99999 | awk '{ printf "{\"v\":1,\"topic\":\"limits-missing-%d\",\"partition\":0,\"start\":0,\"end\":10}\n", $1 }' \
  >"$WORK/huge.ndjson"
rc=0
/usr/bin/time -f '%M' -o "$WORK/rss" ck-copy -s "$SRC" -t "$DST" --dry-run --skip-invalid \
  --no-progress <"$WORK/huge.ndjson" >"$WORK/huge.out" 2>"$WORK/huge.err" || rc=$?
expect_eq "exit code with 100,000 invalid records" "$rc" 1
expect_eq "result records" "$(count_lines "$WORK/huge.out")" 100000
expect_eq "failed results" "$(jq -c 'select(.status == "failed")' "$WORK/huge.out" | wc -l)" 100000
rss_kb=$(tail -n 1 "$WORK/rss")
# ASan's shadow memory and quarantine multiply memory use: the bound is for real builds.
bound_kb=$(( ${CK_SANITIZED:-0} == 1 ? 4 * 262144 : 262144 ))
((rss_kb < bound_kb)) || fail "ck-copy used ${rss_kb} KiB for 100,000 records (bound: 256 MiB)"
pass "1 MiB messages, 10,000 headers, 100,000 records in $((rss_kb / 1024)) MiB"
