#!/bin/sh
# t0602-observe-trace.sh: muster trace writes Chrome trace-event JSON: an
# event per attempt on lanes, retries and their waits, child executions,
# service operations.
. "$(dirname "$0")/lib.sh"

use_obs() {
	test_project &&
	for w in obs inner; do
		sed "s|HOG|$HELPERS/hog|" "$DATA/observe/$w.yaml" \
			>.muster/workflows/$w.yaml || return 1
	done
}

# check_trace FILE: the trace-event fields every consumer relies on.
check_trace() {
	python3 - "$1" <<-\EOF
	import json, sys, collections
	d = json.load(open(sys.argv[1]))
	ev = d["traceEvents"]
	assert isinstance(ev, list) and ev, d
	for e in ev:
	    assert isinstance(e["name"], str) and e["ph"] in "XMbei", e
	    assert isinstance(e["pid"], int) and isinstance(e["tid"], int), e
	    if e["ph"] != "M":
	        assert isinstance(e["ts"], int) and e["ts"] >= 0, e
	    if e["ph"] == "X":
	        assert isinstance(e["dur"], int) and e["dur"] >= 0, e
	        assert isinstance(e["args"], dict), e
	    if e["ph"] in "be":
	        assert e["cat"] and e["id"], e
	# Complete events of one lane nest or follow each other.
	lanes = collections.defaultdict(list)
	for e in ev:
	    if e["ph"] == "X" and e["tid"] != 0:
	        lanes[(e["pid"], e["tid"])].append((e["ts"], e["ts"] + e["dur"]))
	for spans in lanes.values():
	    spans.sort()
	    for a, b in zip(spans, spans[1:]):
	        assert a[1] <= b[0], (a, b)
	# Async pairs match.
	b = sorted(e["id"] for e in ev if e["ph"] == "b")
	assert b == sorted(e["id"] for e in ev if e["ph"] == "e"), b
	EOF
}

test_expect_success 'setup: a run with retries, a child and a failure' '
	use_obs &&
	test_expect_code 1 muster run obs -j2 --arg token=s3cr3t-tok 2>err &&
	id=$(sed -n "s/^muster: execution //p" err) &&
	echo $id >id &&
	muster trace $id -o trace.json &&
	check_trace trace.json
'

test_expect_success 'an event per attempt, with status, exit code, usage' '
	python3 - <<-\EOF
	import json
	ev = json.load(open("trace.json"))["traceEvents"]
	x = [e for e in ev if e["ph"] == "X" and e["pid"] == 1 and e["tid"] > 0]
	by = {}
	for e in x:
	    by.setdefault(e["name"], []).append(e)
	assert sorted(by) == ["child", "first", "flaky", "last", "mid"], by
	fl = sorted(by["flaky"], key=lambda e: e["ts"])
	assert [e["args"]["attempt"] for e in fl] == [1, 2, 3], fl
	assert [e["args"]["status"] for e in fl] == ["failed", "failed", "completed"], fl
	assert [e["args"]["exit_code"] for e in fl] == [1, 1, 0], fl
	assert fl[1]["args"]["backoff_ms"] >= 150, fl[1]
	first = by["first"][0]["args"]
	u = first["rusage"]
	assert u["user_us"] + u["sys_us"] >= 100000, first
	assert by["last"][0]["args"]["status"] == "failed"
	assert by["last"][0]["args"]["exit_code"] == 3
	# Lanes: never more than -j2 attempts at once.
	assert {e["tid"] for e in x} <= {1, 2}, x
	# The retry waits show as async slices between the attempts.
	waits = sorted((e["ts"], e["ph"]) for e in ev if e.get("cat") == "retry")
	assert len(waits) == 4, waits
	assert waits[0][0] >= fl[0]["ts"] + fl[0]["dur"] and waits[1][0] <= fl[1]["ts"] + 1000
	# The critical path: first, then what last waited for longest (child
	# after mid, or flaky: whichever ended later), then last.
	crit = sorted({e["name"] for e in x if e["args"]["critical_path"]})
	end = lambda k: max(e["ts"] + e["dur"] for e in by[k])
	want = ["child", "mid"] if end("child") >= end("flaky") else ["flaky"]
	assert crit == sorted(["first", "last"] + want), (crit, want)
	run = [e for e in ev if e["ph"] == "X" and e["tid"] == 0 and e["pid"] == 1][0]
	assert run["args"]["status"] == "failed" and run["args"]["input"]["token"] != "s3cr3t-tok", run
	EOF
'

test_expect_success 'the child execution is nested: a process called by its step' '
	python3 - <<-\EOF
	import json
	ev = json.load(open("trace.json"))["traceEvents"]
	names = {e["pid"]: e["args"]["name"] for e in ev if e["name"] == "process_name"}
	assert len(names) == 2 and "called by step child" in names[2], names
	child = [e for e in ev if e["ph"] == "X" and e["pid"] == 1 and e["name"] == "child"][0]
	inner = [e for e in ev if e["ph"] == "X" and e["pid"] == 2]
	assert sorted(e["name"] for e in inner) == ["also", "inner", "work"], inner
	for e in inner:
	    assert child["ts"] <= e["ts"] and e["ts"] + e["dur"] <= child["ts"] + child["dur"] + 2000, (child, e)
	EOF
