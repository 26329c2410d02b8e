#!/bin/sh
# t0401-resume.sh: resume, locks, concurrency, and the history, logs,
# cancel and gc commands.
. "$(dirname "$0")/lib.sh"

use() {
	rm -rf .muster ledger fixed && mkdir -p .muster/workflows &&
	cp "$DATA/run/$1.yaml" .muster/workflows/
}

# until_n N: waits (at most 10 s) until there are N executions.
until_n() {
	for i in $(seq 200); do
		test $(ls .muster/state/executions 2>/dev/null | wc -l) -ge $1 &&
			return 0
		sleep 0.05
	done
	return 1
}

# until_file F: waits (at most 20 s) until F has something in it.
until_file() {
	for i in $(seq 400); do
		test -s "$1" && return 0
		sleep 0.05
	done
	return 1
}

last_id() {
	muster history --json --limit 1 |
		python3 -c "import json,sys; print(json.load(sys.stdin)[0][\"execution_id\"])"
}

test_expect_success 'resume runs what failed and what waited; keeps the rest' '
	use resume &&
	test_expect_code 1 muster -q run resume -j 1 2>err &&
	printf "a\nb\n" >expect && test_cmp expect ledger &&
	touch fixed &&
	muster resume --last 2>err &&
	echo tok-123456 >expect && test_cmp expect token.out &&
	printf "a\nb\nb\nd\nc 41\n" >expect &&
	sort -o got ledger && sort -o expect expect && test_cmp expect got &&
	grep "^muster: resuming execution " err &&
	muster status --json | grep "\"status\":\"completed\""
'

test_expect_success 'a completed execution has nothing to resume' '
	muster resume --last 2>err &&
	grep "completed; there is nothing to resume" err
'

test_expect_success 'secrets are never recorded: resume asks for them again' '
	use resume &&
	test_expect_code 1 muster -q run resume --arg token=given-s3cret 2>/dev/null &&
	! grep -r given-s3cret .muster/state &&
	test_expect_code 2 muster resume --last 2>err &&
	grep "secret argument .token., which is never kept: give it again with --arg token=VALUE" err &&
	test_expect_code 2 muster resume --last --arg token=x --arg nope=1 2>err &&
	grep "only secret arguments are given again on resume" err &&
	touch fixed &&
	muster resume --last --arg token=again-s3cret 2>err &&
	echo again-s3cret >expect && test_cmp expect token.out
'

test_expect_success '--from re-runs a step and what depends on it; a changed step too' '
	use resume && touch fixed &&
	muster -q run resume 2>/dev/null &&
	id=$(last_id) && rm ledger &&
	sed -i "s/echo d >>ledger/echo d2 >>ledger/" .muster/workflows/resume.yaml &&
	muster resume $id --from b --arg token=tok-123456 2>err &&
	grep "^muster: --from b: it runs again, and so does what depends on it" err &&
	grep "step .d. changed since it completed; it runs again" err &&
	sort ledger >got && printf "b\nc 41\nd2\n" >expect && test_cmp expect got
'

test_expect_success 'resume of an unknown or odd id exits 3' '
	test_expect_code 3 muster resume 20200101-000000-0000 2>err &&
	grep "no execution" err &&
	test_expect_code 3 muster resume ../../etc 2>err &&
	test_expect_code 2 muster resume 2>err
'

test_expect_success 'an execution being worked on is locked (75)' '
	use slow
	start_bg -q run slow
	sleep 0.5 &&
	id=$(bg_id) &&
	test_expect_code 75 muster resume $id 2>err2 &&
	grep "^muster: execution $id is locked by pid [0-9][0-9]*$" err2 &&
	wait
'

test_expect_success 'concurrency forbid refuses an overlapping run (75)' '
	start_bg -q run solo
	sleep 0.5 &&
	test_expect_code 75 muster -q run solo 2>err &&
	grep "workflow .solo. is already running (pid [0-9]*), and its concurrency is forbid" err &&
	wait
'

test_expect_success 'concurrency wait queues the second run' '
	rm -f ledger
	start_bg -q run queued
	sleep 0.3 &&
	muster -q run queued 2>err2 &&
	wait &&
	grep "workflow .queued. is running (pid [0-9]*); waiting for it to end" err2 &&
	python3 -c "
