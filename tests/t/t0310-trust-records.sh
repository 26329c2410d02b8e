#!/bin/sh
# t0310-trust-records.sh: what muster records and reports is the truth:
# secrets masked by structure (never muster's own words), results that
# survive resume, errors that say why, retries and counts told right.
. "$(dirname "$0")/lib.sh"

use() {
	rm -rf .muster fixed ./*.out && mkdir -p .muster/workflows &&
	for f in "$@"; do cp "$DATA/trust/$f.yaml" .muster/workflows/; done
}

# Every record of every journal is one well-formed JSON object.
journals_ok() {
	python3 - .muster/state/executions/*/journal <<-\PY
	import json, sys
	for path in sys.argv[1:]:
	    for line in open(path, "rb").read().split(b"\n")[:-1]:
	        n, crc, payload = line.split(b" ", 2)
	        assert len(payload) == int(n), path
	        assert isinstance(json.loads(payload), dict), payload
	PY
}

exec_dir() {
	echo .muster/state/executions/$(ls .muster/state/executions | tail -1)
}

# A field of the first record of type $1 (and step key $2) of the journal.
rec() {
	python3 - "$(exec_dir)/journal" "$@" <<-\PY
	import json, sys
	path, t, k, field = sys.argv[1:5]
	for line in open(path, "rb").read().split(b"\n")[:-1]:
	    r = json.loads(line.split(b" ", 2)[2])
	    if r["t"] == t and (k == "-" or r.get("k") == k) and field in r:
	        print(json.dumps(r[field], sort_keys=True, separators=(",", ":")))
	PY
}

test_expect_success 'a one-character secret changes no key, word or path' '
	use mask &&
	test_expect_code 1 muster run mask --arg password=e --arg keep=e \
		>out 2>err &&
	rec start - input >got &&
	echo "{\"keep\":\"e\",\"password\":\"***\"}" >expect &&
	test_cmp expect got &&
	rec step login input | tail -1 >got &&
	echo "{\"password\":\"***\",\"user\":\"e\"}" >expect &&
	test_cmp expect got &&
	grep " started: started$" err &&
	grep " started: completed in " err &&
	grep -E " muster: mask failed in .*: 2 completed, 1 failed(;|$)" err &&
	log=$(sed -n "s/.* log: //p" err) && test -s "$log" &&
	! grep -F "***" err &&
	journals_ok
'

test_expect_success 'a short secret is said to be masked by structure only' '
	grep "secret argument .password. is shorter than 4 characters" err &&
	grep "says e here" $(exec_dir)/logs/started.out &&
	! grep -r -F "\"password\":\"e\"" .muster/state
'

test_expect_success 'resume works with a one-character secret' '
	touch fixed &&
	muster resume --last --arg password=e 2>err &&
	muster status --json >status &&
	grep "\"status\":\"completed\"" status &&
	grep "\"keep\":\"e\"" status
'

test_expect_success 'a secret of 4 characters or more is masked in free text only' '
	use mask &&
	test_expect_code 1 muster run mask --arg password=started \
		--arg keep=started >out 2>err &&
	grep "says \*\*\* here" $(exec_dir)/logs/started.out &&
	grep "failing with \*\*\*" $(exec_dir)/logs/boom.err &&
	! grep -r started $(exec_dir)/logs &&
	grep " started: started$" err &&
	rec start - input >got &&
	echo "{\"keep\":\"started\",\"password\":\"***\"}" >expect &&
	test_cmp expect got &&
	rec step started result | tail -1 >got &&
	grep -F "says *** here" got && ! grep started got &&
	! grep "secret argument" err &&
	journals_ok
'

test_expect_success 'events keep their names; only free text is masked' '
	use mask &&
	test_expect_code 1 muster --json run mask --arg password=execution_id \
		--arg keep=x >events 2>err &&
	python3 -c "
