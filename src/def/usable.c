/* usable.c: whether a definition of a project with errors can be used. */
#include <stdio.h>
#include <string.h>

#include "def/project.h"

/* One question: the first broken definition found, and where we went. */
struct probe {
	struct project	*p;
	struct hmap	 seen;		/* workflows visited */
	struct hmap	 files;		/* the bad files met */
	const char	*kind, *name;	/* the first broken definition */
};

/* Notes file as bad when the load said so; returns 1 when it was. */
static int
bad(struct probe *q, const char *file, bool broken, const char *kind,
    const char *name)
{
	if (!broken && !q->p->bad_all && (file == NULL ||
	    hmap_get(&q->p->bad_files, file) == NULL))
		return 0;
	if (file != NULL)
		hmap_put(&q->files, file, (void *)file);
	if (q->kind == NULL) {
		q->kind = kind;
		q->name = name;
	}
	return 1;
}

static int	walk_workflow(struct probe *, const struct workflow *);

static int
walk_tool(struct probe *q, const char *name, enum tool_ref ref,
    const struct tool *t, const struct workflow *callee, const char *file)
{
	if (name == NULL)
		return 0;
	if (ref == TOOL_FILE) {
		if (t == NULL)	/* unresolved: its user's file says why */
			return bad(q, file, true, "tool", name);
		return bad(q, t->file, false, "tool", t->name);
	}
	if (ref == TOOL_WORKFLOW && callee != NULL)
		return walk_workflow(q, callee);
	return 0;
}

static int
walk_steps(struct probe *q, const struct workflow *w, struct step **s,
    size_t n)
{
	const struct condition	*c;
	size_t			 i;
	int			 r = 0;

	for (i = 0; i < n; i++) {
		if (s[i]->kind == STEP_TOOL)
			r |= walk_tool(q, s[i]->tool_name, s[i]->tool_ref,
			    s[i]->tool, s[i]->callee, w->file);
		if ((c = s[i]->cond) != NULL && c->kind == COND_TOOL)
			r |= walk_tool(q, c->tool, c->tool_ref, c->tool_def,
			    c->callee, w->file);
		r |= walk_steps(q, w, s[i]->sub, s[i]->nsub);
	}
	return r;
}

static int
walk_workflow(struct probe *q, const struct workflow *w)
{
	int	r;

	if (hmap_put(&q->seen, w->name, (void *)w) != NULL)
		return 0;
	r = bad(q, w->file, w->broken, "workflow", w->name);
	if (w->broken)
		return r;	/* not cross-checked: its steps say nothing */
	r |= walk_steps(q, w, w->steps, w->nsteps);
	r |= walk_steps(q, w, w->on_failure, w->non_failure);
	r |= walk_steps(q, w, w->recovery, w->nrecovery);
	return r;
}

static int
walk_lifecycle(struct probe *q, const struct lifecycle *lc)
{
	const struct tool	*t;

	if (lc == NULL || lc->tool == NULL)
		return 0;
	if ((t = project_tool(q->p, lc->tool)) != NULL)
		return bad(q, t->file, false, "tool", t->name);
	return 0;	/* a built-in or a workflow, or checked by its class */
}

static int
walk_class(struct probe *q, const struct service_class *c)
{
	size_t	i;
	int	r;

	if (hmap_put(&q->seen, c->name, (void *)c) != NULL)
		return 0;
	r = bad(q, c->file, c->broken, "service class", c->name);
	if (c->broken)
		return r;
	r |= walk_lifecycle(q, c->start) | walk_lifecycle(q, c->stop) |
	    walk_lifecycle(q, c->restart) | walk_lifecycle(q, c->status) |
	    walk_lifecycle(q, c->health_tool);
	for (i = 0; i < c->ndeps; i++)
		if (c->dep_classes != NULL && c->dep_classes[i] != NULL)
			r |= walk_class(q, c->dep_classes[i]);
	return r;
}

/* The length of the FILE in "FILE:LINE:COL: error|note: ..." at s (a line
 * ending at nl), and whether it is a note; 0 when it is no such line. */
static size_t
line_file(const char *s, const char *nl, int *note)
{
	const char	*m = strstr(s, ": error: ");
	const char	*n = strstr(s, ": note: ");
	int		 colons = 0;

	*note = n != NULL && n < nl && (m == NULL || n < m);
	if (*note)
		m = n;
	if (m == NULL || m >= nl)
		return 0;
	while (m > s && colons < 2)
		if (*--m == ':')
			colons++;
	return colons == 2 ? (size_t)(m - s) : 0;
}

/* Prints the load's messages about the files met (every one when the
 * load failed outside any file); a note goes with the error before it. */
static void
print_problems(struct probe *q)
{
	const char	*s = buf_str(&q->p->problems), *nl;
	size_t		 len;
	int		 keep = 0, note;

	for (; *s != '\0'; s = nl) {
		nl = s + strcspn(s, "\n");
		nl += *nl == '\n';
		len = line_file(s, nl, &note);
		if (q->p->bad_all)
			keep = 1;
		else if (!note || !keep)
			keep = len > 0 && hmap_getn(&q->files, s, len) != NULL;
		if (keep)
			fwrite(s, 1, (size_t)(nl - s), stderr);
	}
}

static int
finish(struct probe *q, int r, const char *kind, const char *name,
    bool report)
{
	if (r && report) {
		print_problems(q);
		if (strcmp(q->kind, kind) == 0 && strcmp(q->name, name) == 0)
			error("%s '%s' has errors; fix them, then try again "
			    "(see 'muster validate')", kind, name);
		else
			error("%s '%s' uses %s '%s', which has errors; fix "
			    "them, then try again (see 'muster validate')",
			    kind, name, q->kind, q->name);
	}
	hmap_release(&q->seen);
	hmap_release(&q->files);
	return r ? -1 : 0;
}

int
project_usable_workflow(struct project *p, const struct workflow *w,
    bool report)
{
	struct probe	q = { p, HMAP_INIT, HMAP_INIT, NULL, NULL };

	return finish(&q, walk_workflow(&q, w), "workflow", w->name,
	    report);
}

int
project_usable_class(struct project *p, const struct service_class *c,
    bool report)
{
	struct probe	q = { p, HMAP_INIT, HMAP_INIT, NULL, NULL };

	return finish(&q, walk_class(&q, c), "service class",
	    c->name, report);
}
