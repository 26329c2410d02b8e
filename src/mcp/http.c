/* http.c: MCP's streamable HTTP transport, through libcurl loaded on first use. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "mcp/int.h"
#include "base/curl.h"
#include "base/value.h"

/* libcurl, loaded when first needed (base/curl.c). */
static const struct curl_api	*curl;

int
mcp_http_open(struct mcp_client *c, struct buf *err)
{
	if (curl == NULL && (curl = curl_api("streamable-http MCP servers",
	    err)) == NULL)
		return -1;
	return 0;
}

/* One POST's answer as it arrives. */
struct answer {
	struct mcp_client	*c;
	bool			 sse;		/* text/event-stream */
	bool			 got_response;	/* stop reading the stream */
	bool			 too_big;
	struct buf		 body;		/* JSON, or the pending SSE */
	struct buf		 data;		/* the SSE event's data lines */
	char			*session;
};

static size_t
on_header(char *p, size_t size, size_t n, void *arg)
{
	struct answer	*a = arg;
	size_t		 len = size * n, k;

	if (len > 13 && strncasecmp(p, "content-type:", 13) == 0)
		a->sse = memmem(p, len, "text/event-stream", 17) != NULL;
	if (len > 15 && strncasecmp(p, "mcp-session-id:", 15) == 0) {
		for (k = 15; k < len && (p[k] == ' ' || p[k] == '\t'); k++)
			;
		free(a->session);
		a->session = xstrndup(p + k, strcspn(p + k, "\r\n"));
	}
	return len;
}

/* One whole message, from a JSON body or an event's data. */
static void
message(struct answer *a, const char *s, size_t len)
{
	struct json_object	*m, *method, *params;
	struct buf		 why = BUF_INIT;
	int			 ok;

	m = json_parse(s, len, &ok, &why);
	buf_release(&why);
	if (!ok || !json_object_is_type(m, json_type_object)) {
		json_object_put(m);
		mcp_die(a->c, "the server sent something that is not a "
		    "JSON-RPC message: '%.60s'", s);
		return;
	}
	if (json_object_object_get_ex(m, "method", &method) &&
	    !json_object_object_get_ex(m, "id", NULL) &&
	    strcmp(json_object_get_string(method),
	    "notifications/progress") == 0 &&
	    json_object_object_get_ex(m, "params", &params)) {
		/* Shown now, while the call goes on. */
		mcp_progress(a->c, params);
		json_object_put(m);
		return;
	}
	if (!json_object_object_get_ex(m, "method", NULL))
		a->got_response = true;
	mcp_inbox_add(a->c, m);
}

/* Server-sent events: "data:" lines, an empty line ends an event. */
static void
sse_lines(struct answer *a)
{
	char	*s = a->body.s, *nl;
	size_t	 off = 0;

	while ((nl = memchr(s + off, '\n', a->body.len - off)) != NULL) {
		size_t	len = (size_t)(nl - (s + off));

		if (len > 0 && s[off + len - 1] == '\r')
			len--;
		if (len == 0 && a->data.len > 0) {
			message(a, a->data.s, a->data.len);
			buf_truncate(&a->data, 0);
		} else if (len >= 5 && strncmp(s + off, "data:", 5) == 0) {
			size_t	skip = len > 5 && s[off + 5] == ' ' ? 6 : 5;

			if (a->data.len > 0)
				buf_addc(&a->data, '\n');
			buf_add(&a->data, s + off + skip, len - skip);
		}
		off = (size_t)(nl - s) + 1;
	}
	memmove(a->body.s, s + off, a->body.len - off);
	buf_truncate(&a->body, a->body.len - off);
}

static size_t
on_body(char *p, size_t size, size_t n, void *arg)
{
	struct answer	*a = arg;
	size_t		 len = size * n;

	if (a->body.len + a->data.len + len > MCP_MAX_MESSAGE) {
		a->too_big = true;
		return 0;
	}
	buf_add(&a->body, p, len);
	if (a->sse) {
		sse_lines(a);
		if (a->got_response || a->c->dead != NULL)
			return 0;	/* the answer is in: done */
	}
	return len;
}

