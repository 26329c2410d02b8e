/* mcp-online.c: `validate --online`: MCP steps checked against what their
 * servers say (tools/list): the tool exists, its constant arguments fit. */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "cmd/mcp.h"
#include "def/model.h"
#include "engine/mcpspec.h"
#include "base/value.h"

static struct json_object *
get(struct json_object *o, const char *key)
{
	struct json_object	*v = NULL;

	if (o != NULL && json_object_is_type(o, json_type_object))
		json_object_object_get_ex(o, key, &v);
	return v;
}

/* Whether v is of JSON Schema type t (a string, or a list of them). */
static bool
type_ok(struct json_object *t, struct json_object *v)
{
	const char	*s;
	size_t		 i;

	if (t == NULL)
		return true;
	if (json_object_is_type(t, json_type_array)) {
		for (i = 0; i < json_object_array_length(t); i++)
			if (type_ok(json_object_array_get_idx(t, i), v))
				return true;
		return false;
	}
	s = json_object_get_string(t);
	switch (json_object_get_type(v)) {
	case json_type_string:	return strcmp(s, "string") == 0;
	case json_type_int:	return strcmp(s, "integer") == 0 ||
				    strcmp(s, "number") == 0;
	case json_type_double:	return strcmp(s, "number") == 0;
	case json_type_boolean:	return strcmp(s, "boolean") == 0;
	case json_type_array:	return strcmp(s, "array") == 0;
	case json_type_object:	return strcmp(s, "object") == 0;
	case json_type_null:	return strcmp(s, "null") == 0;
	}
	return true;
}

/* One step's (or condition's) arguments against the tool's inputSchema. */
static int
check_args(const struct tool *t, const struct tval *args,
    struct json_object *schema, const struct loc *l)
{
	struct json_object	*props = get(schema, "properties");
	struct json_object	*req = get(schema, "required");
	struct json_object	*extra = get(schema, "additionalProperties");
	size_t			 i, k;
	int			 rc = 0;

	for (i = 0; json_object_is_type(req, json_type_array) &&
	    i < json_object_array_length(req); i++) {
		const char	*name = json_object_get_string(
				    json_object_array_get_idx(req, i));
		bool		 found = false;

		for (k = 0; args != NULL && args->kind == TV_MAP &&
		    k < args->n; k++)
			found |= strcmp(args->keys[k], name) == 0;
		if (args != NULL && args->kind == TV_CONST)
			found = get(args->json, name) != NULL;
		if (!found)
			rc = loc_error(l, "tool '%s' needs argument '%s'",
			    t->name, name);
	}
	if (args == NULL)
		return rc;
	if (args->kind == TV_CONST) {
		json_object_object_foreach(args->json, key, v) {
			struct json_object	*p = get(props, key);

			if (p == NULL && extra != NULL &&
			    !json_object_get_boolean(extra))
				rc = loc_error(l, "tool '%s' has no argument "
				    "'%s'", t->name, key);
			else if (p != NULL && !type_ok(get(p, "type"), v))
				rc = loc_error(l, "argument '%s' of tool '%s' "
				    "must be %s", key, t->name,
				    json_object_to_json_string(get(p, "type")));
		}
		return rc;
	}
	for (k = 0; args->kind == TV_MAP && k < args->n; k++) {
		struct json_object	*p = get(props, args->keys[k]);

		if (p == NULL && extra != NULL && !json_object_get_boolean(extra))
			rc = loc_error(&args->items[k]->loc, "tool '%s' has no "
			    "argument '%s'", t->name, args->keys[k]);
		else if (p != NULL && args->items[k]->kind == TV_CONST &&
		    !type_ok(get(p, "type"), args->items[k]->json))
			rc = loc_error(&args->items[k]->loc, "argument '%s' of "
			    "tool '%s' must be %s", args->keys[k], t->name,
			    json_object_to_json_string(get(p, "type")));
	}
	return rc;
}

/* The tools of every server used, asked once: server name -> array. */
static struct json_object *
tools_of(struct project *p, const struct mcp_server *m,
    struct json_object *cache)
{
	struct json_object	*tools = get(cache, m->name);
	struct mcp_ready	 r;
	struct mcp_client	*c;
	struct buf		 err = BUF_INIT;

