/* mcp-serve.h: what `muster mcp serve`'s files share. */
#ifndef MUSTER_MCP_SERVE_H
#define MUSTER_MCP_SERVE_H

#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "mcp/mcp.h"

#define SERVE_MAX_RUNS	64	/* tools/call at once */

struct ctx;
struct json_object;
struct project;

/* One tools/call being answered: a muster child. */
struct serve_run {
	pid_t			 pid;
	int			 out, err;	/* pipes, or -1 once closed */
	struct rpc_reader	 rd;		/* its stdout */
	struct buf		 errtext;	/* its stderr, capped */
	bool			 exited, cancelled, workflow;
	int			 status;
	struct json_object	*id;		/* of the request */
	struct json_object	*token;		/* progressToken, or NULL */
	char			*args_file;
	char			*tool;
	/* a workflow's run, from its --json events */
	struct json_object	*finished;	/* run_finished */
	struct json_object	*value;		/* a call's stdout value */
	struct buf		 out_text;	/* a call's stdout */
	char			*exec_id;
	char			*first_error;
	int			 done, total;
};

struct serve {
	struct ctx		*ctx;
	struct project		*p;
	const char		*self;
	char			*root;
	bool			 with_tools, initialized;
	uint64_t		 sig;
	struct json_object	*tools;		/* what tools/list answers */
	struct json_object	*mcp_tools;	/* --tools: x_* found, cached */
	struct rpc_reader	 in;
	struct serve_run	*runs[SERVE_MAX_RUNS];
	size_t			 nruns;
};

/* Writes one message to the client (taken). */
void	serve_send(struct json_object *);

/* mcp-tools.c: the tools on offer, with their input schemas (new). */
struct json_object *serve_tools(struct serve *);

/* mcp-runs.c: tools/call as muster children. */
void	serve_call(struct serve *, struct json_object *id,
	    struct json_object *params);
void	serve_cancel(struct serve *, struct json_object *request_id);
size_t	serve_runs_pollfds(struct serve *, struct pollfd *, size_t n);
void	serve_runs_io(struct serve *, struct pollfd *, size_t n);
/* Answers the calls whose children ended. */
void	serve_reap(struct serve *);
/* muster was told to stop: every child gets SIGTERM (its run can be
 * resumed), and no call is answered. */
void	serve_stop_all(struct serve *);

#endif
