/* cmd-list.c: `muster list [workflows|tools|serviceclasses|mcpservers|
 * services|executions]`. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "cmd/cmd.h"
#include "def/builtins.h"
#include "cmd/mcp.h"
#include "def/project.h"
#include "engine/builtin.h"
#include "base/value.h"

/* a then b, in arena ar. */
static const char *
xstrcat_arena(struct arena *ar, const char *a, const char *b)
{
	size_t	na = strlen(a), nb = strlen(b);
	char	*s = arena_alloc(ar, na + nb + 1);

	memcpy(s, a, na);
	memcpy(s + na, b, nb + 1);
	return s;
}

/* One kind of definition, seen through its name and description. */
struct kind {
	const char	*name;
	size_t		 n;
	const char	*(*item)(const struct project *, size_t, const char **,
			    const char **);
};

static const char *
workflow_item(const struct project *p, size_t i, const char **desc,
    const char **file)
{
	*desc = p->workflows[i]->description;
	*file = p->workflows[i]->file;
	return p->workflows[i]->name;
}

/* list --online: the MCP servers' tools, after the Tool files. */
static struct json_object	*online_tools;

static const char *
tool_item(const struct project *p, size_t i, const char **desc,
    const char **file)
{
	if (i >= p->ntools) {
		struct json_object	*o = json_object_array_get_idx(
					    online_tools, i - p->ntools);

		*desc = json_object_get_string(json_object_object_get(o,
		    "description"));
		*file = json_object_get_string(json_object_object_get(o,
		    "file"));
		return json_object_get_string(json_object_object_get(o,
		    "name"));
	}
	*desc = p->tools[i]->description;
	*file = p->tools[i]->file;
	return p->tools[i]->name;
}

/*
 * Every tool a step may name: the Tool files, then workflow_<name> for
 * each workflow and the core_* built-ins, their descriptions marked.
 */
static const char *
any_tool_item(const struct project *p, size_t i, const char **desc,
    const char **file)
{
	struct project	*q = (struct project *)p;	/* its arena */
	struct workflow	*w;
	size_t		 online = online_tools != NULL ?
			    json_object_array_length(online_tools) : 0;

	/* Tool files and the MCP servers' tools (with --online) first. */
	if (i < p->ntools + online)
		return tool_item(p, i, desc, file);
	i -= p->ntools + online;
	if (i < p->nworkflows) {
		w = p->workflows[i];
		*file = w->file;
		*desc = w->description != NULL ? xstrcat_arena(&q->arena,
		    "(workflow) ", w->description) : "(workflow)";
		return xstrcat_arena(&q->arena, "workflow_", w->name);
	}
	i -= p->nworkflows;
	*file = NULL;
	*desc = xstrcat_arena(&q->arena, "(built-in) ",
	    builtin_description(i));
	return builtin_name(i);
}

static const char	*class_item(const struct project *, size_t,
			    const char **, const char **);

/* "(unavailable: why)" after a class that cannot be used here. */
static const char *
class_avail_item(const struct project *p, size_t i, const char **desc,
    const char **file)
{
	struct project		*q = (struct project *)p;
	struct json_object	*args = json_object_new_object(), *r = NULL;
	struct buf		 err = BUF_INIT;
	const char		*name = class_item(p, i, desc, file), *why;

	json_set(args, "name", json_str(name));
	if (builtin_serviceclass_available(q, args, &r, &err) == 0 &&
	    !json_object_get_boolean(json_object_object_get(r,
	    "available"))) {
		why = json_object_get_string(json_object_object_get(r,
		    "reason"));
		*desc = xstrcat_arena(&q->arena, *desc != NULL ? *desc : "",
		    "");
		*desc = xstrcat_arena(&q->arena, *desc, **desc ? "  " : "");
		*desc = xstrcat_arena(&q->arena, *desc, "(unavailable: ");
		*desc = xstrcat_arena(&q->arena, *desc, why ? why : "?");
		*desc = xstrcat_arena(&q->arena, *desc, ")");
	}
	json_object_put(args);
	json_object_put(r);
	buf_release(&err);
	return name;
}

static const char *
class_item(const struct project *p, size_t i, const char **desc,
    const char **file)
{
	*desc = p->classes[i]->description;
	*file = p->classes[i]->file;
	return p->classes[i]->name;
}

static const char *
mcp_item(const struct project *p, size_t i, const char **desc,
    const char **file)
{
	*desc = p->mcpservers[i]->description;
	*file = p->mcpservers[i]->file;
	return p->mcpservers[i]->name;
}

/* Definitions sorted by name, for stable output. */
static int
by_name(const void *a, const void *b)
{
	return strcmp(((const char *const *)a)[0], ((const char *const *)b)[0]);
}

static const char **
sorted(const struct project *p, const struct kind *k)
{
	const char	**rows = xcalloc(k->n + 1, 3 * sizeof *rows);
	size_t		  i;

	for (i = 0; i < k->n; i++)
		rows[3 * i] = k->item(p, i, &rows[3 * i + 1], &rows[3 * i + 2]);
	xqsort(rows, k->n, 3 * sizeof *rows, by_name);
	return rows;
}

static void
print_text(const struct project *p, const struct kind *k, int heading)
{
	const char	**rows = sorted(p, k);
	size_t		  i, w = 4;

	for (i = 0; i < k->n; i++)
		if (strlen(rows[3 * i]) > w)
			w = strlen(rows[3 * i]);
	if (heading)
		printf("%s:\n", k->name);
	for (i = 0; i < k->n; i++) {
		const char	*d = rows[3 * i + 1];

		printf("%s%-*s%s%s\n", heading ? "  " : "", d ? (int)w : 0,
		    rows[3 * i], d ? "  " : "", d ? d : "");
	}
	free(rows);
}

