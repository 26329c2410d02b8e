/* plan.h: `muster run -n`: the plan of a run, written and run nowhere. */
#ifndef MUSTER_PLAN_H
#define MUSTER_PLAN_H

struct json_object;
struct project;
struct workflow;

/*
 * Prints the order the steps of w would run in, with their arguments
 * rendered where the input alone decides them and conditions decided
 * where they can be.  Touches nothing on disk.  Returns the exit code.
 */
int	plan_print(struct project *, struct workflow *,
	    struct json_object *input, int json);

#endif
