#!/bin/sh
# t0600-slurm.sh: the Slurm executor on a real single-node cluster of the
# test's own (tests/slurm/): results, logs, exit codes, -j, timeouts,
# cancellation, errors, and resume after kill -9 of muster.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/slurm/cluster.sh"

wf() {
	cat >".muster/workflows/$1.yaml"
}

test_expect_success 'executor and resources are checked when loading' '
	test_project &&
	wf bad <<-\EOF &&
	apiVersion: muster.giantswarm.io/v1alpha1
	kind: Workflow
	metadata: {name: bad}
	spec:
	  executor: slurm
	  steps:
	    - id: a
	      run: "true"
	      executor: cloud
	      resources: {cpus: 2, memroy: 4G, time: soon}
	EOF
	test_expect_code 2 muster validate 2>err &&
	grep "bad.yaml:9:17: error: unknown executor .cloud. (use local or slurm)" err &&
	grep "bad.yaml:10:28: error: unknown field .memroy. in resources (did you mean .memory.?)" err &&
	grep "bad.yaml:10:46: error: bad duration .soon. for .time." err &&
	rm .muster/workflows/bad.yaml
'

test_expect_success 'config.yaml and tools say executor and resources too' '
	cat >.muster/config.yaml <<-\EOF &&
	executor: local
	resources: {partition: debug, extra: ["--comment=x"], nodes: 2}
	EOF
	test_expect_code 2 muster validate 2>err &&
	grep "config.yaml:2:55: error: unknown field .nodes. in resources" err &&
	cat >.muster/tools/t.yaml <<-\EOF &&
	apiVersion: muster.giantswarm.io/v1alpha1
	kind: Tool
	metadata: {name: x_t}
	spec:
	  run: "true"
	  executor: slurm
	  resources: {cpus: 0}
	EOF
	test_expect_code 2 muster validate 2>err &&
	grep "t.yaml:7:21: error: .cpus. must be between 1 and 1000000, not 0" err &&
	rm -f .muster/config.yaml .muster/tools/t.yaml
'

test_expect_success 'without sbatch a Slurm step fails and says so' '
	wf one <<-\EOF &&
	apiVersion: muster.giantswarm.io/v1alpha1
	kind: Workflow
	metadata: {name: one}
	spec:
	  executor: slurm
	  steps:
	    - id: a
	      run: echo hi
	EOF
	mkdir -p emptybin &&
	ln -sf "$(command -v sh)" emptybin/sh &&
	test_expect_code 1 env PATH="$PWD/emptybin" "$MUSTER" run one 2>err &&
	grep "a: failed.*cannot run .sbatch.: No such file or directory" err
'

why=$(slurm_missing)
if test -n "$why"; then
	if test "${CI:-}" = true; then
		test_expect_success "a Slurm cluster can run here (CI)" "
			echo '$why' >&2; false"
	else
		test_skip "the Slurm tests" "$why"
	fi
	test_done
fi
if ! slurm_up; then
	test_expect_success "the test cluster starts" "false"
	test_done
fi
trap slurm_down EXIT
trap 'exit 1' INT TERM

# Waits until the shell condition $1 holds, for at most a minute.
until_true() {
	n=0
	while ! eval "$1"; do
		n=$((n + 1))
		test $n -le 600 || { echo "still not: $1" >&2; return 1; }
		sleep 0.1
	done
}
SLURM_LOG=$SLURM_LOCAL_DIR/log

# Jobs of this cluster queued or running now, by state list.
queued() {
	squeue --noheader --states="${1:-PD,R}" --format=%j | grep -c "^muster\."
}

# How many jobs of execution $1 Slurm ran, and how many distinct names
# (a job is in jobcomp.log once Slurm is done with it).
submitted() {
	until_true "test \$(squeue --noheader --format=%j |
		grep -c \"^muster\.$1\.\") = 0" >&2 &&
	grep -o "Name=muster\.$1\.[^ ]*" "$SLURM_LOG/jobcomp.log" | wc -l
}
distinct() {
	grep -o "Name=muster\.$1\.[^ ]*" "$SLURM_LOG/jobcomp.log" | sort -u | wc -l
}

