/* executor.c: choosing the executor of a step; the local executor. */
#include <stddef.h>

extern char	**environ;

#include "exec/executor.h"

/* The tool a step calls through a Tool file, or NULL. */
static const struct tool *
tool_of(const struct step *s)
{
	return s->kind == STEP_TOOL && s->tool_ref == TOOL_FILE ? s->tool :
	    NULL;
}

enum executor
executor_of(const struct step *s, const struct workflow *w,
    const struct config *c)
{
	const struct tool	*t = tool_of(s);

	if (s->executor != EXECUTOR_UNSET)
		return s->executor;
	if (t != NULL && t->executor != EXECUTOR_UNSET)
		return t->executor;
	/* A forEach's or a parallel's steps take their container's. */
	for (const struct step *p = s->parent; p != NULL; p = p->parent)
		if (p->executor != EXECUTOR_UNSET)
			return p->executor;
	if (w != NULL && w->executor != EXECUTOR_UNSET)
		return w->executor;
	if (c != NULL && c->executor != EXECUTOR_UNSET)
		return c->executor;
	return EXECUTOR_LOCAL;
}

/* Fills the fields of out that r says and out does not yet. */
static void
take(struct resources *out, const struct resources *r)
{
	if (r == NULL)
		return;
#define TAKE(f)	do { if (out->f == NULL) out->f = r->f; } while (0)
	TAKE(cpus);
	TAKE(memory);
	TAKE(gpus);
	TAKE(partition);
	TAKE(account);
	TAKE(qos);
	TAKE(constraint);
#undef TAKE
	if (out->time_ns == 0)
		out->time_ns = r->time_ns;
	if (out->extra == NULL) {
		out->extra = r->extra;
		out->nextra = r->nextra;
	}
}

void
executor_resources(const struct step *s, const struct workflow *w,
    const struct config *c, struct resources *out)
{
	const struct tool	*t = tool_of(s);
	const struct step	*p;

	*out = (struct resources){ 0 };
	take(out, s->resources);
	if (t != NULL)
		take(out, t->resources);
	for (p = s->parent; p != NULL; p = p->parent)
		take(out, p->resources);
	if (w != NULL)
		take(out, w->resources);
	if (c != NULL)
		take(out, c->resources);
}

int
local_start(char *const *argv, char *const *envp, const char *dir,
    struct child *c)
{
	struct proc_req	r = { 0 };

	r.argv = argv;
	r.envp = envp;
	r.dir = dir;
	r.capture = 1;
	r.out_fd = -1;
	return proc_start(&r, c);
}

int
local_start_plain(char *const *argv, struct child *c)
{
	return local_start(argv, environ, NULL, c);
}
