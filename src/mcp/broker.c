/* broker.c: one stdio MCP server shared by an execution's steps, over a socket. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include <json-c/json.h>

#include "mcp/int.h"
#include "base/value.h"

#define MAX_PEERS	256

/*
 * A socket's address through /proc/self/fd: an execution's folder may lie
 * deeper than sun_path's 108 bytes allow.
 */
static socklen_t
address(struct sockaddr_un *a, int dirfd, const char *name)
{
	memset(a, 0, sizeof *a);
	a->sun_family = AF_UNIX;
	snprintf(a->sun_path, sizeof a->sun_path, "/proc/self/fd/%d/%s.sock",
	    dirfd, name);
	return sizeof *a;
}

int
mcp_broker_listen(int dirfd, const char *name)
{
	struct sockaddr_un	a;
	socklen_t		len = address(&a, dirfd, name);
	char			*file = xasprintf("%s.sock", name);
	int			fd;

	unlinkat(dirfd, file, 0);
	free(file);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&a, len) < 0 || listen(fd, 64) < 0) {
		int	e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

int
mcp_broker_connect(int dirfd, const char *name)
{
	struct sockaddr_un	a;
	socklen_t		len = address(&a, dirfd, name);
	int			fd;

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&a, len) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* A step's connection: one call at a time. */
struct peer {
	int			 fd;
	struct rpc_reader	 rd;
	int64_t			 id;	/* its request to the server, or 0 */
};

struct broker {
	struct mcp_client	*c;
	struct peer		 peers[MAX_PEERS];
	size_t			 n;
	bool			 stop;
};

static void
tell(struct peer *p, struct json_object *msg)
{
	/* A step that stopped listening is dropped when its fd reads EOF. */
	rpc_write(p->fd, msg, clock_mono_ns() + 5000000000LL);
	json_object_put(msg);
}

static void
tell_error(struct peer *p, const char *why)
{
	struct json_object	*o = json_object_new_object();

	json_set(o, "error", json_str(why));
	tell(p, o);
	p->id = 0;
}

static void
drop(struct broker *b, size_t i)
{
	struct peer	*p = &b->peers[i];

	if (p->id != 0 && mcp_dead(b->c) == NULL)
		mcp_cancel(b->c, p->id, "the step stopped waiting");
	close(p->fd);
	rpc_reader_release(&p->rd);
	b->peers[i] = b->peers[--b->n];
}

static struct json_object *
get(struct json_object *o, const char *key)
{
	struct json_object	*v = NULL;

	if (o != NULL && json_object_is_type(o, json_type_object))
		json_object_object_get_ex(o, key, &v);
	return v;
}

/* A step asked for a call (or for the broker to stop). */
static void
from_peer(struct broker *b, struct peer *p, const char *line, size_t len)
{
	struct json_object	*m, *params, *meta;
	struct buf		 why = BUF_INIT;
	int			 ok;

	m = json_parse(line, len, &ok, &why);
	buf_release(&why);
	if (ok && get(m, "stop") != NULL) {
		b->stop = true;
	} else if (!ok || p->id != 0 || get(m, "tool") == NULL)
		tell_error(p, "the broker got a bad request");
	else {
		params = json_object_new_object();
		meta = json_object_new_object();
		p->id = mcp_new_id(b->c);
		json_set(meta, "progressToken", json_object_new_int64(p->id));
		json_set(params, "name", json_object_get(get(m, "tool")));
		json_set(params, "arguments", get(m, "arguments") ?
		    json_object_get(get(m, "arguments")) :
		    json_object_new_object());
		json_set(params, "_meta", meta);
		if (mcp_send(b->c, rpc_request(p->id, "tools/call", params),
		    &why) < 0)
			tell_error(p, buf_str(&why));
		buf_release(&why);
	}
	json_object_put(m);
}

static struct peer *
peer_of(struct broker *b, int64_t id)
{
	size_t	i;

	for (i = 0; i < b->n; i++)
		if (b->peers[i].id == id && id != 0)
			return &b->peers[i];
	return NULL;
}

/* Something the server said; false when it cannot be used any more. */
static bool
from_server(struct broker *b, struct json_object *m)
{
	struct json_object	*id = get(m, "id"), *method = get(m, "method");
	struct json_object	*params = get(m, "params"), *o;
	struct peer		*p;

	if (method != NULL && id != NULL) {
		mcp_answer(b->c, m);
		return true;
	}
	if (method != NULL) {
		if (strcmp(json_object_get_string(method),
		    "notifications/progress") != 0 || (p = peer_of(b,
		    json_object_get_int64(get(params, "progressToken")))) ==
		    NULL)
			return true;
		o = json_object_new_object();
		json_set(o, "progress", json_object_get(params));
		tell(p, o);
		return true;
	}
	if (id != NULL && (p = peer_of(b, json_object_get_int64(id))) != NULL) {
		if (get(m, "error") != NULL) {
			char	*e = xasprintf("%s (JSON-RPC error %d)",
				    json_object_get_string(get(get(m, "error"),
				    "message")), json_object_get_int(get(get(m,
				    "error"), "code")));

			tell_error(p, e);
			free(e);
			return true;
		}
		o = json_object_new_object();
		json_set(o, "result", json_object_get(get(m, "result")));
		tell(p, o);
		p->id = 0;
		return true;
	}
	/* A cancelled call's late answer is dropped by its id being gone. */
	if (id != NULL && json_object_is_type(id, json_type_int) &&
	    json_object_get_int64(id) < mcp_new_id(b->c))
		return true;
	mcp_die(b->c, "the server answered request id %s, which muster never "
	    "sent", id ? json_object_to_json_string(id) : "(none)");
	return false;
}

static void
fail_all(struct broker *b, const char *why)
{
	size_t	i;

	for (i = 0; i < b->n; i++)
		if (b->peers[i].id != 0)
			tell_error(&b->peers[i], why);
}

static void
accept_peers(struct broker *b, int lfd)
{
	int	fd;

	while ((fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC |
	    SOCK_NONBLOCK)) >= 0) {
		if (b->n == MAX_PEERS) {
			close(fd);
			continue;
		}
		b->peers[b->n].fd = fd;
		b->peers[b->n].rd = (struct rpc_reader)RPC_READER_INIT(fd);
		b->peers[b->n].id = 0;
		b->n++;
	}
}

