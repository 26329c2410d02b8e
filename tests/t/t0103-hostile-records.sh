#!/bin/sh
# t0103-hostile-records.sh: inputs that used to crash muster or make it
# act on the wrong data: a journal a page long cut inside its last record,
# times outside what nanoseconds hold, empty collections, a project with no
# service classes, and a step input that holds a key named "result".
. "$(dirname "$0")/lib.sh"

ID=20260101-000000-abcd
T=2026-01-01T00:00:00.000Z

project() {
	rm -rf p && mkdir -p p/.muster/workflows p/.muster/state/executions/$ID
}

test_expect_success 'a journal exactly a page long, its last record cut short' '
	project &&
	cat >p/.muster/workflows/w.yaml <<-\EOF &&
	apiVersion: muster.giantswarm.io/v1alpha1
	kind: Workflow
	metadata: {name: w}
	spec:
	  steps:
	    - {id: a, run: "true"}
	EOF
	j=p/.muster/state/executions/$ID/journal &&
	echo "{\"t\":\"start\",\"id\":\"$ID\",\"workflow\":\"w\",\"at\":\"$T\",\"input\":{}}" |
		"$HELPERS/journal-frame" >$j &&
	python3 -c "
import sys
p = sys.argv[1]; b = open(p, \"rb\").read()
head = b\"5000 00000000 {\\\"t\\\":\\\"step\\\",\\\"k\\\":\\\"\"
open(p, \"ab\").write(head + b\"a\" * (4096 - len(b) - len(head)))" $j &&
	test $(wc -c <$j) = 4096 &&
	(cd p && muster status $ID) >out &&
	grep "^status: *running\|interrupted" out &&
	(cd p && muster resume $ID) 2>err &&
	grep "dropped the last record" err
'

test_expect_success 'times outside 1700-2261 are corrupt, not overflows' '
	project &&
	printf "%s\n" \
		"{\"t\":\"start\",\"id\":\"$ID\",\"workflow\":\"w\",\"at\":\"1000-01-01T00:00:00.000Z\",\"input\":{}}" |
		"$HELPERS/journal-frame" >p/.muster/state/executions/$ID/journal &&
	(cd p && test_expect_code 3 muster status $ID) 2>err &&
	grep "\"at\" of a start record is not a time" err &&
	printf "%s\n" \
		"{\"t\":\"start\",\"id\":\"$ID\",\"workflow\":\"w\",\"at\":\"9999-12-31T23:59:59.999Z\",\"input\":{}}" |
		"$HELPERS/journal-frame" >p/.muster/state/executions/$ID/journal &&
	(cd p && test_expect_code 3 muster status $ID) 2>err &&
	grep "\"at\" of a start record is not a time" err
'

test_expect_success '{} as a definition file, as --args-file; no service class' '
	project &&
	echo "{}" >p/.muster/workflows/empty.yaml &&
	(cd p && test_expect_code 2 muster validate) 2>err &&
	grep "empty.yaml:1:1: error:" err &&
	rm p/.muster/workflows/empty.yaml &&
	cat >p/.muster/workflows/w.yaml <<-\EOF &&
	apiVersion: muster.giantswarm.io/v1alpha1
	kind: Workflow
	metadata: {name: w}
	spec:
	  steps:
	    - {id: a, run: "true"}
	EOF
	echo "{}" >args.yaml &&
	(cd p && muster run w --args-file ../args.yaml) &&
	(cd p && muster call core_serviceclass_list) >out &&
	grep "serviceClasses.*\\[ *\\]" out
'

test_expect_success 'resume takes the result, not an input named result' '
	project &&
	cat >p/.muster/workflows/w.yaml <<-\EOF &&
	apiVersion: muster.giantswarm.io/v1alpha1
	kind: Workflow
	metadata: {name: w}
	spec:
	  steps:
	    - id: a
	      tool: t
	      args: {result: fake}
	    - {id: b, run: "echo {{ .results.a.real }} >../b.out", dependsOn: [a]}
	EOF
	mkdir -p p/.muster/tools &&
	cat >p/.muster/tools/t.yaml <<-\EOF &&
	apiVersion: muster.giantswarm.io/v1alpha1
	kind: Tool
	metadata: {name: t}
	spec:
	  args:
	    result: {type: string}
	  command: [sh, ../a.sh]
	EOF
	cat >a.sh <<-\EOF &&
	echo "{\"real\": \"yes\"}"
	EOF
	rm -r p/.muster/state/executions/$ID &&
	(cd p && muster run w -q) &&
	test "$(cat b.out)" = yes &&
	rm b.out &&
	id=$(cd p && muster history --json | sed "s/.*\"execution_id\":\"\\([^\"]*\\)\".*/\\1/") &&
	(cd p && muster resume $id --from b -q) &&
	test "$(cat b.out)" = yes
'

test_expect_success '--arg integers out of range are errors, as in --args-file' '
	project &&
	cat >p/.muster/workflows/n.yaml <<-\EOF &&
	apiVersion: muster.giantswarm.io/v1alpha1
	kind: Workflow
	metadata: {name: n}
	spec:
	  args:
	    n: {type: integer}
	    k: {type: integer, secret: true}
	    f: {type: number}
	  steps:
	    - {id: a, run: "echo {{ .input.n }}"}
	EOF
	(cd p && test_expect_code 2 muster run -n n --arg n=99999999999999999999999) 2>err &&
	grep "argument .n. is out of range: .99999999999999999999999." err &&
	(cd p && test_expect_code 2 muster run -n n --arg n=1 --arg k=-99999999999999999999) 2>err &&
	grep "argument .k. is out of range: .\*\*\*." err &&
	! grep 99999 err &&
	(cd p && muster run -n n --arg n=9223372036854775807 --arg f=1e30) >out &&
	grep 9223372036854775807 out
'

test_expect_success 'resume does not wait for a stranger that copied MUSTER_EXECUTION_ID' '
	project && rm -r p/.muster/state/executions/$ID &&
	cat >p/.muster/workflows/w.yaml <<-\EOF &&
	apiVersion: muster.giantswarm.io/v1alpha1
	kind: Workflow
	metadata: {name: w}
	spec:
	  steps:
	    - {id: a, run: "test -e ../ok"}
	EOF
	(cd p && test_expect_code 1 muster run -q w) &&
	id=$(cd p && muster history --json | sed "s/.*\"execution_id\":\"\\([^\"]*\\)\".*/\\1/") &&
	{ MUSTER_EXECUTION_ID=$id sleep 60 & } &&
	stranger=$! &&
	touch ok &&
	(cd p && timeout 20 "$MUSTER" resume -q $id) 2>err
	rc=$?
	kill $stranger
	test $rc = 0 && ! grep "waiting" err
'

test_expect_success 'cancel signals only the recorded runner that holds the lock' '
	project && rm -r p/.muster/state/executions/$ID &&
	cat >p/.muster/workflows/slow.yaml <<-\EOF &&
	apiVersion: muster.giantswarm.io/v1alpha1
	kind: Workflow
	metadata: {name: slow}
	spec:
	  steps:
	    - {id: a, run: "sleep 30"}
	EOF
	(cd p && exec "$MUSTER" -q run slow) 2>/dev/null &
	runner=$!
	sleep 30 &
	victim=$!
	for i in 1 2 3 4 5 6 7 8 9 10; do
		ls p/.muster/state/executions/*/lock >/dev/null 2>&1 && break
		sleep 0.3
	done
	sleep 0.5
	id=$(ls p/.muster/state/executions/) &&
	echo $victim >p/.muster/state/executions/$id/lock &&
	(cd p && test_expect_code 3 muster cancel $id) 2>err &&
	grep "names pid $victim, which is not the runner it recorded" err &&
	kill -0 $victim &&
	echo $runner >p/.muster/state/executions/$id/lock &&
	(cd p && muster cancel $id) &&
	{ wait $runner || :; } &&
	kill $victim
	(cd p && muster status $id) >out &&
	grep cancelled out
'

test_expect_success 'one depth limit: 64 levels in, and every record read back' '
	project && rm -r p/.muster/state/executions/$ID &&
	cat >p/.muster/workflows/deep.yaml <<-\EOF &&
	apiVersion: muster.giantswarm.io/v1alpha1
	kind: Workflow
	metadata: {name: deep}
	spec:
	  args:
	    l: {type: array}
	  steps:
	    - {id: make, run: "cat ../deep.json"}
	    - {id: use, run: "test -e ../ok", dependsOn: [make]}
	    - {id: again, run: "echo {{ toJson .results.make }} | head -c 3", dependsOn: [use]}
	EOF
	rm -f ok &&
	python3 -c "print(\"[\" * 63 + \"]\" * 63)" >deep.json &&
	python3 -c "print(\"[\" * 64 + \"]\" * 64)" >l64 &&
	python3 -c "print(\"[\" * 65 + \"]\" * 65)" >l65 &&
	(cd p && test_expect_code 2 muster run -n deep --arg l=$(cat ../l65)) 2>err &&
	grep "argument .l. is not valid JSON (nested deeper than 64 levels at byte" err &&
	(cd p && test_expect_code 1 muster run -q deep --arg l=$(cat ../l64)) &&
	id=$(cd p && muster history --json | sed "s/.*\"execution_id\":\"\\([^\"]*\\)\".*/\\1/") &&
	(cd p && muster status --json $id) >st &&
	grep -F "\"result\":$(cat deep.json)" st &&
	touch ok &&
	(cd p && muster resume -q $id) 2>err &&
	(cd p && muster status --json $id) >st &&
	grep "\"status\":\"completed\"" st &&
	grep -F "\"step_id\":\"make\"" st &&
	grep -F "\"result\":$(cat deep.json)" st
'

test_done
