/* check-refs.c: template reads that can never succeed, tool arguments that
 * the tool does not take or misses. */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "def/builtins.h"
#include "def/check.h"
#include "def/schema.h"

const char *const	tmpl_roots[] = { "input", "results", "steps", "vars",
			    "execution", "failure", "context" };
const size_t		ntmpl_roots = nitems(tmpl_roots);
static const char *const exec_fields[] = { "id", "workflow", "startedAt" };

static bool
in_list(const char *const *v, size_t n, const char *s)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	return false;
}

bool
tmpl_root(const char *name)
{
	return in_list(tmpl_roots, ntmpl_roots, name);
}

/* " (did you mean '.PREFIXsg'?)" for word among cands, or "". */
static void
did_you_mean(struct buf *b, const char *word, const char *const *cands,
    size_t n, const char *prefix)
{
	const char	*sg = suggest(word, cands, n);

	if (sg != NULL)
		buf_printf(b, " (did you mean '%s%s'?)", prefix, sg);
}

static size_t
arg_names(const struct schema *s, const char **v, size_t max)
{
	size_t	i;

	for (i = 0; i < s->n && i < max; i++)
		v[i] = s->args[i].name;
	return i;
}

static int
bad_root(const struct workflow *w, const char *name, const struct loc *l,
    const char *who)
{
	const char	*cands[256];
	struct buf	 b = BUF_INIT;
	size_t		 n, k;
	int		 rc;

	memcpy(cands, tmpl_roots, ntmpl_roots * sizeof *cands);
	n = ntmpl_roots + arg_names(&w->args, cands + ntmpl_roots,
	    nitems(cands) - ntmpl_roots);
	buf_printf(&b, "%s reads .%s, which is neither a template root (", who,
	    name);
	for (k = 0; k < ntmpl_roots; k++)
		buf_printf(&b, "%s.%s", k ? ", " : "", tmpl_roots[k]);
	buf_printf(&b, "), a step nor an argument of workflow '%s'", w->name);
	did_you_mean(&b, name, cands, n, ".");
	rc = loc_error(l, "%s", buf_str(&b));
	buf_release(&b);
	return rc;
}

int
check_chain(const struct workflow *w, const char *const *chain, size_t n,
    const struct loc *l, const char *who)
{
	const char	*cands[256];
	struct buf	 b = BUF_INIT;
	size_t		 k;
	int		 rc;

	if (n == 0)
		return 0;
	if (!tmpl_root(chain[0])) {
		if (schema_find(&w->args, chain[0]) != NULL ||
		    hmap_get(&w->ids, chain[0]) != NULL)
			return 0;
		return bad_root(w, chain[0], l, who);
	}
	if (n < 2)
		return 0;
	if (strcmp(chain[0], "input") == 0) {
		if (schema_find(&w->args, chain[1]) != NULL)
			return 0;
		k = arg_names(&w->args, cands, nitems(cands));
		buf_printf(&b, "%s reads .input.%s, but workflow '%s' has no "
		    "argument '%s'", who, chain[1], w->name, chain[1]);
		did_you_mean(&b, chain[1], cands, k, ".input.");
	} else if (strcmp(chain[0], "execution") == 0) {
		if (in_list(exec_fields, nitems(exec_fields), chain[1]))
			return 0;
		buf_printf(&b, "%s reads .execution.%s; .execution has id, "
		    "workflow and startedAt", who, chain[1]);
		did_you_mean(&b, chain[1], exec_fields, nitems(exec_fields),
		    ".execution.");
	} else
		return 0;
	rc = loc_error(l, "%s", buf_str(&b));
	buf_release(&b);
	return rc;
}

/* The names a tool takes, and those it needs, into v (at most max). */
struct takes {
	const char	*names[256];
	bool		 required[256];
	size_t		 n;
	bool		 known;		/* false: anything goes */
};

static void
takes_words(struct takes *t, const char *words, bool required)
{
	const char	*p = words, *e;
	size_t		 i;

	while (*p != '\0' && t->n < nitems(t->names)) {
		e = p + strcspn(p, " ");
		for (i = 0; i < t->n; i++)
			if (strlen(t->names[i]) == (size_t)(e - p) &&
			    strncmp(t->names[i], p, (size_t)(e - p)) == 0)
				break;
		if (i == t->n) {
			t->names[t->n] = xstrndup(p, (size_t)(e - p));
			t->required[t->n++] = required;
		} else if (required)
			t->required[i] = true;
		p = *e != '\0' ? e + 1 : e;
	}
}

