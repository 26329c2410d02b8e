/* method.c: Go methods a template may call on values: a time's (Format,
 * Year, Unix, UTC, Add, Sub, ...), a duration's (Seconds, String, ...) and
 * a semver version's Compare. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "tmpl/int.h"

static const char	*month_names[] = { "January", "February", "March",
    "April", "May", "June", "July", "August", "September", "October",
    "November", "December" };
static const char	*day_names[] = { "Sunday", "Monday", "Tuesday",
    "Wednesday", "Thursday", "Friday", "Saturday" };

struct method {
	const char	*name;
	int		 nargs;
	char		 arg;		/* 'S' string, 'D' duration, 'T' time,
					 * 'I' ints */
};

static const struct method	time_methods[] = {
	{ "Add", 1, 'D' }, { "AddDate", 3, 'I' }, { "After", 1, 'T' },
	{ "Before", 1, 'T' }, { "Day", 0, 0 }, { "Equal", 1, 'T' },
	{ "Format", 1, 'S' }, { "Hour", 0, 0 }, { "IsZero", 0, 0 },
	{ "Local", 0, 0 }, { "Minute", 0, 0 }, { "Month", 0, 0 },
	{ "Nanosecond", 0, 0 }, { "Second", 0, 0 }, { "String", 0, 0 },
	{ "Sub", 1, 'T' }, { "UTC", 0, 0 }, { "Unix", 0, 0 },
	{ "UnixMilli", 0, 0 }, { "UnixNano", 0, 0 }, { "Weekday", 0, 0 },
	{ "Year", 0, 0 }, { "YearDay", 0, 0 },
};

static const struct method	duration_methods[] = {
	{ "Hours", 0, 0 }, { "Microseconds", 0, 0 }, { "Milliseconds", 0, 0 },
	{ "Minutes", 0, 0 }, { "Nanoseconds", 0, 0 }, { "Seconds", 0, 0 },
	{ "String", 0, 0 },
};

static const struct method *
find(const struct method *m, size_t n, const char *name)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (strcmp(m[i].name, name) == 0)
			return &m[i];
	return NULL;
}

/* The civil fields of t in its zone. */
static void
fields(const struct ttime *t, struct tm *tm)
{
	time_t	s = (time_t)t->sec;

	if (t->loc == TLOC_LOCAL)
		localtime_r(&s, tm);
	else {
		s += t->loc == TLOC_FIXED ? t->off : 0;
		gmtime_r(&s, tm);
	}
}

static int
check_args(struct exec *x, const char *name, const struct method *m,
    const struct tval *a, int n)
{
	int	i;

	if (n != m->nargs)
		return exec_fail(x, "wrong number of args for %s: want %d got "
		    "%d", name, m->nargs, n);
	for (i = 0; i < n; i++) {
		if ((m->arg == 'S' && a[i].kind != TV_STRING) ||
		    (m->arg == 'T' && a[i].kind != TV_TIME) ||
		    ((m->arg == 'D' || m->arg == 'I') &&
		    a[i].kind != TV_INT))
			return exec_fail(x, "wrong type for value; expected "
			    "%s; got %s", m->arg == 'S' ? "string" :
			    m->arg == 'T' ? "time.Time" : m->arg == 'D' ?
			    "time.Duration" : "int", a[i].kind <= TV_NIL ?
			    "<nil>" : tval_type(&a[i]));
	}
	return 0;
}

static int
ret_str(struct exec *x, const char *s, struct tval *r)
{
	struct buf	b = BUF_INIT;

	buf_adds(&b, s);
	return ret_buf(x, &b, r);
}

static int
time_method(struct exec *x, const struct ttime *t, const char *name,
    struct tval *a, struct tval *r)
{
	struct ttime	u = *t;
	struct tm	tm;
	struct buf	b = BUF_INIT;
	int64_t		d;

