/* record-read.c: execution records read back: status documents and lists. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "journal.h"
#include "lock.h"
#include "record.h"
#include "util.h"
#include "value.h"

/* What replaying one journal builds. */
struct reader {
	struct json_object	*doc;
	struct json_object	*steps;		/* the doc's array */
	struct json_object	*by_key;	/* key -> step object */
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

static struct json_object *
step_of(struct reader *r, const char *key)
{
	struct json_object	*s = get(r->by_key, key);

	if (s != NULL)
		return s;
	s = json_object_new_object();
	json_set(s, "step_id", json_str(key));
	json_set(s, "tool", NULL);
	json_set(s, "status", json_str("pending"));
	json_set(s, "started_at", NULL);
	json_set(s, "completed_at", NULL);
	json_set(s, "duration_ms", NULL);
	json_set(s, "attempts", json_object_new_int(0));
	json_set(s, "exit_code", NULL);
	json_set(s, "input", NULL);
	json_set(s, "result", NULL);
	json_set(s, "error", NULL);
	json_object_array_add(r->steps, s);
	json_set(r->by_key, key, json_object_get(s));
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
		json_set(s, "completed_at", NULL);
		return;
	}
	if (get(rec, "from") != NULL && get(s, "started_at") == NULL)
		copy(s, "started_at", rec, "from");
	copy(s, "completed_at", rec, "at");
	copy(s, "duration_ms", rec, "ms");
	copy(s, "exit_code", rec, "exit");
	copy(s, "input", rec, "input");
	json_set(s, "result", json_object_get(get(rec, "result")));
	json_set(s, "error", json_object_get(get(rec, "error")));
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
	}
	json_object_put(rec);
	return 0;
}

int
record_read(const char *state_dir, const char *id, struct json_object **out)
{
	struct reader		 r = { 0 };
	struct journal_scan	 scan;
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
		if (errno == ENOENT)
			error("no execution '%s'", id);
		else
			error("cannot open '%s':", dir);
		free(dir);
		return errno == ENOENT ? EXIT_STATE : EXIT_IO;
	}
	r.doc = json_object_new_object();
	json_set(r.doc, "execution_id", json_str(id));
	json_set(r.doc, "workflow_name", NULL);
	json_set(r.doc, "status", NULL);
	json_set(r.doc, "started_at", NULL);
	json_set(r.doc, "completed_at", NULL);
	json_set(r.doc, "duration_ms", NULL);
	json_set(r.doc, "input", NULL);
	json_set(r.doc, "result", NULL);
	json_set(r.doc, "error", NULL);
	r.steps = json_object_new_array();
	json_set(r.doc, "steps", r.steps);
	r.by_key = json_object_new_object();
	r.path = dir;
	rc = journal_replay(dfd, "journal", on_record, &r, &scan);
	close(dfd);
	json_object_put(r.by_key);
	if (rc == -1 && !r.bad) {
		error("cannot read '%s/journal':", dir);
		rc = EXIT_IO;
	} else if (rc < 0 || get(r.doc, "workflow_name") == NULL) {
		error("execution '%s' is corrupt: bad record at byte %lld of "
		    "'%s/journal'", id, (long long)(r.bad ? scan.good :
		    scan.bad_at), dir);
		rc = EXIT_STATE;
	} else
		rc = 0;
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
	qsort(v, *n, sizeof *v, newest_first);
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
	qsort(v, *n, sizeof *v, newest_first);
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

void
record_public(struct json_object *doc)
{
	struct json_object	*steps = get(doc, "steps");
	size_t			 i;

	strip(doc);
	for (i = 0; steps != NULL && i < json_object_array_length(steps); i++)
		strip(json_object_array_get_idx(steps, i));
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
