/* recorder.c: writes an execution's record as it runs: folder, journal, summary. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "engine/exec.h"
#include "state/lock.h"
#include "engine/mask.h"
#include "state/record.h"
#include "state/usage.h"
#include "base/value.h"

#define RECORD_VERSION	1

/* mkdir -p for the state folders, each 0700. */
static int
make_dirs(const char *path)
{
	char	*p = xstrdup(path), *s;
	int	 rc = 0;

	for (s = p + 1; ; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		{
			char	c = *s;

			*s = '\0';
			if (mkdir(p, 0700) < 0 && errno != EEXIST) {
				rc = error("cannot create folder '%s':", p);
				break;
			}
			*s = c;
		}
		if (*s == '\0')
			break;
	}
	free(p);
	return rc;
}

static void
new_id(char *id, size_t len)
{
	unsigned char	r[2] = { 0, 0 };
	time_t		t = time(NULL);
	struct tm	tm;

	if (getrandom(r, sizeof r, 0) != sizeof r) {
		r[0] = (unsigned char)getpid();
		r[1] = (unsigned char)clock_mono_ns();
	}
	gmtime_r(&t, &tm);
	strftime(id, len, "%Y%m%d-%H%M%S", &tm);
	snprintf(id + 15, len - 15, "-%02x%02x", r[0], r[1]);
}

/* Serialises v, with the run's secrets masked. */
static void
add_json(struct exec *x, struct buf *b, struct json_object *v)
{
	struct json_object	*m = mask_json(x->mask, v);

	json_to_buf(b, m);
	json_object_put(m);
}

static int
append(struct exec *x, struct buf *b)
{
	int	rc = journal_append(&x->journal, b->s, b->len);

	buf_release(b);
	return rc;
}

static void
add_str(struct exec *x, struct buf *b, const char *key, const char *s)
{
	struct json_object	*v = json_object_new_string(s);

	buf_printf(b, ",\"%s\":", key);
	add_json(x, b, v);
	json_object_put(v);
}

int
record_sync(struct exec *x)
{
	return x->journal.path == NULL ? 0 : journal_sync(&x->journal);
}

/* The summary follows the journal: what it says is in the journal first. */
static int
write_summary(struct exec *x)
{
	struct buf	b = BUF_INIT;
	char		t[40];
	int		rc;

	if (record_sync(x) < 0)
		return -1;
	buf_printf(&b, "{\"execution_id\":\"%s\",\"workflow_name\":\"%s\","
	    "\"status\":\"%s\"", x->id, x->w->name,
	    exec_status_name(x->status));
	record_time(t, sizeof t, x->started_wall);
	buf_printf(&b, ",\"started_at\":\"%s\"", t);
	if (x->status != EX_RUNNING) {
		record_time(t, sizeof t, clock_wall_ns());
		buf_printf(&b, ",\"completed_at\":\"%s\",\"duration_ms\":%lld",
		    t, (long long)((clock_wall_ns() - x->started_wall) /
		    1000000));
	}
	if (x->opt.parent != NULL)
		buf_printf(&b, ",\"parent_execution_id\":\"%s\"", x->opt.parent);
	buf_printf(&b, ",\"pid\":%d}\n", (int)getpid());
	rc = state_replace(x->dirfd, "summary.json", b.s, b.len, x->opt.fsync);
	if (rc < 0)
		error("cannot write '%s/summary.json':", x->dir);
	buf_release(&b);
	return rc;
}

/*
 * Opens (making it first) a folder of the state, 0700, refusing to follow
 * a symbolic link at its end.  Returns the descriptor or -1.
 */
static int
open_state(const char *path)
{
	int	fd;

	if (make_dirs(path) < 0)
		return -1;
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 && errno == ELOOP)
		error("'%s' is a symbolic link, which muster does not follow",
		    path);
	else if (fd < 0)
		error("cannot open '%s':", path);
	return fd;
}

