/* load-retention.c: config.yaml's retention: how many executions of each
 * workflow are kept, and for how long. */
#include <stdlib.h>
#include <string.h>

#include "def/load.h"

/* On unless config.yaml says: the newest 200 of each workflow, 30 days. */
#define RETAIN_KEEP	200
#define RETAIN_DAYS	30
#define DAY_NS		(86400 * (int64_t)1000000000)

void
retention_default(struct retention *r)
{
	memset(r, 0, sizeof *r);
	r->enabled = true;
	r->keep_resumable = true;
	r->dflt.keep = RETAIN_KEEP;
	r->dflt.max_age_ns = RETAIN_DAYS * DAY_NS;
}

/* A maxAge: days ("30d") or a duration ("12h"). */
static int
load_age(struct loader *ld, const struct ynode *n, int64_t *ns)
{
	char	*end;
	long	 days;

	if (n->kind == YNODE_SCALAR && n->type == YS_STR) {
		days = strtol(n->s, &end, 10);
		if (end != n->s && strcmp(end, "d") == 0 && days >= 0 &&
		    days < 100000) {
			*ns = days * DAY_NS;
			return 0;
		}
	}
	return load_duration(ld, n, "maxAge", ns);
}

enum { RR_KEEP, RR_MAX_AGE, RR_COUNT };
static const struct field	rule_fields[RR_COUNT] = {
	[RR_KEEP] = { "keep", NULL }, [RR_MAX_AGE] = { "maxAge", "max_age" },
};

static int
load_rule(struct loader *ld, const struct ynode *n, const char *what,
    struct retain_rule *r)
{
	const struct ynode	*f[RR_COUNT];
	int			 rc;

	if ((rc = load_fieldsf(ld, n, "%s", what, rule_fields, RR_COUNT,
	    f)) < 0 && n->kind != YNODE_MAP)
		return -1;
	if (f[RR_KEEP] != NULL)
		rc |= load_int(ld, f[RR_KEEP], "keep", 0, 100000000, &r->keep);
	if (f[RR_MAX_AGE] != NULL)
		rc |= load_age(ld, f[RR_MAX_AGE], &r->max_age_ns);
	return rc < 0 ? -1 : 0;
}

enum { RF_ENABLED, RF_KEEP, RF_MAX_AGE, RF_RESUMABLE, RF_WORKFLOWS,
	RF_COUNT };
static const struct field	retention_fields[RF_COUNT] = {
	[RF_ENABLED] = { "enabled", NULL }, [RF_KEEP] = { "keep", NULL },
	[RF_MAX_AGE] = { "maxAge", "max_age" },
	[RF_RESUMABLE] = { "keepResumable", "keep_resumable" },
	[RF_WORKFLOWS] = { "workflows", NULL },
};

int
load_retention(struct loader *ld, const struct ynode *n, struct retention *r)
{
	const struct ynode	*f[RF_COUNT], *w;
	size_t			 i;
	int			 rc;

	if ((rc = load_fields(ld, n, "retention", retention_fields, RF_COUNT,
	    f)) < 0 && n->kind != YNODE_MAP)
		return -1;
	if (f[RF_ENABLED] != NULL)
		rc |= load_bool(ld, f[RF_ENABLED], "enabled", &r->enabled);
	if (f[RF_KEEP] != NULL)
		rc |= load_int(ld, f[RF_KEEP], "keep", 0, 100000000,
		    &r->dflt.keep);
	if (f[RF_MAX_AGE] != NULL)
		rc |= load_age(ld, f[RF_MAX_AGE], &r->dflt.max_age_ns);
	if (f[RF_RESUMABLE] != NULL)
		rc |= load_bool(ld, f[RF_RESUMABLE], "keepResumable",
		    &r->keep_resumable);
	if ((w = f[RF_WORKFLOWS]) == NULL)
		return rc < 0 ? -1 : 0;
	if (w->kind != YNODE_MAP)
		return load_type_error(ld, w, "workflows", "a mapping of "
		    "workflow names to {keep, maxAge}");
	r->nrules = w->n;
	r->rules = arena_array(ld->a, w->n, sizeof *r->rules);
	for (i = 0; i < w->n; i++) {
		r->rules[i] = r->dflt;	/* what a rule leaves out */
		r->rules[i].workflow = YMAP_KEY(w, i)->s;
		rc |= load_rule(ld, YMAP_VAL(w, i), YMAP_KEY(w, i)->s,
		    &r->rules[i]);
	}
	return rc < 0 ? -1 : 0;
}
