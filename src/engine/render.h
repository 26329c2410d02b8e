/* render.h: templates of a workflow rendered against a run's data. */
#ifndef MUSTER_RENDER_H
#define MUSTER_RENDER_H

#include "def/model.h"

struct buf;
struct json_object;

/*
 * The template data of a run: .input, .results, .steps, .vars and
 * .execution, plus each argument at the top level where its name is free,
 * and, when w's templates read them so, each of w's steps' results so far
 * (w NULL: none).
 * The objects are shared (new references), so later results show.
 */
struct json_object	*render_root(struct json_object *input,
			    struct json_object *results,
			    struct json_object *steps,
			    struct json_object *execution,
			    struct json_object *vars,
			    const struct workflow *w);
/* Makes result readable as .<key> in root as well as .results.<key>. */
void			 render_alias(struct json_object *root,
			    const char *key, struct json_object *result);
/*
 * Renders v: strings that are one whole action keep their JSON type.
 * Returns 0 with *out (new), or -1 with "FILE:LINE:COL: MESSAGE" in err.
 */
int	render_value(const struct tval *v, struct json_object *root,
	    struct json_object **out, struct buf *err);
/* Renders a templated string (flags as for tmpl_render) onto out. */
int	render_text(const struct tstr *, struct json_object *root,
	    unsigned flags, struct buf *out, struct buf *err);
/*
 * Checks an expect/expectNot pair (of a condition or a health check)
 * against a tool's success (1, 0, or -1: skipped, which no success
 * matches) and result; jsonPath values are rendered with
 * root.  1 holds, 0 not, -1 error (in err).
 */
int	expect_check(const struct expect *, const struct expect *not,
	    int success, struct json_object *result, struct json_object *root,
	    struct buf *err);
/* A JSON scalar as text ("3", "true"); objects and arrays as JSON. */
void	render_plain(struct buf *, struct json_object *);

#endif
