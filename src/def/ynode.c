/* ynode.c: YAML to position-carrying trees; the only file that includes <yaml.h>. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <yaml.h>

#include "base/arena.h"
#include "base/hmap.h"
#include "base/util.h"
#include "def/ynode.h"

struct anchor {
	struct ynode	*node;
	uint64_t	 weight;	/* nodes it stands for, aliases expanded */
	unsigned	 height;	/* levels of collections it holds */
	int		 open;		/* still being built */
};

struct frame {
	struct ynode	*node;
	struct anchor	*anchor;
	size_t		 first;		/* its first child in builder.kids */
	uint64_t	 weight;
	unsigned	 height;	/* its tallest child's height */
};

struct builder {
	struct arena	 *arena;	/* nodes */
	struct arena	 *text;		/* scalars' text */
	const char	 *name;
	struct hmap	  anchors;
	struct frame	 *stack;
	size_t		  depth, stackcap;
	struct ynode	**kids;		/* children of every open node */
	uint64_t	 *kidweights;
	size_t		  nkids, kidcap, kidwcap;
	uint64_t	  nodes, expanded;
	struct ynode	 *root;
	uint64_t	  rootweight;
	const char	 *src;		/* the file's bytes, for hints */
	size_t		  srclen;
};

static struct loc
mark_loc(const struct builder *b, yaml_mark_t m)
{
	struct loc	l = { b->name, (int)m.line + 1, (int)m.column + 1 };

	return l;
}

static struct loc
node_loc(const struct builder *b, const struct ynode *n)
{
	struct loc	l = { b->name, n->line, n->col };

	return l;
}

/* Turns a byte offset into a line and column (counting characters). */
static struct loc
offset_loc(const char *name, const char *buf, size_t off)
{
	struct loc	l = { name, 1, 1 };
	size_t		i;

	for (i = 0; i < off; i++) {
		if (buf[i] == '\n') {
			l.line++;
			l.col = 1;
		} else if ((buf[i] & 0xc0) != 0x80)
			l.col++;
	}
	return l;
}

static int
check_bytes(const char *name, const char *buf, size_t len)
{
	const char	*nul;
	size_t		 bad;
	struct loc	 l;

	if (len >= 2 && ((buf[0] == '\xff' && buf[1] == '\xfe') ||
	    (buf[0] == '\xfe' && buf[1] == '\xff'))) {
		l = (struct loc){ name, 1, 1 };
		return loc_error(&l, "file is UTF-16; muster reads UTF-8");
	}
	if ((nul = memchr(buf, '\0', len)) != NULL) {
		l = offset_loc(name, buf, (size_t)(nul - buf));
		return loc_error(&l, "NUL byte in file (byte offset %zu)",
		    (size_t)(nul - buf));
	}
	if (!utf8_valid(buf, len, &bad)) {
		l = offset_loc(name, buf, bad);
		return loc_error(&l, "invalid UTF-8 (byte offset %zu)", bad);
	}
	return 0;
}

/* Resolves a plain scalar by the YAML 1.2 core schema. */
static enum yscalar
resolve_plain(const char *s, size_t len)
{
	static const char *const nulls[] = { "", "~", "null", "Null", "NULL" };
	static const char *const bools[] = { "true", "True", "TRUE", "false",
	    "False", "FALSE" };
	static const char *const specials[] = { ".inf", ".Inf", ".INF",
	    ".nan", ".NaN", ".NAN" };
	const char	*p = s;
	size_t		 i;
	int		 digits = 0, dot = 0, exp = 0;

	for (i = 0; i < nitems(nulls); i++)
		if (strcmp(s, nulls[i]) == 0)
			return YS_NULL;
	for (i = 0; i < nitems(bools); i++)
		if (strcmp(s, bools[i]) == 0)
			return YS_BOOL;
	if (*p == '-' || *p == '+')
		p++;
	for (i = 0; i < nitems(specials); i++)
		if (strcmp(p, specials[i]) == 0 && (i < 3 || p == s))
			return YS_FLOAT;
	if (p == s && len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'o')) {
		const char	*set = s[1] == 'x' ? "0123456789abcdefABCDEF" :
				    "01234567";

		return strspn(s + 2, set) == len - 2 ? YS_INT : YS_STR;
	}
	for (; *p != '\0'; p++) {
		if (*p >= '0' && *p <= '9')
			digits++;
		else if (*p == '.' && !dot && !exp)
			dot = 1;
		else if ((*p == 'e' || *p == 'E') && digits && !exp) {
			exp = 1;
			if (p[1] == '-' || p[1] == '+')
				p++;
			if (p[1] == '\0')
				return YS_STR;
		} else
			return YS_STR;
	}
	if (digits == 0)
		return YS_STR;
	return dot || exp ? YS_FLOAT : YS_INT;
}