test_expect_success 'a Slurm step: its result, $MUSTER_OUTPUT, logs, job' '
	wf res <<-\EOF &&
	apiVersion: muster.giantswarm.io/v1alpha1
	kind: Workflow
	metadata: {name: res}
	spec:
	  executor: slurm
	  args:
	    who: {type: string, default: world}
	  steps:
	    - id: a
	      env: {GREETING: hello}
	      run: |
	        echo "{\"msg\": \"$GREETING {{ .input.who }}\", \"job\": \"$SLURM_JOB_ID\"}"
	        echo "to stderr" >&2
	        echo "extra=from-output" >>"$MUSTER_OUTPUT"
	    - id: b
	      run: echo "{{ .results.a.msg }} / {{ .results.a.extra }}"
	      executor: local
	      output: true
	EOF
	muster run res --arg who=slurm 2>err &&
	muster status --json >st &&
	grep "\"msg\":\"hello slurm\"" st &&
	grep "\"extra\":\"from-output\"" st &&
	grep "\"stdout\":\"hello slurm \/ from-output\"" st &&
	id=$(sed -n "s/^muster: execution //p" err) &&
	job=$(sed -n "s/.*\"job\":\"\([0-9]*\)\".*/\1/p" st) &&
	test -n "$job" &&
	echo "to stderr" >expect &&
	test_cmp expect .muster/state/executions/$id/logs/a.err &&
	grep -a "\"t\":\"slurm\",\"k\":\"a\",\"a\":1,\"job\":\"$job\",\"name\":\"muster.$id.a\"" \
		.muster/state/executions/$id/journal &&
	test "$(submitted $id)" = 1 &&
	! ls .muster/state/executions/$id/slurm/* 2>/dev/null
'

test_expect_success 'exit codes, retries and allowFailure on Slurm' '
	wf codes <<-\EOF &&
	apiVersion: muster.giantswarm.io/v1alpha1
	kind: Workflow
	metadata: {name: codes}
	spec:
	  executor: slurm
	  steps:
	    - id: flaky
	      run: test -e flag || { touch flag; echo once >&2; exit 4; }
	      retry: {attempts: 2, delay: 10ms}
	    - id: soft
	      run: exit 5
	      allowFailure: true
	    - id: hard
	      run: exit 3
	EOF
	test_expect_code 1 muster run codes 2>err &&
	muster status --json >st &&
	python3 - <<-\PY
	import json
	d = json.load(open("st"))
	s = {x["step_id"]: x for x in d["steps"]}
	assert s["flaky"]["status"] == "completed", s["flaky"]
	assert s["flaky"]["attempts"] == 2, s["flaky"]
	assert s["soft"]["exit_code"] == 5, s["soft"]
	assert s["hard"]["exit_code"] == 3 and s["hard"]["error"] == "exit status 3", s["hard"]
	PY
	id=$(sed -n "s/^muster: execution //p" err) &&
	grep "Name=muster\.$id\.flaky\.2 " "$SLURM_LOG/jobcomp.log"
'

test_expect_success 'forEach of 20 jobs at -j 4: never more than 4 in Slurm' '
	wf many <<-\EOF &&
	apiVersion: muster.giantswarm.io/v1alpha1
	kind: Workflow
	metadata: {name: many}
	spec:
	  executor: slurm
	  steps:
	    - id: each
	      forEach:
	        items: [0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19]
	        maxParallel: 20
	        steps:
	          - id: sq
	            env: {N: "{{ .vars.item }}"}
	            run: |
	              sleep 0.3; echo "{\"n\": $((N * N))}"
	EOF
	start_bg run many -j 4
	: >counts &&
	while kill -0 $bg_pid 2>/dev/null; do
		queued >>counts; sleep 0.05
	done &&
	wait $bg_pid &&
	id=$(bg_id) &&
	max=$(sort -n counts | tail -n 1) &&
	echo "at most $max queued or running" &&
	test "$max" -le 4 && test "$max" -ge 2 &&
	test "$(submitted $id)" = 20 && test "$(distinct $id)" = 20 &&
	muster status --json $id | python3 -c "if 1:
		import json, sys
		for s in json.load(sys.stdin)[\"steps\"]:
		    if s[\"step_id\"].startswith(\"sq_\"):
		        print(s[\"step_id\"], s[\"result\"][\"n\"])" | sort >got &&
	for i in $(seq 0 19); do echo "sq_$i $((i * i))"; done | sort >expect &&
	test_cmp expect got
'

test_expect_success 'a step timeout cancels its job: nothing left in squeue' '
	wf slow <<-\EOF &&
	apiVersion: muster.giantswarm.io/v1alpha1
	kind: Workflow
	metadata: {name: slow}
	spec:
	  executor: slurm
	  steps:
	    - id: nap
	      run: sleep 120
	      timeout: 2s
	EOF
	test_expect_code 1 muster run slow 2>err &&
	grep "nap: failed.*timed out after 2s" err &&
	test "$(queued PD,R,CG)" = 0 &&
	muster status --json | grep "\"error\":\"timed out after 2s\""
'

test_expect_success 'the workflow timeout cancels every job' '
	wf wslow <<-\EOF &&
	apiVersion: muster.giantswarm.io/v1alpha1
	kind: Workflow
	metadata: {name: wslow}
	spec:
	  executor: slurm
	  timeout: 2s
	  steps:
	    - id: p
	      parallel:
	        - {id: x, run: sleep 120}
	        - {id: y, run: sleep 120}
	EOF
	test_expect_code 124 muster run wslow 2>err &&
	test "$(queued PD,R,CG)" = 0
'

test_expect_success 'muster cancel and SIGTERM scancel the jobs and wait' '
	start_bg run slow
	until_true "test \$(queued R) -gt 0" &&
	muster cancel "$(bg_id)" &&
	wait $bg_pid; echo $? >rc &&
	test "$(cat rc)" = 143 &&
	test "$(queued PD,R,CG)" = 0 &&
	muster status --json "$(bg_id)" | grep "\"status\":\"cancelled\"" &&
	start_bg run slow
	until_true "test \$(queued R) -gt 0" &&
	kill -TERM $bg_pid && wait $bg_pid; echo $? >rc &&
	test "$(cat rc)" = 143 &&
	test "$(queued PD,R,CG)" = 0 &&
	muster status --json "$(bg_id)" | grep "\"status\":\"interrupted\""
'

test_expect_success 'a job Slurm ends says so in the step error' '
	start_bg run slow
	until_true "test \$(queued R) -gt 0" &&
	scancel --name="muster.$(bg_id).nap" &&
	wait $bg_pid; echo $? >rc && test "$(cat rc)" = 1 &&
	grep "nap: failed.*Slurm job [0-9]* ended: it was cancelled (CANCELLED" err
'

test_expect_success 'Slurm refuses a resource request: its own words' '
	wf badpart <<-\EOF &&
	apiVersion: muster.giantswarm.io/v1alpha1
	kind: Workflow
	metadata: {name: badpart}
	spec:
	  executor: slurm
	  resources: {partition: nowhere}
	  steps:
	    - id: a
	      run: "true"
	EOF
	test_expect_code 1 muster run badpart 2>err &&
	grep "a: failed.*sbatch: error: invalid partition specified: nowhere" err &&
	wf badmem <<-\EOF &&
	apiVersion: muster.giantswarm.io/v1alpha1
	kind: Workflow
	metadata: {name: badmem}
	spec:
	  executor: slurm
	  steps:
	    - id: a
	      run: "true"
	      resources: {memory: 999999G, cpus: 2, time: 90s}
	EOF
	test_expect_code 1 muster run badmem 2>err &&
	grep "a: failed.*Memory specification can not be satisfied" err
'

test_expect_success 'no controller to reach: the step fails with why' '
	sed "s/^SlurmctldPort=.*/SlurmctldPort=1/" "$SLURM_CONF" >bad.conf &&
	test_expect_code 1 env SLURM_CONF="$PWD/bad.conf" "$MUSTER" run one 2>err &&
	grep "a: failed.*Unable to contact slurm controller" err
