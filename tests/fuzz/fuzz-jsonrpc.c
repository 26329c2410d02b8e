/* fuzz-jsonrpc.c: libFuzzer harness for the MCP JSON-RPC message reader.
 *
 * Input: the bytes an MCP server sends on its stdout.  They are read as
 * the client reads them (newline-delimited, bounded lines), each line is
 * parsed, and each message is taken apart as a call's answer would be
 * (result, structuredContent, content, isError).  Nothing may crash, leak
 * or trip a sanitizer, whatever the server says. */
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <json-c/json.h>

#include "base/util.h"
#include "base/value.h"
#include "mcp/mcp.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
take_apart(struct json_object *msg)
{
	struct json_object	*v, *r = NULL;
	struct buf		 err = BUF_INIT;
	bool			 is_error;

	if (!json_object_is_type(msg, json_type_object))
		return;
	json_object_object_get_ex(msg, "result", &r);
	v = mcp_result_value(r != NULL ? r : msg, &is_error, &err);
	json_object_put(v);
	buf_release(&err);
}

int
LLVMFuzzerTestOneInput(const uint8_t *in, size_t len)
{
	struct rpc_reader	 rd = RPC_READER_INIT(-1);
	struct json_object	*msg;
	struct buf		 why = BUF_INIT;
	const char		*line;
	size_t			 n;
	int			 fd, ok;

	/* A file of the bytes: read(2) gives them, then end of input. */
	if ((fd = memfd_create("fuzz-jsonrpc", MFD_CLOEXEC)) < 0)
		return 0;
	if (len > 0 && write(fd, in, len) != (ssize_t)len) {
		close(fd);
		return 0;
	}
	lseek(fd, 0, SEEK_SET);
	rd.fd = fd;
	rd.max = 4096;		/* small, so that too-long lines are reached */
	while (rpc_read_line(&rd, &line, &n) == 1) {
		msg = json_parse(line, n, &ok, &why);
		buf_truncate(&why, 0);
		if (ok)
			take_apart(msg);
		json_object_put(msg);
	}
	rpc_reader_release(&rd);
	buf_release(&why);
	close(fd);
	return 0;
}
