/* tmpl-shell.c: escaping for `run:` scripts, by the quoting context that
 * the script text emitted so far leaves open. */
#include <string.h>

#include "tmpl/int.h"

enum {
	SH_TOP, SH_SQ, SH_DQ, SH_CMD, SH_BQ, SH_PARAM, SH_ARITH, SH_COMMENT,
	SH_HEREDOC, SH_QHEREDOC, SH_ANSI
};

/* here-document delimiter states */
enum { H_NONE, H_DASH, H_WORD, H_WAIT };

void
shell_init(struct shstate *s)
{
	memset(s, 0, sizeof *s);
	s->stack[0] = SH_TOP;
	s->sp = 1;
	s->word_start = 1;
}

void
shell_release(struct shstate *s)
{
	buf_release(&s->line);
}

static int
top(const struct shstate *s)
{
	return s->stack[s->sp - 1];
}

static void
push(struct shstate *s, int c)
{
	if (s->sp == sizeof s->stack) {
		s->why = "shell quoting nested too deep";
		return;
	}
	s->parens[s->sp] = 0;
	s->stack[s->sp++] = (unsigned char)c;
}

static void
pop(struct shstate *s)
{
	if (s->sp > 1)
		s->sp--;
}

static int
is_meta(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == ';' || c == '&' ||
	    c == '|' || c == '(' || c == ')' || c == '<' || c == '>';
}

/* The here-document delimiter word after "<<". */
static int
heredoc_word(struct shstate *s, int c)
{
	if (s->hstate == H_DASH) {
		if (c == '-' && !s->hdash && s->hlen == 0) {
			s->hdash = 1;
			return 1;
		}
		if (c == ' ' || c == '\t')
			return 1;
		s->hstate = H_WORD;
	}
	if (is_meta(c)) {
		s->hstate = s->hlen > 0 ? H_WAIT : H_NONE;
		return 0;
	}
	if (c == '\'' || c == '"' || c == '\\')
		s->hquoted = 1;
	else if (s->hlen + 1 < sizeof s->hdelim)
		s->hdelim[s->hlen++] = (char)c;
	return 1;
}

static void
newline(struct shstate *s)
{
	if (s->hstate == H_WAIT) {
		push(s, s->hquoted ? SH_QHEREDOC : SH_HEREDOC);
		buf_truncate(&s->line, 0);
		s->tainted = 0;
	}
	s->hstate = H_NONE;
}

static void
heredoc_line(struct shstate *s, int c, int value)
{
	const char	*l;
	size_t		 n;

	if (value)
		s->tainted = 1;
	if (c != '\n') {
		buf_addc(&s->line, c);
		return;
	}
	l = buf_str(&s->line);
	n = s->line.len;
	while (s->hdash && n > 0 && *l == '\t')
		l++, n--;
	if (n == s->hlen && memcmp(l, s->hdelim, n) == 0) {
		if (s->tainted)
			s->why = "a value would end the here-document";
		pop(s);
		s->hlen = 0;
		s->hquoted = s->hdash = 0;
	}
	buf_truncate(&s->line, 0);
	s->tainted = 0;
}

/* After an unescaped '$' in an expanding context. */
static int
dollar(struct shstate *s, int c)
{
	s->dollar = 0;
	if (c == '(') {
		push(s, SH_CMD);
		s->fresh = 1;
		return 1;
	}
	if (c == '{') {
		push(s, SH_PARAM);
		return 1;
	}
	if (c == '\'' && (top(s) == SH_TOP || top(s) == SH_CMD)) {
		push(s, SH_ANSI);
		return 1;
	}
	return 0;
}

static void
code(struct shstate *s, int c)
{
	int	ws = s->word_start;

	s->word_start = is_meta(c);
	if (s->hstate != H_NONE && s->hstate != H_WAIT &&
	    heredoc_word(s, c))
		return;
	switch (c) {
	case '\\': s->bslash = 1; break;
	case '\'': push(s, SH_SQ); break;
	case '"': push(s, SH_DQ); break;
	case '`': push(s, SH_BQ); break;
	case '$': s->dollar = 1; break;
	case '#':
		if (ws)
			push(s, SH_COMMENT);
		break;
	case '(':
		if (top(s) == SH_CMD)
			s->parens[s->sp - 1]++;
		break;
	case ')':
		if (top(s) == SH_CMD) {
			if (s->parens[s->sp - 1] > 0)
				s->parens[s->sp - 1]--;
			else
				pop(s);
		}
		break;
	case '<':
		if (++s->lt == 2) {
			s->hstate = H_DASH;
			s->hlen = 0;
			s->hquoted = s->hdash = 0;
		}
		return;
	case '\n':
		newline(s);
		break;
	}
	s->lt = 0;
}

