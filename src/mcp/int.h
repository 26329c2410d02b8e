/* int.h: what the MCP client's files share. */
#ifndef MUSTER_MCP_INT_H
#define MUSTER_MCP_INT_H

#include <stdarg.h>

#include "mcp/mcp.h"

struct mcp_client {
	const struct mcp_spec	*spec;
	/* stdio */
	pid_t			 pid;		/* also its process group */
	int			 in, err;	/* its stdin, its stderr or -1 */
	struct rpc_reader	 rd;		/* its stdout */
	struct buf		 errtail;	/* the end of its stderr */
	/* streamable-http */
	char			*session;	/* Mcp-Session-Id, or NULL */
	mcp_progress_fn		 on_progress;	/* while a POST streams */
	void			*progress_arg;
	int64_t			 post_deadline;
	bool			 post_timed_out;	/* the last POST */
	/* messages read but not yet asked for */
	struct json_object	**inbox;
	size_t			  ninbox, inboxcap;
	int64_t			 next_id;
	int64_t			*cancelled;	/* ids whose answers may come */
	size_t			 ncancelled, cancelcap;
	char			*version;	/* agreed on */
	struct json_object	*info;		/* serverInfo */
	char			*dead;		/* why it cannot be used */
};

void	mcp_die(struct mcp_client *, const char *, ...) PRINTF(2, 3);
/* The handshake: initialize, then notifications/initialized. */
int	mcp_initialize(struct mcp_client *, int64_t timeout_ns,
	    struct buf *err);
/* Queues a message read ahead (taken). */
void	mcp_inbox_add(struct mcp_client *, struct json_object *);
/* A progress notification for the call being made, if any. */
void	mcp_progress(struct mcp_client *, struct json_object *params);

/* http.c: streamable HTTP through libcurl, loaded on first use. */
int	mcp_http_open(struct mcp_client *, struct buf *err);
/* POSTs msg; what comes back (JSON or an event stream) goes to the inbox. */
int	mcp_http_post(struct mcp_client *, struct json_object *msg,
	    struct buf *err);
void	mcp_http_close(struct mcp_client *);

#endif
