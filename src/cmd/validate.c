/* cmd-validate.c: `muster validate [FILE...]`. */
#include <getopt.h>
#include <stdio.h>

#include <json-c/json.h>

#include "cmd/cmd.h"
#include "def/project.h"
#include "base/value.h"

int
cmd_validate(struct ctx *ctx, int argc, char **argv)
{
	struct project	*p;
	int		 missing;

	if (cmd_getopt(ctx, argc, argv, "", NULL) != -1)
		return cmd_usage(cmd_find("validate"));
	project_load_scripts(true);
	p = project_load(ctx->dir, argv + optind, (size_t)(argc - optind),
	    &missing);
	if (p == NULL) {
		if (missing)
			return cmd_load(ctx, &p);
		if (ctx->json)
			printf("{\"valid\":false}\n");
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
