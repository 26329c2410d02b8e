/* load-route.c: a step's onError rules: which failures each takes (exit
 * code, a pattern over the error, the tool) and what becomes of them. */
#include <stdlib.h>
#include <string.h>

#include "def/load.h"
#include "def/schema.h"

enum {
	RT_EXIT, RT_MATCH, RT_TOOL, RT_PRIORITY, RT_ACTION, RT_RETRY,
	RT_REDIRECT, RT_COUNT
};
static const struct field	route_fields[RT_COUNT] = {
	[RT_EXIT] = { "exitCode", "exit_code" },
	[RT_MATCH] = { "match", "pattern" },
	[RT_TOOL] = { "tool", NULL },
	[RT_PRIORITY] = { "priority", NULL },
	[RT_ACTION] = { "action", NULL },
	[RT_RETRY] = { "retry", "retry_policy" },
	[RT_REDIRECT] = { "redirect", NULL },
};

static const char *const	actions[] = { "retry", "skip", "continue",
				    "fail" };

const char *
route_action_name(enum route_action a)
{
	return actions[a];
}

/* exitCode: a number or a list of numbers. */
static int
load_codes(struct loader *ld, const struct ynode *n, struct route *r)
{
	size_t	i;
	int	rc = 0;

	if (n->kind == YNODE_SCALAR) {
		r->codes = arena_alloc(ld->a, sizeof *r->codes);
		r->ncodes = 1;
		return load_int(ld, n, "exitCode", 0, 255, &r->codes[0]);
	}
	if (n->kind != YNODE_SEQ || n->n == 0)
		return load_type_error(ld, n, "exitCode", "an exit code or a "
		    "list of them");
	r->codes = arena_array(ld->a, n->n, sizeof *r->codes);
	r->ncodes = n->n;
	for (i = 0; i < n->n; i++)
		rc |= load_int(ld, n->items[i], "exitCode", 0, 255,
		    &r->codes[i]);
	return rc;
}

static int
load_action(struct loader *ld, const struct ynode *n, struct route *r)
{
	const char	*s;
	struct loc	 l = load_loc(ld, n);
	size_t		 i;

	if (load_str(ld, n, "action", &s) < 0)
		return -1;
	for (i = 0; i < nitems(actions); i++)
		if (strcmp(s, actions[i]) == 0) {
			r->action = (enum route_action)i;
			return 0;
		}
	if (strcmp(s, "redirect") == 0)
		return loc_error(&l, "action 'redirect' is not supported: run "
		    "the recovery in an onFailure step, or take the failure "
		    "with 'continue' and give the recovery step a condition "
		    "on it (fromStep)");
	return loc_error(&l, "unknown action '%s' (use retry, skip, continue "
	    "or fail)", s);
}

static int
load_route(struct loader *ld, const struct ynode *n, struct route *r)
{
	const struct ynode	*f[RT_COUNT];
	struct buf		 why = BUF_INIT;
	struct loc		 l = load_loc(ld, n);
	int64_t			 v;
	int			 rc;

	r->loc = l;
	r->retry.attempts = 1;
	if ((rc = load_fields(ld, n, "an onError rule", route_fields, RT_COUNT,
	    f)) < 0 && n->kind != YNODE_MAP)
		return -1;
	if (f[RT_ACTION] == NULL)
		return loc_error(&l, "an onError rule needs an 'action' (retry, "
		    "skip, continue or fail)");
	if (load_action(ld, f[RT_ACTION], r) < 0)
		rc = -1;
	else if (f[RT_REDIRECT] != NULL) {
		l = load_loc(ld, f[RT_REDIRECT]);
		rc = loc_error(&l, "'redirect' is not supported: run the "
		    "recovery in an onFailure step");
	}
	if (f[RT_EXIT] != NULL)
		rc |= load_codes(ld, f[RT_EXIT], r);
	if (f[RT_TOOL] != NULL)
		rc |= load_str(ld, f[RT_TOOL], "tool", &r->tool);
	if (f[RT_PRIORITY] != NULL && load_int(ld, f[RT_PRIORITY], "priority",
	    -1000000, 1000000, &v) == 0)
		r->priority = (int)v;
	else if (f[RT_PRIORITY] != NULL)
		rc = -1;
	if (f[RT_MATCH] != NULL && load_str(ld, f[RT_MATCH], "match",
	    &r->match_src) == 0) {
		if ((r->match = schema_compile(r->match_src, &why)) == NULL) {
			l = load_loc(ld, f[RT_MATCH]);
			rc = loc_error(&l, "bad pattern '%s': %s", r->match_src,
			    buf_str(&why));
		} else
			arena_defer(ld->a, schema_free_pattern, r->match);
	} else if (f[RT_MATCH] != NULL)
		rc = -1;
	buf_release(&why);
	if (f[RT_RETRY] != NULL && r->action != ROUTE_RETRY) {
		l = load_loc(ld, f[RT_RETRY]);
		rc = loc_error(&l, "'retry' belongs to a rule whose action is "
		    "retry");
	} else if (f[RT_RETRY] != NULL)
		rc |= load_retry(ld, f[RT_RETRY], "retry", &r->retry);
	else if (r->action == ROUTE_RETRY)
		r->retry.attempts = 3;
	return rc;
}

/* Higher priority first; rules of one priority keep their order. */
static int
by_priority(const void *a, const void *b)
{
	const struct route	*x = a, *y = b;

	if (x->priority != y->priority)
		return x->priority > y->priority ? -1 : 1;
	return x->loc.line != y->loc.line ? (x->loc.line < y->loc.line ? -1 :
	    1) : (x->loc.col < y->loc.col ? -1 : x->loc.col > y->loc.col);
}

int
load_routes(struct loader *ld, const struct ynode *n, struct step *s)
{
	size_t	i;
	int	rc = 0;

	if (n->kind != YNODE_SEQ || n->n == 0)
		return load_type_error(ld, n, "onError", "a list of rules");
	s->routes = arena_array(ld->a, n->n, sizeof *s->routes);
	s->nroutes = n->n;
	for (i = 0; i < n->n; i++)
		rc |= load_route(ld, n->items[i], &s->routes[i]);
	qsort(s->routes, s->nroutes, sizeof *s->routes, by_priority);
	return rc < 0 ? -1 : 0;
}