/* A tag as the user wrote it: "!!str", not "tag:yaml.org,2002:str". */
static const char *
short_tag(const char *tag)
{
	static char	buf[256];

	if (strncmp(tag, "tag:yaml.org,2002:", 18) != 0)
		return tag;
	snprintf(buf, sizeof buf, "!!%s", tag + 18);
	return buf;
}

static int
resolve_tag(struct builder *b, yaml_event_t *ev, enum yscalar *type)
{
	static const struct {
		const char	*tag;
		enum yscalar	 type;
	} tags[] = {
		{ YAML_STR_TAG, YS_STR }, { YAML_INT_TAG, YS_INT },
		{ YAML_FLOAT_TAG, YS_FLOAT }, { YAML_BOOL_TAG, YS_BOOL },
		{ YAML_NULL_TAG, YS_NULL },
	};
	const char	*tag = (const char *)ev->data.scalar.tag;
	struct loc	 l;
	size_t		 i;

	if (tag == NULL)
		return 1;
	if (strcmp(tag, "!") == 0) {
		*type = YS_STR;
		return 0;
	}
	for (i = 0; i < nitems(tags); i++)
		if (strcmp(tag, tags[i].tag) == 0) {
			*type = tags[i].type;
			return 0;
		}
	l = mark_loc(b, ev->start_mark);
	return loc_error(&l, "unsupported tag '%s'", short_tag(tag));
}

static struct ynode *
new_node(struct builder *b, enum ynode_kind kind, yaml_mark_t m)
{
	struct ynode	*n = arena_alloc(b->arena, sizeof *n);

	n->kind = kind;
	n->line = (int)m.line + 1;
	n->col = (int)m.column + 1;
	b->nodes++;
	return n;
}

static void
push_kid(struct builder *b, struct ynode *n, uint64_t weight)
{
	xgrow(&b->kids, &b->kidcap, b->nkids + 1, sizeof *b->kids);
	xgrow(&b->kidweights, &b->kidwcap, b->nkids + 1,
	    sizeof *b->kidweights);
	b->kids[b->nkids] = n;
	b->kidweights[b->nkids++] = weight;
}

/*
 * Adds a finished node, standing for weight nodes and height levels of
 * collections, to its parent (or makes it the document root).
 */
static void
attach(struct builder *b, struct ynode *n, uint64_t weight, unsigned height)
{
	struct frame	*up;

	if (b->depth == 0) {
		b->root = n;
		b->rootweight = weight;
		return;
	}
	push_kid(b, n, weight);
	up = &b->stack[b->depth - 1];
	if (height > up->height)
		up->height = height;
}

/* Returns the anchor named name (NULL for none); a later one replaces. */
static struct anchor *
add_anchor(struct builder *b, const yaml_char_t *name, struct ynode *n)
{
	struct anchor	*a;

	if (name == NULL)
		return NULL;
	a = arena_alloc(b->arena, sizeof *a);
	a->node = n;
	a->open = 1;
	a->weight = 1;
	a->height = 0;
	hmap_set(&b->anchors, arena_strdup(b->arena, (const char *)name), a);
	return a;
}

