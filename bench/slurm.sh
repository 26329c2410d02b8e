#!/bin/sh
# slurm.sh [N] [J]: muster's wall time for N trivial Slurm steps at -j J
# (a forEach of `true` jobs) against the same N jobs submitted by a plain
# shell loop of `sbatch --wait` with J at once (xargs -P J), on a
# single-node cluster this script starts (tests/slurm/; root, Slurm
# installed).  Prints both times and their ratio (target: at most 1.0:
# muster watches all its jobs with one squeue call per interval, where
# each `sbatch --wait` polls on its own).
set -eu
N=${1:-200}
J=${2:-2}
TOP=$(cd "$(dirname "$0")/.." && pwd)
MUSTER=${MUSTER:-$TOP/muster}
. "$TOP/tests/slurm/cluster.sh"
why=$(slurm_missing)
test -z "$why" || { echo "slurm.sh: $why" >&2; exit 77; }
slurm_up
trap slurm_down EXIT
trap 'exit 1' INT TERM
DIR=$SLURM_BASE/project
mkdir -p "$DIR/.muster/workflows"
items=$(seq -s, 1 "$N")
cat >"$DIR/.muster/workflows/trivial.yaml" <<YAML
apiVersion: muster.giantswarm.io/v1alpha1
kind: Workflow
metadata: {name: trivial}
spec:
  executor: slurm
  steps:
    - id: each
      forEach:
        items: [$items]
        maxParallel: $N
        steps:
          - {id: t, run: "true"}
YAML
now() { date +%s%N; }
# One job first: the fresh cluster's first job is slow to start.
sbatch --wait --quiet -o /dev/null --wrap true

t0=$(now)
"$MUSTER" -C "$DIR" -q run trivial -j "$J"
t1=$(now)
seq "$N" | xargs -P "$J" -I{} \
    sbatch --wait --quiet -J "loop.{}" -o /dev/null --wrap true
t2=$(now)

m=$(( (t1 - t0) / 1000000 ))
l=$(( (t2 - t1) / 1000000 ))
echo "muster run -j $J, $N Slurm steps:        $m ms"
echo "sbatch --wait loop, $J at once, $N jobs: $l ms"
awk -v m="$m" -v l="$l" 'BEGIN { printf "ratio muster/loop: %.2f\n", m / l }'
