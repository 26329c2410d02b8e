#!/bin/sh
# t0200-load.sh: finding .muster, loading every file and spelling, and the
# list, show, graph and validate commands.
. "$(dirname "$0")/lib.sh"

H='apiVersion: muster.giantswarm.io/v1alpha1'

test_expect_success 'setup a project with mixed kinds and files' '
	mkdir -p proj/.muster/workflows proj/.muster/tools proj/sub/dir &&
	cat >proj/.muster/workflows/deploy.yaml <<-EOF &&
	$H
	kind: Workflow
	spec:
	  description: Deploy it
	  args:
	    env: {type: string, required: true, enum: [dev, prod]}
	  steps:
	    - {id: build, tool: x_build}
	    - {id: ship, run: "echo {{ .input.env }}", depends_on: [build]}
	---
	$H
	kind: Tool
	metadata: {name: x_build}
	spec: {description: Build it, command: [make]}
	EOF
	cat >proj/.muster/tools/more.yml <<-EOF
	$H
	kind: Tool
	metadata: {name: x_test}
	spec: {run: make test}
	---
	$H
	kind: Workflow
	metadata: {name: nightly}
	spec:
	  steps: [{id: a, run: "true"}, {id: b, run: "true"}]
	EOF
'

test_expect_success 'metadata.name defaults to the file name; .yml loads' '
	(cd proj && muster list) >out &&
	cat >expect <<-EOF &&
	workflows:
	  deploy   Deploy it
	  nightly
	tools:
	  x_build  Build it
	  x_test
	serviceclasses:
	EOF
	test_cmp expect out
'

test_expect_success 'list one kind, and as JSON' '
	(cd proj && muster list tools --json) >out &&
	python3 -c "
