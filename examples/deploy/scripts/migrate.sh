#!/bin/sh
# migrate.sh ENV IMAGE: pretends to migrate; reports through $MUSTER_OUTPUT.
set -eu
echo "migrating $1 with $2" >&2
sleep 0.2
if [ -n "${MUSTER_OUTPUT:-}" ]; then
	echo "schema=2024_06_01" >>"$MUSTER_OUTPUT"
fi
echo "migrated"
