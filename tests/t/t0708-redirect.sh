#!/bin/sh
# t0708-redirect.sh: onError redirect runs a recovery step from the
# workflow's recovery list; the step is recovered (the run goes on) when
# it completes, else fails; `then: fail` fails anyway.  The journal says
# a recovery started, so that resume after kill -9 runs the recovery
# again rather than the step.
. "$(dirname "$0")/lib.sh"

mkdir -p .muster/workflows &&
cp "$DATA/route/redirect.yaml" "$DATA/route/then-fail.yaml" \
	"$DATA/route/each.yaml" .muster/workflows/

steps_json() {
	muster status --json "$@" >st &&
	python3 -c "
import json, sys; d = json.load(open(\"st\"))
s = {x[\"step_id\"]: x for x in d[\"steps\"]}
print(d[\"status\"])
for k in sorted(s):
    x = s[k]
    print(k, x[\"status\"], x.get(\"route\"), x.get(\"redirect\"), x.get(\"recovered\"))
"
}

test_expect_success 'the recovery completes: the step is recovered, the run goes on' '
	rm -f ledger &&
	touch slow &&
	muster run redirect 2>err &&
	rm slow &&
	cat >expect <<-\EOF &&
	migrate
	unlock migrate 3 failed
	report
	EOF
	test_cmp expect ledger &&
	grep "exit status 3: schema lock held by pid 42" failure-error &&
	grep "migrate: failed after .*; recovering with step .unlock." err &&
	grep "migrate: failed after .* (recovered by .unlock.)" err &&
	steps_json >out &&
	cat >expect <<-\EOF &&
	completed
	migrate failed redirect unlock True
	migrate.unlock completed None None None
	report completed None None None
	EOF
	test_cmp expect out &&
	muster status >out && grep "migrate .*(recovery .unlock. completed)" out &&
	python3 -c "
import json; d = json.load(open(\"st\"))
s = {x[\"step_id\"]: x for x in d[\"steps\"]}
assert s[\"migrate\"][\"duration_ms\"] < 900, s[\"migrate\"]
assert s[\"migrate.unlock\"][\"duration_ms\"] >= 1000, s[\"migrate.unlock\"]
assert sorted(d[\"result\"]) == [\"report\"], d[\"result\"]
"
'

test_expect_success 'the higher priority rule took it, not the continue rule' '
	muster status --json | grep "\"route\":\"redirect\""
'

test_expect_success 'the recovery fails: the step fails, and the run' '
	rm -f ledger &&
	test_expect_code 1 muster run redirect --arg mode=bad 2>err &&
	printf "migrate\nunlock migrate 3 failed\n" >expect &&
	test_cmp expect ledger &&
	grep "failed: migrate: exit status 3: schema lock held by pid 42; recovery step .unlock. failed: exit status 1" err &&
	grep "error: step .migrate. failed" err &&
	grep "not run: report" err &&
	steps_json >out &&
	grep "^migrate failed redirect unlock False" out
'

test_expect_success 'resume runs a step whose recovery ended again, and its recovery' '
	rm -f ledger &&
	test_expect_code 1 muster resume --last 2>err &&
	printf "migrate\nunlock migrate 3 failed\n" >expect &&
	test_cmp expect ledger
'

test_expect_success 'then: fail runs the recovery and fails the step' '
	rm -f ledger &&
	test_expect_code 1 muster run then-fail 2>err &&
	printf "deploy\nrollback\n" >expect && test_cmp expect ledger &&
	grep "failed: deploy: exit status 7 (after recovery .rollback.: then: fail)" err &&
	! grep "(recovered" err &&
	steps_json >out && grep "^deploy failed redirect rollback True" out &&
	muster resume --last 2>err;
	test $? = 1 &&
	printf "deploy\nrollback\ndeploy\nrollback\n" >expect &&
	test_cmp expect ledger &&
	touch fixed &&
	muster resume --last &&
	steps_json >out &&
	grep "^deploy completed None None None" out &&
	muster status >out &&
	! grep "recovery" out
'

test_expect_success 'a forEach iteration redirects; the rest go on' '
	rm -f ledger &&
	muster run each 2>err &&
	cat >expect <<-\EOF &&
	drain a
	drain b
	undrain b after drain_1
	drain c
	EOF
	test_cmp expect ledger &&
	steps_json >out && grep "^drain_1 failed redirect undrain True" out &&
	grep "^drain_1.undrain completed" out
'

# Starts `muster run redirect` with the recovery held (it sleeps), waits
# until the recovery step runs, then sends the runner signal $1.
kill_in_recovery() {
	rm -f ledger &&
	touch hold &&
	start_bg run redirect
	for i in $(seq 400); do
		grep -q "^unlock" ledger 2>/dev/null && break
		sleep 0.05
	done
	stop_bg "$1" 0.1
	pkill -f "sleep 60"
	grep -q "^unlock" ledger
}

test_expect_success 'kill -9 during the recovery; resume runs the recovery, not the step' '
	kill_in_recovery KILL &&
	id=$(bg_id) &&
	test "$(cat rc)" = 137 &&
	steps_json "$id" >out &&
	grep "^migrate failed redirect unlock None" out &&
	muster resume "$id" 2>err &&
	grep "migrate: failed before; its recovery step .unlock. had not ended and runs again" err &&
	cat >expect <<-\EOF &&
	migrate
	unlock migrate 3 failed
	unlock migrate 3 failed
	report
	EOF
	test_cmp expect ledger &&
	grep "exit status 3: schema lock held by pid 42" failure-error &&
	steps_json "$id" >out &&
	head -n 2 out >actual &&
	printf "completed\nmigrate failed redirect unlock True\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'kill -9 during the recovery; a changed step runs again' '
	kill_in_recovery KILL &&
	id=$(bg_id) &&
	sed -i "s/echo migrate >>ledger/echo migrate2 >>ledger/" \
		.muster/workflows/redirect.yaml &&
	muster resume "$id" 2>err &&
	cat >expect <<-\EOF &&
	migrate
	unlock migrate 3 failed
	migrate2
	unlock migrate 3 failed
	report
	EOF
	test_cmp expect ledger &&
	sed -i "s/echo migrate2 >>ledger/echo migrate >>ledger/" \
		.muster/workflows/redirect.yaml
'

test_expect_success 'SIGTERM cuts the recovery short; resume runs it again' '
	kill_in_recovery TERM &&
	id=$(bg_id) &&
	test "$(cat rc)" = 143 &&
	steps_json "$id" >out &&
	grep "^migrate failed redirect unlock None" out &&
	muster status "$id" >out &&
	grep "migrate .*exit status 3: schema lock held by pid 42 (recovery .unlock. not ended)$" out &&
	muster resume "$id" 2>err &&
	grep "its recovery step .unlock. had not ended and runs again" err &&
	test "$(grep -c "^unlock" ledger)" = 2 &&
	test "$(grep -c "^migrate" ledger)" = 1 &&
	echo "exit status 3: schema lock held by pid 42" >expect &&
	test_cmp expect failure-error &&
	muster status "$id" >out &&
	grep "migrate .*exit status 3: schema lock held by pid 42 (recovery .unlock. completed)$" out
'

test_expect_success 'show and run -n list the recovery steps' '
	muster show redirect >out &&
	grep "^recovery (when an onError rule redirects):" out &&
	grep "unlock" out &&
	muster run -n redirect >out &&
	grep "^recovery (when an onError rule redirects):" out &&
	muster show redirect --json | grep "\"recovery\":\[{"
'

# bad: the spec on stdin, under a workflow's first four lines, must fail
# validate (its messages in ./err).
bad() {
	{ printf "%s\n" "apiVersion: muster.giantswarm.io/v1alpha1" \
		"kind: Workflow" "metadata: {name: bad}" "spec:" && cat; } \
		>.muster/workflows/bad.yaml &&
	test_expect_code 2 muster validate 2>err
}

test_expect_success 'redirects are checked when the file loads' '
	bad <<-\EOF &&
	  steps:
	    - id: a
	      run: "true"
	      onError:
	        - {redirect: unlok}
	        - {action: redirect}
	        - {action: skip, redirect: unlock}
	        - {action: retry, then: fail}
	        - {redirect: unlock, then: maybe}
	        - {redirect: a}
	  recovery:
	    - id: unlock
	      run: "true"
	      dependsOn: [a]
	    - id: loop
	      forEach: {items: [1], steps: [{id: x, run: "true"}]}
	    - id: again
	      run: "true"
	      onError: [{redirect: unlock}]
	  onFailure:
	    - id: notify
	      run: "true"
	      onError: [{redirect: unlock}]
	EOF
	grep "bad.yaml:10:20: error: action .redirect. needs .redirect: STEP., a step of the workflow.s .recovery. list" err &&
	grep "bad.yaml:11:36: error: .redirect. belongs to a rule whose action is redirect, not skip" err &&
	grep "bad.yaml:12:33: error: .then. belongs to a rule whose action is redirect" err &&
	grep "bad.yaml:13:36: error: unknown .then. .maybe. (use continue" err &&
	grep "bad.yaml:18:18: error: .dependsOn. belongs to top-level steps; a recovery step runs when an onError rule redirects to it" err &&
	grep "bad.yaml:19:7: error: step .loop. in recovery must use .tool. or .run." err
'

test_expect_success 'an unknown recovery step, and redirects from recovery or onFailure' '
	bad <<-\EOF &&
	  steps:
	    - id: a
	      run: "true"
	      onError:
	        - {redirect: unlok}
	        - {redirect: a}
	  recovery:
	    - id: unlock
	      run: "true"
	      onError: [{redirect: unlock}]
	  onFailure:
	    - id: notify
	      run: "true"
	      onError: [{redirect: unlock}]
	EOF
	grep "bad.yaml:9:22: error: onError redirects to .unlok., which is not a recovery step (did you mean .unlock.?)" err &&
	grep "bad.yaml:10:22: error: onError redirects to .a., which is not a step of the workflow.s .recovery. list" err &&
	grep "bad.yaml:14:28: error: a step in recovery cannot redirect: only the workflow.s steps can" err &&
	grep "bad.yaml:18:28: error: a step in onFailure cannot redirect: only the workflow.s steps can" err
'

test_expect_success 'rule mistakes: a typo, an empty exitCode, a tool the step never calls' '
	bad <<-\EOF &&
	  steps:
	    - id: a
	      run: "true"
	      onError:
	        - {exitCode: 1, acton: skip}
	        - {exitCode: [], action: skip}
	        - {tool: x_deploy, action: skip}
	EOF
	grep "bad.yaml:9:25: error: unknown field .acton. in an onError rule (did you mean .action.?)" err &&
	! grep "needs an .action." err &&
	grep "bad.yaml:10:22: error: .exitCode. is an empty list" err &&
	grep "bad.yaml:11:11: error: an onError rule for tool .x_deploy. never matches: step .a. runs a script" err
'

test_done