'

test_expect_success '--format=otlp-json: OpenTelemetry spans' '
	muster trace $(cat id) --format=otlp-json -o otlp.json &&
	python3 - $(cat id) <<-\EOF
	import json, re, sys
	d = json.load(open("otlp.json"))
	rs = d["resourceSpans"][0]
	assert rs["resource"]["attributes"][0]["key"] == "service.name"
	spans = rs["scopeSpans"][0]["spans"]
	trace = sys.argv[1].replace("-", "").ljust(32, "0")
	assert all(s["traceId"] == trace for s in spans), trace
	assert re.fullmatch("[0-9a-f]{32}", trace), trace
	ids = [s["spanId"] for s in spans]
	assert len(set(ids)) == len(ids) and all(re.fullmatch("[0-9a-f]{16}", i) for i in ids)
	root = [s for s in spans if "parentSpanId" not in s]
	assert len(root) == 1 and root[0]["name"] == "obs" and root[0]["status"]["code"] == 2
	kids = [s for s in spans if s.get("parentSpanId") == root[0]["spanId"]]
	assert len(kids) == 7, kids
	for s in spans:
	    assert int(s["startTimeUnixNano"]) <= int(s["endTimeUnixNano"]), s
	    assert int(s["startTimeUnixNano"]) >= int(root[0]["startTimeUnixNano"])
	attrs = lambda s: {a["key"]: list(a["value"].values())[0] for a in s["attributes"]}
	fl = sorted((s for s in kids if s["name"] == "flaky"), key=lambda s: int(s["startTimeUnixNano"]))
	assert [attrs(s)["muster.attempt"] for s in fl] == ["1", "2", "3"], fl
	assert [s["status"]["code"] for s in fl] == [2, 2, 1], fl
	first = attrs([s for s in kids if s["name"] == "first"][0])
	assert first["process.cpu.time"] >= 0.1 and int(first["process.memory.max_rss"]) > 0, first
	EOF
'

test_expect_success 'an unknown format is refused' '
	test_expect_code 2 muster trace --format=svg 2>err &&
	grep "unknown format .svg. (use chrome, otlp-json)" err &&
	test_expect_code 2 muster report --format=pdf 2>err &&
	grep "unknown format .pdf. (use html)" err
'

test_expect_success 'the secret is nowhere in the trace' '
	! grep -F "s3cr3t-tok" trace.json otlp.json
'

test_expect_success 'without ID: the latest execution, on standard output' '
	muster trace >latest.json &&
	check_trace latest.json &&
	grep -F "\"execution_id\":\"$(cat id)\"" latest.json
'

test_expect_success 'service operations are instant events' '
	cp "$DATA/svc/sleeper.yaml" .muster/serviceclasses/ &&
	cp "$DATA/svc/ops-workflow.yaml" .muster/workflows/ops.yaml &&
	muster run ops --arg tag=tr 2>err &&
	muster trace -o ops.json &&
	check_trace ops.json &&
	python3 - <<-\EOF
	import json
	ev = json.load(open("ops.json"))["traceEvents"]
	inst = [e["name"] for e in ev if e["ph"] == "i" and e.get("cat") == "service"]
	for op in ("create", "stop", "start", "restart", "delete"):
	    assert "service_%s s-tr" % op in inst, (op, inst)
	EOF
'

test_expect_success 'a resumed execution shows its resume as an instant' '
	test_expect_code 1 muster run obs --arg token=tok-2 2>err &&
	id=$(sed -n "s/^muster: execution //p" err) &&
	test_expect_code 1 muster resume $id --arg token=tok-2 2>/dev/null &&
	muster trace $id -o resumed.json &&
	check_trace resumed.json &&
	grep -F "\"name\":\"resume\"" resumed.json
'

test_expect_success 'unknown, bad and missing executions: exit 3' '
	test_expect_code 3 muster trace 20200101-000000-beef 2>err &&
	grep "no execution" err &&
	test_expect_code 3 muster trace ../../etc 2>err &&
	mkdir empty && cd empty && test_project &&
	test_expect_code 3 muster trace 2>err
'

test_expect_success 'a corrupt journal: exit 3, nothing written' '
	id=$(cat id) &&
	cp -r .muster/state/executions/$id saved &&
	printf "garbage\n" >.muster/state/executions/$id/journal &&
	test_expect_code 3 muster trace $id -o bad.json 2>err &&
	grep "corrupt" err &&
	! test -e bad.json &&
	rm -rf .muster/state/executions/$id &&
	mv saved .muster/state/executions/$id
'

test_expect_success 'an output that cannot be written: exit 4' '
	test_expect_code 4 muster trace -o /dev/full 2>err &&
	grep "cannot write" err &&
	test_expect_code 4 muster trace -o no/such/dir/t.json 2>err &&
	test_expect_code 2 muster trace a b 2>err &&
	test_expect_code 2 muster trace --bogus 2>err
'

test_done