'

# A squeue that fails like one that cannot reach its controller while
# the file ./down is there.
mkdir -p downbin
cat >downbin/squeue <<EOF
#!/bin/sh
if test -e "$PWD/down"; then
	echo "squeue: error: Unable to contact slurm controller (connect failure)" >&2
	exit 1
fi
exec $(command -v squeue) "\$@"
EOF
chmod +x downbin/squeue

# Runs workflow $1 in the background with that squeue, giving up on Slurm
# after $2; its exit code goes to ./rc once it ends.
run_down() {
	rm -f down rc &&
	(PATH="$PWD/downbin:$PATH" MUSTER_SLURM_POLL_MAX=200ms \
		MUSTER_SLURM_DOWN_MAX=$2 "$MUSTER" run "$1" >out 2>err
	echo $? >rc) &
	until_true "test \$(queued R) -ge 1" &&
	touch down
}

test_expect_success 'Slurm stops answering: a job that ends ends by its status file' '
	wf down <<-\EOF &&
	apiVersion: muster.giantswarm.io/v1alpha1
	kind: Workflow
	metadata: {name: down}
	spec:
	  executor: slurm
	  steps:
	    - id: quick
	      run: "sleep 2; echo finished"
	EOF
	run_down down 60s &&
	until_true "test -s rc" &&
	test "$(cat rc)" = 0 &&
	grep "cannot ask Slurm about its jobs (trying again)" err &&
	muster logs --last quick | grep finished
