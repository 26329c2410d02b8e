#!/bin/sh
# t0104-fuzz-regress.sh: the inputs that once crashed a fuzz target (and
# the hostile inputs of issue reports), kept in tests/fuzz/regress/NAME/,
# replayed through the same harness without libFuzzer: under `make
# DEVELOPER=1 check` the sanitizers watch them.
. "$(dirname "$0")/lib.sh"

for d in "$TOP"/tests/fuzz/regress/*/; do
	t=$(basename "$d")
	n=$(ls "$d" | wc -l)
	test_expect_success "fuzz regressions: $t ($n inputs)" "
		test $n -gt 0 &&
		TMPDIR='$TRASH' '$TOP/tests/fuzz/replay-$t' '$d'* >out 2>err &&
		grep '^replayed $n files\$' err
	"
done

test_done
