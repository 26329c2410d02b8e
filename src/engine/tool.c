/* tool.c: what running a tool means: a process, a built-in or a workflow. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "engine/builtin.h"
#include "engine/render.h"
#include "def/schema.h"
#include "tmpl/tmpl.h"
#include "engine/tool.h"
#include "base/value.h"

extern char	**environ;

static struct strv	base_env = STRV_INIT;

void
strv_add(struct strv *s, char *owned)
{
	xgrow(&s->v, &s->cap, s->n + 2, sizeof *s->v);
	s->v[s->n++] = owned;
	s->v[s->n] = NULL;
}

void
strv_release(struct strv *s)
{
	size_t	i;

	for (i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	s->v = NULL;
	s->n = s->cap = 0;
}

/* Sets NAME=value in env, replacing an earlier NAME. */
static void
env_set(struct strv *env, const char *name, const char *value)
{
	size_t	i, len = strlen(name);

	for (i = 0; i < env->n; i++)
		if (strncmp(env->v[i], name, len) == 0 &&
		    env->v[i][len] == '=') {
			free(env->v[i]);
			env->v[i] = xasprintf("%s=%s", name, value);
			return;
		}
	strv_add(env, xasprintf("%s=%s", name, value));
}

/* Renders an env map onto env; -1 with err after a template error. */
static int
env_apply(struct strv *env, const struct tval *v, struct json_object *root,
    struct buf *err)
{
	struct json_object	*o;
	struct buf		 b = BUF_INIT;

	if (v == NULL)
		return 0;
	if (render_value(v, root, &o, err) < 0)
		return -1;
	json_object_object_foreach(o, k, val) {
		buf_truncate(&b, 0);
		render_plain(&b, val);
		env_set(env, k, buf_str(&b));
	}
	json_object_put(o);
	buf_release(&b);
	return 0;
}

void
tool_base_env(struct project *p, const char *exec_id, const char *workflow)
{
	struct buf		err = BUF_INIT;
	struct json_object	*root;
	char			**e;

	strv_release(&base_env);
	for (e = environ; *e != NULL; e++)
		strv_add(&base_env, xstrdup(*e));
	if (p->config.env != NULL) {
		root = json_object_new_object();
		if (env_apply(&base_env, p->config.env, root, &err) < 0)
			warn("config.yaml env: %s", buf_str(&err));
		json_object_put(root);
	}
	if (exec_id != NULL)
		env_set(&base_env, "MUSTER_EXECUTION_ID", exec_id);
	if (workflow != NULL)
		env_set(&base_env, "MUSTER_WORKFLOW", workflow);
	buf_release(&err);
}

int
tool_env(struct strv *out, const struct tval *env, struct json_object *root,
    const char *const *kv, struct buf *err)
{
	size_t	i;

	for (i = 0; i < base_env.n; i++)
		strv_add(out, xstrdup(base_env.v[i]));
	if (env_apply(out, env, root, err) < 0)
		return -1;
	for (i = 0; kv != NULL && kv[i] != NULL; i += 2)
		env_set(out, kv[i], kv[i + 1]);
	return 0;
}

/*
 * MUSTER_INPUT_<NAME> for every argument: upper case, '-' as '_'.  With
 * secrets, a secret one only when script names its variable: a run: step
 * that does not read it has no use for it in its environment.
 */
static void
env_inputs(struct strv *env, struct json_object *input,
    const struct schema *secrets, const char *script)
{
	const struct arg	*a;

	struct buf	name = BUF_INIT, val = BUF_INIT;
	const char	*c;

	if (!json_object_is_type(input, json_type_object))
		return;
	json_object_object_foreach(input, k, v) {
		buf_truncate(&name, 0);
		buf_truncate(&val, 0);
		buf_adds(&name, "MUSTER_INPUT_");
		for (c = k; *c != '\0'; c++)
			buf_addc(&name, *c == '-' ? '_' :
			    (*c >= 'a' && *c <= 'z') ? *c - 32 : *c);
		if (secrets != NULL && (a = schema_find(secrets, k)) != NULL &&
		    a->secret && (script == NULL ||
		    strstr(script, buf_str(&name)) == NULL))
			continue;
		render_plain(&val, v);
		if (memchr(buf_str(&val), '\0', val.len) == NULL)
			env_set(env, buf_str(&name), buf_str(&val));
	}
	buf_release(&name);
	buf_release(&val);
}

