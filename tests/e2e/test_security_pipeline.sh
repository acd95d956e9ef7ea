#!/usr/bin/env bash
# The whole pipeline over every secured listener: ck-plan | ck-copy --create-topics |
# ck-verify --content with credentials from librdkafka properties files, for SASL_PLAINTEXT
# (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512), SSL and SASL_SSL (SCRAM-SHA-512). The target must
# then hold exactly the unconsumed messages, byte for byte.
source "$(dirname "$0")/lib.sh"

[[ -n ${CK_SOURCE_SASL_BROKERS:-} && -n ${CK_TEST_CA:-} ]] ||
  fail "no secured listeners: start the clusters with CK_SECURE=1 (tests/run-all.sh does)"

# write_props FILE PROTOCOL [MECHANISM]: client settings for one secured listener.
write_props() {
  {
    echo "security.protocol=$2"
    if [[ -n ${3:-} ]]; then
      echo "sasl.mechanisms=$3"
      echo "sasl.username=$CK_TEST_USER"
      echo "sasl.password=$CK_TEST_PASSWORD"
    fi
    [[ $2 == *SSL ]] && echo "ssl.ca.location=$CK_TEST_CA"
    true
  } >"$1"
}

# run_mode LABEL PROTOCOL MECHANISM SOURCE_BROKERS TARGET_BROKERS
run_mode() {
  local label=$1 proto=$2 mech=$3 sb=$4 tb=$5 topic group d=$WORK/$1
  mkdir -p "$d"
  write_props "$d/src.properties" "$proto" "$mech"
  write_props "$d/dst.properties" "$proto" "$mech"
  topic=$(name "sec-$label")
  group=$(name "g-$label")
  local src=(-b "$sb" -F "$d/src.properties") dst=(-b "$tb" -F "$d/dst.properties")

  # Source data and a consumer position, all made through the secured listener itself.
  # retention.ms=-1: gen's timestamps are old, the broker's retention check would expire them
  # (ck-copy --create-topics carries the setting over to the target).
  ck-testkit create "${src[@]}" -t "$topic" -p 2 -c retention.ms=-1 || fail "$label: create over $proto"
  ck-testkit gen "${src[@]}" -t "$topic" -p 0 -n 20 --seed 11 || fail "$label: produce over $proto"
  ck-testkit gen "${src[@]}" -t "$topic" -p 1 -n 15 --seed 12 || fail "$label: produce over $proto"
  ck-testkit commit "${src[@]}" -g "$group" -t "$topic" -p 0 -o 5 || fail "$label: commit over $proto"
  ck-testkit commit "${src[@]}" -g "$group" -t "$topic" -p 1 -o 0 || fail "$label: commit over $proto"

  # The source may hold other tests' groups: keep this test's topic, as an operator would with jq.
  local st
  set +e
  ck-plan -s "$sb" --source-config "$d/src.properties" --timeout 30 2>"$d/plan.err" |
    jq -c --arg t "$topic" 'select(.topic == $t)' | tee "$d/plan.ndjson" |
    ck-copy -s "$sb" -t "$tb" --source-config "$d/src.properties" \
      --target-config "$d/dst.properties" --create-topics --timeout 30 2>"$d/copy.err" |
    tee "$d/copy.ndjson" |
    ck-verify -s "$sb" -t "$tb" --source-config "$d/src.properties" \
      --target-config "$d/dst.properties" --content --timeout 30 >"$d/verify.out" 2>"$d/verify.err"
  st=("${PIPESTATUS[@]}")
  set -e
  # Pipeline positions 0, 3 and 5 are the tools (jq and tee between them).
  local i stage=([0]=plan [3]=copy [5]=verify)
  for i in 0 3 5; do
    if [[ ${st[$i]} != 0 ]]; then
      tail -n 5 "$d/${stage[$i]}.err" >&2
      fail "$label: ck-${stage[$i]} exited ${st[$i]} over $proto${mech:+/$mech}"
    fi
  done
  expect_eq "$label: plan records" "$(jq -c '[.partition, .action, .start, .end]' "$d/plan.ndjson" | sort | tr -d '\n')" \
    '[0,"copy",5,20][1,"copy",0,15]'
  expect_eq "$label: copy results" "$(jq -c '[.partition, .status, .copied]' "$d/copy.ndjson" | sort | tr -d '\n')" \
    '[0,"copied",15][1,"copied",15]'

  # Exactly the unconsumed messages, read back through the secured target listener.
  ck-testkit dump "${src[@]}" -t "$topic" -p 0 --from 5 >"$d/src0"
  ck-testkit dump "${src[@]}" -t "$topic" -p 1 >"$d/src1"
  ck-testkit dump "${dst[@]}" -t "$topic" -p 0 >"$d/dst0"
  ck-testkit dump "${dst[@]}" -t "$topic" -p 1 >"$d/dst1"
  expect_eq "$label: target partition 0 count" "$(count_lines "$d/dst0")" 15
  expect_eq "$label: target partition 1 count" "$(count_lines "$d/dst1")" 15
  expect_eq "$label: target partitions" "$(ck-testkit offsets "${dst[@]}" -t "$topic" | wc -l | tr -d ' ')" 2
  diff <(fingerprint "$d/src0") <(fingerprint "$d/dst0") >&2 || fail "$label: partition 0 differs"
  diff <(fingerprint "$d/src1") <(fingerprint "$d/dst1") >&2 || fail "$label: partition 1 differs"

  # The password was in the properties files only: nothing the tools printed may hold it.
  if grep -lF -- "$CK_TEST_PASSWORD" "$d"/*.err "$d"/*.ndjson "$d/verify.out" >&2; then
    fail "$label: the password appears in the tools' output"
  fi
  echo "ok [$TEST_NAME]: $label" >&2
}

run_mode sasl-plain SASL_PLAINTEXT PLAIN "$CK_SOURCE_SASL_BROKERS" "$CK_TARGET_SASL_BROKERS"
run_mode sasl-scram256 SASL_PLAINTEXT SCRAM-SHA-256 "$CK_SOURCE_SASL_BROKERS" "$CK_TARGET_SASL_BROKERS"
run_mode sasl-scram512 SASL_PLAINTEXT SCRAM-SHA-512 "$CK_SOURCE_SASL_BROKERS" "$CK_TARGET_SASL_BROKERS"
run_mode ssl SSL "" "$CK_SOURCE_SSL_BROKERS" "$CK_TARGET_SSL_BROKERS"
run_mode sasl-ssl-scram512 SASL_SSL SCRAM-SHA-512 "$CK_SOURCE_SASL_SSL_BROKERS" "$CK_TARGET_SASL_SSL_BROKERS"
pass
