#!/bin/sh
# t0706-checkpoints.sh: named checkpoints: a step's checkpoint: NAME, or
# `muster checkpoint ID NAME` on an execution that does not run; status
# lists them; resume --from-checkpoint NAME runs again what completed
# after the point.
. "$(dirname "$0")/lib.sh"

mkdir -p .muster/workflows &&
cp "$DATA/pause/cp.yaml" "$DATA/pause/w.yaml" .muster/workflows/

test_expect_success 'a step with checkpoint: records it; status lists it' '
	touch go &&
	muster -q run cp &&
	muster status >out &&
	grep "^checkpoints:" out &&
	grep "^  fetched  [0-9T:.Z-]*  after step fetch, 1 step done$" out &&
	muster status --json >st &&
	python3 -c "
import json; d = json.load(open(\"st\"))
c = d[\"checkpoints\"]
assert [(x[\"name\"], x[\"step\"], x[\"steps\"]) for x in c] == [(\"fetched\", \"fetch\", 1)], c
assert \"_checkpoints\" not in d
"
'

test_expect_success 'resume --from-checkpoint runs again what came after it' '
	rm ledger &&
	muster resume --last --from-checkpoint fetched 2>err &&
	grep "from-checkpoint fetched: 2 steps completed after it" err &&
	printf "build\nship\n" >expect && test_cmp expect ledger
'

test_expect_success 'muster checkpoint names a point of a finished run' '
	id=$(ls -t .muster/state/executions | head -1) &&
	muster checkpoint "$id" built 2>err &&
	grep "checkpoint .built. of execution $id" err &&
	muster status "$id" >out &&
	grep "^  built    [0-9T:.Z-]*  by muster checkpoint, 3 steps done$" out &&
	rm ledger &&
	muster resume "$id" --from-checkpoint built 2>err &&
	grep "from-checkpoint built: 0 steps completed after it" err &&
	test ! -e ledger
'

test_expect_success 'after a failure: the checkpoint, then the rest' '
	rm -f go ledger &&
	test_expect_code 1 muster -q run cp &&
	muster checkpoint --last before-ship &&
	touch go &&
	muster resume --last --from-checkpoint fetched &&
	printf "fetch\nbuild\nbuild\nship\n" >expect && test_cmp expect ledger
'

test_expect_success 'unknown, used or bad names; a running execution' '
	id=$(ls -t .muster/state/executions | head -1) &&
	test_expect_code 2 muster resume "$id" --from-checkpoint nope 2>err &&
	grep "has no checkpoint .nope. (it has fetched, before-ship)" err &&
	test_expect_code 2 muster checkpoint "$id" before-ship 2>err &&
	grep "has a checkpoint .before-ship. already" err &&
	test_expect_code 2 muster checkpoint "$id" "a b" 2>err &&
	grep "bad checkpoint name" err &&
	test_expect_code 3 muster checkpoint 20200101-000000-abcd x 2>err &&
	(muster run w >/dev/null 2>&1 &) &&
	sleep 0.3 &&
	test_expect_code 75 muster checkpoint --last x 2>err &&
	grep "is running (pid [0-9]*): pause it first" err
'

test_expect_success 'two steps may not name one checkpoint' '
	sed "s/{id: build, run: \"echo build >>ledger\"}/{id: build, run: \"true\", checkpoint: fetched}/" \
		"$DATA/pause/cp.yaml" >.muster/workflows/cp.yaml &&
	test_expect_code 2 muster validate 2>err &&
	grep "cp.yaml:7:12: error: step .build. names checkpoint .fetched., which step .fetch. names already" err
'

test_done
