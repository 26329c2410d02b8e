/* schema.c: tests of argument schemas and of --arg / --args-file input. */
#include <check.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "def/args.h"
#include "def/load.h"
#include "def/schema.h"
#include "base/value.h"

static const char	schema_yaml[] =
    "env: {type: string, required: true, enum: [dev, staging, prod]}\n"
    "replicas: {type: integer, default: 3, validation: {min: 1, max: 10}}\n"
    "version: {type: string, default: latest, validation: "
    "{pattern: '^[a-z0-9.-]+$', maxLength: 10}}\n"
    "ratio: {type: number}\n"
    "debug: {type: boolean, default: false}\n"
    "flags: {type: array, validation: {minLength: 1}}\n"
    "extra: {type: object}\n"
    "token: {type: string, secret: true}\n";

static struct arena	 ar;
static struct schema	 sch;
static struct buf	 errs;

static void
collect(const char *line, size_t len, void *arg)
{
	buf_add(&errs, line, len);
	(void)arg;
}

static void
setup(void)
{
	struct loader	 ld = { .a = &ar, .file = "s.yaml" };
	struct ydoc	*docs;
	size_t		 n;

	ck_assert_int_eq(ynode_load_buf(&ar, NULL, "s.yaml", schema_yaml,
	    strlen(schema_yaml), &docs, &n), 0);
	ld.text = schema_yaml;
	ld.textlen = strlen(schema_yaml);
	ck_assert_int_eq(load_schema(&ld, docs[0].root, &sch), 0);
	error_set_sink(collect, NULL);
}

static void
teardown(void)
{
	error_set_sink(NULL, NULL);
	arena_release(&ar);
	buf_release(&errs);
	memset(&sch, 0, sizeof sch);
}

/* Runs args_input on NULL-terminated --arg strings; returns the result. */
static struct json_object *
input(const char *file, ...)
{
	struct args		 a = ARGS_INIT;
	struct json_object	*out = NULL;
	va_list			 ap;
	const char		*kv;

	a.file = file;
	va_start(ap, file);
	while ((kv = va_arg(ap, const char *)) != NULL)
		args_add(&a, kv);
	va_end(ap);
	buf_truncate(&errs, 0);
	if (args_input(&a, &sch, &out) < 0)
		out = NULL;
	args_release(&a);
	return out;
}

static const char *
str(struct json_object *o)
{
	return json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
}

START_TEST(converts_and_defaults)
{
	struct json_object	*o = input(NULL, "env=prod", "replicas=5",
				    "ratio=0.5", "flags=[1,2]",
				    "extra={\"a\":{\"b\":null}}", "debug=true",
				    NULL);

	ck_assert_ptr_nonnull(o);
	ck_assert_str_eq(str(o), "{\"env\":\"prod\",\"replicas\":5,"
	    "\"ratio\":0.5,\"flags\":[1,2],\"extra\":{\"a\":{\"b\":null}},"
	    "\"debug\":true,\"version\":\"latest\"}");
	json_object_put(o);
	o = input(NULL, "env=dev", "ratio=3", NULL);
	ck_assert_int_eq(json_object_get_type(json_object_object_get(o,
	    "ratio")), json_type_int);
	json_object_put(o);
}
END_TEST

static const struct {
	const char	*kv, *err;
} bad[] = {
	{ "replicas=three", "muster: argument 'replicas' must be an integer, "
	    "not 'three'\n" },
	{ "replicas=11", "muster: argument 'replicas' must be at most 10\n" },
	{ "replicas=0", "muster: argument 'replicas' must be at least 1\n" },
	{ "replicas=1.5", "muster: argument 'replicas' must be an integer, "
	    "not '1.5'\n" },
	{ "env=qa", "muster: argument 'env' must be one of \"dev\", "
	    "\"staging\", \"prod\"\n" },
	{ "version=V1", "muster: argument 'version' must match the pattern "
	    "'^[a-z0-9.-]+$'\n" },
	{ "version=0123456789a", "muster: argument 'version' must have at "
	    "most 10 characters\n" },
	{ "debug=yes", "muster: argument 'debug' must be true or false, not "
	    "'yes'\n" },
	{ "flags=[]", "muster: argument 'flags' must have at least 1 items\n" },
	{ "flags={}", "muster: argument 'flags' must be a JSON array, not an "
	    "object\n" },
	{ "extra=[1", "muster: argument 'extra' is not valid JSON (unexpected "
	    "end of input at byte 2); an object is JSON: --arg "
	    "'extra={\"key\": \"value\"}'\n" },
	{ "extra={} x", "muster: argument 'extra' is not valid JSON "
	    "(unexpected character at byte 3); an object is JSON: --arg "
	    "'extra={\"key\": \"value\"}'\n" },
	{ "ratio=1e999", "muster: argument 'ratio' must be a number, not "
	    "'1e999'\n" },
	{ "ratio=nan", "muster: argument 'ratio' must be a number, not "
	    "'nan'\n" },
	{ "token=12", NULL },
	{ "evn=dev", "muster: unknown argument 'evn' (did you mean 'env'?)\n" },
	{ "noequals", "muster: --arg 'noequals': expected NAME=VALUE\n" },
};

