/* cmd-validate.c: `muster validate [FILE...]`, as text or JSON. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "cmd/cmd.h"
#include "cmd/mcp.h"
#include "def/project.h"
#include "base/value.h"

static const struct option	validate_opts[] = {
	{ "online",	no_argument,	NULL,	'o' },
	{ NULL,		0,		NULL,	0 }
};

/* The problems of a load, as JSON objects. */
struct problems {
	struct json_object	*errors, *warnings;
	struct json_object	*last;		/* where notes and hints go */
};

/* "FILE:LINE:COL: KIND: MESSAGE" into o; false when line is not that. */
static bool
parse_located(const char *line, struct json_object *o, const char **kind)
{
	static const char *const kinds[] = { "error", "warning", "note",
	    "hint" };
	const char	*k = NULL, *c1, *c2, *p;
	size_t		 i;
	char		*file;

	for (i = 0; i < nitems(kinds) && k == NULL; i++) {
		char	pat[16];

		snprintf(pat, sizeof pat, ": %s: ", kinds[i]);
		if ((k = strstr(line, pat)) != NULL)
			*kind = kinds[i];
	}
	if (k == NULL)
		return false;
	/* k is after COL; go back over ":COL" and ":LINE". */
	for (c2 = k; c2 > line && c2[-1] != ':'; c2--)
		;
	if (c2 == line)
		return false;
	for (c1 = c2 - 1; c1 > line && c1[-1] != ':'; c1--)
		;
	if (c1 == line)
		return false;
	for (p = c1; p < c2 - 1; p++)
		if (*p < '0' || *p > '9')
			return false;
	file = xstrndup(line, (size_t)(c1 - 1 - line));
	json_set(o, "file", json_str(file));
	free(file);
	json_set(o, "line", json_object_new_int(atoi(c1)));
	json_set(o, "column", json_object_new_int(atoi(c2)));
	json_set(o, "message", json_str(k + strlen(*kind) + 4));
	return true;
}

static void
collect(const char *line, size_t len, void *arg)
{
	struct problems		*pr = arg;
	struct json_object	*o = json_object_new_object();
	const char		*kind = "error";
	char			*s = xstrndup(line, len);

	if (len > 0 && s[len - 1] == '\n')
		s[len - 1] = '\0';
	if (!parse_located(s, o, &kind)) {
		const char	*m = s;

		if (strncmp(m, "muster: ", 8) == 0)
			m += 8;
		if (strncmp(m, "warning: ", 9) == 0) {
			kind = "warning";
			m += 9;
		}
		json_set(o, "message", json_str(m));
	}
	free(s);
	if ((strcmp(kind, "note") == 0 || strcmp(kind, "hint") == 0) &&
	    pr->last != NULL) {
		struct json_object	*notes;

		if (strcmp(kind, "hint") == 0)
			json_set(pr->last, "hint", json_object_get(
			    json_object_object_get(o, "message")));
		else {
			if (!json_object_object_get_ex(pr->last, "notes",
			    &notes)) {
				notes = json_object_new_array();
				json_set(pr->last, "notes", notes);
			}
			json_object_array_add(notes, json_object_get(o));
		}
		json_object_put(o);
		return;
	}
	json_set(o, "hint", NULL);
	json_object_array_add(strcmp(kind, "warning") == 0 ? pr->warnings :
	    pr->errors, o);
	pr->last = o;
}

static int
validate_json(struct ctx *ctx, int argc, char **argv, int online)
{
	struct problems		 pr = { json_object_new_array(),
				    json_object_new_array(), NULL };
	struct json_object	*o = json_object_new_object();
	struct project		*p;
	int			 missing;

	error_set_sink(collect, &pr);
	p = project_load(ctx->dir, argv + optind, (size_t)(argc - optind),
	    &missing);
	if (p == NULL && missing)
		cmd_load(ctx, &p);
	if (p != NULL && online && cmd_mcp_online(p) < 0) {
		project_free(p);
		p = NULL;
	}
	error_set_sink(NULL, NULL);
	json_set(o, "valid", json_object_new_boolean(p != NULL));
	if (p != NULL) {
		json_set(o, "workflows", json_object_new_int64(
		    (int64_t)p->nworkflows));
		json_set(o, "tools", json_object_new_int64((int64_t)p->ntools));
		json_set(o, "serviceclasses", json_object_new_int64(
		    (int64_t)p->nclasses));
	}
	json_set(o, "errors", pr.errors);
	json_set(o, "warnings", pr.warnings);
	json_print(stdout, o);
	json_object_put(o);
	project_free(p);
	return p != NULL ? 0 : EXIT_USAGE;
}

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
	project_load_scripts(true);
	if (ctx->json)
		return validate_json(ctx, argc, argv, online);
	p = project_load(ctx->dir, argv + optind, (size_t)(argc - optind),
	    &missing);
	if (p == NULL) {
		if (missing)
			return cmd_load(ctx, &p);
		return EXIT_USAGE;
	}
	/* Asks each MCP server its steps use: it has to start them. */
	if (online && cmd_mcp_online(p) < 0) {
		project_free(p);
		return EXIT_USAGE;
	}
	/* Files named: those are what was checked (others may be bad). */
	for (c = optind; ctx->verbose >= 0 && c < argc; c++)
		printf("valid: %s\n", argv[c]);
	if (ctx->verbose >= 0 && optind == argc)
		printf("valid: %zu workflow%s, %zu tool%s, %zu service "
		    "class%s\n", p->nworkflows, p->nworkflows == 1 ? "" : "s",
		    p->ntools, p->ntools == 1 ? "" : "s", p->nclasses,
		    p->nclasses == 1 ? "" : "es");
	project_free(p);
	return 0;
}
