#!/bin/sh
# caught.sh MUSTER: how many of MISTAKES `MUSTER validate` reports, as
# "N/20", with each missed one on stderr.
dir=$(cd "$(dirname "$0")" && pwd)
out=$(cd "$dir" && "$1" validate 2>&1)
n=0 total=0
while read -r file lines what; do
	case $file in '#'*|'') continue ;; esac
	total=$((total + 1))
	hit=
	for l in $(echo "$lines" | tr , ' '); do
		if [ "$l" = 0 ]; then pat=".muster/$file: "; else
			pat=".muster/$file:$l:"; fi
		case $out in *"$pat"*) hit=1 ;; esac
	done
	if [ -n "$hit" ]; then n=$((n + 1)); else
		echo "missed: $file $lines $what" >&2; fi
done <"$dir/MISTAKES"
echo "$n/$total"
