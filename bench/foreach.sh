#!/bin/sh
# foreach.sh [N...]: how long a forEach of N items takes with maxParallel 8
# (each iteration two built-in tool steps, so that no process start hides
# the bookkeeping).  Linear: 100,000 items take about 10 times 10,000.
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
MUSTER=${MUSTER:-$TOP/muster}
DIR=${TMPDIR:-/tmp}/muster-foreach-bench
rm -rf "$DIR" && mkdir -p "$DIR/.muster/workflows"
cat >"$DIR/.muster/workflows/fe.yaml" <<\EOF
apiVersion: muster.giantswarm.io/v1alpha1
kind: Workflow
metadata: {name: fe}
spec:
  args:
    n: {type: integer, default: 10}
  steps:
    - id: each
      forEach:
        items: "{{ until .input.n | toJson }}"
        maxParallel: 8
        steps:
          - {id: one, tool: core_workflow_list}
          - {id: two, tool: core_workflow_list}
EOF
test $# -gt 0 || set -- 10000 100000
for n in "$@"; do
	rm -rf "$DIR/.muster/state"
	s=$(date +%s%N)
	"$MUSTER" -C "$DIR" -q run fe --arg n="$n" >/dev/null 2>&1 || echo "failed: $?"
	echo "forEach of $n items: $(( ($(date +%s%N) - s) / 1000000 )) ms"
done
