/* mcpspec.h: an MCPServer definition made ready to reach: its templates
 * rendered, its environment built. */
#ifndef MUSTER_MCPSPEC_H
#define MUSTER_MCPSPEC_H

#include "mcp/mcp.h"
#include "engine/tool.h"

struct mcp_server;
struct project;

/* A spec and the strings it points to. */
struct mcp_ready {
	struct mcp_spec	 spec;
	struct strv	 argv, env, headers;
	char		*url, *dir;
};

/*
 * Renders server m of project p (templates see only functions such as env;
 * the environment is muster's, config.yaml's, then m's).  log_fd: where a
 * stdio server's stderr goes (-1: kept for messages).  0, or -1 with err.
 */
int	mcp_ready(struct project *p, const struct mcp_server *m, int log_fd,
	    struct mcp_ready *, struct buf *err);
void	mcp_ready_release(struct mcp_ready *);
/* The time an MCP request may take when nothing says: 60s for a start. */
#define MCP_START_TIMEOUT	(60LL * 1000000000)

#endif
