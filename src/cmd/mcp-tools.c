/* mcp-tools.c: the tools `muster mcp serve` offers, and their input schemas. */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "cmd/mcp.h"
#include "cmd/mcp-serve.h"
#include "def/builtins.h"
#include "def/model.h"
#include "engine/mcpspec.h"
#include "base/value.h"

static const char *const	json_types[] = { "string", "integer", "number",
				    "boolean", "object", "array" };

/* One argument as a JSON Schema property. */
static struct json_object *
property(const struct arg *a)
{
	struct json_object	*o = json_object_new_object();
	bool			 str = a->type == ARG_STRING;
	bool			 num = a->type == ARG_INTEGER ||
				    a->type == ARG_NUMBER;

	json_set(o, "type", json_str(json_types[a->type]));
	if (a->description != NULL || a->secret)
		json_set(o, "description", a->secret ? json_object_new_string(
		    a->description != NULL ? a->description : "a secret") :
		    json_str(a->description));
	if (a->enums != NULL)
		json_set(o, "enum", json_object_get(a->enums));
	if (a->pattern_src != NULL)
		json_set(o, "pattern", json_str(a->pattern_src));
	if (num && a->has_min)
		json_set(o, "minimum", json_object_new_double(a->min));
	if (num && a->has_max)
		json_set(o, "maximum", json_object_new_double(a->max));
	if (a->min_len >= 0)
		json_set(o, str ? "minLength" : "minItems",
		    json_object_new_int64(a->min_len));
	if (a->max_len >= 0)
		json_set(o, str ? "maxLength" : "maxItems",
		    json_object_new_int64(a->max_len));
	if (a->def != NULL && !a->secret)
		json_set(o, "default", json_object_get(a->def));
	if (a->secret) {
		/* JSON Schema's mark for what is sent but never shown. */
		json_set(o, "writeOnly", json_object_new_boolean(1));
		json_set(o, "x-muster-secret", json_object_new_boolean(1));
	}
	return o;
}

/* A workflow's or a Tool file's arguments as an inputSchema. */
static struct json_object *
input_schema(const struct schema *sc)
{
	struct json_object	*o = json_object_new_object(), *props, *req;
	size_t			 i;

	props = json_object_new_object();
	req = json_object_new_array();
	for (i = 0; i < sc->n; i++) {
		json_set(props, sc->args[i].name, property(&sc->args[i]));
		if (sc->args[i].required)
			json_object_array_add(req,
			    json_str(sc->args[i].name));
	}
	json_set(o, "type", json_str("object"));
	json_set(o, "properties", props);
	if (json_object_array_length(req) > 0)
		json_set(o, "required", req);
	else
		json_object_put(req);
	/* muster refuses arguments a workflow does not declare. */
	json_set(o, "additionalProperties", json_object_new_boolean(0));
	return o;
}

static struct json_object *
tool(const char *name, const char *title, const char *description,
    struct json_object *schema)
{
	struct json_object	*t = json_object_new_object();

	json_set(t, "name", json_str(name));
	if (title != NULL)
		json_set(t, "title", json_str(title));
	json_set(t, "description", json_str(description));
	json_set(t, "inputSchema", schema);
	return t;
}

/* The built-ins' arguments, as doc/tools.md lists them. */
static const struct {
	const char	*name;
	const char	*args;		/* a JSON Schema, or NULL: none */
	const char	*description;
} core[] = {
	{ "core_service_create", "{\"type\":\"object\",\"properties\":{"
	  "\"serviceClassName\":{\"type\":\"string\"},\"name\":{\"type\":"
	  "\"string\"},\"args\":{\"type\":\"object\"},\"timeout\":{\"type\":"
	  "\"string\"}},\"required\":[\"serviceClassName\"]}",
	  "Create and start a service instance of a service class" },
	{ "core_service_delete", NULL, "Stop and forget a service instance" },
	{ "core_service_start", NULL, "Start a stopped service instance" },
	{ "core_service_stop", NULL, "Stop a service instance" },
	{ "core_service_restart", NULL, "Restart a service instance" },
	{ "core_service_status", NULL, "Probe a service instance's health" },
	{ "core_service_list", "", "List the service instances" },
	{ "core_service_wait_healthy", NULL,
	  "Wait until a service instance is healthy" },
	{ "core_serviceclass_list", "", "List the service classes" },
	{ "core_serviceclass_available", NULL,
	  "Whether a service class can be used" },
	{ "core_workflow_list", "", "List the workflows" },
	{ "core_workflow_execution_list", "{\"type\":\"object\",\"properties\""
	  ":{\"workflow_name\":{\"type\":\"string\"},\"status\":{\"type\":"
	  "\"string\",\"enum\":[\"running\",\"inprogress\",\"completed\","
	  "\"failed\",\"interrupted\",\"cancelled\"]},\"limit\":{\"type\":"
	  "\"integer\",\"minimum\":1,\"maximum\":1000},\"offset\":{\"type\":"
	  "\"integer\",\"minimum\":0}}}",
	  "List workflow executions, newest first" },
	{ "core_workflow_execution_get", "{\"type\":\"object\",\"properties\":{"
	  "\"execution_id\":{\"type\":\"string\"},\"include_steps\":{\"type\":"
	  "\"boolean\",\"default\":true},\"step_id\":{\"type\":\"string\"}},"
	  "\"required\":[\"execution_id\"]}",
	  "Get one workflow execution's record" },
};