static void
takes_schema(struct takes *t, const struct schema *s)
{
	size_t	i;

	for (i = 0; i < s->n && t->n < nitems(t->names); i++) {
		if (s->args[i].name == NULL)
			continue;	/* an argument that failed to load */
		t->names[t->n] = xstrdup(s->args[i].name);
		t->required[t->n++] = s->args[i].required &&
		    s->args[i].def == NULL;
	}
}

static void
takes_release(struct takes *t)
{
	size_t	i;

	for (i = 0; i < t->n; i++)
		free((char *)t->names[i]);
}

/* The keys of an args value: a map's or a constant object's. */
static size_t
given_keys(const struct tval *v, const char **keys,
    const struct loc **locs, size_t max)
{
	size_t	n = 0;

	if (v == NULL)
		return 0;
	if (v->kind == TV_MAP)
		for (; n < v->n && n < max; n++) {
			keys[n] = v->keys[n];
			locs[n] = &v->items[n]->loc;
		}
	else if (v->kind == TV_CONST && v->json != NULL &&
	    json_object_is_type(v->json, json_type_object)) {
		json_object_object_foreach(v->json, k, val) {
			(void)val;
			if (n == max)
				break;
			keys[n] = k;
			locs[n++] = &v->loc;
		}
	}
	return n;
}

int
check_call_args(const char *tool, enum tool_ref ref, const struct tool *t,
    const struct workflow *callee, int builtin, const struct tval *args,
    const struct loc *l, const char *who)
{
	struct takes		 tk = { .known = true };
	const char		*keys[256], *req, *sg;
	const struct loc	*locs[256];
	bool			 hinted[256] = { false };
	size_t			 n, i, k;
	int			 rc = 0;

	if (args != NULL && args->kind == TV_TMPL)
		return 0;	/* the whole map comes from a template */
	if (ref == TOOL_FILE && t != NULL)
		takes_schema(&tk, &t->args);
	else if (ref == TOOL_WORKFLOW && callee != NULL)
		takes_schema(&tk, &callee->args);
	else if (ref == TOOL_BUILTIN && builtin >= 0) {
		const char	*all = builtin_args(builtin, &req);

		takes_words(&tk, all, false);
		takes_words(&tk, req, true);
		/* Its other spellings, for "did you mean". */
		if (builtin_arg(builtin, "parameters") != NULL)
			takes_words(&tk, "parameters", false);
	} else
		return 0;
	n = given_keys(args, keys, locs, nitems(keys));
	for (i = 0; i < n; i++) {
		/* A built-in's other spelling ('parameters' for 'args'). */
		if (ref == TOOL_BUILTIN && builtin_arg(builtin, keys[i]) != NULL)
			keys[i] = builtin_arg(builtin, keys[i]);
		for (k = 0; k < i && strcmp(keys[k], keys[i]) != 0; k++)
			;
		if (k < i) {
			rc = loc_error(locs[i], "%s gives tool '%s' argument "
			    "'%s' twice", who, tool, keys[i]);
			continue;
		}
		for (k = 0; k < tk.n && strcmp(tk.names[k], keys[i]) != 0; k++)
			;
		if (k < tk.n)
			continue;
		sg = suggest(keys[i], tk.names, tk.n);
		for (k = 0; sg != NULL && k < tk.n; k++)
			hinted[k] |= strcmp(tk.names[k], sg) == 0;
		rc = sg != NULL ? loc_error(locs[i], "%s gives tool '%s' "
		    "argument '%s', which it does not take (did you mean "
		    "'%s'?)", who, tool, keys[i], sg) :
		    tk.n == 0 ? loc_error(locs[i], "%s gives tool '%s' "
		    "argument '%s', but the tool takes no arguments", who,
		    tool, keys[i]) :
		    loc_error(locs[i], "%s gives tool '%s' argument '%s', which "
		    "it does not take", who, tool, keys[i]);
	}
	for (k = 0; k < tk.n; k++) {
		if (!tk.required[k] || hinted[k])
			continue;	/* a misspelt one is reported already */
		for (i = 0; i < n && strcmp(tk.names[k], keys[i]) != 0; i++)
			;
		if (i == n)
			rc = loc_error(l, "%s calls tool '%s' without its "
			    "required argument '%s'", who, tool, tk.names[k]);
	}
	takes_release(&tk);
	return rc;
}
