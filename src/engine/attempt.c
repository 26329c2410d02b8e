/* attempt.c: one try of a job: starting its process, its end, retries. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <json-c/json.h>

#include "def/schema.h"
#include "engine/builtin.h"
#include "engine/progress.h"
#include "engine/remote.h"
#include "state/record.h"
#include "engine/run.h"
#include "engine/tool.h"
#include "base/value.h"
#include "exec/executor.h"

#define KILL_GRACE	(2 * (int64_t)1000000000)

void	attempt_start(struct exec *, struct job *);

static void
drop_args_file(struct job *j)
{
	if (j->proc->script_file != NULL) {
		unlink(j->proc->script_file);
		free(j->proc->script_file);
		j->proc->script_file = NULL;
	}
	if (j->proc->args_file == NULL)
		return;
	unlink(j->proc->args_file);
	free(j->proc->args_file);
	j->proc->args_file = NULL;
}

/* A job's process state exists from its first attempt until it finished. */
static void
job_proc_new(struct job *j)
{
	if (j->proc != NULL)
		return;
	j->proc = xcalloc(1, sizeof *j->proc);
	j->proc->child.pid = -1;
	j->proc->child.out = j->proc->child.err = -1;
	j->proc->log[0] = j->proc->log[1] = -1;
}

void
job_proc_free(struct job *j)
{
	struct run_proc	*pr = j->proc;

	if (pr == NULL)
		return;
	drop_args_file(j);
	free(pr->out_file);
	buf_release(&pr->out);
	buf_release(&pr->line[0]);
	buf_release(&pr->line[1]);
	mask_stream_release(&pr->mstream[0]);
	mask_stream_release(&pr->mstream[1]);
	buf_release(&pr->err_tail);
	free(pr);
	j->proc = NULL;
}

/* The call a job (or its condition tool) makes. */
static void
make_call(struct exec *x, struct job *j, struct json_object *root,
    struct call *c)
{
	const struct step	*s = j->step;

	memset(c, 0, sizeof *c);
	c->p = x->p;
	c->root = root;
	c->wf_input = x->input;
	c->exec_id = x->dir != NULL ? x->id : NULL;
	c->workflow = x->w->name;
	c->key = j->key;
	c->attempt = j->attempt;
	c->out_file = j->proc->out_file;
	c->args_file = j->proc->args_file;
	c->self = x->self;
	c->exec_dir = x->dir_abs;
	c->timeout_ns = j->in_cond ? 0 : s->timeout_ns;
	c->jobs = x->limit;
	if (j->in_cond) {
		c->ref = s->cond->tool_ref;
		c->tool = s->cond->tool_def;
		c->callee = s->cond->callee;
		c->builtin = s->cond->builtin;
		c->name = s->cond->tool;
		c->args = s->cond->args;
		return;
	}
	c->step_env = s->env;
	c->workdir = &s->workdir;
	if (s->kind == STEP_RUN) {
		c->run = &s->run;
		c->shell = s->shell.n > 0 ? &s->shell : &x->w->shell;
		c->name = "run";
		return;
	}
	c->ref = s->tool_ref;
	c->tool = s->tool;
	c->callee = s->callee;
	c->builtin = s->builtin;
	c->name = s->tool_name;
	c->args = s->args;
	c->pass_input = s->pass_input;
}

/* An attempt that could not even start (or a built-in) has ended. */
static void	attempt_end(struct exec *, struct job *, int ok,
		    struct json_object *result, const char *why);

/* An attempt failed with text a template or a tool made: masked. */
static void
attempt_fail(struct exec *x, struct job *j, struct json_object *res,
    const char *text)
{
	char	*why = mask_str(x->mask, text);

	attempt_end(x, j, 0, res, why);
	free(why);
}

static int
spawn_proc(struct exec *x, struct job *j, struct invocation *inv)
{
	size_t		tag = j->seq;

	if (local_start(inv->argv.v, inv->env.v, inv->dir,
	    &j->proc->child) < 0)
		return -1;
	j->proc->open = 2;
	j->proc->exited = false;
	proc_watch(j->proc->child.out, (uint64_t)tag << 1);
	proc_watch(j->proc->child.err, (uint64_t)tag << 1 | 1);
	pidmap_put(x, j->proc->child.pid, j);
	x->running++;
	return 0;
}

