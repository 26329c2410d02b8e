/* slurm.c: Slurm's commands, run and read: sbatch, squeue, scancel, sacct. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/proc.h"
#include "exec/executor.h"
#include "exec/slurm.h"

/* A growable NULL-ended argv. */
struct argv {
	char	**v;
	size_t	  n, cap;
};

static void
argv_add(struct argv *a, char *owned)
{
	xgrow(&a->v, &a->cap, a->n + 2, sizeof *a->v);
	a->v[a->n++] = owned;
	a->v[a->n] = NULL;
}

void
slurm_argv_free(char **v)
{
	size_t	i;

	for (i = 0; v != NULL && v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

/*
 * Runs argv to its end, its stdout into out and stderr into err.  Returns
 * its exit status, or -1 with the reason in err when it cannot run.
 */
static int
run(char *const *argv, struct buf *out, struct buf *err)
{
	struct child	c;
	struct pollfd	p[2];
	char		chunk[4096];
	int		st, i, open = 2;
	ssize_t		n;

	if (local_start_plain(argv, &c) < 0) {
		buf_printf(err, "cannot run '%s': %s", argv[0],
		    strerror(errno));
		return -1;
	}
	p[0] = (struct pollfd){ .fd = c.out, .events = POLLIN };
	p[1] = (struct pollfd){ .fd = c.err, .events = POLLIN };
	while (open > 0) {
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (i = 0; i < 2; i++) {
			if (p[i].fd < 0 || p[i].revents == 0)
				continue;
			n = read(p[i].fd, chunk, sizeof chunk);
			if (n > 0)
				buf_add(i ? err : out, chunk, (size_t)n);
			else if (n == 0 || (errno != EINTR &&
			    errno != EAGAIN)) {
				close(p[i].fd);
				p[i].fd = -1;
				open--;
			}
		}
	}
	for (i = 0; i < 2; i++)
		if (p[i].fd >= 0)
			close(p[i].fd);
	while (waitpid(c.pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Single quotes for sh: 'it'\''s'. */
static void
quote(struct buf *b, const char *s)
{
	buf_addc(b, '\'');
	for (; *s != '\0'; s++)
		if (*s == '\'')
			buf_adds(b, "'\\''");
		else
			buf_addc(b, *s);
	buf_addc(b, '\'');
}

static bool
env_name_ok(const char *kv)
{
	size_t	n = strcspn(kv, "=");

	if (kv[n] != '=' || n == 0 || (kv[0] >= '0' && kv[0] <= '9'))
		return false;
	if (strspn(kv, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789_") != n)
		return false;
	/* The job's own SLURM_JOB_ID and friends come from Slurm. */
	return strncmp(kv, "SLURM_", 6) != 0 || strncmp(kv, "SLURM_CONF=",
	    11) == 0;
}

void
slurm_script(struct buf *b, char *const *argv, char *const *env,
    const char *dir, const char *status_path, const char *what)
{
	size_t	i;

	buf_printf(b, "#!/bin/sh\n# muster job: %s\n", what);
	for (i = 0; env != NULL && env[i] != NULL; i++)
		if (env_name_ok(env[i])) {
			buf_adds(b, "export ");
			quote(b, env[i]);
			buf_addc(b, '\n');
		}
	buf_adds(b, "muster_status() {\n\tprintf '%s\\n' \"$1\" >");
	quote(b, status_path);
	buf_adds(b, ".tmp && mv -f ");
	quote(b, status_path);
	buf_adds(b, ".tmp ");
	quote(b, status_path);
	buf_adds(b, "\n}\n");
	if (dir != NULL) {
		buf_adds(b, "cd ");
		quote(b, dir);
		buf_adds(b, " || { muster_status 127; exit 127; }\n");
	}
	for (i = 0; argv[i] != NULL; i++) {
		quote(b, argv[i]);
		buf_addc(b, ' ');
	}
	buf_adds(b, "</dev/null\nrc=$?\nmuster_status \"$rc\"\nexit \"$rc\"\n");
}

/* Slurm expands %j and such in file names: %% is a plain %. */
static char *
file_arg(const char *opt, const char *path)
{
	struct buf	b = BUF_INIT;

	buf_adds(&b, opt);
	for (; *path != '\0'; path++) {
		if (*path == '%')
			buf_addc(&b, '%');
		buf_addc(&b, *path);
	}
	return buf_detach(&b);
}

char **
slurm_sbatch_argv(const struct slurm_job *j)
{
	const struct resources	*r = j->res;
	struct argv		 a = { 0 };
	int64_t			 t = r != NULL && r->time_ns > 0 ?
				    r->time_ns : j->time_ns;
	size_t			 i;

	argv_add(&a, xstrdup("sbatch"));
	argv_add(&a, xstrdup("--parsable"));
	argv_add(&a, xasprintf("--job-name=%s", j->name));
	argv_add(&a, file_arg("--output=", j->out));
	argv_add(&a, file_arg("--error=", j->err));
	/* The script sets the step's environment itself. */
	argv_add(&a, xstrdup("--export=NONE"));
	if (t > 0)	/* minutes, rounded up: Slurm's granularity */
		argv_add(&a, xasprintf("--time=%lld", (long long)((t +
		    60000000000LL - 1) / 60000000000LL)));
#define OPT(f, o)	if (r != NULL && r->f != NULL) \
	argv_add(&a, xasprintf("--" o "=%s", r->f))
	OPT(cpus, "cpus-per-task");
	OPT(memory, "mem");
	OPT(gpus, "gpus");
	OPT(partition, "partition");
	OPT(account, "account");
	OPT(qos, "qos");
	OPT(constraint, "constraint");
#undef OPT
	for (i = 0; r != NULL && i < r->nextra; i++)
		argv_add(&a, xstrdup(r->extra[i]));
	argv_add(&a, xstrdup(j->script));
	return a.v;
}

/* The last non-empty lines of what a command said, on one line. */
static void
said(struct buf *err, const char *cmd, struct buf *text, int rc)
{
	char	*s = (char *)buf_str(text);
	size_t	 n = strlen(s);

	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' '))
		s[--n] = '\0';
	if (n == 0) {
		buf_printf(err, "%s failed (exit status %d)", cmd, rc);
		return;
	}
	for (; *s != '\0'; s++)
		if (*s == '\n')
			buf_adds(err, "; ");
		else
			buf_addc(err, *s);
}

int
slurm_submit(const struct slurm_job *j, char **id, struct buf *err)
{
	char		**argv = slurm_sbatch_argv(j);
	struct buf	  out = BUF_INIT, msg = BUF_INIT;
	int		  rc = run(argv, &out, &msg);
	size_t		  n;

	slurm_argv_free(argv);
	*id = NULL;
	n = strspn(buf_str(&out), "0123456789");
	if (rc == 0 && n > 0) {
		*id = xasprintf("%.*s", (int)n, out.s);
		buf_release(&out);
		buf_release(&msg);
		return 0;
	}
	if (rc >= 0)
		said(err, "sbatch", &msg, rc);
	else
		buf_adds(err, buf_str(&msg));
	buf_release(&out);
	buf_release(&msg);
	return -1;
}

static const char *const active_states[] = {
	"PENDING", "RUNNING", "COMPLETING", "CONFIGURING", "SUSPENDED",
	"REQUEUED", "REQUEUE_FED", "REQUEUE_HOLD", "RESIZING", "SIGNALING",
	"STAGE_OUT", "STOPPED", "RESV_DEL_HOLD",
};

bool
slurm_active(const char *state)
{
	size_t	i;

	for (i = 0; i < nitems(active_states); i++)
		if (strcmp(state, active_states[i]) == 0)
			return true;
	return false;
}

static void
copy_field(char *dst, size_t cap, const char *s, size_t n)
{
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

int
slurm_query(char *const *ids, size_t n, struct slurm_state *st,
    struct buf *err)
{
	struct argv	 a = { 0 };
	struct buf	 list = BUF_INIT, out = BUF_INIT, msg = BUF_INIT;
	char		*line, *save;
	size_t		 i;
	int		 rc;

	for (i = 0; i < n; i++) {
		st[i].state[0] = st[i].reason[0] = '\0';
		buf_printf(&list, "%s%s", i ? "," : "", ids[i]);
	}
	if (n == 0)
		return 0;
	/* squeue refuses a list of one unknown id; two of it are fine. */
	if (n == 1)
		buf_printf(&list, ",%s", ids[0]);
	argv_add(&a, xstrdup("squeue"));
	argv_add(&a, xstrdup("--noheader"));
	argv_add(&a, xstrdup("--states=all"));
	argv_add(&a, xstrdup("--format=%i|%T|%r"));
	argv_add(&a, xasprintf("--jobs=%s", buf_str(&list)));
	rc = run(a.v, &out, &msg);
	slurm_argv_free(a.v);
	buf_release(&list);
	if (rc != 0 && strstr(buf_str(&msg), "Invalid job id") == NULL) {
		if (rc > 0)
			said(err, "squeue", &msg, rc);
		else
			buf_adds(err, buf_str(&msg));
		buf_release(&out);
		buf_release(&msg);
		return -1;
	}
	for (line = strtok_r(out.s, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		char	*s1 = strchr(line, '|'), *s2;

		if (s1 == NULL || (s2 = strchr(s1 + 1, '|')) == NULL)
			continue;
		*s1 = '\0';
		for (i = 0; i < n; i++)
			if (strcmp(ids[i], line) == 0) {
				copy_field(st[i].state, sizeof st[i].state,
				    s1 + 1, (size_t)(s2 - s1 - 1));
				copy_field(st[i].reason, sizeof st[i].reason,
				    s2 + 1, strlen(s2 + 1));
			}
	}
	buf_release(&out);
	buf_release(&msg);
	return 0;
}

static const struct {
	const char	*state, *says;
} endings[] = {
	{ "TIMEOUT", "it reached its time limit" },
	{ "OUT_OF_MEMORY", "it ran out of memory" },
	{ "NODE_FAIL", "its node failed" },
	{ "BOOT_FAIL", "its node failed to boot" },
	{ "PREEMPTED", "it was preempted" },
	{ "DEADLINE", "it missed its deadline" },
	{ "CANCELLED", "it was cancelled" },
	{ "FAILED", "it failed before the step ran" },
	{ "COMPLETED", "it ended without storing the step's exit status" },
};

void
slurm_explain(struct buf *b, const char *id, const char *state,
    const char *reason)
{
	size_t	i;

	if (*state == '\0') {
		buf_printf(b, "Slurm job %s ended without storing the step's "
		    "exit status (Slurm no longer knows the job)", id);
		return;
	}
	for (i = 0; i < nitems(endings); i++)
		if (strncmp(state, endings[i].state,
		    strlen(endings[i].state)) == 0)
			break;
	buf_printf(b, "Slurm job %s ended: %s (%s", id, i < nitems(endings) ?
	    endings[i].says : "it ended", state);
	if (*reason != '\0' && strcmp(reason, "None") != 0)
		buf_printf(b, ", %s", reason);
	buf_addc(b, ')');
}

int
slurm_acct(const char *id, struct slurm_state *st)
{
	char		*argv[] = { "sacct", "--noheader", "--parsable2",
			    "--allocations", "--format=State,Reason", NULL,
			    NULL };
	struct buf	 out = BUF_INIT, msg = BUF_INIT;
	char		*bar;
	int		 rc;

	argv[5] = xasprintf("--jobs=%s", id);
	rc = run(argv, &out, &msg);
	free(argv[5]);
	st->state[0] = st->reason[0] = '\0';
	if (rc == 0 && out.len > 0) {
		out.s[strcspn(out.s, "\n")] = '\0';
		if ((bar = strchr(out.s, '|')) != NULL) {
			*bar = '\0';
			copy_field(st->reason, sizeof st->reason, bar + 1,
			    strlen(bar + 1));
		}
		/* "CANCELLED by 0": the first word. */
		copy_field(st->state, sizeof st->state, out.s,
		    strcspn(out.s, " "));
	}
	buf_release(&out);
	buf_release(&msg);
	return st->state[0] != '\0' ? 0 : -1;
}

int
slurm_cancel(char *const *ids, size_t n, struct buf *err)
{
	struct argv	a = { 0 };
	struct buf	out = BUF_INIT, msg = BUF_INIT;
	size_t		i;
	int		rc;

	if (n == 0)
		return 0;
	argv_add(&a, xstrdup("scancel"));
	for (i = 0; i < n; i++)
		argv_add(&a, xstrdup(ids[i]));
	rc = run(a.v, &out, &msg);
	slurm_argv_free(a.v);
	if (rc != 0)
		said(err, "scancel", &msg, rc);
	buf_release(&out);
	buf_release(&msg);
	return rc == 0 ? 0 : -1;
}

char *
slurm_find(const char *name)
{
	char		*argv[] = { "squeue", "--noheader", "--states=all",
			    "--format=%i|%T", NULL, NULL };
	struct buf	 out = BUF_INIT, msg = BUF_INIT;
	char		*id = NULL;
	size_t		 n;

	argv[4] = xasprintf("--name=%s", name);
	if (run(argv, &out, &msg) == 0 && (n = strspn(buf_str(&out),
	    "0123456789")) > 0)
		id = xasprintf("%.*s", (int)n, out.s);
	free(argv[4]);
	buf_release(&out);
	buf_release(&msg);
	return id;
}
