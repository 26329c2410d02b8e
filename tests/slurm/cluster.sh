# cluster.sh: sourced by the Slurm tests and the benchmark: starts a
# single-node Slurm cluster of their own (start.sh) on free ports, and
# stops it (stop.sh).  Set TOP (the source tree) before sourcing it.
#
#   slurm_missing        prints why there can be no cluster here, or nothing
#   slurm_up             starts one in a new folder $SLURM_BASE (under
#                        TMPDIR: munged's socket path must stay short);
#                        exports SLURM_CONF; returns 0 or 1
#   slurm_down           stops it (by the pids it recorded), removes the
#                        folder

SLURM_TESTS=${SLURM_TESTS:-$TOP/tests/slurm}

slurm_missing() {
	for c in /usr/sbin/slurmctld /usr/sbin/slurmd /usr/sbin/munged \
	    /usr/bin/sbatch /usr/bin/squeue /usr/bin/scancel; do
		if ! test -x "$c"; then
			echo "$c is missing (apt-get install slurmctld slurmd" \
			    "slurm-client munge)"
			return
		fi
	done
	test "$(id -u)" = 0 || echo "a local cluster needs root"
}

slurm_up() {
	SLURM_BASE=$(mktemp -d "${TMPDIR:-/tmp}/muster-slurm.XXXXXX") || return 1
	# munged runs as user munge: it must reach its folder.
	chmod 0755 "$SLURM_BASE"
	set -- "$SLURM_BASE/cluster"
	SLURM_LOCAL_DIR=$1
	export SLURM_LOCAL_DIR
	: "${SLURM_LOCAL_CPUS:=4}"
	export SLURM_LOCAL_CPUS
	# Ports of our own: make check may run two clusters at once.
	tries=0
	while test $tries -lt 8; do
		tries=$((tries + 1))
		port=$((20000 + ($$ * 7 + tries * 131) % 20000 * 2))
		SLURM_LOCAL_CTLD_PORT=$port SLURM_LOCAL_SLURMD_PORT=$((port + 1)) \
		    bash "$SLURM_TESTS/start.sh" >"$1.start.log" 2>&1
		rc=$?
		test $rc = 3 && continue
		test $rc = 0 || { cat "$1.start.log" >&2; return 1; }
		. "$SLURM_LOCAL_DIR/env.sh"
		return 0
	done
	cat "$1.start.log" >&2
	return 1
}

slurm_down() {
	test -n "${SLURM_LOCAL_DIR:-}" || return 0
	bash "$SLURM_TESTS/stop.sh" >"$SLURM_LOCAL_DIR.stop.log" 2>&1 &&
	    rm -rf "$SLURM_BASE"
}
