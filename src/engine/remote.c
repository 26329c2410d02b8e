/* remote.c: steps that run as Slurm jobs: submit, watch, reattach, cancel. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "base/value.h"
#include "engine/progress.h"
#include "engine/remote.h"
#include "engine/run.h"
#include "engine/tool.h"
#include "exec/executor.h"
#include "exec/slurm.h"

#define MS		((int64_t)1000000)
#define POLL_MIN	(50 * MS)	/* after something changed */
#define POLL_MAX	(5000 * MS)	/* when nothing does */
#define STATUS_GRACE	(15000 * MS)	/* a shared folder may lag */
#define STAT_EVERY	(100 * MS)	/* look for status files */
#define DOWN_MAX	(600000 * MS)	/* Slurm not answering: give up */

/* One Slurm job of this run. */
struct rjob {
	struct job		*j;
	char			*id;		/* NULL: none known */
	char			*rel;		/* slurm/KEY.ATTEMPT */
	bool			 cancel, cancel_sent;
	bool			 has_status;	/* its status file is there */
	int64_t			 ended_at;	/* gone, no status */
	struct slurm_state	 st;
};

struct remote {
	struct rjob		**v;
	size_t			  n, cap;
	int64_t			  next_poll, interval, poll_max;
	int64_t			  next_stat;
	int64_t			  down_since, down_max;	/* squeue failing */
	bool			  warned;
};

static struct remote *
remote_of(struct exec *x)
{
	const char	*s = getenv("MUSTER_SLURM_POLL_MAX");
	const char	*d = getenv("MUSTER_SLURM_DOWN_MAX");
	const char	*why;
	int64_t		 ns;

	if (x->remote != NULL)
		return x->remote;
	x->remote = xcalloc(1, sizeof *x->remote);
	x->remote->poll_max = POLL_MAX;
	if (s != NULL && duration_parse(s, &ns, &why) == 0 && ns >= POLL_MIN)
		x->remote->poll_max = ns;
	x->remote->down_max = DOWN_MAX;
	if (d != NULL && duration_parse(d, &ns, &why) == 0 && ns > 0)
		x->remote->down_max = ns;
	x->remote->interval = POLL_MIN;
	return x->remote;
}

static struct rjob *
rjob_of(struct exec *x, struct job *j)
{
	size_t	i;

	for (i = 0; x->remote != NULL && i < x->remote->n; i++)
		if (x->remote->v[i]->j == j)
			return x->remote->v[i];
	return NULL;
}

static void
poll_soon(struct remote *r)
{
	r->interval = POLL_MIN;
	r->next_poll = clock_mono_ns() + POLL_MIN;
}

bool
remote_wanted(struct exec *x, struct job *j, const struct invocation *inv)
{
	return !j->in_cond && x->dir != NULL && inv->kind == INV_PROC &&
	    executor_of(j->step, x->w, &x->p->config) == EXECUTOR_SLURM;
}

/* muster.<execution>.<step>[.<attempt>] */
static char *
job_name(struct exec *x, struct job *j, int attempt)
{
	return attempt > 1 ? xasprintf("muster.%s.%s.%d", x->id, j->key,
	    attempt) : xasprintf("muster.%s.%s", x->id, j->key);
}

static int
write_file(int dirfd, const char *name, const char *s, size_t len, int mode)
{
	int	fd, e;
	ssize_t	w;

	if ((fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_TRUNC |
	    O_CLOEXEC | O_NOFOLLOW, mode)) < 0)
		return -1;
	while (len > 0) {
		if ((w = write(fd, s, len)) < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			e = w < 0 ? errno : ENOSPC;
			close(fd);
			errno = e;
			return -1;
		}
		s += w;
		len -= (size_t)w;
	}
	return close(fd);
}

static void
add(struct exec *x, struct job *j, char *id, char *rel)
{
	struct remote	*r = remote_of(x);
	struct rjob	*rj = xcalloc(1, sizeof *rj);

	rj->j = j;
	rj->id = id;
	rj->rel = rel;
	xgrow(&r->v, &r->cap, r->n + 1, sizeof *r->v);
	r->v[r->n++] = rj;
	x->running++;
	poll_soon(r);
}

/*
 * A run: script waits in out/ for its shell, and resume clears out/ of
 * the scripts of dead runs.  A job may start long after a resume: its
 * script moves beside the job's other files (base.run.sh).
 */
