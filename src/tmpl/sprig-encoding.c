/* sprig-encoding.c: Sprig's base64 and base32 codecs and its JSON
 * writers (toJson, toPrettyJson, toRawJson and their must* forms). */
#include <string.h>

#include <json-c/json.h>

#include "tmpl/int.h"

/* b64dec: Sprig returns the decoder's error text as the result. */
int
fn_sprig_b64dec(struct exec *x, struct tval *a, int n, struct tval *r)
{
	struct tmpl_error	*saved = x->err, e;
	const char		*p;
	int			 rc;

	memset(&e, 0, sizeof e);
	x->err = &e;
	rc = fn_b64dec(x, a, n, r);
	x->err = saved;
	if (rc == 0)
		return 0;
	if ((p = strstr(e.msg, "illegal base64")) == NULL) {
		if (saved != NULL)
			*saved = e;
		return -1;
	}
	tval_str(r, exec_strdup(x, p, strlen(p)), strlen(p));
	return r->u.s.p != NULL ? 0 : -1;
}

static const char	b32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

int
fn_b32enc(struct exec *x, struct tval *a, int n, struct tval *r)
{
	const unsigned char	*s = (const unsigned char *)a[0].u.s.p;
	size_t			 len = a[0].u.s.n, i, k, bits;
	struct buf		 b = BUF_INIT;
	uint64_t		 v;

	if (len > TMPL_MAX_OUTPUT)
		return exec_fail(x, "string too long");
	for (i = 0; i < len; i += 5) {
		v = 0;
		for (k = 0; k < 5; k++)
			v = v << 8 | (i + k < len ? s[i + k] : 0);
		bits = (len - i >= 5 ? 5 : len - i) * 8;
		for (k = 0; k < 8; k++)
			buf_addc(&b, k * 5 < bits ?
			    b32[(v >> (35 - 5 * k)) & 31] : '=');
	}
	return ret_buf(x, &b, r);
}

/* base32.StdEncoding.DecodeString; bad input gives the error text. */
int
fn_b32dec(struct exec *x, struct tval *a, int n, struct tval *r)
{
	const char	*s = a[0].u.s.p, *p;
	size_t		 len = a[0].u.s.n, i, k, nd, o;
	struct buf	 b = BUF_INIT;
	uint64_t	 v;
	static const size_t	 outn[] = { 0, 0, 1, 0, 2, 3, 0, 4, 5 };

	for (i = 0; i < len; i += 8) {
		v = 0;
		nd = 0;
		for (k = 0; k < 8; k++) {
			if (i + k >= len)
				goto bad;
			if (s[i + k] == '=') {
				if (nd < 2 || i + 8 != len)
					goto bad;
				for (o = k; o < 8; o++)
					if (s[i + o] != '=')
						goto bad_at_o;
				break;
			}
			if ((p = memchr(b32, s[i + k], 32)) == NULL ||
			    s[i + k] == '\0')
				goto bad;
			v = v << 5 | (uint64_t)(p - b32);
			nd++;
		}
		if (nd < 8 && outn[nd] == 0)
			goto bad;
		v <<= 5 * (8 - nd);
		for (o = 0; o < (nd == 8 ? 5 : outn[nd]); o++)
			buf_addc(&b, (int)(v >> (32 - 8 * o) & 0xFF));
	}
	return ret_buf(x, &b, r);
bad_at_o:
	k = o;
bad:
	buf_release(&b);
	buf_printf(&b, "illegal base32 data at input byte %zu",
	    i + k < len ? i + k : len);
	return ret_buf(x, &b, r);
}

/* json.Indent with two spaces: empty containers stay "[]" and "{}". */
static void
indent(struct buf *out, const char *s, size_t n)
{
	size_t	i, k;
	int	depth = 0, instr = 0;

	for (i = 0; i < n; i++) {
		char	c = s[i];

		if (instr) {
			buf_addc(out, c);
			if (c == '\\' && i + 1 < n)
				buf_addc(out, s[++i]);
			else if (c == '"')
				instr = 0;
			continue;
		}
		switch (c) {
		case '"':
			instr = 1;
			buf_addc(out, c);
			break;
		case '{': case '[':
			buf_addc(out, c);
			if (i + 1 < n && (s[i + 1] == '}' || s[i + 1] == ']')) {
				buf_addc(out, s[++i]);
				break;
			}
			depth++;
			buf_addc(out, '\n');
			for (k = 0; k < (size_t)depth; k++)
				buf_adds(out, "  ");
			break;
		case '}': case ']':
			depth--;
			buf_addc(out, '\n');
			for (k = 0; k < (size_t)depth; k++)
				buf_adds(out, "  ");
			buf_addc(out, c);
			break;
		case ',':
			buf_addc(out, c);
			buf_addc(out, '\n');
			for (k = 0; k < (size_t)depth; k++)
				buf_adds(out, "  ");
			break;
		case ':':
			buf_adds(out, ": ");
			break;
		default:
			buf_addc(out, c);
		}
	}
}

/* Undoes encoding/json's HTML escapes (SetEscapeHTML(false)). */
static void
unescape_html(struct buf *out, const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (s[i] != '\\' || i + 1 >= n) {
			buf_addc(out, s[i]);
			continue;
		}
		if (i + 5 < n && memcmp(s + i, "\\u003c", 6) == 0)
			buf_addc(out, '<');
		else if (i + 5 < n && memcmp(s + i, "\\u003e", 6) == 0)
			buf_addc(out, '>');
		else if (i + 5 < n && memcmp(s + i, "\\u0026", 6) == 0)
			buf_addc(out, '&');
		else {
			buf_add(out, s + i, 2);
			i++;
			continue;
		}
		i += 5;
	}
}

/* how: 0 compact, 'p' pretty, 'r' raw; must: fail instead of "". */
static int
to_json(struct exec *x, const struct tval *v, int how, int must,
    struct tval *r)
{
	struct buf	 b = BUF_INIT, o = BUF_INIT;
	const char	*why;

	if (print_json(&b, v, &why) < 0) {
		buf_release(&b);
		if (must)
			return exec_fail(x, "%s", why);
		tval_str(r, "", 0);
		return 0;
	}
	if (b.len > TMPL_MAX_OUTPUT / 4 && how == 'p') {
		buf_release(&b);
		return exec_fail(x, "string too long (limit %d bytes)",
		    TMPL_MAX_OUTPUT);
	}
	if (how == 0)
		return ret_buf(x, &b, r);
	if (how == 'p')
		indent(&o, b.s, b.len);
	else
		unescape_html(&o, b.s, b.len);
	buf_release(&b);
	return ret_buf(x, &o, r);
}

int
fn_musttojson(struct exec *x, struct tval *a, int n, struct tval *r)
{
	return to_json(x, &a[0], 0, 1, r);
}

int
fn_toprettyjson(struct exec *x, struct tval *a, int n, struct tval *r)
{
	return to_json(x, &a[0], 'p', 0, r);
}

int
fn_musttoprettyjson(struct exec *x, struct tval *a, int n, struct tval *r)
{
	return to_json(x, &a[0], 'p', 1, r);
}

/* toRawJson panics where toJson returns "": both forms fail. */
int
fn_torawjson(struct exec *x, struct tval *a, int n, struct tval *r)
{
	return to_json(x, &a[0], 'r', 1, r);
}
