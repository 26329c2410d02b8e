/* mcp-runs.c: `muster mcp serve`'s tools/call: each a muster child, relayed. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <json-c/json.h>

#include "cmd/mcp-serve.h"
#include "def/builtins.h"
#include "def/project.h"
#include "base/proc.h"
#include "base/value.h"

#define ERR_CAP		65536		/* of a child's stderr, kept */

static struct json_object *
get(struct json_object *o, const char *key)
{
	struct json_object	*v = NULL;

	if (o != NULL && json_object_is_type(o, json_type_object))
		json_object_object_get_ex(o, key, &v);
	return v;
}

/* A CallToolResult: text, and structured content when there is some. */
static struct json_object *
call_result(const char *text, struct json_object *structured, bool is_error)
{
	struct json_object	*r = json_object_new_object(), *c, *item;

	c = json_object_new_array();
	item = json_object_new_object();
	json_set(item, "type", json_str("text"));
	json_set(item, "text", json_str(text));
	json_object_array_add(c, item);
	json_set(r, "content", c);
	if (structured != NULL)
		json_set(r, "structuredContent", structured);
	if (is_error)
		json_set(r, "isError", json_object_new_boolean(1));
	return r;
}

static void
answer_error(struct json_object *id, const char *text)
{
	serve_send(rpc_result(id, call_result(text, NULL, true)));
}

/* Which tools a call may name; NULL when it is none of them. */
static const char *
kind_of(struct serve *s, const char *name)
{
	size_t	i;

	if (strncmp(name, "workflow_", 9) == 0 &&
	    project_workflow(s->p, name + 9) != NULL)
		return "run";
	if (builtin_find(name) >= 0)
		return "call";
	if (!s->with_tools)
		return NULL;
	if (project_tool(s->p, name) != NULL)
		return "call";
	for (i = 0; s->mcp_tools != NULL &&
	    i < json_object_array_length(s->mcp_tools); i++)
		if (strcmp(json_object_get_string(get(
		    json_object_array_get_idx(s->mcp_tools, i), "name")),
		    name) == 0)
			return "call";
	return NULL;
}

static char *
write_args(struct json_object *args)
{
	char		 path[] = "/tmp/muster-mcp-XXXXXX";
	const char	*text = json_object_to_json_string_ext(args,
			    JSON_C_TO_STRING_PLAIN);
	size_t		 len = strlen(text), off = 0;
	ssize_t		 w;
	int		 fd;

	if ((fd = mkostemp(path, O_CLOEXEC)) < 0)
		return NULL;
	while (off < len && (w = write(fd, text + off, len - off)) > 0)
		off += (size_t)w;
	close(fd);
	if (off < len) {
		unlink(path);
		return NULL;
	}
	return xstrdup(path);
}

static void
progress(struct serve_run *r, double done, const char *fmt, ...)
	PRINTF(3, 4);

static void
progress(struct serve_run *r, double done, const char *fmt, ...)
{
	struct json_object	*p;
	va_list			 ap;
	char			*msg;

	if (r->token == NULL)
		return;
	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	p = json_object_new_object();
	json_set(p, "progressToken", json_object_get(r->token));
	json_set(p, "progress", json_object_new_double(done));
	if (r->total > 0)
		json_set(p, "total", json_object_new_int(r->total));
	json_set(p, "message", json_str(msg));
	serve_send(rpc_request(-1, "notifications/progress", p));
	free(msg);
}

static void
start(struct serve *s, struct json_object *id, const char *name,
    const char *how, struct json_object *args, struct json_object *token)
{
	struct serve_run	*r;
	struct proc_req		 req = { 0 };
	struct child		 c;
	char			*argv[12], *file;
	int			 n = 0;

	if ((file = write_args(args)) == NULL) {
		answer_error(id, "cannot write the call's arguments in /tmp");
		return;
	}
	argv[n++] = (char *)s->self;
	argv[n++] = "-C";
	argv[n++] = s->root;
	argv[n++] = (char *)how;
	argv[n++] = (char *)(strcmp(how, "run") == 0 ? name + 9 : name);
	argv[n++] = "--args-file";
	argv[n++] = file;
	if (strcmp(how, "run") == 0)
		argv[n++] = "--json";
	argv[n] = NULL;
	req.argv = argv;
	req.envp = environ;
	req.capture = 1;
	req.out_fd = -1;
	if (proc_start(&req, &c) < 0) {
		answer_error(id, "cannot start muster");
		unlink(file);
		free(file);
		return;
	}
	r = xcalloc(1, sizeof *r);
	r->pid = c.pid;
	r->out = c.out;
	r->err = c.err;
	r->rd = (struct rpc_reader)RPC_READER_INIT(c.out);
	r->id = json_object_get(id);
	r->token = json_object_get(token);
	r->args_file = file;
	r->tool = xstrdup(name);
	r->workflow = strcmp(how, "run") == 0;
	s->runs[s->nruns++] = r;
}