static void
keep_script(struct job *j, struct invocation *inv, const char *base)
{
	char	*to;
	size_t	 i;

	if (j->proc->script_file == NULL)
		return;
	to = xasprintf("%s.run.sh", base);
	if (rename(j->proc->script_file, to) < 0) {
		free(to);
		return;
	}
	for (i = 0; i < inv->argv.n; i++)
		if (strcmp(inv->argv.v[i], j->proc->script_file) == 0) {
			free(inv->argv.v[i]);
			inv->argv.v[i] = xstrdup(to);
		}
	free(j->proc->script_file);
	j->proc->script_file = to;
}

int
remote_start(struct exec *x, struct job *j, struct invocation *inv,
    struct buf *err)
{
	struct slurm_job	 sj = { 0 };
	struct resources	 res;
	struct buf		 text = BUF_INIT;
	char			*rel, *base, *script, *st, *out, *er;
	char			*name, *id;
	int			 rc;

	if (mkdirat(x->dirfd, "slurm", 0700) < 0 && errno != EEXIST) {
		buf_printf(err, "cannot create '%s/slurm': %s", x->dir,
		    strerror(errno));
		return -1;
	}
	rel = xasprintf("slurm/%s.%d", j->key, j->attempt);
	base = xasprintf("%s/%s", x->dir_abs, rel);
	script = xasprintf("%s.sh", base);
	st = xasprintf("%s.status", base);
	out = xasprintf("%s.out", base);
	er = xasprintf("%s.err", base);
	name = job_name(x, j, j->attempt);
	keep_script(j, inv, base);
	slurm_script(&text, inv->argv.v, inv->env.v, inv->dir, st, name);
	unlink(st);
	rc = write_file(x->dirfd, script + strlen(x->dir_abs) + 1, text.s,
	    text.len, 0700);
	if (rc < 0)
		buf_printf(err, "cannot write the job script '%s': %s",
		    script, strerror(errno));
	executor_resources(j->step, x->w, &x->p->config, &res);
	sj.name = name;
	sj.script = script;
	sj.out = out;
	sj.err = er;
	sj.res = &res;
	sj.time_ns = j->step->timeout_ns > 0 ? j->step->timeout_ns :
	    inv->timeout_ns;
	if (rc == 0 && (rc = slurm_submit(&sj, &id, err)) == 0) {
		/* The job id goes into the journal before muster waits. */
		if (record_slurm_job(x, j, id, name) < 0)
			x->io_failed = x->stopping = true;
		add(x, j, id, rel);
		rel = NULL;
	} else
		unlink(script);
	buf_release(&text);
	free(rel);
	free(base);
	free(script);
	free(st);
	free(out);
	free(er);
	free(name);
	return rc;
}

static bool
status_there(struct exec *x, const char *rel)
{
	char	*name = xasprintf("%s.status", rel);
	bool	 there = faccessat(x->dirfd, name, F_OK, 0) == 0;

	free(name);
	return there;
}

bool
remote_reattach(struct exec *x, struct job *j)
{
	const struct step	*s = j->step;
	struct prior_step	*ps;
	char			*rel, *id = NULL, *name;
	int64_t			 t;

	if (!x->resumed || x->prior == NULL || x->dir == NULL ||
	    (s->kind != STEP_RUN && !(s->kind == STEP_TOOL &&
	    s->tool_ref == TOOL_FILE)) ||
	    executor_of(s, x->w, &x->p->config) != EXECUTOR_SLURM ||
	    (ps = hmap_get(&x->prior->steps, j->key)) == NULL)
		return false;
	/* Whatever happens, a new attempt gets a new job name. */
	if (strcmp(ps->status, "running") != 0 || ps->hash != s->hash) {
		j->attempt = ps->attempts;
		return false;
	}
	rel = xasprintf("slurm/%s.%d", j->key, ps->attempts);
	if (ps->job != NULL && ps->job_attempt == ps->attempts)
		id = xstrdup(ps->job);
	/* Killed between sbatch and the journal: Slurm knows the name. */
	name = job_name(x, j, ps->attempts);
	if (id == NULL && !status_there(x, rel))
		id = slurm_find(name);
	free(name);
	if (id == NULL && !status_there(x, rel)) {
		free(rel);
		j->attempt = ps->attempts;
		return false;
	}
	j->attempt = ps->attempts;
	j->status = ST_RUNNING;
	free(j->proc->out_file);
	j->proc->out_file = xasprintf("%s/out/%s.%d", x->dir_abs, j->key,
	    j->attempt);
	if (record_job(x, j) < 0)
		x->io_failed = x->stopping = true;
	progress_clear(x->prog);
	fprintf(stderr, "muster: step '%s': watching Slurm job %s again\n",
	    j->key, id != NULL ? id : "(ended)");
	add(x, j, id, rel);
	j->phase = PH_RUN;
	t = s->timeout_ns > 0 ? s->timeout_ns : s->tool != NULL &&
	    s->kind == STEP_TOOL ? s->tool->timeout_ns : 0;
	j->proc->timeout = t;
	j->deadline = t > 0 ? clock_mono_ns() + t : 0;
	/* The script a run: step's job reads: removed when it has ended. */
	free(j->proc->script_file);
	j->proc->script_file = xasprintf("%s/%s.run.sh", x->dir_abs, rel);
	j->timed_out = false;
	j->kill_at = 0;
	active_add(x, j);
	progress_step(x->prog, x, j, SE_STARTED);
	return true;
}

