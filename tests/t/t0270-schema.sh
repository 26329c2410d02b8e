#!/bin/sh
# t0270-schema.sh: the JSON Schemas of share/muster/schema are what
# gen-schema.py makes of the loader's field tables; every definition of
# examples/ and tests/data/ validates with a real validator, and the files
# of tests/data/schema-bad/ fail both the schema and muster validate.
# make install puts the schemas and doc/*.md in place.
. "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3
SCHEMA=$TOP/share/muster/schema
if ! "$PY" -c "import jsonschema, yaml" 2>/dev/null; then
	if test "${CI:-}" = true; then
		echo "not ok 1 - $TEST_NAME: python3-jsonschema or python3-yaml is missing"
		exit 1
	fi
	test_skip "JSON Schemas" \
		"python3-jsonschema or python3-yaml is not installed (apt-get install python3-jsonschema python3-yaml)"
	test_done
fi

test_expect_success 'the schemas are generated from the loader tables' '
	"$PY" "$SCHEMA/gen-schema.py" "$TOP" gen &&
	for k in workflow tool serviceclass; do
		test_cmp "$SCHEMA/$k.json" gen/$k.json || return 1
	done
'

test_expect_success 'a field added to a table shows up in the schema' '
	mkdir -p fake/src/def &&
	cp "$TOP"/src/def/*.c fake/src/def/ &&
	sed -i "s/\[SF_SHELL\] = { \"shell\", NULL },/&\n\t{ \"brandNew\", \"brand_new\" },/" \
		fake/src/def/load-workflow.c &&
	"$PY" "$SCHEMA/gen-schema.py" fake gen2 &&
	grep "\"brandNew\"" gen2/workflow.json &&
	grep "\"brand_new\"" gen2/workflow.json
'

test_expect_success 'every definition in examples/ and tests/data/ validates' '
	grep -rl "^kind: \(Workflow\|Tool\|ServiceClass\)" "$TOP/examples" \
		"$TOP/tests/data" --include=*.yaml --include=*.yml |
		grep -v "/tests/data/bad/\|/twenty-mistakes/\|/schema-bad/" >files &&
	test $(wc -l <files) -gt 50 &&
	"$PY" "$TOP/tests/schema-check.py" "$SCHEMA" good $(cat files) 2>err &&
	cat err && grep "^[0-9]* documents checked, 0 files wrong" err
'

test_expect_success 'the invalid files fail the schema, and muster too' '
	"$PY" "$TOP/tests/schema-check.py" "$SCHEMA" bad \
		"$TOP"/tests/data/schema-bad/*.yaml &&
	for f in "$TOP"/tests/data/schema-bad/*.yaml; do
		rm -rf p && mkdir -p p/.muster/workflows && cp "$f" p/.muster/workflows/ &&
		(cd p && test_expect_code 2 muster validate 2>/dev/null) || return 1
	done
'

test_expect_success 'make install puts the schemas and doc/*.md in place' '
	make -s -C "$TOP" -o muster install DESTDIR="$TRASH/root" PREFIX=/usr \
		>/dev/null &&
	for k in workflow tool serviceclass; do
		test_cmp "$SCHEMA/$k.json" root/usr/share/muster/schema/$k.json ||
		return 1
	done &&
	for d in "$TOP"/doc/*.md; do
		test_cmp "$d" "root/usr/share/doc/muster/$(basename "$d")" ||
		return 1
	done &&
	test -f root/usr/share/man/man1/muster.1
'

test_done
