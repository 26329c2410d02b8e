/* tmpl-lex.c: the template lexer, a port of Go's text/template/parse/lex.go. */
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <wctype.h>

#include "tmpl/int.h"

struct lexer {
	const char	*src;
	size_t		 len, pos, start;
	int		 paren;
	struct tokens	*out;
};

static const struct {
	const char	*word;
	enum tok	 type;
} keywords[] = {
	{ "block", T_BLOCK }, { "break", T_BREAK },
	{ "continue", T_CONTINUE }, { "define", T_DEFINE },
	{ "else", T_ELSE }, { "end", T_END }, { "if", T_IF },
	{ "range", T_RANGE }, { "nil", T_NIL }, { "template", T_TEMPLATE },
	{ "with", T_WITH }, { "true", T_BOOL }, { "false", T_BOOL },
};

uint32_t
utf8_decode(const char *s, size_t n, size_t *width)
{
	const unsigned char	*p = (const unsigned char *)s;
	uint32_t		 r, min;
	size_t			 w, i;

	*width = 1;
	if (n == 0)
		return 0xFFFD;
	if (p[0] < 0x80)
		return p[0];
	if ((p[0] & 0xE0) == 0xC0)
		w = 2, r = p[0] & 0x1F, min = 0x80;
	else if ((p[0] & 0xF0) == 0xE0)
		w = 3, r = p[0] & 0x0F, min = 0x800;
	else if ((p[0] & 0xF8) == 0xF0)
		w = 4, r = p[0] & 0x07, min = 0x10000;
	else
		return 0xFFFD;
	if (w > n)
		return 0xFFFD;
	for (i = 1; i < w; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0xFFFD;
		r = r << 6 | (p[i] & 0x3F);
	}
	if (r < min || r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF))
		return 0xFFFD;
	*width = w;
	return r;
}

size_t
utf8_encode(char *o, uint32_t r)
{
	if (r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF))
		r = 0xFFFD;
	if (r < 0x80) {
		o[0] = (char)r;
		return 1;
	}
	if (r < 0x800) {
		o[0] = (char)(0xC0 | r >> 6);
		o[1] = (char)(0x80 | (r & 0x3F));
		return 2;
	}
	if (r < 0x10000) {
		o[0] = (char)(0xE0 | r >> 12);
		o[1] = (char)(0x80 | (r >> 6 & 0x3F));
		o[2] = (char)(0x80 | (r & 0x3F));
		return 3;
	}
	o[0] = (char)(0xF0 | r >> 18);
	o[1] = (char)(0x80 | (r >> 12 & 0x3F));
	o[2] = (char)(0x80 | (r >> 6 & 0x3F));
	o[3] = (char)(0x80 | (r & 0x3F));
	return 4;
}

/* Unicode classes come from the C.UTF-8 locale when it exists. */
static locale_t
uloc(void)
{
	static locale_t	loc;
	static int	tried;

	if (!tried) {
		tried = 1;
		loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	}
	return loc;
}

int
lex_is_alnum(uint32_t r)
{
	locale_t	l;

	if (r < 0x80)
		return r == '_' || (r >= '0' && r <= '9') ||
		    ((r | 0x20) >= 'a' && (r | 0x20) <= 'z');
	if (r == 0xFFFD)
		return 0;
	if ((l = uloc()) == (locale_t)0)
		return 1;
	return iswalpha_l((wint_t)r, l) || iswdigit_l((wint_t)r, l);
}

static int
is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static void
push(struct lexer *l, enum tok type, size_t pos, size_t len, const char *s)
{
	struct tokens	*t = l->out;

	xgrow(&t->v, &t->cap, t->n + 1, sizeof *t->v);
	t->v[t->n].type = type;
	t->v[t->n].pos = (unsigned)pos;
	t->v[t->n].len = (unsigned)len;
	t->v[t->n].s = s;
	t->n++;
}

