/* timeline.c: an execution replayed from its journal as spans in time. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "base/hmap.h"
#include "base/util.h"
#include "base/value.h"
#include "def/model.h"
#include "state/journal.h"
#include "state/rec.h"
#include "state/record.h"
#include "state/usage.h"
#include "observe/timeline.h"

/* No attempt of the key runs. */
#define CLOSED	((void *)UINTPTR_MAX)

/* What replaying one journal keeps besides the timeline. */
struct replay {
	struct timeline	*t;
	struct hmap	 open;	/* key -> index + 1 of its open span */
	struct hmap	 ended;	/* key -> index + 1 of its last end */
};

static struct json_object *
get(struct json_object *o, const char *key)
{
	struct json_object	*v = NULL;

	json_object_object_get_ex(o, key, &v);
	return v;
}

static const char *
str(struct json_object *o, const char *key)
{
	return json_object_get_string(get(o, key));
}

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

/* A record's time ("at" or another key), microseconds; 0 when none. */
static int64_t
time_of(struct json_object *rec, const char *key)
{
	const char	*s = str(rec, key);

	return s != NULL ? record_parse_time(s) / 1000 : 0;
}

static size_t
new_span(struct replay *r, const char *key)
{
	struct timeline	*t = r->t;
	struct span	*s;

	t->spans = xreallocarray(t->spans, t->n + 1, sizeof *t->spans);
	s = &t->spans[t->n];
	memset(s, 0, sizeof *s);
	s->key = xstrdup(key);
	s->exit_code = -1;
	return t->n++;
}

/* An attempt begins: a span opens; the wait since the last one ended is
 * its backoff. */
static void
on_running(struct replay *r, struct json_object *rec, const char *key)
{
	size_t		 i = new_span(r, key), prev;
	struct span	*s = &r->t->spans[i];

	s->start_us = s->end_us = time_of(rec, "at");
	s->attempt = json_object_get_int(get(rec, "a"));
	s->tool = dup_or_null(str(rec, "tool"));
	strcpy(s->status, "running");
	if ((prev = (size_t)(uintptr_t)hmap_get(&r->ended, key)) != 0 &&
	    s->start_us > r->t->spans[prev - 1].end_us)
		s->backoff_us = s->start_us - r->t->spans[prev - 1].end_us;
	hmap_set(&r->open, s->key, (void *)(uintptr_t)(i + 1));
}

/* An attempt (or a step that never ran) ends. */
static void
on_end(struct replay *r, struct json_object *rec, const char *key)
{
	void		*v = hmap_get(&r->open, key);
	size_t		 i = v == CLOSED ? 0 : (size_t)(uintptr_t)v;
	struct span	*s;
	const char	*st = str(rec, "s");

	if (i == 0) {
		i = new_span(r, key) + 1;
		s = &r->t->spans[i - 1];
		s->tool = dup_or_null(str(rec, "tool"));
		s->end_us = time_of(rec, "at");
		s->start_us = get(rec, "from") ? time_of(rec, "from") :
		    s->end_us;
		if (st != NULL && strcmp(st, "completed") == 0)
			s->attempt = json_object_get_int(get(rec, "a"));
	}
	s = &r->t->spans[i - 1];
	/* The map borrows its keys: the span's, which outlive the record;
	 * hmap_set() cannot replace a NULL, so closed is a value of its own. */
	hmap_set(&r->open, s->key, CLOSED);
	snprintf(s->status, sizeof s->status, "%s", st ? st : "unknown");
	s->end_us = time_of(rec, "at");
	if (get(rec, "exit") != NULL)
		s->exit_code = json_object_get_int(get(rec, "exit"));
	s->has_usage = usage_from_json(get(rec, "ru"), &s->usage);
	s->error = dup_or_null(str(rec, "error"));
	s->input = json_object_get(get(rec, "input"));
	hmap_set(&r->ended, s->key, (void *)(uintptr_t)i);
}

