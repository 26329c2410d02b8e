#!/bin/sh
# t0705-progress.sh: progress as the documents describe it: percent done
# weighted by each step's weight, time elapsed, and, once the workflow has
# history, an estimate of the time left; the same figures in --json events.
. "$(dirname "$0")/lib.sh"

mkdir -p .muster/workflows &&
cp "$DATA/progress/weighted.yaml" .muster/workflows/

test_expect_success 'percent done follows the weights; no estimate without history' '
	muster run weighted 2>err &&
	grep -E "heavy: completed in [0-9.]+m?s \[1/2, 75% done, [0-9]+s in\]$" err &&
	grep -E "light: completed in [0-9.]+m?s \[2/2, 100% done, [0-9]+s in\]$" err &&
	! grep "left" err
'

test_expect_success 'with history, an estimate of the time left' '
	muster run weighted 2>err &&
	grep -E "heavy: completed in .*\[1/2, 75% done, [0-9]+s in, about [0-9]+s left\]$" err &&
	grep -E "light: completed in .*\[2/2, 100% done, [0-9]+s in\]$" err
'

test_expect_success '--json events carry percent, elapsed_ms and eta_ms' '
	muster --json run weighted >events 2>/dev/null &&
	python3 - <<-\EOF
	import json
	ev = [json.loads(l) for l in open("events")]
	done = [e for e in ev if e["event"] == "step_completed"]
	assert [e["percent"] for e in done] == [75, 100], done
	assert all(e["elapsed_ms"] >= 0 for e in done), done
	heavy = done[0]
	assert 0 <= heavy["eta_ms"] <= 5000, heavy
	started = [e for e in ev if e["event"] == "step_started"]
	assert all("percent" not in e for e in started), started
	EOF
'

test_expect_success 'the live line: [done/total percent]' '
	script -qec "$MUSTER run weighted" /dev/null >tty &&
	grep -F "[0/2 0%] running heavy" tty &&
	grep -F "[1/2 75%] running light" tty
'

test_expect_success 'a weight must be a positive number' '
	for w in 0 -1 "\"x\"" 2000000; do
		sed "s/weight: 3/weight: $w/" "$DATA/progress/weighted.yaml" \
			>.muster/workflows/weighted.yaml &&
		test_expect_code 2 muster validate 2>err &&
		grep "weighted.yaml:6:" err || return 1
	done
'

test_done
