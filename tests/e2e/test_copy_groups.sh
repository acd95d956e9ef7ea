#!/usr/bin/env bash
# Consumer groups move with the data: on a partition with aborted transactions in the
# range, each group's target offset is that of its first unread message (the source
# message at its offset, or the next committed one). A group with an active member in
# the target, and one with a committed offset there that ck-copy did not write, are
# left alone and reported.
source "$(dirname "$0")/lib.sh"

topic=$(name groups)
make_topic "$SRC" "$topic" 1 retention.ms=-1 >/dev/null
make_topic "$DST" "$topic" 1 retention.ms=-1 >/dev/null
ck-testkit gen -b "$SRC" -t "$topic" -p 0 -n 100 --txn commit --txn-size 50 2>/dev/null
ck-testkit gen -b "$SRC" -t "$topic" -p 0 -n 50 --txn abort --txn-size 50 --seed 2 2>/dev/null
ck-testkit gen -b "$SRC" -t "$topic" -p 0 -n 100 --txn commit --txn-size 50 --seed 3 2>/dev/null
end=$(ck-testkit offsets -b "$SRC" -t "$topic" | jq .last_stable)
g1=$(name g1) g2=$(name g2) active=$(name active) foreign=$(name foreign) fresh=$(name fresh)
# g2 stands inside the aborted transaction: its first unread message comes after it.
cat >"$WORK/plan" <<EOF2
{"v":1,"topic":"$topic","partition":0,"start":10,"end":$end,"groups":{"$g1":30,"$g2":120,"$active":60,"$foreign":70,"$fresh":10},"groups_without_commit":[]}
EOF2

commit_retry -b "$DST" -g "$foreign" -t "$topic" -p 0 -o 5
# A member of $active until the test ends (not a fixed time: a loaded machine is slow).
ck-testkit consume -b "$DST" -g "$active" -t "$topic" --hold 600 >/dev/null 2>"$WORK/member.err" &
consumer=$!
trap 'kill $consumer 2>/dev/null; rm -rf "$WORK"' EXIT
wait_joined "$consumer" "$WORK/member.err" "$active"

expect_exit 0 ck-copy -s "$SRC" -t "$DST" -i "$WORK/plan"
cp "$WORK/out" "$WORK/result"
expect_eq "copied" "$(jq .copied "$WORK/result")" 190
expect_contains "active group reported" "$(cat "$WORK/err")" "group $active left alone: active members in target"
expect_eq "groups left in the result" "$(jq -c '.groups_left | keys' "$WORK/result")" "[\"$active\",\"$foreign\"]"
expect_eq "foreign group untouched" "$(ck-testkit group-offsets -b "$DST" -g "$foreign" | jq .offset)" 5

first_unread() {  # brokers offset -> fingerprint of the first committed message at or after it
  ck-testkit dump -b "$1" -t "$topic" -p 0 --from "$2" | head -n 1 | fingerprint | jq -c '{key,value,headers,timestamp}'
}
for pair in "$g1:30" "$g2:120" "$fresh:10"; do
  g=${pair%%:*} o=${pair##*:}
  off=$(ck-testkit group-offsets -b "$DST" -g "$g" | jq .offset)
  [[ -n $off ]] || fail "group $g has no offset in the target"
  expect_eq "group $g in the result" "$(jq ".target_groups[\"$g\"]" "$WORK/result")" "$off"
  expect_eq "group $g first unread message" "$(first_unread "$DST" "$off")" "$(first_unread "$SRC" "$o")"
done
expect_eq "g2 skipped the aborted messages" "$(first_unread "$SRC" 120 | jq -r .key)" k0
expect_eq "target_groups has only the moved groups" "$(jq -c '.target_groups | keys | length' "$WORK/result")" 3
pass
