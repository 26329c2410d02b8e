#!/bin/sh
# t1110-tmpl-cases.sh: our own template table (tests/data/tmpl/cases.json):
# Go's documented corners and every muster function, through muster render.
. "$(dirname "$0")/lib.sh"

python3 "$TEST_DIR/tmpl-cases.py" "$MUSTER" "$DATA/tmpl/cases.json" cases
rc=$?
test $rc -eq 0 && cd "$TOP" && rm -rf "$TRASH"
exit $rc
