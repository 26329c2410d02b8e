/* mask.c: secret values kept out of what muster writes. */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "engine/mask.h"
#include "def/model.h"
#include "def/schema.h"
#include "base/util.h"

struct mask {
	char	**vals;
	size_t	 *lens;
	size_t	  n, cap, capl;
	size_t	  longest;
};

struct mask *
mask_new(void)
{
	return xcalloc(1, sizeof(struct mask));
}

void
mask_free(struct mask *m)
{
	size_t	i;

	if (m == NULL)
		return;
	for (i = 0; i < m->n; i++)
		free(m->vals[i]);
	free(m->vals);
	free(m->lens);
	free(m);
}

int
mask_empty(const struct mask *m)
{
	return m == NULL || m->n == 0;
}

static void
add_one(struct mask *m, const char *s, size_t len)
{
	size_t	i;

	if (len == 0)
		return;
	for (i = 0; i < m->n; i++)
		if (m->lens[i] == len && memcmp(m->vals[i], s, len) == 0)
			return;
	xgrow(&m->vals, &m->cap, m->n + 1, sizeof *m->vals);
	xgrow(&m->lens, &m->capl, m->n + 1, sizeof *m->lens);
	m->vals[m->n] = xmemdup(s, len);
	m->lens[m->n++] = len;
	if (len > m->longest)
		m->longest = len;
}

static void
base64(struct buf *b, const unsigned char *s, size_t len)
{
	static const char	abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop"
				    "qrstuvwxyz0123456789+/";
	size_t			i;

	for (i = 0; i + 2 < len; i += 3) {
		buf_addc(b, abc[s[i] >> 2]);
		buf_addc(b, abc[(s[i] & 3) << 4 | s[i + 1] >> 4]);
		buf_addc(b, abc[(s[i + 1] & 15) << 2 | s[i + 2] >> 6]);
		buf_addc(b, abc[s[i + 2] & 63]);
	}
	/* The padded tail depends on what follows: keep the stable part. */
	if (len - i == 1)
		buf_addc(b, abc[s[i] >> 2]);
	else if (len - i == 2) {
		buf_addc(b, abc[s[i] >> 2]);
		buf_addc(b, abc[(s[i] & 3) << 4 | s[i + 1] >> 4]);
	}
}

static void
urlencode(struct buf *b, const unsigned char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++) {
		if ((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' &&
		    s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
		    strchr("-._~", s[i]) != NULL)
			buf_addc(b, s[i]);
		else
			buf_printf(b, "%%%02X", s[i]);
	}
}

void
mask_add(struct mask *m, const char *s, size_t len)
{
	struct buf	b = BUF_INIT;

	if (len < MASK_MIN_TEXT)
		return;
	add_one(m, s, len);
	base64(&b, (const unsigned char *)s, len);
	add_one(m, b.s, b.len);
	buf_truncate(&b, 0);
	urlencode(&b, (const unsigned char *)s, len);
	add_one(m, buf_str(&b), b.len);
	buf_release(&b);
}

/* The text of a secret argument's value: a string, or its JSON. */
static const char *
secret_text(struct json_object *v, size_t *len)
{
	const char	*t;

	if (json_object_is_type(v, json_type_string)) {
		*len = (size_t)json_object_get_string_len(v);
		return json_object_get_string(v);
	}
	t = json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE);
	*len = strlen(t);
	return t;
}

void
mask_add_secrets(struct mask *m, const struct schema *s,
    struct json_object *input)
{
	struct json_object	*v;
	size_t			 i;

	for (i = 0; i < s->n; i++) {
		if (!s->args[i].secret ||
		    !json_object_object_get_ex(input, s->args[i].name, &v))
			continue;
		if (v != NULL) {
			size_t		 len;
			const char	*t = secret_text(v, &len);

			mask_add(m, t, len);
		}
	}
}

void
mask_short_secrets(const struct schema *s, struct json_object *input,
    void (*fn)(const char *))
{
	struct json_object	*v;
	size_t			 i, len;

	for (i = 0; i < s->n; i++)
		if (s->args[i].secret && json_object_object_get_ex(input,
		    s->args[i].name, &v) && v != NULL &&
		    (secret_text(v, &len), len) > 0 && len < MASK_MIN_TEXT)
			fn(s->args[i].name);
}

