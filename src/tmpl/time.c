/* tmpl-time.c: now, timeAdd and timeFormat, with Go's layouts and printing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tmpl/int.h"

enum {
	S_NONE, S_LONGMONTH, S_MONTH, S_NUMMONTH, S_ZEROMONTH, S_LONGWEEKDAY,
	S_WEEKDAY, S_DAY, S_UNDERDAY, S_ZERODAY, S_UNDERYEARDAY,
	S_ZEROYEARDAY, S_HOUR, S_HOUR12, S_ZEROHOUR12, S_MINUTE,
	S_ZEROMINUTE, S_SECOND, S_ZEROSECOND, S_LONGYEAR, S_YEAR, S_PM,
	S_pm, S_TZ, S_ISO, S_ISOCOLON, S_ISOSEC, S_ISOSHORT, S_ISOCOLONSEC,
	S_NUM, S_NUMCOLON, S_NUMSEC, S_NUMSHORT, S_NUMCOLONSEC, S_FRAC0,
	S_FRAC9
};

static const struct {
	const char	*text;
	int		 std;
} tzstd[] = {
	{ "Z070000", S_ISOSEC }, { "Z07:00:00", S_ISOCOLONSEC },
	{ "Z0700", S_ISO }, { "Z07:00", S_ISOCOLON }, { "Z07", S_ISOSHORT },
	{ "-070000", S_NUMSEC }, { "-07:00:00", S_NUMCOLONSEC },
	{ "-0700", S_NUM }, { "-07:00", S_NUMCOLON }, { "-07", S_NUMSHORT },
};

static const char	*months[] = { "January", "February", "March",
    "April", "May", "June", "July", "August", "September", "October",
    "November", "December" };
static const char	*days[] = { "Sunday", "Monday", "Tuesday",
    "Wednesday", "Thursday", "Friday", "Saturday" };

static int
has(const char *l, size_t n, size_t i, const char *s)
{
	size_t	k = strlen(s);

	return n - i >= k && memcmp(l + i, s, k) == 0;
}

static int
lower_at(const char *l, size_t n, size_t i)
{
	return i < n && l[i] >= 'a' && l[i] <= 'z';
}

/* Go's nextStdChunk at i: the std code, its length in *len. */
static int
std_at(const char *l, size_t n, size_t i, size_t *len, int *digits)
{
	size_t	k, j;

	switch (l[i]) {
	case 'J':
		if (has(l, n, i, "January"))
			return *len = 7, S_LONGMONTH;
		if (has(l, n, i, "Jan") && !lower_at(l, n, i + 3))
			return *len = 3, S_MONTH;
		break;
	case 'M':
		if (has(l, n, i, "Monday"))
			return *len = 6, S_LONGWEEKDAY;
		if (has(l, n, i, "Mon") && !lower_at(l, n, i + 3))
			return *len = 3, S_WEEKDAY;
		if (has(l, n, i, "MST"))
			return *len = 3, S_TZ;
		break;
	case '0':
		if (i + 1 < n && l[i + 1] >= '1' && l[i + 1] <= '6') {
			static const int	z[] = { S_ZEROMONTH, S_ZERODAY,
			    S_ZEROHOUR12, S_ZEROMINUTE, S_ZEROSECOND, S_YEAR };

			return *len = 2, z[l[i + 1] - '1'];
		}
		if (has(l, n, i, "002"))
			return *len = 3, S_ZEROYEARDAY;
		break;
	case '1':
		if (has(l, n, i, "15"))
			return *len = 2, S_HOUR;
		return *len = 1, S_NUMMONTH;
	case '2':
		if (has(l, n, i, "2006"))
			return *len = 4, S_LONGYEAR;
		return *len = 1, S_DAY;
	case '_':
		if (has(l, n, i, "_2") && !has(l, n, i, "_2006"))
			return *len = 2, S_UNDERDAY;
		if (has(l, n, i, "__2"))
			return *len = 3, S_UNDERYEARDAY;
		break;
	case '3': return *len = 1, S_HOUR12;
	case '4': return *len = 1, S_MINUTE;
	case '5': return *len = 1, S_SECOND;
	case 'P':
		if (has(l, n, i, "PM"))
			return *len = 2, S_PM;
		break;
	case 'p':
		if (has(l, n, i, "pm"))
			return *len = 2, S_pm;
		break;
	case '-': case 'Z':
		for (k = 0; k < nitems(tzstd); k++)
			if (has(l, n, i, tzstd[k].text))
				return *len = strlen(tzstd[k].text),
				    tzstd[k].std;
		break;
	case '.': case ',':
		if (i + 1 < n && (l[i + 1] == '0' || l[i + 1] == '9')) {
			for (j = i + 1; j < n && l[j] == l[i + 1]; j++)
				;
			if (j >= n || l[j] < '0' || l[j] > '9') {
				*digits = (int)(j - i - 1);
				*len = j - i;
				return l[i + 1] == '0' ? S_FRAC0 : S_FRAC9;
			}
		}
		break;
	}
	return S_NONE;
}

