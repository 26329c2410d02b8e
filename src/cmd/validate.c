/* cmd-validate.c: `muster validate [FILE...]`. */
#include <getopt.h>
#include <stdio.h>

#include <json-c/json.h>

#include "cmd/cmd.h"
#include "cmd/mcp.h"
#include "def/project.h"
#include "base/value.h"

static const struct option	validate_opts[] = {
	{ "online",	no_argument,	NULL,	'o' },
	{ NULL,		0,		NULL,	0 }
};

int
cmd_validate(struct ctx *ctx, int argc, char **argv)
{
	struct project	*p;
	int		 missing, c, online = 0;

	while ((c = cmd_getopt(ctx, argc, argv, "", validate_opts)) != -1)
		if (c == 'o')
			online = 1;
		else
			return cmd_usage(cmd_find("validate"));
	p = project_load(ctx->dir, argv + optind, (size_t)(argc - optind),
	    &missing);
	if (p == NULL) {
		if (missing)
			return cmd_load(ctx, &p);
		if (ctx->json)
			printf("{\"valid\":false}\n");
		return EXIT_USAGE;
	}
	/* Asks each MCP server its steps use: it has to start them. */
	if (online && cmd_mcp_online(p) < 0) {
		if (ctx->json)
			printf("{\"valid\":false}\n");
		project_free(p);
		return EXIT_USAGE;
	}
	if (ctx->json) {
		struct json_object	*o = json_object_new_object();

		json_set(o, "valid", json_object_new_boolean(1));
		json_set(o, "workflows", json_object_new_int64(
		    (int64_t)p->nworkflows));
		json_set(o, "tools", json_object_new_int64((int64_t)p->ntools));
		json_set(o, "serviceclasses", json_object_new_int64(
		    (int64_t)p->nclasses));
		json_print(stdout, o);
		json_object_put(o);
	} else if (ctx->verbose >= 0)
		printf("valid: %zu workflow%s, %zu tool%s, %zu service "
		    "class%s\n", p->nworkflows, p->nworkflows == 1 ? "" : "s",
		    p->ntools, p->ntools == 1 ? "" : "s", p->nclasses,
		    p->nclasses == 1 ? "" : "es");
	project_free(p);
	return 0;
}
