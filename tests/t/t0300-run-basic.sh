#!/bin/sh
# t0300-run-basic.sh: muster run: order, results, forEach, parallel, the
# execution record and status.
. "$(dirname "$0")/lib.sh"

# Copies a workflow of tests/data/run into the project.
use() {
	mkdir -p .muster/workflows &&
	cp "$DATA/run/$1.yaml" .muster/workflows/
}

test_expect_success 'without dependsOn, steps run in file order' '
	use seq &&
	muster run seq -j 4 2>err &&
	printf "c\na\nb\n" >expect &&
	test_cmp expect ledger &&
	grep "^muster: execution [0-9]\{8\}-[0-9]\{6\}-[0-9a-f]\{4\}$" err
'

test_expect_success 'with dependsOn, exactly the declared edges' '
	rm -f ledger &&
	use dag &&
	muster run dag -j 4 2>err &&
	printf "free\nslow\nlast\n" >expect &&
	test_cmp expect ledger
'

test_expect_success 'an empty dependsOn declares the graph: no step waits' '
	rm -f ledger &&
	use free &&
	muster run free -j 4 2>err &&
	printf "c\nb\na\n" >expect &&
	test_cmp expect ledger
'

test_expect_success 'results: JSON stdout, plain stdout, and $MUSTER_OUTPUT' '
	use chain &&
	muster run chain &&
	echo "app:1/3/hello/v2/1/completed/0" >expect &&
	test_cmp expect out
'

test_expect_success 'run from another folder with -C: the same results' '
	mkdir -p elsewhere &&
	(cd elsewhere && muster -C .. -q run chain) &&
	echo "app:1/3/hello/v2/1/completed/0" >expect &&
	test_cmp expect out &&
	test ! -e elsewhere/out
'

test_expect_success 'a field that is one action keeps its JSON type' '
	use typed &&
	muster -q run typed 2>err || { cat err; false; } &&
	muster status --json >st &&
	python3 -c "
import json; d = json.load(open(\"st\"))
s = d[\"steps\"][0]
assert s[\"input\"] == {\"n\": 3, \"flags\": [1, 2]}, s[\"input\"]
assert s[\"result\"] == [\"3\", \"[1,2]\"], s[\"result\"]
"
'

test_expect_success 'forEach: items, vars, indexed results, maxParallel' '
	use loop &&
	muster run loop &&
	echo "eu 2 ap checked us" >expect &&
	test_cmp expect out
'

test_expect_success 'forEach over an empty list completes at once' '
	test_expect_code 1 muster run loop --arg "regions=[]" 2>err &&
	muster status --json | grep "\"step_id\":\"each\",\"tool\":null,\"status\":\"completed\"" &&
	grep "after: failed after .*loop.yaml:21:.*map has no entry for key \"deploy_0\"" err
'

test_expect_success 'parallel: sub-steps together, then dependents' '
	rm -f ledger &&
	use par &&
	muster run par -j 4 &&
	printf "p2\np1\njoin\n" >expect &&
	test_cmp expect ledger
'

test_expect_success 'the record: folder and files private, status --json shape' '
	id=$(muster status --json | python3 -c "import json,sys; print(json.load(sys.stdin)[\"execution_id\"])") &&
	d=.muster/state/executions/$id &&
	test "$(stat -c %a $d)" = 700 &&
	test "$(stat -c %a $d/journal)" = 600 &&
	test "$(stat -c %a .muster/state)" = 700 &&
	muster status $id --json >st &&
	python3 -c "
import json; d = json.load(open(\"st\"))
keys = [\"execution_id\", \"workflow_name\", \"status\", \"started_at\", \"completed_at\", \"duration_ms\", \"input\", \"result\", \"error\", \"steps\"]
assert all(k in d for k in keys), d.keys()
assert d[\"status\"] == \"completed\"
s = d[\"steps\"][0]
for k in [\"step_id\", \"tool\", \"status\", \"started_at\", \"completed_at\", \"duration_ms\", \"attempts\", \"exit_code\", \"input\", \"result\", \"error\"]:
    assert k in s, k
assert not any(k.startswith(\"_\") for k in d), d.keys()
"
'

test_expect_success 'status of an unknown or malformed id exits 3' '
	test_expect_code 3 muster status 20200101-000000-beef 2>err &&
	grep "no execution .20200101-000000-beef." err &&
	test_expect_code 3 muster status ../../etc 2>err
'

test_expect_success 'the output block is the result, printed on stdout' '
	use outdoc &&
	muster run outdoc >out 2>err &&
	echo "{\"image\":\"shop:v9\",\"n\":2}" >expect &&
	test_cmp expect out
'

test_expect_success 'a missing key while running fails the step (exit 1)' '
	use miss &&
	test_expect_code 1 muster run miss 2>err &&
	grep "b: failed after .*miss.yaml:7:.*nope" err
'

test_done