static void
emit(struct lexer *l, enum tok type)
{
	push(l, type, l->start, l->pos - l->start, l->src + l->start);
	l->start = l->pos;
}

static int
lerror(struct lexer *l, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(l->out->errmsg, sizeof l->out->errmsg, fmt, ap);
	va_end(ap);
	push(l, T_ERROR, l->start, 0, l->out->errmsg);
	return -1;
}

/* Go's %#U. */
static const char *
rune_desc(char *b, size_t n, uint32_t r)
{
	char	enc[4];
	size_t	w;

	if (r >= 0x20 && r != 0x7F && r != 0xFFFD && (r < 0x80 ||
	    (uloc() != (locale_t)0 && iswprint_l((wint_t)r, uloc())))) {
		w = utf8_encode(enc, r);
		snprintf(b, n, "U+%04X '%.*s'", (unsigned)r, (int)w, enc);
	} else
		snprintf(b, n, "U+%04X", (unsigned)r);
	return b;
}

static uint32_t
peek_rune(struct lexer *l, size_t *w)
{
	if (l->pos >= l->len) {
		*w = 0;
		return 0;
	}
	return utf8_decode(l->src + l->pos, l->len - l->pos, w);
}

static int
starts(struct lexer *l, size_t at, const char *s)
{
	size_t	n = strlen(s);

	return at <= l->len && l->len - at >= n &&
	    memcmp(l->src + at, s, n) == 0;
}

/* "}}" or " -}}" at pos; *trim tells which. */
static int
at_rdelim(struct lexer *l, int *trim)
{
	*trim = 0;
	if (l->pos + 1 < l->len && is_space(l->src[l->pos]) &&
	    l->src[l->pos + 1] == '-' && starts(l, l->pos + 2, "}}")) {
		*trim = 1;
		return 1;
	}
	return starts(l, l->pos, "}}");
}

static int
at_terminator(struct lexer *l)
{
	int	c;

	if (l->pos >= l->len)
		return 1;
	c = l->src[l->pos];
	if (is_space(c) || IN_SET(".,|:()", c))
		return 1;
	return starts(l, l->pos, "}}");
}

static int
accept(struct lexer *l, const char *set)
{
	if (l->pos < l->len && l->src[l->pos] != '\0' &&
	    strchr(set, l->src[l->pos]) != NULL) {
		l->pos++;
		return 1;
	}
	return 0;
}

static void
accept_run(struct lexer *l, const char *set)
{
	while (accept(l, set))
		;
}

static int
scan_number(struct lexer *l)
{
	static const char	dec[] = "0123456789_";
	static const char	hex[] = "0123456789abcdefABCDEF_";
	const char		*digits = dec;
	size_t			 w;

	accept(l, "+-");
	if (accept(l, "0")) {
		if (accept(l, "xX"))
			digits = hex;
		else if (accept(l, "oO"))
			digits = "01234567_";
		else if (accept(l, "bB"))
			digits = "01_";
	}
	accept_run(l, digits);
	if (accept(l, "."))
		accept_run(l, digits);
	if (digits == dec && accept(l, "eE")) {
		accept(l, "+-");
		accept_run(l, dec);
	}
	if (digits == hex && accept(l, "pP")) {
		accept(l, "+-");
		accept_run(l, dec);
	}
	accept(l, "i");
	if (l->pos < l->len && lex_is_alnum(peek_rune(l, &w))) {
		l->pos += w;
		return 0;
	}
	return 1;
}

static int
lex_number(struct lexer *l)
{
	if (!scan_number(l))
		goto bad;
	if (l->pos < l->len && (l->src[l->pos] == '+' ||
	    l->src[l->pos] == '-')) {
		if (!scan_number(l) || l->src[l->pos - 1] != 'i')
			goto bad;
		emit(l, T_COMPLEX);
	} else
		emit(l, T_NUMBER);
	return 0;
bad:
	return lerror(l, "bad number syntax: \"%.*s\"",
	    (int)(l->pos - l->start), l->src + l->start);
}

