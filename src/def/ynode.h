/* ynode.h: YAML documents as trees of nodes that know their position. */
#ifndef MUSTER_YNODE_H
#define MUSTER_YNODE_H

#include <stddef.h>
#include <stdint.h>

#include "base/value.h"

struct arena;

/* Limits on what a definition file may be. */
#define YNODE_MAX_FILE		(4 << 20)	/* bytes, unless configured */
#define YNODE_MAX_FILE_CAP	(64 << 20)	/* the most it may be set to */
#define YNODE_MAX_DEPTH		VALUE_MAX_DEPTH	/* nested sequences and mappings */
#define YNODE_MAX_EXPANSION	100000		/* nodes aliases add, in all */

enum ynode_kind {
	YNODE_SCALAR,
	YNODE_SEQ,
	YNODE_MAP
};

/* What a scalar means under the YAML 1.2 core schema (or its tag). */
enum yscalar {
	YS_NONE,	/* not a scalar */
	YS_NULL,
	YS_BOOL,
	YS_INT,
	YS_FLOAT,
	YS_STR
};

struct ynode {
	union {
		const char	 *s;	/* scalars: the text, NUL-terminated */
		struct ynode	**items; /* seq: n items; map: key, value, ... */
	};
	int		  line, col;	/* from 1 */
	union {
		uint32_t  len;		/* scalars: its length (may hold NULs) */
		uint32_t  n;		/* seq: items; map: pairs */
	};
	unsigned char	  kind;		/* enum ynode_kind */
	unsigned char	  type;		/* enum yscalar; scalars only */
	unsigned char	  style;	/* scalars: 0 plain, 1 quoted, 2 block */
};

/* A map's i-th key and value. */
#define YMAP_KEY(m, i)	((m)->items[2 * (i)])
#define YMAP_VAL(m, i)	((m)->items[2 * (i) + 1])

struct ydoc {
	struct ynode	*root;		/* NULL for an empty document */
	int		 line, col;	/* where the document starts */
	const char	*text;		/* the whole file's bytes */
	size_t		 textlen;
};

/*
 * Reads the file at path (shown as name in messages), checks it (a regular
 * file, at most max bytes, UTF-8 without NUL bytes) and parses every
 * document into nodes.  The scalars' text lives in arena a; the nodes,
 * *docs and the file's bytes in arena tree (a when NULL), which may be
 * released once what is needed of them was taken.  Reports each problem
 * with loc_error() and returns -1, or 0 with *docs and *n.
 */
int	ynode_load_file(struct arena *a, struct arena *tree, const char *path,
	    const char *name, size_t max, struct ydoc **docs, size_t *n);
/* The same for bytes already in memory. */
int	ynode_load_buf(struct arena *a, struct arena *tree, const char *name,
	    const char *buf, size_t len, struct ydoc **docs, size_t *n);

/* Returns the value of key in map m, or NULL. */
struct ynode	*ynode_get(const struct ynode *m, const char *key);
/* "a string", "a mapping", "an integer"...: for messages. */
const char	*ynode_describe(const struct ynode *);
/*
 * A hash of what n says (kinds, keys, scalars; not where it is), so that
 * an edit to a definition can be told from no edit.
 */
uint64_t	 ynode_hash(const struct ynode *);
/* The libyaml version, for `muster version`. */
const char	*ynode_library_version(void);

#endif
