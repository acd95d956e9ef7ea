#!/usr/bin/env bash
# Group positions are proven from the source alone. After a clean ck-plan | ck-copy (a
# partition with transaction markers, so offsets have gaps), ck-verify is silent, with and
# without --exact-groups. Then the migration is tampered with, one way at a time, and each
# is named on its own line: a target group moved back by one message (behind), forward by
# one (ahead: ok from cron, a problem with --exact-groups), deleted (missing); a result
# record whose claim and target commit agree with each other but are wrong (the target
# commit made by Kafka's own kafka-consumer-groups --reset-offsets); a source group that
# moved after the plan (stale).
source "$(dirname "$0")/lib.sh"
topic=$(name derived)
make_topic "$SRC" "$topic" 1 retention.ms=-1
# 8 transactions of 25 messages: a commit marker after each, at offsets 25, 51, 77, ...
ck-testkit gen -b "$SRC" -t "$topic" -p 0 -n 200 --seed 7 --txn commit --txn-size 25 2>/dev/null
first=$(name a-first) ok=$(name b-ok) back=$(name c-back) fwd=$(name d-fwd) del=$(name e-del)
claim=$(name f-claim) stale=$(name g-stale)
for pair in "$first:10" "$ok:60" "$back:80" "$fwd:100" "$del:120" "$claim:140" "$stale:160"; do
  commit_retry -b "$SRC" -g "${pair%%:*}" -t "$topic" -p 0 -o "${pair##*:}"
done
ck-plan -s "$SRC" --topic "^${topic//./\\.}\$" >"$WORK/plan.ndjson" 2>"$WORK/plan.err" ||
  fail "ck-plan failed: $(cat "$WORK/plan.err")"
ck-copy -s "$SRC" -t "$DST" --create-topics <"$WORK/plan.ndjson" >"$WORK/copied.ndjson" \
  2>"$WORK/copy.err" || fail "ck-copy failed: $(tail -n 3 "$WORK/copy.err")"

# The clean migration: silent, also when every group must sit exactly at its position.
expect_exit 0 ck-verify -s "$SRC" -t "$DST" <"$WORK/copied.ndjson"
expect_eq "silent after a clean copy" "$(cat "$WORK/out" "$WORK/err")" ""
expect_exit 0 ck-verify --exact-groups --content <"$WORK/copied.ndjson"
expect_eq "silent with --exact-groups" "$(cat "$WORK/out" "$WORK/err")" ""
expect_exit 0 ck-verify --json <"$WORK/copied.ndjson"
cp "$WORK/out" "$WORK/clean.json"
expect_eq "every group at its derived position, claim and commit agreeing with it" \
  "$(jq -c '[.group_checks[] | select(.verdict != "ok" or .expected != .committed
                                        or .expected != .claimed)]' "$WORK/clean.json")" "[]"
expected() { jq -r --arg g "$1" '.group_checks[] | select(.group == $g) | .expected' "$WORK/clean.json"; }
# Group b-ok read 48 messages of the range [10,60) (offsets 10-24, 26-50, 52-59: two
# markers between), counted, not subtracted.
expect_eq "position of $ok" \
  "$(jq -r --arg g "$ok" '.group_checks[] | select(.group == $g) | .position' "$WORK/clean.json")" 48
message_at() {  # offset -> the offset of the target message there (empty: none)
  ck-testkit dump -b "$DST" -t "$topic" -p 0 --from "$1" | head -n 1 | jq -r .offset
}
where="ck-verify: topic $topic partition 0: group"

# Forward by one: the group would skip a message. Fine from cron (its consumers read on
# the target), a problem at the cutover.
t=$(expected "$fwd")
commit_retry -b "$DST" -g "$fwd" -t "$topic" -p 0 -o $((t + 1))
expect_exit 0 ck-verify <"$WORK/copied.ndjson"
expect_eq "ahead is fine from cron" "$(cat "$WORK/err")" ""
expect_exit 1 ck-verify --exact-groups <"$WORK/copied.ndjson"
expect_eq "ahead with --exact-groups" "$(cat "$WORK/err")" \
  "$where $fwd: ahead: would skip 1 message (committed target offset $((t + 1)), expected $t from source offset 100; ck-copy claimed $t)"
commit_retry -b "$DST" -g "$fwd" -t "$topic" -p 0 -o "$t"

