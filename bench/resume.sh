#!/bin/sh
# resume.sh [N]: how soon `muster resume` starts the one step left of an
# N-step execution whose other N-1 steps completed (target: 200 ms).
set -eu
N=${1:-10000}
TOP=$(cd "$(dirname "$0")/.." && pwd)
MUSTER=${MUSTER:-$TOP/muster}
DIR=${TMPDIR:-/tmp}/muster-resume-bench
rm -rf "$DIR" && mkdir -p "$DIR/.muster/workflows"
python3 - "$N" "$DIR/.muster/workflows/last.yaml" <<'PY'
import sys
n, path = int(sys.argv[1]), sys.argv[2]
with open(path, "w") as f:
    f.write("apiVersion: muster.giantswarm.io/v1alpha1\nkind: Workflow\n"
            "metadata: {name: last}\nspec:\n  steps:\n")
    for i in range(n - 1):
        f.write("    - {id: s%d, run: \"true\"}\n" % i)
    f.write("    - {id: last, run: 'date +%%s%%N >started; test -e ok', "
            "dependsOn: [%s]}\n" % ", ".join("s%d" % i for i in range(0, n - 1, max(1, (n - 1) // 50))))
PY
echo "maxFileSize: 16MiB" >"$DIR/.muster/config.yaml"
"$MUSTER" -C "$DIR" -q run last -j 2 2>/dev/null || true
touch "$DIR/ok"
for i in 1 2 3; do
	rm -f "$DIR/started"
	s=$(date +%s%N)
	"$MUSTER" -C "$DIR" -q resume --last --from last 2>/dev/null
	echo "resume $i: the last step started $(( ($(cat "$DIR/started") - s) / 1000000 )) ms after resume did"
done