static void
feed1(struct shstate *s, int c, int value)
{
	int	t = top(s);

	if (t == SH_HEREDOC || t == SH_QHEREDOC)
		heredoc_line(s, c, value);
	if (s->bslash) {
		s->bslash = 0;
		return;
	}
	if (s->fresh) {
		s->fresh = 0;
		if (t == SH_CMD && c == '(') {
			s->stack[s->sp - 1] = SH_ARITH;
			s->parens[s->sp - 1] = 1;
			return;
		}
	}
	if (s->dollar && t != SH_SQ && dollar(s, c))
		return;
	s->dollar = 0;
	switch (t) {
	case SH_SQ:
		if (c == '\'')
			pop(s);
		return;
	case SH_ANSI:
		if (c == '\\')
			s->bslash = 1;
		else if (c == '\'')
			pop(s);
		return;
	case SH_DQ: case SH_HEREDOC:
		if (c == '\\')
			s->bslash = 1;
		else if (c == '"' && t == SH_DQ)
			pop(s);
		else if (c == '`')
			push(s, SH_BQ);
		else if (c == '$')
			s->dollar = 1;
		return;
	case SH_QHEREDOC:
		return;
	case SH_BQ:
		if (c == '\\')
			s->bslash = 1;
		else if (c == '`')
			pop(s);
		return;
	case SH_PARAM:
		if (c == '}')
			pop(s);
		return;
	case SH_COMMENT:
		if (c == '\n') {
			pop(s);
			newline(s);
			s->word_start = 1;
		}
		return;
	case SH_ARITH:
		if (c == '(')
			s->parens[s->sp - 1]++;
		else if (c == ')' && s->parens[s->sp - 1] > 0)
			s->parens[s->sp - 1]--;
		else if (c == ')')
			pop(s);
		return;
	default:
		code(s, c);
	}
}

void
shell_feed(struct shstate *s, const char *p, size_t n, int value)
{
	size_t	i;

	for (i = 0; i < n; i++)
		feed1(s, (unsigned char)p[i], value);
}

static void
escape_in(struct buf *b, const char *v, size_t n, const char *set)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (IN_SET(set, v[i]))
			buf_addc(b, '\\');
		buf_addc(b, v[i]);
	}
}

static void
single_quote(struct buf *b, const char *v, size_t n, int outer)
{
	size_t	i;

	if (outer)
		buf_addc(b, '\'');
	for (i = 0; i < n; i++) {
		if (v[i] == '\'')
			buf_adds(b, "'\\''");
		else
			buf_addc(b, v[i]);
	}
	if (outer)
		buf_addc(b, '\'');
}

static const char *
refuse(struct shstate *s, const char *v, size_t n)
{
	if (s->why != NULL)
		return s->why;
	if (memchr(v, '\0', n) != NULL)
		return "a value with a NUL byte cannot be passed to the shell";
	if (s->bslash)
		return "a value right after a backslash in a shell script";
	if (s->dollar)
		return "a value right after '$' in a shell script";
	if (s->hstate == H_DASH || s->hstate == H_WORD)
		return "a value as a here-document delimiter";
	switch (top(s)) {
	case SH_BQ:
		return "a value inside `...` in a shell script; use $(...)";
	case SH_PARAM:
		return "a value inside ${...} in a shell script";
	case SH_ARITH:
		return "a value inside $((...)) in a shell script";
	case SH_ANSI:
		return "a value inside $'...' in a shell script";
	case SH_COMMENT:
		if (memchr(v, '\n', n) != NULL)
			return "a value with a newline in a shell comment";
		break;
	case SH_HEREDOC: case SH_QHEREDOC:
		if (memchr(v, '\n', n) != NULL)
			return "a value with a newline in a here-document";
		break;
	}
	return NULL;
}

int
shell_escape(struct shstate *s, struct buf *b, const char *v, size_t n,
    const char **why)
{
	size_t	start = b->len;
	unsigned sp = s->sp;
	int	t = top(s);

	if ((*why = refuse(s, v, n)) != NULL)
		return -1;
	switch (t) {
	case SH_TOP: case SH_CMD:
		single_quote(b, v, n, 1);
		break;
	case SH_SQ:
		single_quote(b, v, n, 0);
		break;
	case SH_DQ:
		escape_in(b, v, n, "\"\\$`");
		break;
	case SH_HEREDOC:
		escape_in(b, v, n, "\\$`");
		break;
	default:
		buf_add(b, v, n);
	}
	shell_feed(s, b->s + start, b->len - start, 1);
	if (s->sp != sp || top(s) != t || s->bslash || s->dollar) {
		*why = s->why != NULL ? s->why :
		    "a value would change the shell script's structure";
		return -1;
	}
	return 0;
}
