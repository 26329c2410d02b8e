#!/bin/sh
# state.sh [N] [ROUNDS]: what the execution record costs per step.
#  1. the journal alone (bench/journal-bench): three records a step,
#     default and with a sync per record;
#  2. whole runs of N trivial steps (wide, -j2) with the default record and
#     with --fsync: the difference per step is the price of durability
#     against power cuts.
set -eu
N=${1:-10000}
ROUNDS=${2:-3}
TOP=$(cd "$(dirname "$0")/.." && pwd)
MUSTER=${MUSTER:-$TOP/muster}
DIR=${TMPDIR:-/tmp}/muster-state-bench
mkdir -p "$DIR"
make -C "$TOP" -s bench/journal-bench
"$TOP/bench/journal-bench" "$DIR" "$N"
python3 "$TOP/bench/gen.py" --shape wide --n "$N" --out "$DIR/wide" >/dev/null
i=0
: >"$DIR/times"
while [ $i -lt "$ROUNDS" ]; do
	for mode in default fsync; do
		flag=; [ $mode = fsync ] && flag=--fsync
		rm -rf "$DIR/wide/.muster/state"
		s=$(date +%s%N)
		"$MUSTER" -C "$DIR/wide" -q run bench -j 2 $flag 2>/dev/null
		e=$(date +%s%N)
		echo "$mode $(( (e - s) / N / 1000 ))" >>"$DIR/times"
	done
	i=$((i + 1))
done
awk '{ v[$1] = v[$1] " " $2 } END {
	for (m in v) printf "muster run, %s record: us a step over %s rounds:%s\n", m, "'"$ROUNDS"'", v[m] }' "$DIR/times"
