/* job.c: the life of a job: ready, conditions, containers, done. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "engine/progress.h"
#include "state/record.h"
#include "engine/render.h"
#include "engine/run.h"
#include "base/value.h"

void	attempt_start(struct exec *, struct job *);

struct job *
job_new(struct exec *x, struct step *s, char *key, struct job *parent)
{
	struct job	*j = xcalloc(1, sizeof *j);

	j->step = s;
	j->key = key;
	j->parent = parent;
	j->iter = -1;
	j->exit_code = -1;
	xgrow(&x->jobs, &x->jobcap, x->njobs + 1, sizeof *x->jobs);
	j->seq = x->njobs;
	x->jobs[x->njobs++] = j;
	return j;
}

void
job_free(struct job *j)
{
	job_proc_free(j);
	free(j->key);
	free(j->error);
	free(j->err_text);
	free(j->kids);
	json_object_put(j->vars);
	json_object_put(j->input);
	json_object_put(j->result);
	json_object_put(j->items);
	free(j);
}

void
job_ready(struct exec *x, struct job *j)
{
	if (x->rtail - x->rhead == x->rcap) {
		/* Grow the ring, keeping its order. */
		size_t		 cap = x->rcap ? x->rcap * 2 : 64, i;
		struct job	**r = xcalloc(cap, sizeof *r);

		for (i = 0; i < x->rtail - x->rhead; i++)
			r[i] = x->ready[(x->rhead + i) % x->rcap];
		free(x->ready);
		x->ready = r;
		x->rtail -= x->rhead;
		x->rhead = 0;
		x->rcap = cap;
	}
	x->ready[x->rtail++ % x->rcap] = j;
	j->phase = PH_READY;
}

void
active_add(struct exec *x, struct job *j)
{
	xgrow(&x->active, &x->activecap, x->nactive + 1, sizeof *x->active);
	j->slot = x->nactive;
	x->active[x->nactive++] = j;
}

void
active_del(struct exec *x, struct job *j)
{
	struct job	*last = x->active[--x->nactive];

	x->active[j->slot] = last;
	last->slot = j->slot;
}

/*
 * Inside a forEach iteration, .results.<id> of a sub-step is this
 * iteration's.  Iterations that overlap (maxParallel > 1) each see the
 * results so far with their own on top: rather than a copy of every
 * result for each iteration (quadratic in the items), the iteration's
 * results are lent to x->results in place, the values they cover kept
 * in j->lent ({id: [old]}, [] when there was none), and put back by
 * job_root_put().  Nothing else runs in between.
 */
static void
lend_results(struct exec *x, struct job *j)
{
	const struct job	*c = j->parent;
	struct json_object	*old, *was;
	size_t			 k, ns, first;

	if (c == NULL || c->step->kind != STEP_FOREACH ||
	    c->step->max_parallel == 1 || j->iter < 0 || j->lent != NULL)
		return;
	ns = c->step->nsub;
	first = (size_t)j->iter * ns;	/* an iteration's kids, in order */
	for (k = 0; k < ns && first + k < c->nkids; k++) {
		const struct job	*kid = c->kids[first + k];

		if (kid->status != ST_COMPLETED || kid->result == NULL)
			continue;
		if (j->lent == NULL)
			j->lent = json_object_new_object();
		was = json_object_new_array();
		if (json_object_object_get_ex(x->results, kid->step->id, &old))
			json_object_array_add(was, json_object_get(old));
		json_set(j->lent, kid->step->id, was);
		json_set(x->results, kid->step->id,
		    json_object_get(kid->result));
	}
}

void
job_root_put(struct exec *x, struct job *j, struct json_object *root)
{
	json_object_put(root);
	if (j->lent == NULL)
		return;
	json_object_object_foreach(j->lent, k, was) {
		if (json_object_array_length(was) > 0)
			json_set(x->results, k, json_object_get(
			    json_object_array_get_idx(was, 0)));
		else
			json_object_object_del(x->results, k);
	}
	json_object_put(j->lent);
	j->lent = NULL;
}

