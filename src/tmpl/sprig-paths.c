/* sprig-paths.c: Sprig's path, URL and environment functions (Go's path,
 * net/url and os.ExpandEnv). */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "tmpl/int.h"

/* path.Clean into b. */
static void
clean(struct buf *b, const char *p, size_t n)
{
	size_t	r = 0, dotdot, start = b->len;
	int	rooted = n > 0 && p[0] == '/';

	if (n == 0) {
		buf_addc(b, '.');
		return;
	}
	if (rooted) {
		buf_addc(b, '/');
		r = 1;
	}
	dotdot = b->len;
	while (r < n) {
		if (p[r] == '/')
			r++;
		else if (p[r] == '.' && (r + 1 == n || p[r + 1] == '/'))
			r++;
		else if (p[r] == '.' && p[r + 1] == '.' &&
		    (r + 2 == n || p[r + 2] == '/')) {
			r += 2;
			if (b->len > dotdot) {
				size_t	w = b->len - 1;

				while (w > dotdot && b->s[w] != '/')
					w--;
				buf_truncate(b, w);
			} else if (!rooted) {
				if (b->len > start)
					buf_addc(b, '/');
				buf_adds(b, "..");
				dotdot = b->len;
			}
		} else {
			if ((rooted && b->len != start + 1) ||
			    (!rooted && b->len != start))
				buf_addc(b, '/');
			for (; r < n && p[r] != '/'; r++)
				buf_addc(b, p[r]);
		}
	}
	if (b->len == start)
		buf_addc(b, '.');
}

int
fn_clean(struct exec *x, struct tval *a, int n, struct tval *r)
{
	struct buf	b = BUF_INIT;

	clean(&b, a[0].u.s.p, a[0].u.s.n);
	return ret_buf(x, &b, r);
}

int
fn_base(struct exec *x, struct tval *a, int n, struct tval *r)
{
	const char	*p = a[0].u.s.p;
	size_t		 len = a[0].u.s.n, i;

	if (len == 0) {
		tval_str(r, ".", 1);
		return 0;
	}
	while (len > 0 && p[len - 1] == '/')
		len--;
	if (len == 0) {
		tval_str(r, "/", 1);
		return 0;
	}
	for (i = len; i > 0 && p[i - 1] != '/'; i--)
		;
	tval_str(r, p + i, len - i);
	return 0;
}

int
fn_dir(struct exec *x, struct tval *a, int n, struct tval *r)
{
	struct buf	 b = BUF_INIT;
	const char	*p = a[0].u.s.p;
	size_t		 i;

	for (i = a[0].u.s.n; i > 0 && p[i - 1] != '/'; i--)
		;
	clean(&b, p, i);
	return ret_buf(x, &b, r);
}

int
fn_ext(struct exec *x, struct tval *a, int n, struct tval *r)
{
	const char	*p = a[0].u.s.p;
	size_t		 i;

	for (i = a[0].u.s.n; i > 0 && p[i - 1] != '/'; i--)
		if (p[i - 1] == '.') {
			tval_str(r, p + i - 1, a[0].u.s.n - i + 1);
			return 0;
		}
	tval_str(r, "", 0);
	return 0;
}

int
fn_isabs(struct exec *x, struct tval *a, int n, struct tval *r)
{
	return ret_bool(r, a[0].u.s.n > 0 && a[0].u.s.p[0] == '/');
}

static int
shell_special(char c)
{
	return IN_SET("*#$@!?-0123456789", c);
}

static int
alnum(char c)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

/* os.ExpandEnv: $NAME and ${NAME} from the environment. */
int
fn_expandenv(struct exec *x, struct tval *a, int n, struct tval *r)
{
	struct buf	 b = BUF_INIT;
	const char	*s = a[0].u.s.p, *v, *name;
	size_t		 len = a[0].u.s.n, j, i = 0, w, k, nl;
	char		*nm;

	for (j = 0; j < len; j++) {
		if (s[j] != '$' || j + 1 >= len)
			continue;
		buf_add(&b, s + i, j - i);
		name = s + j + 1;
		nl = w = 0;
		if (name[0] == '{') {
			if (len - j - 1 > 2 && shell_special(name[1]) &&
			    name[2] == '}') {
				name++;
				nl = 1;
				w = 3;
			} else {
				w = 1;
				for (k = 1; j + 1 + k < len; k++)
					if (name[k] == '}') {
						w = k == 1 ? 2 : k + 1;
						nl = k == 1 ? 0 : k - 1;
						break;
					}
				name++;
			}
		} else if (shell_special(name[0]))
			nl = w = 1;
		else
			for (; j + 1 + nl < len && alnum(name[nl]); nl++)
				w = nl + 1;
		if (nl == 0 && w == 0)
			buf_addc(&b, '$');
		else if (nl > 0) {
			if ((nm = exec_strdup(x, name, nl)) == NULL) {
				buf_release(&b);
				return -1;
			}
			if (strlen(nm) == nl && (v = getenv(nm)) != NULL)
				buf_adds(&b, v);
		}
		j += w;
		i = j + 1;
	}
	if (i < len)
		buf_add(&b, s + i, len - i);
	return ret_buf(x, &b, r);
}

