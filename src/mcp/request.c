/* request.c: MCP requests: the handshake, tools/list, tools/call, results. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "mcp/int.h"
#include "base/value.h"

void
mcp_inbox_add(struct mcp_client *c, struct json_object *m)
{
	xgrow(&c->inbox, &c->inboxcap, c->ninbox + 1, sizeof *c->inbox);
	c->inbox[c->ninbox++] = m;
}

/* The request being waited for: whose progress notifications count. */
struct pending {
	int64_t		 id;
	mcp_progress_fn	 fn;
	void		*arg;
};

static struct json_object *
get(struct json_object *o, const char *key)
{
	struct json_object	*v = NULL;

	if (o != NULL && json_object_is_type(o, json_type_object))
		json_object_object_get_ex(o, key, &v);
	return v;
}

static void
tell(mcp_progress_fn fn, void *arg, struct json_object *params)
{
	struct json_object	*t = get(params, "total");
	struct json_object	*m = get(params, "message");

	fn(arg, json_object_get_double(get(params, "progress")),
	    t != NULL ? json_object_get_double(t) : -1,
	    m != NULL && json_object_is_type(m, json_type_string) ?
	    json_object_get_string(m) : NULL);
}

static void
progress_of(struct json_object *params, const struct pending *p)
{
	struct json_object	*tok = get(params, "progressToken");

	if (p->fn == NULL || tok == NULL || !json_object_is_type(tok,
	    json_type_int) || json_object_get_int64(tok) != p->id)
		return;
	tell(p->fn, p->arg, params);
}

void
mcp_progress(struct mcp_client *c, struct json_object *params)
{
	/* An HTTP stream carries only its own request's progress. */
	if (c->on_progress != NULL)
		tell(c->on_progress, c->progress_arg, params);
}

static bool
was_cancelled(const struct mcp_client *c, int64_t id)
{
	size_t	i;

	for (i = 0; i < c->ncancelled; i++)
		if (c->cancelled[i] == id)
			return true;
	return false;
}

/* What the server asks of muster: only ping is answered with a result. */
void
mcp_answer(struct mcp_client *c, struct json_object *m)
{
	struct buf	 ignore = BUF_INIT;
	const char	*method = json_object_get_string(get(m, "method"));
	char		*msg;

	if (strcmp(method, "ping") == 0)
		mcp_send(c, rpc_result(get(m, "id"), NULL), &ignore);
	else {
		msg = xasprintf("muster does not offer '%s'", method);
		mcp_send(c, rpc_error(get(m, "id"), -32601, msg), &ignore);
		free(msg);
	}
	buf_release(&ignore);
}

/*
 * Handles one message while p waits: 1 when it is p's answer (in *res,
 * or an error in err), 0 when it was something else, -1 when the
 * connection is no longer usable.
 */
static int
handle(struct mcp_client *c, struct json_object *m, const struct pending *p,
    struct json_object **res, struct buf *err)
{
	struct json_object	*id = get(m, "id"), *method = get(m, "method");
	struct json_object	*e = get(m, "error"), *r = get(m, "result");

	if (method != NULL && json_object_is_type(method, json_type_string)) {
		if (id != NULL)
			mcp_answer(c, m);
		else if (strcmp(json_object_get_string(method),
		    "notifications/progress") == 0)
			progress_of(get(m, "params"), p);
		return 0;
	}
	if (id == NULL || (e == NULL) == (r == NULL)) {
		mcp_die(c, "the server sent a message that is neither a "
		    "request, a notification nor a response");
		return -1;
	}
	if (!json_object_is_type(id, json_type_int) ||
	    json_object_get_int64(id) != p->id) {
		if (json_object_is_type(id, json_type_int) &&
		    was_cancelled(c, json_object_get_int64(id)))
			return 0;
		mcp_die(c, "the server answered request id %s, which muster "
		    "never sent (it waits for %" PRId64 ")",
		    json_object_to_json_string(id), p->id);
		return -1;
	}
	if (e != NULL) {
		struct json_object	*msg = get(e, "message");

		buf_printf(err, "%s (JSON-RPC error %d)", msg != NULL ?
		    json_object_get_string(msg) : "error without a message",
		    json_object_get_int(get(e, "code")));
		return 1;
	}
	*res = json_object_get(r);
	return 1;
}

