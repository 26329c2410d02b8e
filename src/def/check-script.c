/* check-script.c: run: scripts checked before anything runs: templates
 * where no escaping is safe, and scripts the shell cannot parse. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "def/check.h"
#include "def/project.h"
#include "tmpl/tmpl.h"

/* Scripts longer than this are not given to `sh -n` as an argument. */
#define SCRIPT_MAX	(96 * 1024)

struct where {
	const struct tstr	*run;
	const char		*who;
	int			 rc;
};

static void
on_context(void *arg, int line, int col, const char *why)
{
	struct where	*w = arg;
	struct loc	 l = tstr_loc(w->run, line, col);

	w->rc = strstr(why, "; use") != NULL ?
	    loc_error(&l, "%s: %s", w->who, why) :
	    loc_error(&l, "%s: %s; set a variable before it (V={{ ... }}) "
	    "and use \"$V\" there", w->who, why);
}

int
check_shell_contexts(const struct tstr *run, const char *who)
{
	struct where	w = { run, who, 0 };

	if (run->t != NULL)
		(void)tmpl_walk_shell(run->t, NULL, on_context, &w);
	return w.rc;
}

static void
ignore_context(void *arg, int line, int col, const char *why)
{
	(void)arg;
	(void)line;
	(void)col;
	(void)why;
}

/*
 * Runs SHELL -n -c script; returns 0 when it parses, else the line the
 * shell names (0 when it names none) with its message in *msg.
 */
static int
shell_parse(const char *shell, const char *script, struct buf *msg)
{
	int	 fds[2], status, null;
	pid_t	 pid;
	char	 chunk[1024];
	ssize_t	 n;
	const char *p, *m;
	int	 line = 0;

	if (pipe2(fds, O_CLOEXEC) < 0)
		return 0;
	if ((pid = fork()) < 0) {
		close(fds[0]);
		close(fds[1]);
		return 0;
	}
	if (pid == 0) {
		null = open("/dev/null", O_RDWR);
		if (null >= 0) {
			dup2(null, 0);
			dup2(null, 1);
		}
		dup2(fds[1], 2);
		execlp(shell, shell, "-n", "-c", script, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	while ((n = read(fds[0], chunk, sizeof chunk)) > 0 || (n < 0 &&
	    errno == EINTR))
		if (n > 0 && msg->len < 4096)
			buf_add(msg, chunk, (size_t)n);
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) == 0 ||
	    WEXITSTATUS(status) == 127)
		return 0;
	/* dash: "sh: 3: Syntax error: ..."; bash: "bash: -c: line 3: ..." */
	p = buf_str(msg);
	if ((m = strstr(p, "line ")) != NULL)
		line = atoi(m + 5);
	else if ((m = strchr(p, ':')) != NULL)
		line = atoi(m + 1);
	if ((m = strstr(p, "rror: ")) != NULL)
		p = m + 6;
	n = (ssize_t)strcspn(p, "\n");
	memmove(msg->s, p, (size_t)n);
	buf_truncate(msg, (size_t)n);
	return line > 0 ? line : -1;
}

/* A script to parse: its text (templates as placeholder words). */
struct script {
	const struct tstr	*run;
	const char		*shell;
	char			*who;
	struct buf		 text;
};

struct scripts {
	struct script	*v;
	size_t		 n, cap;
};

static void
script_add(struct scripts *ss, const struct tstr *run, const char *shell,
    const char *who)
{
	struct script	*sc;
	struct buf	 text = BUF_INIT;

	if (run->src == NULL)
		return;
	if (run->t == NULL)
		buf_adds(&text, run->src);
	else if (tmpl_walk_shell(run->t, &text, ignore_context, NULL) < 0) {
		buf_release(&text);
		return;		/* control structures: not one script */
	}
	if (text.len == 0 || text.len >= SCRIPT_MAX) {
		buf_release(&text);
		return;
	}
	xgrow(&ss->v, &ss->cap, ss->n + 1, sizeof *ss->v);
	sc = &ss->v[ss->n++];
	sc->run = run;
	sc->shell = shell;
	sc->who = xstrdup(who);
	sc->text = text;
}

/* One script alone: its error at the script's line. */
static int
script_report(struct script *sc)
{
	struct buf	 msg = BUF_INIT;
	struct loc	 l;
	int		 line, lines = 1, rc = 0;
	const char	*c;

	if ((line = shell_parse(sc->shell, buf_str(&sc->text), &msg)) != 0) {
		for (c = sc->text.s; (c = strchr(c, '\n')) != NULL && c[1]; c++)
			lines++;
		if (line < 0 || line > lines)
			line = lines;
		l = tstr_loc(sc->run, line, 1);
		rc = loc_error(&l, "%s: the script does not parse (%s -n): %s",
		    sc->who, sc->shell, buf_str(&msg));
	}
	buf_release(&msg);
	return rc;
}

