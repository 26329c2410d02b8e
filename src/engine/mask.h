/*
 * mask.h: secret values kept out of what muster writes.  Data muster
 * knows the shape of (an execution's input, a tool's arguments) is masked
 * by structure: a secret argument's value becomes "***".  Free text a step
 * or a template produced (logs, output, results, rendered errors) is
 * searched for the secret values, when they are MASK_MIN_TEXT bytes long
 * or more: a shorter one would hide ordinary words.  Muster's own words,
 * names and paths are never changed.
 */
#ifndef MUSTER_MASK_H
#define MUSTER_MASK_H

#include <stddef.h>

struct buf;
struct json_object;
struct mask;

/* A stream being masked: bytes held back until they cannot start a secret. */
struct mask_stream {
	char	*s;
	size_t	 len, cap;
};
#define MASK_STREAM_INIT	{ NULL, 0, 0 }

/* Secrets shorter than this are masked by structure only. */
#define MASK_MIN_TEXT	4

struct mask	*mask_new(void);
void		 mask_free(struct mask *);
/*
 * Adds a secret to search free text for, with its base64 and URL-encoded
 * forms; one shorter than MASK_MIN_TEXT is not searched for.
 */
void		 mask_add(struct mask *, const char *, size_t);
/* Adds the values of the secret arguments of s found in input. */
struct schema;
void		 mask_add_secrets(struct mask *, const struct schema *,
		    struct json_object *input);
/* True when free text has nothing to be searched for. */
int		 mask_empty(const struct mask *);
/*
 * Calls fn with the name of each secret argument of s that input gives a
 * value shorter than MASK_MIN_TEXT (free text is not searched for it).
 */
void		 mask_short_secrets(const struct schema *,
		    struct json_object *input, void (*fn)(const char *));
/*
 * A copy of input (an object of arguments of schema s) whose secret
 * arguments' values are "***"; nothing else changes.
 */
struct json_object *mask_args(const struct schema *,
		    struct json_object *input);
/* Free text s masked: a new string. */
char		*mask_str(const struct mask *, const char *s);
/* Appends s[0..len) to out with every secret replaced by ***. */
void		 mask_copy(const struct mask *, struct buf *out, const char *s,
		    size_t len);
/*
 * Returns a deep copy of v (data a step or a template produced) whose
 * string values are masked as free text; keys are names and stay (or v
 * itself, with a new reference, when nothing is secret).
 */
struct json_object *mask_json(const struct mask *, struct json_object *v);
/*
 * Masks a stream: appends to out what is safe to show of the bytes seen
 * so far; with last set, everything that is left.
 */
void		 mask_stream(const struct mask *, struct mask_stream *,
		    const char *data, size_t len, int last, struct buf *out);
void		 mask_stream_release(struct mask_stream *);

#endif
