/* hmap.h: a map from strings to pointers (open addressing, FNV-1a). */
#ifndef MUSTER_HMAP_H
#define MUSTER_HMAP_H

#include <stddef.h>
#include <stdint.h>

struct hmap_slot {
	const char	*key;		/* borrowed: must outlive the map */
	size_t		 len;
	uint64_t	 hash;
	void		*val;
};

struct hmap {
	struct hmap_slot	*slots;
	size_t			 n, cap;
};
#define HMAP_INIT	{ NULL, 0, 0 }

/* Returns the value stored under key, or NULL. */
void	*hmap_get(const struct hmap *, const char *key);
void	*hmap_getn(const struct hmap *, const char *key, size_t len);
/*
 * Stores val under key unless the key is there already; returns the
 * value found there (NULL when val was stored).
 */
void	*hmap_put(struct hmap *, const char *key, void *val);
void	*hmap_putn(struct hmap *, const char *key, size_t len, void *val);
/* Stores val under key, replacing any value there; returns the old one. */
void	*hmap_set(struct hmap *, const char *key, void *val);
void	 hmap_release(struct hmap *);
uint64_t hmap_hash(const char *, size_t);

#endif