static struct curl_slist *
headers(struct mcp_client *c, struct curl_slist *h)
{
	char		*s;
	size_t		 i;

	h = curl->slist_append(h, "Content-Type: application/json");
	h = curl->slist_append(h, "Accept: application/json, "
	    "text/event-stream");
	if (c->version != NULL) {
		s = xasprintf("MCP-Protocol-Version: %s", c->version);
		h = curl->slist_append(h, s);
		free(s);
	}
	if (c->session != NULL) {
		s = xasprintf("Mcp-Session-Id: %s", c->session);
		h = curl->slist_append(h, s);
		free(s);
	}
	for (i = 0; c->spec->headers != NULL && c->spec->headers[i]; i++)
		h = curl->slist_append(h, c->spec->headers[i]);
	return h;
}

/* Makes one request; 0 with the HTTP status in *code. */
static int
perform(struct mcp_client *c, const char *verb, const char *body,
    struct answer *a, long *code, struct buf *err)
{
	struct curl_slist	*h = headers(c, NULL);
	CURL			*e;
	CURLcode		 rc;
	int64_t			 left = c->post_deadline > 0 ?
				    c->post_deadline - clock_mono_ns() :
				    0;

	if ((e = curl->init()) == NULL)
		fatal("out of memory making an HTTP request");
	curl->setopt(e, CURLOPT_URL, c->spec->url);
	curl->setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl->setopt(e, CURLOPT_CUSTOMREQUEST, verb);
	if (body != NULL)
		curl->setopt(e, CURLOPT_POSTFIELDS, body);
	curl->setopt(e, CURLOPT_HTTPHEADER, h);
	curl->setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl->setopt(e, CURLOPT_HEADERDATA, a);
	curl->setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl->setopt(e, CURLOPT_WRITEDATA, a);
	curl->setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl->setopt(e, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
	if (left > 0 || c->post_deadline > 0)
		curl->setopt(e, CURLOPT_TIMEOUT_MS, left > 1000000 ?
		    (long)(left / 1000000) : 1L);
	rc = curl->perform(e);
	c->post_timed_out = rc == CURLE_OPERATION_TIMEDOUT;
	*code = 0;
	curl->getinfo(e, CURLINFO_RESPONSE_CODE, code);
	curl->cleanup(e);
	curl->slist_free_all(h);
	if (rc == CURLE_WRITE_ERROR && a->too_big) {
		mcp_die(c, "the server sent a message larger than %u MiB",
		    MCP_MAX_MESSAGE >> 20);
		buf_adds(err, c->dead);
		return -1;
	}
	if (rc != CURLE_OK && !(rc == CURLE_WRITE_ERROR &&
	    (a->got_response || c->dead != NULL))) {
		buf_printf(err, "%s %s: %s", verb, c->spec->url,
		    curl->strerror(rc));
		return -1;
	}
	return 0;
}

int
mcp_http_post(struct mcp_client *c, struct json_object *msg, struct buf *err)
{
	struct answer	 a = { .c = c };
	struct buf	 body = BUF_INIT;
	long		 code;
	int		 rc = -1;

	json_to_buf(&body, msg);
	if (perform(c, "POST", buf_str(&body), &a, &code, err) < 0)
		goto out;
	if (a.session != NULL && c->session == NULL) {
		c->session = a.session;
		a.session = NULL;
	}
	if (code == 404 && c->session != NULL) {
		mcp_die(c, "the server ended the session (HTTP 404)");
		buf_adds(err, c->dead);
		goto out;
	}
	if (code < 200 || code >= 300) {
		buf_printf(err, "POST %s: HTTP %ld", c->spec->url, code);
		if (!a.sse && a.body.len > 0)
			buf_printf(err, ": %.200s", buf_str(&a.body));
		goto out;
	}
	if (!a.sse && a.body.len > 0 && code != 202)
		message(&a, a.body.s, a.body.len);
	else if (a.sse && a.data.len > 0)
		message(&a, a.data.s, a.data.len);
	rc = c->dead != NULL ? (buf_adds(err, c->dead), -1) : 0;
out:
	buf_release(&body);
	buf_release(&a.body);
	buf_release(&a.data);
	free(a.session);
	return rc;
}

void
mcp_http_close(struct mcp_client *c)
{
	struct answer	 a = { .c = c };
	struct buf	 ignore = BUF_INIT;
	long		 code;

	if (c->session == NULL || curl == NULL)
		return;
	c->post_deadline = clock_mono_ns() + 2000000000LL;
	perform(c, "DELETE", NULL, &a, &code, &ignore);
	buf_release(&a.body);
	buf_release(&a.data);
	free(a.session);
	buf_release(&ignore);
}
