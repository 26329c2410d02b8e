#!/bin/sh
# t0400-crash.sh: SIGKILL at random instants, resumes until done; every
# promise of resume checked (tests/crash.py).  `make stress` runs 1,000.
. "$(dirname "$0")/lib.sh"

python3 "$TOP/tests/crash.py" --muster "$MUSTER" --rounds "${CRASH_ROUNDS:-20}" \
	--workdir "$TRASH/rounds" --tap
test_done_external=$?
rm -rf "$TRASH"
exit $test_done_external
