#!/bin/sh
# count.sh FILE: prints {"file": ..., "words": N, "host": ...} for one file.
set -e
n=$(wc -w <"$1")
printf '{"file": "%s", "words": %d, "host": "%s", "job": "%s"}\n' \
    "$(basename "$1")" "$n" "$(hostname)" "${SLURM_JOB_ID:-}"