bool
job_calls_mcp(const struct job *j)
{
	const struct step	*s = j->step;

	return j->in_cond ? s->cond->tool_ref == TOOL_MCP :
	    s->kind == STEP_TOOL && s->tool_ref == TOOL_MCP;
}

static int64_t
timeout_of(const struct job *j, const struct invocation *inv)
{
	/* An MCP call times itself out (its message is better); this is
	 * the backstop, the step's timeout already in it. */
	if (j->in_cond || job_calls_mcp(j))
		return inv->timeout_ns;
	return j->step->timeout_ns > 0 ? j->step->timeout_ns : inv->timeout_ns;
}

/* Whether a call hands its arguments to a muster process in a file. */
static bool
passes_args(enum tool_ref ref, int builtin)
{
	return ref == TOOL_WORKFLOW || ref == TOOL_MCP ||
	    (ref == TOOL_BUILTIN &&
	    builtin_service(builtin) != NULL);
}

/* Where a child workflow's input goes: private, removed after it ran. */
static void
args_file(struct exec *x, struct job *j)
{
	const struct step	*s = j->step;
	char			 tmp[] = "/tmp/muster-args-XXXXXX";
	int			 fd;

	drop_args_file(j);
	if (j->in_cond ? !passes_args(s->cond->tool_ref, s->cond->builtin) :
	    (s->kind != STEP_TOOL || !passes_args(s->tool_ref, s->builtin)))
		return;
	if (x->dir != NULL) {
		j->proc->args_file = xasprintf("%s/out/%s.%d.args.json",
		    x->dir_abs, j->key, j->attempt);
		return;
	}
	if ((fd = mkostemp(tmp, O_CLOEXEC)) >= 0) {
		close(fd);
		j->proc->args_file = xstrdup(tmp);
	}
}

/* A new attempt of j (not its condition): counted, timed, recorded. */
static void
attempt_begin(struct exec *x, struct job *j)
{
	/* An attempt's time is its own: not the wait before it. */
	if (j->attempt > 0) {
		j->started_ns = clock_mono_ns();
		j->started_wall = clock_wall_ns();
	}
	j->attempt++;
	j->status = ST_RUNNING;
	j->has_usage = false;
	if (!x->opt.no_record && record_job(x, j) < 0)
		x->io_failed = x->stopping = true;
}

/*
 * Renders j's call into inv (out files, arguments, script): what tool_prepare
 * returns, <0 with why in err.  root is the caller's to give back.
 */
static int
attempt_render(struct exec *x, struct job *j, struct json_object *root,
    struct call *c, struct invocation *inv, struct buf *err)
{
	char	*script;
	int	 rc;

	free(j->proc->out_file);
	j->proc->out_file = x->dir == NULL ? NULL : xasprintf("%s/out/%s.%d%s",
	    x->dir_abs, j->key, j->attempt, j->in_cond ? ".cond" : "");
	args_file(x, j);
	make_call(x, j, root, c);
	script = x->dir == NULL ? NULL : xasprintf("%s/out/%s.%d%s.sh",
	    x->dir_abs, j->key, j->attempt, j->in_cond ? ".cond" : "");
	c->script_file = script;
	rc = tool_prepare(c, inv, err);
	free(script);
	if (rc == -2 && c->script_file != NULL) {
		/* The state's disk: an I/O error of the run's, exit 4. */
		progress_clear(x->prog);
		error("%s", buf_str(err));
		x->io_failed = x->stopping = true;
	}
	return rc;
}

/* A built-in runs in this process: the attempt has ended on return. */
static void
attempt_builtin(struct exec *x, struct job *j, struct invocation *inv,
    struct buf *err)
{
	struct json_object	*res = NULL;
	int			 ok;

	/* A condition's tool is not the step: it starts after. */
	if (!j->in_cond)
		progress_step(x->prog, x, j, SE_STARTED);
	ok = builtin_call(x->p, inv->builtin, inv->input, &res, err) == 0;
	invocation_release(inv);
	if (ok)
		attempt_end(x, j, 1, res, NULL);
	else
		attempt_fail(x, j, res, buf_str(err));
	json_object_put(res);
}