static int
on_scalar(struct builder *b, yaml_event_t *ev)
{
	struct ynode	*n = new_node(b, YNODE_SCALAR, ev->start_mark);
	struct anchor	*a;
	enum yscalar	 type = YS_STR;
	struct loc	 l;
	int		 r;

	n->s = arena_strndup(b->text, (const char *)ev->data.scalar.value,
	    ev->data.scalar.length);
	n->len = (uint32_t)ev->data.scalar.length;
	switch (ev->data.scalar.style) {
	case YAML_PLAIN_SCALAR_STYLE:
		n->style = 0;
		break;
	case YAML_LITERAL_SCALAR_STYLE:
	case YAML_FOLDED_SCALAR_STYLE:
		n->style = 2;
		break;
	default:
		n->style = 1;
		break;
	}
	if ((r = resolve_tag(b, ev, &type)) < 0)
		return -1;
	if (r == 1)
		type = n->style == 0 ? resolve_plain(n->s, n->len) : YS_STR;
	else if (type != YS_STR && resolve_plain(n->s, n->len) != type &&
	    !(type == YS_FLOAT && resolve_plain(n->s, n->len) == YS_INT)) {
		l = node_loc(b, n);
		/* The value is not quoted: it may be a secret (--args-file). */
		return loc_error(&l, "the value does not match its tag '%s'",
		    short_tag((const char *)ev->data.scalar.tag));
	}
	n->type = type;
	if ((a = add_anchor(b, ev->data.scalar.anchor, n)) != NULL)
		a->open = 0;
	attach(b, n, 1, 0);
	return 0;
}

static int
on_start(struct builder *b, yaml_event_t *ev, enum ynode_kind kind)
{
	struct ynode	*n = new_node(b, kind, ev->start_mark);
	struct loc	 l = node_loc(b, n);
	const char	*tag;
	struct frame	*f;

	tag = (const char *)(kind == YNODE_MAP ?
	    ev->data.mapping_start.tag : ev->data.sequence_start.tag);
	if (tag != NULL && strcmp(tag, kind == YNODE_MAP ? YAML_MAP_TAG :
	    YAML_SEQ_TAG) != 0)
		return loc_error(&l, "unsupported tag '%s'", short_tag(tag));
	if (b->depth >= YNODE_MAX_DEPTH)
		return loc_error(&l, "nesting too deep (limit %d)",
		    YNODE_MAX_DEPTH);
	xgrow(&b->stack, &b->stackcap, b->depth + 1, sizeof *b->stack);
	f = &b->stack[b->depth++];
	f->node = n;
	f->first = b->nkids;
	f->weight = 1;
	f->height = 0;
	f->anchor = add_anchor(b, kind == YNODE_MAP ?
	    ev->data.mapping_start.anchor : ev->data.sequence_start.anchor, n);
	return 0;
}

/* Reports every key of map n that an earlier key already had. */
static int
check_keys(struct builder *b, struct ynode *n)
{
	struct hmap	seen = HMAP_INIT;
	size_t		i, j;
	int		rc = 0;

	for (i = 0; i < n->n; i++) {
		struct ynode	*k = YMAP_KEY(n, i), *first = NULL;

		struct loc	 l = node_loc(b, k);

		if (k->kind != YNODE_SCALAR) {
			rc = loc_error(&l, "a mapping key must be a scalar, "
			    "not %s", ynode_describe(k));
			continue;
		}
		if (n->n <= 8) {
			for (j = 0; j < i && first == NULL; j++)
				if (YMAP_KEY(n, j)->kind == YNODE_SCALAR &&
				    YMAP_KEY(n, j)->len == k->len &&
				    memcmp(YMAP_KEY(n, j)->s, k->s,
				    k->len) == 0)
					first = YMAP_KEY(n, j);
		} else
			first = hmap_putn(&seen, k->s, k->len, k);
		if (first != NULL) {
			struct loc	f = node_loc(b, first);

			rc = loc_error(&l, "duplicate key '%s'", k->s);
			loc_note(&f, "first defined here");
		} else if (k->len == 2 && memcmp(k->s, "<<", 2) == 0 &&
		    k->style == 0) {
			rc = loc_error(&l, "merge keys ('<<') are not "
			    "supported");
		}
	}
	hmap_release(&seen);
	return rc;
}

