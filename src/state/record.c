/* record.c: execution records read back: status documents and lists. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "base/hmap.h"
#include "state/journal.h"
#include "state/lock.h"
#include "state/rec.h"
#include "state/index.h"
#include "state/record.h"
#include "state/usage.h"
#include "base/util.h"
#include "base/value.h"

/*
 * What replaying one journal builds: a status document (with its steps
 * when steps is set), and what resume needs of each step when prior is.
 */
struct reader {
	struct json_object	*doc;
	struct json_object	*steps;		/* the doc's array, or NULL */
	struct hmap		 by_key;	/* key -> step object */
	struct prior		*prior;		/* or NULL */
	struct hmap		 index;		/* key -> prior position + 1 */
	size_t			 cap;
};

static struct json_object *
get(struct json_object *o, const char *key)
{
	struct json_object	*v = NULL;

	json_object_object_get_ex(o, key, &v);
	return v;
}

/* Copies o[from] to d[to] (a new reference) when it is there. */
static void
copy(struct json_object *d, const char *to, struct json_object *o,
    const char *from)
{
	struct json_object	*v;

	if (json_object_object_get_ex(o, from, &v))
		json_set(d, to, json_object_get(v));
}

/* A step's object: fields are added as records give them (see fill()). */
static struct json_object *
step_of(struct reader *r, const char *key)
{
	struct json_object	*s = hmap_get(&r->by_key, key), *id;

	if (s != NULL)
		return s;
	s = json_object_new_object();
	id = json_str(key);
	json_set(s, "step_id", id);
	json_object_array_add(r->steps, s);
	hmap_put(&r->by_key, json_object_get_string(id), s);
	return s;
}

/* What one attempt said, and its process, no longer hold. */
static void
forget(struct json_object *s)
{
	static const char *const	stale[] = { "completed_at",
					    "duration_ms", "exit_code",
					    "input", "result", "error",
					    "rusage", "_pid", "_pstart",
					    "_boot", "route", "redirect",
					    "recovered" };
	size_t				i;

	for (i = 0; i < nitems(stale); i++)
		json_object_object_del(s, stale[i]);
}

/* A resumed run's usage adds to what the runs before it used. */
static void
add_usage(struct json_object *d, struct json_object *ru)
{
	struct proc_usage	total, more;

	if (!usage_from_json(ru, &more))
		return;
	usage_from_json(get(d, "rusage"), &total);
	proc_usage_add(&total, &more);
	json_set(d, "rusage", usage_to_json(&total));
}

static void
doc_step(struct reader *r, const struct rec *rec)
{
	struct json_object	*s = step_of(r, rec->key), *o = rec->o;

	forget(s);
	copy(s, "status", o, "s");
	copy(s, "tool", o, "tool");
	copy(s, "attempts", o, "a");
	copy(s, "_h", o, "h");
	if (strcmp(rec->status, "running") == 0) {
		if (get(s, "started_at") == NULL)
			copy(s, "started_at", o, "at");
		return;
	}
	if (get(s, "started_at") == NULL)
		copy(s, "started_at", o, "from");
	copy(s, "completed_at", o, "at");
	copy(s, "duration_ms", o, "ms");
	copy(s, "exit_code", o, "exit");
	copy(s, "rusage", o, "ru");
	copy(s, "input", o, "input");
	copy(s, "result", o, "result");
	copy(s, "error", o, "error");
	copy(s, "route", o, "route");
	copy(s, "redirect", o, "redirect");
	copy(s, "recovered", o, "recovered");
}

static void
doc_pid(struct reader *r, const struct rec *rec)
{
	struct json_object	*s = step_of(r, rec->key);

	copy(s, "_pid", rec->o, "pid");
	copy(s, "_pstart", rec->o, "ps");
	copy(s, "_boot", rec->o, "boot");
}

/*
 * A checkpoint: {name, step, at} in "checkpoints" (a later one of the
 * same name replaces it), and the steps completed then in
 * "_checkpoints".NAME, for resume --from-checkpoint.
 */
