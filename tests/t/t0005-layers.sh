#!/bin/sh
# t0005-layers.sh: src/'s folders depend one way (tests/check-layers.sh):
# the tree passes the check, and the check catches a planted upward include
# and a folder the Makefile does not list.
. "$(dirname "$0")/lib.sh"

CHECK=$TOP/tests/check-layers.sh

copy_tree() {
	mkdir -p tree &&
	cp "$TOP/Makefile" tree/ &&
	cp -R "$TOP/src" tree/src &&
	find tree/src -name '*.[od]' -exec rm -f {} +
}

test_expect_success 'src/ includes no header of a higher layer' '
	sh "$CHECK" "$TOP" >out 2>&1 || { cat out; false; }
'

test_expect_success 'an include of a higher layer fails, naming it' '
	copy_tree &&
	sed -i "1a #include \"engine/run.h\"" tree/src/def/graph.c &&
	test_expect_code 1 sh "$CHECK" "$PWD/tree" >out &&
	grep "^src/def/graph.c:2: def includes engine, a higher layer$" out
'

test_expect_success 'a header of a higher layer is caught too' '
	rm -rf tree && copy_tree &&
	sed -i "1a #include \"svc/service.h\"" tree/src/base/util.h &&
	test_expect_code 1 sh "$CHECK" "$PWD/tree" >out &&
	grep "^src/base/util.h:2: base includes svc" out
'

test_expect_success 'a folder that is no layer fails' '
	rm -rf tree && copy_tree &&
	mkdir tree/src/extra && echo "int x;" >tree/src/extra/x.c &&
	test_expect_code 1 sh "$CHECK" "$PWD/tree" >out &&
	grep "^src/extra: a folder the Makefile" out
'

test_expect_success 'an include of the same or a lower layer passes' '
	rm -rf tree && copy_tree &&
	sed -i "1a #include \"base/util.h\"" tree/src/engine/run.c &&
	sh "$CHECK" "$PWD/tree"
'

test_done
