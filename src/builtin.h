/* builtin.h: the names of muster's built-in tools. */
#ifndef MUSTER_BUILTIN_H
#define MUSTER_BUILTIN_H

#include <stddef.h>

/* The built-in tools, core_* (workflow_<name> is not among them). */
extern const size_t	nbuiltins;
const char		*builtin_name(size_t);

/* Returns the index of built-in name, or -1. */
int	builtin_find(const char *name);

#endif
