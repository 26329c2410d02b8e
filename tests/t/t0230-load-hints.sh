#!/bin/sh
# t0230-load-hints.sh: YAML errors with hints, validate --json, files in
# the wrong place, empty files, and -C / MUSTER_DIR at the project folder.
. "$(dirname "$0")/lib.sh"

H='apiVersion: muster.giantswarm.io/v1alpha1'

test_expect_success 'a tab in indentation gets a hint' '
	mkdir -p .muster/workflows &&
	printf "%s\nkind: Workflow\nspec:\n  steps:\n\t- {id: a, run: x}\n" "$H" >.muster/workflows/t.yaml &&
	test_expect_code 2 muster validate 2>err &&
	grep "^.muster/workflows/t.yaml:5:1: error: " err &&
	grep "^.muster/workflows/t.yaml:5:1: hint: tabs are not allowed in YAML indentation" err
'

test_expect_success "an unquoted ': ' in a value: quote it" '
	printf "%s\nkind: Workflow\nspec:\n  steps:\n    - id: a\n      run: echo a: b\n" "$H" >.muster/workflows/t.yaml &&
	test_expect_code 2 muster validate 2>err &&
	grep "t.yaml:6:18: error: mapping values are not allowed" err &&
	grep "t.yaml:6:18: hint: .*quote the value" err
'

test_expect_success 'bad indentation and an unclosed quote get hints' '
	printf "%s\nkind: Workflow\nspec:\n  steps:\n    - id: a\n      run: x\n     dependsOn: []\n" "$H" >.muster/workflows/t.yaml &&
	test_expect_code 2 muster validate 2>err &&
	grep "hint: check the indentation" err &&
	printf "%s\nkind: Workflow\nspec:\n  steps: [{id: a, run: \"echo}]\n" "$H" >.muster/workflows/t.yaml &&
	test_expect_code 2 muster validate 2>err &&
	grep "hint: a quote is not closed" err
'

test_expect_success 'validate --json: every problem with file, line, column, hint' '
	printf "%s\nkind: Workflow\nspec:\n  steps:\n\t- {id: a, run: x}\n" "$H" >.muster/workflows/t.yaml &&
	printf "%s\nkind: Workflow\nspec:\n  stpes: []\n" "$H" >.muster/workflows/u.yaml &&
	test_expect_code 2 muster validate --json >out 2>err &&
	test ! -s err &&
	/usr/bin/python3 -c "
import json, sys
d = json.load(open(\"out\"))
assert d[\"valid\"] is False, d
e = d[\"errors\"]
assert len(e) == 2, e
assert e[0][\"file\"] == \".muster/workflows/t.yaml\" and e[0][\"line\"] == 5 and e[0][\"column\"] == 1, e[0]
assert e[0][\"hint\"].startswith(\"tabs are not allowed\"), e[0]
assert \"stpes\" in e[1][\"message\"] and e[1][\"line\"] == 4 and e[1][\"hint\"] is None, e[1]
assert d[\"warnings\"] == [], d
"
'

test_expect_success 'validate --json on a valid project, and with no project' '
	rm .muster/workflows/t.yaml .muster/workflows/u.yaml &&
	printf "%s\nkind: Workflow\nspec:\n  steps: [{id: a, run: x}]\n" "$H" >.muster/workflows/ok.yaml &&
	muster validate --json >out &&
	echo "{\"valid\":true,\"workflows\":1,\"tools\":0,\"serviceclasses\":0,\"errors\":[],\"warnings\":[]}" >expect &&
	test_cmp expect out &&
	none=$(mktemp -d) &&
	test_expect_code 2 muster -C "$none" validate --json >out &&
	rmdir "$none" &&
	grep "\"valid\":false" out && grep "no .muster folder" out
'

test_expect_success 'files where muster does not look: warnings naming the folder' '
	mkdir -p .muster/workflow &&
	printf "%s\nkind: Workflow\nspec:\n  steps: [{id: a, run: x}]\n" "$H" >.muster/workflow/w.yaml &&
	printf "%s\nkind: Tool\nspec: {run: x}\n" "$H" >.muster/x_t.yaml &&
	printf "jobs: 2\n" >.muster/config.yaml &&
	muster validate >out 2>err &&
	cat >expect <<-\EOF &&
	.muster/workflow/w.yaml:1:1: warning: a file in .muster/workflow/: muster does not read it; move it to .muster/workflows/
	.muster/x_t.yaml:1:1: warning: a file directly in .muster/: muster does not read it; move it to .muster/tools/
	EOF
	test_cmp expect err &&
	muster validate --json >out &&
	grep "\"warnings\":\[{\"file\":\".muster/workflow/w.yaml\"" out &&
	rm -r .muster/workflow .muster/x_t.yaml .muster/config.yaml
'

test_expect_success 'an empty definition file is an error' '
	: >.muster/workflows/empty.yaml &&
	printf "# nothing yet\n---\n" >.muster/workflows/comments.yml &&
	test_expect_code 2 muster validate 2>err &&
	grep "^.muster/workflows/empty.yaml:1:1: error: the file holds no definition" err &&
	grep "^.muster/workflows/comments.yml:1:1: error: the file holds no definition" err &&
	rm .muster/workflows/empty.yaml .muster/workflows/comments.yml
'

test_expect_success 'MUSTER_DIR and -C may name the project or its .muster' '
	mkdir sub && cd sub &&
	MUSTER_DIR=.. muster list workflows >out &&
	grep "^ok" out &&
	MUSTER_DIR=../.muster muster list workflows >out &&
	grep "^ok" out &&
	muster -C ../.muster list workflows >out &&
	grep "^ok" out &&
	muster -C .. list workflows >out &&
	grep "^ok" out &&
	mkdir empty &&
	MUSTER_DIR=empty test_expect_code 2 muster list 2>err &&
	grep "MUSTER_DIR .empty. is neither a .muster folder nor a project folder" err
'

test_done