struct civil {
	struct tm	 tm;
	int		 off;
	const char	*zone;
	long		 nsec;
};

static void
civil(const struct ttime *t, struct civil *c)
{
	time_t		s = (time_t)t->sec;
	struct tm	lt;

	c->nsec = t->nsec;
	if (t->loc == TLOC_LOCAL && localtime_r(&s, &lt) != NULL) {
		c->off = (int)lt.tm_gmtoff;
		c->zone = lt.tm_zone;
	} else {
		c->off = t->loc == TLOC_FIXED ? t->off : 0;
		c->zone = t->loc == TLOC_UTC ? "UTC" : "";
	}
	s += c->off;
	if (gmtime_r(&s, &c->tm) == NULL) {
		/* cannot happen within the years to_time() allows */
		memset(&c->tm, 0, sizeof c->tm);
		c->tm.tm_mday = 1;
	}
}

static void
fmt_zone(struct buf *b, int std, int off)
{
	int	z, abs;

	if (off == 0 && std >= S_ISO && std <= S_ISOCOLONSEC) {
		buf_addc(b, 'Z');
		return;
	}
	abs = off < 0 ? -off : off;
	z = abs / 60;
	buf_printf(b, "%c%02d", off < 0 ? '-' : '+', z / 60);
	if (std == S_ISOCOLON || std == S_NUMCOLON || std == S_ISOCOLONSEC ||
	    std == S_NUMCOLONSEC)
		buf_addc(b, ':');
	if (std != S_NUMSHORT && std != S_ISOSHORT)
		buf_printf(b, "%02d", z % 60);
	if (std == S_ISOSEC || std == S_NUMSEC || std == S_NUMCOLONSEC ||
	    std == S_ISOCOLONSEC) {
		if (std == S_NUMCOLONSEC || std == S_ISOCOLONSEC)
			buf_addc(b, ':');
		buf_printf(b, "%02d", abs % 60);
	}
}

static void
fmt_frac(struct buf *b, char sep, long nsec, int digits, int trim)
{
	char	d[16];
	int	n = digits > 9 ? 9 : digits;

	snprintf(d, sizeof d, "%09ld", nsec);
	if (trim)
		while (n > 0 && d[n - 1] == '0')
			n--;
	if (n == 0)
		return;
	buf_addc(b, sep);
	buf_add(b, d, (size_t)n);
}

