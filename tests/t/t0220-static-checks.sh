#!/bin/sh
# t0220-static-checks.sh: what can be known without running is an error
# before anything runs, all of it in one report (tests/data/bad/ holds the
# messages of each check; this script checks run, run -n and validate).
. "$(dirname "$0")/lib.sh"

H='apiVersion: muster.giantswarm.io/v1alpha1'

test_expect_success 'setup: a script that does not parse after one that does' '
	mkdir -p .muster/workflows &&
	cat >.muster/workflows/w.yaml <<-EOF
	$H
	kind: Workflow
	spec:
	  steps:
	    - {id: a, run: "touch ran"}
	    - id: b
	      run: |
	        echo one
	        while true; do
	          echo two
	EOF
'

test_expect_success 'run refuses it before the first step, at the script line' '
	test_expect_code 2 muster run w 2>err &&
	test ! -e ran &&
	test ! -d .muster/state/executions &&
	grep "^.muster/workflows/w.yaml:10:9: error: step .b.: the script does not parse (/bin/sh -n): " err
'

test_expect_success 'run -n and validate refuse it too' '
	test_expect_code 2 muster run -n w 2>err &&
	grep "w.yaml:10:9: error: step .b." err &&
	test_expect_code 2 muster validate 2>err &&
	grep "w.yaml:10:9: error: step .b." err &&
	test ! -e ran
'

test_expect_success 'a bad argument and a bad script: both reported' '
	test_expect_code 2 muster run w --arg nope=1 2>err &&
	grep "w.yaml:10:9: error" err &&
	grep "unknown argument .nope." err
'

test_expect_success 'an unknown dependsOn id hides neither cycles nor templates' '
	rm -rf .muster && mkdir -p .muster/workflows &&
	cat >.muster/workflows/w.yaml <<-EOF &&
	$H
	kind: Workflow
	spec:
	  steps:
	    - {id: a, run: x, dependsOn: [b, nope]}
	    - {id: b, run: x, dependsOn: [a]}
	    - {id: c, run: "echo {{ .inpt.x }}", dependsOn: [a]}
	    - {id: d, tool: x_nope}
	EOF
	test_expect_code 2 muster validate 2>err &&
	grep "unknown step .nope." err &&
	grep "dependency cycle: .a. -> .b. -> .a." err &&
	grep "reads .inpt" err &&
	grep "unknown tool .x_nope." err
'

test_expect_success 'valid templates and scripts pass: roots, arguments, branches' '
	rm -rf .muster && mkdir -p .muster/workflows .muster/tools &&
	cat >.muster/workflows/w.yaml <<-EOF &&
	$H
	kind: Workflow
	spec:
	  args:
	    env: {type: string, default: dev}
	    list: {type: array, default: [1, 2]}
	  steps:
	    - id: a
	      run: |
	        V={{ .input.env }}
	        echo "\${HOME:-\$V}" \$(echo {{ .env }}) "{{ .execution.id }}"
	        {{ if eq .env "dev" }}if true; then{{ else }}if false; then{{ end }}
	          echo '"'"'{{ .input.env }}'"'"'
	        fi
	    - id: b
	      tool: x_t
	      args: {name: "{{ .a.stdout }}"}
	      dependsOn: [a]
	    - id: c
	      forEach: {items: "{{ toJson .input.list }}", steps: [{id: d, run: "echo {{ .vars.item }}"}]}
	    - id: e
	      tool: x_t
	      args: "{{ toJson .input }}"
	      dependsOn: [a]
	EOF
	cat >.muster/tools/t.yaml <<-EOF &&
	$H
	kind: Tool
	metadata: {name: x_t}
	spec:
	  args: {name: {type: string, required: true}}
	  run: echo "{{ .input.name }}"
	EOF
	muster validate
'

test_expect_success 'many scripts: each broken one is found, at its line, and only they' '
	python3 - <<-\PY &&
	H = "apiVersion: muster.giantswarm.io/v1alpha1\nkind: Workflow\n"
	bad = {17: "echo \"open", 400: "if true; then", 401: "fi",
	       777: "case x in", 1500: ")"}
	with open(".muster/workflows/w.yaml", "w") as f:
	    f.write(H + "metadata: {name: w}\nspec:\n  steps:\n")
	    for i in range(2000):
	        body = bad.get(i, "echo %d \\\\" % i if i % 3 else "cat <<EOF\nx")
	        f.write("    - id: s%d\n      run: |\n" % i)
	        for line in body.split("\n"):
	            f.write("        " + line + "\n")
	PY
	test_expect_code 2 muster validate 2>err &&
	sed -n "s/.*error: step .\(s[0-9]*\).: the script does not parse.*/\1/p" err >got &&
	printf "s17\ns400\ns401\ns777\ns1500\n" >expect &&
	test_cmp expect got
'

test_expect_success 'a script check never runs the script' '
	cat >.muster/workflows/w.yaml <<-EOF &&
	$H
	kind: Workflow
	spec:
	  steps: [{id: a, run: "touch side-effect"}]
	EOF
	muster validate &&
	test ! -e side-effect
'

test_done