void
serve_call(struct serve *s, struct json_object *id, struct json_object *params)
{
	struct json_object	*name = get(params, "name");
	struct json_object	*args = get(params, "arguments");
	const char		*how;
	char			*msg;

	if (name == NULL || !json_object_is_type(name, json_type_string)) {
		serve_send(rpc_error(id, -32602, "tools/call needs a name"));
		return;
	}
	if ((how = kind_of(s, json_object_get_string(name))) == NULL) {
		msg = xasprintf("unknown tool '%s'",
		    json_object_get_string(name));
		serve_send(rpc_error(id, -32602, msg));
		free(msg);
		return;
	}
	if (args != NULL && !json_object_is_type(args, json_type_object)) {
		serve_send(rpc_error(id, -32602, "arguments must be an "
		    "object"));
		return;
	}
	if (s->nruns == SERVE_MAX_RUNS) {
		answer_error(id, "too many calls at once; try again later");
		return;
	}
	args = args != NULL ? json_object_get(args) : json_object_new_object();
	start(s, id, json_object_get_string(name), how, args,
	    get(get(params, "_meta"), "progressToken"));
	json_object_put(args);
}

void
serve_cancel(struct serve *s, struct json_object *request_id)
{
	size_t	i;

	for (i = 0; i < s->nruns; i++)
		if (json_object_equal(s->runs[i]->id, request_id) &&
		    !s->runs[i]->exited) {
			s->runs[i]->cancelled = true;
			proc_kill_group(s->runs[i]->pid, SIGTERM);
		}
}

void
serve_stop_all(struct serve *s)
{
	size_t	i;

	for (i = 0; i < s->nruns; i++) {
		s->runs[i]->cancelled = true;
		if (!s->runs[i]->exited)
			proc_kill_group(s->runs[i]->pid, SIGTERM);
	}
}

size_t
serve_runs_pollfds(struct serve *s, struct pollfd *pfd, size_t n)
{
	size_t	i;

	for (i = 0; i < s->nruns; i++) {
		pfd[n++] = (struct pollfd){ s->runs[i]->out, POLLIN, 0 };
		pfd[n++] = (struct pollfd){ s->runs[i]->err, POLLIN, 0 };
	}
	return n;
}

/* One --json event of a workflow's run. */
static void
event(struct serve_run *r, struct json_object *e)
{
	const char	*ev = json_object_get_string(get(e, "event"));
	const char	*step = json_object_get_string(get(e, "step"));

	if (ev == NULL)
		return;
	if (strcmp(ev, "run_started") == 0) {
		r->total = json_object_get_int(get(e, "steps"));
		free(r->exec_id);
		r->exec_id = xstrdup(json_object_get_string(get(e,
		    "execution_id")));
		progress(r, 0, "execution %s started", r->exec_id);
	} else if (strcmp(ev, "step_progress") == 0)
		progress(r, r->done, "%s: %s", step, json_object_get_string(
		    get(e, "message")));
	else if (strcmp(ev, "run_finished") == 0) {
		json_object_put(r->finished);
		r->finished = json_object_get(e);
	} else if (strncmp(ev, "step_", 5) == 0 && strcmp(ev, "step_started") &&
	    strcmp(ev, "step_retrying")) {
		r->done++;
		progress(r, r->done, "%s %s", step, ev + 5);
		if (strcmp(ev, "step_failed") == 0 && r->first_error == NULL)
			r->first_error = xasprintf("step '%s' failed: %s", step,
			    json_object_get_string(get(e, "error")));
	}
}

static void
read_out(struct serve_run *r)
{
	struct json_object	*e;
	struct buf		 why = BUF_INIT;
	const char		*line;
	size_t			 len;
	int			 rc, ok;

	while ((rc = rpc_read_line(&r->rd, &line, &len)) > 0) {
		if (!r->workflow) {
			if (r->out_text.len < MCP_MAX_MESSAGE) {
				buf_add(&r->out_text, line, len);
				buf_addc(&r->out_text, '\n');
			}
			continue;
		}
		e = json_parse(line, len, &ok, &why);
		if (ok)
			event(r, e);
		json_object_put(e);
		buf_truncate(&why, 0);
	}
	buf_release(&why);
	if (rc < 0) {
		close(r->out);
		r->out = -1;
	}
}

static void
read_err(struct serve_run *r)
{
	char	chunk[4096];
	ssize_t	n;

	while ((n = read(r->err, chunk, sizeof chunk)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n < 0)
			break;
		if (r->errtext.len < ERR_CAP)
			buf_add(&r->errtext, chunk, (size_t)n);
	}
	close(r->err);
	r->err = -1;
}

