/* tmpl-lit.c: literals as Go's strconv reads them: numbers, strings, chars. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tmpl/int.h"

static int
lower(int c)
{
	return c | 0x20;
}

static int
is_hex(int c)
{
	return (c >= '0' && c <= '9') || (lower(c) >= 'a' && lower(c) <= 'f');
}

/* strconv's underscoreOK: '_' only between digits or after a prefix. */
static int
underscore_ok(const char *s, size_t n)
{
	size_t	i = 0;
	int	saw = '^', hex = 0;

	if (n >= 1 && (s[0] == '-' || s[0] == '+'))
		s++, n--;
	if (n >= 2 && s[0] == '0' && (lower(s[1]) == 'b' ||
	    lower(s[1]) == 'o' || lower(s[1]) == 'x')) {
		i = 2;
		saw = '0';
		hex = lower(s[1]) == 'x';
	}
	for (; i < n; i++) {
		if ((s[i] >= '0' && s[i] <= '9') || (hex && is_hex(s[i]))) {
			saw = '0';
			continue;
		}
		if (s[i] == '_') {
			if (saw != '0')
				return 0;
			saw = '_';
			continue;
		}
		if (saw == '_')
			return 0;
		saw = '!';
	}
	return saw != '_';
}

/* strconv.ParseUint(s, 0, 64): 0, -1 syntax, -2 range. */
static int
parse_uint(const char *s, size_t n, uint64_t *out)
{
	const char	*s0 = s;
	size_t		 n0 = n, i;
	unsigned	 base = 10;
	uint64_t	 v = 0;
	int		 us = 0;

	if (n == 0)
		return -1;
	if (s[0] == '0') {
		if (n >= 3 && lower(s[1]) == 'b')
			base = 2, s += 2, n -= 2;
		else if (n >= 3 && lower(s[1]) == 'o')
			base = 8, s += 2, n -= 2;
		else if (n >= 3 && lower(s[1]) == 'x')
			base = 16, s += 2, n -= 2;
		else
			base = 8, s += 1, n -= 1;
	}
	for (i = 0; i < n; i++) {
		int	c = (unsigned char)s[i];
		unsigned d;

		if (c == '_') {
			us = 1;
			continue;
		}
		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (lower(c) >= 'a' && lower(c) <= 'z')
			d = (unsigned)(lower(c) - 'a' + 10);
		else
			return -1;
		if (d >= base)
			return -1;
		if (v > (UINT64_MAX - d) / base)
			return -2;
		v = v * base + d;
	}
	if (us && !underscore_ok(s0, n0))
		return -1;
	*out = v;
	return 0;
}

int
lit_parse_int(const char *s, size_t n, int64_t *out)
{
	uint64_t	u;
	int		neg = 0, r;

	if (n > 0 && (s[0] == '+' || s[0] == '-')) {
		neg = s[0] == '-';
		s++, n--;
	}
	if ((r = parse_uint(s, n, &u)) == -1)
		return -1;
	if (r == -2 || (!neg && u > (uint64_t)INT64_MAX) ||
	    (neg && u > (uint64_t)INT64_MAX + 1))
		return -2;
	*out = neg ? (int64_t)(0 - u) : (int64_t)u;
	return 0;
}

/* strconv.ParseFloat(s, 64) for the shapes the lexer makes. */
int
lit_parse_float(const char *s, size_t n, double *out)
{
	char	 buf[512], *end;
	size_t	 i = 0, o = 0;
	int	 hex = 0, digits = 0, dot = 0, us = 0;
	double	 f;

	if (n == 0 || n >= sizeof buf)
		return -1;
	if (s[0] == '+' || s[0] == '-')
		i++;
	if (i + 2 < n && s[i] == '0' && lower(s[i + 1]) == 'x')
		hex = 1, i += 2;
	for (; i < n; i++) {
		if (s[i] == '_')
			us = 1;
		else if (s[i] == '.' && !dot)
			dot = 1;
		else if ((s[i] >= '0' && s[i] <= '9') || (hex && is_hex(s[i])))
			digits = 1;
		else
			break;
	}
	if (!digits)
		return -1;
	if (i < n && lower(s[i]) == (hex ? 'p' : 'e')) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		if (i >= n || s[i] < '0' || s[i] > '9')
			return -1;
		for (; i < n && ((s[i] >= '0' && s[i] <= '9') || s[i] == '_');
		    i++)
			us |= s[i] == '_';
	} else if (hex)
		return -1;
	if (i != n || (us && !underscore_ok(s, n)))
		return -1;
	for (i = 0; i < n; i++)
		if (s[i] != '_')
			buf[o++] = s[i];
	buf[o] = '\0';
	errno = 0;
	f = strtod(buf, &end);
	if (*end != '\0' || isinf(f))
		return -1;
	*out = f;
	return 0;
}

