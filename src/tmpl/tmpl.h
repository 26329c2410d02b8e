/* tmpl.h: muster's template language: Go's text/template over JSON data. */
#ifndef MUSTER_TMPL_H
#define MUSTER_TMPL_H

#include <stddef.h>

struct buf;
struct json_object;
struct tmpl;

/* Rendering options. */
enum {
	/* A missing map key prints Go's "<no value>" instead of failing. */
	TMPL_MISSING_DEFAULT = 1 << 0,
	/*
	 * The output is a POSIX shell script (a `run:` step): the value of
	 * every action is escaped for the quoting context that the literal
	 * text emitted so far leaves open (none, '...' or "..."), so no value
	 * can end a quote, substitute a command or start a new one.
	 */
	TMPL_SHELL = 1 << 1
};

/* Limits: errors, never crashes. */
#define TMPL_MAX_DEPTH		1000		/* nesting of parens and blocks */
#define TMPL_MAX_OUTPUT		(4 << 20)	/* bytes one rendering may produce */

/* Why a parse or a rendering failed; line and col count from 1 within the
 * template text, col in bytes (0 when unknown).  Rendering errors start
 * "at <ACTION>: ". */
struct tmpl_error {
	int	 line, col;
	char	 msg[512];
};

/*
 * Parses len bytes of src.  Returns the template (free it with tmpl_free())
 * or NULL with *err set.  Unknown functions and undefined variables are
 * parse errors, as in Go.
 */
struct tmpl	*tmpl_parse(const char *src, size_t len, struct tmpl_error *err);
void		 tmpl_free(struct tmpl *);

/* Renders t against data (NULL is JSON null), appending to out; 0 or -1. */
int		 tmpl_render(const struct tmpl *, struct json_object *data,
		    unsigned flags, struct buf *out, struct tmpl_error *err);

/*
 * Like tmpl_render(), but when the template is exactly one action
 * ("{{ .input.replicas }}", no text around it) *out gets the action's value
 * with its JSON type (an integer stays an integer, an object an object);
 * otherwise the rendered string.  *out is a new reference.
 */
int		 tmpl_eval(const struct tmpl *, struct json_object *data,
		    unsigned flags, struct json_object **out,
		    struct tmpl_error *err);

/* 1 when t has no actions at all (plain text). */
int		 tmpl_is_text(const struct tmpl *);

/*
 * Calls fn for every field chain read from the root data: ".results.build.tag"
 * gives {"results", "build", "tag"}, as does "$.results.build.tag" anywhere and
 * `index .results "build"` (whose constant keys extend the chain).  Chains of
 * "." inside range and with blocks, where dot is not the root, are not
 * reported.  A read of the whole root ("." where dot is the root, "$",
 * or a {{template}} call) is a chain of n = 0.  line and col locate the
 * chain within the template text.
 */
void		 tmpl_walk_fields(const struct tmpl *,
		    void (*fn)(void *arg, const char *const *chain, size_t n,
		    int line, int col), void *arg);

/*
 * Follows t as a run: script is rendered (TMPL_SHELL), without data: calls
 * fn for every action that stands where no value can be made safe (inside
 * `...`, ${...}, $((...)), ...), and appends to script (unless NULL) the
 * script with each value a placeholder word.  Returns 0, or -1 when t has
 * control structures (if, range, with, template), so that the script is
 * only an approximation, or the text itself breaks the shell's quoting.
 */
int		 tmpl_walk_shell(const struct tmpl *, struct buf *script,
		    void (*fn)(void *arg, int line, int col, const char *why),
		    void *arg);

/* Calls fn for every template function, sorted by name: its signature
 * ("trunc N S") and a template that shows it ("" for none). */
void		 tmpl_functions(void (*fn)(void *arg, const char *name,
		    const char *sig, const char *example), void *arg);

/*
 * Calls fn for every call of a Sprig function whose subject comes last
 * (replace, contains, hasPrefix, ...) written with the subject first: the
 * first argument read from the data, the others string literals, as in
 * `replace .s "-" "_"` (Sprig reads: replace .s with "_" in "-").  sig is
 * the function's signature ("replace OLD NEW S").
 */
void		 tmpl_walk_order(const struct tmpl *,
		    void (*fn)(void *arg, const char *func, const char *sig,
		    int line, int col), void *arg);

#endif
