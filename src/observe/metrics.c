/* metrics.c: Prometheus metrics of workflow runs, in the text format. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "base/hmap.h"
#include "base/util.h"
#include "observe/metrics.h"
#include "state/lock.h"
#include "state/record.h"
#include "state/usage.h"

#define MAX_FILE	(64 << 20)	/* a metrics file read back, bytes */

/* The metrics, in the order they are written; counters accumulate. */
static const struct family {
	const char	*name, *type, *help;
	int		 step;		/* labelled by step too */
} families[] = {
	{ "muster_workflow_runs_total", "counter",
	  "Runs of the workflow that ended.", 0 },
	{ "muster_workflow_failures_total", "counter",
	  "Runs of the workflow that did not complete.", 0 },
	{ "muster_workflow_duration_seconds", "gauge",
	  "How long the last run of the workflow took.", 0 },
	{ "muster_workflow_last_run_timestamp_seconds", "gauge",
	  "When the last run of the workflow ended (Unix time).", 0 },
	{ "muster_workflow_last_success_timestamp_seconds", "gauge",
	  "When the last run of the workflow that completed ended.", 0 },
	{ "muster_step_duration_seconds", "gauge",
	  "How long the step took in the workflow's last run.", 1 },
	{ "muster_step_cpu_seconds", "gauge",
	  "CPU time (user and system) of the step's last attempt.", 1 },
	{ "muster_step_max_rss_bytes", "gauge",
	  "Largest resident set of the step's last attempt.", 1 },
	{ "muster_step_retries_total", "counter",
	  "Attempts of the step beyond the first, over all runs.", 1 },
};
enum { M_RUNS, M_FAILURES, M_DURATION, M_LAST_RUN, M_LAST_OK, M_STEP_DURATION,
	M_STEP_CPU, M_STEP_RSS, M_STEP_RETRIES };

struct series {
	char	*key;		/* in the index: see key_of() */
	int	 family;
	char	*workflow, *step;	/* step NULL: a workflow metric */
	double	 value;
};

struct metrics {
	struct hmap	 index;	/* family, workflow, step -> series */
	struct series	**all;
	size_t		  n, cap;
};

/* The index key: "FAMILY\x1fWORKFLOW\x1fSTEP". */
static char *
key_of(int family, const char *workflow, const char *step)
{
	return xasprintf("%d\x1f%s\x1f%s", family, workflow, step ? step : "");
}

static struct series *
series(struct metrics *m, int family, const char *workflow, const char *step)
{
	char		*key = key_of(family, workflow, step);
	struct series	*s = hmap_get(&m->index, key);

	if (s != NULL) {
		free(key);
		return s;
	}
	s = xcalloc(1, sizeof *s);
	s->key = key;
	s->family = family;
	s->workflow = xstrdup(workflow);
	s->step = families[family].step && step ? xstrdup(step) : NULL;
	hmap_put(&m->index, key, s);
	xgrow(&m->all, &m->cap, m->n + 1, sizeof *m->all);
	m->all[m->n++] = s;
	return s;
}

static void
metrics_release(struct metrics *m)
{
	size_t	i;

	for (i = 0; i < m->n; i++) {
		free(m->all[i]->key);
		free(m->all[i]->workflow);
		free(m->all[i]->step);
		free(m->all[i]);
	}
	free(m->all);
	hmap_release(&m->index);
}

static struct json_object *
get(struct json_object *o, const char *key)
{
	struct json_object	*v = NULL;

	json_object_object_get_ex(o, key, &v);
	return v;
}

/* An RFC 3339 time of doc as Unix seconds, or NAN. */
static double
seconds_at(struct json_object *doc, const char *key)
{
	const char	*s = json_object_get_string(get(doc, key));
	int64_t		 ns = s != NULL ? record_parse_time(s) : 0;

	return ns != 0 ? (double)ns / 1e9 : NAN;
}

static void
add_steps(struct metrics *m, const char *wf, struct json_object *steps)
{
	size_t	i;

	for (i = 0; i < json_object_array_length(steps); i++) {
		struct json_object	*s = json_object_array_get_idx(steps,
					    i);
		const char		*id = json_object_get_string(get(s,
					    "step_id"));
		struct proc_usage	 u;
		int			 a = json_object_get_int(get(s,
					    "attempts"));

		if (id == NULL)
			continue;
		series(m, M_STEP_RETRIES, wf, id)->value += a > 1 ? a - 1 : 0;
		if (get(s, "duration_ms") != NULL)
			series(m, M_STEP_DURATION, wf, id)->value =
			    json_object_get_double(get(s, "duration_ms")) / 1e3;
		if (usage_from_json(get(s, "rusage"), &u)) {
			series(m, M_STEP_CPU, wf, id)->value =
			    (double)usage_cpu_us(&u) / 1e6;
			series(m, M_STEP_RSS, wf, id)->value =
			    (double)u.max_rss_kb * 1024;
		}
	}
}

