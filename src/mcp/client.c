/* client.c: an MCP client of one server: handshake, requests, shutdown. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <json-c/json.h>

#include "mcp/int.h"
#include "base/value.h"

#define ERR_TAIL	4096	/* of a stdio server's stderr, kept */

static int
spawn(struct mcp_client *c, struct buf *err)
{
	posix_spawn_file_actions_t	fa;
	posix_spawnattr_t		attr;
	sigset_t			none, defaults;
	int				in[2], out[2], er[2] = { -1, -1 }, rc;

	if (pipe2(in, O_CLOEXEC) < 0)
		goto fail;
	if (pipe2(out, O_CLOEXEC) < 0) {
		close(in[0]);
		close(in[1]);
		goto fail;
	}
	if (c->spec->log_fd < 0 && pipe2(er, O_CLOEXEC) < 0) {
		close(in[0]);
		close(in[1]);
		close(out[0]);
		close(out[1]);
		goto fail;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in[0], 0);
	posix_spawn_file_actions_adddup2(&fa, out[1], 1);
	posix_spawn_file_actions_adddup2(&fa, c->spec->log_fd >= 0 ?
	    c->spec->log_fd : er[1], 2);
	if (c->spec->dir != NULL)
		posix_spawn_file_actions_addchdir_np(&fa, c->spec->dir);
	posix_spawn_file_actions_addclosefrom_np(&fa, 3);
	posix_spawnattr_init(&attr);
	sigemptyset(&none);
	sigfillset(&defaults);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &defaults);
	/* A group of its own: TERM and KILL reach whatever it started. */
	posix_spawnattr_setpgroup(&attr, 0);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK |
	    POSIX_SPAWN_SETSIGDEF | (c->spec->keep_group ? 0 :
	    POSIX_SPAWN_SETPGROUP));
	rc = posix_spawnp(&c->pid, c->spec->argv[0], &fa, &attr,
	    c->spec->argv, c->spec->envp);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	close(in[0]);
	close(out[1]);
	if (er[1] >= 0)
		close(er[1]);
	if (rc != 0) {
		close(in[1]);
		close(out[0]);
		if (er[0] >= 0)
			close(er[0]);
		c->pid = -1;
		buf_printf(err, "cannot start '%s': %s", c->spec->argv[0],
		    strerror(rc));
		return -1;
	}
	c->in = in[1];
	c->rd.fd = out[0];
	c->err = er[0];
	fcntl(c->in, F_SETFL, O_NONBLOCK);
	fcntl(c->rd.fd, F_SETFL, O_NONBLOCK);
	if (c->err >= 0)
		fcntl(c->err, F_SETFL, O_NONBLOCK);
	/* A server that dies must not kill us with SIGPIPE. */
	signal(SIGPIPE, SIG_IGN);
	return 0;
fail:
	buf_printf(err, "cannot make pipes: %s", strerror(errno));
	return -1;
}

/* Keeps the end of the server's stderr, for messages about its death. */
static void
drain_stderr(struct mcp_client *c)
{
	char	chunk[4096];
	ssize_t	n;

	while (c->err >= 0 && (n = read(c->err, chunk, sizeof chunk)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				return;
			break;
		}
		buf_add(&c->errtail, chunk, (size_t)n);
		if (c->errtail.len > 2 * ERR_TAIL) {
			memmove(c->errtail.s, c->errtail.s + c->errtail.len -
			    ERR_TAIL, ERR_TAIL);
			buf_truncate(&c->errtail, ERR_TAIL);
		}
	}
	close(c->err);
	c->err = -1;
}

/* The last non-empty line the server wrote on stderr, or "". */
static void
last_words(struct mcp_client *c, struct buf *to)
{
	const char	*s = buf_str(&c->errtail), *e, *b;

	e = s + c->errtail.len;
	while (e > s && (e[-1] == '\n' || e[-1] == '\r' || e[-1] == ' '))
		e--;
	for (b = e; b > s && b[-1] != '\n'; b--)
		;
	if (e > b)
		buf_printf(to, "; it said: %.*s", (int)(e - b > 300 ? 300 :
		    e - b), b);
}

/* Marks the connection unusable; every later request fails with why. */
void
mcp_die(struct mcp_client *c, const char *fmt, ...)
{
	va_list	ap;

	if (c->dead != NULL)
		return;
	va_start(ap, fmt);
	c->dead = xvasprintf(fmt, ap);
	va_end(ap);
}

/* The server closed its stdout: it is gone, or going. */
static void
server_gone(struct mcp_client *c)
{
	struct buf	why = BUF_INIT;
	int		st, i;
	pid_t		r = 0;

	for (i = 0; i < 50 && c->pid > 0; i++) {
		r = waitpid(c->pid, &st, WNOHANG);
		if (r != 0)
			break;
		poll(NULL, 0, 10);
	}
	drain_stderr(c);
	if (r == c->pid) {
		c->pid = -1;
		if (WIFEXITED(st))
			buf_printf(&why, "exited with status %d",
			    WEXITSTATUS(st));
		else if (WIFSIGNALED(st))
			buf_printf(&why, "was killed by SIG%s",
			    sigabbrev_np(WTERMSIG(st)));
	} else
		buf_adds(&why, "closed its output");
	last_words(c, &why);
	mcp_die(c, "the server %s", buf_str(&why));
	buf_release(&why);
}

