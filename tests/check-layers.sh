#!/bin/sh
# check-layers.sh: fails when a source file includes a header of a higher
# layer.  The layers are the folders of src/, lowest first, in the order of
# the Makefile's SUBSYSTEMS line; a file may include headers of its own
# folder and of the folders before it, never of one after it.
#
#   sh tests/check-layers.sh [TOP]     TOP: the checkout (default: ..)
# Prints one line per upward include, FILE:LINE: ..., and exits 1 if any.
TOP=${1:-$(cd "$(dirname "$0")/.." && pwd)}
layers=$(sed -n 's/^SUBSYSTEMS = //p' "$TOP/Makefile")
if test -z "$layers"; then
	echo "check-layers: no SUBSYSTEMS line in $TOP/Makefile" >&2
	exit 2
fi
cd "$TOP/src" || exit 2
rank=0
ranks=
for l in $layers; do
	rank=$((rank + 1))
	ranks="$ranks $l=$rank"
done
bad=0
for d in */; do
	d=${d%/}
	case " $layers " in
	*" $d "*) ;;
	*)	echo "src/$d: a folder the Makefile's SUBSYSTEMS does not list"
		bad=1 ;;
	esac
done
# Every include "folder/header.h" of every file, as FILE LINE FOLDER.
grep -n '^#[ 	]*include "' */*.c */*.h /dev/null |
sed -n 's|^\([^:]*\):\([0-9]*\):#[ 	]*include "\([^"/]*\)/[^"]*".*|\1 \2 \3|p' |
awk -v ranks="$ranks" '
	BEGIN {
		n = split(ranks, kv, " ")
		for (i = 1; i <= n; i++) {
			split(kv[i], p, "=")
			r[p[1]] = p[2]
		}
	}
	{
		split($1, f, "/")
		from = f[1]
		if (!($3 in r)) {
			printf "src/%s:%s: includes from src/%s/, not a layer\n",
			    $1, $2, $3
			bad = 1
		} else if (r[$3] > r[from]) {
			printf "src/%s:%s: %s includes %s, a higher layer\n",
			    $1, $2, from, $3
			bad = 1
		}
	}
	END { exit bad }' || bad=1
exit $bad
