/* trace.h: an execution as Chrome trace-event JSON (Perfetto and
 * chrome://tracing load it). */
#ifndef MUSTER_TRACE_H
#define MUSTER_TRACE_H

#include <stdio.h>

struct project;

/*
 * Writes execution id and the executions it started (nested, each a
 * process of its own) to f: a complete event per attempt on a lane per
 * parallel slot, retry waits as async events, service operations and
 * resumes as instant events.  The definitions of p (or NULL) give the
 * critical path its edges while the workflow is defined there.  0, or the
 * exit code after an error.
 */
int	trace_write(FILE *f, const char *state_dir, const char *id,
	    const struct project *p);

#endif
