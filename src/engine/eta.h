/* eta.h: a run's time left, from its workflow's past executions. */
#ifndef MUSTER_ETA_H
#define MUSTER_ETA_H

#include <stddef.h>
#include <stdint.h>

struct exec;

struct eta {
	int64_t	*step_ms;	/* median per top-level step, -1: unknown */
	size_t	 n;
	int64_t	 sum_ms;	/* of the known medians */
	int64_t	 total_ms;	/* median of the runs' durations, or -1 */
};

/*
 * Reads the durations of the steps of x's workflow in its last completed
 * executions (at most 5, among the 50 newest); none: nothing is known.
 */
void	 eta_load(struct eta *, const struct exec *x, const char *state_dir);
/* Milliseconds left by that measure, or -1 when nothing is known. */
int64_t	 eta_left_ms(const struct eta *, const struct exec *x);
void	 eta_release(struct eta *);

#endif
