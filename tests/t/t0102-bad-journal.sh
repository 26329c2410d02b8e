#!/bin/sh
# t0102-bad-journal.sh: every damaged journal of tests/data/journal-bad/
# (NAME.records framed as records, or NAME.raw as it is) is corrupt for
# every command that reads it: status, status --json, history, resume,
# trace and report exit 3 with exactly its expected message (NAME.err),
# and never crash.
. "$(dirname "$0")/lib.sh"

ID=20260101-000000-abcd
JB=$DATA/journal-bad

# make_exec FILE: a project whose one execution's journal is FILE.
make_exec() {
	rm -rf p && mkdir -p p/.muster/workflows p/.muster/state/executions/$ID &&
	cat >p/.muster/workflows/w.yaml <<-\EOF
	apiVersion: muster.giantswarm.io/v1alpha1
	kind: Workflow
	metadata: {name: w}
	spec:
	  steps:
	    - {id: a, run: 'echo ran >>../ran'}
	EOF
	case $1 in
	*.raw) cp "$1" p/.muster/state/executions/$ID/journal ;;
	*) "$HELPERS/journal-frame" <"$1" \
		>p/.muster/state/executions/$ID/journal ;;
	esac
}

for f in "$JB"/*.records "$JB"/*.raw; do
	n=$(basename "$f"); n=${n%.*}
	test_expect_success "bad journal: $n" "
		make_exec '$f' &&
		(cd p && test_expect_code 3 muster status $ID) 2>err &&
		test_cmp '$JB/$n.err' err &&
		(cd p && test_expect_code 3 muster status --json $ID) >out 2>err &&
		test_cmp '$JB/$n.err' err && test ! -s out &&
		(cd p && test_expect_code 3 muster resume $ID) 2>err &&
		test_cmp '$JB/$n.err' err && test ! -e ran &&
		(cd p && test_expect_code 3 muster history) 2>err &&
		test_cmp '$JB/$n.err' err &&
		(cd p && test_expect_code 3 muster trace $ID -o t.json) 2>err &&
		test_cmp '$JB/$n.err' err && test ! -e p/t.json &&
		(cd p && test_expect_code 3 muster report $ID -o r.html) 2>err &&
		test_cmp '$JB/$n.err' err && test ! -e p/r.html
	"
done

test_expect_success 'fields in another order, spaces between: still read' '
	cat >good.records <<-EOF &&
	{ "input": {}, "at": "2026-01-01T00:00:00.000Z", "workflow": "w", "t": "start", "id": "$ID" }
	{"h":"00000000000000aa","s":"completed","k":"a","t":"step","at":"2026-01-01T00:00:01.000Z","a":1,"input":{"result":"fake"},"result":{"real":1}}
	{ "t" : "end" , "s" : "completed" , "at" : "2026-01-01T00:00:02.000Z" }
	EOF
	make_exec good.records &&
	(cd p && muster status --json $ID) >out &&
	grep "\"result\":{\"real\":1}" out &&
	grep "\"status\":\"completed\"" out
'

test_expect_success 'a summary.json of {} or of the wrong types: the journal decides' '
	make_exec "$JB/step-no-s.records" &&
	echo "{}" >p/.muster/state/executions/$ID/summary.json &&
	(cd p && test_expect_code 3 muster history --workflow w) 2>err &&
	test_cmp "$JB/step-no-s.err" err &&
	(cd p && test_expect_code 3 muster history --status completed) 2>err &&
	test_cmp "$JB/step-no-s.err" err &&
	make_exec good.records &&
	echo "{\"execution_id\":1,\"status\":null}" \
		>p/.muster/state/executions/$ID/summary.json &&
	(cd p && muster history --workflow w --json) >out &&
	grep "\"workflow_name\":\"w\"" out
'

test_expect_success 'a FIFO as journal or summary does not hang a reader' '
	make_exec good.records &&
	mkfifo p/.muster/state/executions/$ID/summary.json &&
	(cd p && timeout 10 "$MUSTER" history) >out &&
	grep "^$ID" out &&
	rm p/.muster/state/executions/$ID/journal &&
	mkfifo p/.muster/state/executions/$ID/journal &&
	(cd p && test_expect_code 4 timeout 10 "$MUSTER" status $ID)
'

test_done
