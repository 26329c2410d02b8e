/* timeline.h: an execution replayed from its journal as spans in time:
 * one a step's attempt, on lanes, with the critical path marked (what the
 * trace and the report draw). */
#ifndef MUSTER_TIMELINE_H
#define MUSTER_TIMELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/proc.h"

struct json_object;
struct workflow;

/* One attempt of a step (or a step that never ran: zero length). */
struct span {
	char		*key;		/* the step's record name */
	char		*tool;		/* or NULL */
	int		 attempt;	/* 1..; 0: the step never ran */
	char		 status[16];	/* where the attempt ended */
	int		 exit_code;	/* -1: none */
	int64_t		 start_us, end_us;	/* wall clock, us */
	int64_t		 backoff_us;	/* the wait before a retry */
	bool		 has_usage;
	struct proc_usage usage;
	char		*error;		/* or NULL */
	struct json_object *input;	/* masked; or NULL */
	int		 lane;		/* 0.. */
	bool		 critical;	/* on the critical path */
	bool		 last;		/* the step's last attempt */
};

/* Something that happened at one time: a resume. */
struct instant {
	char		*name;
	int64_t		 at_us;
};

struct timeline {
	char		*id, *workflow, *status, *parent, *error;
	/* Wall clock, us; end_us: the last record's time. */
	int64_t		 start_us, end_us;
	struct json_object *input;	/* masked arguments */
	struct span	*spans;		/* by start time */
	size_t		 n;
	struct instant	*instants;
	size_t		 ninstants;
	int		 lanes;
	bool		 has_usage;
	struct proc_usage usage;
	char		*dir;		/* the execution's folder */
};

/*
 * Reads execution id of the state folder (0 or the exit code after an
 * error: 3 unknown or corrupt, 4 unreadable), sorts the spans by start
 * and puts each on the lowest lane free at its start.
 */
int	 timeline_load(const char *state_dir, const char *id,
	    struct timeline **out);
/*
 * Marks the critical path: from the attempt that ended last, back through
 * what each waited for: its dependency that ended last when w (the
 * workflow's definition, or NULL) names them, else the attempt that
 * ended last before it started.
 */
void	 timeline_critical(struct timeline *, const struct workflow *w);
void	 timeline_free(struct timeline *);
/* The ids of the executions that id started (workflow_ steps), new. */
char	**timeline_children(const char *state_dir, const char *id,
	    size_t *n);

#endif
