#!/bin/sh
# t0240-cli-conventions.sh: -h after any command, -q for cron, --last and
# id prefixes, one duration format and table headers, and the ways of
# passing arguments (stdin, environment, arrays, secrets).
. "$(dirname "$0")/lib.sh"

H='apiVersion: muster.giantswarm.io/v1alpha1'

test_expect_success 'setup' '
	mkdir -p .muster/workflows &&
	cat >.muster/workflows/one.yaml <<-EOF &&
	$H
	kind: Workflow
	spec:
	  steps: [{id: a, run: "echo hello"}]
	EOF
	cat >.muster/workflows/bad.yaml <<-EOF &&
	$H
	kind: Workflow
	spec:
	  steps: [{id: a, run: "echo oops; exit 3"}]
	EOF
	cat >.muster/workflows/sec.yaml <<-EOF
	$H
	kind: Workflow
	spec:
	  args:
	    token: {type: string, secret: true, required: true}
	    regions: {type: array, default: []}
	    name: {type: string, default: x}
	  steps:
	    - {id: a, run: "env | grep MUSTER_INPUT_ | sort >env-a || true"}
	    - {id: b, run: "test \"\$MUSTER_INPUT_TOKEN\" = s3cr3t && echo ok >env-b"}
	EOF
'

test_expect_success '-h and --help after any command print its help, exit 0' '
	muster run --help >out &&
	head -1 out | grep "^usage: muster run WORKFLOW" &&
	muster status -h >out &&
	head -1 out | grep "^usage: muster status" &&
	muster history --workflow x -h >out &&
	head -1 out | grep "^usage: muster history" &&
	muster service create --help >out &&
	head -1 out | grep "^usage: muster service create CLASS" &&
	muster service stop -h >out &&
	head -1 out | grep "^usage: muster service stop NAME" &&
	muster help service create >out2 &&
	muster service create -h >out &&
	test_cmp out out2 &&
	test_expect_code 2 muster help service nope 2>err &&
	grep "no subcommand .service nope." err &&
	muster render -- --help >out &&
	test "$(cat out)" = "--help"
'

test_expect_success '-q: a successful run prints nothing at all' '
	muster run -q one >out 2>err &&
	test ! -s out && test ! -s err &&
	muster -q run one >out 2>err &&
	test ! -s out && test ! -s err
'

test_expect_success '-q: a failed run still prints the summary' '
	test_expect_code 1 muster run -q bad >out 2>err &&
	grep "a: failed" err &&
	grep "muster: bad failed" err &&
	grep "resume: muster resume" err &&
	! grep "\[a\] oops" err
'

test_expect_success 'one step alone streams its output, -v too' '
	muster run one 2>err &&
	grep "^\[a\] hello" err
'

test_expect_success 'status, logs and cancel take --last; logs alone is the latest' '
	sleep 1 && muster run one 2>/dev/null &&
	id=$(muster history --limit 1 --json | sed "s/.*\"execution_id\":\"\([^\"]*\)\".*/\1/") &&
	muster status --last >out &&
	head -1 out | grep "^execution $id: workflow one, completed" &&
	muster logs >out && grep "hello" out &&
	muster logs --last a >out && grep "hello" out &&
	muster logs a >out && grep "hello" out &&
	test_expect_code 3 muster cancel --last 2>err &&
	grep "execution $id is not running" err &&
	test_expect_code 2 muster status --last $id 2>err
'

test_expect_success 'ids may be abbreviated to a unique prefix' '
	id=$(muster history --limit 1 --json | sed "s/.*\"execution_id\":\"\([^\"]*\)\".*/\1/") &&
	short=${id%??} &&
	muster status $short >out &&
	head -1 out | grep "^execution $id:" &&
	muster logs $short a >out && grep hello out &&
	test_expect_code 2 muster status 2 2>err &&
	grep "execution id .2. is ambiguous: " err &&
	test_expect_code 3 muster status 1999 2>err &&
	grep "no execution .1999." err
'

test_expect_success 'durations read alike in status and history; history has a header' '
	muster status --last >out &&
	grep "^started .*, ended .* after [0-9.]*\(ms\|s\|µs\)$" out &&
	grep "^  a  *completed .* [0-9.]*\(ms\|s\|µs\)$" out &&
	muster history >out &&
	head -1 out | grep "^ID  *WORKFLOW  *STATUS  *STARTED  *DURATION$" &&
	sed -n 2p out | grep " [0-9.]*\(ms\|s\|µs\)$"
'

test_expect_success '--args-file - reads the arguments from standard input' '
	echo "{token: s3cr3t, name: y}" | muster run -q sec --args-file - &&
	test -s env-b &&
	echo "[1]" | test_expect_code 2 muster run sec --args-file - 2>err &&
	grep "expected one mapping" err
'

test_expect_success '--arg-env passes a secret that argv never shows' '
	rm -f env-b &&
	TOKEN=s3cr3t muster run -q sec --arg-env token=TOKEN &&
	test -s env-b &&
	test_expect_code 2 muster run sec --arg-env token=NO_SUCH_VAR 2>err &&
	grep "the environment has no .NO_SUCH_VAR." err
'

test_expect_success 'secrets reach only the run: steps that name them' '
	cat env-a >out &&
	grep "^MUSTER_INPUT_NAME=x" out &&
	! grep TOKEN out
'

test_expect_success 'an array argument given a bare value shows the JSON form' '
	test_expect_code 2 muster run sec --arg token=t --arg regions=eu-west 2>err &&
	grep "argument .regions. is not valid JSON .*; an array is JSON: --arg .regions=\[\"eu-west\"\]." err
'

test_expect_success '-n does not ask for required secrets; run does' '
	muster run -n sec >out &&
	grep "plan of workflow sec" out &&
	test_expect_code 2 muster run sec 2>err &&
	grep "missing required argument .token." err
'

test_done
