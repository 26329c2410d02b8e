/* util.c: tests of buffers, durations, suggestions and UTF-8 checks. */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "base/util.h"

START_TEST(buf_grows)
{
	struct buf	b = BUF_INIT;
	int		i;

	ck_assert_str_eq(buf_str(&b), "");
	for (i = 0; i < 1000; i++)
		buf_printf(&b, "%d,", i % 10);
	ck_assert_uint_eq(b.len, 2000);
	ck_assert_int_eq(b.s[b.len], '\0');
	buf_truncate(&b, 4);
	ck_assert_str_eq(buf_str(&b), "0,1,");
	buf_release(&b);
	ck_assert_ptr_null(b.s);
}
END_TEST

static const struct {
	const char	*in;
	int64_t		 ns;
} good[] = {
	{ "0", 0 }, { "1s", 1000000000 }, { "500ms", 500000000 },
	{ "1h30m", 5400 * (int64_t)1000000000 }, { "1.5s", 1500000000 },
	{ "2m3.5s", 123500000000 }, { "10us", 10000 }, { "7ns", 7 },
	{ "1\xc2\xb5s", 1000 }, { ".5s", 500000000 },
};

START_TEST(durations_parse)
{
	int64_t		 ns;
	const char	*why;

	ck_assert_int_eq(duration_parse(good[_i].in, &ns, &why), 0);
	ck_assert_int_eq(ns, good[_i].ns);
}
END_TEST

static const char *const bad[] = {
	"", "5", "1x", "-1s", "s", "1.5", "1h 2m", "1e3s",
};

START_TEST(durations_reject)
{
	int64_t		 ns;
	const char	*why = NULL;

	ck_assert_int_eq(duration_parse(bad[_i], &ns, &why), -1);
	ck_assert_ptr_nonnull(why);
}
END_TEST

START_TEST(durations_format)
{
	struct buf	b = BUF_INIT;

	duration_format(&b, 5400 * (int64_t)1000000000);
	ck_assert_str_eq(buf_str(&b), "1h30m0s");
	buf_truncate(&b, 0);
	duration_format(&b, 1500000000);
	ck_assert_str_eq(buf_str(&b), "1.5s");
	buf_truncate(&b, 0);
	duration_format(&b, 250000000);
	ck_assert_str_eq(buf_str(&b), "250ms");
	buf_release(&b);
}
END_TEST

START_TEST(suggestions)
{
	const char *const	c[] = { "steps", "args", "description",
				    "dependsOn" };

	ck_assert_str_eq(suggest("stpes", c, 4), "steps");
	ck_assert_str_eq(suggest("depends_on", c, 4), "dependsOn");
	ck_assert_str_eq(suggest("descriptoin", c, 4), "description");
	ck_assert_ptr_null(suggest("zzz", c, 4));
	ck_assert_uint_eq(edit_distance("kitten", "sitting", 5), 3);
	ck_assert_uint_eq(edit_distance("a", "abcdef", 2), 3);
}
END_TEST

START_TEST(utf8)
{
	size_t	bad_at = 0;

	ck_assert(utf8_valid("h\xc3\xa9llo", 6, &bad_at));
	ck_assert(utf8_valid("\xf0\x9f\x98\x80", 4, &bad_at));
	ck_assert(!utf8_valid("ab\xff", 3, &bad_at));
	ck_assert_uint_eq(bad_at, 2);
	ck_assert(!utf8_valid("a\xc3", 2, &bad_at));
	ck_assert_uint_eq(bad_at, 1);
	ck_assert(!utf8_valid("\xc0\x80", 2, &bad_at));	/* overlong */
	ck_assert(!utf8_valid("\xed\xa0\x80", 3, &bad_at));	/* surrogate */
}
END_TEST

Suite *util_suite(void);

Suite *
util_suite(void)
{
	Suite	*s = suite_create("util");
	TCase	*tc = tcase_create("util");

	tcase_add_test(tc, buf_grows);
	tcase_add_loop_test(tc, durations_parse, 0, nitems(good));
	tcase_add_loop_test(tc, durations_reject, 0, nitems(bad));
	tcase_add_test(tc, durations_format);
	tcase_add_test(tc, suggestions);
	tcase_add_test(tc, utf8);
	suite_add_tcase(s, tc);
	return s;
}
