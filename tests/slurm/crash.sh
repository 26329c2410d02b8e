#!/bin/sh
# crash.sh: the crash harness (tests/crash.py) in its Slurm mode, on a
# cluster of its own.  Usage: tests/slurm/crash.sh MUSTER [crash.py args]
# (as root, with Slurm installed), e.g. tests/slurm/crash.sh ./muster
# --rounds 50.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/slurm/cluster.sh"
why=$(slurm_missing)
test -z "$why" || { echo "crash.sh: $why" >&2; exit 77; }
muster=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
shift
slurm_up || exit 1
trap slurm_down EXIT
trap 'exit 1' INT TERM
python3 "$TOP/tests/crash.py" --muster "$muster" --slurm "$@"
