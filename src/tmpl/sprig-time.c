/* sprig-time.c: Sprig's dates and durations: date, dateInZone, toDate
 * (Go's layouts, both ways), dateModify, duration, durationRound, ago. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tmpl/int.h"

static void
now(struct ttime *t)
{
	struct timespec	ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	memset(t, 0, sizeof *t);
	t->sec = ts.tv_sec;
	t->nsec = (int32_t)ts.tv_nsec;
	t->loc = TLOC_LOCAL;
}

/* Sprig's date argument: a time, Unix seconds (int or int64), else now. */
static void
date_arg(const struct tval *v, struct ttime *t)
{
	if (v->kind == TV_TIME)
		*t = *v->u.t;
	else if (v->kind == TV_INT && v->u.i > -62135596800LL &&
	    v->u.i < 253402300800LL) {
		memset(t, 0, sizeof *t);
		t->sec = v->u.i;
		t->loc = TLOC_LOCAL;
	} else
		now(t);
}

/*
 * Moves t into the IANA zone name (time.LoadLocation): "" and "UTC" are
 * UTC, "Local" the local zone; an unknown zone gives -1.  The zone's
 * offset at that instant comes from the C library (TZ set briefly).
 */
static int
in_zone(struct exec *x, struct ttime *t, const char *name)
{
	char		 path[512], *old;
	struct tm	 tm;
	time_t		 s = (time_t)t->sec;
	int		 ok;

	if (*name == '\0' || strcmp(name, "UTC") == 0) {
		t->loc = TLOC_UTC;
		return 0;
	}
	if (strcmp(name, "Local") == 0) {
		t->loc = TLOC_LOCAL;
		return 0;
	}
	if (name[0] == '/' || strstr(name, "..") != NULL ||
	    snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", name) >=
	    (int)sizeof path || access(path, R_OK) != 0)
		return -1;
	old = getenv("TZ");
	if (old != NULL && (old = exec_strdup(x, old, strlen(old))) == NULL)
		return -1;
	setenv("TZ", name, 1);
	tzset();
	ok = localtime_r(&s, &tm) != NULL;
	if (old != NULL)
		setenv("TZ", old, 1);
	else
		unsetenv("TZ");
	tzset();
	if (!ok)
		return -1;
	t->loc = TLOC_FIXED;
	t->off = (int32_t)tm.tm_gmtoff;
	t->zone = exec_strdup(x, tm.tm_zone, strlen(tm.tm_zone));
	return t->zone != NULL ? 0 : -1;
}

static int
format_in(struct exec *x, const struct tval *layout, const struct tval *date,
    const struct tval *zone, struct tval *r)
{
	struct ttime	 t;
	struct buf	 b = BUF_INIT;
	char		*z = NULL;

	date_arg(date, &t);
	if (zone != NULL) {
		if ((z = exec_strdup(x, zone->u.s.p, zone->u.s.n)) == NULL)
			return -1;
		if (strlen(z) != zone->u.s.n || in_zone(x, &t, z) < 0)
			t.loc = TLOC_UTC;
	}
	if (layout->u.s.n > 4096)
		return exec_fail(x, "layout too long");
	time_format(&b, &t, layout->u.s.p, layout->u.s.n);
	return ret_buf(x, &b, r);
}

int
fn_date(struct exec *x, struct tval *a, int n, struct tval *r)
{
	return format_in(x, &a[0], &a[1], NULL, r);
}

int
fn_dateinzone(struct exec *x, struct tval *a, int n, struct tval *r)
{
	return format_in(x, &a[0], &a[1], &a[2], r);
}

int
fn_htmldate(struct exec *x, struct tval *a, int n, struct tval *r)
{
	struct tval	l;

	tval_str(&l, "2006-01-02", 10);
	return format_in(x, &l, &a[0], NULL, r);
}

int
fn_htmldateinzone(struct exec *x, struct tval *a, int n, struct tval *r)
{
	struct tval	l;

	tval_str(&l, "2006-01-02", 10);
	return format_in(x, &l, &a[0], &a[1], r);
}

