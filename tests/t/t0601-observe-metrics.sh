#!/bin/sh
# t0601-observe-metrics.sh: Prometheus textfile metrics after every run
# (--metrics-file, config.yaml's metrics.textfile) and `muster metrics`,
# read by a real parser (python3-prometheus-client).
. "$(dirname "$0")/lib.sh"

# Debian's python3 has the client; the first python3 on PATH may not.
PROM_PY=/usr/bin/python3
if ! "$PROM_PY" -c "import prometheus_client.parser" 2>/dev/null; then
	if test "${CI:-}" = true; then
		echo "not ok 1 - $TEST_NAME: python3-prometheus-client is missing"
		exit 1
	fi
	test_skip "Prometheus metrics" \
		"python3-prometheus-client is not installed (apt-get install python3-prometheus-client)"
	test_done
fi

# prom FILE PYTHON: runs PYTHON with m[(name, workflow, step)] = value
# from the samples of FILE, and fam the families' types.
prom() {
	"$PROM_PY" - "$1" "$2" <<-\EOF
	import sys
	from prometheus_client.parser import text_string_to_metric_families
	m, fam = {}, {}
	for f in text_string_to_metric_families(open(sys.argv[1]).read()):
	    fam[f.name] = f.type
	    for s in f.samples:
	        m[(s.name, s.labels.get("workflow"), s.labels.get("step"))] = s.value
	exec(sys.argv[2])
	EOF
}

test_expect_success 'setup: a project writing metrics after every run' '
	test_project &&
	for w in obs inner; do
		sed "s|HOG|$HELPERS/hog|" "$DATA/observe/$w.yaml" \
			>.muster/workflows/$w.yaml || return 1
	done &&
	cat >.muster/workflows/use.yaml <<-EOF &&
	apiVersion: muster.giantswarm.io/v1alpha1
	kind: Workflow
	metadata: {name: use}
	spec:
	  steps:
	    - id: burn
	      run: $HELPERS/hog 200 0
	    - id: mem
	      run: $HELPERS/hog 0 100
	      dependsOn: []
	EOF
	mkdir textfiles &&
	printf "metrics:\n  textfile: textfiles/muster.prom\n" >.muster/config.yaml &&
	muster -q run use 2>err &&
	test_expect_code 1 muster -q run obs --arg token=tok-1 2>err &&
	muster -q run use 2>err &&
	test -f textfiles/muster.prom
'

test_expect_success 'the metrics parse, with the names and values expected' '
	prom textfiles/muster.prom "
