#!/bin/sh
# t1100-tmpl-conformance.sh: Go's own text/template results, case by case,
# through `muster render --missingkey=default` (tests/data/tmpl/conformance.json).
. "$(dirname "$0")/lib.sh"

python3 "$TEST_DIR/tmpl-cases.py" "$MUSTER" "$DATA/tmpl/conformance.json" \
	conformance
rc=$?
test $rc -eq 0 && cd "$TOP" && rm -rf "$TRASH"
exit $rc
