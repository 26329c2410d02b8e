/* tmpl-printf.c: Go's fmt.Sprintf: verbs, flags, widths, argument indexes. */
#include <string.h>

#include "tmpl/int.h"

static int
parsenum(const char *s, size_t *i, size_t end, int *num)
{
	int	isnum = 0;

	*num = 0;
	for (; *i < end && s[*i] >= '0' && s[*i] <= '9'; (*i)++) {
		if (*num > 1000000) {
			*num = 0;
			*i = end;
			return 0;
		}
		*num = *num * 10 + (s[*i] - '0');
		isnum = 1;
	}
	return isnum;
}

struct pf {
	const char		*s;
	size_t			 end, i;
	const struct tval	*a;
	int			 n, arg, reordered, good;
};

/* "[n]" at i: an explicit argument index. */
static int
arg_number(struct pf *p)
{
	size_t	j, k;
	int	num;

	if (p->i >= p->end || p->s[p->i] != '[')
		return 0;
	p->reordered = 1;
	for (j = p->i + 1; j < p->end; j++)
		if (p->s[j] == ']')
			break;
	if (j >= p->end || p->end - p->i < 3) {
		p->good = 0;
		p->i += 1;
		return 0;
	}
	k = p->i + 1;
	if (!parsenum(p->s, &k, j, &num) || k != j) {
		p->good = 0;
		p->i = j + 1;
		return 0;
	}
	p->i = j + 1;
	if (num - 1 >= 0 && num - 1 < p->n) {
		p->arg = num - 1;
		return 1;
	}
	p->good = 0;
	return 1;
}

static int
int_from_arg(struct pf *p, int *num)
{
	const struct tval	*v;
	int			 ok = 0;

	*num = 0;
	if (p->arg >= p->n)
		return 0;
	v = &p->a[p->arg++];
	if (v->kind == TV_INT && v->u.i >= -1000000 && v->u.i <= 1000000) {
		*num = (int)v->u.i;
		ok = 1;
	} else if (v->kind == TV_UINT && v->u.u <= 1000000) {
		*num = (int)v->u.u;
		ok = 1;
	}
	return ok;
}

static void
width_prec(struct pf *p, struct ff *f, struct buf *b, int *after)
{
	if (p->i < p->end && p->s[p->i] == '*') {
		p->i++;
		f->widp = int_from_arg(p, &f->wid);
		if (!f->widp)
			buf_adds(b, "%!(BADWIDTH)");
		if (f->wid < 0) {
			f->wid = -f->wid;
			f->minus = 1;
			f->zero = 0;
		}
		*after = 0;
	} else {
		f->widp = parsenum(p->s, &p->i, p->end, &f->wid);
		if (*after && f->widp)
			p->good = 0;
	}
	if (p->i + 1 < p->end && p->s[p->i] == '.') {
		p->i++;
		if (*after)
			p->good = 0;
		*after = arg_number(p);
		if (p->i < p->end && p->s[p->i] == '*') {
			p->i++;
			f->precp = int_from_arg(p, &f->prec);
			if (f->prec < 0) {
				f->prec = 0;
				f->precp = 0;
			}
			if (!f->precp)
				buf_adds(b, "%!(BADPREC)");
			*after = 0;
		} else if (!parsenum(p->s, &p->i, p->end, &f->prec)) {
			f->prec = 0;
			f->precp = 1;
		} else
			f->precp = 1;
	}
	if (!*after)
		*after = arg_number(p);
}

static int
one_verb(struct pf *p, struct buf *b)
{
	struct ff	f;
	uint32_t	verb;
	size_t		w;
	int		after, c;

	memset(&f, 0, sizeof f);
	p->good = 1;
	for (; p->i < p->end; p->i++) {
		c = p->s[p->i];
		if (c == '#')
			f.sharp = 1;
		else if (c == '0')
			f.zero = !f.minus;
		else if (c == '+')
			f.plus = 1;
		else if (c == '-') {
			f.minus = 1;
			f.zero = 0;
		} else if (c == ' ')
			f.space = 1;
		else
			break;
	}
	after = arg_number(p);
	width_prec(p, &f, b, &after);
	if (p->i >= p->end) {
		buf_adds(b, "%!(NOVERB)");
		return 0;
	}
	verb = utf8_decode(p->s + p->i, p->end - p->i, &w);
	p->i += w;
	if (verb == '%') {
		buf_addc(b, '%');
		return 0;
	}
	if (!p->good) {
		buf_printf(b, "%%!%.*s(BADINDEX)", (int)w, p->s + p->i - w);
		return 0;
	}
	if (p->arg >= p->n) {
		buf_printf(b, "%%!%.*s(MISSING)", (int)w, p->s + p->i - w);
		return 0;
	}
	if (verb == 'v') {
		f.sharp_v = f.sharp;
		f.sharp = 0;
		f.plus_v = f.plus;
		f.plus = 0;
	}
	if (verb >= 0x80) {
		buf_printf(b, "%%!%.*s(", (int)w, p->s + p->i - w);
		buf_adds(b, tval_type(&p->a[p->arg]));
		buf_addc(b, '=');
		memset(&f, 0, sizeof f);
		print_val(b, &p->a[p->arg++], 'v', &f, 0);
		buf_addc(b, ')');
		return 0;
	}
	return print_arg(b, &p->a[p->arg++], (int)verb, &f);
}

/* fmt.Sprintf */
int
print_sprintf(struct buf *b, const char *fmt, size_t flen,
    const struct tval *a, int n)
{
	struct pf	p = { fmt, flen, 0, a, n, 0, 0, 1 };
	struct ff	f;
	size_t		last;
	int		i, r;

	while (p.i < p.end) {
		last = p.i;
		while (p.i < p.end && fmt[p.i] != '%')
			p.i++;
		buf_add(b, fmt + last, p.i - last);
		if (p.i >= p.end)
			break;
		p.i++;
		if ((r = one_verb(&p, b)) < 0)
			return r;
		if (b->len > TMPL_MAX_OUTPUT)
			return -2;
	}
	if (!p.reordered && p.arg < n) {
		memset(&f, 0, sizeof f);
		buf_adds(b, "%!(EXTRA ");
		for (i = p.arg; i < n; i++) {
			if (i > p.arg)
				buf_adds(b, ", ");
			if (a[i].kind <= TV_NIL)
				buf_adds(b, "<nil>");
			else {
				buf_adds(b, tval_type(&a[i]));
				buf_addc(b, '=');
				if ((r = print_arg(b, &a[i], 'v', &f)) < 0)
					return r;
			}
		}
		buf_addc(b, ')');
	}
	return 0;
}
