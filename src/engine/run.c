/* run.c: running an execution: the event loop, limits, signals, the end. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "def/graph.h"
#include "engine/progress.h"
#include "engine/remote.h"
#include "state/record.h"
#include "engine/render.h"
#include "engine/run.h"
#include "mcp/mcp.h"
#include "engine/tool.h"
#include "base/value.h"

#define SIGNAL_GRACE	(2 * (int64_t)1000000000)

static int
limit_of(const struct run_opts *o, const struct workflow *w)
{
	long	fds = (proc_fd_limit() - 64) / 3;
	int	n = o->jobs;

	if (w->max_parallel > 0 && (n == 0 || w->max_parallel < n))
		n = w->max_parallel;
	/* Each process holds two pipes and maybe two logs open. */
	if (n == 0 || n > fds)
		n = fds > 0 ? (int)fds : 1;
	return n;
}

int
exec_prepare(struct exec *x, struct project *p, struct workflow *w,
    struct json_object *input, const struct run_opts *o)
{
	char	self[4096];
	ssize_t	n;
	size_t	i;

	memset(x, 0, sizeof *x);
	x->p = p;
	x->w = w;
	x->opt = *o;
	x->dirfd = x->lock_fd = x->wflock_fd = -1;
	x->journal.fd = -1;
	x->input = json_object_get(input);
	x->results = json_object_new_object();
	x->steps = json_object_new_object();
	x->last_iter = json_object_new_object();
	x->mask = mask_new();
	mask_add_secrets(x->mask, &w->args, input);
	x->top = xcalloc(w->nsteps + 1, sizeof *x->top);
	for (i = 0; i < w->nsteps; i++) {
		struct job	*j = job_new(x, w->steps[i],
				    xstrdup(w->steps[i]->id), NULL);

		j->index = (unsigned)i;
		j->waiting = (unsigned)w->steps[i]->ndeps;
		x->top[i] = j;
	}
	x->cleanups = xcalloc(w->non_failure + 1, sizeof *x->cleanups);
	for (i = 0; i < w->non_failure; i++) {
		x->cleanups[i] = job_new(x, w->on_failure[i],
		    xstrdup(w->on_failure[i]->id), NULL);
		x->cleanups[i]->cleanup = true;
	}
	graph_users(w, &x->users_start, &x->users);
	proc_raise_fd_limit();
	x->limit = limit_of(o, w);
	n = readlink("/proc/self/exe", self, sizeof self - 1);
	x->self = xstrdup(n > 0 ? (self[n] = '\0', self) : "muster");
	return 0;
}

/* Starts what is ready, within the limit, unless the run is stopping. */
static void
start_ready(struct exec *x)
{
	while (x->rhead < x->rtail) {
		struct job	*j = x->ready[x->rhead % x->rcap];

		if (j->blocked) {
			x->rhead++;
			j->phase = PH_WAITING;
			continue;
		}
		if ((x->stopping && !j->cleanup) ||
		    x->running >= (size_t)x->limit)
			return;
		x->rhead++;
		job_start(x, j);
	}
}

/* Nothing runs and nothing more can start. */
static bool
idle(struct exec *x)
{
	size_t	i;

	if (x->running > 0 || (x->rhead < x->rtail && !x->stopping))
		return false;
	for (i = 0; i < x->nactive; i++)
		if (x->active[i]->phase == PH_RETRY)
			return false;
	return true;
}

static int64_t
next_deadline(struct exec *x)
{
	int64_t	d = x->timed_out ? 0 : x->deadline;
	size_t	i;

	for (i = 0; i < x->nactive; i++) {
		struct job	*j = x->active[i];

		if (j->deadline > 0 && !j->timed_out &&
		    (d == 0 || j->deadline < d))
			d = j->deadline;
		if (j->kill_at > 0 && (d == 0 || j->kill_at < d))
			d = j->kill_at;
	}
	return remote_deadline(x, d);
}

/* Stops everything: signal (or SIGTERM) to every running group. */
static void
stop_all(struct exec *x, int sig, const char *why)
{
	size_t	i;

	x->stopping = true;
	for (i = x->nactive; i-- > 0;) {
		struct job	*j = x->active[i];

		if (j->phase == PH_RETRY) {
			active_del(x, j);
			job_finish(x, j, ST_FAILED, why);
		} else
			job_kill(x, j, sig, SIGNAL_GRACE);
	}
}

/*
 * muster pause leaves a mark, then sends SIGUSR1: nothing new starts, what
 * runs finishes, and the run ends "paused".  Taking the mark away tells
 * muster pause the request was taken.
 */
