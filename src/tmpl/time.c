/* time.c: now, timeAdd and timeFormat, with Go's layouts for printing and
 * parsing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
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
		c->zone = t->loc == TLOC_UTC ? "UTC" : t->zone != NULL ?
		    t->zone : "";
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
	t->zone = NULL;
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

int
time_value(struct exec *x, const struct ttime *t, struct tval *r)
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
	t.zone = NULL;
	return time_value(x, &t, r);
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
	if (n < 2)
		fn_now(x, a, 0, &a[1]);		/* timeAdd D: from now */
	else if (n > 2)
		return exec_fail(x, "wrong number of args for timeAdd: want "
		    "1 or 2 got %d", n);
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
	return time_value(x, &t, r);
}

int
fn_timeformat(struct exec *x, struct tval *a, int n, struct tval *r)
{
	struct ttime	 t, probe;
	struct buf	 b = BUF_INIT;
	struct tval	 swap;
	char		*s;

	/* timeFormat T LAYOUT as well as timeFormat LAYOUT T: the types
	 * tell them apart (a time or a number first, or an RFC 3339 string
	 * before one that is not) */
	if ((a[0].kind != TV_STRING && a[1].kind == TV_STRING) ||
	    (a[0].kind == TV_STRING && a[1].kind == TV_STRING &&
	    time_parse_rfc3339(&probe, a[0].u.s.p, a[0].u.s.n) == 0 &&
	    time_parse_rfc3339(&probe, a[1].u.s.p, a[1].u.s.n) < 0)) {
		swap = a[0];
		a[0] = a[1];
		a[1] = swap;
	}
	if (a[0].kind != TV_STRING)
		return exec_fail(x, "wrong type for value; expected string; "
		    "got %s", a[0].kind <= TV_NIL ? "<nil>" : tval_type(&a[0]));
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

/* Go's lookup: a name of tab at the start of v, case-insensitively. */
static int
lookup(const char *const *tab, int n, size_t len, const char *v, size_t vn,
    size_t *used)
{
	int	i;
	size_t	k;

	for (i = 0; i < n; i++) {
		k = len ? len : strlen(tab[i]);
		if (vn >= k && strncasecmp(v, tab[i], k) == 0) {
			*used = k;
			return i;
		}
	}
	return -1;
}

/* Go's getnum: one or two digits (exactly two when fixed). */
static int
getnum(const char *v, size_t vn, int fixed, size_t *used)
{
	if (vn == 0 || v[0] < '0' || v[0] > '9')
		return -1;
	if (vn < 2 || v[1] < '0' || v[1] > '9') {
		if (fixed)
			return -1;
		*used = 1;
		return v[0] - '0';
	}
	*used = 2;
	return (v[0] - '0') * 10 + v[1] - '0';
}

struct pt {
	int	year, mon, day, yday, hour, min, sec, pm, am, zset, zutc;
	long	nsec;
	int	zoff;
};

/* Offsets: "Z", "+hh", "+hhmm", "+hh:mm", "+hhmmss", "+hh:mm:ss". */
static int
parse_zone(int std, const char *v, size_t vn, struct pt *p, size_t *used)
{
	int	h, m = 0, s = 0, colon, sec, k = 3;

	if ((std >= S_ISO && std <= S_ISOCOLONSEC) && vn > 0 && v[0] == 'Z') {
		*used = 1;
		p->zset = p->zutc = 1;
		return 0;
	}
	colon = std == S_ISOCOLON || std == S_NUMCOLON ||
	    std == S_ISOCOLONSEC || std == S_NUMCOLONSEC;
	sec = std == S_ISOSEC || std == S_NUMSEC || std == S_ISOCOLONSEC ||
	    std == S_NUMCOLONSEC;
	if (vn < 3 || (v[0] != '+' && v[0] != '-') ||
	    digits(v, vn, 1, 2, &h) < 0)
		return -1;
	if (std != S_ISOSHORT && std != S_NUMSHORT) {
		if ((colon && (vn < 6 || v[3] != ':')) ||
		    digits(v, vn, (size_t)k + colon, 2, &m) < 0)
			return -1;
		k += 2 + colon;
		if (sec) {
			if ((colon && (vn < (size_t)k + 3 || v[k] != ':')) ||
			    digits(v, vn, (size_t)k + colon, 2, &s) < 0)
				return -1;
			k += 2 + colon;
		}
	}
	if (h > 24 || m > 60 || s > 60)
		return -1;
	p->zset = 1;
	p->zoff = (h * 3600 + m * 60 + s) * (v[0] == '-' ? -1 : 1);
	*used = (size_t)k;
	return 0;
}

/* One std chunk of the layout read from v; -1 when it does not match. */
static int
parse_std(int std, int ndig, const char *v, size_t vn, struct pt *p,
    size_t *used)
{
	int	k;
	size_t	i;

	*used = 0;
	switch (std) {
	case S_YEAR:
		if (digits(v, vn, 0, 2, &k) < 0)
			return -1;
		p->year = k >= 69 ? 1900 + k : 2000 + k;
		return *used = 2, 0;
	case S_LONGYEAR:
		if (digits(v, vn, 0, 4, &p->year) < 0)
			return -1;
		return *used = 4, 0;
	case S_MONTH: case S_LONGMONTH:
		p->mon = lookup(months, 12, std == S_MONTH ? 3 : 0, v, vn, used)
		    + 1;
		return p->mon > 0 ? 0 : -1;
	case S_WEEKDAY: case S_LONGWEEKDAY:
		return lookup(days, 7, std == S_WEEKDAY ? 3 : 0, v, vn, used) <
		    0 ? -1 : 0;
	case S_NUMMONTH: case S_ZEROMONTH:
		p->mon = getnum(v, vn, std == S_ZEROMONTH, used);
		return p->mon < 1 || p->mon > 12 ? -1 : 0;
	case S_DAY: case S_UNDERDAY: case S_ZERODAY:
		i = std == S_UNDERDAY && vn > 0 && v[0] == ' ';
		p->day = getnum(v + i, vn - i, std == S_ZERODAY, used);
		*used += i;
		return p->day < 0 ? -1 : 0;
	case S_UNDERYEARDAY: case S_ZEROYEARDAY:
		for (i = 0; std == S_UNDERYEARDAY && i < 2 && i < vn &&
		    v[i] == ' '; i++)
			;
		if (digits(v, vn, i, 3 - i, &p->yday) < 0 || p->yday < 1 ||
		    p->yday > 366)
			return -1;
		return *used = 3, 0;
	case S_HOUR: case S_HOUR12: case S_ZEROHOUR12:
		p->hour = getnum(v, vn, std == S_ZEROHOUR12, used);
		return p->hour < 0 || p->hour > (std == S_HOUR ? 23 : 12) ?
		    -1 : 0;
	case S_MINUTE: case S_ZEROMINUTE:
		p->min = getnum(v, vn, std == S_ZEROMINUTE, used);
		return p->min < 0 || p->min > 59 ? -1 : 0;
	case S_SECOND: case S_ZEROSECOND:
		p->sec = getnum(v, vn, std == S_ZEROSECOND, used);
		return p->sec < 0 || p->sec > 59 ? -1 : 0;
	case S_PM: case S_pm:
		if (vn < 2)
			return -1;
		*used = 2;
		if (strncasecmp(v, "PM", 2) == 0 && (std == S_PM ?
		    v[0] == 'P' : v[0] == 'p'))
			p->pm = 1;
		else if (strncasecmp(v, "AM", 2) == 0 && (std == S_PM ?
		    v[0] == 'A' : v[0] == 'a'))
			p->am = 1;
		else
			return -1;
		return 0;
	case S_TZ:
		for (i = 0; i < vn && v[i] >= 'A' && v[i] <= 'Z'; i++)
			;
		if (i < 3)
			return -1;
		p->zset = 1;
		p->zutc = 1;
		return *used = i, 0;
	case S_FRAC0: case S_FRAC9:
		if (vn < 1 || (v[0] != '.' && v[0] != ','))
			return std == S_FRAC9 ? 0 : -1;
		for (i = 1; i < vn && v[i] >= '0' && v[i] <= '9'; i++)
			if (i <= 9)
				p->nsec = p->nsec * 10 + (v[i] - '0');
		if (std == S_FRAC0 && (int)i - 1 != ndig)
			return -1;
		for (k = (int)i - 1; k < 9; k++)
			p->nsec *= 10;
		return *used = i, 0;
	default:
		return parse_zone(std, v, vn, p, used);
	}
}

/* Go's skip: the layout's literal text; a space matches any run of them. */
static int
skip(const char *l, size_t ln, const char *v, size_t vn, size_t *used)
{
	size_t	i = 0, j = 0;

	while (i < ln) {
		if (l[i] == ' ') {
			if (j < vn && v[j] != ' ')
				return -1;
			while (i < ln && l[i] == ' ')
				i++;
			while (j < vn && v[j] == ' ')
				j++;
			continue;
		}
		if (j >= vn || v[j] != l[i])
			return -1;
		i++;
		j++;
	}
	*used = j;
	return 0;
}

/* time.ParseInLocation(layout, value, time.Local); 0 or -1. */
int
time_parse_layout(struct ttime *t, const char *l, size_t ln, const char *v,
    size_t vn)
{
	static const int	mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30,
	    31, 30, 31 };
	struct pt	p = { 0, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
	struct tm	tm;
	size_t		i = 0, start = 0, len = 0, used, vi = 0;
	int		std, ndig = 0, leap;

	for (;;) {
		std = S_NONE;
		for (i = start; i < ln; i++)
			if ((std = std_at(l, ln, i, &len, &ndig)) != S_NONE)
				break;
		if (skip(l + start, i - start, v + vi, vn - vi, &used) < 0)
			return -1;
		vi += used;
		if (std == S_NONE)
			break;
		if (parse_std(std, ndig, v + vi, vn - vi, &p, &used) < 0)
			return -1;
		vi += used;
		start = i + len;
		/* seconds may carry a fraction the layout does not show */
		if ((std == S_SECOND || std == S_ZEROSECOND) && vi + 1 < vn &&
		    (v[vi] == '.' || v[vi] == ',') && v[vi + 1] >= '0' &&
		    v[vi + 1] <= '9' && (start >= ln || (std_at(l, ln, start,
		    &len, &ndig) != S_FRAC0 && std_at(l, ln, start, &len,
		    &ndig) != S_FRAC9))) {
			parse_std(S_FRAC9, 0, v + vi, vn - vi, &p, &used);
			vi += used;
		}
	}
	if (vi != vn)
		return -1;
	if (p.pm && p.hour < 12)
		p.hour += 12;
	else if (p.am && p.hour == 12)
		p.hour = 0;
	leap = p.year % 4 == 0 && (p.year % 100 != 0 || p.year % 400 == 0);
	if (p.yday >= 0) {
		for (p.mon = 1; p.mon < 12 && p.yday > mdays[p.mon - 1] +
		    (p.mon == 2 && leap); p.mon++)
			p.yday -= mdays[p.mon - 1] + (p.mon == 2 && leap);
		p.day = p.yday;
	}
	if (p.mon < 0)
		p.mon = 1;
	if (p.day < 0)
		p.day = 1;
	if (p.day < 1 || p.day > mdays[p.mon - 1] + (p.mon == 2 && leap))
		return -1;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = p.year - 1900;
	tm.tm_mon = p.mon - 1;
	tm.tm_mday = p.day;
	tm.tm_hour = p.hour;
	tm.tm_min = p.min;
	tm.tm_sec = p.sec;
	memset(t, 0, sizeof *t);
	t->nsec = (int32_t)p.nsec;
	if (p.zset) {
		t->sec = (int64_t)timegm(&tm) - p.zoff;
		t->loc = p.zutc && p.zoff == 0 ? TLOC_UTC : TLOC_FIXED;
		t->off = p.zoff;
		return 0;
	}
	tm.tm_isdst = -1;
	t->sec = (int64_t)mktime(&tm);
	t->loc = TLOC_LOCAL;
	return 0;
}
