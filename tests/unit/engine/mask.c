/* mask.c: tests of secret masking: by structure, and of free text. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "def/model.h"
#include "engine/mask.h"
#include "base/util.h"
#include "base/value.h"

static struct arg	args[] = {
	{ .name = "password", .secret = true },
	{ .name = "keep" },
};
static const struct schema	sch = { args, 2 };

static struct json_object *
parse(const char *s)
{
	return json_tokener_parse(s);
}

static const char *
text(struct json_object *o)
{
	return json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE);
}

START_TEST(args_by_structure)
{
	struct json_object	*in, *m;

	in = parse("{\"password\":\"e\",\"keep\":\"e\"}");
	m = mask_args(&sch, in);

	/* The secret's value, and nothing else, whatever its length. */
	ck_assert_str_eq(text(m), "{\"password\":\"***\",\"keep\":\"e\"}");
	json_object_put(m);
	json_object_put(in);
}
END_TEST

START_TEST(short_secrets_leave_text_alone)
{
	struct mask	*m = mask_new();
	char		*s;

	mask_add(m, "e", 1);
	mask_add(m, "abc", 3);
	ck_assert(mask_empty(m));
	s = mask_str(m, "started: completed, abc");
	ck_assert_str_eq(s, "started: completed, abc");
	free(s);
	mask_free(m);
}
END_TEST

START_TEST(text_is_masked_with_its_encodings)
{
	struct mask	*m = mask_new();
	char		*s;

	mask_add(m, "s3cr3t/+", 8);
	ck_assert(!mask_empty(m));
	/* plain, URL-encoded, base64 (its stable part: "s=" may vary) */
	s = mask_str(m, "a s3cr3t/+ b s3cr3t%2F%2B c czNjcjN0Lys= d");
	ck_assert_str_eq(s, "a *** b *** c ***s= d");
	free(s);
	mask_free(m);
}
END_TEST

START_TEST(json_keys_are_names)
{
	struct mask		*m = mask_new();
	struct json_object	*v = parse("{\"steps\":\"steps and more\","
				    "\"Steps\":[\"steps\",1]}");
	struct json_object	*r;

	mask_add(m, "steps", 5);
	r = mask_json(m, v);
	/* Keys stay, so no two can become one; values are free text. */
	ck_assert_str_eq(text(r),
	    "{\"steps\":\"*** and more\",\"Steps\":[\"***\",1]}");
	json_object_put(r);
	json_object_put(v);
	mask_free(m);
}
END_TEST

static int	nshort;

static void
count_short(const char *name)
{
	ck_assert_str_eq(name, "password");
	nshort++;
}

START_TEST(short_secrets_are_named)
{
	struct json_object	*in;

	in = parse("{\"password\":\"pin\",\"keep\":\"x\"}");
	nshort = 0;
	mask_short_secrets(&sch, in, count_short);
	ck_assert_int_eq(nshort, 1);
	json_object_put(in);
	in = parse("{\"password\":\"long-enough\",\"keep\":\"x\"}");
	mask_short_secrets(&sch, in, count_short);
	ck_assert_int_eq(nshort, 1);
	json_object_put(in);
}
END_TEST

START_TEST(streams_hold_back_a_secret_cut_in_two)
{
	struct mask		*m = mask_new();
	struct mask_stream	 ms = MASK_STREAM_INIT;
	struct buf		 out = BUF_INIT;

	mask_add(m, "hunter22", 8);
	mask_stream(m, &ms, "x hun", 5, 0, &out);
	mask_stream(m, &ms, "ter22 y", 7, 1, &out);
	ck_assert_str_eq(buf_str(&out), "x *** y");
	buf_release(&out);
	mask_stream_release(&ms);
	mask_free(m);
}
END_TEST

Suite *mask_suite(void);

Suite *
mask_suite(void)
{
	Suite	*s = suite_create("mask");
	TCase	*tc = tcase_create("mask");

	tcase_add_test(tc, args_by_structure);
	tcase_add_test(tc, short_secrets_leave_text_alone);
	tcase_add_test(tc, text_is_masked_with_its_encodings);
	tcase_add_test(tc, json_keys_are_names);
	tcase_add_test(tc, short_secrets_are_named);
	tcase_add_test(tc, streams_hold_back_a_secret_cut_in_two);
	suite_add_tcase(s, tc);
	return s;
}
