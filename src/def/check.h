/* check.h: the checks of check.c that live in files of their own. */
#ifndef MUSTER_CHECK_H
#define MUSTER_CHECK_H

#include <stddef.h>

#include "def/model.h"

/*
 * Checks a field chain read by a template of workflow w against what can
 * ever be there: a template root, an argument, a step id at the top level;
 * .input.<argument>, .execution.<field>.  who names the reader ("step
 * 'x'", "'output'").  Returns 0, or -1 after reporting at l.
 */
int	check_chain(const struct workflow *w, const char *const *chain,
	    size_t n, const struct loc *l, const char *who);
/*
 * Checks the arguments a call gives its tool: each one known to the tool
 * (a Tool file's args, a workflow's, a built-in's), every required one
 * given.  who names the caller; l is where the tool is named.
 */
int	check_call_args(const char *tool, enum tool_ref ref,
	    const struct tool *, const struct workflow *callee, int builtin,
	    const struct tval *args, const struct loc *l, const char *who);
/*
 * Reports each template of a run: script that stands where no escaping
 * can make a value safe (`...`, ${...}), at the template.
 */
int	check_shell_contexts(const struct tstr *run, const char *who);

#endif