/* .failure of a recovery step: {reason, step, error, exitCode}. */
static struct json_object *
recovery_failure(const struct job *j)
{
	struct json_object	*f = json_object_new_object();

	json_set(f, "reason", json_str("failed"));
	json_set(f, "step", json_str(j->key));
	json_set(f, "error", json_str(j->error != NULL ? j->error :
	    "failed"));
	json_set(f, "exitCode", j->exit_code >= 0 ?
	    json_object_new_int(j->exit_code) : NULL);
	return f;
}

struct json_object *
job_root(struct exec *x, struct job *j)
{
	const struct job	*v = j;

	struct json_object	*root;

	while (v != NULL && v->vars == NULL)
		v = v->parent;
	if (v == NULL && j->recovers == NULL)
		return json_object_get(x->root);
	lend_results(x, j);
	root = render_root(x->input, x->results, x->steps,
	    json_object_object_get(x->root, "execution"), v != NULL ?
	    v->vars : NULL, x->w);
	/* A recovery step reads the failure it recovers from. */
	if (j->recovers != NULL)
		json_set(root, "failure", recovery_failure(j->recovers));
	return root;
}

/* A forEach iteration: .results.<id> (and .steps.<id>) hold the last one. */
static void
publish_last(struct exec *x, struct job *j)
{
	struct json_object	*last, *s;

	if (json_object_object_get_ex(x->last_iter, j->step->id, &last) &&
	    json_object_get_int(last) > j->iter)
		return;
	if (x->w->reads_results) {
		json_set(x->results, j->step->id, json_object_get(j->result));
		if (x->w->reads_step_roots)
			render_alias(x->root, j->step->id, j->result);
	}
	if (json_object_object_get_ex(x->steps, j->key, &s))
		json_set(x->steps, j->step->id, json_object_get(s));
	json_set(x->last_iter, j->step->id, json_object_new_int(j->iter));
}

/* .steps.<key> and .results.<key>, for the templates that read them. */
static void
publish(struct exec *x, struct job *j)
{
	struct json_object	*s;

	/* A recovery step's result is its record's: no template reads it
	 * (two steps may redirect to one recovery step). */
	if (j->recovers != NULL)
		return;
	if (x->w->reads_steps) {
		s = json_object_new_object();
		json_set(s, "status", json_str(status_name(j->status)));
		json_set(s, "exitCode", j->exit_code >= 0 ?
		    json_object_new_int(j->exit_code) : NULL);
		json_set(s, "attempts", json_object_new_int(j->attempt));
		json_set(s, "durationMs", json_object_new_int64(j->started_ns ?
		    (j->ended_ns - j->started_ns) / 1000000 : 0));
		json_set(x->steps, j->key, s);
	}
	if (j->status != ST_COMPLETED || j->result == NULL)
		return;
	if (x->w->reads_results) {
		json_set(x->results, j->key, json_object_get(j->result));
		if (x->w->reads_step_roots && j->iter < 0)
			render_alias(x->root, j->key, j->result);
	}
	if (j->iter >= 0)
		publish_last(x, j);
}

/*
 * Whether j's result is still wanted once it is on record: by templates,
 * by the run's output, or by the container it belongs to.  The others
 * are let go, so a long run holds only what can still be read.
 */
static bool
result_wanted(const struct exec *x, const struct job *j)
{
	return x->w->reads_results || j->step->output || j->parent != NULL;
}

static void	kid_done(struct exec *, struct job *, bool ok);
static void	recover_done(struct exec *, struct job *);

/* Whether a failure of j is its container's to tolerate (allowFailure on
 * a forEach or parallel step around it): it fails that, not the run. */
static bool
inside_tolerant(const struct job *j)
{
	for (j = j->parent; j != NULL; j = j->parent)
		if (j->step->allow_failure)
			return true;
	return false;
}

bool
job_tolerated(const struct job *j)
{
	return j->step->allow_failure || j->cleanup || j->route_ok ||
	    j->recovers != NULL || inside_tolerant(j);
}

const char *
job_failure_note(const struct job *j)
{
	static char	note[96];

	if (j->recovers != NULL)
		return "";
	if (j->recovery == RV_DONE)
		snprintf(note, sizeof note, j->route_ok ? " (recovered by "
		    "'%s')" : " (after recovery '%s': then: fail)",
		    j->route->target->id);
	else
		snprintf(note, sizeof note, "%s", job_tolerated(j) ?
		    " (allowed)" : "");
	return note;
}