/*
 * A script make would run without a shell: only words of plain characters
 * and a first word that is no shell builtin.  Returns the words or NULL.
 */
static int
split_simple(const char *s, struct strv *argv)
{
	static const char *const	builtins[] = { ".", ":", "alias", "break",
		"case", "cd", "command", "continue", "eval", "exec", "exit",
		"export", "for", "getopts", "hash", "if", "local", "read",
		"readonly", "return", "set", "shift", "source", "times", "trap",
		"type", "ulimit", "umask", "unalias", "unset", "until", "wait",
		"while", "!", "{", "}" };
	const char			*p = s, *start;
	size_t				 i;

	if (strpbrk(s, "#;&|<>()$`\\\"'*?[]~{}=%\n\r") != NULL)
		return -1;
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		start = p;
		while (*p != '\0' && *p != ' ' && *p != '\t')
			p++;
		strv_add(argv, xstrndup(start, (size_t)(p - start)));
	}
	if (argv->n == 0)
		return -1;
	for (i = 0; i < nitems(builtins); i++)
		if (strcmp(argv->v[0], builtins[i]) == 0)
			return -1;
	return 0;
}

/*
 * Writes the script to a private file (0600), so that no secret it holds
 * shows in any process's argv, and runs it with the shell's argv.
 */
static int
script_argv(const struct call *c, const struct shell *sh, const char *script,
    size_t len, struct invocation *inv, struct buf *err)
{
	static const char	*sh_argv[] = { "/bin/sh", "-e" };
	char			 tmp[] = "/tmp/muster-script-XXXXXX";
	size_t			 i, off = 0;
	ssize_t			 w;
	int			 fd;

	if (c->script_file != NULL) {
		inv->script_file = xstrdup(c->script_file);
		fd = open(inv->script_file, O_WRONLY | O_CREAT | O_TRUNC |
		    O_CLOEXEC | O_NOFOLLOW, 0600);
	} else if ((fd = mkostemp(tmp, O_CLOEXEC)) >= 0)
		inv->script_file = xstrdup(tmp);
	if (fd < 0) {
		buf_printf(err, "cannot write the script to '%s': %s",
		    c->script_file ? c->script_file : tmp, strerror(errno));
		return -2;
	}
	for (; off < len; off += (size_t)w)
		if ((w = write(fd, script + off, len - off)) <= 0) {
			buf_printf(err, "cannot write the script to '%s': %s",
			    inv->script_file, strerror(errno));
			close(fd);
			return -2;
		}
	close(fd);
	if (sh == NULL || sh->n == 0)
		for (i = 0; i < nitems(sh_argv); i++)
			strv_add(&inv->argv, xstrdup(sh_argv[i]));
	else
		for (i = 0; i < sh->n; i++)
			strv_add(&inv->argv, xstrdup(sh->argv[i]));
	strv_add(&inv->argv, xstrdup(inv->script_file));
	return 0;
}

/* A run: script, rendered with shell quoting, as argv. */
static int
prepare_script(const struct call *c, const struct tstr *run,
    const struct shell *sh, struct json_object *root,
    struct invocation *inv, struct buf *err)
{
	struct buf	script = BUF_INIT;
	int		rc = 0;

	if (render_text(run, root, TMPL_SHELL, &script, err) < 0) {
		buf_release(&script);
		return -1;
	}
	if (memchr(buf_str(&script), '\0', script.len) != NULL) {
		buf_adds(err, "the rendered script contains a NUL byte");
		buf_release(&script);
		return -1;
	}
	/* One plain command needs no shell (when the shell is one). */
	if ((sh != NULL && sh->n > 0 && !sh->posix) ||
	    split_simple(buf_str(&script), &inv->argv) < 0) {
		strv_release(&inv->argv);
		rc = script_argv(c, sh, script.s, script.len, inv, err);
	}
	buf_release(&script);
	return rc;
}

