#!/usr/bin/env bash
# Secrets never reach output: with a distinctive password (a fresh SCRAM user made for this
# run) given in properties files and on the command line, nothing ck-plan, ck-copy or
# ck-verify print (--help, -v -v debug, --log-file, records, success and error paths,
# a bad password, a mistyped property) contains it.
source "$(dirname "$0")/lib.sh"

[[ -n ${CK_SOURCE_SASL_SSL_BROKERS:-} && -n ${CK_TEST_CA:-} ]] ||
  fail "no secured listeners: start the clusters with CK_SECURE=1 (tests/run-all.sh does)"

rand=$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
user=ck-sec-$rand
secret=S3cr3t-Pa55-$rand
wrong=S3cr3t-Pa55-wrong-$rand

# SCRAM users live in the cluster metadata: add this run's user to both clusters (in parallel,
# each is a JVM start).
add_user() {  # brokers
  bash "$CK_REPO/scripts/kafka-tool.sh" kafka.admin.ConfigCommand --bootstrap-server "$1" \
    --alter --entity-type users --entity-name "$user" \
    --add-config "SCRAM-SHA-512=[iterations=4096,password=$secret]" >"$WORK/user.$2.log" 2>&1
}
add_user "$SRC" src & p1=$!
add_user "$DST" dst & p2=$!
wait "$p1" || { cat "$WORK/user.src.log" >&2; fail "cannot add the SCRAM user to the source"; }
wait "$p2" || { cat "$WORK/user.dst.log" >&2; fail "cannot add the SCRAM user to the target"; }

props() {  # FILE PASSWORD
  cat >"$1" <<EOF
security.protocol=SASL_SSL
sasl.mechanisms=SCRAM-SHA-512
sasl.username=$user
sasl.password=$2
ssl.ca.location=$CK_TEST_CA
EOF
}
props "$WORK/good.properties" "$secret"
props "$WORK/bad.properties" "$wrong"
sb=$CK_SOURCE_SASL_SSL_BROKERS
tb=$CK_TARGET_SASL_SSL_BROKERS
kit=(-b "$sb" -F "$WORK/good.properties")

# Wait for the new credential to be usable (metadata propagation), then make data with it.
topic=$(name secrets)
group=$(name g-secrets)
for _ in $(seq 1 20); do
  ck-testkit create "${kit[@]}" -t "$topic" -p 1 -c retention.ms=-1 2>/dev/null && break
  sleep 0.5
done
ck-testkit gen "${kit[@]}" -t "$topic" -p 0 -n 10 || fail "produce as $user"
ck-testkit commit "${kit[@]}" -g "$group" -t "$topic" -p 0 -o 3 || fail "commit as $user"

out=$WORK/out.d
mkdir -p "$out"
n=0
# run NAME TOOL ARGS... : stdin from $WORK/stdin; stdout, stderr and the exit code kept.
run() {
  local label=$1 rc=0
  shift
  n=$((n + 1))
  "$@" >"$out/$n.$label.stdout" 2>"$out/$n.$label.stderr" <"$WORK/stdin" || rc=$?
  echo "$rc" >"$out/$n.$label.rc"
}
cli_secret=(--source-set "sasl.password=$secret")

# Help, a mistyped property name and an override without '=' (usage and config errors).
misc_runs() {
  local tool=$1
  run "$tool-help" "$tool" --help -X "sasl.password=$secret"
  run "$tool-bad-override" "$tool" -s "$sb" -t "$tb" -X "sasl.pasword=$secret" --timeout 5
  run "$tool-no-equals" "$tool" -s "$sb" -t "$tb" -X "sasl.password:$secret" --timeout 5
}

: >"$WORK/stdin"
run plan-ok ck-plan -v -v --log-file "$out/plan-ok.log" -s "$sb" --source-config "$WORK/good.properties" \
  "${cli_secret[@]}" --source-set debug=security,conf --timeout 20
jq -c --arg t "$topic" 'select(.topic == $t)' "$out/$n.plan-ok.stdout" >"$WORK/plan.ndjson"
expect_eq "plan records for the topic" "$(count_lines "$WORK/plan.ndjson")" 1

cp "$WORK/plan.ndjson" "$WORK/stdin"
run copy-ok ck-copy -v -v --log-file "$out/copy-ok.log" -s "$sb" -t "$tb" \
  --source-config "$WORK/good.properties" --target-config "$WORK/good.properties" \
  "${cli_secret[@]}" --target-set "sasl.password=$secret" --create-topics --timeout 20
cp "$out/$n.copy-ok.stdout" "$WORK/copied.ndjson"

cp "$WORK/copied.ndjson" "$WORK/stdin"
run verify-ok ck-verify -v -v --log-file "$out/verify-ok.log" -s "$sb" -t "$tb" \
  --source-config "$WORK/good.properties" --target-config "$WORK/good.properties" --content --timeout 20

# Each tool gets input it must act on, so the clients are really created.
: >"$WORK/stdin"
misc_runs ck-plan
cp "$WORK/plan.ndjson" "$WORK/stdin"
misc_runs ck-copy
cp "$WORK/copied.ndjson" "$WORK/stdin"
misc_runs ck-verify

# Error paths with the wrong (equally distinctive) password.
: >"$WORK/stdin"
run plan-bad ck-plan -v -v --log-file "$out/plan-bad.log" -s "$sb" --source-config "$WORK/bad.properties" --timeout 10
cp "$WORK/plan.ndjson" "$WORK/stdin"
run copy-bad ck-copy -v -v --log-file "$out/copy-bad.log" -s "$sb" -t "$tb" \
  --source-config "$WORK/good.properties" --target-config "$WORK/good.properties" \
  --target-set "sasl.password=$wrong" --create-topics --timeout 10
cp "$WORK/copied.ndjson" "$WORK/stdin"
run verify-bad ck-verify -v -v --log-file "$out/verify-bad.log" -s "$sb" -t "$tb" \
  --source-config "$WORK/bad.properties" --target-config "$WORK/good.properties" --content --timeout 10

# The runs above must have done what they claim, or the grep below proves nothing.
expect_eq "ck-plan with the right password" "$(cat "$out"/*.plan-ok.rc)" 0
expect_eq "ck-copy with the right password" "$(cat "$out"/*.copy-ok.rc)" 0
expect_eq "ck-verify with the right password" "$(cat "$out"/*.verify-ok.rc)" 0
for f in "$out"/*-bad.rc "$out"/*-bad-override.rc "$out"/*-no-equals.rc; do
  [[ $(cat "$f") != 0 ]] || fail "$(basename "$f" .rc) succeeded"
done
expect_eq "copied messages" "$(jq -s 'map(.copied) | add' "$WORK/copied.ndjson")" 7
[[ -s $out/plan-ok.log && -s $out/copy-ok.log ]] || fail "--log-file wrote nothing"

# Every byte printed, logged or recorded: neither password may appear.
if grep -rlF -e "$secret" -e "$wrong" "$out" >&2; then
  grep -rnoF -e "$secret" -e "$wrong" "$out" | cut -c1-200 >&2
  fail "a password appears in the tools' output (files above)"
fi
pass "$(find "$out" -type f | wc -l) files checked"