/* Lets what waits for j go on (ok) or never (a failure for real). */
static void
release(struct exec *x, struct job *j, bool ok)
{
	size_t	k;

	if (j->recovers != NULL) {
		recover_done(x, j);
		return;
	}
	if (!ok && !inside_tolerant(j)) {
		x->failed = true;
		x->nfailed++;
		/* error_policy: continue keeps going, up to max_failures. */
		if ((!x->opt.keep_going && !x->w->keep_going) ||
		    (x->w->max_failures > 0 && x->nfailed >= x->w->max_failures))
			x->stopping = true;
	}
	if (j->cleanup) {
		x->cleanup = NULL;
		x->ncleanup++;
		return;
	}
	if (j->parent != NULL) {
		kid_done(x, j, ok);
		return;
	}
	for (k = x->users_start[j->index]; k < x->users_start[j->index + 1];
	    k++) {
		struct job	*u = x->top[x->users[k]];

		if (!j->reused)
			u->forced = true;
		if (!ok)
			u->blocked = true;
		else if (--u->waiting == 0 && !u->blocked)
			job_ready(x, u);
	}
}

void
job_finish(struct exec *x, struct job *j, enum status st, const char *why)
{
	static const enum step_event	ev[] = { [ST_COMPLETED] = SE_COMPLETED,
		[ST_FAILED] = SE_FAILED, [ST_SKIPPED] = SE_SKIPPED };
	bool				ok;

	if (why != NULL) {
		free(j->error);
		j->error = xstrdup(why);
	}
	j->status = st;
	j->phase = PH_DONE;
	/* A step that was recovered took until its attempt ended. */
	if (j->recovery == RV_NONE) {
		j->ended_ns = clock_mono_ns();
		j->ended_wall = clock_wall_ns();
	}
	if (j->started_ns == 0)
		j->started_ns = j->ended_ns;
	if (!x->opt.no_record && record_job(x, j) < 0)
		x->io_failed = x->stopping = true;
	/* checkpoint: NAME on a step names the point after it. */
	if (st == ST_COMPLETED && j->step->checkpoint != NULL &&
	    !x->opt.no_record && record_step_checkpoint(x, j) < 0)
		x->io_failed = x->stopping = true;
	publish(x, j);
	progress_step(x->prog, x, j, ev[st]);
	ok = st != ST_FAILED || j->step->allow_failure || j->cleanup ||
	    j->route_ok;
	release(x, j, ok);
	job_proc_free(j);
	if (!result_wanted(x, j)) {
		json_object_put(j->result);
		j->result = NULL;
	}
}

void
job_fail(struct exec *x, struct job *j, const char *text)
{
	char	*why = mask_str(x->mask, text);

	job_finish(x, j, ST_FAILED, why);
	free(why);
}

/* A container's result: forEach a list of iterations, parallel a map. */
static struct json_object *
container_result(struct job *c)
{
	struct json_object	*r;
	size_t			 i;

	if (c->step->kind == STEP_PARALLEL) {
		r = json_object_new_object();
		for (i = 0; i < c->nkids; i++)
			if (c->kids[i]->result != NULL)
				json_set(r, c->kids[i]->step->id,
				    json_object_get(c->kids[i]->result));
		return r;
	}
	r = json_object_new_array();
	for (i = 0; i < c->nkids; i++) {
		struct job		*k = c->kids[i];
		struct json_object	*it;

		if ((size_t)k->iter >= json_object_array_length(r))
			json_object_array_put_idx(r, (size_t)k->iter,
			    json_object_new_object());
		it = json_object_array_get_idx(r, (size_t)k->iter);
		if (k->result != NULL)
			json_set(it, k->step->id, json_object_get(k->result));
	}
	return r;
}

/* The first of c's steps that failed, or NULL. */
static struct job *
first_failed_kid(const struct job *c)
{
	struct job	*first = NULL;
	size_t		 i;

	for (i = 0; i < c->nkids; i++)
		if (c->kids[i]->status == ST_FAILED && (first == NULL ||
		    c->kids[i]->ended_ns < first->ended_ns))
			first = c->kids[i];
	return first;
}