static int
on_end(struct builder *b)
{
	struct frame	*f = &b->stack[--b->depth];
	struct ynode	*n = f->node;
	size_t		 count = b->nkids - f->first, i;
	uint64_t	 w = 1;

	for (i = f->first; i < b->nkids; i++)
		w += b->kidweights[i];
	n->items = arena_array(b->arena, count, sizeof *n->items);
	if (count > 0)		/* b->kids may still be NULL */
		memcpy(n->items, b->kids + f->first, count * sizeof *n->items);
	n->n = (uint32_t)(n->kind == YNODE_MAP ? count / 2 : count);
	b->nkids = f->first;
	if (f->anchor != NULL) {
		f->anchor->open = 0;
		f->anchor->weight = w;
		f->anchor->height = f->height + 1;
	}
	attach(b, n, w, f->height + 1);
	return n->kind == YNODE_MAP ? check_keys(b, n) : 0;
}

static int
on_alias(struct builder *b, yaml_event_t *ev)
{
	const char	*name = (const char *)ev->data.alias.anchor;
	struct anchor	*a = hmap_get(&b->anchors, name);
	struct loc	 l = mark_loc(b, ev->start_mark);

	if (a == NULL)
		return loc_error(&l, "unknown anchor '%s'", name);
	if (a->open)
		return loc_error(&l, "recursive alias '*%s'", name);
	/* Absolute bounds: a small file must not stand for a huge value. */
	b->expanded += a->weight;
	if (b->expanded > YNODE_MAX_EXPANSION)
		return loc_error(&l, "aliases expand to more than %d nodes",
		    YNODE_MAX_EXPANSION);
	if (b->depth + a->height > YNODE_MAX_DEPTH)
		return loc_error(&l, "alias '*%s' nests values deeper than %d "
		    "levels", name, YNODE_MAX_DEPTH);
	attach(b, a->node, a->weight, a->height);
	return 0;
}

/* The text of line (0-based) of b's file, its length in *len. */
static const char *
src_line(const struct builder *b, size_t line, size_t *len)
{
	const char	*s = b->src, *end = b->src + b->srclen, *nl;

	while (line > 0 && s < end && (nl = memchr(s, '\n', (size_t)(end -
	    s))) != NULL) {
		s = nl + 1;
		line--;
	}
	nl = memchr(s, '\n', (size_t)(end - s));
	*len = (size_t)((nl != NULL ? nl : end) - s);
	return s;
}

/* What a user can do about libyaml's problem, or NULL. */
static const char *
syntax_hint(const struct builder *b, const yaml_parser_t *p)
{
	const char	*pr = p->problem ? p->problem : "", *s;
	size_t		 len, ind, line = p->problem_mark.line;

	s = src_line(b, line, &len);
	ind = strspn(s, " ");
	if ((ind < len && s[ind] == '\t') || strstr(pr, "tab") != NULL)
		return "tabs are not allowed in YAML indentation; indent "
		    "with spaces";
	if (strstr(pr, "mapping values are not allowed") != NULL)
		return "a plain value cannot contain ': '; quote the value "
		    "(run: \"echo a: b\") or use a block (run: |)";
	if (strstr(pr, "found character that cannot start any token") &&
	    p->problem_mark.index < b->srclen &&
	    strchr("@`%", b->src[p->problem_mark.index]) != NULL)
		return "a plain value cannot start with @, ` or %; quote it";
	if (strstr(pr, "did not find expected '-' indicator") != NULL ||
	    strstr(pr, "did not find expected key") != NULL)
		return "check the indentation: the items of one list or "
		    "mapping start in the same column, nested ones further "
		    "right";
	if (strstr(pr, "could not find expected ':'") != NULL)
		return "a key needs ': ' after it; a value that goes on over "
		    "several lines must be quoted or a block (|)";
	if (strstr(pr, "found unexpected end of stream") != NULL)
		return "a quote is not closed";
	if (strstr(pr, "did not find expected ',' or ']'") != NULL ||
	    strstr(pr, "did not find expected ',' or '}'") != NULL)
		return "a flow list [...] or mapping {...} is not closed, or "
		    "a value in it holds an unquoted ',', '[' or '{'";
	return NULL;
}

