#!/bin/sh
# t0106-foreach-scale.sh: parallel forEach iterations each see their own
# sub-steps' results (lent to .results in place, not copied: bench/
# foreach.sh shows the cost is linear), and leave the rest as it was.
. "$(dirname "$0")/lib.sh"

test_expect_success 'maxParallel 8 over 300 items: each iteration reads its own results' '
	mkdir -p .muster/workflows &&
	cat >.muster/workflows/par.yaml <<-\EOF &&
	apiVersion: muster.giantswarm.io/v1alpha1
	kind: Workflow
	metadata: {name: par}
	spec:
	  steps:
	    - {id: before, run: "echo {\\\"v\\\": 7}"}
	    - id: each
	      dependsOn: [before]
	      forEach:
	        items: "{{ until 300 | toJson }}"
	        maxParallel: 8
	        steps:
	          - {id: a, tool: core_workflow_list}
	          - {id: b, run: "echo {\\\"i\\\": {{ .vars.item }}}"}
	          - {id: c, run: "test {{ .results.b.i }} = {{ .vars.item }} && test {{ .results.before.v }} = 7"}
	    - {id: after, run: "test {{ .results.before.v }} = 7 && echo {{ .results.b_299.i }} >last", dependsOn: [each]}
	EOF
	muster -q run par 2>err &&
	test "$(cat last)" = 299
'

test_done
