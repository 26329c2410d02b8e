/* status.h: the states of steps and executions, as recorded. */
#ifndef MUSTER_STATUS_H
#define MUSTER_STATUS_H

enum status {
	ST_PENDING,
	ST_RUNNING,
	ST_COMPLETED,
	ST_FAILED,
	ST_SKIPPED
};
const char	*status_name(enum status);

enum exec_status {
	EX_RUNNING,
	EX_COMPLETED,
	EX_FAILED,
	EX_INTERRUPTED,
	EX_CANCELLED,
	EX_TIMED_OUT,	/* its timeout (--timeout, spec.timeout) ended it */
	EX_PAUSED	/* muster pause: stopped between steps, resumable */
};
const char	*exec_status_name(enum exec_status);
int		 exec_status_parse(const char *);	/* -1: unknown */

#endif
