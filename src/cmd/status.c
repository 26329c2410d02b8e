/* cmd-status.c: `muster status [ID]`: an execution's record. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "cmd/cmd.h"
#include "def/project.h"
#include "state/record.h"
#include "base/value.h"

static const char *
field(struct json_object *o, const char *key)
{
	struct json_object	*v = json_object_object_get(o, key);

	return v != NULL ? json_object_get_string(v) : NULL;
}

/* A duration in milliseconds as every command prints one (1.5s, 2m3s). */
static void
print_ms(const char *before, const char *ms)
{
	struct buf	d = BUF_INIT;

	duration_format(&d, (int64_t)atoll(ms) * 1000000);
	printf("%s%s", before, buf_str(&d));
	buf_release(&d);
}

static void
print_steps(struct json_object *steps)
{
	size_t	i, w = 4;

	for (i = 0; i < json_object_array_length(steps); i++) {
		size_t	n = strlen(field(json_object_array_get_idx(steps, i),
			    "step_id"));

		if (n > w)
			w = n;
	}
	for (i = 0; i < json_object_array_length(steps); i++) {
		struct json_object	*s = json_object_array_get_idx(steps, i);
		const char		*ms = field(s, "duration_ms");
		const char		*err = field(s, "error");
		const char		*ex = field(s, "exit_code");

		printf("  %-*s  %-9s", (int)w, field(s, "step_id"),
		    field(s, "status"));
		if (ms != NULL)
			print_ms("  ", ms);
		if (json_object_get_int(json_object_object_get(s,
		    "attempts")) > 1)
			printf("  %s attempts", field(s, "attempts"));
		if (ex != NULL && strcmp(ex, "0") != 0)
			printf("  exit %s", ex);
		if (err != NULL)
			printf("  %s", err);
		putchar('\n');
	}
}

static void
print_text(struct json_object *doc)
{
	const char	*v;

	printf("execution %s: workflow %s, %s\n", field(doc, "execution_id"),
	    field(doc, "workflow_name"), field(doc, "status"));
	printf("started %s", field(doc, "started_at"));
	if ((v = field(doc, "completed_at")) != NULL)
		printf(", ended %s", v);
	if (v != NULL && field(doc, "duration_ms") != NULL)
		print_ms(" after ", field(doc, "duration_ms"));
	putchar('\n');
	if ((v = field(doc, "parent_execution_id")) != NULL)
		printf("called by execution %s\n", v);
	printf("input: %s\n", json_object_to_json_string_ext(
	    json_object_object_get(doc, "input"), JSON_C_TO_STRING_PLAIN |
		    JSON_C_TO_STRING_NOSLASHESCAPE));
	if ((v = field(doc, "error")) != NULL)
		printf("error: %s\n", v);
	printf("steps:\n");
	print_steps(json_object_object_get(doc, "steps"));
	if (json_object_object_get(doc, "result") != NULL)
		printf("result: %s\n", json_object_to_json_string_ext(
		    json_object_object_get(doc, "result"),
		    JSON_C_TO_STRING_PLAIN |
		    JSON_C_TO_STRING_NOSLASHESCAPE));
}

int
cmd_status(struct ctx *ctx, int argc, char **argv)
{
	struct json_object	*doc;
	struct project		*p;
	char			*state, *id = NULL;
	int			 rc;
	bool			 last = cmd_take_last(&argc, argv);

	if (cmd_getopt(ctx, argc, argv, "", NULL) != -1 || argc - optind > 1 ||
	    (last && optind < argc))
		return cmd_usage(cmd_find("status"));
	if ((rc = cmd_load(ctx, &p)) != 0)
		return rc;
	state = record_state_dir(p);
	if ((rc = cmd_execution(state, optind < argc ? argv[optind] : NULL,
	    &id)) != 0)
		goto out;
	if ((rc = record_read(state, id, &doc)) != 0)
		goto out;
	record_liveness(state, id, doc);
	record_public(doc);
	if (ctx->json)
		json_print(stdout, doc);
	else
		print_text(doc);
	json_object_put(doc);
out:
	free(id);
	free(state);
	project_free(p);
	return rc;
}
