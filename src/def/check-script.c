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

int
check_script(const struct tstr *run, const char *shell, const char *who)
{
	struct buf	 script = BUF_INIT, msg = BUF_INIT;
	struct loc	 l;
	int		 line, lines = 1, rc = 0;
	const char	*c;

	if (run->src == NULL)
		return 0;
	if (run->t == NULL)
		buf_adds(&script, run->src);
	else if (tmpl_walk_shell(run->t, &script, ignore_context, NULL) < 0) {
		buf_release(&script);
		return 0;	/* control structures: not one script */
	}
	if (script.len > 0 && script.len < SCRIPT_MAX &&
	    (line = shell_parse(shell, buf_str(&script), &msg)) != 0) {
		for (c = script.s; (c = strchr(c, '\n')) != NULL && c[1]; c++)
			lines++;
		if (line < 0 || line > lines)
			line = lines;
		l = tstr_loc(run, line, 1);
		rc = loc_error(&l, "%s: the script does not parse (%s -n): %s",
		    who, shell, buf_str(&msg));
	}
	buf_release(&script);
	buf_release(&msg);
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

static int
step_scripts(const struct step *s, const char *shell)
{
	struct buf	who = BUF_INIT;
	size_t		i;
	int		rc = 0;

	if ((shell = parser_of(&s->shell, shell)) == NULL)
		return 0;
	if (s->kind == STEP_RUN) {
		buf_printf(&who, "step '%s'", s->id);
		rc = check_script(&s->run, shell, buf_str(&who));
		buf_release(&who);
	}
	for (i = 0; i < s->nsub; i++)
		rc |= step_scripts(s->sub[i], shell);
	return rc;
}

static int
tool_script(const struct tool *t, const char *shell)
{
	struct buf	who = BUF_INIT;
	int		rc;

	if ((shell = parser_of(&t->shell, shell)) == NULL)
		return 0;
	buf_printf(&who, "tool '%s'", t->name);
	rc = check_script(&t->run, shell, buf_str(&who));
	buf_release(&who);
	return rc;
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

static int
workflow_scripts(const struct workflow *w, const char *shell)
{
	size_t	i;
	int	rc = 0;

	if ((shell = parser_of(&w->shell, shell)) == NULL)
		return 0;
	for (i = 0; i < w->nsteps; i++)
		rc |= step_scripts(w->steps[i], shell);
	for (i = 0; i < w->non_failure; i++)
		rc |= step_scripts(w->on_failure[i], shell);
	for (i = 0; i < w->nrecovery; i++)
		rc |= step_scripts(w->recovery[i], shell);
	return rc;
}

int
project_check_scripts(struct project *p, const struct workflow *only)
{
	const char	*shell = "/bin/sh";
	size_t		 i;
	int		 rc = 0;

	if (access(shell, X_OK) < 0)
		return 0;
	for (i = 0; i < p->nworkflows; i++)
		if ((only == NULL || p->workflows[i] == only) &&
		    !p->workflows[i]->broken)
			rc |= workflow_scripts(p->workflows[i], shell);
	for (i = 0; i < p->ntools; i++)
		if (only == NULL || tool_used(only, p->tools[i]))
			rc |= tool_script(p->tools[i], shell);
	return rc;
}
