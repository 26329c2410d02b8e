#!/bin/sh
# t0700-stages.sh: workflows in the container-kit spelling (apiVersion
# orchestration/v1): stages of tools, in parallel or in order, variables
# as arguments, conditions, error_policy; and its load errors.
. "$(dirname "$0")/lib.sh"

use() {
	mkdir -p .muster/workflows .muster/tools &&
	cp "$DATA/stages/tools.yaml" .muster/tools/ &&
	cp "$DATA/stages/$1.yaml" .muster/workflows/
}

test_expect_success 'the pipeline validates and shows like any workflow' '
	use pipeline &&
	muster validate &&
	muster show pipeline >out &&
	grep "registry  *string, default \"reg.example\"" out &&
	grep "repo_url  *string, required" out &&
	grep "together  *parallel" out &&
	muster graph pipeline >g &&
	grep "\"first\" -> \"together\"" g
'

test_expect_success 'a required condition is a required argument' '
	test_expect_code 2 muster run pipeline 2>err &&
	grep "missing required argument .repo_url." err &&
	test ! -e ledger
'

test_expect_success 'stages run: variables reach the tools that declare them' '
	muster -q run pipeline --arg repo_url=r -j 4 2>err ||
		{ cat err; false; } &&
	head -1 ledger >first &&
	echo "a reg.example" >expect &&
	test_cmp expect first
'

test_expect_success 'tools of a stage run in parallel unless parallel: false' '
	# together: b sleeps, so c ends first; in-order: b, then c.
	sed -n 2,5p ledger >mid &&
	printf "c\nb\nb\nc\n" >expect &&
	test_cmp expect mid
'

test_expect_success 'conditions: equals runs, not_equals is skipped' '
	muster status --json >st &&
	python3 -c "