static void
on_pause(struct exec *x)
{
	if (x->dirfd < 0 || faccessat(x->dirfd, "pause", F_OK, 0) < 0 ||
	    x->pausing)
		return;
	x->pausing = x->stopping = true;
	unlinkat(x->dirfd, "pause", 0);
	progress_clear(x->prog);
	fprintf(stderr, "muster: pausing: no step starts now; %zu running "
	    "finish%s\n", x->running, x->running == 1 ? "es" : "");
}

static void
on_signal(struct exec *x, int sig)
{
	size_t	i;

	if (sig == SIGUSR1) {
		on_pause(x);
		return;
	}
	x->nsignals++;
	if (x->signal != 0) {
		/* Asked twice: no more waiting, and no cleanup. */
		for (i = 0; i < x->nactive; i++)
			job_kill(x, x->active[i], SIGKILL, 0);
		return;
	}
	x->signal = sig;
	/* muster cancel leaves a mark, then sends SIGTERM. */
	x->cancelled = sig == SIGTERM && x->dirfd >= 0 &&
	    faccessat(x->dirfd, "cancel", F_OK, 0) == 0;
	progress_clear(x->prog);
	fprintf(stderr, "muster: %s: stopping the steps that run\n",
	    x->cancelled ? "cancelled" : sigabbrev_np(sig));
	stop_all(x, sig, x->cancelled ? "cancelled" : "interrupted");
}

static void
timers(struct exec *x)
{
	int64_t	now = clock_mono_ns();
	size_t	i;

	if (x->deadline > 0 && !x->timed_out && now >= x->deadline) {
		x->timed_out = true;
		free(x->error);
		x->error = xstrdup("the workflow timed out");
		stop_all(x, SIGTERM, "the workflow timed out");
	}
	for (i = x->nactive; i-- > 0;) {
		struct job	*j = x->active[i];

		if ((j->deadline > 0 && now >= j->deadline && !j->timed_out) ||
		    (j->kill_at > 0 && now >= j->kill_at))
			job_deadline(x, j);
	}
	remote_poll(x);
}

static void
dispatch(struct exec *x, const struct proc_event *ev)
{
	struct job	*j;

	switch (ev->kind) {
	case PROC_EV_READ:
		job_read(x, x->jobs[ev->tag >> 1], (int)(ev->tag & 1));
		break;
	case PROC_EV_CHILD:
		if ((j = job_by_pid(x, ev->pid)) == NULL)
			break;
		proc_usage_add(&x->usage, &ev->usage);
		if (!j->in_cond) {
			j->usage = ev->usage;
			j->has_usage = true;
		}
		job_exited(x, j, ev->status);
		break;
	case PROC_EV_SIGNAL:
		on_signal(x, ev->sig);
		break;
	case PROC_EV_TIMEOUT:
		break;
	}
}

/*
 * .failure for the onFailure steps: the first step that failed (for good)
 * and why, and what ended the run: failed, timed_out, interrupted or
 * cancelled.
 */
static struct json_object *
failure_doc(struct exec *x)
{
	struct json_object	*f = json_object_new_object();
	const struct job	*first = NULL;
	char			 why[64];
	size_t			 i;

	for (i = 0; i < x->njobs; i++) {
		const struct job	*j = x->jobs[i];

		if (j->status == ST_FAILED && j->step->nsub == 0 &&
		    !j->cleanup && !job_tolerated(j) && (first == NULL ||
		    j->ended_ns < first->ended_ns))
			first = j;
	}
	snprintf(why, sizeof why, "interrupted by SIG%s", x->signal ?
	    sigabbrev_np(x->signal) : "TERM");
	json_set(f, "reason", json_str(x->cancelled ? "cancelled" :
	    x->signal ? "interrupted" : x->timed_out ? "timed_out" :
	    "failed"));
	json_set(f, "step", first ? json_str(first->key) : NULL);
	json_set(f, "error", json_str(first && first->error ? first->error :
	    x->cancelled ? "cancelled" : x->signal ? why : x->error ?
	    x->error : "failed"));
	return f;
}

/*
 * The onFailure steps, one after the other, once the run has failed, timed
 * out, or was stopped by a signal or cancel (not after a second signal).
 */
static bool
next_cleanup(struct exec *x)
{
	if ((!x->failed && x->signal == 0) || x->nsignals > 1 ||
	    x->io_failed || x->ncleanup >= x->w->non_failure ||
	    x->cleanup != NULL)
		return false;
	if (!x->in_cleanup) {
		/* What was ready will not start now. */
		while (x->rhead < x->rtail)
			x->ready[x->rhead++ % x->rcap]->phase = PH_WAITING;
		x->in_cleanup = true;
		json_set(x->root, "failure", failure_doc(x));
	}
	x->cleanup = x->cleanups[x->ncleanup];
	job_ready(x, x->cleanup);
	return true;
}

