/* args.h: `--arg K=V` and `--args-file F`, turned into a checked input. */
#ifndef MUSTER_ARGS_H
#define MUSTER_ARGS_H

#include <stddef.h>

struct json_object;
struct schema;

struct args {
	const char	**kv;		/* "K=V" strings, as given */
	size_t		  n, cap;
	const char	 *file;		/* --args-file, or NULL ("-": stdin) */
	char		**owned;	/* "K=V" strings made by args_add_env() */
	size_t		  nowned, ocap;
};
#define ARGS_INIT	{ NULL, 0, 0, NULL, NULL, 0, 0 }

/* Records one --arg; the string must outlive a. */
void	args_add(struct args *, const char *kv);
/*
 * Builds the input for schema s: the file's map, then each --arg on top,
 * converted to the declared types, checked, defaults filled in.  Reports
 * every problem (one line each) and returns -1, or 0 with *out new.
 */
int	args_input(const struct args *, const struct schema *,
	    struct json_object **out);
/*
 * The same without a schema (a built-in tool): a value that reads as JSON
 * (5, true, [1]) is that, anything else a string.  NULL after an error.
 */
struct json_object *args_loose(const struct args *);
void	args_release(struct args *);
/*
 * Records --arg-env NAME=ENVVAR: argument NAME gets the value of ENVVAR,
 * which never appears in argv.  -1 after an error (ENVVAR unset).
 */
int	args_add_env(struct args *, const char *spec);

#endif
