/* jsonrpc.c: tests of MCP's line framing and of what a tool result means. */
#include <check.h>
#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "mcp/mcp.h"
#include "base/value.h"

/* A reader on a pipe holding text (the write end closed when eof). */
static struct rpc_reader
pipe_with(const char *text, bool eof, int *wfd)
{
	int	p[2];

	ck_assert_int_eq(pipe2(p, O_NONBLOCK), 0);
	ck_assert_int_eq(write(p[1], text, strlen(text)),
	    (ssize_t)strlen(text));
	if (eof)
		close(p[1]);
	*wfd = eof ? -1 : p[1];
	return (struct rpc_reader)RPC_READER_INIT(p[0]);
}

START_TEST(lines_split_and_joined)
{
	const char		*line;
	size_t			 len;
	int			 w;
	struct rpc_reader	 r = pipe_with("{\"a\":1}\n{\"b\":\r\n", false, &w);

	ck_assert_int_eq(rpc_read_line(&r, &line, &len), 1);
	ck_assert_uint_eq(len, 7);
	ck_assert(memcmp(line, "{\"a\":1}", 7) == 0);
	/* A partial line waits; CRLF ends a line like LF. */
	ck_assert_int_eq(rpc_read_line(&r, &line, &len), 1);
	ck_assert_uint_eq(len, 5);
	ck_assert_int_eq(rpc_read_line(&r, &line, &len), 0);
	ck_assert_int_eq(write(w, "2}", 2), 2);
	ck_assert_int_eq(rpc_read_line(&r, &line, &len), 0);
	close(w);
	/* The last line needs no newline. */
	ck_assert_int_eq(rpc_read_line(&r, &line, &len), 1);
	ck_assert_uint_eq(len, 2);
	ck_assert_int_eq(rpc_read_line(&r, &line, &len), -1);
	ck_assert(r.eof && !r.too_long);
	close(r.fd);
	rpc_reader_release(&r);
}
END_TEST

START_TEST(too_long_is_an_error)
{
	char			 big[5000];
	const char		*line;
	size_t			 len;
	int			 w;
	struct rpc_reader	 r;

	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	r = pipe_with(big, true, &w);
	r.max = 1000;
	ck_assert_int_eq(rpc_read_line(&r, &line, &len), -1);
	ck_assert(r.too_long);
	ck_assert_ptr_null(r.b.s);	/* nothing of it is kept */
	close(r.fd);
}
END_TEST

static const struct {
	const char	*result;	/* a CallToolResult */
	const char	*value;		/* what a step sees, or NULL */
	const char	*error;		/* or the error */
} results[] = {
	{ "{\"content\":[{\"type\":\"text\",\"text\":\"hi\"}]}",
	  "{\"text\":\"hi\"}", NULL },
	{ "{\"content\":[{\"type\":\"text\",\"text\":\"{\\\"n\\\": 3}\"}]}",
	  "{\"n\":3}", NULL },
	{ "{\"content\":[{\"type\":\"text\",\"text\":\"[1, 2]\"}]}",
	  "[1,2]", NULL },
	{ "{\"content\":[{\"type\":\"text\",\"text\":\"a\"},"
	  "{\"type\":\"image\",\"data\":\"x\"},{\"type\":\"text\",\"text\":\"b\"}]}",
	  "{\"text\":\"a\\nb\"}", NULL },
	{ "{\"content\":[{\"type\":\"text\",\"text\":\"t\"}],"
	  "\"structuredContent\":{\"k\":true}}", "{\"k\":true}", NULL },
	{ "{\"content\":[]}", "{\"text\":\"\"}", NULL },
	{ "{\"isError\":true,\"content\":[{\"type\":\"text\",\"text\":\"no\"}]}",
	  NULL, "no" },
	{ "{\"isError\":true,\"content\":[]}", NULL,
	  "the tool failed and said nothing" },
};

START_TEST(result_values)
{
	struct json_object	*call = json_tokener_parse(results[_i].result);
	struct json_object	*v;
	struct buf		 err = BUF_INIT, got = BUF_INIT;
	bool			 is_error;

	v = mcp_result_value(call, &is_error, &err);
	if (results[_i].value != NULL) {
		ck_assert(!is_error);
		json_to_buf(&got, v);
		ck_assert_str_eq(buf_str(&got), results[_i].value);
	} else {
		ck_assert(is_error);
		ck_assert_ptr_null(v);
		ck_assert_str_eq(buf_str(&err), results[_i].error);
	}
	json_object_put(v);
	json_object_put(call);
	buf_release(&err);
	buf_release(&got);
}
END_TEST

START_TEST(messages)
{
	struct json_object	*m = rpc_request(7, "tools/list", NULL);
	struct buf		 b = BUF_INIT;

	json_to_buf(&b, m);
	ck_assert_str_eq(buf_str(&b),
	    "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/list\"}");
	json_object_put(m);
	buf_truncate(&b, 0);
	m = rpc_request(-1, "notifications/initialized", NULL);
	json_to_buf(&b, m);
	ck_assert_str_eq(buf_str(&b), "{\"jsonrpc\":\"2.0\",\"method\":"
	    "\"notifications/initialized\"}");
	json_object_put(m);
	buf_truncate(&b, 0);
	m = rpc_error(NULL, -32700, "parse error");
	json_to_buf(&b, m);
	ck_assert_str_eq(buf_str(&b), "{\"jsonrpc\":\"2.0\",\"id\":null,"
	    "\"error\":{\"code\":-32700,\"message\":\"parse error\"}}");
	json_object_put(m);
	buf_release(&b);
}
END_TEST

Suite *jsonrpc_suite(void);

Suite *
jsonrpc_suite(void)
{
	Suite	*s = suite_create("jsonrpc");
	TCase	*tc = tcase_create("jsonrpc");

	tcase_add_test(tc, lines_split_and_joined);
	tcase_add_test(tc, too_long_is_an_error);
	tcase_add_loop_test(tc, result_values, 0, nitems(results));
	tcase_add_test(tc, messages);
	suite_add_tcase(s, tc);
	return s;
}