static void
on_run(struct replay *r, struct json_object *rec, const char *t)
{
	struct timeline	*tl = r->t;

	if (strcmp(t, "start") == 0) {
		tl->id = dup_or_null(str(rec, "id"));
		tl->workflow = dup_or_null(str(rec, "workflow"));
		tl->parent = dup_or_null(str(rec, "parent"));
		tl->start_us = time_of(rec, "at");
		tl->input = json_object_get(get(rec, "input"));
		tl->status = xstrdup("running");
	} else if (strcmp(t, "resume") == 0) {
		tl->instants = xreallocarray(tl->instants, tl->ninstants + 1,
		    sizeof *tl->instants);
		tl->instants[tl->ninstants].name = xstrdup("resume");
		tl->instants[tl->ninstants++].at_us = time_of(rec, "at");
		free(tl->status);
		tl->status = xstrdup("running");
	} else if (strcmp(t, "end") == 0) {
		struct proc_usage	u;

		free(tl->status);
		tl->status = dup_or_null(str(rec, "s"));
		free(tl->error);
		tl->error = dup_or_null(str(rec, "error"));
		if (usage_from_json(get(rec, "ru"), &u)) {
			proc_usage_add(&tl->usage, &u);
			tl->has_usage = true;
		}
	}
}

/* Each record, read and checked as by every reader of journals. */
static void
on_record(void *arg, const struct rec *rec)
{
	struct replay	*r = arg;
	int64_t		 at;

	if (rec->type == REC_STEP) {
		if (strcmp(rec->status, "running") == 0)
			on_running(r, rec->o, rec->key);
		else
			on_end(r, rec->o, rec->key);
	} else if (rec->type != REC_PID && rec->type != REC_OTHER)
		on_run(r, rec->o, str(rec->o, "t"));
	if ((at = time_of(rec->o, "at")) > r->t->end_us)
		r->t->end_us = at;
}

static int
by_start(const void *a, const void *b)
{
	const struct span	*x = a, *y = b;

	if (x->start_us != y->start_us)
		return x->start_us < y->start_us ? -1 : 1;
	return x->end_us < y->end_us ? -1 : x->end_us > y->end_us;
}

/* Interval partitioning: each span on the lowest lane free at its start. */
static void
assign_lanes(struct timeline *t)
{
	int64_t	*free_at = NULL;
	size_t	 cap = 0, i;
	int	 k;

	for (i = 0; i < t->n; i++) {
		struct span	*s = &t->spans[i];

		for (k = 0; k < t->lanes && free_at[k] > s->start_us; k++)
			;
		if (k == t->lanes) {
			xgrow(&free_at, &cap, (size_t)t->lanes + 1,
			    sizeof *free_at);
			t->lanes++;
		}
		s->lane = k;
		/* Records have milliseconds: an attempt that ends in the one
		 * the next starts in leaves its lane free for it. */
		free_at[k] = s->end_us;
	}
	free(free_at);
}

/* The last attempt of each step: later spans of a key win. */
static void
mark_last(struct timeline *t)
{
	struct hmap	seen = HMAP_INIT;
	size_t		i;

	for (i = t->n; i-- > 0;)
		if (hmap_put(&seen, t->spans[i].key, &t->spans[i]) == NULL)
			t->spans[i].last = true;
	hmap_release(&seen);
}

int
timeline_load(const char *state_dir, const char *id, struct timeline **out)
{
	struct replay		 r = { 0 };
	char			*dir;
	int			 dfd, rc;

	*out = NULL;
	if (!record_id_ok(id)) {
		error("no execution '%s'", id);
		return EXIT_STATE;
	}
	dir = xasprintf("%s/executions/%s", state_dir, id);
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC |
	    O_NOFOLLOW)) < 0) {
		rc = errno == ENOENT ? EXIT_STATE : EXIT_IO;
		if (rc == EXIT_STATE)
			error("no execution '%s'", id);
		else
			error("cannot open '%s':", dir);
		free(dir);
		return rc;
	}
	r.t = xcalloc(1, sizeof *r.t);
	r.t->dir = dir;
	rc = record_walk(dfd, dir, id, on_record, &r);
	close(dfd);
	hmap_release(&r.open);
	hmap_release(&r.ended);
	if (rc != 0) {
		timeline_free(r.t);
		return rc;
	}
	xqsort(r.t->spans, r.t->n, sizeof *r.t->spans, by_start);
	assign_lanes(r.t);
	mark_last(r.t);
	*out = r.t;
	return 0;
}

