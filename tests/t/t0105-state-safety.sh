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

test_expect_success 'a link planted at logs or out: resume refuses, writes nothing there' '
	cat >.muster/workflows/flaky.yaml <<-\EOF &&
	apiVersion: muster.giantswarm.io/v1alpha1
	kind: Workflow
	metadata: {name: flaky}
	spec:
	  steps:
	    - {id: a, run: "echo out; test -e ok"}
	EOF
	rm -rf .muster/state ok elsewhere && mkdir elsewhere &&
	test_expect_code 1 muster -q run flaky 2>/dev/null &&
	id=$(ls .muster/state/executions) &&
	rm -r .muster/state/executions/$id/logs &&
	ln -s ../../../../elsewhere .muster/state/executions/$id/logs &&
	touch ok &&
	test_expect_code 3 muster resume $id 2>err &&
	grep "executions/$id/logs. is a symbolic link, which muster does not follow" err &&
	test -z "$(ls elsewhere)" &&
	rm .muster/state/executions/$id/logs &&
	mkdir .muster/state/executions/$id/logs &&
	rmdir .muster/state/executions/$id/out &&
	ln -s ../../../../elsewhere .muster/state/executions/$id/out &&
	test_expect_code 3 muster resume $id 2>err &&
	grep "executions/$id/out. is a symbolic link" err &&
	test -z "$(ls elsewhere)"
'

test_expect_success 'state folders others may write, or of another user, are refused' '
	rm -rf .muster/state &&
	mkdir -p .muster/state/executions &&
	chmod 777 .muster/state/executions &&
	test_expect_code 4 muster run quick 2>err &&
	grep "executions. may be written by other users (mode 777); muster refuses to keep its state there: chmod go-w" err &&
	test -z "$(ls .muster/state/executions)" &&
	chmod 700 .muster/state/executions &&
	muster -q run quick 2>/dev/null &&
	id=$(ls .muster/state/executions) &&
	chmod 757 .muster/state/executions &&
	test_expect_code 3 muster resume $id 2>err &&
	grep "may be written by other users" err &&
	chmod 700 .muster/state/executions &&
	if test "$(id -u)" = 0; then
		chown 65534 .muster/state/executions &&
		test_expect_code 4 muster run quick 2>err &&
		grep "executions. belongs to another user (uid 65534)" err &&
		chown 0 .muster/state/executions
	fi
'

if test "$(id -u)" = 0 && command -v setpriv >/dev/null; then
	test_expect_success 'a read-only state folder is reported as such' '
		rm -rf ro && mkdir -p ro/.muster/workflows ro/.muster/state/executions &&
		cp .muster/workflows/quick.yaml ro/.muster/workflows/ &&
		chmod -R a+rX ro && chmod 555 ro/.muster/state/executions &&
		(cd ro && test_expect_code 4 setpriv --reuid=65534 --regid=65534 \
			--clear-groups "$MUSTER" run quick) 2>err &&
		grep "cannot create an execution in .\.muster/state/executions.: Permission denied" err &&
		! grep "No such file" err
	'
else
	test_skip 'a read-only state folder is reported as such' \
		'needs root and setpriv to act as another user'
fi

test_done
