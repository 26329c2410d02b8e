/* builtins.h: the names of muster's built-in tools, core_*, as data the
 * loader checks steps against; engine/builtin.c runs them. */
#ifndef MUSTER_BUILTINS_H
#define MUSTER_BUILTINS_H

#include <stddef.h>

/* The built-in tools, core_* (workflow_<name> is not among them). */
extern const size_t	nbuiltins;
const char		*builtin_name(size_t);
/* What built-in i does, one line. */
const char		*builtin_description(size_t);
/* Returns the index of built-in name, or -1. */
int			 builtin_find(const char *name);
/*
 * The `muster service` subcommand built-in i runs as a process, or NULL
 * when the engine runs it in-process.
 */
const char		*builtin_service(int i);
/*
 * The names of the arguments built-in i takes, space-separated; *required
 * gets those it cannot do without.
 */
const char		*builtin_args(int i, const char **required);
/*
 * The argument of built-in i that key names (an alias such as the seeds'
 * 'parameters' gives 'args'), or NULL when it takes no such argument.
 */
const char		*builtin_arg(int i, const char *key);
struct buf;
/* Adds "built-in tool 'X' has no argument 'K' (did you mean ...)" to msg. */
void			 builtin_bad_arg(int i, const char *key,
			    struct buf *msg);

#endif
