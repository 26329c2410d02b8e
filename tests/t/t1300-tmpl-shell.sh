#!/bin/sh
# t1300-tmpl-shell.sh: shell-context escaping (render --shell, as run:
# scripts are rendered) against a corpus of hostile values, run through
# dash and bash and checked byte for byte by tests/helpers/argv-dump.
. "$(dirname "$0")/lib.sh"

python3 "$TEST_DIR/tmpl-shell.py" "$MUSTER" "$HELPERS/argv-dump"
rc=$?
test $rc -eq 0 && cd "$TOP" && rm -rf "$TRASH"
exit $rc
