#!/bin/sh
# t0105-state-safety.sh: the state folder under attack and under load: gc
# racing runs and resumes, crash leftovers, links planted in an execution,
# folders other users may write, a read-only state folder.
. "$(dirname "$0")/lib.sh"

mkdir -p .muster/workflows &&
cat >.muster/workflows/quick.yaml <<-\EOF
apiVersion: muster.giantswarm.io/v1alpha1
kind: Workflow
metadata: {name: quick}
spec:
  steps:
    - {id: a, run: "echo a"}
    - {id: b, run: "echo b", dependsOn: [a]}
EOF

test_expect_success 'gc --keep 0 racing 160 runs: every run succeeds' '
	( while test ! -e stop; do muster -q gc --keep 0 2>/dev/null; done ) &
	gcpid=$!
	for i in $(seq 20); do
		pids=
		for j in 1 2 3 4 5 6 7 8; do
			muster -q run quick >/dev/null 2>>errs &
			pids="$pids $!"
		done
		for p in $pids; do
			wait $p || echo "run $p failed: $?" >>errs
		done
	done
	touch stop
	wait $gcpid
	! grep -v "^muster: execution [0-9a-f-]*$" errs
'

test_expect_success 'gc removes a crash leftover, not a folder being made' '
	mkdir -p .muster/state/executions/.20200101-000000-aaaa.new \
		.muster/state/executions/.20200101-000000-bbbb.new &&
	touch -d "2 hours ago" .muster/state/executions/.20200101-000000-aaaa.new &&
	muster gc 2>err &&
	test ! -e .muster/state/executions/.20200101-000000-aaaa.new &&
	test -d .muster/state/executions/.20200101-000000-bbbb.new
'

test_done
