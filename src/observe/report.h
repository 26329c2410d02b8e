/* report.h: an execution as one self-contained HTML page: a timeline of
 * its steps on lanes, the critical path, usage, errors and arguments. */
#ifndef MUSTER_REPORT_H
#define MUSTER_REPORT_H

#include <stdio.h>

struct project;

/*
 * Writes the report of execution id to f: HTML with inline CSS and SVG,
 * no script and nothing fetched.  The definitions of p (or NULL) give
 * the critical path its edges while the workflow is defined there.  0,
 * or the exit code after an error.
 */
int	report_write(FILE *f, const char *state_dir, const char *id,
	    const struct project *p);

#endif