void
mcp_cancel(struct mcp_client *c, int64_t id, const char *why)
{
	struct json_object	*params = json_object_new_object();
	struct buf		 ignore = BUF_INIT;

	json_set(params, "requestId", json_object_new_int64(id));
	json_set(params, "reason", json_str(why));
	xgrow(&c->cancelled, &c->cancelcap, c->ncancelled + 1,
	    sizeof *c->cancelled);
	c->cancelled[c->ncancelled++] = id;
	mcp_send(c, rpc_request(-1, "notifications/cancelled", params),
	    &ignore);
	buf_release(&ignore);
}

static void
timed_out(struct mcp_client *c, const char *method, int64_t id,
    int64_t timeout_ns, struct buf *err)
{
	struct buf	d = BUF_INIT;

	duration_format(&d, timeout_ns);
	buf_printf(err, "no answer to %s within %s", method, buf_str(&d));
	if (strcmp(method, "initialize") != 0) {
		mcp_cancel(c, id, "timed out");
		buf_adds(err, " (cancelled)");
	}
	buf_release(&d);
}

/* Sends a request and waits for its answer; 0 with *res, or -1. */
static int
request(struct mcp_client *c, const char *method, struct json_object *params,
    int64_t timeout_ns, const struct pending *how, struct json_object **res,
    struct buf *err)
{
	struct pending		 p = { mcp_new_id(c), NULL, NULL };
	int64_t			 deadline = timeout_ns > 0 ? clock_mono_ns() +
				    timeout_ns : 0;
	struct json_object	*m;
	int			 r;

	*res = NULL;
	if (how != NULL) {
		p.fn = how->fn;
		p.arg = how->arg;
		if (params != NULL && p.fn != NULL) {
			struct json_object	*meta = json_object_new_object();

			json_set(meta, "progressToken",
			    json_object_new_int64(p.id));
			json_set(params, "_meta", meta);
		}
	}
	c->on_progress = p.fn;
	c->progress_arg = p.arg;
	c->post_deadline = deadline;
	r = mcp_send(c, rpc_request(p.id, method, params), err);
	c->on_progress = NULL;
	if (r < 0) {
		if (c->spec->http && deadline > 0 && (c->post_timed_out ||
		    clock_mono_ns() >= deadline)) {
			buf_truncate(err, 0);
			timed_out(c, method, p.id, timeout_ns, err);
		}
		return -1;
	}
	for (;;) {
		if ((m = mcp_next(c, deadline, err)) == NULL) {
			if (err->len == 0 && c->spec->http)
				mcp_die(c, "the server's answer to %s had no "
				    "response in it", method);
			if (err->len == 0 && c->dead != NULL)
				buf_adds(err, c->dead);
			if (err->len == 0)
				timed_out(c, method, p.id, timeout_ns, err);
			return -1;
		}
		r = handle(c, m, &p, res, err);
		json_object_put(m);
		if (r < 0) {
			buf_adds(err, c->dead);
			return -1;
		}
		if (r > 0)
			return *res != NULL ? 0 : -1;
	}
}

static bool
known_version(const char *v)
{
	size_t	i;

	for (i = 0; v != NULL && i < mcp_nversions; i++)
		if (strcmp(v, mcp_versions[i]) == 0)
			return true;
	return false;
}

const char *
mcp_dead(const struct mcp_client *c)
{
	return c->dead;
}