static void
add_checkpoint(struct json_object *d, struct json_object *o)
{
	struct json_object	*list = get(d, "checkpoints"), *c, *done;
	const char		*name = json_object_get_string(get(o, "name"));
	size_t			 i;

	if (list == NULL) {
		list = json_object_new_array();
		json_set(d, "checkpoints", list);
	}
	if ((done = get(d, "_checkpoints")) == NULL) {
		done = json_object_new_object();
		json_set(d, "_checkpoints", done);
	}
	for (i = 0; i < json_object_array_length(list); i++)
		if (strcmp(json_object_get_string(get(
		    json_object_array_get_idx(list, i), "name")), name) == 0)
			break;
	c = json_object_new_object();
	copy(c, "name", o, "name");
	copy(c, "step", o, "step");
	copy(c, "at", o, "at");
	json_set(c, "steps", json_object_new_int64((int64_t)
	    json_object_array_length(get(o, "done"))));
	if (i < json_object_array_length(list))
		json_object_array_put_idx(list, i, c);
	else
		json_object_array_add(list, c);
	json_set(done, name, json_object_get(get(o, "done")));
}

/* The run's own records: start, resume, end. */
static void
doc_run(struct json_object *d, const struct rec *rec)
{
	struct json_object	*o = rec->o;

	switch (rec->type) {
	case REC_START:
		copy(d, "workflow_name", o, "workflow");
		json_set(d, "status", json_str("running"));
		copy(d, "started_at", o, "at");
		copy(d, "input", o, "input");
		copy(d, "parent_execution_id", o, "parent");
		copy(d, "_pid", o, "pid");
		copy(d, "_secrets", o, "secrets");
		break;
	case REC_RESUME:
		/* Running again: what the last end said no longer holds. */
		json_set(d, "status", json_str("running"));
		json_set(d, "completed_at", NULL);
		json_set(d, "duration_ms", NULL);
		json_set(d, "result", NULL);
		json_set(d, "error", NULL);
		copy(d, "_pid", o, "pid");
		break;
	case REC_CHECKPOINT:
		add_checkpoint(d, o);
		break;
	case REC_END:
		copy(d, "status", o, "s");
		copy(d, "completed_at", o, "at");
		copy(d, "duration_ms", o, "ms");
		json_set(d, "result", json_object_get(get(o, "result")));
		json_set(d, "error", json_object_get(get(o, "error")));
		copy(d, "output_lost", o, "output_lost");
		add_usage(d, get(o, "ru"));
		break;
	default:
		break;
	}
}

/* Resume keeps, for each step, what its last step record said. */
static void
prior_step(struct reader *r, const struct rec *rec)
{
	struct prior		*pr = r->prior;
	struct prior_step	*ps;
	const char		*h = rec_str(rec, "h");
	uintptr_t		 at;
	size_t			 len = strlen(rec->key);

	if ((at = (uintptr_t)hmap_getn(&r->index, rec->key, len)) == 0) {
		xgrow(&pr->all, &r->cap, pr->n + 1, sizeof *pr->all);
		ps = &pr->all[pr->n];
		memset(ps, 0, sizeof *ps);
		ps->key = xstrdup(rec->key);
		ps->keylen = len;
		at = ++pr->n;
		hmap_putn(&r->index, ps->key, len, (void *)at);
	}
	ps = &pr->all[at - 1];
	snprintf(ps->status, sizeof ps->status, "%s", rec->status);
	ps->attempts = (int)rec_int(rec, "a", 0);
	ps->hash = h != NULL ? strtoull(h, NULL, 16) : 0;
	json_object_put(ps->result);
	ps->result = NULL;
	ps->pid = 0;		/* a later attempt's process comes later */
	if (strcmp(rec->status, "completed") == 0)
		ps->result = json_object_get(rec_get(rec, "result"));
	free(ps->redirect);
	free(ps->error);
	ps->redirect = ps->error = NULL;
	if (rec_str(rec, "redirect") != NULL && rec_get(rec, "recovered") ==
	    NULL && strcmp(rec->status, "failed") == 0) {
		ps->redirect = xstrdup(rec_str(rec, "redirect"));
		ps->error = rec_str(rec, "error") != NULL ?
		    xstrdup(rec_str(rec, "error")) : NULL;
		ps->exit_code = (int)rec_int(rec, "exit", -1);
		ps->ms = rec_int(rec, "ms", 0);
		ps->from = rec_str(rec, "from") != NULL ?
		    record_parse_time(rec_str(rec, "from")) : 0;
		ps->has_usage = usage_from_json(rec_get(rec, "ru"),
		    &ps->usage);
	}
}

