/* strconv.c: Go's strconv for templates: quoting strings and runes, floats. */
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "tmpl/int.h"

int
rune_printable(uint32_t r)
{
	static locale_t	loc;
	static int	tried;

	if (r < 0x80)
		return r >= 0x20 && r != 0x7F;
	if (!tried) {
		tried = 1;
		loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	}
	if (r == 0xFFFD)
		return 1;
	if (loc == (locale_t)0)
		return 0;
	return iswprint_l((wint_t)r, loc) && r != 0xA0 && r != 0xAD &&
	    !(r >= 0x2000 && r <= 0x200F) && r != 0x2028 && r != 0x2029 &&
	    r != 0x202F && r != 0x205F && r != 0x3000 && r != 0xFEFF;
}

void
print_rune_escaped(struct buf *b, uint32_t r, char q, int ascii)
{
	static const char	hex[] = "0123456789abcdef";
	char			 enc[4];
	int			 s;

	if (r == (uint32_t)q || r == '\\') {
		buf_addc(b, '\\');
		buf_addc(b, (int)r);
		return;
	}
	if (ascii ? (r < 0x80 && rune_printable(r)) : rune_printable(r)) {
		buf_add(b, enc, utf8_encode(enc, r));
		return;
	}
	switch (r) {
	case '\a': buf_adds(b, "\\a"); return;
	case '\b': buf_adds(b, "\\b"); return;
	case '\f': buf_adds(b, "\\f"); return;
	case '\n': buf_adds(b, "\\n"); return;
	case '\r': buf_adds(b, "\\r"); return;
	case '\t': buf_adds(b, "\\t"); return;
	case '\v': buf_adds(b, "\\v"); return;
	}
	if (r < ' ' || r == 0x7F) {
		buf_printf(b, "\\x%c%c", hex[r >> 4], hex[r & 0xF]);
		return;
	}
	if (r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF))
		r = 0xFFFD;
	buf_adds(b, r < 0x10000 ? "\\u" : "\\U");
	for (s = r < 0x10000 ? 12 : 28; s >= 0; s -= 4)
		buf_addc(b, hex[r >> s & 0xF]);
}

/* strconv.Quote (ascii: QuoteToASCII). */
void
print_quote(struct buf *b, const char *s, size_t n, int ascii)
{
	size_t		i, w;
	uint32_t	r;

	buf_addc(b, '"');
	for (i = 0; i < n; i += w) {
		r = utf8_decode(s + i, n - i, &w);
		if (w == 1 && r == 0xFFFD && (unsigned char)s[i] >= 0x80) {
			buf_printf(b, "\\x%02x", (unsigned char)s[i]);
			continue;
		}
		print_rune_escaped(b, r, '"', ascii);
	}
	buf_addc(b, '"');
}

/* Shortest digits that read back as v (v > 0, finite). */
static void
shortest(double v, char *digs, int *nd, int *dp)
{
	char	tmp[40], *e;
	int	p, i, n = 0;

	for (p = 0; p < 17; p++) {
		snprintf(tmp, sizeof tmp, "%.*e", p, v);
		if (strtod(tmp, NULL) == v)
			break;
	}
	e = strchr(tmp, 'e');
	for (i = 0; &tmp[i] < e; i++)
		if (tmp[i] >= '0' && tmp[i] <= '9')
			digs[n++] = tmp[i];
	while (n > 1 && digs[n - 1] == '0')
		n--;
	digs[n] = '\0';
	*nd = n;
	*dp = atoi(e + 1) + 1;
}

static void
fmt_exp(struct buf *b, int exp, char ch)
{
	buf_printf(b, "%c%c%02d", ch, exp < 0 ? '-' : '+', abs(exp));
}

/* strconv.FormatFloat(v, 'g'/'e'/'f', -1, 64) of |v|; no sign. */
static void
shortest_float(struct buf *b, double v, char verb)
{
	char	digs[40];
	int	nd, dp, exp, i;

	if (v == 0) {
		buf_adds(b, verb == 'e' || verb == 'E' ? "0e+00" : "0");
		return;
	}
	shortest(v, digs, &nd, &dp);
	exp = dp - 1;
	if (verb == 'g' || verb == 'G')
		verb = (exp < -4 || exp >= 6) ? (verb == 'g' ? 'e' : 'E') :
		    'f';
	if (verb == 'e' || verb == 'E') {
		buf_addc(b, digs[0]);
		if (nd > 1) {
			buf_addc(b, '.');
			buf_add(b, digs + 1, (size_t)nd - 1);
		}
		fmt_exp(b, exp, verb);
		return;
	}
	if (dp <= 0) {
		buf_adds(b, "0.");
		for (i = dp; i < 0; i++)
			buf_addc(b, '0');
		buf_add(b, digs, (size_t)nd);
		return;
	}
	for (i = 0; i < dp; i++)
		buf_addc(b, i < nd ? digs[i] : '0');
	if (nd > dp) {
		buf_addc(b, '.');
		buf_add(b, digs + dp, (size_t)(nd - dp));
	}
}

/* strconv.AppendFloat(v, verb, prec, 64), with its sign. */
void
print_float(struct buf *b, double v, char verb, int prec)
{
	char	cfmt[8];
	char	*e;

	if (isnan(v)) {
		buf_adds(b, "NaN");
		return;
	}
	if (isinf(v)) {
		buf_adds(b, v > 0 ? "+Inf" : "-Inf");
		return;
	}
	if (signbit(v))
		buf_addc(b, '-');
	v = fabs(v);
	if (prec < 0 && verb != 'x' && verb != 'X' && verb != 'b') {
		shortest_float(b, v, verb == 'F' ? 'f' : verb);
		return;
	}
	if (verb == 'b') {
		int	ex;
		double	m = frexp(v, &ex);

		buf_printf(b, "%llup%+d", (unsigned long long)ldexp(m, 53),
		    v == 0 ? -1074 : ex - 53);
		return;
	}
	if (prec > 1000)
		prec = 1000;
	if (verb == 'x' || verb == 'X') {
		struct buf	h = BUF_INIT;

		if (prec < 0)
			buf_printf(&h, verb == 'x' ? "%a" : "%A", v);
		else
			buf_printf(&h, verb == 'x' ? "%.*a" : "%.*A", prec, v);
		e = strchr(h.s, verb == 'x' ? 'p' : 'P');
		buf_add(b, h.s, (size_t)(e - h.s) + 2);
		if (strlen(e + 2) < 2)
			buf_addc(b, '0');
		buf_adds(b, e + 2);
		buf_release(&h);
		return;
	}
	snprintf(cfmt, sizeof cfmt, "%%.*%c", verb == 'F' ? 'f' : verb);
	{
		int	 n = snprintf(NULL, 0, cfmt, prec, v);
		char	*p = buf_reserve(b, (size_t)n);

		snprintf(p, (size_t)n + 1, cfmt, prec, v);
		b->len += (size_t)n;
	}
}