static struct json_object *
to_json(const struct project *p, const struct kind *k)
{
	struct json_object	*a = json_object_new_array();
	const char		**rows = sorted(p, k);
	size_t			  i;

	for (i = 0; i < k->n; i++) {
		struct json_object	*o = json_object_new_object();

		const char		*d = rows[3 * i + 1];

		/* The mark of the text form is "kind" here. */
		if (k->item == any_tool_item && d != NULL && *d == '(')
			d = strchr(d, ' ') != NULL ? strchr(d, ' ') + 1 : NULL;
		json_set(o, "name", json_str(rows[3 * i]));
		json_set(o, "description", json_str(d));
		json_set(o, "file", json_str(rows[3 * i + 2]));
		if (k->item == any_tool_item)
			json_set(o, "kind", json_str(strncmp(rows[3 * i],
			    "core_", 5) == 0 ? "builtin" : strncmp(rows[3 * i],
			    "workflow_", 9) == 0 && rows[3 * i + 2] != NULL &&
			    project_workflow(p, rows[3 * i] + 9) != NULL ?
			    "workflow" : "tool"));
		json_object_array_add(a, o);
	}
	free(rows);
	return a;
}

/*
 * `list executions [history's options]` is `history ...` (the newest 20
 * unless --limit says): the options are history's, so they are passed on
 * before getopt sees them.
 */
static int
list_executions(struct ctx *ctx, int argc, char **argv)
{
	char	**hv = xcalloc((size_t)argc + 1, sizeof *hv);
	int	  i, n = 0, word = 0, rc;

	hv[n++] = "history";
	for (i = 1; i < argc; i++) {
		if (word == 0 && argv[i][0] != '-' && strcmp(argv[i - 1],
		    "-C") != 0) {
			word = i;	/* "executions" itself */
			continue;
		}
		hv[n++] = argv[i];
	}
	optind = 0;
	rc = cmd_history(ctx, n, hv);
	free(hv);
	return rc;
}

static const struct option	list_opts[] = {
	{ "online",	no_argument,	NULL,	'o' },
	{ NULL,		0,		NULL,	0 }
};

int
cmd_list(struct ctx *ctx, int argc, char **argv)
{
	struct project	*p;
	struct kind	 kinds[4];
	size_t		 i, first = 0, last = 3;
	int		 rc, k, c, online = 0;

	for (k = 1; k < argc && (argv[k][0] == '-' ||
	    strcmp(argv[k - 1], "-C") == 0); k++)
		;
	if (k < argc && strncmp(argv[k], "execution", 9) == 0)
		return list_executions(ctx, argc, argv);
	while ((c = cmd_getopt(ctx, argc, argv, "", list_opts)) != -1)
		if (c == 'o')
			online = 1;
		else
			return cmd_usage(cmd_find("list"));
	if (argc - optind > 1)
		return cmd_usage(cmd_find("list"));
	if (optind < argc) {
		const char *const	names[] = { "workflows", "tools",
					    "serviceclasses", "mcpservers",
					    "services", "executions" };

		for (first = 0; first < nitems(names); first++)
			if (strcmp(argv[optind], names[first]) == 0 ||
			    strncmp(argv[optind], names[first],
			    strlen(names[first]) - 1) == 0)
				break;
		if (first == nitems(names)) {
			const char	*sg = suggest(argv[optind], names,
					    nitems(names));

			error("cannot list '%s'%s%s%s", argv[optind],
			    sg ? " (did you mean '" : "", sg ? sg : "",
			    sg ? "'?)" : "; use workflows, tools, "
			    "serviceclasses, mcpservers, services or "
			    "executions");
			return EXIT_USAGE;
		}
		/* What is in the state folder: the commands that own it. */
		if (first >= 4) {
			char	*svc[] = { "service", "list", NULL };
			char	*hist[] = { "history", "--limit", "0", NULL };

			optind = 0;
			return first == 4 ? cmd_service(ctx, 2, svc) :
			    cmd_history(ctx, 3, hist);
		}
		last = first + 1;
	}
	if ((rc = cmd_load(ctx, &p)) != 0)
		return rc;
	kinds[0] = (struct kind){ "workflows", p->nworkflows, workflow_item };
	/* Asks each MCP server for its tools: it has to start them. */
	if (online && first <= 1 && last > 1)
		online_tools = cmd_mcp_online_tools(p);
	kinds[1] = (struct kind){ "tools", p->ntools + (online_tools ?
	    json_object_array_length(online_tools) : 0), tool_item };
	kinds[2] = (struct kind){ "serviceclasses", p->nclasses, class_item };
	kinds[3] = (struct kind){ "mcpservers", p->nmcp, mcp_item };
	/* Without a kind, MCP servers show when there are some. */
	if (optind == argc && p->nmcp > 0)
		last = 4;
	if (last - first == 1) {	/* one kind: all there is to know */
		kinds[1] = (struct kind){ "tools", kinds[1].n + p->nworkflows +
		    nbuiltins, any_tool_item };
		kinds[2].item = class_avail_item;
	}
	if (ctx->json) {
		struct json_object	*o = json_object_new_object();

		if (last - first == 1) {
			json_object_put(o);
			o = to_json(p, &kinds[first]);
		} else {
			for (i = first; i < last; i++)
				json_set(o, kinds[i].name,
				    to_json(p, &kinds[i]));
		}
		json_print(stdout, o);
		json_object_put(o);
	} else
		for (i = first; i < last; i++)
			print_text(p, &kinds[i], last - first > 1);
	json_object_put(online_tools);
	online_tools = NULL;
	project_free(p);
	return 0;
}
