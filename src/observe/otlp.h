/* otlp.h: an execution as OpenTelemetry spans in OTLP/JSON, for users
 * who ship traces to a collector. */
#ifndef MUSTER_OTLP_H
#define MUSTER_OTLP_H

#include <stdio.h>

struct project;

/*
 * Writes execution id to f as one OTLP/JSON ExportTraceServiceRequest:
 * the run a root span, each attempt a child span; the trace id is the
 * execution id's digits.  0, or the exit code after an error.
 */
int	otlp_write(FILE *f, const char *state_dir, const char *id,
	    const struct project *p);

#endif