/* Adds one ended execution (a status document); a running one is left. */
static void
add_run(struct metrics *m, struct json_object *doc)
{
	const char	*wf = json_object_get_string(get(doc,
			    "workflow_name"));
	const char	*st = json_object_get_string(get(doc, "status"));
	double		 at = seconds_at(doc, "completed_at");

	if (wf == NULL || st == NULL || strcmp(st, "running") == 0)
		return;
	if (isnan(at))
		at = seconds_at(doc, "started_at");
	series(m, M_RUNS, wf, NULL)->value += 1;
	series(m, M_FAILURES, wf, NULL)->value += strcmp(st, "completed") != 0;
	if (get(doc, "duration_ms") != NULL)
		series(m, M_DURATION, wf, NULL)->value =
		    json_object_get_double(get(doc, "duration_ms")) / 1e3;
	if (!isnan(at))
		series(m, M_LAST_RUN, wf, NULL)->value = at;
	if (strcmp(st, "completed") == 0 && !isnan(at))
		series(m, M_LAST_OK, wf, NULL)->value = at;
	add_steps(m, wf, get(doc, "steps"));
}

static int
add_id(struct metrics *m, const char *state_dir, const char *id)
{
	struct json_object	*doc;
	int			 rc;

	if ((rc = record_read(state_dir, id, &doc)) != 0)
		return rc;
	record_liveness(state_dir, id, doc);
	add_run(m, doc);
	json_object_put(doc);
	return 0;
}

/* Every execution of the history, oldest first (so the last run wins). */
static void
from_history(struct metrics *m, const char *state_dir)
{
	char	**ids = NULL;
	size_t	  n = 0, i;

	if (record_list(state_dir, &ids, &n) < 0)
		n = 0;
	for (i = n; i-- > 0;) {
		/* A corrupt record is reported, and the rest still count. */
		add_id(m, state_dir, ids[i]);
		free(ids[i]);
	}
	free(ids);
}

static void
escape(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++)
		if (*s == '\\' || *s == '"')
			buf_printf(b, "\\%c", *s);
		else if (*s == '\n')
			buf_adds(b, "\\n");
		else
			buf_addc(b, *s);
}

static int
by_family(const void *a, const void *b)
{
	const struct series	*x = *(struct series *const *)a;
	const struct series	*y = *(struct series *const *)b;
	int			 c;

	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	if ((c = strcmp(x->workflow, y->workflow)) != 0)
		return c;
	return strcmp(x->step ? x->step : "", y->step ? y->step : "");
}

static void
format(struct buf *b, struct metrics *m)
{
	size_t	i;
	int	last = -1;

	xqsort(m->all, m->n, sizeof *m->all, by_family);
	for (i = 0; i < m->n; i++) {
		const struct series	*s = m->all[i];
		const struct family	*f = &families[s->family];

		if (s->family != last)
			buf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", f->name,
			    f->help, f->name, f->type);
		last = s->family;
		buf_printf(b, "%s{workflow=\"", f->name);
		escape(b, s->workflow);
		if (s->step != NULL) {
			buf_adds(b, "\",step=\"");
			escape(b, s->step);
		}
		buf_printf(b, "\"} %.15g\n", s->value);
	}
}

int
metrics_print(FILE *f, const char *state_dir)
{
	struct metrics	m = { HMAP_INIT, NULL, 0, 0 };
	struct buf	b = BUF_INIT;

	from_history(&m, state_dir);
	format(&b, &m);
	fwrite(b.s ? b.s : "", 1, b.len, f);
	buf_release(&b);
	metrics_release(&m);
	return ferror(f) ? error("cannot write the metrics:") : 0;
}

/* A label value of the text format, unescaped into b; the end, or NULL. */
static const char *
label_value(const char *p, struct buf *b)
{
	if (*p++ != '"')
		return NULL;
	for (; *p != '"'; p++) {
		if (*p == '\0')
			return NULL;
		if (*p == '\\') {
			p++;
			if (*p != '\\' && *p != '"' && *p != 'n')
				return NULL;
			buf_addc(b, *p == 'n' ? '\n' : *p);
		} else
			buf_addc(b, *p);
	}
	return p + 1;
}

