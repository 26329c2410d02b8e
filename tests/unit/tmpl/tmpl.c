/* tmpl.c: unit tests of the template engine's C API (tmpl.h). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "tmpl/tmpl.h"
#include "base/util.h"

Suite	*tmpl_suite(void);

static const char	data_json[] =
    "{\"input\":{\"replicas\":3,\"app\":\"web\","
    "\"ratio\":0.5,\"on\":true,\"list\":[1,2],\"cfg\":{\"k\":\"v\"},"
    "\"none\":null},\"results\":{\"build\":{\"tag\":\"v1\"}}}";

static struct tmpl *
parse(const char *src)
{
	struct tmpl_error	 err;
	struct tmpl		*t = tmpl_parse(src, strlen(src), &err);

	ck_assert_msg(t != NULL, "%s: %d:%d: %s", src, err.line, err.col,
	    err.msg);
	return t;
}

/* Evaluates src against data_json; the caller puts the result. */
static struct json_object *
eval(const char *src, unsigned flags)
{
	struct json_object	*data = json_tokener_parse(data_json), *out;
	struct tmpl_error	 err;
	struct tmpl		*t = parse(src);

	ck_assert_int_eq(tmpl_eval(t, data, flags, &out, &err), 0);
	tmpl_free(t);
	json_object_put(data);
	return out;
}

START_TEST(eval_keeps_types)
{
	struct json_object	*v;

	v = eval("{{ .input.replicas }}", 0);
	ck_assert(json_object_is_type(v, json_type_int));
	ck_assert_int_eq(json_object_get_int64(v), 3);
	json_object_put(v);
	v = eval("{{ .input.ratio }}", 0);
	ck_assert(json_object_is_type(v, json_type_double));
	json_object_put(v);
	v = eval("{{ .input.on }}", 0);
	ck_assert(json_object_is_type(v, json_type_boolean));
	json_object_put(v);
	v = eval("{{ .input.cfg }}", 0);
	ck_assert(json_object_is_type(v, json_type_object));
	ck_assert_str_eq(json_object_get_string(json_object_object_get(v,
	    "k")), "v");
	json_object_put(v);
	v = eval("{{ .input.list }}", 0);
	ck_assert(json_object_is_type(v, json_type_array));
	json_object_put(v);
	v = eval("{{- .input.replicas -}}", 0);
	ck_assert(json_object_is_type(v, json_type_int));
	json_object_put(v);
	v = eval("{{ len .input.list }}", 0);
	ck_assert_int_eq(json_object_get_int64(v), 2);
	json_object_put(v);
	v = eval("{{ eq .input.app \"web\" }}", 0);
	ck_assert(json_object_get_boolean(v));
	json_object_put(v);
	v = eval("{{ .input.none }}", 0);
	ck_assert(v == NULL);
}
END_TEST

START_TEST(eval_text_is_a_string)
{
	struct json_object	*v;

	v = eval("x{{ .input.replicas }}", 0);
	ck_assert(json_object_is_type(v, json_type_string));
	ck_assert_str_eq(json_object_get_string(v), "x3");
	json_object_put(v);
	v = eval(" {{ .input.replicas }}", 0);
	ck_assert_str_eq(json_object_get_string(v), " 3");
	json_object_put(v);
	v = eval("{{ .input.app }}", 0);
	ck_assert(json_object_is_type(v, json_type_string));
	ck_assert_str_eq(json_object_get_string(v), "web");
	json_object_put(v);
	v = eval("{{ $x := 1 }}", 0);
	ck_assert_str_eq(json_object_get_string(v), "");
	json_object_put(v);
	v = eval("{{ if .input.on }}{{ .input.replicas }}{{ end }}", 0);
	ck_assert(json_object_is_type(v, json_type_string));
	json_object_put(v);
	v = eval("{{ .input.replicas }}", TMPL_SHELL);
	ck_assert_str_eq(json_object_get_string(v), "'3'");
	json_object_put(v);
}
END_TEST