/*
 * Scripts v[0..n) of one shell, parsed by as few processes as can be (a
 * process costs a millisecond; a workflow may have thousands of
 * scripts): all of them at once, each the body of a function of its
 * own, and only when that fails, each half again, down to the one
 * script that does not parse, which is parsed alone for its message (a
 * batch can fail where each script alone parses: a script that ends in
 * a backslash or an open here-document).  Two broken scripts whose
 * faults close each other (a quote one opens and the next closes) can
 * pass together; they fail when they run, as without this check.
 */
static int
scripts_parse(struct script *v, size_t n)
{
	struct buf	 all = BUF_INIT, msg = BUF_INIT;
	size_t		 i;
	int		 bad;

	if (n == 1)
		return script_report(&v[0]);
	for (i = 0; i < n && all.len < SCRIPT_MAX; i++) {
		buf_printf(&all, "__muster_%zu() {\n", i);
		buf_add(&all, v[i].text.s, v[i].text.len);
		buf_adds(&all, "\n}\n");
	}
	bad = i < n || shell_parse(v[0].shell, buf_str(&all), &msg) != 0;
	buf_release(&all);
	buf_release(&msg);
	if (!bad)
		return 0;
	return scripts_parse(v, n / 2) | scripts_parse(v + n / 2, n - n / 2);
}

static int
scripts_check(struct scripts *ss)
{
	size_t	i, k;
	int	rc = 0;

	/* Runs of one shell (a workflow's scripts share it, mostly). */
	for (i = 0; i < ss->n; i = k) {
		for (k = i + 1; k < ss->n && strcmp(ss->v[k].shell,
		    ss->v[i].shell) == 0; k++)
			;
		rc |= scripts_parse(&ss->v[i], k - i);
	}
	for (i = 0; i < ss->n; i++) {
		free(ss->v[i].who);
		buf_release(&ss->v[i].text);
	}
	free(ss->v);
	return rc;
}

/*
 * The program that parses a script run with sh (else dflt): its first
 * word when it is sh or bash, NULL for another command (no check).
 */
static const char *
parser_of(const struct shell *sh, const char *dflt)
{
	if (sh->argv == NULL)
		return dflt;
	return sh->posix ? sh->argv[0] : NULL;
}

static void
step_scripts(struct scripts *ss, const struct step *s, const char *shell)
{
	struct buf	who = BUF_INIT;
	size_t		i;

	if ((shell = parser_of(&s->shell, shell)) == NULL)
		return;
	if (s->kind == STEP_RUN) {
		buf_printf(&who, "step '%s'", s->id);
		script_add(ss, &s->run, shell, buf_str(&who));
		buf_release(&who);
	}
	for (i = 0; i < s->nsub; i++)
		step_scripts(ss, s->sub[i], shell);
}

static void
tool_script(struct scripts *ss, const struct tool *t, const char *shell)
{
	struct buf	who = BUF_INIT;

	if ((shell = parser_of(&t->shell, shell)) == NULL)
		return;
	buf_printf(&who, "tool '%s'", t->name);
	script_add(ss, &t->run, shell, buf_str(&who));
	buf_release(&who);
}

static bool
step_uses(const struct step *s, const struct tool *t)
{
	size_t	i;

	if (s->kind == STEP_TOOL && s->tool == t)
		return true;
	for (i = 0; i < s->nsub; i++)
		if (step_uses(s->sub[i], t))
			return true;
	return false;
}

/* True when a step of w calls tool t. */
static bool
tool_used(const struct workflow *w, const struct tool *t)
{
	size_t	i;

	for (i = 0; i < w->nsteps; i++)
		if (step_uses(w->steps[i], t))
			return true;
	for (i = 0; i < w->non_failure; i++)
		if (step_uses(w->on_failure[i], t))
			return true;
	for (i = 0; i < w->nrecovery; i++)
		if (step_uses(w->recovery[i], t))
			return true;
	return false;
}

static void
workflow_scripts(struct scripts *ss, const struct workflow *w,
    const char *shell)
{
	size_t	i;

	if ((shell = parser_of(&w->shell, shell)) == NULL)
		return;
	for (i = 0; i < w->nsteps; i++)
		step_scripts(ss, w->steps[i], shell);
	for (i = 0; i < w->non_failure; i++)
		step_scripts(ss, w->on_failure[i], shell);
	for (i = 0; i < w->nrecovery; i++)
		step_scripts(ss, w->recovery[i], shell);
}

int
project_check_scripts(struct project *p, const struct workflow *only)
{
	const char	*shell = "/bin/sh";
	struct scripts	 ss = { NULL, 0, 0 };
	size_t		 i;

	if (access(shell, X_OK) < 0)
		return 0;
	for (i = 0; i < p->nworkflows; i++)
		if ((only == NULL || p->workflows[i] == only) &&
		    !p->workflows[i]->broken)
			workflow_scripts(&ss, p->workflows[i], shell);
	for (i = 0; i < p->ntools; i++)
		if (only == NULL || tool_used(only, p->tools[i]))
			tool_script(&ss, p->tools[i], shell);
	return scripts_check(&ss);
}