/* The process of a step's attempt: resume waits for it to end. */
static void
prior_pid(struct reader *r, const struct rec *rec)
{
	uintptr_t		 at = (uintptr_t)hmap_getn(&r->index, rec->key,
				    strlen(rec->key));
	struct prior_step	*ps;
	const char		*boot = rec_str(rec, "boot");

	if (at == 0)
		return;		/* a process of no recorded step */
	ps = &r->prior->all[at - 1];
	ps->pid = (pid_t)rec_int(rec, "pid", 0);
	ps->pstart = (uint64_t)rec_int(rec, "ps", 0);
	snprintf(ps->boot, sizeof ps->boot, "%s", boot != NULL ? boot : "");
}

/* A step's attempt that went to Slurm: its job id. */
static void
on_slurm(struct reader *r, const struct rec *rec)
{
	uintptr_t		 at;
	struct prior_step	*ps;

	if (r->steps != NULL)
		copy(step_of(r, rec->key), "slurm_job", rec->o, "job");
	if (r->prior == NULL || (at = (uintptr_t)hmap_getn(&r->index,
	    rec->key, strlen(rec->key))) == 0)
		return;
	ps = &r->prior->all[at - 1];
	free(ps->job);
	ps->job = xstrdup(rec_str(rec, "job"));
	ps->job_attempt = (int)rec_int(rec, "a", 0);
}

static void
apply(void *arg, const struct rec *rec)
{
	struct reader	*r = arg;

	if (rec->type == REC_STEP) {
		if (r->steps != NULL)
			doc_step(r, rec);
		if (r->prior != NULL)
			prior_step(r, rec);
	} else if (rec->type == REC_PID) {
		if (r->steps != NULL)
			doc_pid(r, rec);
		if (r->prior != NULL)
			prior_pid(r, rec);
	} else if (rec->type == REC_SLURM)
		on_slurm(r, rec);
	else
		doc_run(r->doc, rec);
}

/*
 * Parses and checks every record of the loaded bytes in order (one reader
 * for every command: a journal one of them calls corrupt, all do).
 * Returns 0, or -1 with the offset of the bad record and why.
 */
static int
replay(const char *buf, size_t len, record_fn fn, void *arg, size_t *bad_at,
    struct buf *why)
{
	struct rec	 rec;
	const char	*p;
	size_t		 off = 0, at = 0, plen;

	while (at = off, journal_next(buf, len, &off, &p, &plen)) {
		if (rec_parse(p, plen, &rec, why) < 0) {
			*bad_at = at;
			return -1;
		}
		if ((rec.type == REC_START) != (at == 0)) {
			buf_adds(why, at == 0 ? "the first record is not a "
			    "start record" : "a second start record");
			rec_release(&rec);
			*bad_at = at;
			return -1;
		}
		fn(arg, &rec);
		rec_release(&rec);
	}
	if (off == 0) {
		buf_adds(why, "no start record");
		*bad_at = 0;
		return -1;
	}
	return 0;
}

static struct json_object *
new_doc(const char *id)
{
	struct json_object	*d = json_object_new_object();

	json_set(d, "execution_id", json_str(id));
	json_set(d, "workflow_name", NULL);
	json_set(d, "status", NULL);
	json_set(d, "started_at", NULL);
	json_set(d, "completed_at", NULL);
	json_set(d, "duration_ms", NULL);
	json_set(d, "input", NULL);
	json_set(d, "result", NULL);
	json_set(d, "error", NULL);
	return d;
}