START_TEST(eval_missing_key)
{
	struct json_object	*data = json_tokener_parse(data_json), *out;
	struct tmpl_error	 err;
	struct tmpl		*t = parse("{{ .input.nope }}");

	ck_assert_int_eq(tmpl_eval(t, data, 0, &out, &err), -1);
	ck_assert(out == NULL);
	ck_assert_int_eq(err.line, 1);
	ck_assert_int_eq(err.col, 4);
	ck_assert_str_eq(err.msg, "at <.input.nope>: map has no entry for "
	    "key \"nope\"");
	ck_assert_int_eq(tmpl_eval(t, data, TMPL_MISSING_DEFAULT, &out, &err),
	    0);
	ck_assert(out == NULL);
	tmpl_free(t);
	json_object_put(data);
}
END_TEST

START_TEST(is_text)
{
	const char	*text[] = { "", "plain", "a{{/* c */}}b", "x }} y" };
	const char	*not[] = { "{{.}}", "{{define \"x\"}}{{end}}",
	    "a{{if 1}}{{end}}" };
	struct tmpl	*t;
	size_t		 i;

	for (i = 0; i < nitems(text); i++) {
		t = parse(text[i]);
		ck_assert_msg(tmpl_is_text(t), "%s", text[i]);
		tmpl_free(t);
	}
	for (i = 0; i < nitems(not); i++) {
		t = parse(not[i]);
		ck_assert_msg(!tmpl_is_text(t), "%s", not[i]);
		tmpl_free(t);
	}
	tmpl_free(NULL);
}
END_TEST

static void
collect(void *arg, const char *const *chain, size_t n, int line, int col)
{
	struct buf	*b = arg;
	size_t		 i;

	for (i = 0; i < n; i++)
		buf_printf(b, "%s%s", i ? "." : "", chain[i]);
	buf_printf(b, "@%d:%d;", line, col);
}

START_TEST(walk_fields)
{
	struct buf	 b = BUF_INIT;
	struct tmpl	*t = parse(
	    "{{ .results.build.tag }}\n"
	    "{{ range .input.list }}{{ .item }}{{ $.input.app }}{{ end }}\n"
	    "{{ index .results \"deploy\" \"url\" }}"
	    "{{ with .steps.x }}{{ .status }}{{ else }}{{ .vars.y }}{{ end }}"
	    "{{ (.execution).id }}{{ if .a.b }}{{ .c }}{{ end }}"
	    "{{ printf \"%s\" (index $.z \"k\" 1) }}");

	tmpl_walk_fields(t, collect, &b);
	ck_assert_str_eq(buf_str(&b),
	    "results.build.tag@1:4;input.list@2:10;input.app@2:38;"
	    "results.deploy.url@3:10;steps.x@3:44;vars.y@3:81;"
	    "execution.id@3:104;a.b@3:127;c@3:137;z.k@3:173;");
	buf_release(&b);
	tmpl_free(t);

	/* Reads of the whole root are chains of none. */
	t = parse("{{ toJson . }}{{ range .l }}{{ . }}{{ $ }}{{ end }}"
	    "{{ define \"x\" }}{{ end }}{{ template \"x\" }}");
	b = (struct buf)BUF_INIT;
	tmpl_walk_fields(t, collect, &b);
	ck_assert_str_eq(buf_str(&b), "@1:11;l@1:24;@1:39;@1:80;");
	buf_release(&b);
	tmpl_free(t);
}
END_TEST

START_TEST(parse_error_position)
{
	struct tmpl_error	 err;
	const char		*src = "line one\n  {{ if }}\n";

	ck_assert(tmpl_parse(src, strlen(src), &err) == NULL);
	ck_assert_int_eq(err.line, 2);
	ck_assert_int_eq(err.col, 9);
	ck_assert_str_eq(err.msg, "missing value for if");
	src = "{{ .a }}\n\n\t{{ nope }}";
	ck_assert(tmpl_parse(src, strlen(src), &err) == NULL);
	ck_assert_int_eq(err.line, 3);
	ck_assert_int_eq(err.col, 5);
	ck_assert_str_eq(err.msg, "function \"nope\" not defined");
	src = "{{\"unterminated}}";
	ck_assert(tmpl_parse(src, strlen(src), &err) == NULL);
	ck_assert_int_eq(err.col, 3);
	ck_assert_str_eq(err.msg, "unterminated quoted string");
}
END_TEST

