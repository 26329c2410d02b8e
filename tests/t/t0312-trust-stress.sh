#!/bin/sh
# t0312-trust-stress.sh: operating off the happy path: broken definitions,
# closed pipes, full disks, logs of odd steps.
. "$(dirname "$0")/lib.sh"

use() {
	rm -rf .muster ledger go && test_project &&
	cp "$DATA/trust/ops.yaml" .muster/workflows/ &&
	cp "$DATA/trust/x_typo.yaml" .muster/tools/
}

# Spoils the tool file: an unknown field, as a typo makes one.
spoil() {
	sed -i "s/^  run:/  runn:/" .muster/tools/x_typo.yaml
}

test_expect_success 'a broken tool file leaves the state commands working' '
	use &&
	test_expect_code 1 muster -q run ops 2>/dev/null &&
	test_expect_code 1 muster -q run uses 2>/dev/null &&
	spoil &&
	test_expect_code 2 muster validate 2>err &&
	grep "x_typo.yaml:5:3: error: unknown field .runn." err &&
	muster status >out 2>err && test ! -s err &&
	grep "workflow uses, failed" out &&
	muster history >out 2>err && test ! -s err &&
	test_line_count = 3 out &&
	for id in $(ls .muster/state/executions); do
		muster logs $id >out 2>err && test ! -s err || return 1
	done &&
	muster gc --keep 5 &&
	muster service list
'

test_expect_success 'resume works unless the workflow uses the broken file' '
	ops=$(muster history --workflow ops | sed 1d | cut -d" " -f1) &&
	uses=$(muster history --workflow uses | sed 1d | cut -d" " -f1) &&
	touch go &&
	muster -q resume $ops &&
	muster status $ops --json | grep "\"status\":\"completed\"" &&
	test_expect_code 2 muster resume $uses 2>err &&
	grep "x_typo.yaml:5:3: error: unknown field .runn." err &&
	grep "^muster: workflow .uses. uses tool .x_typo., which has errors" err
'

test_expect_success 'cancel and logs -f work with a broken definition' '
	use
	start_bg -q run nap
	sleep 0.5
	id=$(bg_id) && spoil || return 1
	timeout 10 "$MUSTER" logs $id --follow >l &
	lpid=$!
	muster cancel $id &&
	{ wait $bg_pid; true; } &&
	wait $lpid &&
	muster status $id --json | grep "\"status\":\"cancelled\""
'

test_expect_success 'commands that need definitions still refuse' '
	test_expect_code 2 muster run ops 2>err &&
	grep "x_typo.yaml:5:3: error" err &&
	test_expect_code 2 muster list 2>err
'

test_expect_success 'a closed output pipe: the run goes on, the record says so' '
	use &&
	{ muster --json run talk 2>err; echo $? >rc; } | head -1 >first &&
	grep "\"event\":\"run_started\"" first &&
	test "$(cat rc)" = 4 &&
	printf "one\ntwo\nthree\n" >expect &&
	test_cmp expect ledger &&
	grep "cannot write to standard output" err &&
	muster status --json >st &&
	grep "\"status\":\"completed\"" st &&
	grep "\"output_lost\":true" st &&
	muster status | grep "^output: lost"
'

test_expect_success 'a closed pipe on stderr: no death by SIGPIPE either' '
	rm -f ledger &&
	{ muster run talk 2>&1; echo $? >rc; } | head -c 10 >/dev/null &&
	test "$(cat rc)" -lt 128 &&
	test_line_count = 3 ledger &&
	muster status --json | grep "\"status\":\"completed\""
'

test_expect_success 'every command checks its output: /dev/full is exit 4' '
	test -w /dev/full || return 0
	for c in "list" "list workflows" "history" "status" "show talk" \
	    "graph talk" "help" "version" "service list --json" \
	    "render {{1}}" "status --json"; do
		test_expect_code 4 muster $c >/dev/full 2>err &&
		grep "cannot write.*: No space left on device" err &&
		test_line_count = 1 err ||
		return 1
	done
'

test_expect_success 'a step whose condition runs a tool starts once' '
	rm -rf .muster && test_project &&
	cp "$DATA/trust/conds.yaml" .muster/workflows/ &&
	muster run conds -j 1 2>err &&
	test $(grep -c "tmpl_key: started" err) = 1 &&
	! grep "tmpl_key_no: started" err &&
	muster --json run conds -j 1 2>/dev/null >events &&
	test $(grep -c "\"step_started\".*\"tmpl_key\"" events) = 1
'

test_expect_success 'logs: unknown steps are errors; a forEach shows its iterations' '
	rm -rf .muster && test_project &&
	cp "$DATA/trust/logs.yaml" .muster/workflows/ &&
	muster -q run logs 2>/dev/null &&
	id=$(muster history | sed 1d | cut -d" " -f1) &&
	test_expect_code 2 muster logs $id lop 2>err &&
	grep "^muster: execution $id has no step .lop. (did you mean .loop.?)" err &&
	test_expect_code 2 muster logs $id nothing_like_it 2>err &&
	grep "has no step .nothing_like_it." err &&
	muster logs $id loop >out &&
	cat >expect <<-\EOF &&
	==> it_0.out <==
	item a
	==> it_1.out <==
	item b
	EOF
	test_cmp expect out &&
	muster logs $id it >out &&
	test_cmp expect out &&
	muster logs $id it_1 >out &&
	test_line_count = 2 out
'

test_expect_success 'logs: a log without a final newline does not glue the next header' '
	muster logs $(muster history | sed 1d | cut -d" " -f1) >out &&
	sed -n "1,3p" out >got &&
	cat >expect <<-\EOF &&
	==> first.out <==
	no newline
	==> it_0.out <==
	EOF
	test_cmp expect got
'

test_expect_success 'a script left by a killed runner is private, and resume removes it' '
	use
	start_bg -q run secretnap
	sleep 0.5
	id=$(bg_id)
	kill -KILL $bg_pid
	wait $bg_pid
	f=.muster/state/executions/$id/out/nap.1.sh &&
	test "$(stat -c %a $f)" = 600 &&
	grep -q S3cr3tXyZ $f &&
	muster -q resume $id 2>err &&
	test ! -e $f &&
	test -z "$(ls .muster/state/executions/$id/out/)"
'

test_done