# Back by one message: it would read one message twice.
t=$(expected "$back")
expect_eq "a message before $back's position" "$(message_at $((t - 1)))" $((t - 1))
commit_retry -b "$DST" -g "$back" -t "$topic" -p 0 -o $((t - 1))
expect_exit 1 ck-verify <"$WORK/copied.ndjson"
expect_eq "behind" "$(cat "$WORK/err")" \
  "$where $back: behind: would re-read 1 message (committed target offset $((t - 1)), expected $t from source offset 80; ck-copy claimed $t)"
commit_retry -b "$DST" -g "$back" -t "$topic" -p 0 -o "$t"

# Deleted in the target: its consumers would start by their auto.offset.reset.
t=$(expected "$del")
bash "$CK_REPO/scripts/kafka-tool.sh" org.apache.kafka.tools.consumer.group.ConsumerGroupCommand \
  --bootstrap-server "$DST" --delete --group "$del" >"$WORK/kcg.out" 2>&1 ||
  fail "kafka-consumer-groups --delete failed: $(tail -n 3 "$WORK/kcg.out")"
expect_exit 1 ck-verify <"$WORK/copied.ndjson"
expect_eq "missing" "$(cat "$WORK/err")" \
  "$where $del: missing: no committed offset in the target (expected $t from source offset 120; ck-copy claimed $t)"
commit_retry -b "$DST" -g "$del" -t "$topic" -p 0 -o "$t"

# A result record and the target agreeing with each other, both one message short: the
# claim is edited with jq, the commit made by Kafka's own tool.
t=$(expected "$claim")
jq -c --arg g "$claim" --argjson o $((t - 1)) '.target_groups[$g] = $o' "$WORK/copied.ndjson" \
  >"$WORK/claimed.ndjson"
bash "$CK_REPO/scripts/kafka-tool.sh" org.apache.kafka.tools.consumer.group.ConsumerGroupCommand \
  --bootstrap-server "$DST" --reset-offsets --group "$claim" --topic "$topic:0" \
  --to-offset $((t - 1)) --execute >"$WORK/kcg.out" 2>&1 ||
  fail "kafka-consumer-groups --reset-offsets failed: $(tail -n 3 "$WORK/kcg.out")"
expect_exit 1 ck-verify <"$WORK/claimed.ndjson"
expect_eq "a claim agreeing with a wrong commit" "$(cat "$WORK/err")" \
  "$where $claim: behind: would re-read 1 message (committed target offset $((t - 1)), expected $t from source offset 140; ck-copy claimed $((t - 1)))"
commit_retry -b "$DST" -g "$claim" -t "$topic" -p 0 -o "$t"

# The source group moved on after the plan (consumers still reading the source).
commit_retry -b "$SRC" -g "$stale" -t "$topic" -p 0 -o 165
expect_exit 1 ck-verify --prometheus "$WORK/ck.prom" <"$WORK/copied.ndjson"
expect_eq "stale" "$(cat "$WORK/err")" \
  "$where $stale: stale: its committed source offset moved from 160 to 165 since the plan (5 messages)"
gauge() { grep -F "$1{group=\"$2\",topic=\"$topic\",partition=\"0\"} " "$WORK/ck.prom" | awk '{print $NF}'; }
expect_eq "stale gauge" "$(gauge ck_verify_group_stale "$stale")" 1
expect_eq "ok gauge of the stale group" "$(gauge ck_verify_group_ok "$stale")" 0
expect_eq "ok gauge of a clean group" "$(gauge ck_verify_group_ok "$ok")" 1
commit_retry -b "$SRC" -g "$stale" -t "$topic" -p 0 -o 160

# Everything at once, with the per-group gauges: each problem on its own line.
commit_retry -b "$DST" -g "$back" -t "$topic" -p 0 -o $(($(expected "$back") - 3))
commit_retry -b "$DST" -g "$fwd" -t "$topic" -p 0 -o $(($(expected "$fwd") + 2))
expect_exit 1 ck-verify --exact-groups --prometheus "$WORK/ck.prom" <"$WORK/copied.ndjson"
expect_eq "two problems" "$(count_lines "$WORK/err")" 2
expect_eq "delta behind" "$(gauge ck_verify_group_position_delta "$back")" -3
expect_eq "delta ahead" "$(gauge ck_verify_group_position_delta "$fwd")" 2
expect_eq "delta in place" "$(gauge ck_verify_group_position_delta "$ok")" 0
# Restored: clean again.
commit_retry -b "$DST" -g "$back" -t "$topic" -p 0 -o "$(expected "$back")"
commit_retry -b "$DST" -g "$fwd" -t "$topic" -p 0 -o "$(expected "$fwd")"
expect_exit 0 ck-verify --exact-groups <"$WORK/copied.ndjson"
expect_eq "clean again" "$(cat "$WORK/err")" ""
pass