int
mcp_initialize(struct mcp_client *c, int64_t timeout_ns, struct buf *err)
{
	struct json_object	*params = json_object_new_object(), *res, *ci;
	const char		*v;
	struct buf		 ignore = BUF_INIT;

	ci = json_object_new_object();
	json_set(ci, "name", json_str("muster"));
	json_set(ci, "version", json_str(MUSTER_VERSION));
	json_set(params, "protocolVersion", json_str(mcp_versions[0]));
	json_set(params, "capabilities", json_object_new_object());
	json_set(params, "clientInfo", ci);
	if (request(c, "initialize", params, timeout_ns, NULL, &res, err) < 0)
		return -1;
	v = json_object_get_string(get(res, "protocolVersion"));
	if (!known_version(v)) {
		buf_printf(err, "the server speaks protocol version '%s'; "
		    "muster speaks %s, %s and %s", v ? v : "(none)",
		    mcp_versions[0], mcp_versions[1], mcp_versions[2]);
		json_object_put(res);
		return -1;
	}
	c->version = xstrdup(v);
	c->info = json_object_get(get(res, "serverInfo"));
	json_object_put(res);
	mcp_send(c, rpc_request(-1, "notifications/initialized", NULL),
	    &ignore);
	buf_release(&ignore);
	return c->dead != NULL ? (buf_adds(err, c->dead), -1) : 0;
}

int
mcp_list_tools(struct mcp_client *c, int64_t timeout_ns,
    struct json_object **tools, struct buf *err)
{
	struct json_object	*res, *page, *cursor;
	char			*next = NULL;
	size_t			 i, pages = 0;

	*tools = json_object_new_array();
	do {
		struct json_object	*params = json_object_new_object();

		if (next != NULL)
			json_set(params, "cursor", json_str(next));
		free(next);
		next = NULL;
		if (request(c, "tools/list", params, timeout_ns, NULL, &res,
		    err) < 0)
			goto fail;
		page = get(res, "tools");
		if (!json_object_is_type(page, json_type_array)) {
			buf_adds(err, "tools/list answered without 'tools'");
			json_object_put(res);
			goto fail;
		}
		for (i = 0; i < json_object_array_length(page); i++)
			json_object_array_add(*tools, json_object_get(
			    json_object_array_get_idx(page, i)));
		cursor = get(res, "nextCursor");
		if (cursor != NULL && json_object_is_type(cursor,
		    json_type_string))
			next = xstrdup(json_object_get_string(cursor));
		json_object_put(res);
	} while (next != NULL && ++pages < 10000);
	free(next);
	return 0;
fail:
	json_object_put(*tools);
	*tools = NULL;
	return -1;
}

int
mcp_call_tool(struct mcp_client *c, const char *tool, struct json_object *args,
    int64_t timeout_ns, mcp_progress_fn progress, void *arg,
    struct json_object **result, struct buf *err)
{
	struct json_object	*params = json_object_new_object();
	struct pending		 how = { 0, progress, arg };

	json_set(params, "name", json_str(tool));
	json_set(params, "arguments", args != NULL ? json_object_get(args) :
	    json_object_new_object());
	return request(c, "tools/call", params, timeout_ns, &how, result, err);
}

struct json_object *
mcp_result_value(struct json_object *call, bool *is_error, struct buf *err)
{
	struct json_object	*sc = get(call, "structuredContent");
	struct json_object	*content = get(call, "content"), *v;
	struct buf		 text = BUF_INIT, why = BUF_INIT;
	size_t			 i;
	int			 ok;

	*is_error = json_object_get_boolean(get(call, "isError"));
	for (i = 0; json_object_is_type(content, json_type_array) &&
	    i < json_object_array_length(content); i++) {
		struct json_object	*item = json_object_array_get_idx(
					    content, i);

		if (strcmp(json_object_get_string(get(item, "type")) ?
		    json_object_get_string(get(item, "type")) : "",
		    "text") != 0 ||
		    !json_object_is_type(get(item, "text"), json_type_string))
			continue;	/* not text, or text without "text" */
		if (text.len > 0)
			buf_addc(&text, '\n');
		buf_adds(&text, json_object_get_string(get(item, "text")));
	}
	if (*is_error) {
		buf_adds(err, text.len > 0 ? buf_str(&text) :
		    "the tool failed and said nothing");
		v = NULL;
	} else if (sc != NULL)
		v = json_object_get(sc);
	else if ((v = json_parse(buf_str(&text), text.len, &ok, &why)),
	    ok && text.len > 0)
		;
	else {
		json_object_put(v);
		v = json_object_new_object();
		json_set(v, "text", json_object_new_string_len(buf_str(&text),
		    (int)text.len));
	}
	buf_release(&text);
	buf_release(&why);
	return v;
}
