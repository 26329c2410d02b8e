# lib.sh: the end-to-end test library every tests/t/tNNNN-*.sh sources.
#
# Each script runs in its own scratch folder tests/trash/<script>/, which is
# removed when every test of the script passed and kept otherwise.  Tests
# print TAP lines; tests/run.sh adds them up.
#
#   test_expect_success DESC BODY   BODY (shell code) must succeed
#   test_expect_failure DESC BODY   a known bug: reported, not counted
#   test_must_fail CMD...           CMD must fail without crashing
#   test_expect_code N CMD...       CMD must exit with N
#   test_skip DESC WHY              a test that cannot run here (TAP SKIP)
#   test_cmp EXPECTED ACTUAL        files must be equal (diff -u on failure)
#   muster ARGS...                  the binary under test ($MUSTER)
#   test_done                       ends the script

set -u
export LC_ALL=C LANG=C TZ=UTC
unset MUSTER_DIR NO_COLOR CLICOLOR_FORCE FORCE_COLOR MUSTER_JOBS
: "${MUSTER:?run the tests through make check}"
TEST_NAME=$(basename "$0" .sh)
TEST_DIR=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$TEST_DIR/../.." && pwd)
DATA=$TOP/tests/data
HELPERS=$TOP/tests/helpers
TRASH=$TOP/tests/trash/$TEST_NAME
test_count=0
test_failed=0

rm -rf "$TRASH" && mkdir -p "$TRASH" && cd "$TRASH" || exit 1
HOME=$TRASH
export HOME

muster() {
	if test -n "${VALGRIND:-}"; then
		valgrind -q --error-exitcode=126 --leak-check=full \
			--errors-for-leak-kinds=definite --trace-children=no \
			"$MUSTER" "$@"
	else
		"$MUSTER" "$@"
	fi
}

say_fail() {
	sed 's/^/# /' "$TRASH/.last-output"
}

test_run_() {
	(
		cd "$TRASH" || exit 1
		eval "$1"
	) >"$TRASH/.last-output" 2>&1 </dev/null
}

test_expect_success() {
	test_count=$((test_count + 1))
	if test_run_ "$2"; then
		echo "ok $test_count - $TEST_NAME: $1"
	else
		test_failed=$((test_failed + 1))
		echo "not ok $test_count - $TEST_NAME: $1"
		say_fail
		printf '%s\n' "$2" | sed 's/^/#   /'
	fi
}

test_expect_failure() {
	test_count=$((test_count + 1))
	if test_run_ "$2"; then
		echo "ok $test_count - $TEST_NAME: $1 # TODO known breakage vanished"
	else
		echo "not ok $test_count - $TEST_NAME: $1 # TODO known breakage"
	fi
}

test_must_fail() {
	"$@"
	code=$?
	if test $code -eq 0; then
		echo "test_must_fail: '$*' succeeded" >&2
		return 1
	elif test $code -gt 128 || test $code -eq 126 || test $code -eq 127
	then
		echo "test_must_fail: '$*' died with code $code" >&2
		return 1
	fi
	return 0
}

test_expect_code() {
	want=$1
	shift
	"$@"
	code=$?
	if test $code -ne "$want"; then
		echo "test_expect_code: '$*' exited $code, wanted $want" >&2
		return 1
	fi
	return 0
}

test_skip() {
	test_count=$((test_count + 1))
	echo "ok $test_count - $TEST_NAME: $1 # SKIP $2"
}

test_cmp() {
	diff -u "$1" "$2" >&2
}

# Writes a project folder .muster/ under the current directory.
test_project() {
	mkdir -p .muster/workflows .muster/tools .muster/serviceclasses
}

test_done() {
	if test $test_failed -eq 0; then
		cd "$TOP" && rm -rf "$TRASH"
		exit 0
	fi
	echo "# $TEST_NAME: $test_failed of $test_count failed;" \
		"scratch kept in $TRASH"
	exit 1
}

# test_line_count OP N FILE: the number of lines of FILE compares to N.
test_line_count() {
	n=$(wc -l <"$3")
	if ! test "$n" "$1" "$2"; then
		echo "test_line_count: $3 has $n lines, not $1 $2:" >&2
		cat "$3" >&2
		return 1
	fi
}

# start_bg ARGS...: starts muster in the background with stderr to ./err
# and SIGINT at its default (a script's background jobs start with it
# ignored); its pid is $bg_pid.  Use it as a command of its own, not at
# the end of an && chain (which `&` would send to the background whole).
start_bg() {
	env --default-signal=INT "$MUSTER" "$@" 2>err &
	bg_pid=$!
}

# stop_bg SIG SECS: sends SIG to it after SECS; its exit code goes to ./rc.
stop_bg() {
	sleep "$2"
	kill -"$1" $bg_pid
	wait $bg_pid
	echo $? >rc
}

# The execution id muster printed in ./err.
bg_id() {
	# -q prints no id: then it is the execution whose lock has its pid.
	sed -n "s/^muster: execution //p" err | grep . ||
		for l in .muster/state/executions/*/lock; do
			test "$(cat "$l" 2>/dev/null)" = "$bg_pid" &&
				basename "$(dirname "$l")"
		done | head -n 1
}
