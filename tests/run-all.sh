#!/usr/bin/env bash
# Runs the whole suite: first the broker-less tier (tests/cli/test_*.sh: --help, usage
# errors, exit codes, set-up), then the Catch2 unit tests, then every tests/e2e/test_*.sh
# against two real local Kafka clusters started (and stopped) here, then one pair of the Kafka
# version matrix (tests/compat/run.sh; CK_COMPAT_PAIR, default 2.8.2:4.4.0).
# Ends with "N passed, N failed".
set -euo pipefail
usage() { echo "usage: tests/run-all.sh [--cli-only | --unit-only | --e2e-only] [--only PATTERN]" >&2; }
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
passed=0 failed=0 failures=()

# run_scripts TEST...: each test script in turn, with a deadline; its log in /tmp.
run_scripts() {
  local t start log
  for t in "$@"; do
    [[ -z $only || $t == *$only* ]] || continue
    start=$(date +%s) log=/tmp/ck-$(basename "$(dirname "$t")")-$(basename "$t").log
    if timeout --kill-after=10 "${CK_TEST_TIMEOUT:-600}" bash "$t" >"$log" 2>&1; then
      passed=$((passed + 1))
      echo "PASS $(basename "$t") ($(( $(date +%s) - start ))s)" >&2
    else
      failed=$((failed + 1))
      failures+=("$(basename "$t")")
      echo "FAIL $(basename "$t") ($(( $(date +%s) - start ))s):" >&2
      tail -n 30 "$log" | sed 's/^/    /' >&2
    fi
  done
}

# First, as it needs no broker and answers in seconds.
$run_cli && run_scripts tests/cli/test_*.sh

if $run_unit; then
  log=$(mktemp)
  if "$CK_BUILD/unit-tests" -r compact >"$log" 2>&1; then :; fi
  # Catch2's compact reporter ends with "Passed all N test cases ..." or "Failed X test cases ...".
  cases=$("$CK_BUILD/unit-tests" --list-test-names-only 2>/dev/null | grep -c . || true)
  if grep -q "^Passed all" "$log"; then
    passed=$((passed + cases))
  else
    cat "$log" >&2
    nfail=$(grep -oE 'Failed [0-9]+ test case' "$log" | grep -oE '[0-9]+' || echo "$cases")
    failed=$((failed + nfail)); passed=$((passed + cases - nfail))
    failures+=("unit tests")
  fi
  echo "unit: $(grep -E '^(Passed|Failed)' "$log" | tail -n 1)" >&2
  rm -f "$log"
fi

if $run_unit && [[ -x $CK_BUILD/fuzz/fuzz_records ]]; then
  # A short fuzz pass per target (make fuzz runs the long one).
  while read -r line; do
    echo "$line" >&2
    if [[ $line == *": ok,"* ]]; then passed=$((passed + 1)); else failed=$((failed + 1)); failures+=("$line"); fi
  done < <(bash tests/fuzz/run.sh "$CK_BUILD/fuzz" "${CK_FUZZ_SECONDS:-15}" 2>&1 | grep '^fuzz_' || true)
fi

if $run_e2e; then
  export CK_RUN_DIR=${CK_RUN_DIR:-$repo/.run}
  trap 'bash scripts/clusters.sh stop >/dev/null 2>&1 || true' EXIT
  # Secured listeners (SASL, SSL) next to PLAINTEXT, which stays every other test's default.
  export CK_SECURE=1
  bash scripts/clusters.sh stop >/dev/null 2>&1 || true
  bash scripts/clusters.sh start
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
  if [[ -z $only || tests/compat/run.sh == *$only* ]]; then
    bash scripts/clusters.sh stop >/dev/null 2>&1 || true
    CK_COMPAT_PAIRS=${CK_COMPAT_PAIR:-$CK_SUITE_COMPAT_PAIR} run_scripts tests/compat/run.sh
  fi
fi

for f in "${failures[@]+"${failures[@]}"}"; do echo "failed: $f" >&2; done
echo "$passed passed, $failed failed"
((failed == 0))
