#!/bin/sh
# t1121-tmpl-roots.sh: .context (the legacy name of .results) in runs and in
# static checks; the warning for Sprig functions called in another order;
# `muster render --functions` and the table of doc/templates.md.
. "$(dirname "$0")/lib.sh"

# A project with one workflow of tests/data/context.
use() {
	rm -rf p && mkdir -p p/.muster/workflows &&
	cp "$DATA/context/$1.yaml" p/.muster/workflows/
}

test_expect_success '.context reads the results, as .results does' '
	use ctx &&
	(cd p && muster run ctx) &&
	echo "app:1=app:1" >expect &&
	test_cmp expect p/out
'

test_expect_success '.context of an unknown step fails validation' '
	use ctx-nostep &&
	test_expect_code 2 muster -C p validate 2>err &&
	grep "ctx-nostep.yaml:7:.*reads .context.nope, but workflow .ctx-nostep. has no step .nope." err
'

test_expect_success '.context of a step not depended on fails validation' '
	use ctx-nodep &&
	test_expect_code 2 muster -C p validate 2>err &&
	grep "reads .context.js but does not depend on .js." err
'

test_expect_success 'replace .s "-" "_" is valid, with a warning' '
	use order &&
	muster -C p validate >out 2>err &&
	grep "^valid: 1 workflow" out &&
	grep "order.yaml:9:21: warning: replace takes .replace OLD NEW S." err &&
	grep "order.yaml:9:116: warning: contains takes .contains SUBSTR S." err &&
	test $(grep -c warning err) -eq 2
'

test_expect_success 'Sprig order and piped calls draw no warning' '
	use ctx &&
	muster -C p validate 2>err &&
	! grep warning err
'

test_expect_success 'render --functions lists every function, sorted' '
	TZ=UTC muster render --functions >table &&
	sed -n "3,\$p" table | sed "s/^| \`\` \([^ ]*\).*/\1/" >names &&
	LC_ALL=C sort -c names &&
	grep -x -e replace -e semverCompare -e genCA -e timeFormat names >some &&
	test $(wc -l <some) -eq 4 &&
	! grep "error:" table | grep -v -e "^| \`\` call " -e getHostByName
'

test_expect_success 'doc/templates.md has the table render --functions prints' '
	sed -n "/^<!-- functions: begin/,/^<!-- functions: end/p" \
		"$TOP/doc/templates.md" | sed "1d;\$d" >doc &&
	TZ=UTC muster render --functions >table &&
	test_cmp table doc
'

test_done