import json
t = {e[\"name\"]: e for e in json.load(open(\"out\"))}
assert t[\"x_build\"] == {\"name\": \"x_build\", \"description\": \"Build it\", \"file\": \".muster/workflows/deploy.yaml\", \"kind\": \"tool\"}, t
assert t[\"x_test\"][\"description\"] is None and t[\"x_test\"][\"kind\"] == \"tool\"
assert t[\"workflow_deploy\"][\"description\"] == \"Deploy it\" and t[\"workflow_deploy\"][\"kind\"] == \"workflow\"
assert t[\"core_service_create\"][\"kind\"] == \"builtin\" and t[\"core_service_create\"][\"file\"] is None
assert all(v[\"kind\"] == \"builtin\" for k, v in t.items() if k.startswith(\"core_\")), t
assert len([k for k in t if not k.startswith(\"core_\")]) == 4, sorted(t)
" &&
	muster -C proj list tool >out &&
	grep "^x_build  *Build it$" out &&
	grep "^workflow_deploy  *(workflow) Deploy it$" out &&
	grep "^core_workflow_list  *(built-in) list the workflows$" out &&
	test_expect_code 2 muster -C proj list tols 2>err &&
	grep "did you mean .tools." err
'

test_expect_success '.muster is found from a subfolder, paths stay usable' '
	mkdir -p up/.muster/workflows up/sub/dir &&
	printf "%s\nkind: Workflow\nspec:\n  timeout: 5q\n  steps: [{id: a, run: x}]\n" "$H" >up/.muster/workflows/w.yaml &&
	(cd up/sub/dir && test_expect_code 2 muster validate 2>../../../err) &&
	echo "../../.muster/workflows/w.yaml:4:12: error: bad duration '"'"'5q'"'"' for '"'"'timeout'"'"': unknown unit (ns, us, ms, s, m, h)" >expect &&
	test_cmp expect err
'

test_expect_success '-C and MUSTER_DIR choose the project' '
	muster -C proj validate >out &&
	echo "valid: 2 workflows, 2 tools, 0 service classes" >expect &&
	test_cmp expect out &&
	MUSTER_DIR=proj/.muster muster validate >out &&
	test_cmp expect out &&
	(cd proj && muster validate -q) >out &&
	test ! -s out &&
	test_must_fail muster validate 2>err &&
	echo "muster: no .muster folder here or in any parent" >expect &&
	test_cmp expect err &&
	test_expect_code 2 muster -C nowhere validate 2>err &&
	grep "no such folder" err
'

test_expect_success 'every error of a load is reported, across files' '
	mkdir -p two/.muster/workflows &&
	printf "%s\nkind: Workflow\nspec: {steps: [{id: a, run: x, tiemout: 1s}]}\n" "$H" >two/.muster/workflows/a.yaml &&
	printf "%s\nkind: Tool\nspec: {command: [x], timeout: 1y}\n" "$H" >two/.muster/workflows/b.yaml &&
	test_expect_code 2 muster -C two validate 2>err &&
	test_line_count = 2 err
'

test_expect_success 'validate FILE reports only that file' '
	test_expect_code 2 muster -C two validate two/.muster/workflows/b.yaml 2>err &&
	test_line_count = 1 err &&
	grep "^two/.muster/workflows/b.yaml:3:31: error: bad duration" err
'

test_expect_success 'validate FILE: a good file is valid beside a bad one' '
	printf "%s\nkind: Workflow\nmetadata: {name: fine}\nspec: {steps: [{id: a, run: \"true\"}]}\n" "$H" \
		>two/.muster/workflows/fine.yaml &&
	muster -C two validate two/.muster/workflows/fine.yaml >out 2>err &&
	echo "valid: two/.muster/workflows/fine.yaml" >expect &&
	test_cmp expect out && test ! -s err &&
	muster -C two validate --json two/.muster/workflows/fine.yaml >out &&
	grep "\"valid\":true" out &&
	test_expect_code 2 muster -C two validate --json \
		two/.muster/workflows/b.yaml >out &&
	grep "\"valid\":false,.*bad duration" out
'

test_expect_success 'validate FILE outside the project uses its tools' '
	printf "%s\nkind: Workflow\nmetadata: {name: extra}\nspec: {steps: [{id: a, tool: x_test}]}\n" "$H" >extra.yaml &&
	(cd proj && muster validate ../extra.yaml) &&
	printf "%s\nkind: Workflow\nmetadata: {name: extra}\nspec: {steps: [{id: a, tool: x_tset}]}\n" "$H" >extra.yaml &&
	(cd proj && test_expect_code 2 muster validate ../extra.yaml 2>../err) &&
	echo "../extra.yaml:4:30: error: unknown tool '"'"'x_tset'"'"' (did you mean '"'"'x_test'"'"'?)" >expect &&
	test_cmp expect err
'

test_expect_success 'the older snake_case spellings load' '
	mkdir -p old/.muster/workflows &&
	cat >old/.muster/workflows/old.yaml <<-EOF &&
	$H
	kind: Workflow
	metadata: {name: old}
	spec:
	  parallelism: {max_parallel: 2}
	  error_handling:
	    strategy: rollback
	    rollback_steps: [{id: undo, run: "echo undo"}]
	  steps:
	    - id: a
	      run: "true"
	      retry_policy: {max_attempts: 3, backoff_mode: exponential}
	      on_failure: {action: continue}
	    - id: b
	      run: "true"
	      depends_on: [a]
	      allow_failure: true
	      condition: {from_step: a, expect_not: {success: false, json_path: {x: 1}}}
	EOF
	muster -C old show old >out &&
	grep "^  a  run; 3 attempts; may fail" out &&
	grep "^  b  run; after a; if a; may fail" out &&
	grep "^  undo  run" out
'

test_expect_success 'show prints arguments, steps and edges' '
	muster -C proj show deploy >out &&
	cat >expect <<-EOF &&
	workflow deploy (proj/.muster/workflows/deploy.yaml:1)
	  Deploy it

	arguments:
	  env  string, required, one of ["dev","prod"]

	steps:
	  build  tool x_build
	  ship   run; after build
	EOF
	test_cmp expect out &&
	muster -C proj show deploy --json >out &&
	grep "\"edges\":\[\[\"build\",\"ship\"\]\]" out &&
	test_expect_code 2 muster -C proj show deplyo 2>err &&
	grep "no workflow .deplyo. (did you mean .deploy.?)" err
'

test_expect_success 'graph prints DOT and text' '
	muster -C proj graph deploy >out &&
	grep "^	\"build\" -> \"ship\";" out &&
	muster -C proj graph nightly --format=text >out &&
	printf "a\nb <- a\n" >expect &&
	test_cmp expect out &&
	test_expect_code 2 muster -C proj graph deploy --format=svg 2>err
'

test_expect_success 'config.yaml is checked too' '
	mkdir -p cfg/.muster &&
	printf "jobs: many\n" >cfg/.muster/config.yaml &&
	test_expect_code 2 muster -C cfg validate 2>err &&
	echo "cfg/.muster/config.yaml:1:7: error: '"'"'jobs'"'"' must be an integer, not a string" >expect &&
	test_cmp expect err &&
	printf "jobs: 3\nfsync: true\n" >cfg/.muster/config.yaml &&
	muster -C cfg validate
'

test_done