int
fn_gethostbyname(struct exec *x, struct tval *a, int n, struct tval *r)
{
	return exec_fail(x, "refused: templates do not use the network");
}

static int
hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ?
	    c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* url.PathUnescape into b; -1 on a bad escape. */
static int
unescape(struct buf *b, const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (s[i] != '%') {
			buf_addc(b, s[i]);
			continue;
		}
		if (i + 2 >= n || hexval(s[i + 1]) < 0 || hexval(s[i + 2]) < 0)
			return -1;
		buf_addc(b, hexval(s[i + 1]) << 4 | hexval(s[i + 2]));
		i += 2;
	}
	return 0;
}

static void
put(struct json_object *m, const char *k, const char *s, size_t n)
{
	json_object_object_add(m, k, json_object_new_string_len(s, (int)n));
}

static int
url_fail(struct exec *x, const struct tval *u, const char *why)
{
	return exec_fail(x, "unable to parse url: parse \"%.*s\": %s",
	    (int)(u->u.s.n > 200 ? 200 : u->u.s.n), u->u.s.p, why);
}

/* The authority "user@host:port" of a URL. */
static int
authority(struct exec *x, const struct tval *u, struct json_object *m,
    const char *a, size_t n)
{
	const char	*at = NULL, *h, *e, *c;
	size_t		 i, hn;
	struct buf	 b = BUF_INIT;

	for (i = n; i > 0; i--)
		if (a[i - 1] == '@') {
			at = a + i - 1;
			break;
		}
	h = at != NULL ? at + 1 : a;
	hn = (size_t)(a + n - h);
	if (at != NULL && unescape(&b, a, (size_t)(at - a)) < 0) {
		buf_release(&b);
		return url_fail(x, u, "invalid userinfo");
	}
	put(m, "userinfo", at != NULL ? a : "", at != NULL ?
	    (size_t)(at - a) : 0);
	buf_release(&b);
	put(m, "host", h, hn);
	if (hn > 0 && h[0] == '[') {
		if ((e = memchr(h, ']', hn)) == NULL)
			return url_fail(x, u, "missing ']' in host");
		put(m, "hostname", h + 1, (size_t)(e - h - 1));
		return 0;
	}
	c = memchr(h, ':', hn);
	put(m, "hostname", h, c != NULL ? (size_t)(c - h) : hn);
	return 0;
}

static size_t
scheme_len(struct exec *x, const struct tval *u, int *err)
{
	const char	*s = u->u.s.p;
	size_t		 i;
	char		 c;

	*err = 0;
	for (i = 0; i < u->u.s.n; i++) {
		c = s[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
			continue;
		if ((c >= '0' && c <= '9') || IN_SET("+-.", c)) {
			if (i == 0)
				return 0;
			continue;
		}
		if (c == ':') {
			if (i == 0) {
				*err = url_fail(x, u,
				    "missing protocol scheme");
				return 0;
			}
			return i;
		}
		return 0;
	}
	return 0;
}

/* url.Parse, as Sprig's urlParse reports it. */
int
fn_urlparse(struct exec *x, struct tval *a, int n, struct tval *r)
{
	struct json_object	*m = json_object_new_object();
	const char		*s = a[0].u.s.p, *e = s + a[0].u.s.n, *p;
	size_t			 sl;
	struct buf		 b = BUF_INIT;
	int			 err;

	sl = scheme_len(x, &a[0], &err);
	if (err < 0)
		goto fail;
	put(m, "scheme", s, sl);
	s += sl + (sl > 0);
	if ((p = memchr(s, '#', (size_t)(e - s))) != NULL) {
		if (unescape(&b, p + 1, (size_t)(e - p - 1)) < 0) {
			url_fail(x, &a[0], "invalid URL escape");
			goto fail;
		}
		put(m, "fragment", buf_str(&b), b.len);
		buf_truncate(&b, 0);
		e = p;
	} else
		put(m, "fragment", "", 0);
	if ((p = memchr(s, '?', (size_t)(e - s))) != NULL) {
		put(m, "query", p + 1, (size_t)(e - p - 1));
		e = p;
	} else
		put(m, "query", "", 0);
	put(m, "opaque", "", 0);
	put(m, "userinfo", "", 0);
	put(m, "host", "", 0);
	put(m, "hostname", "", 0);
	if (sl > 0 && s < e && s[0] != '/') {
		put(m, "opaque", s, (size_t)(e - s));
		s = e;
	} else if (e - s >= 2 && s[0] == '/' && s[1] == '/') {
		s += 2;
		p = memchr(s, '/', (size_t)(e - s));
		if (p == NULL)
			p = e;
		if (authority(x, &a[0], m, s, (size_t)(p - s)) < 0)
			goto fail;
		s = p;
	}
	if (unescape(&b, s, (size_t)(e - s)) < 0) {
		url_fail(x, &a[0], "invalid URL escape");
		goto fail;
	}
	put(m, "path", buf_str(&b), b.len);
	buf_release(&b);
	return ret_json(x, m, GT_PLAIN, r);
fail:
	buf_release(&b);
	json_object_put(m);
	return -1;
}

/* url's shouldEscape: 'p' path, 'f' fragment, 'u' user info, 'h' host. */
static void
escape(struct buf *b, const char *s, size_t n, int mode)
{
	static const char	hex[] = "0123456789ABCDEF";
	const char		*keep = mode == 'p' ? "-_.~$&+,/:;=@" :
				    mode == 'f' ? "-_.~$&+,/:;=?@!()*" :
				    mode == 'u' ? "-_.~$&+,;=" :
				    "-_.~!$&'()*+,;=:[]<>\"";
	size_t			 i;
	unsigned char		 c;

	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || IN_SET(keep, c) ||
		    (mode == 'h' && c >= 0x80))
			buf_addc(b, c);
		else {
			buf_addc(b, '%');
			buf_addc(b, hex[c >> 4]);
			buf_addc(b, hex[c & 15]);
		}
	}
}

