/* mcpspec.c: rendering an MCPServer definition into what the client needs. */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "engine/mcpspec.h"
#include "engine/render.h"
#include "def/model.h"
#include "base/value.h"

static int
render_headers(const struct mcp_server *m, struct json_object *root,
    struct strv *out, struct buf *err)
{
	struct json_object	*o;
	struct buf		 v = BUF_INIT;

	if (m->headers == NULL)
		return 0;
	if (render_value(m->headers, root, &o, err) < 0)
		return -1;
	json_object_object_foreach(o, k, val) {
		buf_truncate(&v, 0);
		render_plain(&v, val);
		strv_add(out, xasprintf("%s: %s", k, buf_str(&v)));
	}
	json_object_put(o);
	buf_release(&v);
	return 0;
}

/* A step's own variables: a server shared by many steps gets none. */
static void
drop_step_env(struct strv *env)
{
	static const char *const	own[] = { "MUSTER_STEP=",
		"MUSTER_ATTEMPT=", "MUSTER_OUTPUT=", "MUSTER_INPUT_" };
	size_t				i, k, n = 0;

	for (i = 0; i < env->n; i++) {
		for (k = 0; k < nitems(own); k++)
			if (strncmp(env->v[i], own[k], strlen(own[k])) == 0)
				break;
		if (k < nitems(own))
			free(env->v[i]);
		else
			env->v[n++] = env->v[i];
	}
	env->n = n;
	if (env->v != NULL)
		env->v[n] = NULL;
}

int
mcp_ready(struct project *p, const struct mcp_server *m, int log_fd,
    struct mcp_ready *r, struct buf *err)
{
	struct json_object	*root = json_object_new_object();
	struct buf		 b = BUF_INIT;
	size_t			 i;
	int			 rc = -1;

	memset(r, 0, sizeof *r);
	r->spec.name = m->name;
	r->spec.http = m->type == MCP_HTTP;
	r->spec.log_fd = log_fd;
	for (i = 0; i < m->ncommand; i++) {
		buf_truncate(&b, 0);
		if (render_text(&m->command[i], root, 0, &b, err) < 0)
			goto out;
		strv_add(&r->argv, xstrdup(buf_str(&b)));
	}
	if (tool_env(&r->env, m->env, root, NULL, err) < 0)
		goto out;
	drop_step_env(&r->env);
	if (m->url.src != NULL) {
		buf_truncate(&b, 0);
		if (render_text(&m->url, root, 0, &b, err) < 0)
			goto out;
		r->url = xstrdup(buf_str(&b));
	}
	if (render_headers(m, root, &r->headers, err) < 0)
		goto out;
	/* A stdio server runs in the project's folder, like a tool. */
	r->dir = xstrdup(p->root);
	r->spec.argv = r->argv.v;
	r->spec.envp = r->env.v;
	r->spec.dir = r->dir;
	r->spec.url = r->url;
	r->spec.headers = r->headers.v;
	rc = 0;
out:
	if (rc < 0)
		mcp_ready_release(r);
	json_object_put(root);
	buf_release(&b);
	return rc;
}

void
mcp_ready_release(struct mcp_ready *r)
{
	strv_release(&r->argv);
	strv_release(&r->env);
	strv_release(&r->headers);
	free(r->url);
	free(r->dir);
	memset(r, 0, sizeof *r);
}