/*
 * Loads and replays the journal of execution id (folder dir, open as
 * dfd), each record to fn.  Returns 0, or the exit code after saying
 * what is wrong.
 */
static int
read_journal(int dfd, const char *dir, const char *id, record_fn fn,
    void *arg, struct journal_map *m, struct journal_scan *scan)
{
	struct buf	why = BUF_INIT;
	size_t		bad_at = 0;
	int		rc;

	if ((rc = journal_load(dfd, "journal", m, scan)) == -1) {
		error("cannot read '%s/journal':", dir);
		return EXIT_IO;
	}
	if (rc == -2) {
		bad_at = (size_t)scan->bad_at;
		buf_adds(&why, "bad framing or checksum");
	} else
		rc = replay(m->p, m->len, fn, arg, &bad_at, &why);
	if (rc < 0) {
		error("execution '%s' is corrupt: bad record at byte %zu of "
		    "'%s/journal': %s", id, bad_at, dir, buf_str(&why));
		rc = EXIT_STATE;
	}
	buf_release(&why);
	return rc;
}

int
record_walk(int dfd, const char *dir, const char *id, record_fn fn,
    void *arg)
{
	struct journal_map	m = { 0 };
	struct journal_scan	scan;
	int			rc;

	rc = read_journal(dfd, dir, id, fn, arg, &m, &scan);
	journal_unload(&m);
	return rc;
}

int
record_read(const char *state_dir, const char *id, struct json_object **out)
{
	struct reader		 r = { 0 };
	struct journal_scan	 scan;
	struct journal_map	 m = { 0 };
	char			*dir;
	int			 dfd, rc;

	*out = NULL;
	if (!record_id_ok(id)) {
		error("no execution '%s'", id);
		return EXIT_STATE;
	}
	dir = xasprintf("%s/executions/%s", state_dir, id);
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (dfd < 0) {
		rc = errno;
		if (rc == ENOENT)
			error("no execution '%s'", id);
		else
			error("cannot open '%s':", dir);
		free(dir);
		return rc == ENOENT ? EXIT_STATE : EXIT_IO;
	}
	r.doc = new_doc(id);
	r.steps = json_object_new_array();
	json_set(r.doc, "steps", r.steps);
	rc = read_journal(dfd, dir, id, apply, &r, &m, &scan);
	close(dfd);
	hmap_release(&r.by_key);
	journal_unload(&m);
	free(dir);
	if (rc != 0) {
		json_object_put(r.doc);
		return rc;
	}
	*out = r.doc;
	return 0;
}

/* An id with its start time, for sorting within one second. */
struct dated {
	char	*id;
	char	*started;	/* RFC 3339 with milliseconds, or "" */
};

static int
newest_first(const void *a, const void *b)
{
	const struct dated	*x = a, *y = b;
	int			 c;

	/* Ids start with their second; inside one, the summary decides. */
	if ((c = strncmp(y->id, x->id, 15)) != 0)
		return c;
	if ((c = strcmp(y->started, x->started)) != 0)
		return c;
	return strcmp(y->id, x->id);
}

int
record_list(const char *state_dir, char ***ids, size_t *n)
{
	/* state/index knows them in order, without listing the folder. */
	return index_list(state_dir, ids, n) == 0 ? 0 :
	    record_scan(state_dir, ids, n);
}

