/* index.h: state/index, the ids of the executions in the order they were
 * created, so that the newest are found without listing the folder. */
#ifndef MUSTER_INDEX_H
#define MUSTER_INDEX_H

#include <stddef.h>

/* Appends id, just created, to state's index (when there is one). */
void	index_add(const char *state, const char *id);
/*
 * The ids of state's executions, newest first, as record_list() gives
 * them, read from the index (built from the folder when missing).
 * Returns 0, or 1 when there is no usable index (the caller lists the
 * folder).
 */
int	index_list(const char *state, char ***ids, size_t *n);
/*
 * Writes the index anew from a listing of the folder, after executions
 * were removed.  Quietly does nothing when it cannot.
 */
void	index_rebuild(const char *state);

#endif