static void
container_done(struct exec *x, struct job *c)
{
	struct job	*k;
	char		*why;

	if (c->kid_failed) {
		/* It failed because of its first failed step: say which. */
		if ((k = first_failed_kid(c)) != NULL) {
			why = xasprintf("step '%s' failed: %s", k->key,
			    k->error != NULL ? k->error : "failed");
			job_finish(x, c, ST_FAILED, why);
			free(why);
		} else
			job_finish(x, c, ST_FAILED, "a step inside it failed");
		return;
	}
	c->result = container_result(c);
	job_finish(x, c, ST_COMPLETED, NULL);
}

static void
kid_done(struct exec *x, struct job *k, bool ok)
{
	struct job	*c = k->parent;
	unsigned	 i;

	if (!ok && !c->kid_failed) {
		c->kid_failed = true;
		/* A forEach stops at its first failure, and so do steps that
		 * run one after the other: the rest never run. */
		if (c->step->kind == STEP_FOREACH ||
		    c->step->max_parallel == 1)
			for (i = 0; i < c->nkids; i++)
				if (c->kids[i]->phase == PH_WAITING ||
				    c->kids[i]->phase == PH_READY) {
					c->kids[i]->blocked = true;
					c->kids_left--;
				}
	}
	for (i = 0; i < k->nnext; i++) {
		if (!k->reused)
			k->next[i]->forced = true;
		if (ok && --k->next[i]->waiting == 0 && !k->next[i]->blocked)
			job_ready(x, k->next[i]);
	}
	if (--c->kids_left == 0)
		container_done(x, c);
}

/* The list a forEach walks, from a literal list or a template. */
static struct json_object *
foreach_items(struct exec *x, struct job *c, struct buf *err)
{
	struct json_object	*root = job_root(x, c), *v = NULL, *p;
	struct tval		 t = { .kind = TV_TMPL };
	struct buf		 why = BUF_INIT;
	int			 ok;

	if (c->step->items_const != NULL)
		render_value(c->step->items_const, root, &v, err);
	else {
		t.str = c->step->items;
		render_value(&t, root, &v, err);
	}
	job_root_put(x, c, root);
	/* "{{ toJson .x }}" renders a string holding the list: parse it. */
	if (json_object_is_type(v, json_type_string)) {
		p = json_parse(json_object_get_string(v),
		    (size_t)json_object_get_string_len(v), &ok, &why);
		if (ok && json_object_is_type(p, json_type_array)) {
			json_object_put(v);
			v = p;
		} else
			json_object_put(p);
	}
	buf_release(&why);
	if (err->len == 0 && !json_object_is_type(v, json_type_array))
		buf_printf(err, "forEach items of step '%s' must be a list, "
		    "not %s", c->step->id, json_object_is_type(v,
		    json_type_null) ? "null" : json_object_get_type(v) ==
		    json_type_string ? "a string" : "a value of another type");
	if (err->len > 0) {
		json_object_put(v);
		return NULL;
	}
	return v;
}

static struct job *
add_kid(struct exec *x, struct job *c, struct step *s, int iter)
{
	struct job	*k = job_new(x, s, iter < 0 ? xstrdup(s->id) :
			    xasprintf("%s_%d", s->id, iter), c);

	k->iter = iter;
	k->forced = c->forced && !c->reused;
	k->index = (unsigned)c->nkids;
	c->kids[c->nkids++] = k;
	return k;
}

