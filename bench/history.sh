#!/bin/sh
# history.sh [N] [ROUNDS]: what history, status and list executions cost
# with N executions on disk (default 100,000, as a minute's cron job leaves
# in 70 days without retention).  The executions are copies of one real
# record (journal, summary, lock) under fresh ids; each command runs ROUNDS
# times and the best wall and CPU times are printed.  The target: under
# 50 ms each (they read state/index, not the folder; before it, history
# took 70 ms of CPU at 100,000 and status more).
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
# best ARGS...: the best of ROUNDS runs, wall and CPU (user + system)
# milliseconds; on a busy machine the CPU time is the steadier figure.
best() {
	python3 - "$ROUNDS" "$MUSTER" -C "$DIR" "$@" <<'PY'
import resource, subprocess, sys, time
rounds, cmd = int(sys.argv[1]), sys.argv[2:]
wall = cpu = 1e9
for _ in range(rounds):
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
    t1 = time.monotonic()
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = min(wall, t1 - t0)
    cpu = min(cpu, r1.ru_utime + r1.ru_stime - r0.ru_utime - r0.ru_stime)
print("%d ms wall, %d ms CPU" % (wall * 1000, cpu * 1000))
PY
}
echo "executions: $(ls "$DIR/.muster/state/executions" | wc -l)"
echo "history --limit 10: $(best history --limit 10)"
echo "status: $(best status)"
echo "list executions: $(best list executions)"
echo "history --since 1h: $(best history --since 1h)"