'

test_expect_success 'Slurm stops answering for good: the step fails, naming its job' '
	wf gone <<-\EOF &&
	apiVersion: muster.giantswarm.io/v1alpha1
	kind: Workflow
	metadata: {name: gone}
	spec:
	  executor: slurm
	  steps:
	    - id: long
	      run: "sleep 60"
	EOF
	run_down gone 3s &&
	until_true "test -s rc" &&
	rm -f down &&
	test "$(cat rc)" = 1 &&
	grep "long: failed.*Slurm has not answered for 3s (squeue: .*Unable to contact slurm controller.*); job [0-9]* may still run: see to it (scancel [0-9]*) once Slurm is back" err &&
	scancel --user="$(id -un)" &&
	until_true "test \$(queued) = 0"
'

test_expect_success 'cancel with no runner left scancels the jobs it left' '
	start_bg run gone
	until_true "test \$(queued R) -ge 1" &&
	stop_bg KILL 0.1 &&
	id=$(bg_id) &&
	muster status "$id" >out &&
	grep "^  long .* job [0-9]*" out &&
	muster cancel "$id" 2>err &&
	grep "muster: execution $id has no runner; cancelled its Slurm jobs [0-9]* (step long)" err &&
	until_true "test \$(queued) = 0" &&
	test_expect_code 3 muster cancel "$id" 2>err &&
	grep "execution $id is not running" err
'

# The workflow of the crash tests: 8 jobs, 4 at once, 1 s each.
wf crash <<-\EOF
apiVersion: muster.giantswarm.io/v1alpha1
kind: Workflow
metadata: {name: crash}
spec:
  executor: slurm
  steps:
    - id: each
      forEach:
        items: [1,2,3,4,5,6,7,8]
        maxParallel: 8
        steps:
          - id: cube
            env: {N: "{{ .vars.item }}"}
            run: 'sleep 1; echo "{\"c\": $((N * N * N))}"'
    - id: sum
      run: echo '{{ range .results.each }}{{ .cube.c }} {{ end }}'
      output: true
EOF

results() {
	muster status --json "$1" | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(d["status"])
for s in sorted(d["steps"], key=lambda s: s["step_id"]):
    print(s["step_id"], s["status"], json.dumps(s["result"], sort_keys=True))
'
}

test_expect_success 'kill -9 of muster, then resume: no job runs twice' '
	muster run crash -j 4 2>err &&
	results "$(bg_id)" >expect &&
	rm -f err &&
	start_bg run crash -j 4
	until_true "test -n \"\$(bg_id)\"" && id=$(bg_id) &&
	j=.muster/state/executions/$id/journal &&
	until_true "test \$(grep -ao completed $j | wc -l) -ge 3" &&
	kill -9 $bg_pid && wait $bg_pid; echo $? >rc &&
	test "$(cat rc)" = 137 &&
	test "$(queued PD,R)" -gt 0 &&
	sleep 1.5 &&
	muster resume -j 4 $id 2>err2 &&
	grep "watching Slurm job" err2 &&
	results $id >got &&
	test_cmp expect got &&
	test "$(submitted $id)" = 9 && test "$(distinct $id)" = 9
'

test_expect_success 'resume collects jobs that ended while muster was gone' '
	rm -f err &&
	start_bg run crash -j 8
	until_true "test -n \"\$(bg_id)\"" && id=$(bg_id) &&
	until_true "test \$(queued R) -ge 4" &&
	kill -9 $bg_pid && wait $bg_pid;
	until_true "test \$(queued PD,R,CG) = 0" &&
	muster resume $id 2>err2 &&
	results $id >got &&
	test_cmp expect got &&
	test "$(submitted $id)" = 9 && test "$(distinct $id)" = 9
'

test_done
