#!/bin/sh
# history.sh [N] [ROUNDS]: what history, status and list executions cost
# with N executions on disk (default 100,000, as a minute's cron job leaves
# in 70 days without retention).  The executions are copies of one real
# record (journal, summary, lock) under fresh ids; each command runs ROUNDS
# times and the best wall time is printed, in milliseconds.
set -eu
N=${1:-100000}
ROUNDS=${2:-5}
TOP=$(cd "$(dirname "$0")/.." && pwd)
MUSTER=${MUSTER:-$TOP/muster}
DIR=${TMPDIR:-/tmp}/muster-history-bench
rm -rf "$DIR" && mkdir -p "$DIR/.muster/workflows"
printf '%s\n' "apiVersion: muster.giantswarm.io/v1alpha1" "kind: Workflow" \
	"metadata: {name: cron}" "spec: {steps: [{id: a, run: 'true'}]}" \
	>"$DIR/.muster/workflows/cron.yaml"
printf 'retention: {enabled: false}\n' >"$DIR/.muster/config.yaml"
"$MUSTER" -C "$DIR" -q run cron
python3 - "$DIR/.muster/state/executions" "$N" <<'PY'
import os, sys, random
root, n = sys.argv[1], int(sys.argv[2])
src = os.path.join(root, os.listdir(root)[0])
files = {f: open(os.path.join(src, f), "rb").read()
         for f in ("journal", "summary.json", "lock")}
old = os.path.basename(src).encode()
t = 1700000000
for i in range(n - 1):
    # A minute apart, like cron: ids stay in time order.
    s = t + 60 * i
    import time
    tm = time.gmtime(s)
    new = ("%04d%02d%02d-%02d%02d%02d-%04x" % (tm.tm_year, tm.tm_mon,
           tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, i & 0xffff)).encode()
    d = os.path.join(root, new.decode())
    os.mkdir(d, 0o700)
    for f, b in files.items():
        with open(os.path.join(d, f), "wb") as o:
            o.write(b.replace(old, new))
PY
best() {
	b=999999 i=0
	while [ $i -lt "$ROUNDS" ]; do
		s=$(date +%s%N)
		"$MUSTER" -C "$DIR" "$@" >/dev/null
		e=$(date +%s%N)
		t=$(( (e - s) / 1000000 ))
		[ $t -lt $b ] && b=$t
		i=$((i + 1))
	done
	echo "$b"
}
echo "executions: $(ls "$DIR/.muster/state/executions" | wc -l)"
echo "history --limit 10: $(best history --limit 10) ms"
echo "status: $(best status) ms"
echo "list executions: $(best list executions) ms"
echo "history --since 1h: $(best history --since 1h) ms"
