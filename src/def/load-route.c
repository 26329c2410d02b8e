/* load-route.c: a step's onError rules: which failures each takes (exit
 * code, a pattern over the error, the tool) and what becomes of them. */
#include <stdlib.h>
#include <string.h>

#include "def/load.h"
#include "def/schema.h"

enum {
	RT_EXIT, RT_MATCH, RT_TOOL, RT_PRIORITY, RT_ACTION, RT_RETRY,
	RT_REDIRECT, RT_THEN, RT_COUNT
};
static const struct field	route_fields[RT_COUNT] = {
	[RT_EXIT] = { "exitCode", "exit_code" },
	[RT_MATCH] = { "match", "pattern" },
	[RT_TOOL] = { "tool", NULL },
	[RT_PRIORITY] = { "priority", NULL },
	[RT_ACTION] = { "action", NULL },
	[RT_RETRY] = { "retry", "retry_policy" },
	[RT_REDIRECT] = { "redirect", NULL },
	[RT_THEN] = { "then", NULL },
};

static const char *const	actions[] = { "retry", "skip", "continue",
				    "fail", "redirect" };

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
	if (n->kind == YNODE_SEQ && n->n == 0) {
		struct loc	l = load_loc(ld, n);

		return loc_error(&l, "'exitCode' is an empty list: name the "
		    "codes the rule takes, or leave it out for any");
	}
	if (n->kind != YNODE_SEQ)
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
	int	a;

	if (load_choice(ld, n, "action", actions, nitems(actions), &a) < 0)
		return -1;
	r->action = (enum route_action)a;
	return 0;
}

/*
 * redirect: ID names the recovery step (the checker finds it); then:
 * fail makes the step fail after it even when it succeeds.  A rule with
 * 'redirect' and no 'action' redirects.
 */
static int
load_redirect(struct loader *ld, const struct ynode *const *f,
    struct route *r)
{
	const char	*then;
	struct loc	 l;
	int		 rc = 0;

	if (f[RT_REDIRECT] == NULL) {
		l = load_loc(ld, f[RT_THEN] != NULL ? f[RT_THEN] :
		    f[RT_ACTION]);
		return loc_error(&l, f[RT_THEN] != NULL && r->action !=
		    ROUTE_REDIRECT ? "'then' belongs to a rule whose action is "
		    "redirect" : "action 'redirect' needs 'redirect: STEP', "
		    "a step of the workflow's 'recovery' list");
	}
	r->redirect_loc = load_loc(ld, f[RT_REDIRECT]);
	if (r->action != ROUTE_REDIRECT)
		return loc_error(&r->redirect_loc, "'redirect' belongs to a "
		    "rule whose action is redirect, not %s",
		    actions[r->action]);
	rc |= load_str(ld, f[RT_REDIRECT], "redirect", &r->redirect);
	if (f[RT_THEN] == NULL || load_str(ld, f[RT_THEN], "then", &then) < 0)
		return f[RT_THEN] == NULL ? rc : -1;
	if (strcmp(then, "fail") == 0)
		r->then_fail = true;
	else if (strcmp(then, "continue") != 0) {
		l = load_loc(ld, f[RT_THEN]);
		rc = loc_error(&l, "unknown 'then' '%s' (use continue: the "
		    "run goes on when the recovery step succeeds, or fail)",
		    then);
	}
	return rc;
}

static int
load_route(struct loader *ld, const struct ynode *n, struct route *r)
{
	const struct ynode	*f[RT_COUNT];
	struct buf		 why = BUF_INIT;
	struct loc		 l = load_loc(ld, n);
	int64_t			 v;
	int			 rc, bad = 0;

	r->loc = l;
	r->retry.attempts = 1;
	if ((rc = load_fields(ld, n, "an onError rule", route_fields, RT_COUNT,
	    f)) < 0 && n->kind != YNODE_MAP)
		return -1;
	if (f[RT_ACTION] == NULL && f[RT_REDIRECT] != NULL)
		r->action = ROUTE_REDIRECT;
	else if (f[RT_ACTION] == NULL)
		return load_typo(ld, RT_ACTION) ? -1 : loc_error(&l, "an "
		    "onError rule needs an 'action' (retry, skip, continue, "
		    "fail or redirect)");
	else if (load_action(ld, f[RT_ACTION], r) < 0)
		bad = rc = -1;
	if (bad == 0 && (r->action == ROUTE_REDIRECT ||
	    f[RT_REDIRECT] != NULL || f[RT_THEN] != NULL))
		rc |= load_redirect(ld, f, r);
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
		/* ^ and $ match at each line of the stderr it is tried on. */
		if ((r->match = schema_compile(r->match_src, true, &why)) ==
		    NULL) {
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

/*
 * Finds each redirect's recovery step among w's (one of its list); a
 * rule naming a tool its step does not call is an error too.
 */
static int
resolve_step(const struct workflow *w, struct step *s, const char *where,
    bool targets)
{
	const char	*cands[64], *sg;
	struct route	*r;
	size_t		 i, k, n = 0;
	int		 rc = 0;

	for (i = 0; i < s->nroutes; i++) {
		r = &s->routes[i];
		if (r->tool != NULL && (s->kind != STEP_TOOL ||
		    (s->tool_name != NULL && strcmp(r->tool,
		    s->tool_name) != 0)))
			rc = s->kind != STEP_TOOL ? loc_error(&r->loc, "an "
			    "onError rule for tool '%s' never matches: step "
			    "'%s' runs a script", r->tool, s->id) :
			    loc_error(&r->loc, "an onError rule for tool '%s' "
			    "never matches: step '%s' calls '%s'", r->tool,
			    s->id, s->tool_name);
		if (r->action != ROUTE_REDIRECT || r->redirect == NULL ||
		    (where == NULL && !targets))
			continue;
		if (where != NULL) {
			rc = loc_error(&r->redirect_loc, "a step %s cannot "
			    "redirect: only the workflow's steps can", where);
			continue;
		}
		for (k = 0; k < w->nrecovery && r->target == NULL; k++)
			if (strcmp(w->recovery[k]->id, r->redirect) == 0)
				r->target = w->recovery[k];
		if (r->target != NULL)
			continue;
		for (k = 0; k < w->nrecovery && n < nitems(cands); k++)
			cands[n++] = w->recovery[k]->id;
		sg = suggest(r->redirect, cands, n);
		rc = sg != NULL ? loc_error(&r->redirect_loc, "onError "
		    "redirects to '%s', which is not a recovery step (did you "
		    "mean '%s'?)", r->redirect, sg) : loc_error(
		    &r->redirect_loc, "onError redirects to '%s', which is not "
		    "a step of the workflow's 'recovery' list", r->redirect);
	}
	for (i = 0; i < s->nsub; i++)
		rc |= resolve_step(w, s->sub[i], where, targets);
	return rc;
}

int
route_resolve(struct workflow *w, bool targets)
{
	size_t	i;
	int	rc = 0;

	for (i = 0; i < w->nsteps; i++)
		rc |= resolve_step(w, w->steps[i], NULL, targets);
	for (i = 0; i < w->non_failure; i++)
		rc |= resolve_step(w, w->on_failure[i], "in onFailure", targets);
	for (i = 0; i < w->nrecovery; i++)
		rc |= resolve_step(w, w->recovery[i], "in recovery", targets);
	return rc;
}