void
serve_runs_io(struct serve *s, struct pollfd *pfd, size_t n)
{
	size_t	i, k;

	for (i = 0, k = 1; i < s->nruns && k + 1 < n + 1; i++, k += 2) {
		if (pfd[k].fd >= 0 && pfd[k].revents != 0)
			read_out(s->runs[i]);
		if (pfd[k + 1].fd >= 0 && pfd[k + 1].revents != 0)
			read_err(s->runs[i]);
	}
}

/* What muster said on stderr, without its "muster: " prefixes. */
static void
said(struct serve_run *r, struct buf *to)
{
	const char	*p = buf_str(&r->errtext), *nl;

	while (*p != '\0') {
		nl = strchr(p, '\n');
		if (strncmp(p, "muster: ", 8) == 0)
			p += 8;
		if (strncmp(p, "execution ", 10) != 0)
			buf_add(to, p, nl ? (size_t)(nl - p) + 1 : strlen(p));
		p = nl ? nl + 1 : p + strlen(p);
	}
	while (to->len > 0 && to->s[to->len - 1] == '\n')
		buf_truncate(to, to->len - 1);
}

static struct json_object *
as_object(struct json_object *v)
{
	struct json_object	*o;

	if (json_object_is_type(v, json_type_object))
		return json_object_get(v);
	o = json_object_new_object();
	json_set(o, "result", json_object_get(v));
	return o;
}

static void
answer_run(struct serve_run *r)
{
	const char		*st = json_object_get_string(get(r->finished,
				    "status"));
	struct json_object	*sc;
	struct buf		 t = BUF_INIT;

	if (st != NULL && strcmp(st, "completed") == 0) {
		sc = as_object(get(r->finished, "result"));
		if (get(sc, "execution_id") == NULL)
			json_set(sc, "execution_id", json_str(r->exec_id));
		serve_send(rpc_result(r->id, call_result(
		    json_object_to_json_string_ext(sc, JSON_C_TO_STRING_PLAIN),
		    sc, false)));
		return;
	}
	sc = json_object_new_object();
	if (r->exec_id != NULL) {
		buf_printf(&t, "workflow '%s' %s (execution %s)", r->tool + 9,
		    st ? st : "failed", r->exec_id);
		if (r->first_error != NULL)
			buf_printf(&t, ": %s", r->first_error);
		else if (get(r->finished, "error") != NULL)
			buf_printf(&t, ": %s", json_object_get_string(get(
			    r->finished, "error")));
		buf_printf(&t, "\nresume: muster resume %s", r->exec_id);
		json_set(sc, "execution_id", json_str(r->exec_id));
	} else
		said(r, &t);
	if (t.len == 0)
		buf_printf(&t, "workflow '%s' failed", r->tool + 9);
	json_set(sc, "status", json_str(st ? st : "failed"));
	json_set(sc, "error", json_str(r->first_error ? r->first_error :
	    buf_str(&t)));
	serve_send(rpc_result(r->id, call_result(buf_str(&t), sc, true)));
	buf_release(&t);
}

static void
answer_call(struct serve_run *r)
{
	struct json_object	*v;
	struct buf		 why = BUF_INIT, t = BUF_INIT;
	int			 ok;

	if (WIFEXITED(r->status) && WEXITSTATUS(r->status) == 0) {
		v = json_parse(r->out_text.s, r->out_text.len, &ok, &why);
		if (ok)
			serve_send(rpc_result(r->id, call_result(
			    buf_str(&r->out_text), as_object(v), false)));
		else
			serve_send(rpc_result(r->id, call_result(
			    buf_str(&r->out_text), NULL, false)));
		json_object_put(v);
	} else {
		said(r, &t);
		answer_error(r->id, t.len > 0 ? buf_str(&t) : "the tool failed");
	}
	buf_release(&why);
	buf_release(&t);
}

static void
run_free(struct serve_run *r)
{
	if (r->out >= 0)
		close(r->out);
	if (r->err >= 0)
		close(r->err);
	rpc_reader_release(&r->rd);
	buf_release(&r->errtext);
	buf_release(&r->out_text);
	json_object_put(r->id);
	json_object_put(r->token);
	json_object_put(r->finished);
	unlink(r->args_file);
	free(r->args_file);
	free(r->tool);
	free(r->exec_id);
	free(r->first_error);
	free(r);
}

void
serve_reap(struct serve *s)
{
	size_t	i;
	pid_t	pid;
	int	st;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0)
		for (i = 0; i < s->nruns; i++)
			if (s->runs[i]->pid == pid) {
				s->runs[i]->exited = true;
				s->runs[i]->status = st;
			}
	for (i = 0; i < s->nruns;) {
		struct serve_run	*r = s->runs[i];

		/* Answered once all it wrote is read. */
		if (!r->exited || r->out >= 0 || r->err >= 0) {
			i++;
			continue;
		}
		if (!r->cancelled && r->workflow)
			answer_run(r);
		else if (!r->cancelled)
			answer_call(r);
		run_free(r);
		s->runs[i] = s->runs[--s->nruns];
	}
}
