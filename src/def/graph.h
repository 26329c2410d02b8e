/* graph.h: a workflow's step graph: edges, cycles, order. */
#ifndef MUSTER_GRAPH_H
#define MUSTER_GRAPH_H

#include <stdbool.h>

#include "def/model.h"

/*
 * Resolves every top-level step's dependsOn to steps (or, when no step
 * declares dependsOn, makes each step depend on the one before it) and
 * reports unknown targets and every cycle, naming each edge.  0 or -1.
 */
int	graph_resolve(struct workflow *, struct arena *);
/*
 * The reverse edges, in one array: the steps waiting for step i are
 * users[start[i]] .. users[start[i + 1] - 1] (indexes of top-level steps).
 * Both arrays are new; the caller frees them.
 */
void	graph_users(const struct workflow *, size_t **start, size_t **users);
/*
 * Writes the top-level steps in an order where each comes after its
 * dependencies, ties in file order, into order (w->nsteps entries).
 */
void	graph_order(const struct workflow *, struct step **order);
/* True when `to` runs before `from` by some path of dependencies. */
bool	graph_before(const struct workflow *, const struct step *from,
	    const struct step *to);

#endif