START_TEST(render_appends_and_rolls_back)
{
	struct json_object	*data = json_tokener_parse(data_json);
	struct tmpl_error	 err;
	struct tmpl		*t = parse("{{ .input.app }}:{{ .input.x }}");
	struct buf		 out = BUF_INIT;

	buf_adds(&out, "keep|");
	ck_assert_int_eq(tmpl_render(t, data, TMPL_MISSING_DEFAULT, &out,
	    &err), 0);
	ck_assert_str_eq(buf_str(&out), "keep|web:<no value>");
	ck_assert_int_eq(tmpl_render(t, data, 0, &out, &err), -1);
	ck_assert_str_eq(buf_str(&out), "keep|web:<no value>");
	ck_assert_int_eq(err.line, 1);
	ck_assert_int_eq(err.col, 21);
	buf_release(&out);
	tmpl_free(t);
	json_object_put(data);
}
END_TEST

START_TEST(nul_bytes)
{
	static const char	text[] = "a\0b{{\"x\\x00y\"}}";
	static const char	action[] = "{{ \0 }}";
	static const char	verb[] =
	    "{{printf \"%\\x00|%\\x00|%\\x00|%\\x00\" 3.5 1+2i \"s\" 1}}";
	struct tmpl_error	 err;
	struct tmpl		*t = tmpl_parse(text, sizeof text - 1, &err);
	struct buf		 out = BUF_INIT;

	ck_assert(t != NULL);
	ck_assert_int_eq(tmpl_render(t, NULL, 0, &out, &err), 0);
	ck_assert_uint_eq(out.len, 6);
	ck_assert(memcmp(out.s, "a\0bx\0y", 6) == 0);
	tmpl_free(t);
	ck_assert(tmpl_parse(action, sizeof action - 1, &err) == NULL);
	ck_assert_str_eq(err.msg, "unrecognized character in action: U+0000");
	t = tmpl_parse(verb, sizeof verb - 1, &err);
	ck_assert(t != NULL);
	buf_truncate(&out, 0);
	ck_assert_int_eq(tmpl_render(t, NULL, 0, &out, &err), 0);
	ck_assert_uint_eq(out.len, 64);
	ck_assert(memcmp(out.s, "%!\0(float64=3.5)|%!\0(complex128=(1+2i))|"
	    "%!\0(string=s)|%!\0(int=1)", 64) == 0);
	tmpl_free(t);
	buf_release(&out);
}
END_TEST

START_TEST(render_null_data)
{
	struct tmpl_error	 err;
	struct tmpl		*t = parse("[{{.}}]");
	struct buf		 out = BUF_INIT;

	ck_assert_int_eq(tmpl_render(t, NULL, 0, &out, &err), 0);
	ck_assert_str_eq(buf_str(&out), "[<no value>]");
	buf_release(&out);
	tmpl_free(t);
}
END_TEST

static char *
repeat(const char *a, int n, const char *mid, const char *b)
{
	struct buf	s = BUF_INIT;
	int		i;

	for (i = 0; i < n; i++)
		buf_adds(&s, a);
	buf_adds(&s, mid);
	for (i = 0; i < n; i++)
		buf_adds(&s, b);
	return buf_detach(&s);
}