static void
foreach_expand(struct exec *x, struct job *c, size_t n)
{
	size_t	m = c->step->max_parallel > 0 ? (size_t)c->step->max_parallel :
		    n, i, k, ns = c->step->nsub;

	c->kids = xcalloc(n * ns + 1, sizeof *c->kids);
	for (i = 0; i < n; i++) {
		struct json_object	*vars = json_object_new_object();
		char			*idx = xasprintf("%s_index", c->step->as);

		json_set(vars, c->step->as, json_object_get(
		    json_object_array_get_idx(c->items, i)));
		json_set(vars, idx, json_object_new_int64((int64_t)i));
		free(idx);
		for (k = 0; k < ns; k++) {
			struct job	*kid = add_kid(x, c, c->step->sub[k],
					    (int)i);

			if (k == 0)
				kid->vars = json_object_get(vars);
			else {
				/* A body runs in order. */
				kid->vars = json_object_get(vars);
				kid->waiting = 1;
				c->kids[c->nkids - 2]->next[
				    c->kids[c->nkids - 2]->nnext++] = kid;
			}
		}
		json_object_put(vars);
		/* At most m iterations at once: i waits for i - m. */
		if (i >= m) {
			struct job	*prev = c->kids[(i - m) * ns + ns - 1];

			c->kids[i * ns]->waiting++;
			prev->next[prev->nnext++] = c->kids[i * ns];
		}
	}
	c->kids_left = n * ns;
	for (i = 0; i < c->nkids; i++)
		if (c->kids[i]->waiting == 0)
			job_ready(x, c->kids[i]);
}

static void
container_start(struct exec *x, struct job *c)
{
	struct buf	err = BUF_INIT;
	size_t		i;

	c->status = ST_RUNNING;
	c->phase = PH_CHILDREN;
	if (!x->opt.no_record && record_job(x, c) < 0)
		x->io_failed = x->stopping = true;
	if (c->step->kind == STEP_PARALLEL) {
		c->kids = xcalloc(c->step->nsub + 1, sizeof *c->kids);
		for (i = 0; i < c->step->nsub; i++) {
			struct job	*k = add_kid(x, c, c->step->sub[i], -1);

			/* maxParallel 1: the steps run in their order. */
			if (i > 0 && c->step->max_parallel == 1) {
				k->waiting = 1;
				c->kids[i - 1]->next[c->kids[i - 1]->nnext++] =
				    k;
			} else
				job_ready(x, k);
		}
		c->kids_left = c->nkids;
	} else {
		if ((c->items = foreach_items(x, c, &err)) == NULL) {
			job_fail(x, c, buf_str(&err));
			buf_release(&err);
			return;
		}
		foreach_expand(x, c, json_object_array_length(c->items));
	}
	buf_release(&err);
	if (c->kids_left == 0) {
		c->result = container_result(c);
		job_finish(x, c, ST_COMPLETED, NULL);
	}
}

/*
 * Resuming: a step recorded completed (or skipped) is kept when its
 * definition is the same and nothing it depends on ran again.
 */
static bool
job_reuse(struct exec *x, struct job *j)
{
	struct prior_step	*p = hmap_get(&x->prior->steps, j->key);
	const char		*st;

	if (p == NULL || j->forced)
		return false;
	st = p->status;
	if (strcmp(st, "completed") != 0 && strcmp(st, "skipped") != 0)
		return false;
	if (p->hash != j->step->hash) {
		progress_clear(x->prog);
		fprintf(stderr, "muster: step '%s' changed since it %s; it runs "
		    "again, and so does what depends on it\n", j->key, st);
		return false;
	}
	j->reused = true;
	j->status = st[0] == 'c' ? ST_COMPLETED : ST_SKIPPED;
	j->phase = PH_DONE;
	j->attempt = p->attempts;
	if (result_wanted(x, j))
		j->result = json_object_get(prior_result(p));
	publish(x, j);
	progress_step(x->prog, x, j, SE_REUSED);
	release(x, j, true);
	return true;
}

/*
 * onError redirect: j has failed and its rule names a recovery step,
 * which runs now (its record "<key>.<recovery id>").  j's record says so
 * first, so that a resume goes on with the recovery rather than running
 * j again.  fresh: j ran in this run (an earlier run's recovery of it
 * says nothing now).
 */
void
recover_start(struct exec *x, struct job *j, bool fresh)
{
	const struct step	*t = j->route->target;
	const struct job	*v = j;
	struct job		*r;

	j->status = ST_FAILED;
	j->phase = PH_RECOVER;
	j->recovery = fresh ? RV_RUNNING : RV_AGAIN;
	j->ended_ns = clock_mono_ns();
	j->ended_wall = clock_wall_ns();
	if (!x->opt.no_record && record_job(x, j) < 0)
		x->io_failed = x->stopping = true;
	progress_step(x->prog, x, j, SE_REDIRECTED);
	job_proc_free(j);
	r = job_new(x, (struct step *)t, xasprintf("%s.%s", j->key, t->id),
	    NULL);
	r->recovers = j;
	r->forced = fresh;
	while (v != NULL && v->vars == NULL)
		v = v->parent;
	if (v != NULL)
		r->vars = json_object_get(v->vars);
	job_ready(x, r);
}