/* The journal's first record: what ran, with what, by whom. */
static int
record_start(struct exec *x)
{
	struct buf	b = BUF_INIT;
	char		t[40];
	size_t		i;

	record_time(t, sizeof t, x->started_wall);
	buf_printf(&b, "{\"t\":\"start\",\"v\":%d,\"id\":\"%s\","
	    "\"workflow\":\"%s\",\"at\":\"%s\",\"pid\":%d", RECORD_VERSION,
	    x->id, x->w->name, t, (int)getpid());
	if (x->opt.parent != NULL)
		buf_printf(&b, ",\"parent\":\"%s\"", x->opt.parent);
	buf_adds(&b, ",\"input\":");
	add_json(x, &b, x->input);
	/* Secrets resume must be given again: a default is the workflow's. */
	buf_adds(&b, ",\"secrets\":[");
	for (i = 0; i < x->w->args.n; i++) {
		const struct arg	*a = &x->w->args.args[i];

		if (a->secret && (a->def == NULL || !json_object_equal(a->def,
		    json_object_object_get(x->input, a->name))))
			buf_printf(&b, "%s\"%s\"", b.s[b.len - 1] == '[' ? "" :
			    ",", a->name);
	}
	buf_adds(&b, "]}");
	return append(x, &b);
}

/* Opens the journal, and names the folder for messages and children. */
static int
open_journal(struct exec *x)
{
	if ((x->dir_abs = realpath(x->dir, NULL)) == NULL)
		return error("cannot resolve '%s':", x->dir);
	return journal_open(&x->journal, x->dirfd, "journal", x->dir,
	    x->opt.fsync ? JOURNAL_SYNC : 0);
}

/*
 * An execution appears whole or not at all: it is built in a hidden
 * folder, its start recorded, then renamed to its id.
 */
int
record_create(struct exec *x)
{
	char	*state = record_state_dir(x->p), *execs, tmp[48];
	pid_t	 holder;
	int	 efd, tries, rc = -1;

	execs = xasprintf("%s/executions", state);
	free(state);
	if ((efd = open_state(execs)) < 0) {
		free(execs);
		return -1;
	}
	for (tries = 0; tries < 100; tries++) {
		new_id(x->id, sizeof x->id);
		snprintf(tmp, sizeof tmp, ".%s.new", x->id);
		if (faccessat(efd, x->id, F_OK, AT_SYMLINK_NOFOLLOW) < 0 &&
		    mkdirat(efd, tmp, 0700) == 0)
			break;
	}
	x->dir = xasprintf("%s/%s", execs, tmp);
	x->dirfd = openat(efd, tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC |
	    O_NOFOLLOW);
	if (x->dirfd < 0 || mkdirat(x->dirfd, "logs", 0700) < 0 ||
	    mkdirat(x->dirfd, "out", 0700) < 0)
		error("cannot create '%s':", x->dir);
	else if (lock_take(x->dirfd, "lock", 0, &x->lock_fd, &holder) !=
	    LOCK_TAKEN)
		error("cannot lock '%s/lock':", x->dir);
	else if (open_journal(x) == 0 && record_start(x) == 0 &&
	    write_summary(x) == 0) {
		if (renameat(efd, tmp, efd, x->id) < 0)
			error("cannot create '%s/%s':", execs, x->id);
		else if (x->opt.fsync && fsync(efd) < 0)
			error("cannot sync '%s':", execs);
		else
			rc = 0;
	}
	free(x->dir);
	x->dir = xasprintf("%s/%s", execs, rc == 0 ? x->id : tmp);
	if (rc < 0)
		record_remove(efd, tmp);
	else {
		/* The journal and children know the folder by its name. */
		free(x->dir_abs);
		free(x->journal.path);
		x->dir_abs = realpath(x->dir, NULL);
		x->journal.path = xasprintf("%s/journal", x->dir);
		if (x->dir_abs == NULL)
			rc = error("cannot resolve '%s':", x->dir);
	}
	close(efd);
	free(execs);
	return rc;
}

int
record_reopen(struct exec *x)
{
	struct buf	b = BUF_INIT;
	char		t[40];

	if (open_journal(x) < 0)
		return -1;
	record_time(t, sizeof t, clock_wall_ns());
	buf_printf(&b, "{\"t\":\"resume\",\"at\":\"%s\",\"pid\":%d}", t,
	    (int)getpid());
	if (append(x, &b) < 0)
		return -1;
	return write_summary(x);
}

