#!/bin/sh
# t0501-service-workflow.sh: services from workflows: the core_service*
# built-ins, and the preview example end to end.
. "$(dirname "$0")/lib.sh"

reap_daemons() {
	for pid in $(pgrep -f "__supervise $TRASH/" 2>/dev/null); do
		kill -KILL -"$pid" 2>/dev/null
	done
}
trap reap_daemons EXIT

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

test_expect_success 'every core_service* built-in from a workflow' '
	test_project &&
	cp "$DATA/svc/sleeper.yaml" .muster/serviceclasses/ &&
	cp "$DATA/svc/ops-workflow.yaml" .muster/workflows/ops.yaml &&
	muster run ops 2>err &&
	muster status --json >doc &&
	python3 -c "
import json
steps = {s[\"step_id\"]: s for s in json.load(open(\"doc\"))[\"steps\"]}
r = lambda k: steps[k][\"result\"]
assert [c[\"name\"] for c in r(\"classes\")[\"serviceClasses\"]] == [\"sleeper\"]
assert r(\"available\")[\"available\"] is True, r(\"available\")
assert steps[\"missing\"][\"status\"] == \"failed\", steps[\"missing\"]
assert \"no service class\" in steps[\"missing\"][\"error\"], steps[\"missing\"]
assert r(\"create\")[\"name\"] == \"s-wf\" and r(\"create\")[\"state\"] == \"healthy\"
assert r(\"create\")[\"args\"] == {\"tag\": \"wf\"}
assert r(\"wait\")[\"state\"] == \"healthy\"
assert r(\"status\")[\"state\"] == \"healthy\"
assert [i[\"name\"] for i in r(\"list\")] == [\"s-wf\"]
assert r(\"stop\")[\"state\"] == \"stopped\"
assert r(\"start\")[\"state\"] == \"healthy\"
assert r(\"restart\")[\"state\"] == \"healthy\"
assert r(\"delete\")[\"state\"] == \"deleted\"
" &&
	muster service list >out && test_line_count = 0 out
'

test_expect_success 'missing or unknown built-in arguments: nothing runs' '
	rm -rf .muster && test_project &&
	cat >.muster/workflows/bad.yaml <<-\EOF &&
	apiVersion: muster.giantswarm.io/v1alpha1
	kind: Workflow
	metadata: {name: bad}
	spec:
	  steps:
	    - id: noclass
	      tool: core_service_create
	    - id: noname
	      tool: core_service_stop
	    - id: typo
	      tool: core_workflow_execution_list
	      args: {limt: 3}
	EOF
	test_expect_code 2 muster run bad 2>err &&
	grep "bad.yaml:7:13: error: step .noclass. calls tool .core_service_create. without its required argument .serviceClassName." err &&
	grep "bad.yaml:9:13: error: step .noname. calls tool .core_service_stop. without its required argument .name." err &&
	grep "bad.yaml:12:13: error: step .typo. gives tool .core_workflow_execution_list. argument .limt., which it does not take (did you mean .limit.?)" err &&
	test ! -d .muster/state/executions
'

test_expect_success 'bad built-in argument values fail the step with the reason' '
	rm -rf .muster && test_project &&
	cp "$DATA/svc/sleeper.yaml" .muster/serviceclasses/ &&
	cat >.muster/workflows/bad.yaml <<-\EOF &&
	apiVersion: muster.giantswarm.io/v1alpha1
	kind: Workflow
	metadata: {name: bad}
	spec:
	  steps:
	    - id: badtimeout
	      tool: core_service_wait_healthy
	      args: {name: x, timeout: soon}
	      allowFailure: true
	    - id: unknown
	      tool: core_service_status
	      args: {name: nosuch}
	EOF
	test_expect_code 1 muster run bad 2>err &&
	grep "badtimeout: failed .*argument .timeout. must be a duration" err &&
	grep "unknown: failed after .*: exit status 3" err &&
	cat .muster/state/executions/*/logs/unknown.err >log &&
	grep "no service .nosuch." log
'

test_expect_success 'the preview example: create, wait healthy, smoke, delete' '
	rm -rf .muster && cp -R "$TOP/examples/preview/." . &&
	rm -rf .muster/state &&
	port=$(free_port) &&
	mkdir -p sub &&
	(cd sub && muster -C .. run preview --arg port=$port >../out 2>../err) &&
	grep "\"url\":\"http://127.0.0.1:$port/\"" out &&
	grep "\"checked\":\"muster preview\"" out &&
	grep "teardown: completed" err &&
	muster service list >list && test_line_count = 0 list
'

test_expect_success 'the preview example cleans up when the service fails' '
	port=$(free_port) &&
	python3 -c "
import socket, subprocess, sys
s = socket.socket()
s.bind((\"127.0.0.1\", $port))
s.listen()
sys.exit(subprocess.run([\"$MUSTER\", \"run\", \"preview\", \"--arg\", \"port=$port\"]).returncode)
" 2>err;
	test $? = 1 &&
	grep "serve: failed" err &&
	grep "cleanup: completed" err &&
	grep -h "port $port on 127.0.0.1 answers before the daemon started" \
		.muster/state/executions/*/logs/serve.err &&
	muster service list >list && test_line_count = 0 list
'

test_done