/* Starts inv's process, here or as a Slurm job: 0, or -1 with why in err. */
static int
attempt_spawn(struct exec *x, struct job *j, struct invocation *inv,
    struct buf *err)
{
	if (remote_wanted(x, j, inv))
		return remote_start(x, j, inv, err) < 0 ? -1 : 0;
	if (spawn_proc(x, j, inv) < 0) {
		buf_printf(err, "cannot run '%s': %s", inv->argv.v[0],
		    strerror(errno));
		return -1;
	}
	return 0;
}

void
attempt_start(struct exec *x, struct job *j)
{
	struct invocation	 inv;
	struct json_object	*root = job_root(x, j);
	struct buf		 err = BUF_INIT;
	struct call		 c;
	int			 rc;

	job_proc_new(j);
	if (!j->in_cond && j->attempt == 0 && remote_reattach(x, j)) {
		job_root_put(x, j, root);
		return;
	}
	if (!j->in_cond)
		attempt_begin(x, j);
	rc = attempt_render(x, j, root, &c, &inv, &err);
	job_root_put(x, j, root);
	if (rc < 0) {
		attempt_fail(x, j, NULL, buf_str(&err));
		buf_release(&err);
		return;
	}
	/* The script is read once the shell runs: removed at the end. */
	j->proc->script_file = inv.script_file;
	inv.script_file = NULL;
	if (!j->in_cond && c.run == NULL) {
		/* A tool's arguments; a run: step has none of its own. */
		json_object_put(j->input);
		j->input = json_object_get(inv.input);
	}
	if (!x->opt.no_record && record_sync(x) < 0)
		x->io_failed = x->stopping = true;
	if (inv.kind == INV_BUILTIN) {
		attempt_builtin(x, j, &inv, &err);
		buf_release(&err);
		return;
	}
	if (attempt_spawn(x, j, &inv, &err) < 0) {
		invocation_release(&inv);
		attempt_fail(x, j, NULL, buf_str(&err));
		buf_release(&err);
		return;
	}
	j->phase = j->in_cond ? PH_COND : PH_RUN;
	j->proc->timeout = timeout_of(j, &inv);
	j->deadline = j->proc->timeout > 0 ? clock_mono_ns() +
	    j->proc->timeout : 0;
	j->timed_out = false;
	j->kill_at = 0;
	active_add(x, j);
	if (!j->in_cond)
		progress_step(x->prog, x, j, SE_STARTED);
	if (!x->opt.no_record && !j->in_cond && j->proc->child.pid > 0 &&
	    record_job_pid(x, j) < 0)
		x->io_failed = x->stopping = true;
	invocation_release(&inv);
	buf_release(&err);
}