import json; d = json.load(open(\"st\"))
s = {x[\"step_id\"]: x[\"status\"] for x in d[\"steps\"]}
assert s[\"only-full\"] == \"completed\", s
assert s[\"only-quick\"] == \"skipped\", s
"
'

test_expect_success 'a variable is overridden by --arg' '
	rm -f ledger &&
	muster -q run pipeline --arg repo_url=r --arg registry=other \
		--arg mode=quick &&
	head -1 ledger >first &&
	echo "a other" >expect &&
	test_cmp expect first &&
	muster status --json >st &&
	python3 -c "
import json; d = json.load(open(\"st\"))
s = {x[\"step_id\"]: x[\"status\"] for x in d[\"steps\"]}
assert s[\"only-full\"] == \"skipped\", s
assert s[\"only-quick\"] == \"completed\", s
"
'

test_expect_success 'contains and exists' '
	rm -rf .muster ledger && use cond &&
	muster -q run cond &&
	echo c >expect && test_cmp expect ledger &&
	rm ledger &&
	muster -q run cond --arg flag=yes --arg tags=gamma &&
	echo b >expect && test_cmp expect ledger
'

test_expect_success 'error_policy continue: other stages go on' '
	rm -rf .muster ledger && use policy &&
	sed -i "/max_failures/d" .muster/workflows/policy.yaml &&
	test_expect_code 1 muster -q run policy -j 1 &&
	sort ledger >got &&
	printf "c\nfail\nfail\nfail\n" >expect &&
	test_cmp expect got
'

test_expect_success 'error_policy max_failures stops after that many' '
	rm -rf .muster ledger && use policy &&
	test_expect_code 1 muster -q run policy -j 1 2>err &&
	printf "fail\nfail\n" >expect &&
	test_cmp expect ledger
'

test_expect_success 'a sequential stage that fails names its failed tool' '
	rm -rf .muster ledger && use policy &&
	cat >.muster/workflows/seq.yaml <<-\EOF &&
	apiVersion: orchestration/v1
	kind: Workflow
	metadata: {name: seq}
	spec:
	  stages:
	    - {name: seq, tools: [step_fail, step_c], parallel: false}
	EOF
	muster show seq >out &&
	grep "seq  parallel, one at a time" out &&
	test_expect_code 1 muster run seq 2>err &&
	echo fail >expect && test_cmp expect ledger &&
	grep "seq: failed after .*: step .seq-1. failed: exit status 3" err
'

test_expect_success 'the example of doc/coming-from.md runs' '
	rm -rf .muster ledger && mkdir -p .muster/workflows .muster/tools &&
	sed -n "/^apiVersion: orchestration\/v1/,/^\`\`\`/p" \
		"$TOP/doc/coming-from.md" | sed "\$d" >.muster/workflows/p.yaml &&
	for t in analyze_repo build_image build_docs scan_image push_image; do
		printf "%s\n" "apiVersion: muster.giantswarm.io/v1alpha1" \
			"kind: Tool" "metadata: {name: $t}" "spec:" \
			"  run: echo $t >>ledger" "---" || return 1
	done | sed "\$d" >.muster/tools/t.yaml &&
	muster validate &&
	muster -q run pipeline --arg repo_url=https://example.com/r.git &&
	sed -n 4,5p ledger >got &&
	printf "scan_image\npush_image\n" >expect && test_cmp expect got &&
	rm ledger &&
	muster -q run pipeline --arg repo_url=x --arg mode=quick &&
	test $(wc -l <ledger) = 3
'

bad() {
	rm -rf .muster && mkdir -p .muster/workflows .muster/tools &&
	cp "$DATA/stages/tools.yaml" .muster/tools/ &&
	cat >.muster/workflows/w.yaml &&
	test_expect_code 2 muster validate 2>err
}

test_expect_success 'an unknown operator is an error at its place' '
	bad <<-\EOF &&
	apiVersion: orchestration/v1
	kind: Workflow
	metadata: {name: w}
	spec:
	  stages:
	    - name: s
	      tools: [step_c]
	      conditions:
	        - {key: k, operator: matches, value: x}
	EOF
	grep "w.yaml:9:30: error: unknown operator .matches." err
'

test_expect_success 'a stage without tools, an unknown field, a bad mode' '
	bad <<-\EOF &&
	apiVersion: orchestration/v1
	kind: Workflow
	metadata: {name: w}
	spec:
	  stages:
	    - name: s
	    - name: t
	      tool: [step_c]
	  error_policy: {mode: sometimes}
	EOF
	grep "w.yaml:6:7: error: a stage needs .name. and .tools." err &&
	grep "w.yaml:8:7: error: unknown field .tool. in a stage (did you mean .tools.?)" err &&
	grep "w.yaml:9:24: error: unknown error_policy mode .sometimes." err
'

test_expect_success 'an unknown tool is named, in a list of tools too' '
	bad <<-\EOF &&
	apiVersion: orchestration/v1
	kind: Workflow
	metadata: {name: w}
	spec:
	  stages:
	    - {name: s, tools: [nope]}
	    - {name: t, tools: [step_c, nope2]}
	EOF
	grep "w.yaml:6:25: error: unknown tool .nope." err &&
	grep "w.yaml:7:33: error: unknown tool .nope2." err
'

test_expect_success 'an unknown depends_on is named' '
	bad <<-\EOF &&
	apiVersion: orchestration/v1
	kind: Workflow
	metadata: {name: w}
	spec:
	  stages:
	    - {name: s, tools: [step_c]}
	    - {name: t, tools: [step_c], depends_on: [x]}
	EOF
	grep "w.yaml:7:47: error: step .t. depends on unknown step .x." err
'

test_expect_success 'orchestration/v1 is for workflows only' '
	bad <<-\EOF &&
	apiVersion: orchestration/v1
	kind: Tool
	metadata: {name: w}
	spec: {run: "true"}
	EOF
	grep "w.yaml:2:7: error: apiVersion orchestration/v1 describes workflows only" err
'

test_done