bool
remote_cancel(struct exec *x, struct job *j)
{
	struct rjob	*rj = rjob_of(x, j);

	if (rj == NULL)
		return false;
	if (!rj->cancel) {
		rj->cancel = true;
		x->remote->next_poll = clock_mono_ns();
	}
	return true;
}

int64_t
remote_deadline(struct exec *x, int64_t d)
{
	struct remote	*r = x->remote;
	int64_t		 t;

	if (r == NULL || r->n == 0)
		return d;
	t = r->next_stat < r->next_poll ? r->next_stat : r->next_poll;
	if (t <= 0)	/* not looked yet: now (0 would mean "never") */
		t = 1;
	return d == 0 || t < d ? t : d;
}

static void
drop_files(struct exec *x, const char *rel)
{
	static const char *const	 ext[] = { "sh", "out", "err",
					    "status", "run.sh" };
	size_t				 i;

	for (i = 0; i < nitems(ext); i++) {
		char	*name = xasprintf("%s.%s", rel, ext[i]);

		unlinkat(x->dirfd, name, 0);
		free(name);
	}
}

/* The exit status the job script stored: 0..255, or -1. */
static int
read_status(struct exec *x, const char *rel)
{
	char	*name = xasprintf("%s.status", rel), b[16];
	int	 fd = openat(x->dirfd, name, O_RDONLY | O_CLOEXEC |
		    O_NOFOLLOW);
	ssize_t	 n = fd >= 0 ? read(fd, b, sizeof b - 1) : -1;

	if (fd >= 0)
		close(fd);
	free(name);
	if (n <= 0)
		return -1;
	b[n] = '\0';
	return b[0] >= '0' && b[0] <= '9' ? atoi(b) : -1;
}

/* A job left the queue: its step's attempt ends. */
static void
finish(struct exec *x, size_t i, int code, const char *why)
{
	struct remote	*r = x->remote;
	struct rjob	*rj = r->v[i];
	struct job	*j = rj->j;
	char		*out = xasprintf("%s/%s.out", x->dir_abs, rj->rel);
	char		*err = xasprintf("%s/%s.err", x->dir_abs, rj->rel);

	r->v[i] = r->v[--r->n];
	x->running--;
	active_del(x, j);
	job_ended_elsewhere(x, j, code, why, out, err);
	/* On record now: what the job left behind can go. */
	if (!x->io_failed)
		drop_files(x, rj->rel);
	free(out);
	free(err);
	free(rj->id);
	free(rj->rel);
	free(rj);
}

static void
send_cancels(struct exec *x, struct remote *r)
{
	char		**ids = xcalloc(r->n + 1, sizeof *ids);
	struct buf	  err = BUF_INIT;
	size_t		  i, n = 0;

	for (i = 0; i < r->n; i++)
		if (r->v[i]->cancel && !r->v[i]->cancel_sent &&
		    r->v[i]->id != NULL) {
			ids[n++] = r->v[i]->id;
			r->v[i]->cancel_sent = true;
		}
	if (n > 0 && slurm_cancel(ids, n, &err) < 0) {
		progress_clear(x->prog);
		fprintf(stderr, "muster: cannot cancel Slurm jobs: %s\n",
		    buf_str(&err));
	}
	buf_release(&err);
	free(ids);
}

