#!/bin/sh
# t0707-on-error.sh: a step's onError rules route its failures by exit
# code, a pattern over its error (its stderr's tail included) or its tool,
# in priority order: retry (the rule's own attempts), skip, continue (as
# allowFailure) or fail (no more attempts); the record says which.
. "$(dirname "$0")/lib.sh"

mkdir -p .muster/workflows &&
cp "$DATA/route/route.yaml" "$DATA/route/order.yaml" .muster/workflows/

test_expect_success 'retry, skip and continue, then the run goes on' '
	muster run route 2>err &&
	printf "flaky\nlast\n" >expect && test_cmp expect ledger &&
	test "$(cat n)" = 3 &&
	grep "flaky: attempt 1 of 3 failed" err &&
	grep "flaky: attempt 2 of 3 failed" err &&
	grep "optional: skipped (onError: exit status 4" err &&
	grep "noisy: failed after .*disk full (allowed)" err &&
	muster status --json >st &&
	python3 -c "
import json; d = json.load(open(\"st\"))
s = {x[\"step_id\"]: x for x in d[\"steps\"]}
assert d[\"status\"] == \"completed\", d
assert s[\"flaky\"][\"status\"] == \"completed\" and s[\"flaky\"][\"attempts\"] == 3, s[\"flaky\"]
assert s[\"optional\"][\"status\"] == \"skipped\" and s[\"optional\"][\"route\"] == \"skip\", s[\"optional\"]
assert s[\"noisy\"][\"status\"] == \"failed\" and s[\"noisy\"][\"route\"] == \"continue\", s[\"noisy\"]
"
'

test_expect_success 'the highest priority wins; fail stops the retries' '
	rm -f ledger &&
	test_expect_code 1 muster run order 2>err &&
	echo try >expect && test_cmp expect ledger &&
	muster status --json | grep "\"route\":\"fail\""
'

test_expect_success 'a rule that matches nothing leaves the step its own retry' '
	rm -f ledger &&
	sed -i "s/exitCode: 6, action: fail/exitCode: 8, action: fail/; s/exitCode: 6, action: continue/exitCode: 8, action: continue/" \
		.muster/workflows/order.yaml &&
	test_expect_code 1 muster run order &&
	test $(wc -l <ledger) = 3
'

test_expect_success 'match sees the whole stderr tail, a line at a time' '
	cat >.muster/workflows/trace.yaml <<-\EOF &&
	apiVersion: muster.giantswarm.io/v1alpha1
	kind: Workflow
	metadata: {name: trace}
	spec:
	  steps:
	    - id: a
	      run: |
	        echo "ERROR: lock held" >&2
	        for i in 1 2 3 4 5; do echo "trace line $i" >&2; done
	        exit 1
	      onError:
	        - {match: "^ERROR: lock held$", action: skip}
	        - {match: "(?i)EXIT STATUS 1", action: fail}
	EOF
	muster run trace 2>err &&
	grep "a: skipped (onError: exit status 1: trace line 3 | trace line 4 | trace line 5)" err
'

bad() {
	cat >.muster/workflows/bad.yaml &&
	test_expect_code 2 muster validate 2>err
}

test_expect_success 'rules are checked when the file loads' '
	bad <<-\EOF &&
	apiVersion: muster.giantswarm.io/v1alpha1
	kind: Workflow
	metadata: {name: bad}
	spec:
	  steps:
	    - id: a
	      run: "true"
	      onError:
	        - {exitCode: 300, action: retry}
	        - {match: "(", action: skip}
	        - {action: ignore}
	        - {exitCode: 1}
	        - {action: skip, retry: {attempts: 2}}
	EOF
	grep "bad.yaml:9:22: error: .exitCode. must be between 0 and 255, not 300" err &&
	grep "bad.yaml:10:19: error: bad pattern .(.: missing closing parenthesis" err &&
	grep "bad.yaml:11:20: error: unknown action .ignore. (use retry, skip, continue, fail or redirect)" err &&
	grep "bad.yaml:12:11: error: an onError rule needs an .action." err &&
	grep "bad.yaml:13:33: error: .retry. belongs to a rule whose action is retry" err
'

test_done
