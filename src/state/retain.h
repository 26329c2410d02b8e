/* retain.h: the retention policy applied to a state folder's executions. */
#ifndef MUSTER_RETAIN_H
#define MUSTER_RETAIN_H

#include <stdbool.h>
#include <stdio.h>

struct retention;

/* What one application did. */
struct retained {
	size_t	 seen, removed, kept;
	bool	 skipped;	/* too few new executions to look */
};

/*
 * Removes the executions of state that policy r lets go: beyond the newest
 * `keep` of their workflow, or older than `maxAge`; never a running one
 * (whose lock is held), nor a resumable one (failed, interrupted, ...)
 * while keepResumable.  Unless force, it looks only when the folder holds
 * enough executions more than it left last time (state/retention holds
 * that count), so that a run's end pays for a look once in many runs.
 * With dry, it writes "would remove ID" lines to out and removes nothing.
 * Returns 0, or -1 when something could not be read or removed (said).
 */
int	 retain_apply(const char *state, const struct retention *r,
	    bool force, bool dry, FILE *out, struct retained *);

#endif