static void
fmt_std(struct buf *b, int std, const struct civil *c, char sep, int digits)
{
	const struct tm	*tm = &c->tm;
	long		 y = (long)tm->tm_year + 1900;
	int		 h12 = tm->tm_hour % 12 ? tm->tm_hour % 12 : 12;

	switch (std) {
	case S_LONGMONTH: buf_adds(b, months[tm->tm_mon]); break;
	case S_MONTH: buf_printf(b, "%.3s", months[tm->tm_mon]); break;
	case S_NUMMONTH: buf_printf(b, "%d", tm->tm_mon + 1); break;
	case S_ZEROMONTH: buf_printf(b, "%02d", tm->tm_mon + 1); break;
	case S_LONGWEEKDAY: buf_adds(b, days[tm->tm_wday]); break;
	case S_WEEKDAY: buf_printf(b, "%.3s", days[tm->tm_wday]); break;
	case S_DAY: buf_printf(b, "%d", tm->tm_mday); break;
	case S_UNDERDAY: buf_printf(b, "%2d", tm->tm_mday); break;
	case S_ZERODAY: buf_printf(b, "%02d", tm->tm_mday); break;
	case S_UNDERYEARDAY: buf_printf(b, "%3d", tm->tm_yday + 1); break;
	case S_ZEROYEARDAY: buf_printf(b, "%03d", tm->tm_yday + 1); break;
	case S_HOUR: buf_printf(b, "%02d", tm->tm_hour); break;
	case S_HOUR12: buf_printf(b, "%d", h12); break;
	case S_ZEROHOUR12: buf_printf(b, "%02d", h12); break;
	case S_MINUTE: buf_printf(b, "%d", tm->tm_min); break;
	case S_ZEROMINUTE: buf_printf(b, "%02d", tm->tm_min); break;
	case S_SECOND: buf_printf(b, "%d", tm->tm_sec); break;
	case S_ZEROSECOND: buf_printf(b, "%02d", tm->tm_sec); break;
	case S_LONGYEAR:
		buf_printf(b, y < 0 ? "-%04ld" : "%04ld", y < 0 ? -y : y);
		break;
	case S_YEAR: buf_printf(b, "%02ld", (y % 100 + 100) % 100); break;
	case S_PM: buf_adds(b, tm->tm_hour >= 12 ? "PM" : "AM"); break;
	case S_pm: buf_adds(b, tm->tm_hour >= 12 ? "pm" : "am"); break;
	case S_TZ:
		if (c->zone != NULL && *c->zone != '\0')
			buf_adds(b, c->zone);
		else
			fmt_zone(b, S_NUM, c->off);
		break;
	case S_FRAC0: case S_FRAC9:
		fmt_frac(b, sep, c->nsec, digits, std == S_FRAC9);
		break;
	default:
		fmt_zone(b, std, c->off);
	}
}

void
time_format(struct buf *b, const struct ttime *t, const char *l, size_t n)
{
	struct civil	c;
	size_t		i = 0, start = 0, len = 0;
	int		std, digits = 0;

	civil(t, &c);
	while (i < n) {
		std = std_at(l, n, i, &len, &digits);
		if (std == S_NONE) {
			i++;
			continue;
		}
		buf_add(b, l + start, i - start);
		fmt_std(b, std, &c, l[i], digits);
		i += len;
		start = i;
	}
	buf_add(b, l + start, n - start);
}

void
time_string(struct buf *b, const struct ttime *t)
{
	static const char	l[] = "2006-01-02 15:04:05.999999999 -0700 MST";

	time_format(b, t, l, sizeof l - 1);
}

static int
digits(const char *s, size_t n, size_t at, size_t k, int *out)
{
	size_t	i;

	if (at + k > n)
		return -1;
	for (*out = 0, i = 0; i < k; i++) {
		if (s[at + i] < '0' || s[at + i] > '9')
			return -1;
		*out = *out * 10 + (s[at + i] - '0');
	}
	return 0;
}

int
time_parse_rfc3339(struct ttime *t, const char *s, size_t n)
{
	static const int	mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30,
	    31, 30, 31 };
	struct tm		 tm;
	int			 y, mo, d, h, mi, sec, oh, om, k;
	size_t			 i = 19;
	long			 ns = 0, scale = 100000000;
	time_t			 u;

	if (digits(s, n, 0, 4, &y) || n < 20 || s[4] != '-' ||
	    digits(s, n, 5, 2, &mo) || s[7] != '-' || digits(s, n, 8, 2, &d) ||
	    (s[10] != 'T' && s[10] != 't') || digits(s, n, 11, 2, &h) ||
	    s[13] != ':' || digits(s, n, 14, 2, &mi) || s[16] != ':' ||
	    digits(s, n, 17, 2, &sec))
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h > 23 ||
	    mi > 59 || sec > 59 || (mo == 2 && d == 29 && (y % 4 != 0 ||
	    (y % 100 == 0 && y % 400 != 0))))
		return -1;
	if (s[i] == '.' || s[i] == ',') {
		for (i++, k = 0; i < n && s[i] >= '0' && s[i] <= '9'; i++, k++)
			if (k < 9) {
				ns += (s[i] - '0') * scale;
				scale /= 10;
			}
		if (k == 0)
			return -1;
	}
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	u = timegm(&tm);
	t->sec = (int64_t)u;
	t->nsec = (int32_t)ns;
	if (i + 1 == n && (s[i] == 'Z' || s[i] == 'z')) {
		t->loc = TLOC_UTC;
		t->off = 0;
		return 0;
	}
	if (i + 6 != n || (s[i] != '+' && s[i] != '-') ||
	    digits(s, n, i + 1, 2, &oh) || s[i + 3] != ':' ||
	    digits(s, n, i + 4, 2, &om) || oh > 23 || om > 59)
		return -1;
	t->off = (oh * 3600 + om * 60) * (s[i] == '-' ? -1 : 1);
	t->sec -= t->off;
	t->loc = TLOC_FIXED;
	{
		struct tm	lt;
		time_t		ts = (time_t)t->sec;

		if (localtime_r(&ts, &lt) != NULL && lt.tm_gmtoff == t->off)
			t->loc = TLOC_LOCAL;
	}
	return 0;
}

