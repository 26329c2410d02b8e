/* eta.c: how long a run's steps took in its workflow's past executions,
 * for the progress line's "about N left". */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "engine/eta.h"
#include "engine/exec.h"
#include "state/record.h"

#define ETA_RUNS	5	/* past executions looked at */
#define ETA_SCAN	50	/* executions read to find them */

static int
by_value(const void *a, const void *b)
{
	int64_t	x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static int64_t
median(int64_t *v, size_t n)
{
	if (n == 0)
		return -1;
	qsort(v, n, sizeof *v, by_value);
	return v[n / 2];
}

static int64_t
ms_of(struct json_object *o, const char *key)
{
	struct json_object	*v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_int))
		return -1;
	return json_object_get_int64(v);
}

/* Adds a past execution's step durations (top-level steps) to d. */
static void
add_run(const struct exec *x, struct json_object *doc, int64_t (*d)[ETA_RUNS],
    size_t *nd, size_t run)
{
	struct json_object	*steps = json_object_object_get(doc, "steps");
	size_t			 i;

	for (i = 0; i < json_object_array_length(steps); i++) {
		struct json_object	*s = json_object_array_get_idx(steps, i);
		const char		*id = json_object_get_string(
					    json_object_object_get(s,
					    "step_id"));
		const struct step	*st;
		int64_t			 ms = ms_of(s, "duration_ms");

		if (id == NULL || ms < 0 ||
		    (st = hmap_get(&x->w->ids, id)) == NULL ||
		    st->parent != NULL || st->index >= x->w->nsteps)
			continue;
		d[st->index][nd[st->index]++] = ms;
	}
	(void)run;
}

void
eta_load(struct eta *e, const struct exec *x, const char *state_dir)
{
	int64_t		(*d)[ETA_RUNS], totals[ETA_RUNS];
	size_t		*nd, n = 0, i, runs = 0;
	char		**ids = NULL;

	memset(e, 0, sizeof *e);
	e->total_ms = -1;
	if (record_list(state_dir, &ids, &n) != 0)
		return;
	d = xcalloc(x->w->nsteps + 1, sizeof *d);
	nd = xcalloc(x->w->nsteps + 1, sizeof *nd);
	for (i = 0; i < n && i < ETA_SCAN && runs < ETA_RUNS; i++) {
		struct json_object	*sum, *doc = NULL;
		const char		*wf, *st;

		if (strcmp(ids[i], x->id) == 0 ||
		    (sum = record_summary(state_dir, ids[i])) == NULL)
			continue;
		wf = json_object_get_string(json_object_object_get(sum,
		    "workflow_name"));
		st = json_object_get_string(json_object_object_get(sum,
		    "status"));
		if (wf != NULL && st != NULL && strcmp(wf, x->w->name) == 0 &&
		    strcmp(st, "completed") == 0 &&
		    record_read(state_dir, ids[i], &doc) == 0) {
			totals[runs] = ms_of(doc, "duration_ms");
			add_run(x, doc, d, nd, runs++);
		}
		json_object_put(doc);
		json_object_put(sum);
	}
	if (runs > 0) {
		e->step_ms = xcalloc(x->w->nsteps + 1, sizeof *e->step_ms);
		e->n = x->w->nsteps;
		for (i = 0; i < x->w->nsteps; i++) {
			e->step_ms[i] = median(d[i], nd[i]);
			if (e->step_ms[i] >= 0)
				e->sum_ms += e->step_ms[i];
		}
		e->total_ms = median(totals, runs);
	}
	for (i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
	free(d);
	free(nd);
}

int64_t
eta_left_ms(const struct eta *e, const struct exec *x)
{
	int64_t	left = 0, now = clock_mono_ns();
	size_t	i;
	double	factor;

	if (e->step_ms == NULL || e->sum_ms <= 0 || e->total_ms < 0)
		return -1;
	for (i = 0; i < x->w->nsteps && i < e->n; i++) {
		const struct job	*j = x->top[i];
		int64_t			 m = e->step_ms[i], ran;

		if (m < 0 || j->status == ST_COMPLETED ||
		    j->status == ST_FAILED || j->status == ST_SKIPPED)
			continue;
		ran = j->started_ns != 0 ? (now - j->started_ns) / 1000000 : 0;
		left += m > ran ? m - ran : 0;
	}
	/* The steps overlapped as much as in the past runs. */
	factor = (double)e->total_ms / (double)e->sum_ms;
	if (factor > 1)
		factor = 1;
	return (int64_t)((double)left * factor);
}

void
eta_release(struct eta *e)
{
	free(e->step_ms);
	e->step_ms = NULL;
}