static int
loop(struct exec *x)
{
	struct proc_event	ev[64];
	int			n, i;

	for (;;) {
		start_ready(x);
		if (idle(x)) {
			if (next_cleanup(x))
				continue;
			return 0;
		}
		/* With --fsync, what happened is on disk before muster waits. */
		if (!x->opt.no_record && record_sync(x) < 0)
			x->io_failed = x->stopping = true;
		n = proc_wait(progress_deadline(x->prog, next_deadline(x)), ev,
		    (int)nitems(ev));
		if (n < 0)
			return error("waiting for steps:");
		for (i = 0; i < n; i++)
			dispatch(x, &ev[i]);
		timers(x);
		progress_tick(x->prog, x);
	}
}

/* The result document: the output template, else the chosen results. */
static int
make_result(struct exec *x)
{
	struct buf	err = BUF_INIT;
	char		*m;
	size_t		i;

	if (x->w->output != NULL) {
		if (render_value(x->w->output, x->root, &x->result, &err) == 0)
			return 0;
		m = mask_str(x->mask, buf_str(&err));
		free(x->error);
		x->error = xasprintf("output: %s", m);
		free(m);
		buf_release(&err);
		return -1;
	}
	/* Without an output block: the steps marked `output: true`. */
	x->result = json_object_new_object();
	for (i = 0; i < x->njobs; i++) {
		struct job	*j = x->jobs[i];

		if (j->step->output && j->result != NULL)
			json_set(x->result, j->key, json_object_get(j->result));
	}
	/* None marked: every result, under every name templates know. */
	if (x->w->all_results) {
		json_object_object_foreach(x->results, k, v)
			json_set(x->result, k, json_object_get(v));
	}
	return 0;
}

/* Containers whose steps did not all run did not finish. */
static void
sweep(struct exec *x)
{
	size_t	i;

	for (i = 0; i < x->njobs; i++) {
		struct job	*j = x->jobs[i];

		/* A paused run leaves them to resume. */
		if (j->phase == PH_CHILDREN && !(x->pausing && !x->failed &&
		    x->signal == 0)) {
			job_finish(x, j, ST_FAILED,
			    "stopped before its steps had all run");
			x->failed = true;
		}
	}
}

/* The stdio MCP servers the steps shared stop with the execution. */
static void
stop_mcp(struct exec *x)
{
	char	*dir;

	if (x->dir_abs == NULL)
		return;
	dir = xasprintf("%s/mcp", x->dir_abs);
	mcp_brokers_stop(dir);
	free(dir);
}

/*
 * An execution that did not complete says why: its first failed step and
 * that step's error, or what stopped it.
 */
static void
explain(struct exec *x)
{
	struct job	*first = NULL;
	size_t		 i;

	if (x->status == EX_COMPLETED || x->status == EX_RUNNING ||
	    x->status == EX_PAUSED || x->error != NULL)
		return;
	if (x->status == EX_CANCELLED || x->status == EX_INTERRUPTED) {
		x->error = x->cancelled ? xstrdup("cancelled") :
		    xasprintf("interrupted by SIG%s", sigabbrev_np(x->signal));
		return;
	}
	for (i = 0; i < x->njobs; i++) {
		struct job	*j = x->jobs[i];

		if (j->status == ST_FAILED && !job_tolerated(j) &&
		    (first == NULL || j->ended_ns < first->ended_ns))
			first = j;
	}
	if (first != NULL)
		x->error = xasprintf("step '%s' failed: %s", first->key,
		    first->error != NULL ? first->error : "failed");
	else if (x->io_failed)
		x->error = xstrdup("the record could not be written");
}

static void
conclude(struct exec *x)
{
	if (x->signal != 0) {
		x->status = x->cancelled ? EX_CANCELLED : EX_INTERRUPTED;
		if (x->cancelled)
			unlinkat(x->dirfd, "cancel", 0);
	}
	else if (x->timed_out)
		x->status = EX_TIMED_OUT;
	else if (x->failed || x->io_failed)
		x->status = EX_FAILED;
	else if (x->pausing)
		x->status = EX_PAUSED;
	else if (make_result(x) < 0)
		x->status = EX_FAILED;
	else
		x->status = EX_COMPLETED;
	explain(x);
	if (x->io_failed)
		x->exit_code = EXIT_IO;
	else if (x->timed_out)
		x->exit_code = EXIT_TIMEOUT;
	else if (x->status == EX_FAILED)
		x->exit_code = EXIT_STEP_FAILED;
	else if (x->status == EX_PAUSED)
		x->exit_code = EXIT_PAUSED;
	else
		x->exit_code = EXIT_OK;
}