int
record_scan(const char *state_dir, char ***ids, size_t *n)
{
	char		*dir = xasprintf("%s/executions", state_dir);
	DIR		*d = opendir(dir);
	struct dirent	*e;
	struct dated	*v = NULL;
	size_t		 cap = 0, i;

	*ids = NULL;
	*n = 0;
	if (d == NULL) {
		int	missing = errno == ENOENT;

		if (!missing)
			error("cannot read '%s':", dir);
		free(dir);
		return missing ? 0 : -1;
	}
	while ((e = readdir(d)) != NULL) {
		if (!record_id_ok(e->d_name))
			continue;
		xgrow(&v, &cap, *n + 1, sizeof *v);
		v[*n].id = xstrdup(e->d_name);
		v[*n].started = "";
		(*n)++;
	}
	closedir(d);
	free(dir);
	/* Sorted by id, ids of one second are neighbours: only they need
	 * their summary to be told apart. */
	xqsort(v, *n, sizeof *v, newest_first);
	for (i = 0; i < *n; i++) {
		bool	twin = (i > 0 && strncmp(v[i].id, v[i - 1].id, 15) == 0) ||
			    (i + 1 < *n && strncmp(v[i].id, v[i + 1].id, 15) == 0);

		v[i].started = xstrdup("");
		if (twin) {
			struct json_object	*sum = record_summary(state_dir,
						    v[i].id);
			const char		*st = json_object_get_string(
						    json_object_object_get(sum,
						    "started_at"));

			if (st != NULL) {
				free(v[i].started);
				v[i].started = xstrdup(st);
			}
			json_object_put(sum);
		}
	}
	xqsort(v, *n, sizeof *v, newest_first);
	*ids = xcalloc(*n + 1, sizeof **ids);
	for (i = 0; i < *n; i++) {
		(*ids)[i] = v[i].id;
		free(v[i].started);
	}
	free(v);
	return 0;
}

static void
strip(struct json_object *o)
{
	struct json_object_iterator	it, end;
	char				*drop[16];
	int				 n = 0, i;

	it = json_object_iter_begin(o);
	end = json_object_iter_end(o);
	for (; !json_object_iter_equal(&it, &end) && n < 16;
	    json_object_iter_next(&it))
		if (json_object_iter_peek_name(&it)[0] == '_')
			drop[n++] = xstrdup(json_object_iter_peek_name(&it));
	for (i = 0; i < n; i++) {
		json_object_object_del(o, drop[i]);
		free(drop[i]);
	}
}

/* Every field of SPEC.md's step record, null where a record gave none. */
static void
fill(struct json_object *step)
{
	static const char *const keys[] = { "step_id", "tool", "status",
	    "started_at", "completed_at", "duration_ms", "attempts",
	    "exit_code", "input", "result", "error" };
	struct json_object	*o = json_object_new_object(), *v;
	size_t			 i;

	for (i = 0; i < nitems(keys); i++) {
		v = get(step, keys[i]);
		json_set(o, keys[i], v != NULL ? json_object_get(v) :
		    strcmp(keys[i], "attempts") == 0 ?
		    json_object_new_int(0) : NULL);
	}
	/* Rebuilt in the documented order, replacing the fields in place. */
	json_object_object_foreach(step, k, val) {
		(void)val;
		if (k[0] == '_')
			continue;
	}
	for (i = 0; i < nitems(keys); i++)
		json_object_object_del(step, keys[i]);
	json_object_object_foreach(o, k2, v2)
		json_set(step, k2, json_object_get(v2));
	json_object_put(o);
}

void
record_public(struct json_object *doc)
{
	struct json_object	*steps = get(doc, "steps");
	size_t			 i;

	strip(doc);
	for (i = 0; steps != NULL && i < json_object_array_length(steps);
	    i++) {
		strip(json_object_array_get_idx(steps, i));
		fill(json_object_array_get_idx(steps, i));
	}
}

/* The most a summary.json may hold; a bigger one is damaged. */
#define SUMMARY_MAX	(1 << 20)