/* After the '.' or '$'. */
static int
lex_field_or_var(struct lexer *l, enum tok type)
{
	uint32_t	r = 0;
	size_t		w;
	char		d[32];

	if (at_terminator(l)) {
		emit(l, type == T_VARIABLE ? T_VARIABLE : T_DOT);
		return 0;
	}
	for (;;) {
		r = peek_rune(l, &w);
		if (w == 0 || !lex_is_alnum(r))
			break;
		l->pos += w;
	}
	if (!at_terminator(l))
		return lerror(l, "bad character %s", rune_desc(d, sizeof d, r));
	emit(l, type);
	return 0;
}

static int
lex_identifier(struct lexer *l)
{
	uint32_t	r = 0;
	size_t		w, i, n;
	char		d[32];

	for (;;) {
		r = peek_rune(l, &w);
		if (w == 0 || !lex_is_alnum(r))
			break;
		l->pos += w;
	}
	if (!at_terminator(l))
		return lerror(l, "bad character %s", rune_desc(d, sizeof d, r));
	n = l->pos - l->start;
	for (i = 0; i < nitems(keywords); i++)
		if (strlen(keywords[i].word) == n &&
		    memcmp(keywords[i].word, l->src + l->start, n) == 0) {
			emit(l, keywords[i].type);
			return 0;
		}
	emit(l, T_IDENT);
	return 0;
}

/* Quoted strings and character constants: Go's lexQuote and lexChar. */
static int
lex_quote(struct lexer *l, char q, enum tok type)
{
	for (;;) {
		char	c;

		if (l->pos >= l->len)
			break;
		c = l->src[l->pos++];
		if (c == '\\') {
			if (l->pos >= l->len || l->src[l->pos] == '\n')
				break;
			l->pos++;
			continue;
		}
		if (c == '\n')
			break;
		if (c == q) {
			emit(l, type);
			return 0;
		}
	}
	return lerror(l, type == T_STRING ? "unterminated quoted string" :
	    "unterminated character constant");
}

static int
lex_space(struct lexer *l)
{
	size_t	n = 0;
	int	trim;

	while (l->pos < l->len && is_space(l->src[l->pos])) {
		l->pos++;
		n++;
	}
	l->pos--;
	if (at_rdelim(l, &trim) && trim) {
		if (n == 1)
			return 0;
	} else
		l->pos++;
	emit(l, T_SPACE);
	return 0;
}

static int
lex_other(struct lexer *l, uint32_t r, size_t w)
{
	char	d[32];

	if (lex_is_alnum(r))
		return lex_identifier(l);
	if (r < 0x80 && r > 0x20 && r != 0x7F) {
		l->pos += w;
		emit(l, T_CHAR);
		return 0;
	}
	return lerror(l, "unrecognized character in action: %s",
	    rune_desc(d, sizeof d, r));
}

/* The punctuation that starts a token inside an action. */
static int
lex_punct(struct lexer *l, char c)
{
	switch (c) {
	case '=':
		l->pos++;
		emit(l, T_ASSIGN);
		return 0;
	case ':':
		l->pos++;
		if (l->pos >= l->len || l->src[l->pos] != '=')
			return lerror(l, "expected :=");
		l->pos++;
		emit(l, T_DECLARE);
		return 0;
	case '|':
		l->pos++;
		emit(l, T_PIPE);
		return 0;
	case '"':
		l->pos++;
		return lex_quote(l, '"', T_STRING);
	case '\'':
		l->pos++;
		return lex_quote(l, '\'', T_CHARCONST);
	case '`':
		l->pos++;
		while (l->pos < l->len && l->src[l->pos] != '`')
			l->pos++;
		if (l->pos >= l->len)
			return lerror(l, "unterminated raw quoted string");
		l->pos++;
		emit(l, T_RAWSTRING);
		return 0;
	case '$':
		l->pos++;
		return lex_field_or_var(l, T_VARIABLE);
	case '.':
		if (l->pos + 1 < l->len && (l->src[l->pos + 1] < '0' ||
		    l->src[l->pos + 1] > '9')) {
			l->pos++;
			return lex_field_or_var(l, T_FIELD);
		}
		return lex_number(l);
	case '(':
		l->pos++;
		emit(l, T_LPAREN);
		l->paren++;
		return 0;
	case ')':
		l->pos++;
		emit(l, T_RPAREN);
		if (--l->paren < 0)
			return lerror(l, "unexpected right paren");
		return 0;
	}
	return lex_number(l);
}

