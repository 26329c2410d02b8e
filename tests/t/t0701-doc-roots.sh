#!/bin/sh
# t0701-doc-roots.sh: the design documents' template roots: an argument as
# .name as well as .input.name, a step's result as .stepid as well as
# .results.stepid, with the same static checks; a name that is both an
# argument and a step id is a load error.
. "$(dirname "$0")/lib.sh"

write() {
	mkdir -p .muster/workflows &&
	cat >.muster/workflows/w.yaml
}

test_expect_success 'results by step id, arguments by name' '
	mkdir -p .muster/workflows &&
	cp "$DATA/roots/w.yaml" .muster/workflows/ &&
	test_expect_code 1 muster -q run w --arg environment=prod &&
	muster status --json >st &&
	python3 -c "
import json; d = json.load(open(\"st\"))
r = {s[\"step_id\"]: s[\"result\"] for s in d[\"steps\"]}
assert r[\"use\"] == {\"stdout\": \"42 prod 42\"}, r
assert r[\"after\"] == {\"stdout\": \"2 42 prod 42\"}, r
"
'

test_expect_success 'after resume, .stepid reads the recorded result' '
	id=$(muster status --json | python3 -c "import json,sys; print(json.load(sys.stdin)[\"execution_id\"])") &&
	touch go &&
	muster -q resume "$id" &&
	muster status --json "$id" >st &&
	python3 -c "
import json; d = json.load(open(\"st\"))
r = {s[\"step_id\"]: s[\"result\"] for s in d[\"steps\"]}
assert r[\"late\"] == {\"stdout\": \"42 42 prod 42\"}, r
"
'

test_expect_success '.stepid needs dependsOn like .results.stepid' '
	cp "$DATA/roots/nodep.yaml" .muster/workflows/w.yaml &&
	test_expect_code 2 muster validate 2>err &&
	grep "w.yaml:11:21: error: step .b. reads .a but does not depend on .a.; add it to dependsOn" err
'

test_expect_success 'a name that is an argument and a step id is an error' '
	write <<-\EOF &&
	apiVersion: muster.giantswarm.io/v1alpha1
	kind: Workflow
	metadata: {name: w}
	spec:
	  args:
	    build: {type: string, default: x}
	  steps:
	    - id: build
	      run: "true"
	EOF
	test_expect_code 2 muster validate 2>err &&
	grep "w.yaml:6:5: error: argument .build. has the name of a step" err
'

test_done
