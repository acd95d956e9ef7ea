#!/usr/bin/env bash
# Every tool answers --help and --version; an unknown flag is a usage error (exit 2)
# with one line on stderr and nothing on stdout; every option of --help is in the man page,
# and no man page holds benchmark figures; make install puts binaries and man pages.
source "$(dirname "$0")/lib.sh"
# Never contacted: a configuration error stops a tool before any connection.
dead=127.0.0.1:$(unused_port)

for tool in "${TOOLS[@]}"; do
  expect_exit 0 "$tool" --version
  expect_eq "$tool --version" "$(cat "$WORK/out")" "$tool 0.1.0"
  expect_exit 0 "$tool" --help
  expect_contains "$tool --help" "$(cat "$WORK/out")" "Exit status:"
  expect_contains "$tool --help" "$(cat "$WORK/out")" "--timeout"
  expect_exit 2 "$tool" --no-such-flag
  expect_eq "$tool stdout on usage error" "$(cat "$WORK/out")" ""
  expect_eq "$tool stderr lines on usage error" "$(count_lines "$WORK/err")" 1
  expect_contains "$tool usage error names the tool" "$(cat "$WORK/err")" "$tool: error:"
  expect_contains "$tool usage error names the flag" "$(cat "$WORK/err")" "no-such-flag"
  # A bad -X override is a configuration error, and its secret value is not echoed.
  # shellcheck disable=SC2046
  expect_exit 2 "$tool" $(cluster_args "$tool" "$dead") -X sasl.password
  expect_eq "$tool bad override lines" "$(count_lines "$WORK/err")" 1
  expect_contains "$tool bad override" "$(cat "$WORK/err")" "expected KEY=VALUE"
done

# man and --help in step: every long option of --help is described in the man page.
for tool in "${TOOLS[@]}"; do
  page=$(sed 's/\\-/-/g' "$CK_REPO/man/$tool.1")
  for opt in $("$tool" --help | grep -oE '^ +(-[a-zA-Z], )?--[a-z-]+' | grep -oE -- '--[a-z-]+'); do
    grep -qe "$opt" <<<"$page" || fail "$tool: $opt is in --help but not in man/$tool.1"
  done
done
# Man pages say what an option does; measurements live in docs/performance.md.
if grep -nE 'empty polls|peak RSS is|[0-9] m?s instead of|[0-9] MiB at' "$CK_REPO"/man/*; then
  fail "measurements in a man page (move them to docs/performance.md)"
fi
grep -q '(docs/performance.md)' "$CK_REPO/README.md" || fail "README does not link docs/performance.md"

# make install PREFIX=... DESTDIR=... puts the binaries and man pages in place.
make -s -C "$CK_REPO" BUILD="$CK_BUILD" install PREFIX=/usr DESTDIR="$WORK/root" >/dev/null
for tool in "${TOOLS[@]}"; do
  [[ -x $WORK/root/usr/bin/$tool ]] || fail "make install did not install $tool"
  "$WORK/root/usr/bin/$tool" --version >/dev/null || fail "installed $tool does not run"
done
for page in "$CK_REPO"/man/*.[15]; do
  section=${page##*.}
  [[ -f $WORK/root/usr/share/man/man$section/$(basename "$page") ]] \
    || fail "make install did not install $(basename "$page")"
done
[[ -f $WORK/root/usr/share/man/man5/ck-records.5 ]] || fail "ck-records.5 not installed"
pass
