/* hmap.c: a map from strings to pointers (open addressing, FNV-1a). */
#include <stdlib.h>
#include <string.h>

#include "base/hmap.h"
#include "base/util.h"

uint64_t
hmap_hash(const char *s, size_t len)
{
	uint64_t	h = 0xcbf29ce484222325ULL;
	size_t		i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

static struct hmap_slot *
find(const struct hmap *m, const char *key, size_t len, uint64_t h)
{
	size_t	i;

	if (m->cap == 0)
		return NULL;
	for (i = h & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		struct hmap_slot	*s = &m->slots[i];

		if (s->key == NULL)
			return s;
		if (s->hash == h && s->len == len &&
		    memcmp(s->key, key, len) == 0)
			return s;
	}
}

static void
grow(struct hmap *m)
{
	struct hmap_slot	*old = m->slots;
	size_t			 oldcap = m->cap, i;

	m->cap = oldcap ? oldcap * 2 : 16;
	m->slots = xcalloc(m->cap, sizeof *m->slots);
	for (i = 0; i < oldcap; i++)
		if (old[i].key != NULL)
			*find(m, old[i].key, old[i].len, old[i].hash) = old[i];
	free(old);
}

void *
hmap_getn(const struct hmap *m, const char *key, size_t len)
{
	struct hmap_slot	*s = find(m, key, len, hmap_hash(key, len));

	return s != NULL && s->key != NULL ? s->val : NULL;
}

void *
hmap_get(const struct hmap *m, const char *key)
{
	return hmap_getn(m, key, strlen(key));
}

void *
hmap_putn(struct hmap *m, const char *key, size_t len, void *val)
{
	uint64_t		 h = hmap_hash(key, len);
	struct hmap_slot	*s;

	if ((m->n + 1) * 4 > m->cap * 3)
		grow(m);
	s = find(m, key, len, h);
	if (s->key != NULL)
		return s->val;
	s->key = key;
	s->len = len;
	s->hash = h;
	s->val = val;
	m->n++;
	return NULL;
}

void *
hmap_put(struct hmap *m, const char *key, void *val)
{
	return hmap_putn(m, key, strlen(key), val);
}

void *
hmap_set(struct hmap *m, const char *key, void *val)
{
	size_t			 len = strlen(key);
	struct hmap_slot	*s;
	void			*old;

	if ((old = hmap_putn(m, key, len, val)) == NULL)
		return NULL;
	s = find(m, key, len, hmap_hash(key, len));
	s->val = val;
	return old;
}

void
hmap_release(struct hmap *m)
{
	free(m->slots);
	m->slots = NULL;
	m->n = m->cap = 0;
}
