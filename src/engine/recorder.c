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
#include "state/index.h"
#include "state/lock.h"
#include "engine/mask.h"
#include "engine/progress.h"
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

/*
 * Every record is a JSON object built with json-c, never by printing:
 * whatever a name or a value holds, the record stays one well-formed
 * object.  The object is consumed.
 */
static int
append(struct exec *x, struct json_object *o)
{
	struct buf	b = BUF_INIT;
	int		rc;

	json_to_buf(&b, o);
	json_object_put(o);
	rc = journal_append(&x->journal, b.s, b.len);
	buf_release(&b);
	return rc;
}

static void
set_time(struct json_object *o, const char *key, int64_t wall_ns)
{
	char	t[40];

	record_time(t, sizeof t, wall_ns);
	json_set(o, key, json_str(t));
}

/* A record's first fields: its type, then what the readers key it by. */
static struct json_object *
new_record(const char *type)
{
	struct json_object	*o = json_object_new_object();

	json_set(o, "t", json_str(type));
	return o;
}

/*
 * A step's arguments as recorded: its tool's (or child workflow's) secret
 * arguments by name, then the rest searched as rendered text.
 */
static struct json_object *
step_input(struct exec *x, struct job *j)
{
	const struct schema	*s = NULL;
	struct json_object	*bare, *m;

	if (j->step->kind == STEP_TOOL && j->step->tool_ref == TOOL_FILE &&
	    j->step->tool != NULL)
		s = &j->step->tool->args;
	else if (j->step->kind == STEP_TOOL && j->step->callee != NULL)
		s = &j->step->callee->args;
	bare = s != NULL ? mask_args(s, j->input) : json_object_get(j->input);
	m = mask_json(x->mask, bare);
	json_object_put(bare);
	return m;
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
	struct json_object	*o = json_object_new_object();
	struct buf		 b = BUF_INIT;
	struct tally		 t;
	int64_t			 now = clock_wall_ns();
	int			 rc;

	if (record_sync(x) < 0) {
		json_object_put(o);
		return -1;
	}
	json_set(o, "execution_id", json_str(x->id));
	json_set(o, "workflow_name", json_str(x->w->name));
	json_set(o, "status", json_str(exec_status_name(x->status)));
	set_time(o, "started_at", x->started_wall);
	if (x->status != EX_RUNNING) {
		set_time(o, "completed_at", now);
		json_set(o, "duration_ms", json_object_new_int64((now -
		    x->started_wall) / 1000000));
		if (x->error != NULL)
			json_set(o, "error", json_str(x->error));
		progress_tally(x, &t);
		json_set(o, "steps", progress_tally_json(&t));
	}
	if (x->opt.parent != NULL)
		json_set(o, "parent_execution_id", json_str(x->opt.parent));
	json_set(o, "pid", json_object_new_int((int)getpid()));
	json_to_buf(&b, o);
	buf_addc(&b, '\n');
	json_object_put(o);
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
	else if (record_dir_safe(fd, path) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * The journal's first record: what ran, with what, by whom.  The input
 * is masked by structure: a secret argument's value is "***", whatever
 * it is, and nothing else changes.
 */
static int
record_start(struct exec *x)
{
	struct json_object	*o = new_record("start"), *sec;
	size_t			 i;

	json_set(o, "v", json_object_new_int(RECORD_VERSION));
	json_set(o, "id", json_str(x->id));
	json_set(o, "workflow", json_str(x->w->name));
	set_time(o, "at", x->started_wall);
	json_set(o, "pid", json_object_new_int((int)getpid()));
	if (x->opt.parent != NULL)
		json_set(o, "parent", json_str(x->opt.parent));
	json_set(o, "input", mask_args(&x->w->args, x->input));
	/* Secrets resume must be given again: a default is the workflow's. */
	sec = json_object_new_array();
	for (i = 0; i < x->w->args.n; i++) {
		const struct arg	*a = &x->w->args.args[i];

		if (a->secret && (a->def == NULL || !json_object_equal(a->def,
		    json_object_object_get(x->input, a->name))))
			json_object_array_add(sec, json_str(a->name));
	}
	json_set(o, "secrets", sec);
	return append(x, o);
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
		if (faccessat(efd, x->id, F_OK, AT_SYMLINK_NOFOLLOW) == 0)
			continue;	/* that id is taken */
		if (mkdirat(efd, tmp, 0700) == 0)
			break;
		if (errno != EEXIST) {
			/* Read-only, full: say so, not what follows from it. */
			error("cannot create an execution in '%s':", execs);
			close(efd);
			free(execs);
			return -1;
		}
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
	if (rc == 0) {
		char	*st = record_state_dir(x->p);

		index_add(st, x->id);	/* history finds it without a listing */
		free(st);
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
	struct json_object	*o;

	if (open_journal(x) < 0)
		return -1;
	o = new_record("resume");
	set_time(o, "at", clock_wall_ns());
	json_set(o, "pid", json_object_new_int((int)getpid()));
	if (append(x, o) < 0)
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
	struct json_object	*o = new_record("step");
	char			 h[20];

	snprintf(h, sizeof h, "%016llx", (unsigned long long)j->step->hash);
	json_set(o, "k", json_str(j->key));
	json_set(o, "s", json_str(status_name(j->status)));
	json_set(o, "a", json_object_new_int(j->attempt));
	set_time(o, "at", clock_wall_ns());
	json_set(o, "h", json_str(h));
	if (j->step->kind == STEP_TOOL)
		json_set(o, "tool", json_str(j->step->tool_name));
	if (j->status == ST_RUNNING)
		return append(x, o);
	if (j->started_wall != 0) {
		set_time(o, "from", j->started_wall);
		json_set(o, "ms", json_object_new_int64((j->ended_ns -
		    j->started_ns) / 1000000));
	}
	if (j->exit_code >= 0)
		json_set(o, "exit", json_object_new_int(j->exit_code));
	if (j->has_usage)
		json_set(o, "ru", usage_to_json(&j->usage));
	if (j->input != NULL)
		json_set(o, "input", step_input(x, j));
	if (j->result != NULL && j->status == ST_COMPLETED)
		json_set(o, "result", mask_json(x->mask, j->result));
	if (j->error != NULL)
		json_set(o, "error", json_str(j->error));
	if (j->route != NULL)
		json_set(o, "route", json_str(route_action_name(
		    j->route->action)));
	/* A recovery without "recovered" had not ended: resume goes on. */
	if (j->recovery != RV_NONE)
		json_set(o, "redirect", json_str(j->route->target->id));
	if (j->recovery == RV_DONE || j->recovery == RV_FAILED)
		json_set(o, "recovered", json_object_new_boolean(
		    j->recovery == RV_DONE));
	return append(x, o);
}

int
record_slurm_job(struct exec *x, struct job *j, const char *id,
    const char *name)
{
	struct json_object	*o = new_record("slurm");

	json_set(o, "k", json_str(j->key));
	json_set(o, "a", json_object_new_int(j->attempt));
	json_set(o, "job", json_str(id));
	json_set(o, "name", json_str(name));
	if (append(x, o) < 0)
		return -1;
	return record_sync(x);
}

int
record_job_pid(struct exec *x, struct job *j)
{
	struct json_object	*o = new_record("pid");
	struct buf		 b = BUF_INIT;
	int			 rc;

	json_set(o, "k", json_str(j->key));
	json_set(o, "pid", json_object_new_int((int)j->proc->child.pid));
	json_set(o, "ps", json_object_new_int64((int64_t)proc_start_time(
	    j->proc->child.pid)));
	json_set(o, "boot", json_str(proc_boot_id()));
	json_to_buf(&b, o);
	json_object_put(o);
	/* After a power cut no process of this boot is left to wait for. */
	rc = journal_append_lazy(&x->journal, b.s, b.len);
	buf_release(&b);
	return rc;
}

int
record_step_checkpoint(struct exec *x, struct job *j)
{
	struct json_object	*done = json_object_new_array();
	size_t			 i;

	for (i = 0; i < x->njobs; i++)
		if (x->jobs[i]->status == ST_COMPLETED)
			json_object_array_add(done, json_str(x->jobs[i]->key));
	return append(x, record_checkpoint(j->step->checkpoint, j->key, done));
}

int
record_end(struct exec *x)
{
	struct json_object	*o = new_record("end");

	json_set(o, "s", json_str(exec_status_name(x->status)));
	set_time(o, "at", clock_wall_ns());
	json_set(o, "ms", json_object_new_int64((clock_wall_ns() -
	    x->started_wall) / 1000000));
	json_set(o, "ru", usage_to_json(&x->usage));
	if (x->result != NULL)
		json_set(o, "result", mask_json(x->mask, x->result));
	if (x->error != NULL)
		json_set(o, "error", json_str(x->error));
	if (x->output_lost)
		json_set(o, "output_lost", json_object_new_boolean(1));
	if (append(x, o) < 0)
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
