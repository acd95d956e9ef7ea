# Sourced by every end-to-end test (tests/e2e/test_*.sh). The runner (tests/run-all.sh)
# exports CK_SOURCE_BROKERS, CK_TARGET_BROKERS, CK_BUILD (binaries) and CK_TEST_ID.
# A test is a bash script that exits 0 when every check held; `fail` ends it at once.
set -euo pipefail

: "${CK_BUILD:?run through tests/run-all.sh (make test / make e2e)}"
: "${CK_SOURCE_BROKERS:?}" "${CK_TARGET_BROKERS:?}"
export PATH="$CK_BUILD:$PATH"
CK_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
TEST_NAME=$(basename "${BASH_SOURCE[1]}" .sh)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ck-e2e.$TEST_NAME.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
SRC=$CK_SOURCE_BROKERS
DST=$CK_TARGET_BROKERS

# A topic or group name unique to this test run: name NAME -> NAME.<test>.<run id>
name() { echo "$1.$TEST_NAME.${CK_TEST_ID:-$$}"; }

fail() {
  echo "FAIL [$TEST_NAME]: $*" >&2
  exit 1
}

# expect_eq DESCRIPTION ACTUAL EXPECTED
expect_eq() {
  [[ "$2" == "$3" ]] || fail "$1: expected [$3], got [$2]"
}

# expect_contains DESCRIPTION HAYSTACK NEEDLE
expect_contains() {
  [[ "$2" == *"$3"* ]] || fail "$1: expected to contain [$3], got [$2]"
}

# expect_exit CODE CMD... : runs CMD (stdout to $WORK/out, stderr to $WORK/err) and checks its exit code.
expect_exit() {
  local want=$1 got=0
  shift
  "$@" >"$WORK/out" 2>"$WORK/err" || got=$?
  if [[ $got != "$want" ]]; then
    echo "--- stderr of: $*" >&2
    tail -n 20 "$WORK/err" >&2
    fail "exit code of [$*]: expected $want, got $got"
  fi
}

# Number of lines in a file (0 for a missing file).
count_lines() { [[ -f $1 ]] && wc -l <"$1" | tr -d ' ' || echo 0; }

# The same topic on both clusters: make_topics NAME PARTITIONS [config=value...]
make_topic() {
  local brokers=$1 topic=$2 partitions=$3
  shift 3
  local configs=()
  for c in "$@"; do configs+=(-c "$c"); done
  ck-testkit create -b "$brokers" -t "$topic" -p "$partitions" "${configs[@]}"
}

# Only the message fields that must survive a copy: partition, key, value, headers, timestamp.
fingerprint() { jq -c '{partition, key, key_b64, value, value_b64, headers, timestamp}' "$@"; }

pass() { echo "ok [$TEST_NAME]${1:+: $1}" >&2; }
