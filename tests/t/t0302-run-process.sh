#!/bin/sh
# t0302-run-process.sh: processes: the -j bound, environment, descriptors,
# working folders, and signals (forwarded, nothing left behind).
. "$(dirname "$0")/lib.sh"

use() {
	rm -rf .muster ledger && mkdir -p .muster/workflows &&
	cp "$DATA/run/$1.yaml" .muster/workflows/
}

# The most steps that ran at once, from the "s"/"e" ledger.
max_at_once() {
	python3 -c "
ev = sorted((int(t), 1 if k == \"s\" else -1) for k, t in (l.split() for l in open(\"ledger\")))
n = m = 0
for _, d in ev:
    n += d; m = max(m, n)
print(m)"
}

test_expect_success '-j 3: never more than three at once, and three reached' '
	use wide &&
	muster -q run wide -j 3 &&
	test "$(max_at_once)" = 3
'

test_expect_success '-j 1 runs one at a time; -j 0 runs all at once' '
	use wide &&
	muster -q run wide -j 1 &&
	test "$(max_at_once)" = 1 &&
	rm ledger &&
	muster -q run wide -j 0 &&
	test "$(max_at_once)" = 8
'

test_expect_success 'spec.maxParallel caps -j' '
	use capped &&
	muster -q run capped -j 6 &&
	test "$(max_at_once)" = 2
'

test_expect_success 'each process: MUSTER_* variables, stdin /dev/null, fds 0-2 only' '
	use env &&
	mkdir -p sub &&
	muster -q run env </dev/zero 2>err &&
	printf "MUSTER_ATTEMPT\nMUSTER_EXECUTION_ID\nMUSTER_INPUT_WHO\nMUSTER_OUTPUT\nMUSTER_STEP\nMUSTER_WORKFLOW\n" >expect &&
	test_cmp expect vars &&
	echo "env show 1 world hi world" >expect &&
	test_cmp expect vals &&
	test ! -s stdin-got &&
	echo "[0, 1, 2, 3]" >expect &&
	test_cmp expect fds &&
	test "$(cat cwd)" = "$(pwd)" &&
	test "$(cat subdir)" = "$(pwd)/sub" &&
	echo "tool-arg 7 from tool-arg step" >expect &&
	test_cmp expect tool-env
'

# No process of execution $1 may be alive.
no_survivors() {
	for e in /proc/[0-9]*/environ; do
		tr "\0" "\n" <"$e" 2>/dev/null |
			grep -qx "MUSTER_EXECUTION_ID=$1" && { echo "alive: $e"; return 1; }
	done
	return 0
}

test_expect_success 'SIGINT: forwarded, stubborn steps killed, dies of SIGINT (130)' '
	use sleepy &&
	start_bg run sleepy &&
	stop_bg INT 1 && test "$(cat rc)" = 130 &&
	id=$(sed -n "s/^muster: execution //p" err) &&
	sleep 0.5 &&
	no_survivors $id &&
	muster status $id --json | grep "\"status\":\"interrupted\"" &&
	grep "b: failed after .*interrupted by SIGINT" err
'

test_expect_success 'SIGTERM and SIGHUP end the run the same way (143, 129)' '
	use sleepy &&
	start_bg -q run sleepy &&
	stop_bg TERM 0.5 && test "$(cat rc)" = 143 &&
	id=$(sed -n "s/^muster: execution //p" err) &&
	sleep 0.3 &&
	no_survivors $id &&
	start_bg -q run sleepy &&
	stop_bg HUP 0.5 && test "$(cat rc)" = 129 &&
	id=$(sed -n "s/^muster: execution //p" err) &&
	sleep 0.3 &&
	no_survivors $id
'

test_expect_success 'a signal during start-up still stops the run cleanly' '
	use sleepy &&
	start_bg -q run sleepy &&
	stop_bg TERM 0 && test "$(cat rc)" = 143 &&
	sleep 2.3 &&
	for p in $(pgrep -f "sleep 30"); do
		# only ours: other test runs on this machine sleep too
		test "$(readlink /proc/$p/cwd)" = "$PWD" || continue
		tr "\0" "\n" </proc/$p/environ | grep -q MUSTER_EXECUTION_ID && exit 1
	done; true
'

test_done