static void
read_peer(struct broker *b, size_t i)
{
	const char	*line;
	size_t		 len;
	int		 r;

	while ((r = rpc_read_line(&b->peers[i].rd, &line, &len)) > 0)
		from_peer(b, &b->peers[i], line, len);
	if (r < 0)
		drop(b, i);
}

/* Reads what the server wrote; false when it is gone or broken. */
static bool
read_server(struct broker *b)
{
	struct json_object	*m;
	struct buf		 err = BUF_INIT;
	bool			 ok = true;

	while (ok && (m = mcp_next(b->c, 1, &err)) != NULL) {
		ok = from_server(b, m);
		json_object_put(m);
	}
	if (mcp_dead(b->c) != NULL) {
		fail_all(b, mcp_dead(b->c));
		ok = false;
	}
	buf_release(&err);
	return ok;
}

static int
pidfd(pid_t pid)
{
#ifdef SYS_pidfd_open
	return (int)syscall(SYS_pidfd_open, pid, 0);
#else
	(void)pid;
	return -1;
#endif
}

static void
loop(struct broker *b, int lfd, pid_t runner)
{
	struct pollfd	pfd[MAX_PEERS + 3];
	int		rfd = pidfd(runner);
	size_t		i, n;

	while (!b->stop) {
		n = 0;
		pfd[n++] = (struct pollfd){ lfd, POLLIN, 0 };
		pfd[n++] = (struct pollfd){ mcp_fd(b->c), POLLIN, 0 };
		pfd[n++] = (struct pollfd){ rfd, POLLIN, 0 };
		for (i = 0; i < b->n; i++)
			pfd[n++] = (struct pollfd){ b->peers[i].fd, POLLIN, 0 };
		if (poll(pfd, n, rfd < 0 ? 1000 : -1) < 0 && errno != EINTR)
			break;
		/* The runner is gone (or, without pidfd, may be). */
		if ((rfd >= 0 && pfd[2].revents != 0) || (rfd < 0 &&
		    kill(runner, 0) < 0 && errno == ESRCH))
			break;
		if (pfd[1].revents != 0 && !read_server(b))
			break;
		if (pfd[0].revents != 0)
			accept_peers(b, lfd);
		/* Backwards: drop() moves the last peer into slot i. */
		for (i = n - 3; i-- > 0;)
			if (i < b->n && pfd[i + 3].revents != 0)
				read_peer(b, i);
	}
	if (rfd >= 0)
		close(rfd);
}