/*
 * The recovery step r has ended: the step it serves fails, or (when r
 * completed and its rule does not say then: fail) fails as with
 * allowFailure, and the run goes on.  A recovery a signal or timeout cut
 * short stays unfinished in the record: resume runs it again.
 */
static void
recover_done(struct exec *x, struct job *r)
{
	struct job	*j = r->recovers;
	char		*why = NULL;
	bool		 cut = r->status == ST_FAILED && (x->signal != 0 ||
			    x->timed_out);

	j->recovery = cut ? RV_RUNNING : r->status == ST_COMPLETED ? RV_DONE :
	    RV_FAILED;
	if (j->recovery == RV_DONE && !j->route->then_fail)
		j->route_ok = true;
	else if (j->recovery == RV_FAILED)
		why = xasprintf("%s; recovery step '%s' %s: %s", j->error ?
		    j->error : "failed", r->step->id, r->status == ST_SKIPPED ?
		    "was skipped" : "failed", r->error ? r->error : "failed");
	job_finish(x, j, ST_FAILED, why);
	free(why);
}

/*
 * Resuming: a step whose record says its recovery had started (and not
 * ended) is not run again; its recovery is, unless the step changed.
 */
static bool
recover_resume(struct exec *x, struct job *j)
{
	struct prior_step	*p = hmap_get(&x->prior->steps, j->key);
	size_t			 i;

	if (p == NULL || p->redirect == NULL || j->forced ||
	    p->hash != j->step->hash)
		return false;
	for (i = 0; i < j->step->nroutes; i++)
		if (j->step->routes[i].action == ROUTE_REDIRECT &&
		    strcmp(j->step->routes[i].target->id, p->redirect) == 0)
			break;
	if (i == j->step->nroutes)
		return false;	/* its rules changed: it runs again */
	j->route = &j->step->routes[i];
	j->attempt = p->attempts;
	j->exit_code = p->exit_code;
	free(j->error);
	j->error = p->error != NULL ? xstrdup(p->error) : NULL;
	/* Its record keeps what its attempt took, not the recovery's. */
	j->started_ns = clock_mono_ns() - p->ms * 1000000;
	j->started_wall = p->from != 0 ? p->from : clock_wall_ns();
	j->usage = p->usage;
	j->has_usage = p->has_usage;
	recover_start(x, j, false);
	return true;
}

void
job_start(struct exec *x, struct job *j)
{
	struct buf	err = BUF_INIT;
	int		pass = 1;

	/* onFailure steps run each time a run fails, resumed or not. */
	if (x->resumed && j->attempt == 0 && !j->cleanup && (job_reuse(x, j) ||
	    recover_resume(x, j)))
		return;
	if (x->selected != NULL && j->step->parent == NULL && !j->cleanup &&
	    j->recovers == NULL && !x->selected[j->step->index]) {
		job_finish(x, j, ST_SKIPPED, "not selected by --only/--from");
		return;
	}

	if (j->attempt == 0 && j->started_ns == 0) {
		j->started_ns = clock_mono_ns();
		j->started_wall = clock_wall_ns();
	}
	if (j->step->cond != NULL && !j->cond_done) {
		pass = cond_now(x, j, &err);
		j->cond_done = pass == 1;
	}
	if (pass < 0) {
		job_fail(x, j, buf_str(&err));
	} else if (pass == 0) {
		job_finish(x, j, ST_SKIPPED, "condition is false");
	} else if (pass == 2) {
		j->in_cond = true;
		attempt_start(x, j);
	} else if (j->step->kind == STEP_FOREACH ||
	    j->step->kind == STEP_PARALLEL)
		container_start(x, j);
	else
		attempt_start(x, j);
	buf_release(&err);
}