import json, sys
ev = [json.loads(l) for l in open(\"events\")]
assert ev[0][\"event\"] == \"run_started\", ev[0]
assert all(\"execution_id\" in e for e in ev), ev
assert ev[-1][\"event\"] == \"run_finished\", ev[-1]
"
'

test_expect_success 'run -n with a secret that is a name of the plan' '
	use steps &&
	muster run -n steps --arg token=Failure >plan 2>err &&
	grep "^  Failure: for each item" plan &&
	muster --json run -n steps --arg token=steps >plan.json &&
	python3 -c "
import json
p = json.load(open(\"plan.json\"))
assert p[\"input\"] == {\"token\": \"***\"}, p
assert [s[\"id\"] for s in p[\"steps\"]] == [\"a\", \"Failure\"], p
assert \"***\" in p[\"steps\"][0][\"run\"], p
"
'

test_expect_success '--parent must be an execution id' '
	use steps &&
	test_expect_code 2 muster run steps --arg token=abcd \
		--parent "x\",\"workflow\":\"w" 2>err &&
	grep "is not an execution id" err &&
	test_expect_code 2 muster run steps --arg token=abcd \
		--parent "a\"b" 2>err &&
	test ! -d .muster/state/executions ||
	test -z "$(ls .muster/state/executions)"
'

test_expect_success 'a well-formed --parent is recorded as JSON' '
	use steps &&
	muster -q run steps --arg token=abcd --parent 20200101-000000-00ab &&
	rec start - parent >got &&
	echo "\"20200101-000000-00ab\"" >expect && test_cmp expect got &&
	journals_ok
'

test_expect_success '--args-file errors never print a value' '
	use mask &&
	printf "password: !!int S3cr3tXyZ\n" >a1.yaml &&
	test_expect_code 2 muster run mask --args-file a1.yaml 2>err &&
	grep "does not match its tag" err && ! grep S3cr3t err &&
	printf "password: 91876543219876543210987\n" >a2.yaml &&
	test_expect_code 2 muster run mask --args-file a2.yaml 2>err &&
	grep "out of range" err && ! grep 918765 err
'

test_expect_success 'a failed step says why, in its own last words' '
	use mask &&
	test_expect_code 1 muster run mask --arg password=pw-secret-1 \
		2>err &&
	muster status --json >status &&
	python3 -c "
import json
d = json.load(open(\"status\"))
boom = [s for s in d[\"steps\"] if s[\"step_id\"] == \"boom\"][0]
assert boom[\"error\"] == \"exit status 1: failing with ***\", boom
assert d[\"error\"] == \"step \x27boom\x27 failed: \" + boom[\"error\"], d
" &&
	grep "  failed: boom: exit status 1: failing with \*\*\*$" err &&
	muster history --json >history &&
	python3 -c "
import json
h = json.load(open(\"history\"))
assert h[0][\"error\"] == \"step \x27boom\x27 failed: exit status 1: \" \\
    \"failing with ***\", h
"
'

test_expect_success 'the tail of stderr is bounded, its lines joined' '
	use retry &&
	test_expect_code 1 muster run retry --arg succeed_at=9 2>err &&
	muster status --json >status &&
	python3 -c "
import json
d = json.load(open(\"status\"))
e = d[\"steps\"][0][\"error\"]
assert e == \"exit status 3: trying 3 | first line | attempt 3 broke\", e
"
'

test_expect_success 'a retried failure points at its last attempt' '
	log=$(sed -n "s/.* log: //p" err) &&
	test "$(basename "$log")" = flaky.3.err &&
	grep "attempt 3 broke" "$log"
'

test_expect_success 'logs shows attempts in the order they ran' '
	muster logs $(basename $(exec_dir)) >logs &&
	grep "^==> " logs >got &&
	cat >expect <<-\EOF &&
	==> flaky.out <==
	==> flaky.err <==
	==> flaky.2.out <==
	==> flaky.2.err <==
	==> flaky.3.out <==
	==> flaky.3.err <==
	EOF
	test_cmp expect got
'

test_expect_success 'an attempt lasts what it ran, not the wait before it' '
	grep "attempt 2 of 3 failed after [0-9]*ms" err >got &&
	! grep "after [0-9.]*s:" got &&
	python3 - "$(exec_dir)/journal" <<-\PY
	import json, sys
	recs = [json.loads(l.split(b" ", 2)[2])
	        for l in open(sys.argv[1], "rb").read().split(b"\n")[:-1]]
	ends = [r for r in recs if r["t"] == "step" and r["s"] == "failed"]
	assert len(ends) == 3, ends
	assert all(r["ms"] < 350 for r in ends), ends
	PY
'

test_expect_success 'a long tail is cut at its start; no stderr, no tail' '
	use loud &&
	test_expect_code 1 muster run loud 2>err &&
	muster status --json >status &&
	python3 -c "
import json
s = {x[\"step_id\"]: x[\"error\"] for x in json.load(open(\"status\"))[\"steps\"]}
assert s[\"long\"].startswith(\"exit status 2: ...xxx\"), s
assert s[\"long\"].endswith(\"xxx the end\"), s
assert len(s[\"long\"]) <= len(\"exit status 2: ...\") + 400, len(s[\"long\"])
assert s[\"quiet\"] == \"exit status 3\", s
assert s[\"ctrl\"] == \"exit status 4: one [31m red |  two\", s
"
'

test_expect_success 'a step that succeeded on a retry keeps no stale error' '
	use retry &&
	muster -q run retry --arg succeed_at=2 &&
	muster status --json >status &&
	python3 -c "
import json
d = json.load(open(\"status\"))
assert d[\"error\"] is None and d[\"steps\"][0][\"error\"] is None, d
assert d[\"steps\"][0][\"attempts\"] == 2, d
"
'

test_expect_success 'a run that timed out is recorded timed_out' '
	use hang &&
	test_expect_code 124 muster run hang 2>err &&
	grep "muster: hang timed out" err &&
	muster status --json | grep "\"status\":\"timed_out\"" &&
	muster history --status timed_out >got &&
	grep " timed_out " got &&
	muster history --status failed >got &&
	! grep hang got
'

test_expect_success 'resume keeps every name of a forEach result' '
	use each &&
	test_expect_code 1 muster -q run each 2>err &&
	touch fixed &&
	muster resume --last 2>err &&
	echo "c a b" >expect && test_cmp expect after.out
'

test_expect_success 'a workflow without output returns all results' '
	use child &&
	muster run child --result-json >got 2>err &&
	python3 -c "
import json
r = json.load(open(\"got\"))
assert r == {\"build\": {\"tag\": \"v1\"}, \"note\": {\"stdout\": \"noted\"}}, r
" &&
	muster -q run parent &&
	echo "v1 noted" >expect && test_cmp expect use.out &&
	muster status --json >status &&
	grep "\"result\":{\"sub\":" status
'

test_expect_success 'its forEach results are there under every name' '
	use each && touch fixed &&
	muster -q run each &&
	muster status --json >status &&
	python3 -c "
import json
r = json.load(open(\"status\"))[\"result\"]
assert r[\"push\"] == {\"r\": \"c\"} and r[\"push_0\"] == {\"r\": \"a\"}, r
assert r[\"deploy\"][1] == {\"push\": {\"r\": \"b\"}}, r
"
'

# Waits until both first iterations of count.yaml run.
wait_started() {
	n=0
	while ! test -e started.1 || ! test -e started.2; do
		n=$((n + 1)) && test $n -lt 100 || return 1
		sleep 0.1
	done
	sleep 0.2
}

# The summary's counts line and lists agree, and with the record.
counts_agree() {
	grep "\(interrupted\|cancelled\) in .*: 1 completed, 1 failed, 1 not run\($\|;\)" err &&
	test "$(grep -c "  failed: " err)" = 1 &&
	grep "  failed: each: step .wait_[01]. failed: $1$" err &&
	grep "  not run: z$" err &&
	python3 -c "
import json
s = json.load(open(\"$(exec_dir)/summary.json\"))
assert s[\"steps\"] == {\"steps\": 3, \"completed\": 1, \"failed\": 1,
    \"skipped\": 0, \"not_run\": 1}, s
"
}

test_expect_success 'after SIGINT the counts are those listed' '
	use count && rm -f started.* &&
	start_bg run count &&
	wait_started &&
	stop_bg INT 0 && test "$(cat rc)" = 130 &&
	counts_agree "interrupted by SIGINT"
'

test_expect_success 'after cancel the counts are those listed' '
	use count && rm -f started.* &&
	start_bg run count &&
	wait_started &&
	muster cancel $(bg_id) &&
	wait $bg_pid; echo $? >rc &&
	counts_agree cancelled
'

test_expect_success 'the events count as the summary does' '
	use count && rm -f started.* &&
	sed -i "s/sleep 10/true/" .muster/workflows/count.yaml &&
	muster --json run count >events 2>err &&
	python3 -c "
import json
ev = [json.loads(l) for l in open(\"events\")]
assert ev[0][\"steps\"] == 3, ev[0]
assert ev[-1][\"steps\"] == {\"steps\": 3, \"completed\": 3, \"failed\": 0,
    \"skipped\": 0, \"not_run\": 0}, ev[-1]
"
'

test_expect_success 'the live line never counts past its total' '
	use count && rm -f started.* &&
	sed -i "s/sleep 10/sleep 0.2/" .muster/workflows/count.yaml &&
	python3 - "$MUSTER" <<-\PY
	import os, pty, re, subprocess, sys
	m, s = pty.openpty()
	p = subprocess.Popen([sys.argv[1], "run", "count"], stderr=s,
	                     stdout=subprocess.DEVNULL)
	os.close(s)
	out = b""
	while True:
	    try:
	        b = os.read(m, 4096)
	    except OSError:
	        break
	    if not b:
	        break
	    out += b
	assert p.wait() == 0, out
	seen = [(int(d), int(t)) for d, t in re.findall(rb"\[(\d+)/(\d+) \d+%\]", out)]
	assert seen and all(t == 3 and d <= t for d, t in seen), seen
	assert (2, 3) in seen, seen
	PY
'

test_done