int
mcp_broker_run(const struct mcp_spec *spec, int lfd, int ready_fd,
    pid_t runner, int64_t start_timeout_ns)
{
	struct broker	 b = { 0 };
	struct buf	 err = BUF_INIT;

	signal(SIGPIPE, SIG_IGN);
	if ((b.c = mcp_open(spec, start_timeout_ns, &err)) == NULL) {
		buf_addc(&err, '\n');
		(void)!write(ready_fd, err.s, err.len);
		close(ready_fd);
		buf_release(&err);
		return -1;
	}
	(void)!write(ready_fd, "ok\n", 3);
	close(ready_fd);
	loop(&b, lfd, runner);
	close(lfd);
	fail_all(&b, mcp_dead(b.c) ? mcp_dead(b.c) : "the execution ended");
	mcp_close(b.c);
	/* Only now: the step that asked to stop waits for this. */
	while (b.n > 0)
		drop(&b, b.n - 1);
	buf_release(&err);
	return 0;
}

int
mcp_broker_call(int fd, const char *tool, struct json_object *args,
    int64_t deadline, int64_t timeout_ns, mcp_progress_fn fn, void *arg,
    struct json_object **result, struct buf *err)
{
	struct rpc_reader	 rd = RPC_READER_INIT(fd);
	struct json_object	*req = json_object_new_object(), *m, *p;
	struct buf		 why = BUF_INIT;
	const char		*line;
	size_t			 len;
	int			 r, ok, rc = -1;

	json_set(req, "tool", json_str(tool));
	json_set(req, "arguments", json_object_get(args));
	r = rpc_write(fd, req, 0);
	json_object_put(req);
	if (r < 0) {
		buf_printf(err, "the execution's MCP broker went away");
		return -1;
	}
	*result = NULL;
	fcntl(fd, F_SETFL, O_NONBLOCK);
	while ((r = rpc_read_line(&rd, &line, &len)) >= 0) {
		if (r == 0) {
			struct pollfd	pfd = { fd, POLLIN, 0 };
			int64_t		left = deadline - clock_mono_ns();

			if (deadline > 0 && left <= 0) {
				struct buf	d = BUF_INIT;

				/* The broker cancels it when we hang up. */
				duration_format(&d, timeout_ns);
				buf_printf(err, "no answer to tools/call within "
				    "%s (cancelled)", buf_str(&d));
				buf_release(&d);
				break;
			}
			poll(&pfd, 1, deadline > 0 ? (int)(left / 1000000) + 1 :
			    -1);
			continue;
		}
		m = json_parse(line, len, &ok, &why);
		if ((p = get(m, "progress")) != NULL && fn != NULL)
			fn(arg, json_object_get_double(get(p, "progress")),
			    get(p, "total") ? json_object_get_double(get(p,
			    "total")) : -1, json_object_get_string(get(p,
			    "message")));
		else if ((p = get(m, "error")) != NULL) {
			buf_adds(err, json_object_get_string(p));
			json_object_put(m);
			break;
		} else if ((p = get(m, "result")) != NULL) {
			*result = json_object_get(p);
			json_object_put(m);
			rc = 0;
			break;
		}
		json_object_put(m);
	}
	if (r < 0 && err->len == 0)
		buf_adds(err, rd.too_long ? "the answer is too large" :
		    "the execution's MCP broker went away");
	rpc_reader_release(&rd);
	buf_release(&why);
	return rc;
}

void
mcp_brokers_stop(const char *dir)
{
	struct json_object	*stop = json_object_new_object();
	DIR			*d = opendir(dir);
	struct dirent		*e;
	int			 fds[64], dfd, n = 0, i;
	char			 c;

	json_set(stop, "stop", json_object_new_boolean(1));
	if (d == NULL) {
		json_object_put(stop);
		return;
	}
	dfd = dirfd(d);
	while ((e = readdir(d)) != NULL && n < 64) {
		size_t	len = strlen(e->d_name);
		char	*name;

		if (len < 6 || strcmp(e->d_name + len - 5, ".sock") != 0)
			continue;
		name = xstrndup(e->d_name, len - 5);
		if ((fds[n] = mcp_broker_connect(dfd, name)) >= 0 &&
		    rpc_write(fds[n], stop, clock_mono_ns() + 1000000000) == 0)
			n++;
		else if (fds[n] >= 0)
			close(fds[n]);
		unlinkat(dfd, e->d_name, 0);
		free(name);
	}
	/* Each closes the connection once its server is stopped. */
	for (i = 0; i < n; i++) {
		struct pollfd	pfd = { fds[i], POLLIN, 0 };

		while (poll(&pfd, 1, 10000) > 0 && read(fds[i], &c, 1) > 0)
			;
		close(fds[i]);
	}
	closedir(d);
	json_object_put(stop);
}
