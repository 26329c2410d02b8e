/* health.c: one probe of a service: HTTP (libcurl), TCP or a command. */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>


#include "svc/probe.h"
#include "base/curl.h"
#include "base/proc.h"
#include "base/util.h"

/* libcurl, loaded when first needed (base/curl.c). */
static const struct curl_api	*curl;

/* The body is not wanted: only the status. */
static size_t
discard(char *p, size_t size, size_t n, void *arg)
{
	(void)p;
	(void)arg;
	return size * n;
}

int
health_http(const char *scheme, const char *host, const char *port,
    const char *path, int64_t timeout_ns, struct buf *why)
{
	CURL		*c;
	CURLcode	 rc;
	long		 code = 0;
	char		*url;

	if (curl == NULL && (curl = curl_api("HTTP probes", why)) == NULL)
		return 0;
	url = xasprintf("%s://%s:%s%s%s", scheme ? scheme : "http",
	    host ? host : "127.0.0.1", port, path && *path == '/' ? "" : "/",
	    path ? path : "");
	if ((c = curl->init()) == NULL)
		fatal("out of memory starting an HTTP probe");
	curl->setopt(c, CURLOPT_URL, url);
	curl->setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl->setopt(c, CURLOPT_TIMEOUT_MS, (long)(timeout_ns / 1000000));
	curl->setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl->setopt(c, CURLOPT_WRITEFUNCTION, discard);
	curl->setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	rc = curl->perform(c);
	if (rc == CURLE_OK)
		curl->getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	curl->cleanup(c);
	if (rc != CURLE_OK)
		buf_printf(why, "GET %s: %s", url, curl->strerror(rc));
	else if (code < 200 || code >= 400)
		buf_printf(why, "GET %s: HTTP %ld", url, code);
	free(url);
	return rc == CURLE_OK && code >= 200 && code < 400;
}

int
health_tcp(const char *host, const char *port, int64_t timeout_ns,
    struct buf *why)
{
	struct addrinfo	 hints = { .ai_socktype = SOCK_STREAM }, *res, *a;
	int		 fd = -1, e, ok = 0;
	socklen_t	 len = sizeof e;

	if (host == NULL)
		host = "127.0.0.1";
	if ((e = getaddrinfo(host, port, &hints, &res)) != 0) {
		buf_printf(why, "%s:%s: %s", host, port, gai_strerror(e));
		return 0;
	}
	for (a = res; a != NULL && !ok; a = a->ai_next) {
		struct pollfd	pfd;

		fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC |
		    SOCK_NONBLOCK, a->ai_protocol);
		if (fd < 0)
			continue;
		if (connect(fd, a->ai_addr, a->ai_addrlen) == 0)
			ok = 1;
		else if (errno == EINPROGRESS) {
			pfd.fd = fd;
			pfd.events = POLLOUT;
			if (poll(&pfd, 1, (int)(timeout_ns / 1000000)) == 1 &&
			    getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &len) == 0)
				ok = e == 0;
			else
				e = ETIMEDOUT;
			errno = e;
		}
		if (!ok)
			buf_printf(why, "connect %s:%s: %s", host, port,
			    strerror(errno));
		close(fd);
	}
	freeaddrinfo(res);
	if (ok)
		buf_truncate(why, 0);
	return ok;
}

int
health_exec(char *const *argv, char *const *envp, const char *dir,
    int out_fd, int64_t timeout_ns, struct buf *why)
{
	struct proc_req	r = { .argv = argv, .envp = envp, .dir = dir,
			    .out_fd = out_fd };
	struct child	c;
	int64_t		end = clock_mono_ns() + timeout_ns;
	int		status = 0;
	pid_t		w;

	if (proc_start(&r, &c) < 0) {
		buf_printf(why, "cannot run '%s': %s", argv[0], strerror(errno));
		return 0;
	}
	/* A short command: waiting in steps is simpler than a loop here. */
	while ((w = waitpid(c.pid, &status, WNOHANG)) == 0) {
		if (clock_mono_ns() >= end) {
			proc_kill_group(c.pid, SIGKILL);
			waitpid(c.pid, &status, 0);
			buf_printf(why, "'%s' did not answer in time", argv[0]);
			return 0;
		}
		usleep(10000);
	}
	if (w < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		buf_printf(why, "'%s' %s %d", argv[0], WIFEXITED(status) ?
		    "exited" : "was killed by signal", WIFEXITED(status) ?
		    WEXITSTATUS(status) : WTERMSIG(status));
		return 0;
	}
	return 1;
}
