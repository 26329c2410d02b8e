/* record.c: execution records read back: status documents and lists. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "base/hmap.h"
#include "state/journal.h"
#include "state/lock.h"
#include "state/record.h"
#include "state/usage.h"
#include "base/util.h"
#include "base/value.h"

/* What replaying one journal builds. */
struct reader {
	struct json_object	*doc;
	struct json_object	*steps;		/* the doc's array */
	struct hmap		 by_key;	/* key -> step object */
	const char		*path;
	int			 bad;
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

static void
on_step(struct reader *r, struct json_object *rec)
{
	struct json_object	*s;
	const char		*st;

	if (get(rec, "k") == NULL)
		return;
	s = step_of(r, json_object_get_string(get(rec, "k")));
	st = json_object_get_string(get(rec, "s"));
	copy(s, "status", rec, "s");
	copy(s, "tool", rec, "tool");
	copy(s, "attempts", rec, "a");
	copy(s, "_h", rec, "h");
	if (strcmp(st, "running") == 0) {
		if (get(s, "started_at") == NULL)
			copy(s, "started_at", rec, "at");
		json_object_object_del(s, "completed_at");
		return;
	}
	if (get(rec, "from") != NULL && get(s, "started_at") == NULL)
		copy(s, "started_at", rec, "from");
	copy(s, "completed_at", rec, "at");
	copy(s, "duration_ms", rec, "ms");
	copy(s, "exit_code", rec, "exit");
	json_object_object_del(s, "rusage");
	copy(s, "rusage", rec, "ru");
	copy(s, "input", rec, "input");
	json_object_object_del(s, "result");
	json_object_object_del(s, "error");
	copy(s, "result", rec, "result");
	copy(s, "error", rec, "error");
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

static int
on_record(void *arg, const char *p, size_t len)
{
	struct reader		*r = arg;
	struct json_object	*rec, *d = r->doc;
	struct buf		 why = BUF_INIT;
	const char		*t;
	int			 ok;

	rec = json_parse(p, len, &ok, &why);
	buf_release(&why);
	if (!ok || !json_object_is_type(rec, json_type_object) ||
	    (t = json_object_get_string(get(rec, "t"))) == NULL) {
		json_object_put(rec);
		r->bad = 1;
		return -1;
	}
	if (strcmp(t, "start") == 0) {
		copy(d, "execution_id", rec, "id");
		copy(d, "workflow_name", rec, "workflow");
		json_set(d, "status", json_str("running"));
		copy(d, "started_at", rec, "at");
		copy(d, "input", rec, "input");
		copy(d, "parent_execution_id", rec, "parent");
		copy(d, "_pid", rec, "pid");
		copy(d, "_secrets", rec, "secrets");
	} else if (strcmp(t, "step") == 0)
		on_step(r, rec);
	else if (strcmp(t, "pid") == 0 && get(rec, "k") != NULL) {
		struct json_object	*s = step_of(r,
					    json_object_get_string(get(rec, "k")));

		copy(s, "_pid", rec, "pid");
		copy(s, "_pstart", rec, "ps");
		copy(s, "_boot", rec, "boot");
	} else if (strcmp(t, "resume") == 0) {
		/* Running again: what the last end said no longer holds. */
		json_set(d, "status", json_str("running"));
		json_set(d, "completed_at", NULL);
		json_set(d, "duration_ms", NULL);
		json_set(d, "result", NULL);
		json_set(d, "error", NULL);
		copy(d, "_pid", rec, "pid");
	} else if (strcmp(t, "end") == 0) {
		copy(d, "status", rec, "s");
		copy(d, "completed_at", rec, "at");
		copy(d, "duration_ms", rec, "ms");
		json_set(d, "result", json_object_get(get(rec, "result")));
		json_set(d, "error", json_object_get(get(rec, "error")));
		copy(d, "output_lost", rec, "output_lost");
		add_usage(d, get(rec, "ru"));
	}
	json_object_put(rec);
	return 0;
}

/* The latest step and pid records of one step key, in the loaded bytes. */
struct latest {
	const char	*step, *pid;
	size_t		 steplen, pidlen;
};

/*
 * Our own records start '{"t":"step","k":"KEY"' or '{"t":"pid","k":"KEY"':
 * the key is found without parsing the rest.  Returns its length, or 0.
 */
static size_t
record_key(const char *p, size_t len, const char *type, const char **key)
{
	char	prefix[32];
	size_t	n = (size_t)snprintf(prefix, sizeof prefix,
		    "{\"t\":\"%s\",\"k\":\"", type), k;

	if (len <= n || memcmp(p, prefix, n) != 0)
		return 0;
	for (k = n; k < len && p[k] != '"' && p[k] != '\\'; k++)
		;
	if (k == len || p[k] != '"')
		return 0;
	*key = p + n;
	return k - n;
}

/* Parses one record into the document; -1 when it is not good JSON. */
static int
take(struct reader *r, const char *p, size_t len)
{
	return on_record(r, p, len);
}

/*
 * Only the last record of each step tells where it stands, so records of
 * steps are found by their key and parsed once per step (resuming a large
 * execution must be quick); the run's own records are parsed as they come.
 */
static int
read_records(struct reader *r, const char *buf, size_t len)
{
	struct hmap	  keys = HMAP_INIT;
	struct latest	**order = NULL;
	const char	 *p, *key;
	size_t		  off = 0, plen, klen, n = 0, cap = 0, i;
	int		  rc = 0;

	while (rc == 0 && journal_next(buf, len, &off, &p, &plen)) {
		struct latest	*l;
		int		 pid = 0;

		if ((klen = record_key(p, plen, "step", &key)) == 0 &&
		    (klen = record_key(p, plen, "pid", &key)) > 0)
			pid = 1;
		if (klen == 0) {
			rc = take(r, p, plen);
			continue;
		}
		if ((l = hmap_getn(&keys, key, klen)) == NULL) {
			l = xcalloc(1, sizeof *l);
			hmap_putn(&keys, key, klen, l);
			xgrow(&order, &cap, n + 1, sizeof *order);
			order[n++] = l;
		}
		if (pid) {
			l->pid = p;
			l->pidlen = plen;
		} else {
			l->step = p;
			l->steplen = plen;
			l->pid = NULL;	/* a later attempt's pid comes later */
		}
	}
	for (i = 0; i < n; i++) {
		if (rc == 0 && order[i]->step != NULL)
			rc = take(r, order[i]->step, order[i]->steplen);
		if (rc == 0 && order[i]->pid != NULL)
			rc = take(r, order[i]->pid, order[i]->pidlen);
		free(order[i]);
	}
	free(order);
	hmap_release(&keys);
	return rc;
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

int
record_read(const char *state_dir, const char *id, struct json_object **out)
{
	struct reader		 r = { 0 };
	struct journal_scan	 scan;
	struct journal_map	 m;
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
	rc = journal_load(dfd, "journal", &m, &scan);
	close(dfd);
	if (rc == -1) {
		error("cannot read '%s/journal':", dir);
		free(dir);
		return EXIT_IO;
	}
	r.doc = new_doc(id);
	r.steps = json_object_new_array();
	json_set(r.doc, "steps", r.steps);
	r.path = dir;
	if (rc == 0)
		rc = read_records(&r, m.p, m.len);
	else
		r.bad = -1;
	hmap_release(&r.by_key);
	journal_unload(&m);
	if (rc < 0 || get(r.doc, "workflow_name") == NULL) {
		error("execution '%s' is corrupt: bad record at byte %lld of "
		    "'%s/journal'", id, (long long)(r.bad < 0 ? scan.bad_at :
		    r.bad ? scan.good : 0), dir);
		json_object_put(r.doc);
		free(dir);
		return EXIT_STATE;
	}
	free(dir);
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

struct json_object *
record_summary(const char *state_dir, const char *id)
{
	struct json_object	*o, *doc;
	struct buf		 why = BUF_INIT, text = BUF_INIT;
	char			*path, chunk[4096];
	ssize_t			 n;
	int			 fd, ok = 0;

	path = xasprintf("%s/executions/%s/summary.json", state_dir, id);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	free(path);
	if (fd >= 0) {
		while ((n = read(fd, chunk, sizeof chunk)) > 0)
			buf_add(&text, chunk, (size_t)n);
		close(fd);
		o = json_parse(buf_str(&text), text.len, &ok, &why);
		buf_release(&text);
		buf_release(&why);
		if (ok && json_object_is_type(o, json_type_object))
			return o;
		json_object_put(o);
	}
	/* No summary (a crash before it was written): read the journal. */
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

/* The value after "key": in a record of ours, or NULL. */
static const char *
field_at(const char *p, size_t len, const char *key)
{
	char		 pat[32];
	const char	*end = p + len, *at;
	size_t		 n = (size_t)snprintf(pat, sizeof pat, "\"%s\":", key);

	/* '"key":' outside a string: inside one every quote is escaped. */
	for (at = p; (at = memmem(at, (size_t)(end - at), pat, n)) != NULL;
	    at += n)
		if (at > p && (at[-1] == ',' || at[-1] == '{'))
			return at + n;
	return NULL;
}

static void
prior_step(struct prior_step *ps, const char *p, size_t len)
{
	const char		*v;
	size_t			 n;

	if ((v = field_at(p, len, "s")) != NULL && *v == '"') {
		n = strcspn(v + 1, "\"");
		snprintf(ps->status, sizeof ps->status, "%.*s", (int)n, v + 1);
	}
	if ((v = field_at(p, len, "a")) != NULL)
		ps->attempts = atoi(v);
	if ((v = field_at(p, len, "h")) != NULL && *v == '"')
		ps->hash = strtoull(v + 1, NULL, 16);
	ps->result_at = NULL;
	if (strcmp(ps->status, "completed") == 0 &&
	    (v = field_at(p, len, "result")) != NULL) {
		ps->result_at = v;
		ps->result_len = (size_t)(p + len - v);
	}
}

struct json_object *
prior_result(struct prior_step *ps)
{
	struct json_tokener	*tok;

	if (ps->result != NULL || ps->result_at == NULL)
		return ps->result;
	/* json-c stops at the end of the value: the rest is not read. */
	tok = json_tokener_new();
	ps->result = json_tokener_parse_ex(tok, ps->result_at,
	    (int)ps->result_len);
	json_tokener_free(tok);
	return ps->result;
}

static int
prior_records(struct prior *pr, struct reader *r, size_t len)
{
	struct hmap	 index = HMAP_INIT;	/* key -> position + 1 */
	const char	*p, *key;
	size_t		 off = 0, plen, klen, cap = 0, i;
	int		 rc = 0;

	while (rc == 0 && journal_next(pr->journal.p, len, &off, &p, &plen)) {
		struct prior_step	*ps;
		uintptr_t		 at;

		if ((klen = record_key(p, plen, "step", &key)) == 0) {
			if (record_key(p, plen, "pid", &key) == 0)
				rc = take(r, p, plen);
			continue;
		}
		if ((at = (uintptr_t)hmap_getn(&index, key, klen)) == 0) {
			xgrow(&pr->all, &cap, pr->n + 1, sizeof *pr->all);
			memset(&pr->all[pr->n], 0, sizeof *pr->all);
			pr->all[pr->n].key = key;
			pr->all[pr->n].keylen = klen;
			at = ++pr->n;
			hmap_putn(&index, key, klen, (void *)at);
		}
		ps = &pr->all[at - 1];
		prior_step(ps, p, plen);
	}
	hmap_release(&index);
	for (i = 0; i < pr->n; i++)
		hmap_putn(&pr->steps, pr->all[i].key, pr->all[i].keylen,
		    &pr->all[i]);
	return rc;
}

int
record_prior(int dirfd, const char *dir, const char *id, struct prior *pr,
    struct journal_scan *scan)
{
	struct reader	 r = { 0 };
	int		 rc;

	memset(pr, 0, sizeof *pr);
	if ((rc = journal_load(dirfd, "journal", &pr->journal, scan)) == -1) {
		error("cannot read '%s/journal':", dir);
		return EXIT_IO;
	}
	r.doc = pr->doc = new_doc(id);
	if (rc == 0)
		rc = prior_records(pr, &r, pr->journal.len);
	if (rc < 0 || get(pr->doc, "workflow_name") == NULL) {
		error("execution '%s' is corrupt: bad record at byte %lld of "
		    "'%s/journal'", id, (long long)(rc == -2 ? scan->bad_at :
		    scan->good), dir);
		prior_release(pr);
		return EXIT_STATE;
	}
	return 0;
}

void
prior_release(struct prior *pr)
{
	size_t	i;

	for (i = 0; i < pr->n; i++)
		json_object_put(pr->all[i].result);
	free(pr->all);
	hmap_release(&pr->steps);
	json_object_put(pr->doc);
	journal_unload(&pr->journal);
	memset(pr, 0, sizeof *pr);
}
