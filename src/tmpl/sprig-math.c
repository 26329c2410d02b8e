/* sprig-math.c: Sprig's numbers (int64 and decimal-like float math),
 * conversions, defaults and flow, and reflection. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <json-c/json.h>

#include "tmpl/int.h"

int
fn_add1(struct exec *x, struct tval *a, int n, struct tval *r)
{
	return ret_int(r, (int64_t)((uint64_t)cast_int64(&a[0]) + 1),
	    GT_INT64);
}

static int
minmax(struct tval *a, int n, int max, struct tval *r)
{
	int64_t	m = cast_int64(&a[0]), v;
	int	i;

	for (i = 1; i < n; i++) {
		v = cast_int64(&a[i]);
		if (max ? v > m : v < m)
			m = v;
	}
	return ret_int(r, m, GT_INT64);
}

int
fn_max(struct exec *x, struct tval *a, int n, struct tval *r)
{
	return minmax(a, n, 1, r);
}

int
fn_min(struct exec *x, struct tval *a, int n, struct tval *r)
{
	return minmax(a, n, 0, r);
}

/*
 * Sprig's float math goes through shopspring/decimal: each operand is its
 * shortest decimal form, so 0.1 + 0.2 is 0.3.  Long doubles read from that
 * form come close enough to the decimal result for float64 output.
 */
static long double
dec(const struct tval *v)
{
	char	buf[64];
	double	f = cast_float64(v);
	int	p;

	if (!isfinite(f))
		return f;
	for (p = 1; p < 17; p++) {
		snprintf(buf, sizeof buf, "%.*g", p, f);
		if (strtod(buf, NULL) == f)
			break;
	}
	snprintf(buf, sizeof buf, "%.*g", p, f);
	return strtold(buf, NULL);
}

static int
fmath(struct exec *x, struct tval *a, int n, int op, struct tval *r)
{
	long double	acc = n > 0 ? dec(&a[0]) : 0, v;
	int		i;

	for (i = 1; i < n; i++) {
		v = dec(&a[i]);
		switch (op) {
		case '+': acc += v; break;
		case '-': acc -= v; break;
		case '*': acc *= v; break;
		default:
			if (v == 0)
				return exec_fail(x, "decimal division by 0");
			acc /= v;
		}
	}
	return ret_float(r, (double)acc);
}

int
fn_addf(struct exec *x, struct tval *a, int n, struct tval *r)
{
	return fmath(x, a, n, '+', r);
}

int
fn_add1f(struct exec *x, struct tval *a, int n, struct tval *r)
{
	return ret_float(r, (double)(dec(&a[0]) + 1));
}

int
fn_subf(struct exec *x, struct tval *a, int n, struct tval *r)
{
	return fmath(x, a, n, '-', r);
}

int
fn_mulf(struct exec *x, struct tval *a, int n, struct tval *r)
{
	return fmath(x, a, n, '*', r);
}

int
fn_divf(struct exec *x, struct tval *a, int n, struct tval *r)
{
	return fmath(x, a, n, '/', r);
}

static int
fminmax(struct tval *a, int n, int max, struct tval *r)
{
	double	m = cast_float64(&a[0]);
	int	i;

	for (i = 1; i < n; i++)
		m = max ? fmax(m, cast_float64(&a[i])) :
		    fmin(m, cast_float64(&a[i]));
	return ret_float(r, m);
}

int
fn_maxf(struct exec *x, struct tval *a, int n, struct tval *r)
{
	return fminmax(a, n, 1, r);
}

int
fn_minf(struct exec *x, struct tval *a, int n, struct tval *r)
{
	return fminmax(a, n, 0, r);
}

int
fn_floor(struct exec *x, struct tval *a, int n, struct tval *r)
{
	return ret_float(r, floor(cast_float64(&a[0])));
}

int
fn_ceil(struct exec *x, struct tval *a, int n, struct tval *r)
{
	return ret_float(r, ceil(cast_float64(&a[0])));
}

int
fn_round(struct exec *x, struct tval *a, int n, struct tval *r)
{
	double	on = n > 2 ? a[2].u.f : .5, pw = pow(10, (double)a[1].u.i);
	double	d = pw * cast_float64(&a[0]), ip;

	return ret_float(r, (modf(d, &ip) >= on ? ceil(d) : floor(d)) / pw);
}

int
fn_int(struct exec *x, struct tval *a, int n, struct tval *r)
{
	return ret_int(r, cast_int64(&a[0]), GT_PLAIN);
}

int
fn_int64(struct exec *x, struct tval *a, int n, struct tval *r)
{
	return ret_int(r, cast_int64(&a[0]), GT_INT64);
}

int
fn_float64(struct exec *x, struct tval *a, int n, struct tval *r)
{
	return ret_float(r, cast_float64(&a[0]));
}

/* strconv.Atoi: decimal digits with an optional sign, else 0. */
int
fn_atoi(struct exec *x, struct tval *a, int n, struct tval *r)
{
	const char	*s = a[0].u.s.p;
	size_t		 i = 0, len = a[0].u.s.n;
	uint64_t	 v = 0;
	int		 neg = 0;

	if (len > 0 && (s[0] == '+' || s[0] == '-'))
		neg = s[i++] == '-';
	if (i == len)
		return ret_int(r, 0, GT_PLAIN);
	for (; i < len; i++) {
		if (s[i] < '0' || s[i] > '9' || v > (UINT64_MAX - 9) / 10)
			return ret_int(r, 0, GT_PLAIN);
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v > (uint64_t)INT64_MAX + neg)
		return ret_int(r, 0, GT_PLAIN);
	return ret_int(r, neg ? (int64_t)(0 - v) : (int64_t)v, GT_PLAIN);
}

