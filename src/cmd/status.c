/* cmd-status.c: `muster status [ID]`: an execution's record. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "cmd/cmd.h"
#include "def/project.h"
#include "state/record.h"
#include "state/usage.h"
#include "base/value.h"

static const char *
field(struct json_object *o, const char *key)
{
	struct json_object	*v = json_object_object_get(o, key);

	return v != NULL ? json_object_get_string(v) : NULL;
}

/* The CPU and max-RSS columns: "cpu 0.20s  rss 98.1MiB", blank without. */
static void
print_usage(struct json_object *ru)
{
	struct proc_usage	 u;
	struct buf		 cpu = BUF_INIT, rss = BUF_INIT;

	if (usage_from_json(ru, &u)) {
		buf_adds(&cpu, "cpu ");
		usage_format_cpu(&cpu, usage_cpu_us(&u));
		buf_adds(&rss, "rss ");
		usage_format_kb(&rss, u.max_rss_kb);
	}
	printf("  %-10s  %-13s", buf_str(&cpu), buf_str(&rss));
	buf_release(&cpu);
	buf_release(&rss);
}

/* The whole execution's usage, one line. */
static void
print_total(struct json_object *ru)
{
	struct proc_usage	 u;
	struct buf		 b = BUF_INIT;

	if (!usage_from_json(ru, &u))
		return;
	buf_adds(&b, "usage: cpu ");
	usage_format_cpu(&b, usage_cpu_us(&u));
	buf_printf(&b, " (user %.2fs, system %.2fs), max rss ",
	    (double)u.user_us / 1e6, (double)u.sys_us / 1e6);
	usage_format_kb(&b, u.max_rss_kb);
	buf_printf(&b, ", blocks in %lld out %lld, context switches: %lld "
	    "voluntary, %lld involuntary", (long long)u.inblock,
	    (long long)u.oublock, (long long)u.nvcsw, (long long)u.nivcsw);
	puts(buf_str(&b));
	buf_release(&b);
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
		print_usage(json_object_object_get(s, "rusage"));
		if (ms != NULL)
			print_ms("  ", ms);
		if (json_object_get_int(json_object_object_get(s,
		    "attempts")) > 1)
			printf("  %s attempts", field(s, "attempts"));
		if (field(s, "slurm_job") != NULL)
			printf("  job %s", field(s, "slurm_job"));
		if (ex != NULL && strcmp(ex, "0") != 0)
			printf("  exit %s", ex);
		if (err != NULL)
			printf("  %s", err);
		/* onError redirect: how its recovery step went. */
		if (field(s, "redirect") != NULL)
			printf(" (recovery '%s' %s)", field(s, "redirect"),
			    field(s, "recovered") == NULL ? "not ended" :
			    json_object_get_boolean(json_object_object_get(s,
			    "recovered")) ? "completed" : "failed");
		putchar('\n');
	}
}

/* "checkpoints:" and one line each: name, the step that made it, when. */
static void
print_checkpoints(struct json_object *list)
{
	size_t	i;
	if (!json_object_is_type(list, json_type_array) ||
	    json_object_array_length(list) == 0)
		return;
	size_t	w = 4;

	printf("checkpoints:\n");
	for (i = 0; i < json_object_array_length(list); i++)
		if (strlen(field(json_object_array_get_idx(list, i), "name")) >
		    w)
			w = strlen(field(json_object_array_get_idx(list, i),
			    "name"));
	for (i = 0; i < json_object_array_length(list); i++) {
		struct json_object	*c = json_object_array_get_idx(list, i);
		const char		*step = field(c, "step");
		const char		*n = field(c, "steps");

		printf("  %-*s  %s  %s%s, %s step%s done\n", (int)w,
		    field(c, "name"), field(c, "at"), step ? "after step " :
		    "by muster checkpoint", step ? step : "", n,
		    strcmp(n, "1") == 0 ? "" : "s");
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
	print_total(json_object_object_get(doc, "rusage"));
	if ((v = field(doc, "parent_execution_id")) != NULL)
		printf("called by execution %s\n", v);
	printf("input: %s\n", json_object_to_json_string_ext(
	    json_object_object_get(doc, "input"), JSON_C_TO_STRING_PLAIN |
		    JSON_C_TO_STRING_NOSLASHESCAPE));
	if ((v = field(doc, "error")) != NULL)
		printf("error: %s\n", v);
	if (json_object_get_boolean(json_object_object_get(doc,
	    "output_lost")))
		printf("output: lost (its reader went away or could not take "
		    "it)\n");
	printf("steps:\n");
	print_steps(json_object_object_get(doc, "steps"));
	print_checkpoints(json_object_object_get(doc, "checkpoints"));
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
	if ((rc = cmd_open(ctx, &p)) != 0)
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
