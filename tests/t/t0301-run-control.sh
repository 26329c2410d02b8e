#!/bin/sh
# t0301-run-control.sh: conditions, retries, allowFailure, onFailure,
# fail-fast and keep-going, timeouts, and the exit codes they give.
. "$(dirname "$0")/lib.sh"

use() {
	rm -rf .muster ledger && mkdir -p .muster/workflows &&
	cp "$DATA/run/$1.yaml" .muster/workflows/
}

test_expect_success 'conditions of each form; skipped steps satisfy dependents' '
	use cond &&
	muster run cond -j 1 2>err &&
	sort ledger >got &&
	printf "after_skip\nfrom_ok\nt_obj\nt_true\ntool_fails\ntool_ok\n" >expect &&
	test_cmp expect got &&
	grep "t_false: skipped (condition is false)" err &&
	grep "from_path_no: skipped" err &&
	grep "tool_not: skipped" err
'

test_expect_success 'a template condition must render true or false' '
	use badcond &&
	test_expect_code 1 muster run badcond 2>err &&
	grep "a: failed after .*the condition of step .a. rendered .yes., not true or false" err
'

test_expect_success 'retry: attempts, exponential delays capped by maxDelay' '
	use retry &&
	muster run retry 2>err &&
	test_line_count = 4 ledger &&
	python3 -c "
t = [int(l) / 1e6 for l in open(\"ledger\")]
gaps = [b - a for a, b in zip(t, t[1:])]
# 100ms, 200ms, then 250ms (not 400ms): generous bounds for a busy box
assert 90 <= gaps[0] < 1000, gaps
assert 180 <= gaps[1] < 1100, gaps
assert 240 <= gaps[2] < 1150, gaps
" &&
	muster status --json | grep "\"attempts\":4"
'

test_expect_success 'retry: the last failed attempt fails the step' '
	test_expect_code 1 muster run retry --arg succeed_at=9 2>err &&
	grep "flaky: attempt 3 of 4 failed" err &&
	grep "flaky: failed after" err
'

test_expect_success 'fail-fast: running steps finish, nothing new starts, onFailure runs in order' '
	use fail &&
	test_expect_code 1 muster run fail -j 4 2>err &&
	cat >expect <<-\EOF &&
	first
	slowpeer
	undo1
	undo3 failed
	EOF
	test_cmp expect ledger &&
	grep "tolerated: failed after .*exit status 5 (allowed)" err &&
	grep "not run: .*after_boom" err &&
	grep "resume: muster resume " err
'

test_expect_success 'keep-going: every step that does not depend on a failure runs' '
	use fail &&
	test_expect_code 1 muster run fail -k -j 4 2>err &&
	grep "^after_tolerated$" ledger &&
	grep "^later$" ledger &&
	! grep after_boom ledger &&
	grep "^undo3 failed$" ledger
'

test_expect_success 'a step timeout kills its whole process group' '
	use timeouts &&
	test_expect_code 1 muster run timeouts 2>err &&
	grep "hang: failed after .*timed out after 300ms" err &&
	sleep 2.5 &&
	test ! -e ledger
'

test_expect_success 'a workflow timeout exits 124 after onFailure' '
	use wftimeout &&
	test_expect_code 124 muster run wftimeout 2>err &&
	grep "cleanup ran" ledger &&
	grep "wftimeout timed out" err
'

test_expect_success '--timeout on the command line wins' '
	use wftimeout &&
	test_expect_code 124 muster run wftimeout --timeout 100ms 2>err &&
	test_expect_code 2 muster run wftimeout --timeout soon 2>err &&
	grep "^muster: --timeout .soon.: expected a number" err
'

test_expect_success 'usage and argument errors exit 2 before anything runs' '
	use fail &&
	test_expect_code 2 muster run nosuch 2>err &&
	test_expect_code 2 muster run fail --arg x=1 2>err &&
	grep "unknown argument .x." err &&
	test_expect_code 2 muster run fail -j many 2>err &&
	test_expect_code 2 muster run 2>err &&
	test ! -e ledger &&
	test ! -d .muster/state
'

test_done
