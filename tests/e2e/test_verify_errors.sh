#!/usr/bin/env bash
# Runtime and usage errors: an unreachable cluster gives exit 3 by the deadline, a malformed
# line exit 3 naming it, a bad option exit 2; empty input fails unless --allow-empty.
source "$(dirname "$0")/lib.sh"
topic=$(name err)
line=$(jq -nc --arg t "$topic" '{v:1,type:"plan",topic:$t,partition:0,action:"copy",start:0,end:10,groups:{}}')

echo "$line" >"$WORK/one.ndjson"
expect_exit 3 timeout 60 ck-verify -s 127.0.0.1:1 -t "$DST" --timeout 2 <"$WORK/one.ndjson"
expect_contains "unreachable source" "$(cat "$WORK/err")" "ck-verify: error: source cluster 127.0.0.1:1: unreachable within 2000 ms"
expect_exit 3 timeout 60 ck-verify -s "$SRC" -t 127.0.0.1:1 --timeout 2 <"$WORK/one.ndjson"
expect_contains "unreachable target" "$(cat "$WORK/err")" "target cluster 127.0.0.1:1: unreachable"
expect_eq "stdout stays empty" "$(cat "$WORK/out")" ""

printf '%s\n\n{"v":1,"topic":"x","partition":"zero"}\n' "$line" >"$WORK/bad.ndjson"
expect_exit 3 ck-verify <"$WORK/bad.ndjson"
expect_eq "malformed line" "$(cat "$WORK/err")" 'ck-verify: error: <stdin>:3: field "partition": expected integer'
expect_exit 3 ck-verify --input "$WORK/bad.ndjson"
expect_contains "malformed line in a file" "$(cat "$WORK/err")" "ck-verify: error: $WORK/bad.ndjson:3: "
printf '{"v":1,' | { expect_exit 3 ck-verify; }
expect_contains "truncated line" "$(cat "$WORK/err")" "ck-verify: error: <stdin>:1: "

expect_exit 2 ck-verify --bogus
expect_contains "usage error" "$(cat "$WORK/err")" "ck-verify"
expect_exit 2 ck-verify --input "$WORK/no-such-file"
expect_exit 1 ck-verify </dev/null  # no records is no proof (test_verify_empty_input.sh)
expect_exit 0 ck-verify --allow-empty </dev/null
expect_eq "empty input allowed is silent" "$(cat "$WORK/out" "$WORK/err")" ""
expect_exit 0 ck-verify --help
expect_contains "help names --content" "$(cat "$WORK/out")" "--content"
pass
