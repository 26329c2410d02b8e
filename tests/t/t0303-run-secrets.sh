#!/bin/sh
# t0303-run-secrets.sh: secret values never reach disk or output; hostile
# argument values cannot add or change commands.
. "$(dirname "$0")/lib.sh"

use() {
	rm -rf .muster && mkdir -p .muster/workflows &&
	cp "$DATA/run/$1.yaml" .muster/workflows/
}

S=s3cr3t-VALUE-9f
S64=$(printf %s "$S" | base64)

test_expect_success 'setup: a run that prints its secret every way it can' '
	use secret &&
	test_expect_code 1 muster -v run secret --arg token=$S >out 2>err &&
	muster --json run secret --arg token=$S >events 2>err2;
	muster status --json >status &&
	muster status >status.txt
'

test_expect_success 'the secret is nowhere in state, logs, output or events' '
	! grep -r -F -e "$S" -e "$S64" .muster/state out err events err2 status status.txt &&
	! grep -r -F "s3cr3t-VALUE" .muster/state out err events err2
'

test_expect_success 'and *** stands where it was' '
	grep -F "[show] plain ***" err &&
	grep -F "[show] err ***" err &&
	grep -F "failing with ***" .muster/state/executions/*/logs/fail.err &&
	grep -F "\"token\":\"***\"" status &&
	grep -F "\"password\":\"***\"" status &&
	grep -F "\"key\":\"***\"" status
'

test_expect_success 'a secret arriving one byte at a time is still masked' '
	grep -x -F "***" .muster/state/executions/*/logs/show.out | head -1 | grep -q .
'

for v in '; touch PWNED' '$(touch PWNED)' '`touch PWNED`' '|| touch PWNED' \
    'x
touch PWNED' "it's" 'say "hi"' '${IFS}x' '*' '~' '-rf' \
    'zzz";echo${IFS}"hello";#' "\\'\\\"" '--upload-pack=touch PWNED' "a	b  c"
do
	test_expect_success "a hostile value stays one value: $(printf %s "$v" | head -1)" '
		use inject && rm -f PWNED out* argv.json &&
		muster -q run inject --arg "v=$v" &&
		test ! -e PWNED &&
		printf %s "$v" >expect &&
		test_cmp expect out1 && test_cmp expect out2 && test_cmp expect out3 &&
		printf "a%sbc%sd%s" "$v" "$v" "$v" >expect4 &&
		test_cmp expect4 out4 &&
		V="$v" python3 -c "
import json, os
v = os.environ[\"V\"]
assert json.load(open(\"argv.json\")) == [v, \"--flag=\" + v]
"
	'
done

test_expect_success 'a NUL byte cannot reach a process' '
	use inject &&
	printf "v: \"a\\\\0b\"\n" >args.yaml &&
	test_expect_code 1 muster -q run inject --args-file args.yaml 2>err &&
	grep "NUL" err
'

test_done
