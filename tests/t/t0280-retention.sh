#!/bin/sh
# t0280-retention.sh: config.yaml's retention, applied at a run's end and
# by a bare gc; state/index, which lets history and status find the newest
# executions without listing the folder.
. "$(dirname "$0")/lib.sh"

H='apiVersion: muster.giantswarm.io/v1alpha1'

count() {
	ls .muster/state/executions | wc -l
}

test_expect_success 'setup' '
	mkdir -p .muster/workflows &&
	printf "%s\nkind: Workflow\nspec: {steps: [{id: a, run: \"true\"}]}\n" "$H" >.muster/workflows/ok.yaml &&
	printf "%s\nkind: Workflow\nspec: {steps: [{id: a, run: \"false\"}]}\n" "$H" >.muster/workflows/bad.yaml &&
	printf "%s\nkind: Workflow\nspec: {steps: [{id: a, run: \"true\"}]}\n" "$H" >.muster/workflows/keep.yaml &&
	cat >.muster/config.yaml <<-\EOF
	retention:
	  keep: 3
	  workflows:
	    keep: {keep: 0}
	EOF
'

test_expect_success 'runs prune at their end once the folder has grown enough' '
	i=0 && while [ $i -lt 20 ]; do
		muster run -q ok || return 1
		i=$((i + 1))
	done &&
	test_expect_code 1 muster run -q bad 2>/dev/null &&
	test_expect_code 1 muster run -q bad 2>/dev/null &&
	test $(count) -lt 20 &&
	test -s .muster/state/retention
'

test_expect_success 'a bare gc applies the policy: keep per workflow, failures kept' '
	muster run -q keep && muster run -q keep && muster run -q keep &&
	muster run -q keep &&
	muster gc -n >would 2>err &&
	grep "would remove" would &&
	grep "(retention)" err &&
	muster gc 2>err &&
	grep "muster: removed [0-9]* executions\?, kept [0-9]* (retention)" err &&
	test $(muster history --workflow ok --limit 0 | sed 1d | wc -l) = 3 &&
	test $(muster history --workflow bad --limit 0 | sed 1d | wc -l) = 2 &&
	test $(muster history --workflow keep --limit 0 | sed 1d | wc -l) = 4
'

test_expect_success 'keepResumable: false lets old failures go too; maxAge' '
	cat >.muster/config.yaml <<-\EOF &&
	retention: {keep: 1, keepResumable: false, maxAge: 30d}
	EOF
	muster gc 2>err &&
	test $(muster history --workflow bad --limit 0 | sed 1d | wc -l) = 1 &&
	test $(muster history --workflow keep --limit 0 | sed 1d | wc -l) = 1
'

test_expect_success 'retention: {enabled: false} leaves run ends alone' '
	printf "retention: {enabled: false, keep: 1}\n" >.muster/config.yaml &&
	before=$(count) &&
	i=0 && while [ $i -lt 20 ]; do
		muster run -q ok || return 1
		i=$((i + 1))
	done &&
	test $(count) = $((before + 20))
'

test_expect_success 'a bad retention block is a config error' '
	printf "retention: {keep: -1, maxAge: soon, kep: 3}\n" >.muster/config.yaml &&
	test_expect_code 2 muster validate 2>err &&
	grep "config.yaml:1:.*keep" err &&
	grep "config.yaml:1:.*maxAge" err &&
	grep "unknown field .kep." err &&
	rm .muster/config.yaml
'

test_expect_success 'a run never fails because of retention' '
	printf "retention: {keep: 1}\n" >.muster/config.yaml &&
	chmod a-w .muster/state/executions &&
	i=0 && while [ $i -lt 20 ]; do
		muster run -q ok 2>/dev/null; rc=$?
		test $rc = 0 -o $rc = 4 || { chmod u+w .muster/state/executions; return 1; }
		i=$((i + 1))
	done;
	chmod u+w .muster/state/executions &&
	muster run -q ok
'

test_expect_success 'the index: history and status follow it; a missing one is rebuilt' '
	test -s .muster/state/index &&
	newest=$(tail -n 1 .muster/state/index) &&
	muster status >out && head -1 out | grep "^execution $newest:" &&
	rm .muster/state/index &&
	muster history --limit 1 | sed 1d | grep "^$newest " &&
	test -s .muster/state/index &&
	test "$(tail -n 1 .muster/state/index)" = "$newest"
'

test_expect_success 'the index: removed executions are not shown; gc rewrites it' '
	newest=$(tail -n 1 .muster/state/index) &&
	rm -rf .muster/state/executions/$newest &&
	muster status >out && ! grep "$newest" out &&
	muster gc --keep 2 2>/dev/null &&
	test $(wc -l <.muster/state/index) = 2 &&
	muster history | sed 1d >h && test_line_count = 2 h
'

test_expect_success 'the index: a torn last line is skipped' '
	printf "2026" >>.muster/state/index &&
	muster history | sed 1d >h && test_line_count = 2 h &&
	muster run -q ok &&
	muster history | sed 1d >h && test_line_count = 3 h
'

test_done