/* Dies of the signal that stopped the run, so the shell sees 128+N. */
static void
die_of(int sig)
{
	sigset_t	set;

	fflush(stdout);
	fflush(stderr);
	signal(sig, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
	_exit(128 + sig);
}

static void
warn_short(const char *name)
{
	fprintf(stderr, "muster: secret argument '%s' is shorter than %d "
	    "characters: the record hides it, but step output is not "
	    "searched for it\n", name, MASK_MIN_TEXT);
}

int
exec_run(struct exec *x)
{
	struct json_object	*e;
	struct progress		 prog;
	char			 t[40];
	size_t			 i;
	int			 rc;

	x->started_ns = clock_mono_ns();
	if (x->started_wall == 0)	/* a resume keeps the first start */
		x->started_wall = clock_wall_ns();
	x->prog = &prog;
	/* From here a signal waits for the loop instead of killing muster. */
	if (proc_loop_init() < 0)
		return error("cannot watch processes:"), EXIT_IO;
	if (!x->opt.no_record) {
		if ((rc = record_lock_workflow(x)) != 0)
			return rc;
		if ((x->resumed ? record_reopen(x) : record_create(x)) < 0)
			return EXIT_IO;
		if (x->verbose >= 0)	/* -q: quiet unless it fails */
			fprintf(stderr, "muster: %sexecution %s\n",
			    x->resumed ? "resuming " : "", x->id);
	}
	if (!x->opt.silent)
		mask_short_secrets(&x->w->args, x->input, warn_short);
	record_time(t, sizeof t, x->started_wall);
	e = json_object_new_object();
	json_set(e, "id", json_str(x->id));
	json_set(e, "workflow", json_str(x->w->name));
	json_set(e, "startedAt", json_str(t));
	x->root = render_root(x->input, x->results, x->steps, e, NULL);
	json_object_put(e);
	tool_base_env(x->p, x->id, x->w->name);
	progress_init(&prog, x->opt.result_json || x->opt.silent ? -1 :
	    x->verbose, x->color, x->json);
	prog.silent = x->opt.silent;
	/* One step alone: its output is the run's output. */
	if (x->w->nsteps == 1 && x->w->steps[0]->nsub == 0 && !x->opt.silent &&
	    x->verbose >= 0)
		prog.stream = 1;
	progress_run_started(&prog, x);
	if (x->w->timeout_ns > 0 || x->opt.timeout_ns > 0)
		x->deadline = x->started_ns + (x->opt.timeout_ns > 0 ?
		    x->opt.timeout_ns : x->w->timeout_ns);
	for (i = 0; i < x->w->nsteps; i++)
		if (x->top[i]->waiting == 0)
			job_ready(x, x->top[i]);
	rc = loop(x);
	if (rc < 0)
		x->io_failed = true;
	stop_mcp(x);
	sweep(x);
	conclude(x);
	/* A reader that went away (SIGPIPE is ignored) or a full disk: the
	 * run went on; its record says what was not seen. */
	if (fflush(stdout) != 0 || ferror(stdout) || fflush(stderr) != 0 ||
	    ferror(stderr))
		x->output_lost = true;
	if (!x->opt.no_record && record_end(x) < 0 && x->exit_code == 0)
		x->exit_code = EXIT_IO;
	progress_run_finished(&prog, x);
	if (x->opt.result_json && x->status == EX_COMPLETED)
		json_print(stdout, x->result);
	else if (x->w->output != NULL && x->status == EX_COMPLETED &&
	    !x->json)
		json_print(stdout, x->result);
	proc_loop_release();
	if (x->signal != 0) {
		int	sig = x->signal;

		record_close(x);
		die_of(sig);
	}
	return x->exit_code;
}

void
exec_release(struct exec *x)
{
	size_t	i;

	record_close(x);
	for (i = 0; i < x->njobs; i++)
		job_free(x->jobs[i]);
	free(x->jobs);
	free(x->top);
	free(x->cleanups);
	free(x->users_start);
	free(x->users);
	free(x->ready);
	free(x->active);
	pidmap_free(x->pids);
	remote_free(x);
	json_object_put(x->input);
	json_object_put(x->results);
	json_object_put(x->steps);
	json_object_put(x->last_iter);
	json_object_put(x->root);
	json_object_put(x->result);
	mask_free(x->mask);
	free(x->dir);
	free(x->dir_abs);
	free(x->error);
	free(x->self);
	memset(x, 0, sizeof *x);
	x->dirfd = x->lock_fd = x->wflock_fd = -1;
}