/* A Tool file's command: each element rendered into one argument. */
static int
prepare_command(const struct tool *t, struct json_object *root,
    struct invocation *inv, struct buf *err)
{
	struct buf	arg = BUF_INIT;
	size_t		i;

	for (i = 0; i < t->ncommand; i++) {
		buf_truncate(&arg, 0);
		if (render_text(&t->command[i], root, 0, &arg, err) < 0) {
			buf_release(&arg);
			return -1;
		}
		if (memchr(buf_str(&arg), '\0', arg.len) != NULL) {
			buf_printf(err, "argument %zu of the command contains "
			    "a NUL byte", i + 1);
			buf_release(&arg);
			return -1;
		}
		strv_add(&inv->argv, xstrdup(buf_str(&arg)));
	}
	buf_release(&arg);
	return 0;
}

/* Adds to given (made when NULL) the arguments of input that s declares. */
static struct json_object *
pass_input(const struct schema *s, struct json_object *input,
    struct json_object *given)
{
	struct json_object	*v;
	size_t			 i;

	if (given == NULL)
		given = json_object_new_object();
	for (i = 0; i < s->n; i++)
		if (!json_object_object_get_ex(given, s->args[i].name, NULL) &&
		    json_object_object_get_ex(input, s->args[i].name, &v))
			json_object_object_add(given, s->args[i].name,
			    json_object_get(v));
	return given;
}

/* The arguments of the call, rendered and checked against the schema. */
static int
prepare_input(const struct call *c, struct invocation *inv, struct buf *err)
{
	struct json_object	*given = NULL;
	const struct schema	*s = NULL;
	size_t			 mark;
	int			 rc;

	if (c->given != NULL)
		given = json_object_get(c->given);
	else if (c->args != NULL &&
	    render_value(c->args, c->root, &given, err) < 0)
		return -1;
	if (given != NULL && !json_object_is_type(given, json_type_object)) {
		buf_adds(err, "'args' must render to a mapping");
		json_object_put(given);
		return -1;
	}
	if (c->ref == TOOL_FILE)
		s = &c->tool->args;
	else if (c->ref == TOOL_WORKFLOW)
		s = &c->callee->args;
	if (s == NULL && c->ref == TOOL_BUILTIN) {
		rc = builtin_normalize(c->builtin, given, &inv->input, err);
		json_object_put(given);
		return rc;
	}
	if (s == NULL) {
		inv->input = given != NULL ? given : json_object_new_object();
		return 0;
	}
	if (c->pass_input)
		given = pass_input(s, c->wf_input, given);
	inv->schema = s;
	mark = err->len;
	buf_printf(err, "bad arguments for tool '%s': ", c->name);
	error_capture(err);
	rc = schema_apply(s, given, NULL, &inv->input);
	error_capture_end();
	json_object_put(given);
	if (rc == 0)
		buf_truncate(err, mark);
	return rc;
}

static int
prepare_dir(const struct call *c, struct invocation *inv, struct buf *err)
{
	struct buf	d = BUF_INIT;
	const struct tstr *w = c->workdir;

	if (w == NULL || w->src == NULL) {
		if (c->run == NULL && c->ref == TOOL_FILE &&
		    c->tool->workdir.src != NULL)
			w = &c->tool->workdir;
		else {
			inv->dir = xstrdup(c->p->root);
			return 0;
		}
	}
	if (render_text(w, c->root, 0, &d, err) < 0) {
		buf_release(&d);
		return -1;
	}
	if (d.len > 0 && d.s[0] == '/')
		inv->dir = buf_detach(&d);
	else {
		inv->dir = xasprintf("%s/%s", c->p->root, buf_str(&d));
		buf_release(&d);
	}
	return 0;
}

static int
prepare_env(const struct call *c, struct invocation *inv,
    struct json_object *troot, struct buf *err)
{
	const struct workflow	*w;
	char			 num[16];
	size_t			 i;

