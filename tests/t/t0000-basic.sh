#!/bin/sh
# t0000-basic.sh: the command line itself: version, help, unknown commands.
. "$(dirname "$0")/lib.sh"

test_expect_success 'version prints the version' '
	muster version >out &&
	grep "^muster [0-9]" out
'

test_expect_success 'version --json is JSON' '
	muster version --json >out &&
	grep "^{\"version\":\"[0-9.]*\"}\$" out
'

test_expect_success 'help lists the commands' '
	muster help >out &&
	grep "^  version " out &&
	grep "^  help " out
'

test_expect_success '--help and --version work before any command' '
	muster --help >out &&
	grep "^usage: muster " out &&
	muster -q -h >out &&
	grep "^usage: muster " out &&
	muster --version >out &&
	grep "^muster [0-9]" out &&
	muster -C /nonexistent -V >out &&
	grep "^muster [0-9]" out
'

test_expect_success 'no command is a usage error' '
	test_expect_code 2 muster >out
'

test_expect_success 'an unknown command suggests a close one' '
	test_expect_code 2 muster verison 2>err &&
	echo "muster: unknown command '"'"'verison'"'"' (did you mean '"'"'version'"'"'?)" >expect &&
	test_cmp expect err
'

test_expect_success 'an unknown global option is a usage error' '
	test_expect_code 2 muster --bogus version 2>err &&
	grep "unknown option .--bogus" err
'

test_expect_success 'a bad --color value is a usage error' '
	test_expect_code 2 muster --color=sometimes version 2>err &&
	grep "expected auto, always or never" err
'

test_done
