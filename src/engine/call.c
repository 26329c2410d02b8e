/* call.c: one tool run once, outside any workflow, waited for. */
#include <string.h>

#include <json-c/json.h>

#include "engine/call.h"
#include "def/project.h"
#include "engine/run.h"

struct workflow *
call_wrap(struct project *p, const char *name, struct json_object *args)
{
	struct workflow	*w = arena_alloc(&p->arena, sizeof *w);
	struct step	*s = arena_alloc(&p->arena, sizeof *s);
	struct tval	*v = arena_alloc(&p->arena, sizeof *v);

	w->name = "call";
	w->reads_results = true;	/* the caller reads the one result */
	w->nsteps = 1;
	w->steps = arena_alloc(&p->arena, sizeof *w->steps);
	w->steps[0] = s;
	s->id = arena_strdup(&p->arena, name);
	s->kind = STEP_TOOL;
	s->tool_name = s->id;
	s->retry.attempts = 1;
	if (project_resolve_tool(p, name, NULL, &s->tool_ref, &s->tool,
	    &s->callee, &s->builtin) < 0)
		return NULL;
	v->kind = TV_CONST;
	v->json = args;
	s->args = args != NULL ? v : NULL;
	return w;
}

int
call_tool(struct project *p, const char *name, struct json_object *args,
    const struct call_opts *co, struct json_object **result, struct buf *err)
{
	struct run_opts		 o = { .no_record = true, .log_fd = co->log_fd,
				    .silent = co->silent != 0,
				    .timeout_ns = co->timeout_ns };
	struct workflow		*w;
	struct json_object	*empty;
	struct exec		 x;
	int			 rc;

	*result = NULL;
	error_capture(err);
	w = call_wrap(p, name, args);
	error_capture_end();
	if (w == NULL)
		return EXIT_USAGE;
	empty = json_object_new_object();
	exec_prepare(&x, p, w, empty, &o);
	json_object_put(empty);
	x.verbose = co->verbose;
	x.color = co->color;
	rc = exec_run(&x);
	if (x.jobs[0]->status == ST_COMPLETED)
		*result = json_object_get(x.jobs[0]->result);
	else if (err->len == 0)
		buf_printf(err, "%s: %s", name, x.jobs[0]->error ?
		    x.jobs[0]->error : "failed");
	exec_release(&x);
	return rc;
}
