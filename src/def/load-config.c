/* load-config.c: config.yaml, the project's settings for every run. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "def/load.h"

enum {
	CF_JOBS, CF_COLOR, CF_STATE_DIR, CF_FSYNC, CF_ENV, CF_MAX_FILE,
	CF_METRICS, CF_RETENTION, CF_EXECUTOR, CF_RESOURCES, CF_COUNT
};
static const struct field	config_fields[CF_COUNT] = {
	[CF_JOBS] = { "jobs", NULL }, [CF_COLOR] = { "color", NULL },
	[CF_STATE_DIR] = { "stateDir", "state_dir" },
	[CF_FSYNC] = { "fsync", NULL }, [CF_ENV] = { "env", NULL },
	[CF_MAX_FILE] = { "maxFileSize", "max_file_size" },
	[CF_METRICS] = { "metrics", NULL },
	[CF_RETENTION] = { "retention", NULL },
	[CF_EXECUTOR] = { "executor", NULL },
	[CF_RESOURCES] = { "resources", NULL },
};
static const struct field	metrics_fields[] = { { "textfile", NULL } };

/* metrics: {textfile: PATH}: where every run writes Prometheus metrics. */
static int
load_metrics(struct loader *ld, const struct ynode *n, const char **out)
{
	const struct ynode	*f[1];

	if (load_fields(ld, n, "metrics", metrics_fields, 1, f) < 0)
		return -1;
	return f[0] != NULL ? load_str(ld, f[0], "textfile", out) : 0;
}

/* maxFileSize: bytes, or a number of KiB or MiB ("16MiB"). */
static int
load_size(struct loader *ld, const struct ynode *n, size_t *out)
{
	struct loc	 l = load_loc(ld, n);
	char		*end;
	double		 v;

	if (n->kind != YNODE_SCALAR || (n->type != YS_INT &&
	    n->type != YS_STR))
		return load_type_error(ld, n, "maxFileSize", "a size such as "
		    "16MiB");
	v = strtod(n->s, &end);
	if (strcmp(end, "KiB") == 0)
		v *= 1024;
	else if (strcmp(end, "MiB") == 0)
		v *= 1024 * 1024;
	else if (*end != '\0' || end == n->s)
		return loc_error(&l, "bad size '%s' for 'maxFileSize' (use "
		    "bytes, KiB or MiB)", n->s);
	if (v < 1024 || v > YNODE_MAX_FILE_CAP)
		return loc_error(&l, "'maxFileSize' must be between 1KiB and "
		    "64MiB, not %s", n->s);
	*out = (size_t)v;
	return 0;
}

int
load_config(struct project *p, const char *path)
{
	struct loader		 ld = { .p = p, .a = &p->arena };
	const struct ynode	*f[CF_COUNT];
	struct ydoc		*docs;
	struct config		*c = &p->config;
	size_t			 n;
	int64_t			 v;
	int			 rc;

	c->jobs = -1;
	c->max_file = YNODE_MAX_FILE;
	retention_default(&c->retention);
	ld.file = arena_strdup(&p->arena, path);
	if (access(ld.file, F_OK) < 0)
		return 0;
	if (ynode_load_file(&p->arena, NULL, ld.file, ld.file, YNODE_MAX_FILE,
	    &docs, &n) < 0)
		return -1;
	if (n == 0 || docs[0].root == NULL)
		return 0;
	ld.text = docs[0].text;
	ld.textlen = docs[0].textlen;
	rc = load_fields(&ld, docs[0].root, "config.yaml", config_fields,
	    CF_COUNT, f);
	if (f[CF_JOBS] != NULL && load_int(&ld, f[CF_JOBS], "jobs", 0, 100000,
	    &v) == 0)
		c->jobs = (int)v;
	else if (f[CF_JOBS] != NULL)
		rc = -1;
	if (f[CF_COLOR] != NULL && load_str(&ld, f[CF_COLOR], "color",
	    &c->color) == 0 && strcmp(c->color, "auto") != 0 &&
	    strcmp(c->color, "always") != 0 && strcmp(c->color, "never") != 0) {
		struct loc	l = load_loc(&ld, f[CF_COLOR]);

		rc = loc_error(&l, "unknown color '%s' (use auto, always or "
		    "never)", c->color);
	}
	if (f[CF_STATE_DIR] != NULL)
		rc |= load_str(&ld, f[CF_STATE_DIR], "stateDir", &c->state_dir);
	if (f[CF_FSYNC] != NULL)
		rc |= load_bool(&ld, f[CF_FSYNC], "fsync", &c->fsync);
	if (f[CF_ENV] != NULL)
		rc |= load_env(&ld, f[CF_ENV], "env", &c->env);
	if (f[CF_MAX_FILE] != NULL)
		rc |= load_size(&ld, f[CF_MAX_FILE], &c->max_file);
	if (f[CF_METRICS] != NULL)
		rc |= load_metrics(&ld, f[CF_METRICS], &c->metrics_file);
	if (f[CF_RETENTION] != NULL)
		rc |= load_retention(&ld, f[CF_RETENTION], &c->retention);
	if (f[CF_EXECUTOR] != NULL)
		rc |= load_executor(&ld, f[CF_EXECUTOR], &c->executor);
	if (f[CF_RESOURCES] != NULL)
		rc |= load_resources(&ld, f[CF_RESOURCES], &c->resources);
	return rc < 0 ? -1 : 0;
}