	fields(t, &tm);
	switch (name[0]) {
	case 'A':
		if (strcmp(name, "Add") == 0) {
			d = a[0].u.i;
			u.sec += d / 1000000000;
			u.nsec += (int32_t)(d % 1000000000);
			if (u.nsec < 0) {
				u.nsec += 1000000000;
				u.sec--;
			} else if (u.nsec >= 1000000000) {
				u.nsec -= 1000000000;
				u.sec++;
			}
			return time_value(x, &u, r);
		}
		if (strcmp(name, "AddDate") == 0) {
			tm.tm_year += (int)a[0].u.i;
			tm.tm_mon += (int)a[1].u.i;
			tm.tm_mday += (int)a[2].u.i;
			if (t->loc == TLOC_LOCAL) {
				tm.tm_isdst = -1;
				u.sec = (int64_t)mktime(&tm);
			} else
				u.sec = (int64_t)timegm(&tm) - (t->loc ==
				    TLOC_FIXED ? t->off : 0);
			return time_value(x, &u, r);
		}
		return ret_bool(r, t->sec > a[0].u.t->sec ||
		    (t->sec == a[0].u.t->sec && t->nsec > a[0].u.t->nsec));
	case 'B':
		return ret_bool(r, t->sec < a[0].u.t->sec ||
		    (t->sec == a[0].u.t->sec && t->nsec < a[0].u.t->nsec));
	case 'D':
		return ret_int(r, tm.tm_mday, GT_PLAIN);
	case 'E':
		return ret_bool(r, t->sec == a[0].u.t->sec &&
		    t->nsec == a[0].u.t->nsec);
	case 'F':
		if (a[0].u.s.n > 4096)
			return exec_fail(x, "layout too long");
		time_format(&b, t, a[0].u.s.p, a[0].u.s.n);
		return ret_buf(x, &b, r);
	case 'H':
		return ret_int(r, tm.tm_hour, GT_PLAIN);
	case 'I':
		return ret_bool(r, t->sec == -62135596800LL && t->nsec == 0);
	case 'L':
		u.loc = TLOC_LOCAL;
		return time_value(x, &u, r);
	case 'M':
		if (strcmp(name, "Month") == 0)
			return ret_str(x, month_names[tm.tm_mon], r);
		return ret_int(r, tm.tm_min, GT_PLAIN);
	case 'N':
		return ret_int(r, t->nsec, GT_PLAIN);
	case 'S':
		if (strcmp(name, "Second") == 0)
			return ret_int(r, tm.tm_sec, GT_PLAIN);
		if (strcmp(name, "String") == 0) {
			time_string(&b, t);
			return ret_buf(x, &b, r);
		}
		d = (int64_t)((uint64_t)(t->sec - a[0].u.t->sec) *
		    1000000000ULL + (uint64_t)(int64_t)(t->nsec -
		    a[0].u.t->nsec));
		return ret_int(r, d, GT_DURATION);
	case 'U':
		if (strcmp(name, "UTC") == 0) {
			u.loc = TLOC_UTC;
			u.off = 0;
			return time_value(x, &u, r);
		}
		if (strcmp(name, "Unix") == 0)
			return ret_int(r, t->sec, GT_INT64);
		if (strcmp(name, "UnixMilli") == 0)
			return ret_int(r, (int64_t)((uint64_t)t->sec * 1000 +
			    (uint64_t)(t->nsec / 1000000)), GT_INT64);
		return ret_int(r, (int64_t)((uint64_t)t->sec * 1000000000 +
		    (uint64_t)t->nsec), GT_INT64);
	case 'W':
		return ret_str(x, day_names[tm.tm_wday], r);
	default:
		if (strcmp(name, "Year") == 0)
			return ret_int(r, tm.tm_year + 1900, GT_PLAIN);
		return ret_int(r, tm.tm_yday + 1, GT_PLAIN);
	}
}

static int
duration_method(struct exec *x, int64_t d, const char *name, struct tval *r)
{
	struct buf	b = BUF_INIT;

	if (strcmp(name, "Hours") == 0)
		return ret_float(r, (double)d / 3.6e12);
	if (strcmp(name, "Minutes") == 0)
		return ret_float(r, (double)d / 6e10);
	if (strcmp(name, "Seconds") == 0)
		return ret_float(r, (double)d / 1e9);
	if (strcmp(name, "Milliseconds") == 0)
		return ret_int(r, d / 1000000, GT_INT64);
	if (strcmp(name, "Microseconds") == 0)
		return ret_int(r, d / 1000, GT_INT64);
	if (strcmp(name, "Nanoseconds") == 0)
		return ret_int(r, d, GT_INT64);
	duration_string(&b, d);
	return ret_buf(x, &b, r);
}

int
tmpl_method(struct exec *x, const struct tval *recv, const char *name,
    struct tval *a, int n, struct tval *r)
{
	const struct method	*m = NULL;
	static const struct method	cmp = { "Compare", 1, 0 };

	if (recv->kind == TV_TIME)
		m = find(time_methods, nitems(time_methods), name);
	else if (recv->kind == TV_INT && recv->gt == GT_DURATION)
		m = find(duration_methods, nitems(duration_methods), name);
	else if (recv->kind == TV_MAP && recv->gt == GT_SEMVER &&
	    strcmp(name, "Compare") == 0)
		m = &cmp;
	if (m == NULL)
		return 0;
	if (check_args(x, name, m, a, n) < 0)
		return -1;
	memset(r, 0, sizeof *r);
	if (recv->kind == TV_TIME)
		return time_method(x, recv->u.t, name, a, r) < 0 ? -1 : 1;
	if (recv->kind == TV_INT)
		return duration_method(x, recv->u.i, name, r) < 0 ? -1 : 1;
	return semver_compare(x, recv, &a[0], r) < 0 ? -1 : 1;
}

/* 1 when recv has methods at all (a receiver that is not a map). */
int
tmpl_has_methods(const struct tval *recv)
{
	return recv->kind == TV_TIME || (recv->kind == TV_INT &&
	    recv->gt == GT_DURATION) || (recv->kind == TV_MAP &&
	    recv->gt == GT_SEMVER);
}
