#!/usr/bin/env bash
# Runs the whole suite: the broker-less tier (tests/cli/test_*.sh: --help, usage errors,
# exit codes, set-up; all at once), the Catch2 unit tests and a short fuzz pass, while two
# real local Kafka clusters start; then every tests/e2e/test_*.sh against them, one at a
# time; then one pair of the version matrix (tests/compat/run.sh; CK_COMPAT_PAIR, default
# 2.8.2:4.4.0) on clusters of its own. Prints PASS/FAIL and seconds per test, and ends with
# "N passed, N failed".
# Logs: one directory per run (CK_LOG_DIR, default a fresh /tmp/ck-tests.XXXXXX), a
# TIER-TEST.log per test; removed when everything passed (unless CK_KEEP_LOGS=1), kept and
# named otherwise.
set -euo pipefail
usage() { echo "usage: tests/run-all.sh [--cli-only | --unit-only | --e2e-only] [--only \"PATTERN...\"]" >&2; }
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
run_cli=true run_unit=true run_e2e=true only=""
while (($#)); do
  case $1 in
    --cli-only) run_unit=false run_e2e=false ;;
    --e2e-only) run_cli=false run_unit=false ;;
    --unit-only) run_cli=false run_e2e=false ;;
    --only) only=$2; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage; exit 2 ;;
  esac
  shift
