/* health.h: one probe of a service: HTTP, TCP or a command. */
#ifndef MUSTER_HEALTH_H
#define MUSTER_HEALTH_H

#include <stdint.h>

struct buf;

/*
 * GETs scheme://host:port/path; healthy on a 2xx or 3xx answer (redirects
 * are not followed).  Returns 1 healthy, 0 not (why in *why).
 */
int	health_http(const char *scheme, const char *host, const char *port,
	    const char *path, int64_t timeout_ns, struct buf *why);
/* Connects to host:port; healthy when the connection is accepted. */
int	health_tcp(const char *host, const char *port, int64_t timeout_ns,
	    struct buf *why);
/*
 * Runs argv (no shell; stdin /dev/null, output to out_fd) in dir; healthy
 * when it exits 0 within the timeout (else its group is killed).
 */
int	health_exec(char *const *argv, char *const *envp, const char *dir,
	    int out_fd, int64_t timeout_ns, struct buf *why);

#endif
