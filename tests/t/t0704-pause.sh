#!/bin/sh
# t0704-pause.sh: muster pause: a running execution finishes its running
# steps, starts no other, records paused and exits 5; resume goes on from
# there without running any step twice, forEach iterations included.
. "$(dirname "$0")/lib.sh"

mkdir -p .muster/workflows &&
cp "$DATA/pause/w.yaml" "$DATA/pause/failing.yaml" .muster/workflows/

# Starts `muster run $1` in the background; waits until its execution
# exists and $2 seconds more.
start_run() {
	rm -f ledger rc
	(muster run "$1" >out 2>err; echo $? >rc) &
	for i in $(seq 200); do
		grep -q "^muster: execution " err 2>/dev/null && break
		sleep 0.05
	done
	sleep "$2"
}

wait_run() {
	for i in $(seq 200); do
		test -s rc && return 0
		sleep 0.05
	done
	return 1
}

# The execution the last start_run started (its first line says which).
last_id() {
	sed -n "s/^muster: execution //p" err | head -1
}

test_expect_success 'pause: running steps finish, nothing else starts, exit 5' '
	start_run w 0.3 &&
	muster pause "$(last_id)" 2>perr &&
	grep "pausing execution .*its running steps finish" perr &&
	wait_run && test "$(cat rc)" = 5 &&
	echo a >expect && test_cmp expect ledger &&
	grep "muster: w paused in .*" err &&
	grep "resume: muster resume $(last_id)" err &&
	muster status --json >st &&
	grep "\"status\":\"paused\"" st
'

test_expect_success 'resume goes on from where it paused' '
	muster resume "$(last_id)" 2>err &&
	printf "a\nb\nit 1\nit 2\nit 3\nit 4\nc\n" >expect &&
	test_cmp expect ledger
'

test_expect_success 'pause --last during a forEach: no iteration runs twice' '
	start_run w 1.3 &&
	muster pause --last &&
	wait_run && test "$(cat rc)" = 5 &&
	muster status --json >st &&
	grep "\"status\":\"paused\"" st &&
	muster resume --last &&
	sort ledger >got &&
	printf "a\nb\nc\nit 1\nit 2\nit 3\nit 4\n" >expect &&
	test_cmp expect got &&
	muster status --json | python3 -c "
import json, sys; d = json.load(sys.stdin)
assert d[\"status\"] == \"completed\", d[\"status\"]
assert all(s[\"attempts\"] <= 1 for s in d[\"steps\"]), d[\"steps\"]
"
'

test_expect_success 'a step that fails while pausing fails the run' '
	start_run failing 0.3 &&
	muster pause "$(last_id)" &&
	wait_run && test "$(cat rc)" = 1 &&
	test ! -e ledger &&
	muster status --json | grep "\"status\":\"failed\""
'

test_expect_success 'pause of what is not running, or does not exist: exit 3' '
	test_expect_code 3 muster pause "$(last_id)" 2>err &&
	grep "is not running" err &&
	test_expect_code 3 muster pause 20200101-000000-abcd 2>err &&
	grep "no execution" err &&
	test_expect_code 2 muster pause 2>err
'

test_expect_success 'history filters on paused' '
	start_run w 0.3 &&
	muster pause "$(last_id)" &&
	wait_run && test "$(cat rc)" = 5 &&
	muster history --status paused >h &&
	grep "$(last_id)" h &&
	test $(grep -c paused h) = 1
'

test_done