/* Parses one line the server wrote; NULL (and the client dead) if bad. */
static struct json_object *
parse_message(struct mcp_client *c, const char *line, size_t len)
{
	struct json_object	*m;
	struct buf		 why = BUF_INIT;
	int			 ok;

	m = json_parse(line, len, &ok, &why);
	if (!ok || !json_object_is_type(m, json_type_object)) {
		mcp_die(c, "the server wrote something that is not a JSON-RPC "
		    "message: '%.60s%s'", line, len > 60 ? "..." : "");
		json_object_put(m);
		m = NULL;
	}
	buf_release(&why);
	return m;
}

static struct json_object *
stdio_next(struct mcp_client *c, int64_t deadline)
{
	const char	*line;
	size_t		 len;
	int		 r;

	for (;;) {
		struct pollfd	pfd[2] = { { c->rd.fd, POLLIN, 0 },
				    { c->err, POLLIN, 0 } };
		int64_t		left;

		r = rpc_read_line(&c->rd, &line, &len);
		if (r > 0 && len == 0)
			continue;	/* a blank line: nothing */
		if (r > 0)
			return parse_message(c, line, len);
		if (r < 0) {
			if (c->rd.too_long)
				mcp_die(c, "the server sent a message larger "
				    "than %u MiB", MCP_MAX_MESSAGE >> 20);
			else
				server_gone(c);
			return NULL;
		}
		left = deadline - clock_mono_ns();
		if (deadline > 0 && left <= 0)
			return NULL;
		if (poll(pfd, c->err >= 0 ? 2 : 1, deadline > 0 ?
		    (int)(left / 1000000) + 1 : -1) < 0 && errno != EINTR)
			return NULL;
		if (c->err >= 0 && pfd[1].revents != 0)
			drain_stderr(c);
	}
}

struct json_object *
mcp_next(struct mcp_client *c, int64_t deadline, struct buf *err)
{
	struct json_object	*m;

	if (c->ninbox > 0) {
		m = c->inbox[0];
		memmove(c->inbox, c->inbox + 1, --c->ninbox * sizeof *c->inbox);
		return m;
	}
	if (c->dead != NULL) {
		buf_adds(err, c->dead);
		return NULL;
	}
	if (c->spec->http)
		return NULL;	/* its answers came with its requests */
	m = stdio_next(c, deadline);
	if (m == NULL && c->dead != NULL)
		buf_adds(err, c->dead);
	return m;
}

int
mcp_send(struct mcp_client *c, struct json_object *msg, struct buf *err)
{
	int	rc;

	if (c->dead != NULL) {
		json_object_put(msg);
		buf_adds(err, c->dead);
		return -1;
	}
	if (c->spec->http)
		rc = mcp_http_post(c, msg, err);
	else if ((rc = rpc_write(c->in, msg, clock_mono_ns() +
	    5000000000LL)) < 0) {
		if (errno == EPIPE)
			server_gone(c);
		else
			mcp_die(c, "cannot write to the server: %s",
			    strerror(errno));
		buf_adds(err, c->dead);
	}
	json_object_put(msg);
	return rc;
}

int64_t
mcp_new_id(struct mcp_client *c)
{
	return c->next_id++;
}

int
mcp_fd(const struct mcp_client *c)
{
	return c->spec->http ? -1 : c->rd.fd;
}

const char *
mcp_version(const struct mcp_client *c)
{
	return c->version;
}

struct json_object *
mcp_server_info(const struct mcp_client *c)
{
	return c->info;
}

static void
reap(struct mcp_client *c, int64_t wait_ns)
{
	int64_t	until = clock_mono_ns() + wait_ns;
	int	st;

	while (c->pid > 0) {
		if (waitpid(c->pid, &st, WNOHANG) == c->pid) {
			c->pid = -1;
			return;
		}
		if (clock_mono_ns() >= until)
			return;
		poll(NULL, 0, 10);
	}
}

void
mcp_close(struct mcp_client *c)
{
	size_t	i;

	if (c == NULL)
		return;
	if (c->spec->http)
		mcp_http_close(c);
	if (c->in >= 0)
		close(c->in);
	if (c->pid > 0) {
		reap(c, 2000000000LL);
		if (c->pid > 0)
			kill(c->spec->keep_group ? c->pid : -c->pid, SIGTERM);
		reap(c, 2000000000LL);
		if (c->pid > 0) {
			kill(c->spec->keep_group ? c->pid : -c->pid, SIGKILL);
			reap(c, 5000000000LL);
		}
	}
	if (c->rd.fd >= 0)
		close(c->rd.fd);
	if (c->err >= 0)
		close(c->err);
	rpc_reader_release(&c->rd);
	for (i = 0; i < c->ninbox; i++)
		json_object_put(c->inbox[i]);
	free(c->inbox);
	free(c->cancelled);
	buf_release(&c->errtail);
	json_object_put(c->info);
	free(c->version);
	free(c->session);
	free(c->dead);
	free(c);
}

struct mcp_client *
mcp_open(const struct mcp_spec *spec, int64_t timeout_ns, struct buf *err)
{
	struct mcp_client	*c = xcalloc(1, sizeof *c);

	c->spec = spec;
	c->in = c->err = -1;
	c->rd = (struct rpc_reader)RPC_READER_INIT(-1);
	c->next_id = 1;
	if (!spec->http && spec->argv != NULL && spec->argv[0] != NULL &&
	    spawn(c, err) < 0) {
		mcp_close(c);
		return NULL;
	}
	if (spec->http && mcp_http_open(c, err) < 0) {
		mcp_close(c);
		return NULL;
	}
	if (mcp_initialize(c, timeout_ns, err) < 0) {
		mcp_close(c);
		return NULL;
	}
	return c;
}
