#!/bin/sh
# load.sh [N] [ROUNDS]: how long `muster validate` takes, and how much memory
# it peaks at, on a generated workflow of N steps with random dependsOn
# edges (bench/gen.py --shape random).  Prints each round and the median.
set -eu
N=${1:-100000}
ROUNDS=${2:-5}
TOP=$(cd "$(dirname "$0")/.." && pwd)
MUSTER=${MUSTER:-$TOP/muster}
DIR=${TMPDIR:-/tmp}/muster-load-bench-$N
command -v /usr/bin/time >/dev/null || { echo "needs GNU time (apt-get install time)" >&2; exit 1; }

python3 "$TOP/bench/gen.py" --shape random --n "$N" --out "$DIR" >/dev/null
# gen.py writes one file of ~68 bytes a step: above the 4 MiB default.
echo "maxFileSize: 64MiB" >"$DIR/.muster/config.yaml"
size=$(wc -c <"$DIR/.muster/workflows/bench.yaml")
echo "workflow: $N steps, $size bytes ($DIR)"
i=0
: >"$DIR/times"
while [ $i -lt "$ROUNDS" ]; do
	/usr/bin/time -f "%e %M" -o "$DIR/t" "$MUSTER" -C "$DIR" validate -q
	read -r secs kb <"$DIR/t"
	echo "round $((i + 1)): ${secs} s, $((kb / 1024)) MiB peak"
	echo "$secs $kb" >>"$DIR/times"
	i=$((i + 1))
done
sort -n "$DIR/times" | awk '{ s[NR] = $1; m[NR] = $2 } END {
	k = int((NR + 1) / 2)
	printf "median: %s s, %d MiB peak (limits: 1 s, 200 MB)\n", s[k], m[k] / 1024 }'
