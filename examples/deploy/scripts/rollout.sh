#!/bin/sh
# rollout.sh REGION REPLICAS: pretends to roll out one region.
set -eu
sleep 0.3
printf '{"region": "%s", "ready": %s}\n' "$1" "$2"