static int
syntax_error(struct builder *b, yaml_parser_t *p)
{
	struct loc	 l = mark_loc(b, p->problem_mark);
	const char	*hint = syntax_hint(b, p);
	int		 rc;

	if (p->error == YAML_MEMORY_ERROR)
		fatal("out of memory parsing '%s'", b->name);
	if (p->context != NULL)
		rc = loc_error(&l, "%s %s (line %d)", p->problem, p->context,
		    (int)p->context_mark.line + 1);
	else
		rc = loc_error(&l, "%s", p->problem ? p->problem :
		    "bad YAML");
	if (hint != NULL)
		loc_hint(&l, "%s", hint);
	return rc;
}

static int
parse_events(struct builder *b, yaml_parser_t *p, struct ydoc **docs,
    size_t *ndocs)
{
	size_t	cap = 0;
	int	doc_line = 1, doc_col = 1, rc = 0;

	for (;;) {
		yaml_event_t		ev;
		yaml_event_type_t	type;
		int			r = 0;

		if (!yaml_parser_parse(p, &ev))
			return syntax_error(b, p);
		type = ev.type;
		switch (type) {
		case YAML_STREAM_END_EVENT:
			yaml_event_delete(&ev);
			return rc;
		case YAML_DOCUMENT_START_EVENT:
			b->root = NULL;
			doc_line = (int)ev.start_mark.line + 1;
			doc_col = (int)ev.start_mark.column + 1;
			break;
		case YAML_DOCUMENT_END_EVENT:
			xgrow(docs, &cap, *ndocs + 1, sizeof **docs);
			(*docs)[*ndocs].root = b->root != NULL &&
			    !(b->root->kind == YNODE_SCALAR &&
			    b->root->type == YS_NULL) ? b->root : NULL;
			(*docs)[*ndocs].line = doc_line;
			(*docs)[*ndocs].col = doc_col;
			(*ndocs)++;
			hmap_release(&b->anchors);
			break;
		case YAML_SCALAR_EVENT:
			r = on_scalar(b, &ev);
			break;
		case YAML_SEQUENCE_START_EVENT:
			r = on_start(b, &ev, YNODE_SEQ);
			break;
		case YAML_MAPPING_START_EVENT:
			r = on_start(b, &ev, YNODE_MAP);
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			r = on_end(b);
			break;
		case YAML_ALIAS_EVENT:
			r = on_alias(b, &ev);
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
		if (r < 0) {
			rc = -1;
			/* Structure errors end the file; key errors do not. */
			if (type != YAML_MAPPING_END_EVENT)
				return -1;
		}
	}
}

int
ynode_load_buf(struct arena *a, struct arena *tree, const char *name,
    const char *buf, size_t len, struct ydoc **out, size_t *nout)
{
	struct builder	 b = { 0 };
	yaml_parser_t	 p;
	struct ydoc	*docs = NULL;
	size_t		 ndocs = 0;
	int		 rc;

	*out = NULL;
	*nout = 0;
	if (check_bytes(name, buf, len) < 0)
		return -1;
	b.arena = tree != NULL ? tree : a;
	b.text = a;
	b.name = name;
	b.src = buf;
	b.srclen = len;
	if (!yaml_parser_initialize(&p))
		fatal("out of memory starting the YAML parser");
	yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);
	rc = parse_events(&b, &p, &docs, &ndocs);
	yaml_parser_delete(&p);
	hmap_release(&b.anchors);
	free(b.stack);
	free(b.kids);
	free(b.kidweights);
	if (rc == 0 && ndocs > 0) {
		size_t	i;

		for (i = 0; i < ndocs; i++) {
			docs[i].text = buf;
			docs[i].textlen = len;
		}
		*out = arena_array(b.arena, ndocs, sizeof *docs);
		memcpy(*out, docs, ndocs * sizeof *docs);
		*nout = ndocs;
	}
	free(docs);
	return rc;
}

