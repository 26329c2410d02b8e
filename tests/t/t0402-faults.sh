#!/bin/sh
# t0402-faults.sh: a disk that fills up, writes that fail, and kills at
# every write and rename: a clear error (exit 4), never a torn record.
. "$(dirname "$0")/lib.sh"

use() {
	rm -rf .muster && mkdir -p .muster/workflows &&
	cp "$DATA/run/$1.yaml" .muster/workflows/
}

# The record of the only execution, if there is one, must read back whole.
record_ok() {
	test -z "$(ls .muster/state/executions 2>/dev/null)" && return 0
	id=$(ls .muster/state/executions) &&
	test $(echo "$id" | wc -l) = 1 &&
	muster status "$id" --json >/dev/null &&
	! ls .muster/state/executions/$id/.*.tmp.* 2>/dev/null &&
	if test -e .muster/state/executions/$id/summary.json; then
		python3 -c "import json,sys; json.load(open(sys.argv[1]))" \
			.muster/state/executions/$id/summary.json
	fi
}

if unshare -m true 2>/dev/null; then
	test_expect_success 'a state folder on a full file system: exit 4, record intact' '
		use big && mkdir -p small &&
		echo "stateDir: small" >.muster/config.yaml &&
		unshare -m sh -c "mount -t tmpfs -o size=64k tmpfs small &&
			\"$MUSTER\" -q run big; echo \$? >rc; muster_id=\$(ls small/executions);
			\"$MUSTER\" status \$muster_id --json >status; echo \$? >src" 2>err &&
		test "$(cat rc)" = 4 &&
		grep "cannot write the log of step .flood.*No space left on device" err &&
		test "$(cat src)" = 0 &&
		grep "\"step_id\":\"small\",\"tool\":null,\"status\":\"completed\"" status
	'
else
	echo "ok 1 - t0402-faults: full file system # SKIP unshare -m is not allowed here"
fi

if strace -o /dev/null true 2>/dev/null; then
	test_expect_success 'an I/O error at any write: exit 0 or 4, the record reads back' '
		use many && n=1 &&
		while test $n -le 14; do
			rm -rf .muster/state &&
			ASAN_OPTIONS=detect_leaks=0 strace -o /dev/null -e trace=write -e inject=write:error=EIO:when=$n \
				"$MUSTER" -q run many >/dev/null 2>err;
			rc=$? &&
			{ test $rc = 0 || test $rc = 4 || { echo "write $n: exit $rc"; false; }; } &&
			{ test $rc = 0 || grep -q "muster: cannot write" err ||
				{ echo "write $n: no message"; cat err; false; }; } &&
			record_ok || { echo "write $n"; false; } || return 1
			n=$((n + 1))
		done
	'

	test_expect_success 'killed at any write or rename: the record reads back and resumes' '
		use many && n=1 &&
		while test $n -le 16; do
			rm -rf .muster/state &&
			ASAN_OPTIONS=detect_leaks=0 strace -o /dev/null -e trace=write -e inject=write:signal=KILL:when=$n \
				"$MUSTER" -q run many >/dev/null 2>&1;
			test -n "$(ls .muster/state/executions 2>/dev/null)" ||
				{ n=$((n + 1)); continue; }
			record_ok &&
			id=$(ls .muster/state/executions) &&
			"$MUSTER" -q resume $id >/dev/null 2>err &&
			muster status $id --json | grep -q "\"status\":\"completed\"" ||
				{ echo "kill at write $n"; cat err; false; } || return 1
			n=$((n + 1))
		done &&
		rm -rf .muster/state &&
		ASAN_OPTIONS=detect_leaks=0 strace -o /dev/null -e trace=rename,renameat,renameat2 \
			-e inject=rename,renameat,renameat2:signal=KILL:when=2 \
			"$MUSTER" -q run many >/dev/null 2>&1;
		record_ok
	'
else
	echo "ok 2 - t0402-faults: injected faults # SKIP strace cannot trace here"
fi

test_done
