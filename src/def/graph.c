/* graph.c: a workflow's step graph: edges, cycles, order; never recursive. */
#include <stdlib.h>
#include <string.h>

#include "def/graph.h"

static int
unknown_dep(struct workflow *w, struct step *s, size_t i)
{
	const char	*names[256], *sg;
	struct step	*t = hmap_get(&w->ids, s->deps[i]);
	size_t		 k;

	if (t != NULL)
		return loc_error(&s->dep_locs[i], "step '%s' depends on '%s', "
		    "which is inside '%s'; depend on '%s' instead", s->id,
		    t->id, t->parent->id, t->parent->id);
	for (k = 0; k < w->nsteps && k < nitems(names); k++)
		names[k] = w->steps[k]->id;
	if ((sg = suggest(s->deps[i], names, k)) != NULL)
		return loc_error(&s->dep_locs[i], "step '%s' depends on unknown "
		    "step '%s' (did you mean '%s'?)", s->id, s->deps[i], sg);
	return loc_error(&s->dep_locs[i], "step '%s' depends on unknown step "
	    "'%s'", s->id, s->deps[i]);
}

static int
resolve_deps(struct workflow *w, struct step *s, struct arena *a)
{
	size_t	i, j, n = 0;
	int	rc = 0;

	s->dep_steps = arena_array(a, s->ndeps, sizeof *s->dep_steps);
	for (i = 0; i < s->ndeps; i++) {
		struct step	*t = hmap_get(&w->ids, s->deps[i]);

		if (t == NULL || t->parent != NULL) {
			rc = unknown_dep(w, s, i);
			continue;
		}
		for (j = 0; j < n; j++)
			if (s->dep_steps[j] == t)
				break;
		if (j < n) {
			rc = loc_error(&s->dep_locs[i], "step '%s' depends on "
			    "'%s' twice", s->id, t->id);
			continue;
		}
		s->dep_steps[n++] = t;
	}
	s->ndeps = n;
	return rc;
}

/* The location of the dependsOn entry that makes s wait for t. */
static const struct loc *
edge_loc(const struct step *s, const struct step *t)
{
	size_t	i;

	for (i = 0; i < s->ndeps; i++)
		if (s->dep_steps[i] == t)
			return s->dep_locs != NULL ? &s->dep_locs[i] : &s->loc;
	return &s->loc;
}

static void
report_cycle(struct step **path, size_t n)
{
	struct buf	b = BUF_INIT;
	size_t		i;

	for (i = 0; i < n; i++)
		buf_printf(&b, "'%s' -> ", path[i]->id);
	buf_printf(&b, "'%s'", path[0]->id);
	loc_error(&path[0]->loc, "dependency cycle: %s", buf_str(&b));
	for (i = 0; i < n; i++)
		loc_note(edge_loc(path[i], path[(i + 1) % n]), "'%s' depends "
		    "on '%s'", path[i]->id, path[(i + 1) % n]->id);
	buf_release(&b);
}

void
graph_users(const struct workflow *w, size_t **startp, size_t **usersp)
{
	size_t	 n = w->nsteps, i, k, *start, *users, *fill;

	start = xcalloc(n + 1, sizeof *start);
	for (i = 0; i < n; i++)
		for (k = 0; k < w->steps[i]->ndeps; k++)
			start[w->steps[i]->dep_steps[k]->index + 1]++;
	for (i = 0; i < n; i++)
		start[i + 1] += start[i];
	users = xcalloc(start[n] ? start[n] : 1, sizeof *users);
	fill = xmemdup(start, (n + 1) * sizeof *start);
	for (i = 0; i < n; i++)
		for (k = 0; k < w->steps[i]->ndeps; k++)
			users[fill[w->steps[i]->dep_steps[k]->index]++] = i;
	free(fill);
	*startp = start;
	*usersp = users;
}

/*
 * Kahn's algorithm removes every step that is not on or behind a cycle;
 * walking dependencies from what is left finds each cycle once.
 */