START_TEST(depth_limit)
{
	struct tmpl_error	 err;
	struct tmpl		*t;
	struct buf		 out = BUF_INIT;
	char			*src;

	src = repeat("(", TMPL_MAX_DEPTH - 1, "1", ")");
	src[0] = '{';
	src[1] = '{';
	src[strlen(src) - 1] = '}';
	src[strlen(src) - 2] = '}';
	t = parse(src);
	ck_assert_int_eq(tmpl_render(t, NULL, 0, &out, &err), 0);
	ck_assert_str_eq(buf_str(&out), "1");
	tmpl_free(t);
	free(src);
	src = repeat("{{if 1}}", 100000, "x", "{{end}}");
	ck_assert(tmpl_parse(src, strlen(src), &err) == NULL);
	ck_assert_str_eq(err.msg, "nesting too deep (limit 1000)");
	free(src);
	src = repeat("{{(", 100000, "1", ")}}");
	ck_assert(tmpl_parse(src, strlen(src), &err) == NULL);
	free(src);
	buf_release(&out);
}
END_TEST

START_TEST(output_limit)
{
	struct tmpl_error	 err;
	struct tmpl		*t = parse("{{range 5000000}}xx{{end}}");
	struct buf		 out = BUF_INIT;

	ck_assert_int_eq(tmpl_render(t, NULL, 0, &out, &err), -1);
	ck_assert_uint_eq(out.len, 0);
	ck_assert(strstr(err.msg, "output too large") != NULL);
	buf_release(&out);
	tmpl_free(t);
}
END_TEST

START_TEST(deep_data_prints_with_an_error)
{
	struct json_object	*data = json_object_new_array(), *inner = data;
	struct tmpl_error	 err;
	struct tmpl		*t = parse("{{.}}");
	struct buf		 out = BUF_INIT;
	int			 i;

	for (i = 0; i < TMPL_MAX_DEPTH + 10; i++) {
		struct json_object	*a = json_object_new_array();

		json_object_array_add(inner, a);
		inner = a;
	}
	ck_assert_int_eq(tmpl_render(t, data, 0, &out, &err), -1);
	ck_assert(strstr(err.msg, "nested too deep") != NULL);
	tmpl_free(t);
	t = parse("{{toJson .}}");
	ck_assert_int_eq(tmpl_render(t, data, 0, &out, &err), -1);
	tmpl_free(t);
	json_object_put(data);
	buf_release(&out);
}
END_TEST

START_TEST(shell_flag)
{
	struct json_object	*data = json_tokener_parse(
	    "{\"v\":\"a'b $(x)\"}");
	struct tmpl_error	 err;
	struct tmpl		*t = parse("echo {{.v}} \"{{.v}}\" '{{.v}}'");
	struct buf		 out = BUF_INIT;

	ck_assert_int_eq(tmpl_render(t, data, TMPL_SHELL, &out, &err), 0);
	ck_assert_str_eq(buf_str(&out), "echo 'a'\\''b $(x)' \"a'b \\$(x)\" "
	    "'a'\\''b $(x)'");
	buf_truncate(&out, 0);
	ck_assert_int_eq(tmpl_render(t, data, 0, &out, &err), 0);
	ck_assert_str_eq(buf_str(&out),
	    "echo a'b $(x) \"a'b $(x)\" 'a'b $(x)'");
	buf_release(&out);
	tmpl_free(t);
	json_object_put(data);
}
END_TEST

Suite *
tmpl_suite(void)
{
	Suite	*s = suite_create("tmpl");
	TCase	*tc = tcase_create("tmpl");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, eval_keeps_types);
	tcase_add_test(tc, eval_text_is_a_string);
	tcase_add_test(tc, eval_missing_key);
	tcase_add_test(tc, is_text);
	tcase_add_test(tc, walk_fields);
	tcase_add_test(tc, parse_error_position);
	tcase_add_test(tc, render_appends_and_rolls_back);
	tcase_add_test(tc, render_null_data);
	tcase_add_test(tc, nul_bytes);
	tcase_add_test(tc, depth_limit);
	tcase_add_test(tc, output_limit);
	tcase_add_test(tc, deep_data_prints_with_an_error);
	tcase_add_test(tc, shell_flag);
	suite_add_tcase(s, tc);
	return s;
}
