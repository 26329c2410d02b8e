#!/bin/sh
# t0600-observe-usage.sh: the resource usage of every step (wait4's
# rusage) in the journal, status, the summary, -v, JSON events and the
# live line.
. "$(dirname "$0")/lib.sh"

HOG=$HELPERS/hog

# py EXPR-SCRIPT: runs python3 on status.json.
py() {
	python3 -c "import json; d = json.load(open('status.json'))
$1"
}

test_expect_success 'setup: a step that burns CPU, one that allocates' '
	test_project &&
	cat >.muster/workflows/use.yaml <<-EOF
	apiVersion: muster.giantswarm.io/v1alpha1
	kind: Workflow
	metadata:
	  name: use
	spec:
	  steps:
	    - id: burn
	      run: $HOG 200 0
	    - id: mem
	      run: $HOG 0 100
	      dependsOn: []
	    - id: forks
	      run: sh -c "$HOG 200 0; true"
	      dependsOn: []
	    - id: bad
	      run: sh -c "$HOG 50 0; exit 3"
	      allowFailure: true
	      dependsOn: [burn]
	EOF
	muster -v run use 2>err &&
	muster status --json >status.json
'

test_expect_success 'status --json: CPU time and max RSS are plausible' '
	py "
s = {x[\"step_id\"]: x[\"rusage\"] for x in d[\"steps\"]}
cpu = lambda u: (u[\"user_us\"] + u[\"sys_us\"]) / 1e6
assert 0.15 <= cpu(s[\"burn\"]) < 5, s[\"burn\"]
assert s[\"burn\"][\"max_rss_kb\"] < 50 * 1024, s[\"burn\"]
assert 100 * 1024 <= s[\"mem\"][\"max_rss_kb\"] < 400 * 1024, s[\"mem\"]
assert cpu(s[\"mem\"]) < 2, s[\"mem\"]
for u in s.values():
    for k in (\"inblock\", \"oublock\", \"nvcsw\", \"nivcsw\"):
        assert isinstance(u[k], int) and u[k] >= 0, (k, u)
"
'

test_expect_success 'a step that forks counts the children it waited for' '
	py "
u = [x for x in d[\"steps\"] if x[\"step_id\"] == \"forks\"][0][\"rusage\"]
assert (u[\"user_us\"] + u[\"sys_us\"]) / 1e6 >= 0.15, u
"
'

test_expect_success 'a failed step has its usage; the execution sums them' '
	py "
s = {x[\"step_id\"]: x for x in d[\"steps\"]}
assert s[\"bad\"][\"exit_code\"] == 3 and s[\"bad\"][\"rusage\"][\"user_us\"] + s[\"bad\"][\"rusage\"][\"sys_us\"] >= 30000, s[\"bad\"]
t = d[\"rusage\"]
cpu = lambda u: u[\"user_us\"] + u[\"sys_us\"]
assert cpu(t) >= sum(cpu(x[\"rusage\"]) for x in s.values()) * 0.99, t
assert t[\"max_rss_kb\"] == max(x[\"rusage\"][\"max_rss_kb\"] for x in s.values())
"
'

test_expect_success 'the journal keeps the usage in the step end record' '
	grep "\"k\":\"mem\",\"s\":\"completed\".*\"ru\":{\"user_us\":" \
		.muster/state/executions/*/journal &&
	grep "\"t\":\"end\".*\"ru\":{" .muster/state/executions/*/journal
'

test_expect_success 'status shows CPU and max RSS columns and a total' '
	muster status >st &&
	grep -E "^  burn +completed +cpu 0\.[0-9]{2}s +rss [0-9.]+[KM]iB " st &&
	grep -E "^  mem +completed +cpu [0-9.]+s +rss 1[0-9]{2}\.[0-9]MiB " st &&
	grep -E "^usage: cpu [0-9.]+s \(user .*\), max rss 1[0-9]{2}\.[0-9]MiB" st
'

test_expect_success 'the summary line and -v give CPU and max RSS' '
	grep -E "muster: use completed in .*; cpu [0-9.]+s, max rss 1[0-9]{2}\.[0-9]MiB$" err &&
	grep -E "mem: completed in [0-9.]+m?s \(cpu [0-9.]+s, max rss 1[0-9]{2}\.[0-9]MiB\)( \[.*\])?$" err &&
	grep -E "bad: failed after [0-9.]+m?s \(cpu [0-9.]+s, max rss" err
'

test_expect_success 'without -v no usage per step' '
	muster run use 2>err2 &&
	! grep "completed in .*(cpu" err2
'

test_expect_success 'JSON events carry the usage' '
	muster --json run use >events 2>/dev/null &&
	python3 -c "
import json
ev = [json.loads(l) for l in open(\"events\")]
done = [e for e in ev if e[\"event\"] in (\"step_completed\", \"step_failed\")]
assert len(done) == 4 and all(\"max_rss_kb\" in e[\"rusage\"] for e in done), done
fin = ev[-1]
assert fin[\"event\"] == \"run_finished\" and fin[\"rusage\"][\"max_rss_kb\"] >= 100 * 1024, fin
"
'

test_expect_success 'a step that cannot start has no usage' '
	cat >.muster/workflows/nostart.yaml <<-EOF &&
	apiVersion: muster.giantswarm.io/v1alpha1
	kind: Workflow
	metadata:
	  name: nostart
	spec:
	  steps:
	    - id: gone
	      run: ./no-such-program
	EOF
	test_expect_code 1 muster run nostart 2>err &&
	muster status --json >status.json &&
	py "
s = d[\"steps\"][0]
assert s[\"status\"] == \"failed\" and \"rusage\" not in s, s
"
'

test_expect_success 'a resumed execution adds the usage of every run' '
	cat >.muster/workflows/twice.yaml <<-EOF &&
	apiVersion: muster.giantswarm.io/v1alpha1
	kind: Workflow
	metadata:
	  name: twice
	spec:
	  steps:
	    - id: a
	      run: $HOG 100 0
	    - id: b
	      run: sh -c "$HOG 100 0; test -e ok"
	EOF
	test_expect_code 1 muster run twice 2>err &&
	id=$(sed -n "s/^muster: execution //p" err) &&
	muster status --json $id >status.json &&
	first=$(py "u = d[\"rusage\"]; print(u[\"user_us\"] + u[\"sys_us\"])") &&
	touch ok && muster resume $id 2>err &&
	muster status --json $id >status.json &&
	py "
u = d[\"rusage\"]
assert u[\"user_us\"] + u[\"sys_us\"] >= $first + 80000, (u, $first)
"
'

test_expect_success 'the live line names the longest-running step' '
	cat >.muster/workflows/slow.yaml <<-EOF &&
	apiVersion: muster.giantswarm.io/v1alpha1
	kind: Workflow
	metadata:
	  name: slow
	spec:
	  steps:
	    - id: quick
	      run: "true"
	    - id: long
	      run: sleep 2.3
	      dependsOn: []
	EOF
	script -qec "$MUSTER run slow" /dev/null >tty &&
	grep -E "running long; [0-9]+s; longest: long 1s" tty
'

test_done
