#!/usr/bin/env bash
# stop.sh - stop the cluster started by tests/slurm/start.sh.
# Cancels remaining jobs, then stops slurmd, slurmctld and munged by the PIDs
# recorded in $SLURM_LOCAL_DIR/pids (never by process name).
# Set SLURM_LOCAL_PURGE=1 to also delete the run dir afterwards.
set -uo pipefail

RUN_DIR=${SLURM_LOCAL_DIR:-${TMPDIR:-/tmp}/local-slurm}
PIDS=$RUN_DIR/pids
export SLURM_CONF=$RUN_DIR/etc/slurm.conf
log() { printf '[slurm-stop] %s\n' "$*" >&2; }

alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }
pid_of() { [ -s "$PIDS/$1.pid" ] && cat "$PIDS/$1.pid"; }

# 1. cancel jobs while the controller is still up, so no slurmstepd is left behind
ctld=$(pid_of slurmctld || true)
if alive "$ctld" && [ -f "$SLURM_CONF" ]; then
  jobs=$(squeue -h -o %i 2>/dev/null | tr '\n' ' ')
  if [ -n "${jobs// /}" ]; then
    log "cancelling jobs: $jobs"
    # shellcheck disable=SC2086
    scancel $jobs 2>/dev/null
    for _ in $(seq 50); do [ -z "$(squeue -h -o %i 2>/dev/null)" ] && break; sleep 0.2; done
  fi
fi

# 2. stop daemons: slurmd, slurmctld, munged (reverse start order)
rc=0
for d in slurmd slurmctld munged; do
  pid=$(pid_of "$d" || true)
  if ! alive "$pid"; then rm -f "$PIDS/$d.pid"; continue; fi
  exe=$(readlink "/proc/$pid/exe" 2>/dev/null || true)
  case "$exe" in
    *"$d"*) ;;
    *) log "pid $pid is '$exe', not $d - leaving it alone"; rm -f "$PIDS/$d.pid"; continue ;;
  esac
  t=$(date +%s%N); kill -TERM "$pid"
  for _ in $(seq 75); do alive "$pid" || break; sleep 0.2; done
  if alive "$pid"; then log "$d ($pid) ignored SIGTERM for 15s, sending SIGKILL"; kill -KILL "$pid"; sleep 0.2; fi
  if alive "$pid"; then log "could not stop $d ($pid)"; rc=1; else log "stopped $d ($pid) in $(( ($(date +%s%N) - t) / 1000000 )) ms"; rm -f "$PIDS/$d.pid"; fi
done

# 3. report (do not kill) any step daemons that survived
left=""
for p in /proc/[0-9]*; do
  c=$(tr '\0' ' ' 2>/dev/null < "$p/cmdline") 2>/dev/null || continue
  case "$c" in slurmstepd*) left="$left ${p#/proc/}:[$c]";; esac
done
[ -z "$left" ] || { log "WARNING: slurmstepd processes still running:$left"; rc=1; }

if [ "${SLURM_LOCAL_PURGE:-0}" = 1 ] && [ $rc = 0 ]; then rm -rf "$RUN_DIR"; log "removed $RUN_DIR"; fi
exit $rc