	for (i = 0; i < base_env.n; i++)
		strv_add(&inv->env, xstrdup(base_env.v[i]));
	if (c->key != NULL)
		env_set(&inv->env, "MUSTER_STEP", c->key);
	snprintf(num, sizeof num, "%d", c->attempt > 0 ? c->attempt : 1);
	env_set(&inv->env, "MUSTER_ATTEMPT", num);
	if (c->out_file != NULL)
		env_set(&inv->env, "MUSTER_OUTPUT", c->out_file);
	if (c->run == NULL)
		env_inputs(&inv->env, inv->input, NULL, NULL);
	else	/* a run: step */
		env_inputs(&inv->env, inv->input, (w = project_workflow(c->p,
		    c->workflow)) != NULL ? &w->args : NULL, c->run->src);
	if (c->ref == TOOL_FILE && c->run == NULL &&
	    env_apply(&inv->env, c->tool->env, troot, err) < 0)
		return -1;
	return env_apply(&inv->env, c->step_env, c->root, err);
}

/*
 * The project's folder for a muster child, which runs in a step's working
 * folder: absolute, so that it names the same folder from there.
 */
static void
add_project(struct strv *argv, const struct project *p)
{
	char	*abs = realpath(p->root, NULL);

	strv_add(argv, xstrdup("-C"));
	strv_add(argv, abs != NULL ? abs : xstrdup(p->root));
}

/* Writes the call's arguments where a muster child reads them. */
static int
write_args(const struct call *c, struct invocation *inv, struct buf *err)
{
	const char	*text = json_object_to_json_string_ext(inv->input,
			    JSON_C_TO_STRING_PLAIN |
		    JSON_C_TO_STRING_NOSLASHESCAPE);
	size_t		 len = strlen(text), off = 0;
	int		 fd;

	if (c->args_file == NULL) {
		buf_adds(err, "no place for the tool's arguments");
		return -1;
	}
	fd = open(c->args_file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC |
	    O_NOFOLLOW, 0600);
	if (fd < 0) {
		buf_printf(err, "cannot write '%s'", c->args_file);
		return -1;
	}
	while (off < len) {
		ssize_t	w = write(fd, text + off, len - off);

		if (w <= 0)
			break;
		off += (size_t)w;
	}
	close(fd);
	return 0;
}

/* A child execution: muster runs itself with the input in a file. */
static int
prepare_workflow(const struct call *c, struct invocation *inv,
    struct buf *err)
{
	char		 num[16];

	if (write_args(c, inv, err) < 0)
		return -1;
	snprintf(num, sizeof num, "%d", c->jobs);
	strv_add(&inv->argv, xstrdup(c->self));
	strv_add(&inv->argv, xstrdup("-q"));
	add_project(&inv->argv, c->p);
	strv_add(&inv->argv, xstrdup("run"));
	strv_add(&inv->argv, xstrdup(c->callee->name));
	strv_add(&inv->argv, xstrdup("--args-file"));
	strv_add(&inv->argv, xstrdup(c->args_file));
	strv_add(&inv->argv, xstrdup("--result-json"));
	strv_add(&inv->argv, xstrdup("-j"));
	strv_add(&inv->argv, xstrdup(num));
	if (c->exec_id != NULL) {
		strv_add(&inv->argv, xstrdup("--parent"));
		strv_add(&inv->argv, xstrdup(c->exec_id));
	}
	return 0;
}

#define MCP_GRACE_NS	2000000000LL

/*
 * An MCP tool: muster runs itself on it, with the arguments in a file;
 * within an execution it reaches the execution's server through a broker.
 */
