#!/usr/bin/env bash
# Bad credentials are a runtime error, reported at once: a wrong SASL password and a broker
# certificate from an untrusted CA make ck-plan, ck-copy (either side) and ck-verify exit 3
# with one clear error line, well within the --timeout 10 deadline.
source "$(dirname "$0")/lib.sh"

[[ -n ${CK_SOURCE_SASL_BROKERS:-} && -n ${CK_TEST_UNTRUSTED_CA:-} ]] ||
  fail "no secured listeners: start the clusters with CK_SECURE=1 (tests/run-all.sh does)"

# A real topic with a backlog, so each tool has genuine work that needs the cluster.
topic=$(name auth)
make_topic "$SRC" "$topic" 1 retention.ms=-1
ck-testkit gen -b "$SRC" -t "$topic" -p 0 -n 5 2>/dev/null
cat >"$WORK/plan.ndjson" <<EOF
{"v":1,"type":"plan","topic":"$topic","partition":0,"partitions":1,"action":"copy","start":0,"end":5,"groups":{},"groups_without_commit":[]}
EOF
cat >"$WORK/copied.ndjson" <<EOF
{"v":1,"type":"copy","topic":"$topic","partition":0,"partitions":1,"action":"copy","start":0,"end":5,"groups":{},"groups_without_commit":[],"status":"copied","copied":5,"target_start":0,"target_end":5}
EOF

cat >"$WORK/bad-password.properties" <<EOF
security.protocol=SASL_PLAINTEXT
sasl.mechanisms=SCRAM-SHA-256
sasl.username=$CK_TEST_USER
sasl.password=wrong-$CK_TEST_PASSWORD
EOF
cat >"$WORK/untrusted.properties" <<EOF
security.protocol=SSL
ssl.ca.location=$CK_TEST_UNTRUSTED_CA
EOF

# expect_auth_failure LABEL TOOL ARGS... (stdin from $WORK/stdin): exit 3, one error line
# naming the tool and the cause, within the deadline.
expect_auth_failure() {
  local label=$1 tool=$2 begin elapsed errors
  shift 2
  begin=$(date +%s)
  expect_exit 3 "$tool" "$@" --timeout 10 <"$WORK/stdin"
  elapsed=$(($(date +%s) - begin))
  # A deadline check (the tool must give up by itself), not a speed assertion.
  ((elapsed < 20)) || fail "$label: $tool took ${elapsed}s with --timeout 10"
  errors=$(grep -E "^$tool: (error|fatal)" "$WORK/err" || true)
  [[ -n $errors ]] || { cat "$WORK/err" >&2; fail "$label: $tool printed no error line"; }
  expect_eq "$label: $tool error lines" "$(grep -c . <<<"$errors")" 1
  grep -qiE 'auth|credential|sasl|password|certificate|ssl|handshake|verif' <<<"$errors" ||
    fail "$label: $tool error does not say why: $errors"
  # stdout carries records only (a failed-partition record is fine), never error text.
  if [[ -s $WORK/out ]] && ! jq -e 'type == "object"' "$WORK/out" >/dev/null 2>&1; then
    fail "$label: $tool wrote something other than records on stdout"
  fi
  echo "ok [$TEST_NAME]: $label: $tool exit 3 in ${elapsed}s: $errors" >&2
}

run_case() {  # LABEL PROPERTIES SOURCE_SECURED TARGET_SECURED
  local label=$1 props=$2 ssrc=$3 sdst=$4
  : >"$WORK/stdin"
  expect_auth_failure "$label" ck-plan -s "$ssrc" --source-config "$props"
  cp "$WORK/plan.ndjson" "$WORK/stdin"
  expect_auth_failure "$label (source)" ck-copy -s "$ssrc" -t "$DST" --source-config "$props" --create-topics
  expect_auth_failure "$label (target)" ck-copy -s "$SRC" -t "$sdst" --target-config "$props" --create-topics
  cp "$WORK/copied.ndjson" "$WORK/stdin"
  expect_auth_failure "$label (source)" ck-verify -s "$ssrc" -t "$DST" --source-config "$props" --content
  expect_auth_failure "$label (target)" ck-verify -s "$SRC" -t "$sdst" --target-config "$props" --content
}

run_case "wrong SASL password" "$WORK/bad-password.properties" "$CK_SOURCE_SASL_BROKERS" "$CK_TARGET_SASL_BROKERS"
run_case "untrusted certificate" "$WORK/untrusted.properties" "$CK_SOURCE_SSL_BROKERS" "$CK_TARGET_SSL_BROKERS"
pass