struct json_object *
mask_args(const struct schema *s, struct json_object *input)
{
	struct json_object	*c;
	const struct arg	*a;

	if (!json_object_is_type(input, json_type_object))
		return json_object_get(input);
	c = json_object_new_object();
	json_object_object_foreach(input, k, v) {
		a = schema_find(s, k);
		json_object_object_add(c, k, a != NULL && a->secret &&
		    v != NULL ? json_object_new_string("***") :
		    json_object_get(v));
	}
	return c;
}

/* The length of the longest secret starting at s, within len bytes. */
static size_t
match_at(const struct mask *m, const char *s, size_t len)
{
	size_t	i, best = 0;

	for (i = 0; i < m->n; i++)
		if (m->lens[i] <= len && m->lens[i] > best &&
		    memcmp(s, m->vals[i], m->lens[i]) == 0)
			best = m->lens[i];
	return best;
}

/* True when the len bytes at s are the start of some secret. */
static int
prefix_of_secret(const struct mask *m, const char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < m->n; i++)
		if (m->lens[i] > len && memcmp(s, m->vals[i], len) == 0)
			return 1;
	return 0;
}

/* Masks s, stopping (unless last) where a secret might still begin. */
static size_t
mask_run(const struct mask *m, const char *s, size_t len, int last,
    struct buf *out)
{
	size_t	i = 0, from = 0, k;

	while (i < len) {
		if ((k = match_at(m, s + i, len - i)) > 0) {
			buf_add(out, s + from, i - from);
			buf_adds(out, "***");
			i += k;
			from = i;
			continue;
		}
		if (!last && len - i < m->longest &&
		    prefix_of_secret(m, s + i, len - i))
			break;
		i++;
	}
	buf_add(out, s + from, i - from);
	return i;
}

void
mask_copy(const struct mask *m, struct buf *out, const char *s, size_t len)
{
	if (mask_empty(m))
		buf_add(out, s, len);
	else
		mask_run(m, s, len, 1, out);
}

char *
mask_str(const struct mask *m, const char *s)
{
	struct buf	b = BUF_INIT;

	mask_copy(m, &b, s, strlen(s));
	return buf_detach(&b);
}

void
mask_stream(const struct mask *m, struct mask_stream *ms, const char *data,
    size_t len, int last, struct buf *out)
{
	size_t	done;

	if (mask_empty(m)) {
		buf_add(out, data, len);
		return;
	}
	xgrow(&ms->s, &ms->cap, ms->len + len + 1, 1);
	memcpy(ms->s + ms->len, data, len);
	ms->len += len;
	done = mask_run(m, ms->s, ms->len, last, out);
	memmove(ms->s, ms->s + done, ms->len - done);
	ms->len -= done;
}

void
mask_stream_release(struct mask_stream *ms)
{
	free(ms->s);
	ms->s = NULL;
	ms->len = ms->cap = 0;
}

static struct json_object *
mask_value(const struct mask *m, struct json_object *v, int depth)
{
	struct json_object	*c;
	struct buf		 b = BUF_INIT;
	size_t			 i, n;

	if (depth > 64)
		return json_object_new_string("***");
	switch (json_object_get_type(v)) {
	case json_type_string:
		mask_copy(m, &b, json_object_get_string(v),
		    (size_t)json_object_get_string_len(v));
		c = json_object_new_string_len(buf_str(&b), (int)b.len);
		buf_release(&b);
		return c;
	case json_type_array:
		n = json_object_array_length(v);
		c = json_object_new_array_ext((int)n);
		for (i = 0; i < n; i++)
			json_object_array_add(c, mask_value(m,
			    json_object_array_get_idx(v, i), depth + 1));
		return c;
	case json_type_object:
		/* Keys are names: masking them could merge two into one. */
		c = json_object_new_object();
		json_object_object_foreach(v, key, val)
			json_object_object_add(c, key,
			    mask_value(m, val, depth + 1));
		return c;
	default:
		return json_object_get(v);
	}
}

struct json_object *
mask_json(const struct mask *m, struct json_object *v)
{
	if (mask_empty(m) || v == NULL)
		return json_object_get(v);
	return mask_value(m, v, 0);
}