static int
unhex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (lower(c) >= 'a' && lower(c) <= 'f')
		return lower(c) - 'a' + 10;
	return -1;
}

/* strconv.UnquoteChar: one character of s; -1 on bad syntax. */
static int
unquote_char(const char *s, size_t n, char q, uint32_t *r, int *multi,
    size_t *used)
{
	size_t	i, k;
	int	x;

	*multi = 0;
	if (n == 0 || (s[0] == q))
		return -1;
	if ((unsigned char)s[0] >= 0x80) {
		*r = utf8_decode(s, n, used);
		*multi = 1;
		return 0;
	}
	if (s[0] != '\\') {
		*r = (unsigned char)s[0];
		*used = 1;
		return 0;
	}
	if (n < 2)
		return -1;
	*used = 2;
	switch (s[1]) {
	case 'a': *r = '\a'; return 0;
	case 'b': *r = '\b'; return 0;
	case 'f': *r = '\f'; return 0;
	case 'n': *r = '\n'; return 0;
	case 'r': *r = '\r'; return 0;
	case 't': *r = '\t'; return 0;
	case 'v': *r = '\v'; return 0;
	case '\\': *r = '\\'; return 0;
	case '\'': case '"':
		if (s[1] != q)
			return -1;
		*r = (unsigned char)s[1];
		return 0;
	case 'x': case 'u': case 'U':
		k = s[1] == 'x' ? 2 : s[1] == 'u' ? 4 : 8;
		if (n < 2 + k)
			return -1;
		for (*r = 0, i = 0; i < k; i++) {
			if ((x = unhex(s[2 + i])) < 0)
				return -1;
			*r = *r << 4 | (uint32_t)x;
		}
		*used = 2 + k;
		if (s[1] == 'x')
			return 0;
		if (*r > 0x10FFFF || (*r >= 0xD800 && *r <= 0xDFFF))
			return -1;
		*multi = 1;
		return 0;
	}
	if (s[1] >= '0' && s[1] <= '7') {
		if (n < 4)
			return -1;
		for (*r = 0, i = 1; i < 4; i++) {
			if (s[i] < '0' || s[i] > '7')
				return -1;
			*r = *r << 3 | (uint32_t)(s[i] - '0');
		}
		if (*r > 255)
			return -1;
		*used = 4;
		return 0;
	}
	return -1;
}

int
lit_unquote(struct arena *a, const char *s, size_t n, const char **out,
    size_t *outlen)
{
	char		*o, *p;
	size_t		 i, used;
	uint32_t	 r;
	int		 multi;

	if (n < 2)
		return -1;
	o = p = arena_alloc(a, n * 3 + 1);
	if (s[0] == '`') {
		for (i = 1; i + 1 < n; i++)
			if (s[i] != '\r')
				*p++ = s[i];
	} else {
		for (i = 1; i + 1 < n; i += used) {
			if (s[i] == '\n' || unquote_char(s + i, n - 1 - i, '"',
			    &r, &multi, &used) < 0)
				return -1;
			if (r < 0x80 || !multi)
				*p++ = (char)r;
			else
				p += utf8_encode(p, r);
		}
	}
	*p = '\0';
	*out = o;
	*outlen = (size_t)(p - o);
	return 0;
}

static int
number_char(struct number *num, const char *s, size_t n)
{
	uint32_t	r;
	int		multi;
	size_t		used;

	if (n < 3 || unquote_char(s + 1, n - 1, '\'', &r, &multi, &used) < 0)
		return -1;
	if (used != n - 2)
		return -1;
	num->is_int = num->is_uint = num->is_float = 1;
	num->i = r;
	num->u = r;
	num->f = r;
	return 0;
}