/* time.ParseDuration; -1 with Go's message in err. */
static int
parse_duration(const struct tval *s, int64_t *ns, char *err, size_t errlen)
{
	char		 buf[128];
	const char	*why, *d = buf;
	int		 neg = 0;

	snprintf(err, errlen, "time: invalid duration \"%.*s\"",
	    (int)(s->u.s.n > 64 ? 64 : s->u.s.n), s->u.s.p);
	if (s->u.s.n >= sizeof buf || memchr(s->u.s.p, '\0', s->u.s.n))
		return -1;
	memcpy(buf, s->u.s.p, s->u.s.n);
	buf[s->u.s.n] = '\0';
	if (*d == '-' || *d == '+')
		neg = *d++ == '-';
	if (duration_parse(d, ns, &why) < 0)
		return -1;
	if (neg)
		*ns = -*ns;
	return 0;
}

static void
add_ns(struct ttime *t, int64_t ns)
{
	t->sec += ns / 1000000000;
	t->nsec += (int32_t)(ns % 1000000000);
	if (t->nsec < 0) {
		t->nsec += 1000000000;
		t->sec--;
	} else if (t->nsec >= 1000000000) {
		t->nsec -= 1000000000;
		t->sec++;
	}
}

static int
date_modify(struct exec *x, struct tval *a, int must, struct tval *r)
{
	struct ttime	t = *a[1].u.t;
	int64_t		ns;
	char		err[128];

	if (parse_duration(&a[0], &ns, err, sizeof err) < 0) {
		if (must)
			return exec_fail(x, "%s", err);
		*r = a[1];
		return 0;
	}
	add_ns(&t, ns);
	return time_value(x, &t, r);
}

int
fn_datemodify(struct exec *x, struct tval *a, int n, struct tval *r)
{
	return date_modify(x, a, 0, r);
}

int
fn_mustdatemodify(struct exec *x, struct tval *a, int n, struct tval *r)
{
	return date_modify(x, a, 1, r);
}

/* Go's Duration.String. */
void
duration_string(struct buf *b, int64_t d)
{
	uint64_t	u = d < 0 ? 0 - (uint64_t)d : (uint64_t)d;
	char		frac[16];
	int		n, prec;

	if (d < 0)
		buf_addc(b, '-');
	if (u < 1000000000) {
		if (u == 0) {
			buf_adds(b, "0s");
			return;
		}
		prec = u < 1000 ? 0 : u < 1000000 ? 3 : 6;
		buf_printf(b, "%llu", (unsigned long long)(u / (prec == 0 ? 1 :
		    prec == 3 ? 1000 : 1000000)));
		if (prec > 0) {
			n = snprintf(frac, sizeof frac, "%0*llu", prec,
			    (unsigned long long)(u % (prec == 3 ? 1000 :
			    1000000)));
			while (n > 0 && frac[n - 1] == '0')
				frac[--n] = '\0';
			if (n > 0)
				buf_printf(b, ".%s", frac);
		}
		buf_adds(b, prec == 0 ? "ns" : prec == 3 ? "µs" : "ms");
		return;
	}
	if (u >= 3600000000000ULL)
		buf_printf(b, "%lluh", (unsigned long long)(u /
		    3600000000000ULL));
	if (u >= 60000000000ULL)
		buf_printf(b, "%llum", (unsigned long long)(u /
		    60000000000ULL % 60));
	buf_printf(b, "%llu", (unsigned long long)(u / 1000000000 % 60));
	n = snprintf(frac, sizeof frac, "%09llu", (unsigned long long)(u %
	    1000000000));
	while (n > 0 && frac[n - 1] == '0')
		frac[--n] = '\0';
	if (n > 0)
		buf_printf(b, ".%s", frac);
	buf_addc(b, 's');
}