struct json_object *
record_summary(const char *state_dir, const char *id)
{
	struct json_object	*o, *doc;
	struct buf		 why = BUF_INIT, text = BUF_INIT;
	char			*path, chunk[4096];
	struct stat		 st;
	ssize_t			 n;
	int			 fd, ok = 0;

	path = xasprintf("%s/executions/%s/summary.json", state_dir, id);
	/* Not a FIFO's reader, nor a huge file's: a summary is small. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	free(path);
	if (fd >= 0 && (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    st.st_size > SUMMARY_MAX)) {
		close(fd);
		fd = -1;
	}
	if (fd >= 0) {
		while (text.len <= SUMMARY_MAX &&
		    (n = read(fd, chunk, sizeof chunk)) > 0)
			buf_add(&text, chunk, (size_t)n);
		close(fd);
		o = json_parse(buf_str(&text), text.len, &ok, &why);
		buf_release(&text);
		if (ok && rec_check_summary(o, &why) == 0) {
			buf_release(&why);
			return o;
		}
		buf_release(&why);
		json_object_put(o);
	}
	/*
	 * No summary (a crash before it was written), or a damaged one: the
	 * journal, which the summary only follows, decides.
	 */
	error_capture(&why);
	ok = record_read(state_dir, id, &doc);
	error_capture_end();
	buf_release(&why);
	if (ok != 0)
		return NULL;
	o = json_object_new_object();
	copy(o, "execution_id", doc, "execution_id");
	copy(o, "workflow_name", doc, "workflow_name");
	copy(o, "status", doc, "status");
	copy(o, "started_at", doc, "started_at");
	copy(o, "completed_at", doc, "completed_at");
	copy(o, "duration_ms", doc, "duration_ms");
	copy(o, "parent_execution_id", doc, "parent_execution_id");
	copy(o, "pid", doc, "_pid");
	json_object_put(doc);
	return o;
}

const char *
record_latest(const char *state, char ***ids, size_t *n)
{
	size_t	i;

	if (record_list(state, ids, n) < 0)
		return NULL;
	for (i = 0; i < *n; i++) {
		struct json_object	*s = record_summary(state, (*ids)[i]);
		int			 child = json_object_object_get(s,
					    "parent_execution_id") != NULL;

		json_object_put(s);
		if (!child)
			return (*ids)[i];
	}
	error("no executions yet");
	return NULL;
}

void
record_liveness(const char *state_dir, const char *id,
    struct json_object *doc)
{
	const char	*st = json_object_get_string(json_object_object_get(doc,
			    "status"));
	char		*dir;
	int		 fd;
	pid_t		 holder;

	if (st == NULL || strcmp(st, "running") != 0)
		return;
	dir = xasprintf("%s/executions/%s", state_dir, id);
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	free(dir);
	if (fd < 0)
		return;
	holder = lock_holder(fd, "lock");
	close(fd);
	if (holder == 0) {
		json_set(doc, "status", json_str("interrupted"));
		if (json_object_object_get(doc, "error") == NULL &&
		    json_object_object_get_ex(doc, "error", NULL))
			json_set(doc, "error", json_str("its runner stopped "
			    "before the end; muster resume finishes it"));
	}
}

struct json_object *
prior_result(struct prior_step *ps)
{
	return ps->result;
}

int
record_prior(int dirfd, const char *dir, const char *id, struct prior *pr,
    struct journal_scan *scan)
{
	struct reader		r = { 0 };
	struct journal_map	m = { 0 };
	size_t			i;
	int			rc;

	memset(pr, 0, sizeof *pr);
	r.doc = pr->doc = new_doc(id);
	r.prior = pr;
	rc = read_journal(dirfd, dir, id, apply, &r, &m, scan);
	journal_unload(&m);
	hmap_release(&r.index);
	if (rc != 0) {
		prior_release(pr);
		return rc;
	}
	for (i = 0; i < pr->n; i++)
		hmap_putn(&pr->steps, pr->all[i].key, pr->all[i].keylen,
		    &pr->all[i]);
	return 0;
}

void
prior_release(struct prior *pr)
{
	size_t	i;

	for (i = 0; i < pr->n; i++) {
		json_object_put(pr->all[i].result);
		free(pr->all[i].key);
		free(pr->all[i].redirect);
		free(pr->all[i].error);
		free(pr->all[i].job);
	}
	free(pr->all);
	hmap_release(&pr->steps);
	json_object_put(pr->doc);
	memset(pr, 0, sizeof *pr);
}