static int
prepare_mcp(const struct call *c, struct invocation *inv, struct buf *err)
{
	int64_t	t = c->timeout_ns > 0 ? c->timeout_ns : c->tool->timeout_ns;
	char	pid[24], num[32];

	if (write_args(c, inv, err) < 0)
		return -1;
	/* It gives up at t itself; muster kills it a little later. */
	if (t > 0)
		inv->timeout_ns = t + MCP_GRACE_NS;
	strv_add(&inv->argv, xstrdup(c->self));
	strv_add(&inv->argv, xstrdup("-q"));
	add_project(&inv->argv, c->p);
	strv_add(&inv->argv, xstrdup("__mcp-call"));
	strv_add(&inv->argv, xstrdup(c->tool->name));
	strv_add(&inv->argv, xstrdup("--args-file"));
	strv_add(&inv->argv, xstrdup(c->args_file));
	if (t > 0) {
		snprintf(num, sizeof num, "%lldms", (long long)(t / 1000000));
		strv_add(&inv->argv, xstrdup("--timeout"));
		strv_add(&inv->argv, xstrdup(num));
	}
	if (c->exec_dir != NULL && c->tool->mcp->type == MCP_STDIO) {
		/* Its broker's, which a warm call reaches without loading
		 * the project. */
		strv_add(&inv->argv, xstrdup("--server"));
		strv_add(&inv->argv, xstrdup(c->tool->mcp->name));
		strv_add(&inv->argv, xstrdup("--tool"));
		strv_add(&inv->argv, xstrdup(c->tool->mcp_tool));
		snprintf(pid, sizeof pid, "%ld", (long)getpid());
		strv_add(&inv->argv, xstrdup("--state"));
		strv_add(&inv->argv, xstrdup(c->exec_dir));
		strv_add(&inv->argv, xstrdup("--runner"));
		strv_add(&inv->argv, xstrdup(pid));
	}
	return 0;
}

static int	prepare(const struct call *, struct invocation *,
		    struct buf *);

int
tool_prepare(const struct call *c, struct invocation *inv, struct buf *err)
{
	int	rc = prepare(c, inv, err);

	if (rc == 0)
		return 0;
	invocation_release(inv);
	return rc;
}

static int
prepare(const struct call *c, struct invocation *inv, struct buf *err)
{
	struct json_object	*troot = NULL;
	int			 rc = -1;

	memset(inv, 0, sizeof *inv);
	inv->builtin = -1;
	if (c->run != NULL) {
		inv->kind = INV_PROC;
		inv->input = json_object_get(c->wf_input);
		if ((rc = prepare_script(c, c->run, c->shell, c->root, inv,
		    err)) < 0)
			return rc;
		goto common;
	}
	if (prepare_input(c, inv, err) < 0)
		return -1;
	if (c->ref == TOOL_BUILTIN && builtin_service(c->builtin) == NULL) {
		inv->kind = INV_BUILTIN;
		inv->builtin = c->builtin;
		return 0;
	}
	if (c->ref == TOOL_BUILTIN) {
		/* A service operation may wait: a process of its own. */
		inv->kind = INV_PROC;
		strv_add(&inv->argv, xstrdup(c->self));
		strv_add(&inv->argv, xstrdup("-q"));
		add_project(&inv->argv, c->p);
		if (builtin_service_argv(builtin_service(c->builtin),
		    inv->input, c->args_file, &inv->argv, err) < 0)
			return -1;
		goto common;
	}
	if (c->ref == TOOL_MCP) {
		/* A process that calls it: see doc/mcp.md. */
		inv->kind = INV_PROC;
		if (prepare_mcp(c, inv, err) < 0)
			return -1;
		goto common;
	}
	if (c->ref == TOOL_WORKFLOW) {
		inv->kind = INV_WORKFLOW;
		inv->callee = c->callee;
		if (prepare_workflow(c, inv, err) < 0)
			return -1;
		goto common;
	}
	inv->kind = INV_PROC;
	inv->timeout_ns = c->tool->timeout_ns;
	/* A tool's own templates see its arguments as .input. */
	troot = render_root(inv->input, NULL, NULL, NULL, NULL, NULL);
	if (c->tool->ncommand > 0)
		rc = prepare_command(c->tool, troot, inv, err);
	else
		rc = prepare_script(c, &c->tool->run, &c->tool->shell,
		    troot, inv, err);
	if (rc < 0)
		goto out;
common:
	if (prepare_dir(c, inv, err) < 0 ||
	    prepare_env(c, inv, troot, err) < 0)
		goto out;
	rc = 0;
out:
	json_object_put(troot);
	return rc;
}

void
invocation_release(struct invocation *inv)
{
	strv_release(&inv->argv);
	strv_release(&inv->env);
	free(inv->dir);
	if (inv->script_file != NULL)
		unlink(inv->script_file);
	free(inv->script_file);
	json_object_put(inv->input);
	memset(inv, 0, sizeof *inv);
}
