#!/bin/sh
# t0250-cli-files.sh: run FILE.yaml, list tools and service classes in
# full, muster init.
. "$(dirname "$0")/lib.sh"

H='apiVersion: muster.giantswarm.io/v1alpha1'

test_expect_success 'init writes a starter project that runs' '
	git init -q . 2>/dev/null || mkdir .git_none &&
	muster init >out &&
	grep "created .muster" out &&
	test -f .muster/workflows/hello.yaml &&
	test -f .muster/tools/greet.yaml &&
	grep "^/state/$" .muster/.gitignore &&
	grep "^# " .muster/workflows/hello.yaml &&
	muster validate &&
	muster run -q hello --arg name=you &&
	muster logs show | grep "greet said: hello, you"
'

test_expect_success 'init refuses to write over an existing .muster' '
	cp .muster/workflows/hello.yaml before &&
	test_expect_code 2 muster init 2>err &&
	grep "already exists; nothing written" err &&
	test_cmp before .muster/workflows/hello.yaml
'

test_expect_success 'git status never shows .muster/state after init' '
	if command -v git >/dev/null && test -d .git; then
		git status --porcelain --untracked-files=all >st &&
		! grep "state" st &&
		grep ".muster/workflows/hello.yaml" st
	fi
'

test_expect_success 'init -C DIR writes there' '
	mkdir other &&
	muster -C other init >/dev/null &&
	test -f other/.muster/workflows/hello.yaml
'

test_expect_success 'run FILE.yaml runs the file, finding the project from it' '
	mkdir -p sub &&
	cat >sub/extra.yaml <<-EOF &&
	$H
	kind: Workflow
	metadata: {name: extra}
	spec:
	  steps:
	    - {id: a, tool: x_greet, args: {name: file}}
	EOF
	(cd other && muster -C .. run -q ../sub/extra.yaml) &&
	muster logs a | grep "hello, file" &&
	muster run -q .muster/workflows/hello.yaml &&
	muster status --last | grep "workflow hello, completed" &&
	(cd .muster/workflows && muster run -n ./hello.yaml) | grep "plan of workflow hello"
'

test_expect_success 'run FILE.yaml: a missing file, a file of no or two workflows' '
	test_expect_code 2 muster run nope.yaml 2>err &&
	grep "cannot read .nope.yaml." err &&
	printf "%s\nkind: Tool\nmetadata: {name: x_t}\nspec: {run: x}\n" "$H" >sub/tool.yaml &&
	test_expect_code 2 muster run sub/tool.yaml 2>err &&
	grep "defines no workflow" err &&
	printf "%s\nkind: Workflow\nmetadata: {name: w1}\nspec: {steps: [{id: a, run: x}]}\n---\n%s\nkind: Workflow\nmetadata: {name: w2}\nspec: {steps: [{id: a, run: x}]}\n" "$H" "$H" >sub/two.yaml &&
	test_expect_code 2 muster run sub/two.yaml 2>err &&
	grep "defines 2 workflows; run one by name" err
'

test_expect_success 'list tools shows built-ins and workflow_ tools, marked' '
	muster list tools >out &&
	grep "^x_greet  *Print a greeting$" out &&
	grep "^workflow_hello  *(workflow) Say hello" out &&
	grep "^core_service_create  *(built-in) " out &&
	test $(grep -c "(built-in)" out) -ge 13 &&
	test $(grep -c "(built-in)" out) = $(grep -c "^core_" out)
'

test_expect_success 'list serviceclasses says which cannot be used and why' '
	mkdir -p .muster/serviceclasses &&
	cat >.muster/serviceclasses/c.yaml <<-EOF &&
	$H
	kind: ServiceClass
	metadata: {name: needs-nothing-here}
	spec:
	  serviceConfig:
	    daemon: {command: [no-such-program-anywhere, x]}
	---
	$H
	kind: ServiceClass
	metadata: {name: fine}
	spec:
	  description: Sleeps
	  serviceConfig:
	    daemon: {command: [sleep, "100"]}
	EOF
	muster list serviceclasses >out &&
	grep "^fine  *Sleeps$" out &&
	grep "^needs-nothing-here  *(unavailable: daemon: .no-such-program-anywhere. is not installed)$" out
'

test_expect_success 'list executions takes the filters of history' '
	muster list executions --workflow extra >out &&
	test_line_count = 2 out &&
	grep " extra " out &&
	muster list --json executions --workflow hello --limit 1 >out &&
	grep "\"workflow_name\":\"hello\"" out &&
	test_expect_code 2 muster list executions --status nope
'

test_done
