/* mcp.h: what the MCP commands' files share. */
#ifndef MUSTER_CMD_MCP_H
#define MUSTER_CMD_MCP_H

#include <stdbool.h>
#include <stdint.h>

struct buf;
struct ctx;
struct json_object;
struct mcp_ready;
struct mcp_server;
struct project;

/* Starts (or reaches) server m and shakes hands; NULL after an error. */
struct mcp_client *cmd_mcp_open(struct project *, const struct mcp_server *m,
	    int log_fd, struct mcp_ready *);
/* One call, the server started for it and stopped after; as mcp_call_tool. */
int	cmd_mcp_direct(struct project *, const struct mcp_server *,
	    const char *tool, struct json_object *args, int64_t timeout_ns,
	    struct json_object **res, struct buf *err);
/* Shows a progress notification as a "progress: P/T MESSAGE" line. */
void	cmd_mcp_progress(void *, double progress, double total,
	    const char *message);
/*
 * Prints a call's value on stdout and returns 0; else its error (on stdout
 * for a step's process, else on stderr) and returns 1.
 */
int	cmd_mcp_finish(const char *server, const char *tool,
	    struct json_object *res, int rc, struct buf *err, bool step);
/*
 * validate --online: every MCP step's tool exists on its server and its
 * constant arguments fit the tool's inputSchema.  0, or -1 after errors.
 */
int	cmd_mcp_online(struct project *);
/*
 * list tools --online: every MCP server's tools as x_<server>_<tool>, a
 * new array of {name, description, file}.
 */
struct json_object *cmd_mcp_online_tools(struct project *);
/* `muster mcp serve`. */
int	cmd_mcp_serve(struct ctx *, bool tools);

#endif