done
export CK_BUILD=${CK_BUILD:-$repo/build}
logs=${CK_LOG_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/ck-tests.XXXXXX")}
mkdir -p "$logs"
passed=0 failed=0 failures=()

# --only "PATTERN...": the tests whose path contains any of the words.
selected() {
  local word
  [[ -z $only ]] && return 0
  for word in $only; do [[ $1 == *"$word"* ]] && return 0; done
  return 1
}
log_of() { echo "$logs/$(basename "$(dirname "$1")")-$(basename "$1" .sh).log"; }

# run_one TEST: the test script with its deadline; its exit status and seconds go to
# LOG.status beside its log.
run_one() {
  local log start=$SECONDS rc=0
  log=$(log_of "$1")
  timeout --kill-after=10 "${CK_TEST_TIMEOUT:-600}" bash "$1" >"$log" 2>&1 || rc=$?
  echo "$rc $((SECONDS - start))" >"$log.status"
}

# report TEST: its PASS or FAIL line (with the end of its log on failure), counted.
report() {
  local log rc secs
  log=$(log_of "$1")
  read -r rc secs <"$log.status"
  if ((rc == 0)); then
    passed=$((passed + 1))
    echo "PASS $(basename "$1") (${secs}s)" >&2
  else
    failed=$((failed + 1))
    failures+=("$(basename "$1") (log $log)")
    echo "FAIL $(basename "$1") (${secs}s, exit $rc; log $log):" >&2
    tail -n 30 "$log" | sed 's/^/    /' >&2
  fi
}

# run_scripts TEST...: each selected test in turn.
run_scripts() {
  local t
  for t in "$@"; do
    selected "$t" || continue
    run_one "$t"
    report "$t"
  done
}

# run_scripts_together TEST...: the selected tests at once (broker-less tests spend their
# time waiting on timeouts), reported in order once all have ended; then, one at a time,
# those marked "# run-all: alone" (they measure time, which others running beside them
# would skew).
run_scripts_together() {
  local t pids=() ran=() alone=()
  for t in "$@"; do
    selected "$t" || continue
    if grep -qx '# run-all: alone' "$t"; then alone+=("$t"); continue; fi
    run_one "$t" & pids+=($!)
    ran+=("$t")
  done
  wait "${pids[@]+"${pids[@]}"}" || true
  for t in "${ran[@]+"${ran[@]}"}"; do report "$t"; done
  run_scripts "${alone[@]+"${alone[@]}"}"
}

cleanup() {
  if $run_e2e; then bash scripts/clusters.sh stop >/dev/null 2>&1 || true; fi
  if ((failed == 0)) && [[ -z ${CK_KEEP_LOGS:-} && -z ${CK_LOG_DIR:-} ]]; then
    rm -rf "$logs"
  else
    echo "logs of this run: $logs" >&2
  fi
}
trap cleanup EXIT

if $run_e2e; then
  export CK_RUN_DIR=${CK_RUN_DIR:-$repo/.run}
  # Secured listeners (SASL, SSL) next to PLAINTEXT, which stays every other test's default.
  export CK_SECURE=1
  # The suite's broker settings: the log cleaner looks for work every second rather than
  # every 15 s (the compaction tests wait for it: tests/e2e/lib.sh wait_compacted); the
  # transaction state topic, made at the first transactional producer, gets 3 partitions
  # rather than 50 (making 50 on a loaded machine kept the coordinator answering "Not
  # coordinator" past a test's 10 s --timeout when that test ran first).
  export CK_BROKER_EXTRA_PROPS="log.cleaner.backoff.ms=1000
transaction.state.log.num.partitions=3${CK_BROKER_EXTRA_PROPS:+
$CK_BROKER_EXTRA_PROPS}"
  bash scripts/clusters.sh stop >/dev/null 2>&1 || true
  # The clusters start while the broker-less tiers run; waited for before the first e2e test.
  bash scripts/clusters.sh start >"$logs/clusters-start.log" 2>&1 &
  clusters_starting=$!
fi

# First, as they need no broker and answer in seconds.
$run_cli && run_scripts_together tests/cli/test_*.sh

if $run_unit; then
  log=$logs/unit-tests.log
  if "$CK_BUILD/unit-tests" -r compact >"$log" 2>&1; then :; fi
  # Catch2's compact reporter ends with "Passed all N test cases ..." or "Failed X test cases ...".
  cases=$("$CK_BUILD/unit-tests" --list-test-names-only 2>/dev/null | grep -c . || true)
  if grep -q "^Passed all" "$log"; then
    passed=$((passed + cases))
  else
    cat "$log" >&2
    nfail=$(grep -oE 'Failed [0-9]+ test case' "$log" | grep -oE '[0-9]+' || echo "$cases")
    failed=$((failed + nfail)); passed=$((passed + cases - nfail))
    failures+=("unit tests (log $log)")
  fi
  echo "unit: $(grep -E '^(Passed|Failed)' "$log" | tail -n 1)" >&2
fi

if $run_unit && [[ -x $CK_BUILD/fuzz/fuzz_records ]]; then
  # A short fuzz pass per target (make fuzz runs the long one).
  while read -r line; do
    echo "$line" >&2
    if [[ $line == *": ok,"* ]]; then
      passed=$((passed + 1))
    else
      failed=$((failed + 1)) failures+=("$line (log $logs/fuzz.log)")
    fi
  done < <(bash tests/fuzz/run.sh "$CK_BUILD/fuzz" "${CK_FUZZ_SECONDS:-15}" 2>"$logs/fuzz.log" | grep '^fuzz_' || true)
fi

if $run_e2e; then
  start=$SECONDS
  if ! wait "$clusters_starting"; then
    tail -n 30 "$logs/clusters-start.log" >&2
    failed=$((failed + 1)) failures+=("cluster start-up (log $logs/clusters-start.log)")
    for f in "${failures[@]}"; do echo "failed: $f" >&2; done
    echo "$passed passed, $failed failed"
    exit 1
  fi
  echo "clusters ready (waited $((SECONDS - start))s more)" >&2
  # Every line is NAME=VALUE: brokers per listener, test CA and credentials.
  cluster_env=$(bash scripts/clusters.sh env)
  eval "$cluster_env"
  export CK_SOURCE_BROKERS CK_TARGET_BROKERS
  while IFS='=' read -r var _; do export "${var?}"; done <<<"$cluster_env"
  export CK_TEST_ID=$(date +%s)
  run_scripts tests/e2e/test_*.sh
  # One old-to-new pair of the version matrix (make test-compat runs all of it) on clusters
  # of its own versions, after the suite's clusters (same ports) have stopped.
  # shellcheck source=../scripts/kafka/versions.sh
  source scripts/kafka/versions.sh
  if selected tests/compat/run.sh; then
    bash scripts/clusters.sh stop >/dev/null 2>&1 || true
    CK_COMPAT_PAIRS=${CK_COMPAT_PAIR:-$CK_SUITE_COMPAT_PAIR} run_scripts tests/compat/run.sh
  fi
fi

for f in "${failures[@]+"${failures[@]}"}"; do echo "failed: $f" >&2; done
echo "$passed passed, $failed failed"
((failed == 0))
