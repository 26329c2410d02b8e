#!/bin/sh
# t0311-trust-failures.sh: failure semantics: allowFailure on groups,
# scripts that stop at their first error, cleanup on signals, skipped
# conditions, templated conditions, missing keys.
. "$(dirname "$0")/lib.sh"

use() {
	rm -rf .muster ledger && test_project &&
	cp "$DATA/trust/$1.yaml" .muster/workflows/
}

test_expect_success 'allowFailure on parallel and forEach tolerates their steps' '
	use tolerate &&
	muster run tolerate 2>err &&
	cat >expect <<-\EOF &&
	bad
	good
	it 1
	it 2
	after
	EOF
	test_cmp expect ledger &&
	grep "group: failed after .*step .bad. failed: exit status 3 (allowed)" err &&
	grep "bad: failed after .*exit status 3 (allowed)" err &&
	grep "loop: failed after .*(allowed)" err &&
	muster status --json | grep "^{\"execution_id\":[^}]*\"status\":\"completed\""
'

test_expect_success 'run: scripts stop at their first failing command' '
	use shell &&
	muster run shells 2>err &&
	cat >expect <<-\EOF &&
	sh-pipe
	python
	bash
	EOF
	test_cmp expect ledger &&
	grep "stops: failed after .*exit status 1 (allowed)" err &&
	grep "bashpipe: failed after .*exit status 1 (allowed)" err
'

test_expect_success 'a script and its secrets are not in any argv' '
	! grep S3cr3tXyZ cmdline &&
	grep "^/bin/sh -e .*/out/secret\.1\.sh $" cmdline &&
	id=$(muster history | sed 1d | cut -d" " -f1) &&
	test -z "$(ls .muster/state/executions/$id/out/)"
'

test_expect_success 'a workflow shell is its run: steps default' '
	rm -f ledger &&
	test_expect_code 1 muster run bashdefault 2>err &&
	test ! -e ledger &&
	grep "a: failed after .*exit status 1" err
'

test_expect_success 'shell: unknown names and commands are load errors' '
	use shell &&
	sed -i "s/shell: bash, run: \"false/shell: zsh, run: \"false/" \
		.muster/workflows/shell.yaml &&
	test_expect_code 2 muster validate 2>err &&
	grep "shell.yaml:10:29: error: unknown shell .zsh. (use sh, bash, or a command as a list" err &&
	use shell &&
	sed -i "s/{id: tool, tool: x_bash}/{id: tool, tool: x_bash, shell: bash}/" \
		.muster/workflows/shell.yaml &&
	test_expect_code 2 muster validate 2>err &&
	grep "error: .shell. is for .run. steps" err
'

test_expect_success 'onFailure runs on failure and timeout, and reads .failure' '
	use cleanup &&
	test_expect_code 1 muster run cleanup --arg secs=0 2>err &&
	grep "^notify failed nap: exit status 3$" ledger &&
	rm ledger &&
	test_expect_code 124 muster run cleanup_timeout 2>err &&
	grep "^notify timed_out nap: the workflow timed out$" ledger
'

test_expect_success 'onFailure runs on SIGTERM, bounded by its own timeout' '
	rm -f ledger
	start_bg run cleanup
	stop_bg TERM 0.5
	test "$(cat rc)" = 143 &&
	grep "^notify interrupted nap: interrupted by SIGTERM$" ledger &&
	grep "notify: failed after .*timed out after 2s" err &&
	muster status --json | grep "\"status\":\"interrupted\""
'

test_expect_success 'onFailure runs on SIGHUP and on cancel' '
	rm -f ledger
	start_bg run cleanup
	stop_bg HUP 0.5
	test "$(cat rc)" = 129 &&
	grep "^notify interrupted nap: interrupted by SIGHUP$" ledger &&
	rm ledger
	start_bg run cleanup
	sleep 0.5
	muster cancel $(bg_id) &&
	wait $bg_pid
	grep "^notify cancelled nap: cancelled$" ledger &&
	muster status --json | grep "\"status\":\"cancelled\""
'

test_expect_success 'a second signal stops the cleanup too' '
	rm -f ledger
	start_bg run cleanup
	sleep 0.5
	kill -TERM $bg_pid
	sleep 0.5
	t0=$(date +%s%N)
	kill -TERM $bg_pid
	wait $bg_pid
	echo $? >rc
	t1=$(date +%s%N)
	test "$(cat rc)" = 143 &&
	test $(( (t1 - t0) / 1000000 )) -lt 1500 &&
	grep "notify: failed after .*interrupted by SIGTERM" err
'

test_expect_success 'fromStep: a skipped step is neither success nor failure' '
	use conds &&
	muster run conds -j 1 2>err &&
	grep "if_failed: skipped (condition is false)" err &&
	grep "if_ok: skipped (condition is false)" err &&
	grep "^if_not_failed$" ledger
'

test_expect_success 'condition jsonPath keys may be templates over .result' '
	grep "^tmpl_key$" ledger &&
	grep "^plain_value$" ledger &&
	! grep "^tmpl_key_no$" ledger &&
	grep "tmpl_key_no: skipped (condition is false)" err &&
	rm ledger &&
	muster run conds -j 1 --arg want=alpha 2>err &&
	grep "^tmpl_key_no$" ledger &&
	! grep "^tmpl_key$" ledger
'

test_expect_success 'a missing key names the whole reference' '
	use miss &&
	test_expect_code 1 muster run miss 2>err &&
	grep "use: failed after .*miss.yaml:7:31: at <.results.build_the_image.tagg>: map has no entry for key \"tagg\"" err
'

test_done
