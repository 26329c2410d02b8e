/* load-mcp.c: decoding MCPServer specs (giantswarm/muster's fields). */
#include <string.h>

#include "def/load.h"

enum {
	MF_DESCRIPTION, MF_TYPE, MF_COMMAND, MF_ARGS, MF_ENV, MF_URL,
	MF_HEADERS, MF_TIMEOUT, MF_AUTOSTART, MF_COUNT
};
static const struct field	mcp_fields[MF_COUNT] = {
	[MF_DESCRIPTION] = { "description", NULL },
	[MF_TYPE] = { "type", NULL }, [MF_COMMAND] = { "command", NULL },
	[MF_ARGS] = { "args", NULL }, [MF_ENV] = { "env", NULL },
	[MF_URL] = { "url", NULL }, [MF_HEADERS] = { "headers", NULL },
	[MF_TIMEOUT] = { "timeout", NULL },
	[MF_AUTOSTART] = { "autoStart", "auto_start" },
};

/* timeout: a duration, or muster's whole seconds. */
static int
load_timeout(struct loader *ld, const struct ynode *n, int64_t *ns)
{
	int64_t	s;

	if (n->kind == YNODE_SCALAR && n->type == YS_INT) {
		if (load_int(ld, n, "timeout", 1, 86400 * 7, &s) < 0)
			return -1;
		*ns = s * 1000000000;
		return 0;
	}
	return load_duration(ld, n, "timeout", ns);
}

/* command (a string or an argv list), then args: one argv. */
static int
load_command(struct loader *ld, const struct ynode *cmd,
    const struct ynode *args, struct mcp_server *m)
{
	struct tstr	*a = NULL, *b = NULL;
	size_t		 na = 0, nb = 0;
	int		 rc = 0;

	if (cmd->kind == YNODE_SCALAR) {
		na = 1;
		a = arena_array(ld->a, 1, sizeof *a);
		rc |= load_tstr(ld, cmd, "command", &a[0]);
	} else
		rc |= load_argv(ld, cmd, "command", &a, &na);
	if (args != NULL)
		rc |= load_argv(ld, args, "args", &b, &nb);
	if (rc < 0)
		return -1;
	m->ncommand = na + nb;
	m->command = arena_array(ld->a, na + nb, sizeof *m->command);
	memcpy(m->command, a, na * sizeof *a);
	if (nb > 0)
		memcpy(m->command + na, b, nb * sizeof *b);
	return 0;
}

/* What a server of each type needs, and what it cannot use. */
static int
check_type(struct loader *ld, const struct ynode *const *f,
    struct mcp_server *m, struct loc l)
{
	static const int	 stdio_only[] = { MF_COMMAND, MF_ARGS, MF_ENV },
				 http_only[] = { MF_URL, MF_HEADERS };
	static const char	*const tname[] = { "stdio", "streamable-http" };
	const int		*bad = m->type == MCP_STDIO ? http_only :
				    stdio_only;
	size_t			 nbad = m->type == MCP_STDIO ?
				    nitems(http_only) : nitems(stdio_only), i;
	int			 rc = 0;

	if (m->type == MCP_STDIO && f[MF_COMMAND] == NULL &&
	    !load_typo(ld, MF_COMMAND))
		rc = loc_error(&l, "MCP server '%s' of type stdio needs a "
		    "'command'", m->name);
	if (m->type == MCP_HTTP && f[MF_URL] == NULL && !load_typo(ld, MF_URL))
		rc = loc_error(&l, "MCP server '%s' of type streamable-http "
		    "needs a 'url'", m->name);
	for (i = 0; i < nbad; i++)
		if (f[bad[i]] != NULL) {
			struct loc	bl = load_loc(ld, f[bad[i]]);

			rc = loc_error(&bl, "'%s' does not apply to an MCP "
			    "server of type %s", mcp_fields[bad[i]].name,
			    tname[m->type]);
		}
	return rc;
}

int
load_mcp_server(struct loader *ld, const struct ynode *spec,
    struct mcp_server *m)
{
	const struct ynode	*f[MF_COUNT];
	struct loc		 l = load_loc(ld, spec);
	const char		*type = NULL;
	char			*what;
	bool			 autostart;
	int			 rc;

	what = arena_printf(ld->a, "the spec of MCP server '%s'", m->name);
	if ((rc = load_fields(ld, spec, what, mcp_fields, MF_COUNT, f)) < 0 &&
	    spec->kind != YNODE_MAP)
		return -1;
	if (f[MF_DESCRIPTION] != NULL)
		rc |= load_str(ld, f[MF_DESCRIPTION], "description",
		    &m->description);
	m->type = f[MF_URL] != NULL && f[MF_COMMAND] == NULL ? MCP_HTTP :
	    MCP_STDIO;
	if (f[MF_TYPE] != NULL && load_str(ld, f[MF_TYPE], "type", &type) < 0)
		rc = -1;
	else if (type != NULL && strcmp(type, "stdio") == 0)
		m->type = MCP_STDIO;
	else if (type != NULL && strcmp(type, "streamable-http") == 0)
		m->type = MCP_HTTP;
	else if (type != NULL) {
		struct loc	tl = load_loc(ld, f[MF_TYPE]);

		return loc_error(&tl, "unknown MCP server type '%s' (use "
		    "stdio or streamable-http)", type);
	}
	rc |= check_type(ld, f, m, l);
	if (f[MF_COMMAND] != NULL)
		rc |= load_command(ld, f[MF_COMMAND], f[MF_ARGS], m);
	if (f[MF_ENV] != NULL)
		rc |= load_env(ld, f[MF_ENV], "env", &m->env);
	if (f[MF_URL] != NULL)
		rc |= load_tstr(ld, f[MF_URL], "url", &m->url);
	if (f[MF_HEADERS] != NULL)
		rc |= load_tval(ld, f[MF_HEADERS], "headers", &m->headers);
	if (f[MF_HEADERS] != NULL && f[MF_HEADERS]->kind != YNODE_MAP)
		rc = load_type_error(ld, f[MF_HEADERS], "headers",
		    "a mapping of header names to values");
	if (f[MF_TIMEOUT] != NULL)
		rc |= load_timeout(ld, f[MF_TIMEOUT], &m->timeout_ns);
	if (f[MF_AUTOSTART] != NULL)
		rc |= load_bool(ld, f[MF_AUTOSTART], "autoStart", &autostart);
	return rc < 0 ? -1 : 0;
}
