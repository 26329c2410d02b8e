#!/bin/sh
# migrate.sh ENV IMAGE: pretends to migrate; reports through $MUSTER_OUTPUT.
# A file .migrate.lock (a migration that died) makes it fail as a real
# one would: the step's onError rule sends that to its recovery step.
set -eu
echo "migrating $1 with $2" >&2
if [ -e .migrate.lock ]; then
	echo "schema lock held by $(cat .migrate.lock)" >&2
	exit 3
fi
sleep 0.2
if [ -n "${MUSTER_OUTPUT:-}" ]; then
	echo "schema=2024_06_01" >>"$MUSTER_OUTPUT"
fi
echo "migrated"
