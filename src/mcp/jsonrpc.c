/* jsonrpc.c: JSON-RPC 2.0 messages, one per line, as MCP's stdio sends them. */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "mcp/mcp.h"
#include "base/value.h"

const char *const	mcp_versions[] = { "2025-11-25", "2025-06-18",
			    "2025-03-26" };
const size_t		mcp_nversions = nitems(mcp_versions);

/* Finds a whole line in what was read; 1 with it, else 0. */
static int
take_line(struct rpc_reader *r, const char **line, size_t *len)
{
	char	*nl;

	if (r->start >= r->b.len)
		return 0;
	nl = memchr(r->b.s + r->start, '\n', r->b.len - r->start);
	if (nl == NULL)
		return 0;
	*line = r->b.s + r->start;
	*len = (size_t)(nl - *line);
	if (*len > 0 && (*line)[*len - 1] == '\r')
		(*len)--;
	*nl = '\0';
	r->start = (size_t)(nl - r->b.s) + 1;
	return 1;
}

int
rpc_read_line(struct rpc_reader *r, const char **line, size_t *len)
{
	ssize_t	n;

	if (r->too_long)
		return -1;
	if (take_line(r, line, len))
		return 1;
	/* What was handed out is gone: keep only the partial line. */
	if (r->start > 0) {
		memmove(r->b.s, r->b.s + r->start, r->b.len - r->start);
		buf_truncate(&r->b, r->b.len - r->start);
		r->start = 0;
	}
	for (;;) {
		if (r->b.len > r->max) {
			r->too_long = true;
			buf_release(&r->b);
			return -1;
		}
		n = read(r->fd, buf_reserve(&r->b, 65536), 65536);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (n <= 0) {
			r->eof = true;
			/* A last line without its newline still counts. */
			if (r->b.len > 0 && r->b.len <= r->max) {
				buf_addc(&r->b, '\n');
				return take_line(r, line, len) ? 1 : -1;
			}
			return -1;
		}
		r->b.len += (size_t)n;
		r->b.s[r->b.len] = '\0';
		if (memchr(r->b.s + r->b.len - n, '\n', (size_t)n) != NULL &&
		    take_line(r, line, len))
			return 1;
	}
}

void
rpc_reader_release(struct rpc_reader *r)
{
	buf_release(&r->b);
	r->start = 0;
}

int
rpc_write(int fd, struct json_object *v, int64_t deadline)
{
	struct buf	b = BUF_INIT;
	size_t		off = 0;
	int		rc = 0;

	json_to_buf(&b, v);
	buf_addc(&b, '\n');
	while (off < b.len) {
		struct pollfd	pfd = { fd, POLLOUT, 0 };
		int64_t		left = deadline - clock_mono_ns();
		ssize_t		w;

		w = write(fd, b.s + off, b.len - off);
		if (w > 0) {
			off += (size_t)w;
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno != EAGAIN) {
			rc = -1;
			break;
		}
		if (deadline > 0 && left <= 0) {
			errno = ETIMEDOUT;
			rc = -1;
			break;
		}
		poll(&pfd, 1, deadline > 0 ? (int)(left / 1000000) + 1 : -1);
	}
	buf_release(&b);
	return rc;
}

struct json_object *
rpc_request(int64_t id, const char *method, struct json_object *params)
{
	struct json_object	*o = json_object_new_object();

	json_set(o, "jsonrpc", json_str("2.0"));
	if (id >= 0)
		json_set(o, "id", json_object_new_int64(id));
	json_set(o, "method", json_str(method));
	if (params != NULL)
		json_set(o, "params", params);
	return o;
}

struct json_object *
rpc_result(struct json_object *id, struct json_object *r)
{
	struct json_object	*o = json_object_new_object();

	json_set(o, "jsonrpc", json_str("2.0"));
	json_set(o, "id", json_object_get(id));
	json_set(o, "result", r != NULL ? r : json_object_new_object());
	return o;
}

struct json_object *
rpc_error(struct json_object *id, int code, const char *msg)
{
	struct json_object	*o = json_object_new_object(), *e;

	e = json_object_new_object();
	json_set(e, "code", json_object_new_int(code));
	json_set(e, "message", json_str(msg));
	json_set(o, "jsonrpc", json_str("2.0"));
	json_set(o, "id", json_object_get(id));
	json_set(o, "error", e);
	return o;
}
