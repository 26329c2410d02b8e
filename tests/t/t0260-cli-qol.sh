#!/bin/sh
# t0260-cli-qol.sh: --only and --from on a fresh run, gc --dry-run,
# history --since, service logs, run -n with multi-line scripts.
. "$(dirname "$0")/lib.sh"

H='apiVersion: muster.giantswarm.io/v1alpha1'

test_expect_success 'setup' '
	mkdir -p .muster/workflows .muster/serviceclasses &&
	cat >.muster/workflows/sel.yaml <<-EOF
	$H
	kind: Workflow
	spec:
	  steps:
	    - {id: a, run: "echo a >>ran"}
	    - {id: b, run: "echo b >>ran", dependsOn: [a]}
	    - {id: c, run: "echo c >>ran", dependsOn: [b]}
	    - {id: d, run: "echo d >>ran"}
	EOF
'

test_expect_success '--only STEP runs it and what it depends on' '
	muster run sel --only b 2>err &&
	printf "a\nb\n" >expect && test_cmp expect ran &&
	grep "c: skipped (not selected by --only/--from)" err &&
	grep "d: skipped" err &&
	muster status --last --json | grep "\"step_id\":\"c\",[^}]*\"status\":\"skipped\""
'

test_expect_success '--from STEP runs it and what depends on it' '
	rm ran && muster run sel --from b 2>err &&
	printf "b\nc\n" >expect && test_cmp expect ran &&
	grep "a: skipped" err
'

test_expect_success '--only/--from: unknown step, both at once' '
	test_expect_code 2 muster run sel --only zz 2>err &&
	grep "no top-level step .zz." err &&
	test_expect_code 2 muster run sel --only a --from b 2>err &&
	grep "do not go together" err
'

test_expect_success 'history --since: a duration or a date' '
	muster history --since 1h >out &&
	test_line_count = 3 out &&
	muster history --since 2000-01-01 >out &&
	test_line_count = 3 out &&
	muster history --since 2200-01-01 >out &&
	test_line_count = 0 out &&
	test_expect_code 2 muster history --since soon 2>err &&
	grep "expected a duration" err
'

test_expect_success 'gc --dry-run says what would go and removes nothing' '
	ls .muster/state/executions >before &&
	muster gc --dry-run --keep 1 >out 2>err &&
	test_line_count = 1 out &&
	grep "^would remove [0-9]" out &&
	grep "would remove 1 execution, kept 1" err &&
	ls .muster/state/executions >after &&
	test_cmp before after &&
	muster gc -n --keep 0 >out && test_line_count = 2 out
'

test_expect_success 'service logs NAME prints what the daemon wrote; -f follows' '
	cat >.muster/serviceclasses/talk.yaml <<-EOF &&
	$H
	kind: ServiceClass
	metadata: {name: talk}
	spec:
	  serviceConfig:
	    defaultName: talker
	    daemon: {command: [sh, -c, "echo first; sleep 1; echo second; sleep 100"]}
	EOF
	muster service create talk --no-wait >/dev/null &&
	sleep 0.5 &&
	muster service logs talker >out &&
	grep "^first$" out &&
	timeout 3 "$MUSTER" service logs -f talker >out2 ;
	grep "^second$" out2 &&
	muster service delete talker >/dev/null &&
	test_expect_code 3 muster service logs nobody 2>err &&
	grep "no service .nobody." err
'

test_expect_success 'run -n prints a multi-line script indented under its step' '
	cat >.muster/workflows/ml.yaml <<-EOF &&
	$H
	kind: Workflow
	spec:
	  steps:
	    - id: a
	      run: |
	        echo one
	        if true; then
	          echo two
	        fi
	    - {id: b, run: echo b, dependsOn: [a]}
	EOF
	muster run -n ml >out &&
	cat >expect <<-\EOF &&
	plan of workflow ml (dry run: nothing runs, nothing is written)
	  a: run:
	      echo one
	      if true; then
	        echo two
	      fi
	  b: run echo b; after a
	EOF
	test_cmp expect out
'

test_done
