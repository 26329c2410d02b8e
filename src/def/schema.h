/* schema.h: argument schemas: types, defaults, enum, pattern, ranges. */
#ifndef MUSTER_SCHEMA_H
#define MUSTER_SCHEMA_H

#include <stdbool.h>

#include "def/model.h"

struct buf;
struct json_object;

/* Returns the argument called name, or NULL. */
const struct arg	*schema_find(const struct schema *, const char *name);
/*
 * Converts the text of `--arg name=text` to the argument's type: "3" is the
 * integer 3 for an integer, JSON for objects and arrays.  Returns a new
 * value, or NULL with the reason in why.
 */
struct json_object	*schema_convert(const struct arg *, const char *text,
			    struct buf *why);
/* Checks one value against its argument; 0, or -1 with the reason in why. */
int			 schema_check(const struct arg *,
			    struct json_object *, struct buf *why);
/*
 * Checks input (an object; NULL is empty) against s: unknown, missing and
 * wrong arguments each get one error() line.  Names in `reported` (an
 * object or NULL) were given but already reported as wrong.  On success
 * *out is a new object with the defaults filled in.
 */
int			 schema_apply(const struct schema *,
			    struct json_object *input,
			    struct json_object *reported,
			    struct json_object **out);
/* Compiles a PCRE2 pattern; NULL with PCRE2's message and offset in why. */
pcre2_code_8		*schema_compile(const char *pattern, bool lines,
			    struct buf *why);
/* Frees a pattern of schema_compile() (an arena cleanup). */
void			 schema_free_pattern(void *re);
/* True when pattern re matches somewhere in s[0..len). */
bool			 schema_match(pcre2_code_8 *re, const char *s,
			    size_t len);

#endif