/* Times run from year 1 to year 9999, as RFC 3339 can write them. */
#define TIME_MIN	(-62135596800LL)
#define TIME_MAX	253402300799LL

static int
in_range(struct exec *x, int64_t sec)
{
	if (sec < TIME_MIN || sec > TIME_MAX)
		return exec_fail(x, "time out of range (years 1 to 9999)");
	return 0;
}

/* A time from a time value, an RFC 3339 string or Unix seconds. */
static int
to_time(struct exec *x, const struct tval *v, struct ttime *t)
{
	memset(t, 0, sizeof *t);
	switch (v->kind) {
	case TV_TIME:
		*t = *v->u.t;
		return 0;
	case TV_STRING:
		if (time_parse_rfc3339(t, v->u.s.p, v->u.s.n) == 0)
			return 0;
		return exec_fail(x, "cannot parse \"%.*s\" as an RFC 3339 time",
		    (int)(v->u.s.n > 64 ? 64 : v->u.s.n), v->u.s.p);
	case TV_INT:
		t->sec = v->u.i;
		t->loc = TLOC_LOCAL;
		return in_range(x, t->sec);
	default:
		return exec_fail(x, "expected a time, an RFC 3339 string or "
		    "Unix seconds; got %s", tval_type(v));
	}
}

static int
set_time(struct exec *x, const struct ttime *t, struct tval *r)
{
	struct ttime	*p = exec_alloc(x, sizeof *p);

	if (p == NULL)
		return -1;
	*p = *t;
	r->kind = TV_TIME;
	r->u.t = p;
	return 0;
}

int
fn_now(struct exec *x, struct tval *a, int n, struct tval *r)
{
	struct timespec	ts;
	struct ttime	t;

	clock_gettime(CLOCK_REALTIME, &ts);
	t.sec = ts.tv_sec;
	t.nsec = (int32_t)ts.tv_nsec;
	t.off = 0;
	t.loc = TLOC_LOCAL;
	return set_time(x, &t, r);
}

int
fn_timeadd(struct exec *x, struct tval *a, int n, struct tval *r)
{
	struct ttime	 t;
	const char	*why, *d;
	char		*s;
	int64_t		 ns;
	int		 neg = 0;

	if ((s = exec_strdup(x, a[0].u.s.p, a[0].u.s.n)) == NULL)
		return -1;
	d = s;
	if (*d == '-' || *d == '+')
		neg = *d++ == '-';
	if (strlen(d) != a[0].u.s.n - (size_t)(d - s) ||
	    duration_parse(d, &ns, &why) < 0)
		return exec_fail(x, "bad duration \"%s\": %s", s,
		    strlen(d) != a[0].u.s.n - (size_t)(d - s) ? "NUL byte" :
		    why);
	if (to_time(x, &a[1], &t) < 0)
		return -1;
	if (neg)
		ns = -ns;
	t.sec += ns / 1000000000;
	t.nsec += (int32_t)(ns % 1000000000);
	if (t.nsec < 0) {
		t.nsec += 1000000000;
		t.sec--;
	} else if (t.nsec >= 1000000000) {
		t.nsec -= 1000000000;
		t.sec++;
	}
	if (in_range(x, t.sec) < 0)
		return -1;
	return set_time(x, &t, r);
}

int
fn_timeformat(struct exec *x, struct tval *a, int n, struct tval *r)
{
	struct ttime	 t;
	struct buf	 b = BUF_INIT;
	char		*s;

	if (to_time(x, &a[1], &t) < 0)
		return -1;
	if (a[0].u.s.n > 4096)
		return exec_fail(x, "layout too long");
	time_format(&b, &t, a[0].u.s.p, a[0].u.s.n);
	s = exec_strdup(x, buf_str(&b), b.len);
	tval_str(r, s, b.len);
	buf_release(&b);
	return s != NULL ? 0 : -1;
}
