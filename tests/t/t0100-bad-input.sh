#!/bin/sh
# t0100-bad-input.sh: every file of the bad-input corpus fails validation
# with exit 2 and exactly its expected messages (tests/data/bad/NAME.err).
. "$(dirname "$0")/lib.sh"

for f in "$DATA"/bad/*.yaml; do
	n=$(basename "$f" .yaml)
	test_expect_success "bad input: $n" "
		rm -rf p && mkdir -p p/.muster/workflows &&
		cp '$f' p/.muster/workflows/ &&
		(cd p && test_expect_code 2 muster validate >out 2>../err) &&
		test_cmp '$DATA/bad/$n.err' err &&
		test ! -s p/out
	"
done

test_done