/* strconv.ParseInt(toString(v), 8, 64), 0 on error. */
int
fn_todecimal(struct exec *x, struct tval *a, int n, struct tval *r)
{
	struct tval	 s;
	size_t		 i = 0;
	uint64_t	 v = 0;
	int		 neg = 0;

	if (tval_strval(x, &a[0], &s) < 0)
		return -1;
	if (s.u.s.n > 0 && (s.u.s.p[0] == '+' || s.u.s.p[0] == '-'))
		neg = s.u.s.p[i++] == '-';
	if (i == s.u.s.n)
		return ret_int(r, 0, GT_INT64);
	for (; i < s.u.s.n; i++) {
		if (s.u.s.p[i] == '_' && i > 0 && i + 1 < s.u.s.n)
			return ret_int(r, 0, GT_INT64);
		if (s.u.s.p[i] < '0' || s.u.s.p[i] > '7' || v >> 60)
			return ret_int(r, 0, GT_INT64);
		v = v * 8 + (uint64_t)(s.u.s.p[i] - '0');
	}
	if (v > (uint64_t)INT64_MAX + neg)
		return ret_int(r, 0, GT_INT64);
	return ret_int(r, neg ? (int64_t)(0 - v) : (int64_t)v, GT_INT64);
}

int
fn_randint(struct exec *x, struct tval *a, int n, struct tval *r)
{
	uint64_t	span = (uint64_t)a[1].u.i - (uint64_t)a[0].u.i, v, lim;

	if (a[1].u.i <= a[0].u.i || span > INT64_MAX)
		return exec_fail(x, "invalid argument to Intn");
	lim = UINT64_MAX - UINT64_MAX % span;
	do {
		if (getrandom(&v, sizeof v, 0) != (ssize_t)sizeof v)
			return exec_fail(x, "getrandom failed");
	} while (v >= lim);
	return ret_int(r, (int64_t)((uint64_t)a[0].u.i + v % span), GT_PLAIN);
}

int
fn_empty(struct exec *x, struct tval *a, int n, struct tval *r)
{
	return ret_bool(r, !tval_truth(&a[0]));
}

int
fn_coalesce(struct exec *x, struct tval *a, int n, struct tval *r)
{
	int	i;

	for (i = 0; i < n; i++)
		if (tval_truth(&a[i])) {
			*r = a[i];
			return 0;
		}
	r->kind = TV_NIL;
	return 0;
}

int
fn_ternary(struct exec *x, struct tval *a, int n, struct tval *r)
{
	*r = a[2].u.b ? a[0] : a[1];
	return 0;
}

int
fn_all(struct exec *x, struct tval *a, int n, struct tval *r)
{
	int	i;

	for (i = 0; i < n; i++)
		if (!tval_truth(&a[i]))
			return ret_bool(r, 0);
	return ret_bool(r, 1);
}

int
fn_any(struct exec *x, struct tval *a, int n, struct tval *r)
{
	int	i;

	for (i = 0; i < n; i++)
		if (tval_truth(&a[i]))
			return ret_bool(r, 1);
	return ret_bool(r, 0);
}

int
fn_fail(struct exec *x, struct tval *a, int n, struct tval *r)
{
	return exec_fail(x, "%.*s", (int)a[0].u.s.n, a[0].u.s.p);
}

static const char *
type_of(const struct tval *v)
{
	return v->kind == TV_MISSING || v->kind == TV_NIL ? "<nil>" :
	    tval_type(v);
}

int
fn_typeof(struct exec *x, struct tval *a, int n, struct tval *r)
{
	const char	*t = type_of(&a[0]);

	tval_str(r, t, strlen(t));
	return 0;
}

static int
str_is(const struct tval *s, const char *t)
{
	return s->u.s.n == strlen(t) && memcmp(s->u.s.p, t, s->u.s.n) == 0;
}

int
fn_typeis(struct exec *x, struct tval *a, int n, struct tval *r)
{
	return ret_bool(r, str_is(&a[0], type_of(&a[1])));
}

int
fn_typeislike(struct exec *x, struct tval *a, int n, struct tval *r)
{
	const char	*t = type_of(&a[1]);

	return ret_bool(r, str_is(&a[0], t) || (t[0] == '*' &&
	    str_is(&a[0], t + 1)));
}

int
fn_kindof(struct exec *x, struct tval *a, int n, struct tval *r)
{
	const char	*k = tval_kind(&a[0]);

	tval_str(r, k, strlen(k));
	return 0;
}

int
fn_kindis(struct exec *x, struct tval *a, int n, struct tval *r)
{
	return ret_bool(r, str_is(&a[0], tval_kind(&a[1])));
}

int
fn_deepequal(struct exec *x, struct tval *a, int n, struct tval *r)
{
	return ret_bool(r, tval_equal(&a[0], &a[1], 0));
}