/* One part of urlJoin's map: a string, or "" when absent. */
static int
part(struct exec *x, const struct tval *m, const char *k, struct tval *v)
{
	struct json_object	*j;

	tval_str(v, "", 0);
	if (m->kind != TV_MAP || !json_object_object_get_ex(m->u.j, k, &j))
		return 0;
	tval_from_json(v, j);
	if (v->kind != TV_STRING)
		return exec_fail(x, "unable to parse %s key, must be of type "
		    "string, but %s found", k, v->kind == TV_NIL ? "<nil>" :
		    tval_type(v));
	return 0;
}

/* url.URL.String of the parts Sprig's urlJoin reads. */
int
fn_urljoin(struct exec *x, struct tval *a, int n, struct tval *r)
{
	static const char	*keys[] = { "fragment", "host", "opaque",
		"path", "query", "scheme", "userinfo" };
	struct tval		 v[7];
	struct buf		 b = BUF_INIT;
	const char		*c;
	size_t			 i;

	for (i = 0; i < 7; i++)
		if (part(x, &a[0], keys[i], &v[i]) < 0)
			return -1;
#define P(i)	v[i].u.s.p, v[i].u.s.n
	if (v[5].u.s.n > 0) {
		buf_add(&b, P(5));
		buf_addc(&b, ':');
	}
	if (v[2].u.s.n > 0)
		buf_add(&b, P(2));
	else {
		if (v[5].u.s.n > 0 || v[1].u.s.n > 0 || v[6].u.s.n > 0) {
			if (v[1].u.s.n > 0 || v[3].u.s.n > 0 ||
			    v[6].u.s.n > 0)
				buf_adds(&b, "//");
			if (v[6].u.s.n > 0) {
				c = memchr(v[6].u.s.p, ':', v[6].u.s.n);
				escape(&b, v[6].u.s.p, c ? (size_t)(c -
				    v[6].u.s.p) : v[6].u.s.n, 'u');
				if (c != NULL) {
					buf_addc(&b, ':');
					escape(&b, c + 1, v[6].u.s.n - (size_t)
					    (c + 1 - v[6].u.s.p), 'u');
				}
				buf_addc(&b, '@');
			}
			escape(&b, P(1), 'h');
		}
		if (v[3].u.s.n > 0 && v[3].u.s.p[0] != '/' && v[1].u.s.n > 0)
			buf_addc(&b, '/');
		if (b.len == 0 && (c = memchr(v[3].u.s.p, ':', v[3].u.s.n)) &&
		    memchr(v[3].u.s.p, '/', (size_t)(c - v[3].u.s.p)) == NULL)
			buf_adds(&b, "./");
		escape(&b, P(3), 'p');
	}
	if (v[4].u.s.n > 0) {
		buf_addc(&b, '?');
		buf_add(&b, P(4));
	}
	if (v[0].u.s.n > 0) {
		buf_addc(&b, '#');
		escape(&b, P(0), 'f');
	}
#undef P
	return ret_buf(x, &b, r);
}
