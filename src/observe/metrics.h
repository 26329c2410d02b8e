/* metrics.h: Prometheus metrics of workflow runs, in the text exposition
 * format (for node_exporter's textfile collector). */
#ifndef MUSTER_METRICS_H
#define MUSTER_METRICS_H

#include <stdio.h>

/* Prints the metrics of every finished execution of the state folder. */
int	metrics_print(FILE *, const char *state_dir);
/*
 * After execution id ended: rewrites path atomically (a temporary file
 * renamed over it), counters read back from the file it replaces and
 * this run added, or, without that file, all taken from the history.
 * 0, or -1 after an error.
 */
int	metrics_update(const char *path, const char *state_dir,
	    const char *id);

#endif
