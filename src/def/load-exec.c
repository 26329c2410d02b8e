/* load-exec.c: decoding `executor:` and `resources:` of a definition. */
#include <string.h>

#include "def/load.h"

int
load_executor(struct loader *ld, const struct ynode *n, enum executor *e)
{
	static const char *const	 names[] = { "local", "slurm" };
	int				 i;

	if (load_choice(ld, n, "executor", names, nitems(names), &i) < 0)
		return -1;
	*e = i == 0 ? EXECUTOR_LOCAL : EXECUTOR_SLURM;
	return 0;
}

enum {
	RS_CPUS, RS_MEMORY, RS_TIME, RS_GPUS, RS_PARTITION, RS_ACCOUNT,
	RS_QOS, RS_CONSTRAINT, RS_EXTRA, RS_COUNT
};
static const struct field	res_fields[RS_COUNT] = {
	[RS_CPUS] = { "cpus", NULL }, [RS_MEMORY] = { "memory", NULL },
	[RS_TIME] = { "time", NULL }, [RS_GPUS] = { "gpus", NULL },
	[RS_PARTITION] = { "partition", NULL },
	[RS_ACCOUNT] = { "account", NULL }, [RS_QOS] = { "qos", NULL },
	[RS_CONSTRAINT] = { "constraint", NULL },
	[RS_EXTRA] = { "extra", NULL },
};

/* A value that reaches sbatch's command line: one line, no NUL. */
static int
load_word(struct loader *ld, const struct ynode *n, const char *name,
    const char **out)
{
	struct loc	l;

	if (n == NULL)
		return 0;
	if (n->kind == YNODE_SCALAR && n->type == YS_BOOL)
		return load_type_error(ld, n, name, "a string or a number");
	if (load_str(ld, n, name, out) < 0)
		return -1;
	if (**out == '\0' || strpbrk(*out, "\n\r") != NULL) {
		l = load_loc(ld, n);
		*out = NULL;
		return loc_error(&l, "'%s' must be one non-empty line", name);
	}
	return 0;
}

/* cpus: a positive integer. */
static int
load_cpus(struct loader *ld, const struct ynode *n, const char **out)
{
	int64_t	v;

	if (n == NULL)
		return 0;
	if (load_int(ld, n, "cpus", 1, 1000000, &v) < 0)
		return -1;
	*out = n->s;
	return 0;
}

int
load_resources(struct loader *ld, const struct ynode *n,
    struct resources **out)
{
	const struct ynode	*f[RS_COUNT];
	struct resources	*r = arena_alloc(ld->a, sizeof *r);
	size_t			 i;
	int			 rc;

	r->loc = load_loc(ld, n);
	if ((rc = load_fields(ld, n, "resources", res_fields, RS_COUNT,
	    f)) < 0 && n->kind != YNODE_MAP)
		return -1;
	rc |= load_cpus(ld, f[RS_CPUS], &r->cpus);
	rc |= load_word(ld, f[RS_MEMORY], "memory", &r->memory);
	rc |= load_word(ld, f[RS_GPUS], "gpus", &r->gpus);
	rc |= load_word(ld, f[RS_PARTITION], "partition", &r->partition);
	rc |= load_word(ld, f[RS_ACCOUNT], "account", &r->account);
	rc |= load_word(ld, f[RS_QOS], "qos", &r->qos);
	rc |= load_word(ld, f[RS_CONSTRAINT], "constraint", &r->constraint);
	if (f[RS_TIME] != NULL)
		rc |= load_duration(ld, f[RS_TIME], "time", &r->time_ns);
	if (f[RS_EXTRA] != NULL) {
		if (f[RS_EXTRA]->kind != YNODE_SEQ)
			return load_type_error(ld, f[RS_EXTRA], "extra",
			    "a list of strings");
		r->nextra = f[RS_EXTRA]->n;
		r->extra = arena_array(ld->a, r->nextra + 1, sizeof *r->extra);
		for (i = 0; i < r->nextra; i++)
			rc |= load_word(ld, f[RS_EXTRA]->items[i], "extra",
			    &r->extra[i]);
	}
	if (rc < 0)
		return -1;
	*out = r;
	return 0;
}