/* One sample line: NAME{workflow="W"[,step="S"]} VALUE.  -1 when bad. */
static int
parse_line(struct metrics *m, const char *line)
{
	struct buf	 wf = BUF_INIT, step = BUF_INIT;
	const char	*p = strchr(line, '{');
	char		*end;
	size_t		 f;
	double		 v;
	int		 rc = -1;

	if (p == NULL)
		return -1;
	for (f = 0; f < nitems(families); f++)
		if (strlen(families[f].name) == (size_t)(p - line) &&
		    strncmp(families[f].name, line, (size_t)(p - line)) == 0)
			break;
	if (f == nitems(families) || strncmp(p, "{workflow=", 10) != 0 ||
	    (p = label_value(p + 10, &wf)) == NULL)
		goto out;
	if (families[f].step && (strncmp(p, ",step=", 6) != 0 ||
	    (p = label_value(p + 6, &step)) == NULL))
		goto out;
	if (*p++ != '}' || *p++ != ' ')
		goto out;
	v = strtod(p, &end);
	if (end == p || (*end != '\0' && *end != '\n'))
		goto out;
	series(m, (int)f, buf_str(&wf), buf_str(&step))->value = v;
	rc = 0;
out:
	buf_release(&wf);
	buf_release(&step);
	return rc;
}

/* Reads back a file this wrote: 1 read, 0 none there, -1 not ours. */
static int
read_back(struct metrics *m, const char *path)
{
	int	 fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	FILE	*f = fd >= 0 ? fdopen(fd, "r") : NULL;
	char	*line = NULL;
	size_t	 cap = 0;
	int	 rc = 1;

	if (f == NULL)
		return errno == ENOENT ? 0 : error("cannot read '%s':", path);
	while (rc == 1 && getline(&line, &cap, f) > 0)
		if (line[0] != '#' && line[0] != '\n' &&
		    parse_line(m, line) < 0)
			rc = error("'%s' is not a metrics file muster wrote; "
			    "counting again from the history", path);
	free(line);
	fclose(f);
	return rc;
}

static int
write_all(int fd, const char *p, size_t n)
{
	ssize_t	w;

	while (n > 0) {
		if ((w = write(fd, p, n)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Writes b to path by way of a temporary file beside it. */
static int
replace(const char *path, struct buf *b)
{
	char	*tmp = xasprintf("%s.%d.tmp", path, (int)getpid());
	int	 fd, rc = 0;

	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
	    0644);
	if (fd < 0) {
		rc = error("cannot write '%s':", tmp);
		free(tmp);
		return rc;
	}
	if (write_all(fd, b->s ? b->s : "", b->len) < 0 || fsync(fd) < 0)
		rc = error("cannot write '%s':", tmp);
	if (close(fd) < 0 && rc == 0)
		rc = error("cannot write '%s':", tmp);
	if (rc == 0 && rename(tmp, path) < 0)
		rc = error("cannot rename '%s' to '%s':", tmp, path);
	if (rc < 0)
		unlink(tmp);
	free(tmp);
	return rc;
}

/* Runs that end at once update the file one after the other. */
static int
lock_metrics(const char *state_dir)
{
	char	*locks = xasprintf("%s/locks", state_dir);
	pid_t	 holder;
	int	 dfd, fd = -1;

	mkdir(locks, 0700);
	if ((dfd = open(locks, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		if (lock_take(dfd, "metrics.lock", 1, &fd, &holder) !=
		    LOCK_TAKEN)
			fd = -1;
		close(dfd);
	}
	free(locks);
	return fd;
}

int
metrics_update(const char *path, const char *state_dir, const char *id)
{
	struct metrics	m = { HMAP_INIT, NULL, 0, 0 };
	struct buf	b = BUF_INIT;
	struct stat	st;
	int		lock, rc = 0;

	/* A device or a link would be read forever or replaced, not written. */
	if (lstat(path, &st) == 0 && (!S_ISREG(st.st_mode) ||
	    st.st_size > MAX_FILE))
		return error("cannot write metrics to '%s': not a regular file "
		    "of at most %d MiB", path, MAX_FILE >> 20);
	lock = lock_metrics(state_dir);
	switch (read_back(&m, path)) {
	case 1:
		rc = add_id(&m, state_dir, id) == 0 ? 0 : -1;
		break;
	case -1:
		metrics_release(&m);
		m = (struct metrics){ HMAP_INIT, NULL, 0, 0 };
		/* FALLTHROUGH */
	default:
		from_history(&m, state_dir);
	}
	if (rc == 0) {
		format(&b, &m);
		rc = replace(path, &b);
	}
	buf_release(&b);
	metrics_release(&m);
	if (lock >= 0)
		close(lock);
	return rc;
}
