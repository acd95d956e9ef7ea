# Sourced by every test of the broker-less tier (tests/cli/test_*.sh), and by tests/e2e/lib.sh
# for the same helpers. The runner (tests/run-all.sh) exports CK_BUILD (the binaries).
# A test is a bash script that exits 0 when every check held; `fail` ends it at once.
set -euo pipefail

: "${CK_BUILD:?run through tests/run-all.sh (make cli / make test / make e2e)}"
export PATH="$CK_BUILD:$PATH"
CK_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# The test script itself: the outermost file being sourced.
TEST_NAME=$(basename "${BASH_SOURCE[-1]}" .sh)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ck-test.$TEST_NAME.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
readonly TOOLS=(ck-plan ck-copy ck-verify)

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

pass() { echo "ok [$TEST_NAME]${1:+: $1}" >&2; }

# A loopback port nobody listens on (connecting is refused): an unreachable cluster.
unused_port() {
  local port
  for _ in $(seq 100); do
    port=$((20000 + RANDOM % 30000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return 0; }
  done
  fail "no unused loopback port found"
}

# cluster_args TOOL BROKERS: the tool's cluster options (-s, and -t where it has one),
# all naming BROKERS.
cluster_args() {
  case $1 in
    ck-plan) echo "-s $2" ;;
    *) echo "-s $2 -t $2" ;;
  esac
}