/* duration reads a string or an int64 of seconds; anything else is 0. */
int
fn_duration(struct exec *x, struct tval *a, int n, struct tval *r)
{
	struct buf	 b = BUF_INIT;
	int64_t		 s = 0;
	char		 buf[32], *end;

	if (a[0].kind == TV_STRING && a[0].u.s.n > 0 &&
	    a[0].u.s.n < sizeof buf) {
		memcpy(buf, a[0].u.s.p, a[0].u.s.n);
		buf[a[0].u.s.n] = '\0';
		s = strtoll(buf, &end, 10);
		if (*end != '\0' || buf[0] == ' ' || buf[0] == '\t')
			s = 0;
	} else if (a[0].kind == TV_INT && a[0].gt == GT_INT64)
		s = a[0].u.i;
	duration_string(&b, (int64_t)((uint64_t)s * 1000000000ULL));
	return ret_buf(x, &b, r);
}

static int64_t
since(const struct ttime *t)
{
	struct ttime	n;

	now(&n);
	return (int64_t)((uint64_t)(n.sec - t->sec) * 1000000000ULL +
	    (uint64_t)(int64_t)(n.nsec - t->nsec));
}

int
fn_durationround(struct exec *x, struct tval *a, int n, struct tval *r)
{
	static const struct { uint64_t d; const char *u; } units[] = {
		{ 31536000000000000ULL, "y" }, { 2592000000000000ULL, "mo" },
		{ 86400000000000ULL, "d" }, { 3600000000000ULL, "h" },
		{ 60000000000ULL, "m" }, { 1000000000ULL, "s" },
	};
	struct buf	 b = BUF_INIT;
	int64_t		 d = 0;
	uint64_t	 u;
	size_t		 i;
	char		 err[128];

	if (a[0].kind == TV_STRING &&
	    parse_duration(&a[0], &d, err, sizeof err) < 0)
		d = 0;
	else if (a[0].kind == TV_INT && a[0].gt == GT_INT64)
		d = a[0].u.i;
	else if (a[0].kind == TV_TIME)
		d = since(a[0].u.t);
	u = d < 0 ? 0 - (uint64_t)d : (uint64_t)d;
	for (i = 0; i < nitems(units); i++)
		if (u > units[i].d) {
			buf_printf(&b, "%llu%s", (unsigned long long)(u /
			    units[i].d), units[i].u);
			return ret_buf(x, &b, r);
		}
	tval_str(r, "0s", 2);
	return 0;
}

int
fn_ago(struct exec *x, struct tval *a, int n, struct tval *r)
{
	struct buf	 b = BUF_INIT;
	struct ttime	 t;
	int64_t		 d, rem;

	date_arg(&a[0], &t);
	d = since(&t);
	/* Duration.Round(time.Second): halves away from zero */
	rem = d % 1000000000;
	d -= rem;
	if (rem >= 500000000)
		d += 1000000000;
	else if (rem <= -500000000)
		d -= 1000000000;
	duration_string(&b, d);
	return ret_buf(x, &b, r);
}

int
fn_unixepoch(struct exec *x, struct tval *a, int n, struct tval *r)
{
	struct buf	b = BUF_INIT;

	buf_printf(&b, "%lld", (long long)a[0].u.t->sec);
	return ret_buf(x, &b, r);
}

static int
to_date(struct exec *x, struct tval *a, int must, struct tval *r)
{
	struct ttime	t;

	if (time_parse_layout(&t, a[0].u.s.p, a[0].u.s.n, a[1].u.s.p,
	    a[1].u.s.n) < 0) {
		if (must)
			return exec_fail(x, "parsing time \"%.*s\" as "
			    "\"%.*s\": cannot parse", (int)(a[1].u.s.n > 64 ? 64 :
			    a[1].u.s.n), a[1].u.s.p, (int)(a[0].u.s.n > 64 ?
			    64 : a[0].u.s.n), a[0].u.s.p);
		/* Go's zero time: January 1, year 1, UTC */
		memset(&t, 0, sizeof t);
		t.sec = -62135596800LL;
		t.loc = TLOC_UTC;
	}
	return time_value(x, &t, r);
}

int
fn_todate(struct exec *x, struct tval *a, int n, struct tval *r)
{
	return to_date(x, a, 0, r);
}

int
fn_musttodate(struct exec *x, struct tval *a, int n, struct tval *r)
{
	return to_date(x, a, 1, r);
}