	if (tools != NULL || json_object_object_get_ex(cache, m->name, NULL))
		return tools;
	if ((c = cmd_mcp_open(p, m, -1, &r)) != NULL) {
		if (mcp_list_tools(c, m->timeout_ns > 0 ? m->timeout_ns :
		    MCP_START_TIMEOUT, &tools, &err) < 0)
			error("MCP server '%s': %s", m->name, buf_str(&err));
		mcp_close(c);
		mcp_ready_release(&r);
	}
	json_set(cache, m->name, tools);
	buf_release(&err);
	return tools;
}

static int
check_call(struct project *p, const struct tool *t, const struct tval *args,
    const struct loc *l, struct json_object *cache)
{
	struct json_object	*tools = tools_of(p, t->mcp, cache);
	const char		*names[512], *sg;
	size_t			 i, n = 0;

	if (tools == NULL)
		return -1;
	for (i = 0; i < json_object_array_length(tools); i++) {
		struct json_object	*o = json_object_array_get_idx(tools, i);
		const char		*name = json_object_get_string(get(o,
					    "name"));

		if (name != NULL && strcmp(name, t->mcp_tool) == 0)
			return check_args(t, args, get(o, "inputSchema"), l);
		if (n < nitems(names) && name != NULL)
			names[n++] = name;
	}
	if ((sg = suggest(t->mcp_tool, names, n)) != NULL)
		return loc_error(l, "MCP server '%s' has no tool '%s' (did you "
		    "mean 'x_%s_%s'?)", t->mcp->name, t->mcp_tool,
		    t->mcp->name, sg);
	return loc_error(l, "MCP server '%s' has no tool '%s'", t->mcp->name,
	    t->mcp_tool);
}

static int
check_steps(struct project *p, struct step **steps, size_t n,
    struct json_object *cache)
{
	size_t	i;
	int	rc = 0;

	for (i = 0; i < n; i++) {
		const struct step	*s = steps[i];

		if (s->kind == STEP_TOOL && s->tool_ref == TOOL_MCP)
			rc |= check_call(p, s->tool, s->args, &s->tool_loc,
			    cache);
		if (s->cond != NULL && s->cond->kind == COND_TOOL &&
		    s->cond->tool_ref == TOOL_MCP)
			rc |= check_call(p, s->cond->tool_def, s->cond->args,
			    &s->cond->tool_loc, cache);
		rc |= check_steps(p, s->sub, s->nsub, cache);
	}
	return rc;
}

int
cmd_mcp_online(struct project *p)
{
	struct json_object	*cache = json_object_new_object();
	size_t			 i;
	int			 rc = 0;

	for (i = 0; i < p->nworkflows; i++) {
		rc |= check_steps(p, p->workflows[i]->steps,
		    p->workflows[i]->nsteps, cache);
		rc |= check_steps(p, p->workflows[i]->on_failure,
		    p->workflows[i]->non_failure, cache);
		rc |= check_steps(p, p->workflows[i]->recovery,
		    p->workflows[i]->nrecovery, cache);
	}
	json_object_put(cache);
	return rc < 0 ? -1 : 0;
}

struct json_object *
cmd_mcp_online_tools(struct project *p)
{
	struct json_object	*cache = json_object_new_object();
	struct json_object	*out = json_object_new_array(), *tools;
	size_t			 i, k;

	for (i = 0; i < p->nmcp; i++) {
		const struct mcp_server	*m = p->mcpservers[i];

		if ((tools = tools_of(p, m, cache)) == NULL)
			continue;
		for (k = 0; k < json_object_array_length(tools); k++) {
			struct json_object	*t = json_object_array_get_idx(
						    tools, k);
			struct json_object	*row = json_object_new_object();
			const char		*d = json_object_get_string(
						    get(t, "description"));
			char			*name = xasprintf("x_%s_%s",
						    m->name,
						    json_object_get_string(get(t,
						    "name")));

			json_set(row, "name", json_str(name));
			/* The first line: a list shows one line a tool. */
			json_set(row, "description", d != NULL ?
			    json_object_new_string_len(d, (int)strcspn(d,
			    "\n")) : NULL);
			json_set(row, "file", json_str(m->file));
			json_object_array_add(out, row);
			free(name);
		}
	}
	json_object_put(cache);
	return out;
}