static void
simplify_complex(struct number *num)
{
	if (num->c[1] == 0) {
		num->is_float = 1;
		num->f = num->c[0];
		if (!num->is_int && num->f >= -9.2e18 && num->f <= 9.2e18 &&
		    (double)(int64_t)num->f == num->f) {
			num->is_int = 1;
			num->i = (int64_t)num->f;
		}
		if (!num->is_uint && num->f >= 0 && num->f < 1.8e19 &&
		    (double)(uint64_t)num->f == num->f) {
			num->is_uint = 1;
			num->u = (uint64_t)num->f;
		}
	}
}

static int
number_complex(struct number *num, const char *s, size_t n)
{
	size_t	i;

	if (n < 2 || s[n - 1] != 'i')
		return -1;
	for (i = n - 2; i > 0; i--)
		if ((s[i] == '+' || s[i] == '-') && lower(s[i - 1]) != 'e' &&
		    lower(s[i - 1]) != 'p')
			break;
	if (i == 0)
		return -1;
	if (lit_parse_float(s, i, &num->c[0]) < 0 ||
	    lit_parse_float(s + i, n - 1 - i, &num->c[1]) < 0)
		return -1;
	num->is_complex = 1;
	simplify_complex(num);
	return 0;
}

static int
contains_any(const char *s, size_t n, const char *set)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (IN_SET(set, s[i]))
			return 1;
	return 0;
}

static void
number_ideal(struct number *num, const char *s, size_t n, int rune)
{
	int	hexint = n > 2 && s[0] == '0' && lower(s[1]) == 'x' &&
		    !contains_any(s, n, "pP");

	num->overflow = 0;
	if (num->is_complex) {
		num->ideal.kind = TV_COMPLEX;
		num->ideal.u.c[0] = num->c[0];
		num->ideal.u.c[1] = num->c[1];
	} else if (num->is_float && !hexint && !rune &&
	    contains_any(s, n, ".eEpP")) {
		num->ideal.kind = TV_FLOAT;
		num->ideal.u.f = num->f;
	} else if (num->is_int) {
		num->ideal.kind = TV_INT;
		num->ideal.u.i = num->i;
	} else {
		num->ideal.kind = TV_MISSING;
		num->overflow = 1;
	}
}

/* Go's parse.newNumber. */
int
lit_number(struct number *num, const char *s, size_t n, enum tok type,
    char *err, size_t errlen)
{
	uint64_t	u = 0;
	double		f;
	int		r;

	memset(num, 0, sizeof *num);
	if (type == T_CHARCONST) {
		if (number_char(num, s, n) < 0)
			goto bad_syntax;
		number_ideal(num, s, n, 1);
		return 0;
	}
	if (type == T_COMPLEX) {
		if (number_complex(num, s, n) < 0)
			goto bad_syntax;
		number_ideal(num, s, n, 0);
		return 0;
	}
	if (n > 0 && s[n - 1] == 'i' && lit_parse_float(s, n - 1, &f) == 0) {
		num->is_complex = 1;
		num->c[1] = f;
		simplify_complex(num);
		number_ideal(num, s, n, 0);
		return 0;
	}
	if (parse_uint(s, n, &u) == 0) {
		num->is_uint = 1;
		num->u = u;
	}
	if (lit_parse_int(s, n, &num->i) == 0) {
		num->is_int = 1;
		if (num->i == 0) {
			num->is_uint = 1;
			num->u = u;
		}
	}
	if (num->is_int) {
		num->is_float = 1;
		num->f = (double)num->i;
	} else if (num->is_uint) {
		num->is_float = 1;
		num->f = (double)num->u;
	} else if ((r = lit_parse_float(s, n, &f)) == 0) {
		if (!contains_any(s, n, ".eEpP")) {
			snprintf(err, errlen, "integer overflow: \"%.*s\"",
			    (int)n, s);
			return -1;
		}
		num->is_float = 1;
		num->f = f;
		if (f >= -9.2e18 && f <= 9.2e18 && (double)(int64_t)f == f) {
			num->is_int = 1;
			num->i = (int64_t)f;
		}
		if (f >= 0 && f < 1.8e19 && (double)(uint64_t)f == f) {
			num->is_uint = 1;
			num->u = (uint64_t)f;
		}
	}
	if (!num->is_int && !num->is_uint && !num->is_float)
		goto bad_syntax;
	number_ideal(num, s, n, 0);
	return 0;
bad_syntax:
	snprintf(err, errlen, "%s syntax: \"%.*s\"", type == T_CHARCONST ?
	    "malformed character constant" : "illegal number", (int)n, s);
	return -1;
}
