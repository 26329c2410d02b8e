/* mask.h: secret values replaced by *** wherever muster writes. */
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

struct mask	*mask_new(void);
void		 mask_free(struct mask *);
/* Adds a secret, with its base64 and URL-encoded forms. */
void		 mask_add(struct mask *, const char *, size_t);
/* Adds the values of the secret arguments of s found in input. */
struct schema;
void		 mask_add_secrets(struct mask *, const struct schema *,
		    struct json_object *input);
int		 mask_empty(const struct mask *);
/* Appends s[0..len) to out with every secret replaced by ***. */
void		 mask_copy(const struct mask *, struct buf *out, const char *s,
		    size_t len);
/* Returns a deep copy of v whose strings are masked (or v itself, with a
 * new reference, when nothing is secret). */
struct json_object *mask_json(const struct mask *, struct json_object *v);
/*
 * Masks a stream: appends to out what is safe to show of the bytes seen
 * so far; with last set, everything that is left.
 */
void		 mask_stream(const struct mask *, struct mask_stream *,
		    const char *data, size_t len, int last, struct buf *out);
void		 mask_stream_release(struct mask_stream *);

#endif