/* "4 MiB", "1.5 MiB", "512 KiB": a size for messages. */
static const char *
human_size(char *buf, size_t len, size_t n)
{
	if (n % (1 << 20) == 0)
		snprintf(buf, len, "%zu MiB", n >> 20);
	else if (n % 1024 == 0)
		snprintf(buf, len, "%zu KiB", n >> 10);
	else
		snprintf(buf, len, "%zu bytes", n);
	return buf;
}

int
ynode_load_file(struct arena *a, struct arena *tree, const char *path,
    const char *name, size_t max, struct ydoc **docs, size_t *n)
{
	struct stat	 st;
	char		*buf;
	size_t		 len = 0;
	int		 fd;

	*docs = NULL;
	*n = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return error("cannot open '%s':", name);
	if (fstat(fd, &st) < 0) {
		close(fd);
		return error("cannot stat '%s':", name);
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return error("'%s' is not a regular file", name);
	}
	if ((uintmax_t)st.st_size > max) {
		char	hs[32];

		close(fd);
		return error("'%s' is too large (%lld bytes; the limit is %s)",
		    name, (long long)st.st_size, human_size(hs, sizeof hs, max));
	}
	/* Scalars are copied out: the bytes go with the nodes. */
	buf = arena_alloc(tree != NULL ? tree : a, (size_t)st.st_size + 1);
	for (;;) {
		ssize_t	r = read(fd, buf + len, (size_t)st.st_size + 1 - len);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			close(fd);
			return error("cannot read '%s':", name);
		}
		if (r == 0 || (len += (size_t)r) > (size_t)st.st_size)
			break;
	}
	close(fd);
	if (len > (size_t)st.st_size)
		return error("'%s' changed while it was read", name);
	return ynode_load_buf(a, tree, name, buf, len, docs, n);
}

struct ynode *
ynode_get(const struct ynode *m, const char *key)
{
	size_t	i, len = strlen(key);

	if (m == NULL || m->kind != YNODE_MAP)
		return NULL;
	for (i = 0; i < m->n; i++)
		if (YMAP_KEY(m, i)->kind == YNODE_SCALAR &&
		    YMAP_KEY(m, i)->len == len &&
		    memcmp(YMAP_KEY(m, i)->s, key, len) == 0)
			return YMAP_VAL(m, i);
	return NULL;
}

const char *
ynode_describe(const struct ynode *n)
{
	if (n->kind == YNODE_MAP)
		return "a mapping";
	if (n->kind == YNODE_SEQ)
		return "a list";
	switch (n->type) {
	case YS_NULL:
		return "null";
	case YS_BOOL:
		return "a boolean";
	case YS_INT:
		return "an integer";
	case YS_FLOAT:
		return "a number";
	default:
		return "a string";
	}
}

const char *
ynode_library_version(void)
{
	return yaml_get_version_string();
}

static uint64_t
mix(uint64_t h, const void *p, size_t n)
{
	const unsigned char	*c = p;

	while (n-- > 0) {
		h ^= *c++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* Iterative: depth is at most YNODE_MAX_DEPTH, but aliases share nodes. */
uint64_t
ynode_hash(const struct ynode *root)
{
	const struct ynode	*stack[YNODE_MAX_DEPTH + 2];
	size_t			 next[YNODE_MAX_DEPTH + 2], top = 0;
	uint64_t		 h = 0xcbf29ce484222325ULL;
	unsigned char		 tag;

	stack[top] = root;
	next[top++] = 0;
	while (top > 0) {
		const struct ynode	*n = stack[top - 1];
		size_t			 count;

		if (next[top - 1] == 0) {
			tag = (unsigned char)(n->kind << 4 | n->type);
			h = mix(h, &tag, 1);
			if (n->kind == YNODE_SCALAR) {
				h = mix(mix(h, &n->len, sizeof n->len), n->s,
				    n->len);
				top--;
				continue;
			}
			h = mix(h, &n->n, sizeof n->n);
		}
		count = n->kind == YNODE_MAP ? 2 * (size_t)n->n : n->n;
		if (next[top - 1] == count || top == nitems(next)) {
			top--;
			continue;
		}
		stack[top] = n->items[next[top - 1]++];
		next[top++] = 0;
	}
	return h;
}
