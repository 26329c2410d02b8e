#!/bin/sh
# t0304-run-output.sh: what a run shows (plain lines, JSON events, -v, a
# terminal), dry runs, tools, child workflows, built-ins and muster call.
. "$(dirname "$0")/lib.sh"

use() {
	rm -rf .muster && mkdir -p .muster/workflows &&
	cp "$DATA/run/$1.yaml" .muster/workflows/
}

test_expect_success 'without a terminal: one timestamped line per event' '
	use chatty &&
	muster run chatty 2>err &&
	grep -E "^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8} one: started$" err &&
	grep -E "^[0-9-]{10} [0-9:]{8} two: completed in [0-9.]+m?s \[2/2, 100% done, [0-9]+s in\]$" err &&
	! grep -F "$(printf "\r")" err &&
	! grep -F "$(printf "\033")" err
'

test_expect_success '-v streams step output with a [step] prefix' '
	muster -v run chatty 2>err &&
	grep -x "\[one\] out-one" err &&
	grep -x "\[one\] err-one" err &&
	grep -x "\[two\] partial" err
'

test_expect_success '-q prints nothing when all is well' '
	muster -q run chatty >out 2>err &&
	test ! -s err && test ! -s out
'

test_expect_success '--json: one JSON event per line on stdout' '
	muster --json run chatty >events 2>err &&
	python3 -c "
import json
ev = [json.loads(l) for l in open(\"events\")]
kinds = [e[\"event\"] for e in ev]
assert kinds[0] == \"run_started\" and kinds[-1] == \"run_finished\", kinds
assert kinds.count(\"step_started\") == 2 and kinds.count(\"step_completed\") == 2
assert ev[-1][\"status\"] == \"completed\" and ev[-1][\"exit_code\"] == 0
assert all(e[\"execution_id\"] == ev[0][\"execution_id\"] for e in ev)
" &&
	! grep "started" err
'

test_expect_success 'on a terminal: a live status line, colour unless NO_COLOR' '
	script -qec "$MUSTER run chatty" /dev/null >tty &&
	grep -F "[0/2 0%] running one" tty &&
	grep -F "[1/2 50%] running two" tty &&
	grep -F "$(printf "\033[32m")" tty &&
	NO_COLOR=1 script -qec "$MUSTER run chatty" /dev/null >tty &&
	! grep -F "$(printf "\033[32m")" tty &&
	script -qec "$MUSTER --color=never run chatty" /dev/null >tty &&
	! grep -F "$(printf "\033[3")" tty
'

test_expect_success 'a dry run prints the plan and writes nothing' '
	use chatty &&
	muster run chatty -n >plan 2>err &&
	grep "^  one: run echo out-one; echo err-one >&2$" plan &&
	grep "^  two: run printf \"partial\"; after one$" plan &&
	test ! -e .muster/state &&
	muster run chatty -n --json >plan.json &&
	python3 -c "import json; p = json.load(open(\"plan.json\")); assert [s[\"id\"] for s in p[\"steps\"]] == [\"one\", \"two\"]"
'

test_expect_success 'workflow_<name>: a child execution whose result is its output' '
	use nested &&
	muster run parent -j 2 2>err &&
	echo "hello world x2" >expect &&
	test_cmp expect nested.out &&
	muster status --json >st &&
	python3 -c "
import json
d = json.load(open(\"st\"))
steps = {s[\"step_id\"]: s for s in d[\"steps\"]}
assert steps[\"call\"][\"result\"] == {\"message\": \"hello world\", \"times\": 2}
assert [w[\"name\"] for w in steps[\"list\"][\"result\"][\"workflows\"]] == [\"child\", \"parent\"]
h = steps[\"history\"][\"result\"]
assert h[\"total\"] == 1 and h[\"executions\"][0][\"parent_execution_id\"] == d[\"execution_id\"], h
assert steps[\"badfail\"][\"status\"] == \"failed\"
assert \"must be a string\" in steps[\"badfail\"][\"error\"], steps[\"badfail\"]
"
'

test_expect_success 'workflow_<name> from another folder, in a workdir outside the project' '
	use nested && cp "$DATA/run/away.yaml" .muster/workflows/ &&
	mkdir -p elsewhere &&
	(cd elsewhere && muster -C .. -q run away 2>../err) &&
	echo "hello far" >expect &&
	test_cmp expect away.out
'

test_expect_success 'templates that read the whole root see the results' '
	use whole &&
	muster -q run whole 2>err &&
	echo 41 >expect && test_cmp expect b.out &&
	echo ab >expect && test_cmp expect c.out
'

test_expect_success 'muster call: a tool, a built-in, a workflow' '
	use nested &&
	muster call workflow_child --arg name=you >out 2>err &&
	echo "{\"message\":\"hello you\",\"times\":1}" >expect &&
	test_cmp expect out &&
	muster call core_workflow_execution_list --arg limit=1 >out &&
	python3 -c "import json; d = json.load(open(\"out\")); assert d[\"limit\"] == 1 and len(d[\"executions\"]) == 1 and d[\"total\"] >= 1" &&
	test_expect_code 2 muster call workflow_child --arg name=you --arg x=1 2>err &&
	grep "unknown argument .x." err &&
	test_expect_code 2 muster call x_nothing 2>err &&
	grep "unknown tool .x_nothing." err &&
	test_expect_code 1 muster call core_workflow_execution_get --arg execution_id=nope 2>err &&
	grep "no execution .nope." err
'

test_done
