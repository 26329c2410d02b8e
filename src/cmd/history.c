/* cmd-history.c: `muster history`: past executions, newest first. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "cmd/cmd.h"
#include "engine/exec.h"
#include "def/project.h"
#include "state/record.h"
#include "base/value.h"

enum { OPT_WORKFLOW = 256, OPT_STATUS, OPT_LIMIT, OPT_SINCE };

static const struct option	history_opts[] = {
	{ "workflow",	required_argument,	NULL,	OPT_WORKFLOW },
	{ "status",	required_argument,	NULL,	OPT_STATUS },
	{ "limit",	required_argument,	NULL,	OPT_LIMIT },
	{ "since",	required_argument,	NULL,	OPT_SINCE },
	{ NULL,		0,			NULL,	0 }
};

static const char *
field(struct json_object *o, const char *key)
{
	struct json_object	*v = json_object_object_get(o, key);

	return v != NULL ? json_object_get_string(v) : NULL;
}

/*
 * --since D: a duration back from now (10m, 2h, 7d) or a UTC time
 * (2026-01-05, 2026-01-05T09:30:00).  Execution ids begin with their UTC
 * start, so *cut is the id prefix "YYYYMMDD-HHMMSS" the oldest shown
 * reaches.
 */
static int
parse_since(const char *s, char *cut, size_t len)
{
	const char	*why;
	char		*end, buf[32];
	long		 days = strtol(s, &end, 10);
	int64_t		 ns, at;
	time_t		 t;
	struct tm	 tm;

	if (end != s && strcmp(end, "d") == 0 && days >= 0)
		at = clock_wall_ns() - (int64_t)days * 86400 * 1000000000;
	else if (duration_parse(s, &ns, &why) == 0)
		at = clock_wall_ns() - ns;
	else {
		snprintf(buf, sizeof buf, "%s%s", s, strlen(s) == 10 ?
		    "T00:00:00" : "");
		if ((at = record_parse_time(buf)) == 0)
			return error("--since '%s': expected a duration (10m, "
			    "2h, 7d) or a UTC date (2026-01-05[T09:30:00])", s);
	}
	t = (time_t)(at / 1000000000);
	gmtime_r(&t, &tm);
	strftime(cut, len, "%Y%m%d-%H%M%S", &tm);
	return 0;
}

static void
print_row(struct json_object *s)
{
	const char	*ms = field(s, "duration_ms"), *parent;
	struct buf	 d = BUF_INIT;

	if (ms != NULL)
		duration_format(&d, (int64_t)atoll(ms) * 1000000);
	printf("%-20s  %-12s  %-11s  %-24s  %s", field(s, "execution_id"),
	    field(s, "workflow_name"), field(s, "status"),
	    field(s, "started_at"), ms != NULL ? buf_str(&d) : "-");
	if ((parent = field(s, "parent_execution_id")) != NULL)
		printf("  (called by %s)", parent);
	putchar('\n');
	buf_release(&d);
}

/* What to list: the options. */
struct history {
	const char	*wf, *st;	/* --workflow, --status */
	long		 limit;
	char		 since[32];	/* the id prefix --since reaches */
};

/* Parses the options into h: 0, or the exit code after an error. */
static int
parse(struct ctx *ctx, int argc, char **argv, struct history *h)
{
	char	*end;
	int	 c;

	h->limit = 20;
	while ((c = cmd_getopt(ctx, argc, argv, "", history_opts)) != -1)
		switch (c) {
		case OPT_WORKFLOW:
			h->wf = optarg;
			break;
		case OPT_STATUS:
			h->st = optarg;
			if (exec_status_parse(h->st) < 0) {
				error("--status: expected running, completed, "
				    "failed, interrupted, cancelled or "
				    "timed_out, not '%s'", h->st);
				return EXIT_USAGE;
			}
			break;
		case OPT_SINCE:
			if (parse_since(optarg, h->since, sizeof h->since) < 0)
				return EXIT_USAGE;
			break;
		case OPT_LIMIT:
			h->limit = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || h->limit < 0) {
				error("--limit: expected a number, not '%s'",
				    optarg);
				return EXIT_USAGE;
			}
			break;
		default:
			return cmd_usage(cmd_find("history"));
		}
	if (optind != argc)
		return cmd_usage(cmd_find("history"));
	return 0;
}

/*
 * Adds the summaries of the executions h shows to list, newest first:
 * 0, EXIT_IO when state cannot be listed, or EXIT_STATE when a record
 * is corrupt (the others are listed all the same).
 */
static int
collect(const char *state, const struct history *h, struct json_object *list)
{
	char	**ids = NULL;
	long	  shown = 0;
	size_t	  n = 0, i;
	int	  rc = 0;

	if (record_list(state, &ids, &n) < 0)
		rc = EXIT_IO;
	for (i = 0; i < n; i++) {
		struct json_object	*s;

		/* Newest first: the rest are older, or beyond the limit. */
		if ((h->limit > 0 && shown >= h->limit) ||
		    strncmp(ids[i], h->since, 15) < 0) {
			free(ids[i]);
			continue;
		}
		s = record_summary(state, ids[i]);

		if (s != NULL) {
			record_liveness(state, ids[i], s);
			json_object_object_del(s, "pid");
		} else {
			struct json_object	*doc;

			/* Corrupt: say so as status would, and list the rest. */
			if (record_read(state, ids[i], &doc) != 0)
				rc = EXIT_STATE;
			json_object_put(doc);
		}
		if (s != NULL && (h->limit == 0 || shown < h->limit) &&
		    (h->wf == NULL || strcmp(h->wf, field(s,
		    "workflow_name")) == 0) &&
		    (h->st == NULL || strcmp(h->st, field(s, "status")) == 0)) {
			json_object_array_add(list, json_object_get(s));
			shown++;
		}
		json_object_put(s);
		free(ids[i]);
	}
	free(ids);
	return rc;
}

int
cmd_history(struct ctx *ctx, int argc, char **argv)
{
	struct history		 h = { NULL, NULL, 0, "" };
	struct project		*p;
	struct json_object	*list;
	char			*state;
	size_t			 i;
	int			 rc;

	if ((rc = parse(ctx, argc, argv, &h)) != 0)
		return rc;
	if ((rc = cmd_open(ctx, &p)) != 0)
		return rc;
	state = record_state_dir(p);
	list = json_object_new_array();
	rc = collect(state, &h, list);
	if (ctx->json)
		json_print(stdout, list);
	else {
		if (json_object_array_length(list) > 0)
			printf("%-20s  %-12s  %-11s  %-24s  %s\n", "ID",
			    "WORKFLOW", "STATUS", "STARTED", "DURATION");
		for (i = 0; i < json_object_array_length(list); i++)
			print_row(json_object_array_get_idx(list, i));
	}
	json_object_put(list);
	free(state);
	project_free(p);
	return rc;
}