/* "exit status 3", "killed by SIGKILL", "timed out after 5s". */
static void
describe_exit(struct buf *b, struct job *j, int status, int64_t timeout)
{
	if (j->timed_out && timeout > 0) {
		buf_adds(b, "timed out after ");
		duration_format(b, timeout);
	} else if (WIFEXITED(status))
		buf_printf(b, "exit status %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		buf_printf(b, "killed by SIG%s", sigabbrev_np(WTERMSIG(status)));
	else
		buf_adds(b, "ended oddly");
}

static int64_t
backoff(const struct retry *r, int attempt)
{
	int64_t	d = r->delay_ns;
	int	i;

	if (r->backoff == BACKOFF_LINEAR)
		d = r->delay_ns * attempt;
	else if (r->backoff == BACKOFF_EXPONENTIAL)
		for (i = 1; i < attempt && d < INT64_MAX / 4; i++)
			d *= 2;
	if (r->max_delay_ns > 0 && d > r->max_delay_ns)
		d = r->max_delay_ns;
	return d;
}

/* Waits before attempt j->attempt + 1, as retry r says. */
static void
retry_later(struct exec *x, struct job *j, const struct retry *r, int n)
{
	j->ended_ns = clock_mono_ns();
	j->status = ST_FAILED;
	if (!x->opt.no_record && record_job(x, j) < 0)
		x->io_failed = x->stopping = true;
	progress_step(x->prog, x, j, SE_RETRYING);
	j->phase = PH_RETRY;
	j->deadline = clock_mono_ns() + backoff(r, n);
	active_add(x, j);
}

/* Whether rule r takes j's failure: every condition it sets holds. */
static bool
route_matches(const struct route *r, const struct job *j)
{
	size_t	i;

	if (r->ncodes > 0) {
		for (i = 0; i < r->ncodes && r->codes[i] != j->exit_code; i++)
			;
		if (i == r->ncodes)
			return false;
	}
	if (r->tool != NULL && (j->step->tool_name == NULL ||
	    strcmp(r->tool, j->step->tool_name) != 0))
		return false;
	return r->match == NULL || (j->error != NULL &&
	    schema_match(r->match, j->error, strlen(j->error))) ||
	    (j->err_text != NULL && schema_match(r->match, j->err_text,
	    strlen(j->err_text)));
}

/* onError patterns see the attempt's whole stderr tail, not the error's
 * last lines only. */
static void
keep_err_text(struct job *j, bool ok)
{
	free(j->err_text);
	j->err_text = NULL;
	if (!ok && j->step->nroutes > 0 && j->proc->err_tail.len > 0)
		j->err_text = xstrndup(j->proc->err_tail.s,
		    j->proc->err_tail.len);
}

/*
 * onError: the first rule, by priority, that takes the failure decides;
 * returns false when none does (the step's own retry applies).
 */
static bool
route(struct exec *x, struct job *j)
{
	const struct route	*r = NULL;
	size_t			 i;

	for (i = 0; i < j->step->nroutes && r == NULL; i++)
		if (route_matches(&j->step->routes[i], j))
			r = &j->step->routes[i];
	if (r == NULL)
		return false;
	j->route = r;
	switch (r->action) {
	case ROUTE_RETRY:
		if (++j->route_tries < r->retry.attempts && !x->stopping) {
			retry_later(x, j, &r->retry, j->route_tries);
			return true;
		}
		job_finish(x, j, ST_FAILED, NULL);
		break;
	case ROUTE_SKIP: {
		char	*why = xasprintf("onError: %s", j->error);

		job_finish(x, j, ST_SKIPPED, why);
		free(why);
		break;
	}
	case ROUTE_CONTINUE:
		j->route_ok = true;
		job_finish(x, j, ST_FAILED, NULL);
		break;
	case ROUTE_FAIL:
		job_finish(x, j, ST_FAILED, NULL);
		break;
	case ROUTE_REDIRECT:
		/* Stopping (a signal, fail-fast): no recovery starts. */
		if (x->stopping)
			job_finish(x, j, ST_FAILED, NULL);
		else
			recover_start(x, j, true);
		break;
	}
	return true;
}

static void
attempt_end(struct exec *x, struct job *j, int ok, struct json_object *res,
    const char *why)
{
	struct buf	err = BUF_INIT;
	int		pass;

	if (j->in_cond) {
		j->in_cond = false;
		pass = cond_after(x, j, ok, res, &err);
		if (pass < 0)
			job_fail(x, j, buf_str(&err));
		else if (pass == 0)
			job_finish(x, j, ST_SKIPPED, "condition is false");
		else {
			j->cond_done = true;
			job_start(x, j);
		}
		buf_release(&err);
		return;
	}
	if (ok) {
		json_object_put(j->result);
		j->result = json_object_get(res);
		/* An earlier attempt's error is no longer true. */
		free(j->error);
		j->error = NULL;
		job_finish(x, j, ST_COMPLETED, NULL);
		return;
	}
	free(j->error);
	j->error = xstrdup(why ? why : "failed");
	if (j->step->nroutes > 0 && route(x, j))
		return;
	if (j->attempt < j->step->retry.attempts && !x->stopping) {
		retry_later(x, j, &j->step->retry, j->attempt);
		return;
	}
	job_finish(x, j, ST_FAILED, NULL);
}

/* An MCP call's process says on stdout why it failed: the step's error. */
static bool
mcp_error(const struct job *j, int status, struct buf *why)
{
	const struct run_proc	*pr = j->proc;
	size_t			 len = pr->out.len;

	if (!job_calls_mcp(j) || j->timed_out || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 1 || len == 0)
		return false;
	while (len > 0 && (pr->out.s[len - 1] == '\n' ||
	    pr->out.s[len - 1] == '\r'))
		len--;
	buf_add(why, pr->out.s, len > 2000 ? 2000 : len);
	return true;
}

void
job_exited(struct exec *x, struct job *j, int status)
{
	struct json_object	*res = NULL;
	struct buf		 why = BUF_INIT;
	int			 ok;
	int64_t			 t = j->deadline;

	pidmap_del(x, j->proc->child.pid);
	x->running--;
	active_del(x, j);
	/* Killed on purpose: what is left of its group goes too. */
	if (j->timed_out || x->signal != 0 || x->timed_out)
		proc_kill_group(j->proc->child.pid, SIGKILL);
	/* What it wrote before it ended is in the pipes: take it, then go. */
	job_drain(x, j);
	j->proc->exited = true;
	j->proc->status = status;
	drop_args_file(j);
	ok = WIFEXITED(status) && WEXITSTATUS(status) == 0 && !j->timed_out;
	if (!j->in_cond)
		j->exit_code = WIFEXITED(status) ? WEXITSTATUS(status) :
		    WIFSIGNALED(status) ? 128 + WTERMSIG(status) : -1;
	if (ok && !j->in_cond)
		res = job_result(j);
	else if (j->in_cond)
		res = job_result(j);
	if (!ok) {
		if (j->timed_out)
			t = j->proc->timeout;
		if (x->cancelled && !j->timed_out)
			buf_adds(&why, "cancelled");
		else if (x->signal != 0 && !j->timed_out)
			buf_printf(&why, "interrupted by SIG%s",
			    sigabbrev_np(x->signal));
		else if (x->timed_out && !j->timed_out)
			buf_adds(&why, "the workflow timed out");
		else if (!mcp_error(j, status, &why)) {
			describe_exit(&why, j, status, t);
			err_tail_add(&why, &j->proc->err_tail);
		}
	}
	keep_err_text(j, ok);
	buf_truncate(&j->proc->err_tail, 0);
	buf_release(&j->proc->out);
	j->proc->out_cut = false;
	attempt_end(x, j, ok, res, why.len ? buf_str(&why) : NULL);
	json_object_put(res);
	buf_release(&why);
}

void
job_kill(struct exec *x, struct job *j, int sig, int64_t grace)
{
	if (j->phase != PH_RUN && j->phase != PH_COND)
		return;
	if (remote_cancel(x, j))
		return;
	proc_kill_group(j->proc->child.pid, sig);
	if (sig != SIGKILL && j->kill_at == 0)
		j->kill_at = clock_mono_ns() + grace;
	(void)x;
}

void
job_deadline(struct exec *x, struct job *j)
{
	int64_t	now = clock_mono_ns();

	if (j->phase == PH_RETRY) {
		active_del(x, j);
		j->deadline = 0;
		if (x->stopping)
			job_finish(x, j, ST_FAILED, NULL);
		else
			job_ready(x, j);
		return;
	}
	if (j->kill_at != 0 && now >= j->kill_at) {
		proc_kill_group(j->proc->child.pid, SIGKILL);
		j->kill_at = 0;
		return;
	}
	if (j->deadline != 0 && now >= j->deadline && !j->timed_out) {
		j->timed_out = true;
		job_kill(x, j, SIGTERM, KILL_GRACE);
	}
}

void
job_ended_elsewhere(struct exec *x, struct job *j, int code, const char *why,
    const char *out_path, const char *err_path)
{
	struct json_object	*res = NULL;
	struct buf		 b = BUF_INIT;
	int			 ok = code == 0 && why == NULL && !j->timed_out;

	job_read_file(x, j, 0, out_path);
	job_read_file(x, j, 1, err_path);
	drop_args_file(j);
	j->exit_code = code;
	if (ok)
		res = job_result(j);
	else if (j->timed_out)
		describe_exit(&b, j, 0, j->proc->timeout);
	else if (x->cancelled)
		buf_adds(&b, "cancelled");
	else if (x->signal != 0)
		buf_printf(&b, "interrupted by SIG%s", sigabbrev_np(x->signal));
	else if (x->timed_out)
		buf_adds(&b, "the workflow timed out");
	else if (why != NULL)
		buf_adds(&b, why);
	else {
		buf_printf(&b, "exit status %d", code);
		err_tail_add(&b, &j->proc->err_tail);
	}
	keep_err_text(j, ok);
	buf_truncate(&j->proc->err_tail, 0);
	buf_release(&j->proc->out);
	j->proc->out_cut = false;
	attempt_end(x, j, ok, res, b.len ? buf_str(&b) : NULL);
	json_object_put(res);
	buf_release(&b);
}