START_TEST(rejects_one_line_each)
{
	struct json_object	*o;

	o = input(NULL, "env=dev", bad[_i].kv, NULL);
	if (bad[_i].err == NULL) {
		ck_assert_ptr_nonnull(o);
		json_object_put(o);
		return;
	}
	ck_assert_ptr_null(o);
	ck_assert_str_eq(buf_str(&errs), bad[_i].err);
}
END_TEST

START_TEST(reports_every_problem)
{
	ck_assert_ptr_null(input(NULL, "replicas=x", "debug=1", "zzz=1", NULL));
	ck_assert_str_eq(buf_str(&errs),
	    "muster: argument 'replicas' must be an integer, not 'x'\n"
	    "muster: argument 'debug' must be true or false, not '1'\n"
	    "muster: unknown argument 'zzz'\n"
	    "muster: missing required argument 'env'\n");
}
END_TEST

START_TEST(secret_values_stay_out_of_errors)
{
	struct arg	a = { .name = "pin", .type = ARG_INTEGER,
			    .secret = true };
	struct buf	why = BUF_INIT;

	ck_assert_ptr_null(schema_convert(&a, "hunter2", &why));
	ck_assert_ptr_null(strstr(buf_str(&why), "hunter2"));
	buf_release(&why);
}
END_TEST

START_TEST(args_file_and_overrides)
{
	char			 path[] = "/tmp/muster-args-XXXXXX";
	int			 fd = mkstemp(path);
	struct json_object	*o;
	const char		 text[] = "env: staging\nreplicas: 4\n"
				    "flags: [a]\n";

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, sizeof text - 1),
	    (ssize_t)sizeof text - 1);
	close(fd);
	o = input(path, "replicas=6", NULL);
	ck_assert_ptr_nonnull(o);
	ck_assert_str_eq(str(o), "{\"env\":\"staging\",\"replicas\":6,"
	    "\"flags\":[\"a\"],\"version\":\"latest\",\"debug\":false}");
	json_object_put(o);
	fd = open(path, O_WRONLY | O_TRUNC);
	ck_assert_int_eq(write(fd, "[1, 2]\n", 7), 7);
	close(fd);
	ck_assert_ptr_null(input(path, NULL));
	ck_assert_ptr_nonnull(strstr(buf_str(&errs), "expected one mapping"));
	unlink(path);
	ck_assert_ptr_null(input(path, NULL));
	ck_assert_ptr_nonnull(strstr(buf_str(&errs), "cannot open"));
}
END_TEST

START_TEST(json_parse_strict)
{
	struct buf		 why = BUF_INIT;
	struct json_object	*o;
	int			 ok;

	o = json_parse("{\"a\": 1}  \n", 11, &ok, &why);
	ck_assert(ok);
	json_object_put(o);
	o = json_parse("null", 4, &ok, &why);
	ck_assert(ok);
	ck_assert_ptr_null(o);
	o = json_parse("12", 2, &ok, &why);
	ck_assert(ok);
	ck_assert_int_eq(json_object_get_int(o), 12);
	json_object_put(o);
	o = json_parse("[1,]", 4, &ok, &why);
	ck_assert(!ok);
	buf_release(&why);
}
END_TEST

Suite *schema_suite(void);

Suite *
schema_suite(void)
{
	Suite	*s = suite_create("schema");
	TCase	*tc = tcase_create("schema");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, converts_and_defaults);
	tcase_add_loop_test(tc, rejects_one_line_each, 0, nitems(bad));
	tcase_add_test(tc, reports_every_problem);
	tcase_add_test(tc, secret_values_stay_out_of_errors);
	tcase_add_test(tc, args_file_and_overrides);
	tcase_add_test(tc, json_parse_strict);
	suite_add_tcase(s, tc);
	return s;
}