static int
find_cycles(struct workflow *w)
{
	size_t		 n = w->nsteps, i, k, head = 0, tail = 0, done;
	size_t		*start, *users;
	unsigned	*waiting = xcalloc(n, sizeof *waiting);
	unsigned char	*mark = xcalloc(n, 1);	/* 0 new, 1 on path, 2 seen */
	size_t		*queue = xcalloc(n, sizeof *queue);
	struct step	**path = xcalloc(n, sizeof *path);
	int		 rc = 0;

	graph_users(w, &start, &users);
	for (i = 0; i < n; i++)
		if ((waiting[i] = (unsigned)w->steps[i]->ndeps) == 0)
			queue[tail++] = i;
	while (head < tail)
		for (i = queue[head++], k = start[i]; k < start[i + 1]; k++)
			if (--waiting[users[k]] == 0)
				queue[tail++] = users[k];
	done = tail;
	for (i = 0; i < n && done < n; i++) {
		size_t		 len = 0;
		struct step	*s = w->steps[i];

		if (waiting[i] == 0 || mark[i] != 0)
			continue;
		/* Follow unfinished dependencies until a step repeats. */
		while (mark[s->index] == 0) {
			mark[s->index] = 1;
			path[len++] = s;
			for (k = 0; k < s->ndeps; k++)
				if (waiting[s->dep_steps[k]->index] != 0)
					break;
			s = s->dep_steps[k];
		}
		if (mark[s->index] == 1) {
			for (k = 0; path[k] != s; k++)
				;
			report_cycle(path + k, len - k);
			rc = -1;
		}
		for (k = 0; k < len; k++)
			mark[path[k]->index] = 2;
	}
	free(start);
	free(users);
	free(waiting);
	free(mark);
	free(queue);
	free(path);
	return rc;
}

int
graph_resolve(struct workflow *w, struct arena *a)
{
	size_t		 i;
	int		 rc = 0;

	for (i = 0; i < w->nsteps; i++) {
		struct step	*s = w->steps[i];

		if (!w->explicit_deps) {
			/* No dependsOn anywhere: the steps run in file order. */
			s->ndeps = i > 0;
			s->dep_steps = i > 0 ? &w->steps[i - 1] : NULL;
			continue;
		}
		rc |= resolve_deps(w, s, a);
	}
	/* Unknown ids are left out of the graph: cycles are still found. */
	if (w->explicit_deps)
		rc |= find_cycles(w);
	return rc;
}

/* A min-heap of step indexes: ready steps leave in file order. */
static void
heap_push(size_t *h, size_t *n, size_t v)
{
	size_t	i = (*n)++;

	while (i > 0 && h[(i - 1) / 2] > v) {
		h[i] = h[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	h[i] = v;
}

static size_t
heap_pop(size_t *h, size_t *n)
{
	size_t	top = h[0], v = h[--*n], i = 0, c;

	while ((c = 2 * i + 1) < *n) {
		if (c + 1 < *n && h[c + 1] < h[c])
			c++;
		if (v <= h[c])
			break;
		h[i] = h[c];
		i = c;
	}
	h[i] = v;
	return top;
}

void
graph_order(const struct workflow *w, struct step **order)
{
	size_t		 n = w->nsteps, i, k, nheap = 0, tail = 0;
	size_t		*start, *users, *heap = xcalloc(n + 1, sizeof *heap);
	unsigned	*waiting = xcalloc(n + 1, sizeof *waiting);

	graph_users(w, &start, &users);
	for (i = 0; i < n; i++)
		if ((waiting[i] = (unsigned)w->steps[i]->ndeps) == 0)
			heap_push(heap, &nheap, i);
	while (nheap > 0) {
		i = heap_pop(heap, &nheap);
		order[tail++] = w->steps[i];
		for (k = start[i]; k < start[i + 1]; k++)
			if (--waiting[users[k]] == 0)
				heap_push(heap, &nheap, users[k]);
	}
	if (tail != n)
		BUG("cycle in a checked graph");
	free(start);
	free(users);
	free(heap);
	free(waiting);
}

bool
graph_before(const struct workflow *w, const struct step *from,
    const struct step *to)
{
	size_t		 n = w->nsteps, top = 0, k;
	unsigned char	*seen;
	const struct step **stack;
	bool		 found = false;

	if (from == to)
		return false;
	seen = xcalloc(n, 1);
	stack = xcalloc(n, sizeof *stack);
	stack[top++] = from;
	seen[from->index] = 1;
	while (top > 0 && !found) {
		const struct step	*s = stack[--top];

		for (k = 0; k < s->ndeps; k++) {
			const struct step	*d = s->dep_steps[k];

			if (d == to)
				found = true;
			else if (!seen[d->index]) {
				seen[d->index] = 1;
				stack[top++] = d;
			}
		}
	}
	free(seen);
	free(stack);
	return found;
}