ev = [l.split() for l in open(\"ledger\")]
assert [k for k, _ in ev] == [\"start\", \"end\", \"start\", \"end\"], ev
"
'

test_expect_success 'a dead runner shows as interrupted; resume waits for its steps' '
	use slow
	start_bg -q run slow
	stop_bg KILL 0.5 &&
	id=$(bg_id) &&
	muster status $id >st &&
	grep "^execution $id: workflow slow, interrupted$" st &&
	muster resume $id 2>err2 &&
	grep "still runs (pid [0-9]*); waiting for it to end" err2 &&
	test "$(cat ledger)" = "done
done"
'

test_expect_success 'a torn last record is dropped; resume goes on' '
	use resume && touch fixed &&
	muster -q run resume 2>/dev/null &&
	id=$(last_id) &&
	j=.muster/state/executions/$id/journal &&
	head -c $(( $(wc -c <$j) - 20 )) $j >j2 && cat j2 >$j &&
	muster resume $id --arg token=tok-123456 2>err &&
	grep "dropped the last record of .*journal. (.* bytes, cut short by a crash)" err
'

test_expect_success 'damage before the end is corruption: exit 3, path and offset' '
	id=$(last_id) &&
	j=.muster/state/executions/$id/journal &&
	python3 -c "
import sys
p = sys.argv[1]; b = bytearray(open(p, \"rb\").read())
i = b.index(b\"\\\"k\\\":\\\"a\\\"\")
b[i + 6] ^= 1
open(p, \"wb\").write(bytes(b))" $j &&
	test_expect_code 3 muster status $id 2>err &&
	grep "^muster: execution .$id. is corrupt: bad record at byte [0-9]* of .*journal.: bad framing or checksum$" err &&
	test_expect_code 3 muster resume $id 2>err &&
	grep "is corrupt" err
'

test_expect_success 'history: newest first, filters, JSON' '
	use slow && cp "$DATA/run/seq.yaml" .muster/workflows/ &&
	muster -q run seq 2>/dev/null && muster -q run seq 2>/dev/null &&
	muster -q run solo 2>/dev/null && muster -q run seq 2>/dev/null &&
	muster history >h &&
	test $(wc -l <h) -ge 3 &&
	muster history --workflow seq --json | python3 -c "
import json, sys
h = json.load(sys.stdin)
assert len(h) == 3 and all(e[\"workflow_name\"] == \"seq\" for e in h), h
assert h == sorted(h, key=lambda e: e[\"started_at\"], reverse=True)
" &&
	muster history --status completed --limit 1 >h &&
	test_line_count = 2 h &&
	head -1 h | grep "^ID  *WORKFLOW" &&
	test_expect_code 2 muster history --status done 2>err &&
	grep "^muster: --status: expected running, completed, failed, interrupted, cancelled or timed_out, not .done.$" err
'

test_expect_success 'logs: every step, one step, and --follow until the end' '
	use resume &&
	test_expect_code 1 muster -q run resume 2>/dev/null &&
	id=$(last_id) &&
	muster logs $id >l &&
	grep "^==> a.out <==$" l && grep "^{\"v\": 41}$" l &&
	muster logs $id a >l &&
	! grep "b.out" l &&
	use slow
	start_bg -q run slow
	sleep 0.3 &&
	id=$(bg_id) &&
	timeout 10 "$MUSTER" logs $id --follow >l &&
	wait
'

test_expect_success 'cancel: the runner stops and records cancelled' '
	use slow
	start_bg -q run slow
	sleep 0.5 &&
	id=$(bg_id) &&
	muster cancel $id &&
	{ wait $bg_pid; true; } &&
	muster status $id --json | grep "\"status\":\"cancelled\"" &&
	test_expect_code 3 muster cancel $id 2>err &&
	grep "is not running" err
'

test_expect_success 'cancel ID and pause ID act on that execution, not the latest' '
	rm -rf .muster && mkdir -p .muster/workflows &&
	printf "%s\n" "apiVersion: muster.giantswarm.io/v1alpha1" \
		"kind: Workflow" "metadata: {name: long}" "spec:" \
		"  steps: [{id: a, run: \"sleep 8\"}, {id: b, run: \"true\"}]" \
		>.muster/workflows/long.yaml
	rm -f rc1 rc2
	(muster -q run long 2>err1; echo $? >rc1) &
	until_n 1 &&
	older=$(ls .muster/state/executions) &&
	sleep 1.1
	(muster -q run long 2>err2; echo $? >rc2) &
	until_n 2 &&
	newer=$(ls .muster/state/executions | grep -v "$older") &&
	sleep 0.3 &&
	muster cancel "$older" 2>err &&
	grep "cancelling execution $older" err &&
	until_file rc1 &&
	muster status "$older" --json | grep "\"status\":\"cancelled\"" &&
	muster status "$newer" --json | grep "\"status\":\"running\"" &&
	muster pause "$(echo $newer | cut -c1-18)" 2>err &&
	grep "pausing execution $newer" err &&
	until_file rc2 &&
	test "$(cat rc2)" = 5
'

test_expect_success 'gc keeps the newest and what still runs' '
	use slow && cp "$DATA/run/seq.yaml" .muster/workflows/ &&
	muster -q run seq 2>/dev/null && muster -q run seq 2>/dev/null
	start_bg -q run slow
	sleep 0.3 &&
	muster gc --older-than 0s 2>err &&
	test $(ls .muster/state/executions | wc -l) = 1 &&
	test -d .muster/state/executions/$(bg_id) &&
	wait $bg_pid &&
	muster -q run seq 2>/dev/null && muster -q run seq 2>/dev/null &&
	muster gc --keep 1 2>err &&
	test $(ls .muster/state/executions | wc -l) = 1 &&
	muster gc --older-than 0s &&
	test $(ls .muster/state/executions | wc -l) = 0
'

test_expect_success 'onFailure runs again each time a resume fails' '
	mkdir -p of/.muster/workflows &&
	cat >of/.muster/workflows/of.yaml <<-\EOF &&
	apiVersion: muster.giantswarm.io/v1alpha1
	kind: Workflow
	metadata: {name: of}
	spec:
	  steps:
	    - {id: a, run: "test -e ok"}
	  onFailure:
	    - {id: notify, run: "echo notified >>notes"}
	EOF
	(cd of && test_expect_code 1 muster run of &&
		test_expect_code 1 muster resume --last &&
		test "$(wc -l <notes)" = 2 &&
		touch ok && muster resume --last) &&
	test "$(wc -l <of/notes)" = 2
'

test_done
