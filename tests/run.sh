#!/bin/sh
# run.sh: runs the unit suites and every end-to-end script, two at a time,
# and ends with the line "N passed, N failed".
: "${MUSTER:?run the tests through make check}"
TOP=$(cd "$(dirname "$0")/.." && pwd)
OUT=$TOP/tests/trash/.out
JOBS=${TEST_JOBS:-2}
export MUSTER
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:abort_on_error=1:print_stacktrace=1}
rm -rf "$OUT" && mkdir -p "$OUT" || exit 1

set -- unit
for t in "$TOP"/tests/t/t[0-9]*.sh; do
	set -- "$@" "$(basename "$t" .sh)"
done

run_one() {
	if test "$1" = unit; then
		"$TOP/tests/unit/runner"
	else
		sh "$TOP/tests/t/$1.sh"
	fi >"$OUT/$1" 2>&1
	echo $? >"$OUT/$1.rc"
}

running=0
for t in "$@"; do
	run_one "$t" &
	running=$((running + 1))
	if test $running -ge "$JOBS"; then
		wait
		running=0
	fi
done
wait

pass=0
fail=0
skip=0
for t in "$@"; do
	p=$(grep -c '^ok ' "$OUT/$t")
	s=$(grep -c '^ok .*# SKIP' "$OUT/$t")
	p=$((p - s))
	f=$(grep -c '^not ok ' "$OUT/$t" | tr -d ' ')
	k=$(grep -c '^not ok .*# TODO' "$OUT/$t")
	f=$((f - k))
	rc=$(cat "$OUT/$t.rc")
	if test "$f" -gt 0 || test "$rc" -ne 0; then
		grep -v '^ok ' "$OUT/$t"
		test "$f" -eq 0 && f=1 && echo "$t: exited $rc"
	fi
	printf '%-40s %4d passed %4d failed' "$t" "$p" "$f"
	test "$s" -gt 0 && printf ' %4d skipped' "$s"
	echo
	grep '^ok .*# SKIP' "$OUT/$t" | sed 's/^ok [0-9]* - /    skipped: /'
	skip=$((skip + s))
	pass=$((pass + p))
	fail=$((fail + f))
done
test "$skip" -gt 0 && echo "$skip skipped: a tool they need is missing"
echo "$pass passed, $fail failed"
test "$fail" -eq 0
