/* tmpl-json.c: toJson and fromJson, as Go's encoding/json writes and reads. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "tmpl/int.h"

/* encoding/json's string: HTML-safe, invalid UTF-8 as \ufffd. */
static void
json_string(struct buf *b, const char *s, size_t n)
{
	static const char	hex[] = "0123456789abcdef";
	size_t			i, w;
	uint32_t		c;

	buf_addc(b, '"');
	for (i = 0; i < n; i += w) {
		c = utf8_decode(s + i, n - i, &w);
		if (c >= 0x80) {
			if (c == 0xFFFD && w == 1)
				buf_adds(b, "\\ufffd");
			else if (c == 0x2028 || c == 0x2029)
				buf_printf(b, "\\u202%c", hex[c & 0xF]);
			else
				buf_add(b, s + i, w);
			continue;
		}
		switch (c) {
		case '\\': case '"':
			buf_addc(b, '\\');
			buf_addc(b, (int)c);
			break;
		case '\b': buf_adds(b, "\\b"); break;
		case '\f': buf_adds(b, "\\f"); break;
		case '\n': buf_adds(b, "\\n"); break;
		case '\r': buf_adds(b, "\\r"); break;
		case '\t': buf_adds(b, "\\t"); break;
		default:
			if (c < 0x20 || c == '<' || c == '>' || c == '&')
				buf_printf(b, "\\u00%c%c", hex[c >> 4],
				    hex[c & 0xF]);
			else
				buf_addc(b, (int)c);
		}
	}
	buf_addc(b, '"');
}

static int
json_float(struct buf *b, double f, const char **why)
{
	size_t	start = b->len;
	double	a = fabs(f);
	char	*s;

	if (isnan(f) || isinf(f)) {
		*why = isnan(f) ? "json: unsupported value: NaN" :
		    f > 0 ? "json: unsupported value: +Inf" :
		    "json: unsupported value: -Inf";
		return -1;
	}
	print_float(b, f, a != 0 && (a < 1e-6 || a >= 1e21) ? 'e' : 'f', -1);
	s = b->s + start;
	if (b->len - start >= 4 && s[b->len - start - 4] == 'e' &&
	    s[b->len - start - 3] == '-' && s[b->len - start - 2] == '0') {
		s[b->len - start - 2] = s[b->len - start - 1];
		buf_truncate(b, b->len - 1);
	}
	return 0;
}

static int
json_value(struct buf *b, const struct tval *v, const char **why,
    unsigned depth)
{
	struct tval	 e;
	const char	**keys;
	size_t		 i, n;
	int		 r = 0;
	struct buf	 t = BUF_INIT;

	if (depth > TMPL_MAX_DEPTH) {
		*why = "value nested too deep";
		return -1;
	}
	switch (v->kind) {
	case TV_MISSING: case TV_NIL:
		buf_adds(b, "null");
		return 0;
	case TV_BOOL:
		buf_adds(b, v->u.b ? "true" : "false");
		return 0;
	case TV_INT:
		buf_printf(b, "%lld", (long long)v->u.i);
		return 0;
	case TV_UINT:
		buf_printf(b, "%llu", (unsigned long long)v->u.u);
		return 0;
	case TV_FLOAT:
		return json_float(b, v->u.f, why);
	case TV_COMPLEX:
		*why = "json: unsupported type: complex128";
		return -1;
	case TV_STRING:
		json_string(b, v->u.s.p, v->u.s.n);
		return 0;
	case TV_TIME:
		time_format(&t, v->u.t, "2006-01-02T15:04:05.999999999Z07:00",
		    35);
		json_string(b, t.s, t.len);
		buf_release(&t);
		return 0;
	case TV_LIST:
		buf_addc(b, '[');
		n = json_object_array_length(v->u.j);
		for (i = 0; i < n && r == 0; i++) {
			if (i > 0)
				buf_addc(b, ',');
			tval_from_json(&e,
			    json_object_array_get_idx(v->u.j, i));
			r = json_value(b, &e, why, depth + 1);
		}
		buf_addc(b, ']');
		return r;
	default:
		buf_addc(b, '{');
		keys = tmpl_map_keys(v->u.j, &n);
		for (i = 0; i < n && r == 0; i++) {
			if (i > 0)
				buf_addc(b, ',');
			json_string(b, keys[i], strlen(keys[i]));
			buf_addc(b, ':');
			tval_from_json(&e, json_object_object_get(v->u.j,
			    keys[i]));
			r = json_value(b, &e, why, depth + 1);
		}
		free(keys);
		buf_addc(b, '}');
		return r;
	}
}

int
print_json(struct buf *b, const struct tval *v, const char **why)
{
	return json_value(b, v, why, 0);
}

int
fn_tojson(struct exec *x, struct tval *a, int n, struct tval *r)
{
	struct buf	 b = BUF_INIT;
	const char	*why;
	char		*s;

	if (print_json(&b, &a[0], &why) < 0) {
		buf_release(&b);
		return exec_fail(x, "%s", why);
	}
	s = exec_strdup(x, buf_str(&b), b.len);
	tval_str(r, s, b.len);
	buf_release(&b);
	return s != NULL ? 0 : -1;
}

/* Strict JSON: the whole string, one value, nested at most
 * TMPL_MAX_DEPTH deep. */
int
fn_fromjson(struct exec *x, struct tval *a, int n, struct tval *r)
{
	struct json_tokener	*tok;
	struct json_object	*j;
	enum json_tokener_error	 e;
	size_t			 end;
	char			*s = exec_strdup(x, a[0].u.s.p, a[0].u.s.n);

	if (s == NULL)
		return -1;
	if ((tok = json_tokener_new_ex(TMPL_MAX_DEPTH)) == NULL)
		fatal("out of memory");
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	j = json_tokener_parse_ex(tok, s, (int)a[0].u.s.n + 1);
	e = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (end > a[0].u.s.n)
		end = a[0].u.s.n;
	if (e == json_tokener_continue)
		return exec_fail(x, "unexpected end of JSON input");
	if (e != json_tokener_success) {
		json_object_put(j);
		return exec_fail(x, "invalid JSON at byte %zu: %s", end,
		    json_tokener_error_desc(e));
	}
	if (end != a[0].u.s.n) {
		json_object_put(j);
		return exec_fail(x, "invalid JSON at byte %zu: trailing data",
		    end);
	}
	tval_from_json(r, exec_keep(x, j));
	r->iface = 0;
	if (r->kind == TV_NIL)
		r->kind = TV_MISSING;
	return 0;
}
