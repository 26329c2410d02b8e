/* value.h: JSON values (json-c) as muster reads and prints them. */
#ifndef MUSTER_VALUE_H
#define MUSTER_VALUE_H

#include <stddef.h>
#include <stdio.h>

struct buf;
struct json_object;

/*
 * The deepest value muster takes in (an argument, an args file, a step's
 * output, a definition): arrays and objects nested at most this many
 * levels.  Readers of what muster wrote allow more (see state/rec.h).
 */
#define VALUE_MAX_DEPTH	64

/*
 * Parses len bytes as exactly one JSON value (strict: no trailing bytes,
 * no comments, at most VALUE_MAX_DEPTH levels).  Returns a new value (NULL is also JSON null: check *ok),
 * or sets why to "MESSAGE at byte N" and *ok to 0.
 */
struct json_object	*json_parse(const char *, size_t len, int *ok,
			    struct buf *why);
/* Appends v as compact JSON ("null" for NULL). */
void			 json_to_buf(struct buf *, struct json_object *v);
/* Prints v as one line of compact JSON. */
void			 json_print(FILE *, struct json_object *v);
/* Shorthands that take a C string which may be NULL (giving null). */
struct json_object	*json_str(const char *);
void			 json_set(struct json_object *obj, const char *key,
			    struct json_object *v);

#endif
