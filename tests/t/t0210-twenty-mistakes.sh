#!/bin/sh
# t0210-twenty-mistakes.sh: validate on a project seeded with twenty typical
# mistakes (tests/data/twenty-mistakes/MISTAKES) reports them before
# anything runs.
. "$(dirname "$0")/lib.sh"

# How many of the twenty `validate` must report; raised as checks land.
FLOOR=20

test_expect_success 'validate reports the seeded mistakes and exits 2' '
	cp -R "$DATA/twenty-mistakes" proj &&
	(cd proj && test_expect_code 2 muster validate 2>../err) &&
	sh proj/caught.sh "$MUSTER" >n 2>missed &&
	cat n missed &&
	test "$(cut -d/ -f1 n)" -ge $FLOOR &&
	test "$(cut -d/ -f2 n)" = 20
'

test_expect_success 'run refuses the project before any step runs' '
	(cd proj && test_expect_code 2 muster run child --arg target=x) &&
	test ! -d proj/.muster/state/executions
'

test_done