static struct json_object *
core_schema(const char *args)
{
	struct json_object	*o;

	if (args != NULL && *args != '\0')
		return json_tokener_parse(args);
	o = json_object_new_object();
	json_set(o, "type", json_str("object"));
	if (args == NULL) {
		struct json_object	*props = json_object_new_object();
		struct json_object	*name = json_object_new_object();
		struct json_object	*req = json_object_new_array();

		json_set(name, "type", json_str("string"));
		json_set(name, "description", json_str("the instance"));
		json_set(props, "name", name);
		json_object_array_add(req, json_str("name"));
		json_set(o, "properties", props);
		json_set(o, "required", req);
	}
	return o;
}

static struct json_object *
get_name(struct json_object *t)
{
	struct json_object	*v = NULL;

	json_object_object_get_ex(t, "name", &v);
	return v;
}

/* --tools: each MCP server's tools, asked once and kept. */
static void
add_mcp_tools(struct serve *s, struct json_object *list)
{
	struct mcp_ready	 r;
	struct mcp_client	*c;
	struct json_object	*tools;
	struct buf		 err = BUF_INIT;
	size_t			 i, k;

	if (s->mcp_tools == NULL) {
		s->mcp_tools = json_object_new_array();
		for (i = 0; i < s->p->nmcp; i++) {
			const struct mcp_server	*m = s->p->mcpservers[i];

			if ((c = cmd_mcp_open(s->p, m, -1, &r)) == NULL)
				continue;
			if (mcp_list_tools(c, m->timeout_ns > 0 ?
			    m->timeout_ns : MCP_START_TIMEOUT, &tools,
			    &err) < 0)
				warn("mcp serve: MCP server '%s': %s", m->name,
				    buf_str(&err));
			for (k = 0; tools != NULL &&
			    k < json_object_array_length(tools); k++) {
				struct json_object *t = json_object_array_get_idx(
				    tools, k), *n;
				char	*name = xasprintf("x_%s_%s", m->name,
					    json_object_get_string(get_name(t)));

				n = json_object_new_object();
				json_object_object_foreach(t, key, v)
					json_set(n, key, json_object_get(v));
				json_set(n, "name", json_str(name));
				json_object_array_add(s->mcp_tools, n);
				free(name);
			}
			json_object_put(tools);
			tools = NULL;
			buf_truncate(&err, 0);
			mcp_close(c);
			mcp_ready_release(&r);
		}
	}
	for (i = 0; i < json_object_array_length(s->mcp_tools); i++)
		json_object_array_add(list, json_object_get(
		    json_object_array_get_idx(s->mcp_tools, i)));
	buf_release(&err);
}

struct json_object *
serve_tools(struct serve *s)
{
	struct json_object	*list = json_object_new_array();
	struct project		*p = s->p;
	size_t			 i;
	char			*name;

	for (i = 0; i < p->nworkflows; i++) {
		const struct workflow	*w = p->workflows[i];

		name = xasprintf("workflow_%s", w->name);
		json_object_array_add(list, tool(name, w->name,
		    w->description != NULL ? w->description :
		    "Run a muster workflow", input_schema(&w->args)));
		free(name);
	}
	for (i = 0; i < nitems(core); i++)
		json_object_array_add(list, tool(core[i].name, NULL,
		    core[i].description, core_schema(core[i].args)));
	if (!s->with_tools)
		return list;
	for (i = 0; i < p->ntools; i++)
		json_object_array_add(list, tool(p->tools[i]->name, NULL,
		    p->tools[i]->description != NULL ?
		    p->tools[i]->description : "A muster tool",
		    input_schema(&p->tools[i]->args)));
	add_mcp_tools(s, list);
	return list;
}
