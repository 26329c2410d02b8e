#!/bin/sh
# run.sh SECONDS [NAME...]: runs each fuzz target (tests/fuzz/fuzz-NAME) for
# SECONDS on its committed corpus (tests/fuzz/corpus-NAME, seeded from
# tests/data) with its dictionary (tests/fuzz/NAME.dict).  New inputs go to
# tests/fuzz/work/NAME, crashes to tests/fuzz/work/crash-NAME-*.  Fails
# when any target crashes; prints each one's executions and corpus size.
set -u
cd "$(dirname "$0")"
secs=${1:?usage: run.sh SECONDS [NAME...]}
shift
test $# -gt 0 || set -- $(ls fuzz-*.c | sed 's/^fuzz-//; s/\.c$//')
failed=0
for t in "$@"; do
	mkdir -p "work/$t" "corpus-$t"
	dict=
	test -f "$t.dict" && dict="-dict=$t.dict"
	# shellcheck disable=SC2086
	./fuzz-"$t" -max_total_time="$secs" -max_len=65536 -timeout=20 \
		-rss_limit_mb=2048 -print_final_stats=1 -close_fd_mask=3 \
		-artifact_prefix="work/crash-$t-" $dict \
		"work/$t" "corpus-$t" >"work/$t.log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "work/$t.log")
	size=$(ls "work/$t" "corpus-$t" | grep -cv -e '^$' -e ':$')
	echo "fuzz-$t: ${execs:-?} executions in ${secs}s, corpus $size," \
		"exit $rc"
	if test $rc -ne 0; then
		failed=1
		grep -A30 '^==[0-9]*==ERROR\|runtime error\|deadly signal' \
			"work/$t.log" | head -40
	fi
done
exit $failed
