#!/bin/sh
# t1120-sprig.sh: Sprig's function library (tests/data/tmpl/sprig.json, whose
# expected outputs come from Go 1.19 + Sprig 3.2.3), case by case, in UTC.
# tests/data/tmpl/sprig-failing lists the cases muster does not pass, and why.
. "$(dirname "$0")/lib.sh"

TZ=UTC python3 "$TEST_DIR/tmpl-cases.py" "$MUSTER" "$DATA/tmpl/sprig.json" \
	sprig "$DATA/tmpl/sprig-failing"
rc=$?
test $rc -eq 0 && cd "$TOP" && rm -rf "$TRASH"
exit $rc