void
timeline_free(struct timeline *t)
{
	size_t	i;

	if (t == NULL)
		return;
	for (i = 0; i < t->n; i++) {
		free(t->spans[i].key);
		free(t->spans[i].tool);
		free(t->spans[i].error);
		json_object_put(t->spans[i].input);
	}
	for (i = 0; i < t->ninstants; i++)
		free(t->instants[i].name);
	free(t->instants);
	free(t->spans);
	free(t->id);
	free(t->workflow);
	free(t->status);
	free(t->parent);
	free(t->error);
	free(t->dir);
	json_object_put(t->input);
	free(t);
}

static int
by_end(const void *a, const void *b)
{
	const struct span	*x = *(struct span *const *)a;
	const struct span	*y = *(struct span *const *)b;

	return x->end_us < y->end_us ? -1 : x->end_us > y->end_us;
}

/* Among ends (sorted), the span that ended last at or before bound whose
 * step began before bound; NULL when none. */
static struct span *
ended_before(struct span **ends, size_t n, struct hmap *first,
    int64_t bound, const char *not)
{
	size_t	lo = 0, hi = n;

	while (lo < hi) {
		size_t	mid = lo + (hi - lo) / 2;

		if (ends[mid]->end_us <= bound)
			lo = mid + 1;
		else
			hi = mid;
	}
	while (lo-- > 0) {
		struct span	*f = hmap_get(first, ends[lo]->key);

		if (strcmp(ends[lo]->key, not) != 0 && f->start_us < bound)
			return ends[lo];
	}
	return NULL;
}

/* What step st waited for, by the definition's dependsOn: the dependency
 * that ended last, or NULL. */
static struct span *
dep_before(const struct step *st, struct hmap *last, int64_t bound)
{
	struct span	*pred = NULL, *d;
	size_t		 k;

	for (k = 0; k < st->ndeps; k++)
		if ((d = hmap_get(last, st->dep_steps[k]->id)) != NULL &&
		    d->end_us <= bound && (pred == NULL ||
		    d->end_us > pred->end_us))
			pred = d;
	return pred;
}

void
timeline_critical(struct timeline *t, const struct workflow *w)
{
	struct hmap	  first = HMAP_INIT, last = HMAP_INIT;
	struct hmap	  steps = HMAP_INIT, crit = HMAP_INIT;
	struct span	**ends, *s = NULL, *f;
	const struct step *st;
	size_t		  i;

	if (t->n == 0)
		return;
	ends = xcalloc(t->n, sizeof *ends);
	for (i = 0; i < t->n; i++) {
		ends[i] = &t->spans[i];
		hmap_put(&first, t->spans[i].key, &t->spans[i]);
		hmap_set(&last, t->spans[i].key, &t->spans[i]);
		if (s == NULL || t->spans[i].end_us > s->end_us)
			s = &t->spans[i];
	}
	for (i = 0; w != NULL && i < w->nsteps; i++)
		hmap_put(&steps, w->steps[i]->id, w->steps[i]);
	xqsort(ends, t->n, sizeof *ends, by_end);
	while (s != NULL && hmap_put(&crit, s->key, s) == NULL) {
		f = hmap_get(&first, s->key);
		if ((st = hmap_get(&steps, s->key)) != NULL)
			s = dep_before(st, &last, f->start_us + 1000);
		else
			s = ended_before(ends, t->n, &first, f->start_us,
			    s->key);
	}
	for (i = 0; i < t->n; i++)
		t->spans[i].critical = hmap_get(&crit, t->spans[i].key) != NULL;
	free(ends);
	hmap_release(&first);
	hmap_release(&last);
	hmap_release(&steps);
	hmap_release(&crit);
}

char **
timeline_children(const char *state_dir, const char *id, size_t *n)
{
	char	**ids = NULL, **out;
	size_t	  all = 0, i;

	*n = 0;
	if (record_list(state_dir, &ids, &all) < 0)
		all = 0;
	out = xcalloc(all + 1, sizeof *out);
	for (i = all; i-- > 0;) {
		struct json_object	*sum = record_summary(state_dir,
					    ids[i]);
		const char		*p = str(sum, "parent_execution_id");

		if (p != NULL && strcmp(p, id) == 0)
			out[(*n)++] = ids[i];
		else
			free(ids[i]);
		json_object_put(sum);
	}
	free(ids);
	return out;
}