int
record_lock_workflow(struct exec *x)
{
	char	*state, *locks, *name;
	pid_t	 holder;
	int	 fd, r, wait = x->w->concurrency == CONCURRENCY_WAIT;

	if (x->w->concurrency == CONCURRENCY_ALLOW)
		return 0;
	state = record_state_dir(x->p);
	locks = xasprintf("%s/locks", state);
	free(state);
	fd = open_state(locks);
	free(locks);
	if (fd < 0)
		return EXIT_IO;
	name = xasprintf("%s.lock", x->w->name);
	r = lock_take(fd, name, 0, &x->wflock_fd, &holder);
	if (r == LOCK_BUSY && wait) {
		fprintf(stderr, "muster: workflow '%s' is running (pid %d); "
		    "waiting for it to end\n", x->w->name, (int)holder);
		r = lock_take(fd, name, 1, &x->wflock_fd, &holder);
	}
	free(name);
	close(fd);
	if (r == LOCK_BUSY) {
		error("workflow '%s' is already running (pid %d), and its "
		    "concurrency is forbid", x->w->name, (int)holder);
		return EXIT_LOCKED;
	}
	if (r < 0) {
		error("cannot lock workflow '%s':", x->w->name);
		return EXIT_IO;
	}
	return 0;
}

int
record_job(struct exec *x, struct job *j)
{
	struct buf	b = BUF_INIT;
	char		t[40];

	record_time(t, sizeof t, clock_wall_ns());
	buf_printf(&b, "{\"t\":\"step\",\"k\":\"%s\",\"s\":\"%s\",\"a\":%d,"
	    "\"at\":\"%s\",\"h\":\"%016llx\"", j->key, status_name(j->status),
	    j->attempt, t, (unsigned long long)j->step->hash);
	if (j->step->kind == STEP_TOOL)
		add_str(x, &b, "tool", j->step->tool_name);
	if (j->status == ST_RUNNING) {
		buf_addc(&b, '}');
		return append(x, &b);
	}
	if (j->started_wall != 0) {
		record_time(t, sizeof t, j->started_wall);
		buf_printf(&b, ",\"from\":\"%s\",\"ms\":%lld", t,
		    (long long)((j->ended_ns - j->started_ns) / 1000000));
	}
	if (j->exit_code >= 0)
		buf_printf(&b, ",\"exit\":%d", j->exit_code);
	if (j->has_usage) {
		buf_adds(&b, ",\"ru\":");
		usage_to_buf(&b, &j->usage);
	}
	if (j->input != NULL) {
		buf_adds(&b, ",\"input\":");
		add_json(x, &b, j->input);
	}
	if (j->result != NULL && j->status == ST_COMPLETED) {
		buf_adds(&b, ",\"result\":");
		add_json(x, &b, j->result);
	}
	if (j->error != NULL)
		add_str(x, &b, "error", j->error);
	buf_addc(&b, '}');
	return append(x, &b);
}

int
record_job_pid(struct exec *x, struct job *j)
{
	struct buf	b = BUF_INIT;
	int		rc;

	buf_printf(&b, "{\"t\":\"pid\",\"k\":\"%s\",\"pid\":%d,\"ps\":%llu,"
	    "\"boot\":\"%s\"}", j->key, (int)j->proc->child.pid,
	    (unsigned long long)proc_start_time(j->proc->child.pid),
	    proc_boot_id());
	/* After a power cut no process of this boot is left to wait for. */
	rc = journal_append_lazy(&x->journal, b.s, b.len);
	buf_release(&b);
	return rc;
}

int
record_end(struct exec *x)
{
	struct buf	b = BUF_INIT;
	char		t[40];

	record_time(t, sizeof t, clock_wall_ns());
	buf_printf(&b, "{\"t\":\"end\",\"s\":\"%s\",\"at\":\"%s\",\"ms\":%lld",
	    exec_status_name(x->status), t,
	    (long long)((clock_wall_ns() - x->started_wall) / 1000000));
	buf_adds(&b, ",\"ru\":");
	usage_to_buf(&b, &x->usage);
	if (x->result != NULL) {
		buf_adds(&b, ",\"result\":");
		add_json(x, &b, x->result);
	}
	if (x->error != NULL)
		add_str(x, &b, "error", x->error);
	buf_addc(&b, '}');
	if (append(x, &b) < 0)
		return -1;
	return write_summary(x);
}

void
record_close(struct exec *x)
{
	if (x->journal.path != NULL)
		journal_close(&x->journal);
	if (x->dirfd >= 0)
		close(x->dirfd);
	if (x->lock_fd >= 0)
		close(x->lock_fd);
	if (x->wflock_fd >= 0)
		close(x->wflock_fd);
	x->dirfd = x->lock_fd = x->wflock_fd = -1;
}
