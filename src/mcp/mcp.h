/* mcp.h: the Model Context Protocol: JSON-RPC framing and a client. */
#ifndef MUSTER_MCP_H
#define MUSTER_MCP_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "base/util.h"

struct json_object;

/* The protocol revisions muster speaks, newest first. */
extern const char *const	mcp_versions[];
extern const size_t		mcp_nversions;

/* The largest message muster reads or writes: 16 MiB. */
#define MCP_MAX_MESSAGE	(16u << 20)

/*
 * Newline-delimited JSON-RPC on a descriptor: what was read so far.  A line
 * longer than max is an error, never held whole.
 */
struct rpc_reader {
	int		 fd;
	struct buf	 b;
	size_t		 start;		/* of the next line in b */
	size_t		 max;
	bool		 eof;
	bool		 too_long;
};
#define RPC_READER_INIT(fd)	{ fd, BUF_INIT, 0, MCP_MAX_MESSAGE, false, \
				    false }

/*
 * Reads what fd has (it is non-blocking).  Returns 1 when a whole line is
 * in *line (without its newline; valid until the next call), 0 when more
 * is needed, -1 at end of input or for a line longer than max.
 */
int	rpc_read_line(struct rpc_reader *, const char **line, size_t *len);
void	rpc_reader_release(struct rpc_reader *);
/* Writes v as one line to fd, blocking until it went or deadline passed. */
int	rpc_write(int fd, struct json_object *v, int64_t deadline);
/* A JSON-RPC request, notification or response, new; params is taken. */
struct json_object *rpc_request(int64_t id, const char *method,
	    struct json_object *params);
struct json_object *rpc_result(struct json_object *id, struct json_object *r);
struct json_object *rpc_error(struct json_object *id, int code,
	    const char *msg);

/* How to reach one server: everything rendered, nothing templated. */
struct mcp_spec {
	const char	*name;		/* for messages */
	bool		 http;		/* streamable-http, else stdio */
	char *const	*argv;		/* stdio: the command */
	char *const	*envp;		/* stdio: its whole environment */
	const char	*dir;		/* stdio: its working folder, or NULL */
	int		 log_fd;	/* stdio: its stderr, or -1: kept */
	bool		 keep_group;	/* stdio: in our process group */
	const char	*url;		/* http */
	char *const	*headers;	/* http: "Name: value", NULL-ended */
};

struct mcp_client;

/*
 * Called for each notifications/progress of a call: progress, total (or
 * -1) and message (or NULL).
 */
typedef void	(*mcp_progress_fn)(void *arg, double progress, double total,
		    const char *message);

/*
 * Starts or reaches the server and performs the initialize handshake
 * within timeout_ns.  Returns the client, or NULL with the reason in err.
 */
struct mcp_client *mcp_open(const struct mcp_spec *, int64_t timeout_ns,
	    struct buf *err);
/* Ends the session: stdin closed, then SIGTERM, then SIGKILL. */
void	mcp_close(struct mcp_client *);
/* The protocol revision agreed on, and what the server said it is. */
const char *mcp_version(const struct mcp_client *);
struct json_object *mcp_server_info(const struct mcp_client *);

/* Every tool (tools/list, all pages): a new array of Tool objects. */
int	mcp_list_tools(struct mcp_client *, int64_t timeout_ns,
	    struct json_object **tools, struct buf *err);
/*
 * Calls a tool; 0 with the CallToolResult in *result (new), or -1 with the
 * reason in err (transport, protocol, JSON-RPC error, timeout: the request
 * is then cancelled).  progress may be NULL.
 */
int	mcp_call_tool(struct mcp_client *, const char *tool,
	    struct json_object *args, int64_t timeout_ns, mcp_progress_fn progress,
	    void *arg, struct json_object **result, struct buf *err);
/*
 * What a CallToolResult means to a workflow: its structuredContent, else
 * its text parsed as JSON when it is JSON, else {"text": TEXT}.  Returns
 * the value (new); *is_error is set from isError, and then err holds the
 * text.
 */
struct json_object *mcp_result_value(struct json_object *call, bool *is_error,
	    struct buf *err);

/* A server's descriptors while it runs: for a caller's own poll loop. */
int	mcp_fd(const struct mcp_client *);
/*
 * Sends one JSON-RPC message (taken); reads one (NULL: none by deadline, or
 * the connection is dead, err says).  For callers that multiplex.
 */
int	mcp_send(struct mcp_client *, struct json_object *msg, struct buf *err);
struct json_object *mcp_next(struct mcp_client *, int64_t deadline,
	    struct buf *err);
/* A fresh request id. */
int64_t	mcp_new_id(struct mcp_client *);
/* Tells the server to stop working on request id; its answer is ignored. */
void	mcp_cancel(struct mcp_client *, int64_t id, const char *why);
/* Answers a request the server made (ping; the rest are refused). */
void	mcp_answer(struct mcp_client *, struct json_object *request);
/* Why the client cannot be used any more, or NULL. */
const char *mcp_dead(const struct mcp_client *);

/*
 * broker.c: one stdio server shared by the steps of an execution.  Its
 * socket is DIR/NAME.sock; DIR/NAME.lock orders who starts it.
 */
/*
 * Serves calls on listen_fd until told to stop, until runner dies, or
 * until the server does.  The handshake's outcome goes to ready_fd as
 * one line ("ok" or the error) before any call is taken.  Returns 0, -1.
 */
int	mcp_broker_run(const struct mcp_spec *, int listen_fd, int ready_fd,
	    pid_t runner, int64_t start_timeout_ns);
/* Binds DIR/NAME.sock (a stale one is replaced); the fd, or -1 (errno). */
int	mcp_broker_listen(int dirfd, const char *name);
/*
 * Connects to the broker of server name in dirfd; the fd, or -1 when none
 * listens.
 */
int	mcp_broker_connect(int dirfd, const char *name);
/*
 * Makes one call through a broker's connection, as mcp_call_tool, until
 * deadline (monotonic ns, 0: none); timeout_ns is what messages call it.
 */
int	mcp_broker_call(int fd, const char *tool, struct json_object *args,
	    int64_t deadline, int64_t timeout_ns, mcp_progress_fn, void *arg,
	    struct json_object **result, struct buf *err);
/* Stops every broker of folder dir and waits (a while) until they end. */
void	mcp_brokers_stop(const char *dir);

#endif
