#!/usr/bin/env bash
# An open transaction: end is the last stable offset, below the high watermark, and
# stderr says so. A group with a live member is reported as still consuming.
source "$(dirname "$0")/lib.sh"
re() { printf '%s' "$1" | sed 's/[.]/\\./g'; }  # names hold only [A-Za-z0-9._-]

topic=$(name txn)
group=$(name reader)
live=$(name live)
# retention.ms=-1: gen's timestamps are old, the broker's retention check would expire them.
make_topic "$SRC" "$topic" 1 retention.ms=-1 >/dev/null
ck-testkit gen -b "$SRC" -t "$topic" -p 0 -n 10 >/dev/null
ck-testkit commit -b "$SRC" -g "$group" -t "$topic" -p 0 -o 4
ck-testkit open-txn -b "$SRC" -t "$topic" -p 0 -n 5 --hold 60 >/dev/null 2>"$WORK/txn.err" &
txn_pid=$!
ck-testkit consume -b "$SRC" -g "$live" -t "$topic" --hold 60 >/dev/null 2>"$WORK/consume.err" &
consume_pid=$!
trap 'kill $txn_pid $consume_pid 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"' EXIT

# Wait (bounded) until the transaction's messages are in the log.
for _ in $(seq 100); do
  hw=$(ck-testkit offsets -b "$SRC" -t "$topic" | jq -r .high_watermark)
  [[ $hw -ge 15 ]] && break
  sleep 0.2
done
[[ $hw -ge 15 ]] || fail "the open transaction never reached the log: $(cat "$WORK/txn.err")"

expect_exit 0 ck-plan -s "$SRC" --group "$(re "$group")"
expect_eq "range" "$(jq -c '[.start, .end, .high_watermark, .action]' "$WORK/out")" "[4,10,$hw,\"copy\"]"
expect_contains "warning" "$(cat "$WORK/err")" "topic $topic partition 0: open transaction: last stable offset 10"

# The live consumer joins its group (bounded wait); ck-plan warns about it.
found=""
for _ in $(seq 60); do
  ck-plan -s "$SRC" --group "$(re "$live")" >/dev/null 2>"$WORK/err2" || true
  if grep -q "group $live: active members (1 member" "$WORK/err2"; then found=yes; break; fi
  sleep 0.5
done
[[ -n $found ]] || fail "no active-member warning: $(cat "$WORK/err2")"
expect_contains "active warning" "$(cat "$WORK/err2")" "consumption has not stopped"
pass