/* One token inside an action; 1 after the right delimiter. */
static int
lex_inside(struct lexer *l)
{
	uint32_t	r;
	size_t		w;
	int		trim;
	char		c;

	if (at_rdelim(l, &trim)) {
		if (l->paren != 0)
			return lerror(l, "unclosed left paren");
		if (trim)
			l->pos += 2;
		l->start = l->pos;
		l->pos += 2;
		emit(l, T_RDELIM);
		if (trim)
			while (l->pos < l->len && is_space(l->src[l->pos]))
				l->pos++;
		l->start = l->pos;
		return 1;
	}
	if (l->pos >= l->len)
		return lerror(l, "unclosed action");
	c = l->src[l->pos];
	if (is_space(c))
		return lex_space(l);
	if (IN_SET("=:|\"'`$.()", c))
		return lex_punct(l, c);
	if (c == '+' || c == '-' || (c >= '0' && c <= '9'))
		return lex_number(l);
	r = peek_rune(l, &w);
	return lex_other(l, r, w);
}

static int
has_ltrim(struct lexer *l, size_t at)
{
	return at + 1 < l->len && l->src[at] == '-' && is_space(l->src[at + 1]);
}

/* A comment, from "/" on; leaves pos after its closing delimiter. */
static int
lex_comment(struct lexer *l)
{
	const char	*e;
	int		 trim;

	l->pos += 2;
	e = memmem(l->src + l->pos, l->len - l->pos, "*/", 2);
	if (e == NULL)
		return lerror(l, "unclosed comment");
	l->pos = (size_t)(e - l->src) + 2;
	if (!at_rdelim(l, &trim))
		return lerror(l, "comment ends before closing delimiter");
	l->pos += trim ? 4 : 2;
	if (trim)
		while (l->pos < l->len && is_space(l->src[l->pos]))
			l->pos++;
	l->start = l->pos;
	return 0;
}

/* Text up to the next action: 1 action follows, 0 comment, -1 done. */
static int
lex_text(struct lexer *l)
{
	const char	*d = memmem(l->src + l->pos, l->len - l->pos, "{{", 2);
	size_t		 x, end, after;

	if (d == NULL) {
		l->pos = l->len;
		if (l->pos > l->start)
			emit(l, T_TEXT);
		emit(l, T_EOF);
		return -1;
	}
	x = (size_t)(d - l->src);
	end = x;
	if (has_ltrim(l, x + 2))
		while (end > l->start && is_space(l->src[end - 1]))
			end--;
	if (end > l->start)
		push(l, T_TEXT, l->start, end - l->start, l->src + l->start);
	l->start = x;
	l->pos = x + 2;
	after = has_ltrim(l, l->pos) ? 2 : 0;
	if (starts(l, l->pos + after, "/*")) {
		l->pos += after;
		l->start = l->pos;
		return lex_comment(l);
	}
	emit(l, T_LDELIM);
	l->pos += after;
	l->start = l->pos;
	l->paren = 0;
	return 1;
}

void
lex_all(const char *src, size_t len, struct tokens *out)
{
	struct lexer	l = { src, len, 0, 0, 0, out };
	int		r;

	for (;;) {
		r = lex_text(&l);
		if (r < 0)
			return;
		if (r == 0)
			continue;
		while ((r = lex_inside(&l)) == 0)
			;
		if (r < 0)
			return;
	}
}