/* Decides about job i, whose state squeue told; true when it ended. */
static bool
settle(struct exec *x, size_t i, int64_t now)
{
	struct rjob	*rj = x->remote->v[i];
	struct buf	 why = BUF_INIT;
	int		 code;

	/* Its script ended: Slurm's cleaning up is no longer the step. */
	if (slurm_active(rj->st.state) && !(rj->has_status &&
	    strcmp(rj->st.state, "COMPLETING") == 0))
		return false;
	if ((code = read_status(x, rj->rel)) >= 0) {
		finish(x, i, code, NULL);
		return true;
	}
	/* The script ran to its end: its status file is on its way. */
	if (rj->ended_at == 0)
		rj->ended_at = now;
	if (!rj->cancel && (strcmp(rj->st.state, "COMPLETED") == 0 ||
	    strcmp(rj->st.state, "FAILED") == 0) &&
	    now - rj->ended_at < STATUS_GRACE)
		return false;
	if (rj->st.state[0] == '\0' && rj->id != NULL)
		slurm_acct(rj->id, &rj->st);
	if (!rj->cancel)
		slurm_explain(&why, rj->id != NULL ? rj->id : "?",
		    rj->st.state, rj->st.reason);
	finish(x, i, -1, why.len > 0 ? buf_str(&why) : NULL);
	buf_release(&why);
	return true;
}

/*
 * squeue fails: the jobs whose script ended (their status file is there)
 * end with its status; after down_max without an answer, the others
 * fail, for muster cannot tell what became of them.
 */
static void
squeue_failed(struct exec *x, struct remote *r, int64_t now, const char *err)
{
	struct buf	why = BUF_INIT, d = BUF_INIT;
	size_t		i;
	int		code;

	for (i = r->n; i-- > 0;)
		if ((code = read_status(x, r->v[i]->rel)) >= 0)
			finish(x, i, code, NULL);
	if (now - r->down_since < r->down_max)
		return;
	duration_format(&d, r->down_max);
	for (i = r->n; i-- > 0;) {
		buf_truncate(&why, 0);
		buf_printf(&why, "Slurm has not answered for %s (%s); job %s "
		    "may still run: see to it (scancel %s) once Slurm is back",
		    buf_str(&d), err, r->v[i]->id != NULL ? r->v[i]->id : "?",
		    r->v[i]->id != NULL ? r->v[i]->id : "JOBID");
		finish(x, i, -1, buf_str(&why));
	}
	buf_release(&why);
	buf_release(&d);
}

void
remote_poll(struct exec *x)
{
	struct remote		*r = x->remote;
	struct slurm_state	*st;
	struct buf		 err = BUF_INIT;
	char			**ids;
	size_t			 i, n = 0;
	int64_t			 now = clock_mono_ns();
	bool			 changed = false;

	if (r == NULL || r->n == 0)
		return;
	/*
	 * A status file (a stat, no load on Slurm) says a job's script has
	 * ended: then squeue is asked at once, not at the slow interval.
	 */
	if (now >= r->next_stat) {
		r->next_stat = now + STAT_EVERY;
		for (i = 0; i < r->n; i++)
			if (!r->v[i]->has_status &&
			    status_there(x, r->v[i]->rel)) {
				r->v[i]->has_status = true;
				r->next_poll = now;
			}
	}
	if (now < r->next_poll)
		return;
	send_cancels(x, r);
	ids = xcalloc(r->n + 1, sizeof *ids);
	st = xcalloc(r->n + 1, sizeof *st);
	for (i = 0; i < r->n; i++)
		if (r->v[i]->id != NULL)
			ids[n++] = r->v[i]->id;
	if (slurm_query(ids, n, st, &err) < 0) {
		if (!r->warned) {
			progress_clear(x->prog);
			fprintf(stderr, "muster: cannot ask Slurm about its "
			    "jobs (trying again): %s\n", buf_str(&err));
		}
		r->warned = true;
		if (r->down_since == 0)
			r->down_since = now;
		squeue_failed(x, r, now, buf_str(&err));
		r->next_poll = now + r->poll_max;
		goto out;
	}
	r->warned = false;
	r->down_since = 0;
	for (i = 0, n = 0; i < r->n; i++)
		r->v[i]->st = r->v[i]->id != NULL ? st[n++] :
		    (struct slurm_state){ "", "" };
	for (i = r->n; i-- > 0;)
		changed |= settle(x, i, now);
	/* A job whose script ended leaves the queue soon: look again. */
	for (i = 0; i < r->n; i++)
		changed |= r->v[i]->has_status;
	if (changed)
		r->interval = POLL_MIN;
	else if ((r->interval = r->interval * 3 / 2) > r->poll_max)
		r->interval = r->poll_max;
	r->next_poll = now + r->interval;
out:
	free(ids);
	free(st);
	buf_release(&err);
}

void
remote_free(struct exec *x)
{
	struct remote	*r = x->remote;
	size_t		 i;

	if (r == NULL)
		return;
	for (i = 0; i < r->n; i++) {
		free(r->v[i]->id);
		free(r->v[i]->rel);
		free(r->v[i]);
	}
	free(r->v);
	free(r);
	x->remote = NULL;
}