assert fam[\"muster_workflow_runs\"] == \"counter\", fam
assert fam[\"muster_workflow_failures\"] == \"counter\"
assert fam[\"muster_step_retries\"] == \"counter\"
for g in (\"muster_workflow_duration_seconds\", \"muster_step_cpu_seconds\",
          \"muster_step_max_rss_bytes\", \"muster_step_duration_seconds\",
          \"muster_workflow_last_run_timestamp_seconds\",
          \"muster_workflow_last_success_timestamp_seconds\"):
    assert fam[g] == \"gauge\", (g, fam)
assert m[(\"muster_workflow_runs_total\", \"use\", None)] == 2, m
assert m[(\"muster_workflow_failures_total\", \"use\", None)] == 0
assert m[(\"muster_workflow_runs_total\", \"obs\", None)] == 1
assert m[(\"muster_workflow_failures_total\", \"obs\", None)] == 1
# the child workflow ran as a run of its own
assert m[(\"muster_workflow_runs_total\", \"inner\", None)] == 1
assert 0.15 <= m[(\"muster_step_cpu_seconds\", \"use\", \"burn\")] < 5
assert 100 * 2**20 <= m[(\"muster_step_max_rss_bytes\", \"use\", \"mem\")] < 400 * 2**20
assert m[(\"muster_step_max_rss_bytes\", \"use\", \"burn\")] < 50 * 2**20
assert m[(\"muster_step_retries_total\", \"obs\", \"flaky\")] == 2
assert m[(\"muster_step_retries_total\", \"obs\", \"first\")] == 0
assert 0.15 < m[(\"muster_step_duration_seconds\", \"obs\", \"mid\")] < 5
import time
now = time.time()
assert now - 120 < m[(\"muster_workflow_last_success_timestamp_seconds\", \"use\", None)] <= now + 1
assert now - 120 < m[(\"muster_workflow_last_run_timestamp_seconds\", \"obs\", None)] <= now + 1
assert (\"muster_workflow_last_success_timestamp_seconds\", \"obs\", None) not in m
assert m[(\"muster_workflow_duration_seconds\", \"use\", None)] > 0.15
"
'

test_expect_success 'muster metrics prints the same from the history' '
	muster metrics >printed &&
	test_cmp textfiles/muster.prom printed
'

test_expect_success 'counters come back from the file: the history alone is not all' '
	ids=$(ls .muster/state/executions) &&
	muster gc --keep 0 2>/dev/null &&
	muster -q run use 2>err &&
	prom textfiles/muster.prom "
assert m[(\"muster_workflow_runs_total\", \"use\", None)] == 3, m
assert m[(\"muster_workflow_runs_total\", \"obs\", None)] == 1, m
" &&
	ls textfiles >files &&
	echo muster.prom >expect &&
	test_cmp expect files
'

test_expect_success 'a lost file only resets the counters: counted from the history' '
	rm textfiles/muster.prom &&
	muster -q run use 2>err &&
	prom textfiles/muster.prom "
assert m[(\"muster_workflow_runs_total\", \"use\", None)] == 2, m
assert (\"muster_workflow_runs_total\", \"obs\", None) not in m, m
"
'

test_expect_success 'label values are escaped and read back as they were' '
	cat >textfiles/muster.prom <<-\EOF &&
	# HELP muster_workflow_runs_total Runs of the workflow that ended.
	# TYPE muster_workflow_runs_total counter
	muster_workflow_runs_total{workflow="a\"b\\c\nd"} 41
	muster_step_retries_total{workflow="use",step="x\"y"} 5
	EOF
	muster -q run use 2>err &&
	prom textfiles/muster.prom "
odd = chr(34).join([\"a\", \"b\" + chr(92) + \"c\" + chr(10) + \"d\"])
assert m[(\"muster_workflow_runs_total\", odd, None)] == 41, m
assert m[(\"muster_step_retries_total\", \"use\", \"x\" + chr(34) + \"y\")] == 5, m
assert m[(\"muster_workflow_runs_total\", \"use\", None)] == 1, m
"
'

test_expect_success 'a file muster did not write is not trusted' '
	printf "garbage{\n" >textfiles/muster.prom &&
	muster -q run use 2>err &&
	grep "not a metrics file muster wrote" err &&
	prom textfiles/muster.prom "
assert m[(\"muster_workflow_runs_total\", \"use\", None)] == 4, m
"
'

test_expect_success '--metrics-file overrides config.yaml' '
	muster -q run use --metrics-file other.prom 2>err &&
	prom other.prom "assert m[(\"muster_workflow_runs_total\", \"use\", None)] == 5, m" &&
	prom textfiles/muster.prom "assert m[(\"muster_workflow_runs_total\", \"use\", None)] == 4, m"
'

test_expect_success 'a metrics file that cannot be written: an error, the run stands' '
	muster -q run use --metrics-file no/such/dir/m.prom 2>err &&
	grep "cannot write" err &&
	muster -q run use --metrics-file /dev/full 2>err &&
	grep "not a regular file" err &&
	test -c /dev/full &&
	ln -s other.prom link.prom &&
	muster -q run use --metrics-file link.prom 2>err &&
	grep "not a regular file" err && test -L link.prom
'

test_expect_success 'bad metrics settings in config.yaml are reported' '
	printf "metrics:\n  textfil: x\n" >.muster/config.yaml &&
	test_expect_code 2 muster metrics 2>err &&
	grep "config.yaml:2:3: error: .*textfil" err &&
	printf "metrics: 3\n" >.muster/config.yaml &&
	test_expect_code 2 muster metrics 2>err &&
	grep "config.yaml:1:.*error" err &&
	printf "metrics:\n  textfile: [a]\n" >.muster/config.yaml &&
	test_expect_code 2 muster metrics 2>err &&
	rm .muster/config.yaml &&
	test_expect_code 2 muster metrics extra 2>err
'

test_done
