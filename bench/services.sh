#!/bin/sh
# services.sh [N]: how long `muster service list` and `muster service status`
# take with N live instances (target: under 50 ms each with 100).  The
# class has no probe, so status measures muster's own work: load, lock,
# read the record, check the daemon in /proc, write the record back.
set -eu
N=${1:-100}
TOP=$(cd "$(dirname "$0")/.." && pwd)
MUSTER=${MUSTER:-$TOP/muster}
DIR=${TMPDIR:-/tmp}/muster-services-bench
if test -d "$DIR/.muster/state/services"; then
	for f in "$DIR"/.muster/state/services/*.json; do
		test -e "$f" || continue
		"$MUSTER" -C "$DIR" -q service delete --force "$(basename "$f" .json)" \
			>/dev/null 2>&1 || true
	done
fi
rm -rf "$DIR" && mkdir -p "$DIR/.muster/serviceclasses"
cat >"$DIR/.muster/serviceclasses/idle.yaml" <<'YAML'
apiVersion: muster.giantswarm.io/v1alpha1
kind: ServiceClass
metadata: {name: idle}
spec:
  args:
    n: {type: integer, required: true}
  serviceConfig:
    defaultName: "idle-{{ .input.n }}"
    daemon:
      command: ["sleep", "3600"]
YAML
i=1
while test $i -le "$N"; do
	"$MUSTER" -C "$DIR" service create idle --arg n=$i >/dev/null
	i=$((i + 1))
done
python3 - "$MUSTER" "$DIR" "$N" <<'PY'
import statistics, subprocess, sys, time
muster, d, n = sys.argv[1], sys.argv[2], int(sys.argv[3])

def timed(argv, rounds):
    ts = []
    for _ in range(rounds):
        t = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
        ts.append((time.perf_counter() - t) * 1000)
    ts.sort()
    return statistics.median(ts), ts[int(len(ts) * 0.95) - 1]

def floor(rounds):
    return timed(["/bin/true"], rounds)

print("spawn floor (/bin/true):        median %.1f ms  p95 %.1f ms" % floor(50))
print("service list (%d instances):   median %.1f ms  p95 %.1f ms"
      % ((n,) + timed([muster, "-C", d, "service", "list"], 50)))
print("service list --json:            median %.1f ms  p95 %.1f ms"
      % timed([muster, "-C", d, "--json", "service", "list"], 50))
ts = []
for i in range(1, n + 1):
    t = time.perf_counter()
    subprocess.run([muster, "-C", d, "service", "status", "idle-%d" % i],
                   check=True, stdout=subprocess.DEVNULL)
    ts.append((time.perf_counter() - t) * 1000)
ts.sort()
print("service status, each of %d:    median %.1f ms  p95 %.1f ms  total %.0f ms"
      % (n, statistics.median(ts), ts[int(len(ts) * 0.95) - 1], sum(ts)))
PY
for f in "$DIR"/.muster/state/services/*.json; do
	"$MUSTER" -C "$DIR" -q service delete "$(basename "$f" .json)" >/dev/null
done
