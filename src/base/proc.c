/* proc.c: child processes; the only file that starts them or waits for them. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/proc.h"
#include "base/util.h"

#define TAG_SIGNALS	UINT64_MAX

static int	epfd = -1, sigfd = -1;
static sigset_t	caught, saved_mask;

int
proc_start(const struct proc_req *r, struct child *c)
{
	posix_spawn_file_actions_t	fa;
	posix_spawnattr_t		attr;
	sigset_t			none, defaults;
	int				out[2] = { -1, -1 }, err[2] = { -1, -1 };
	int				rc, e;
	short				flags;

	c->pid = -1;
	c->out = c->err = -1;
	if (r->capture && (pipe2(out, O_CLOEXEC) < 0 ||
	    pipe2(err, O_CLOEXEC) < 0)) {
		e = errno;
		if (out[0] >= 0) {
			close(out[0]);
			close(out[1]);
		}
		errno = e;
		return -1;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	if (r->capture) {
		posix_spawn_file_actions_adddup2(&fa, out[1], 1);
		posix_spawn_file_actions_adddup2(&fa, err[1], 2);
	} else if (r->out_fd >= 0) {
		posix_spawn_file_actions_adddup2(&fa, r->out_fd, 1);
		posix_spawn_file_actions_adddup2(&fa, r->out_fd, 2);
	}
	if (r->dir != NULL)
		posix_spawn_file_actions_addchdir_np(&fa, r->dir);
	/* Nothing muster holds, or was given, goes further. */
	posix_spawn_file_actions_addclosefrom_np(&fa, 3);
	posix_spawnattr_init(&attr);
	sigemptyset(&none);
	sigfillset(&defaults);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &defaults);
	flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
	if (r->new_session)
		flags |= POSIX_SPAWN_SETSID;
	else if (!r->keep_group) {
		flags |= POSIX_SPAWN_SETPGROUP;
		posix_spawnattr_setpgroup(&attr, 0);
	}
	posix_spawnattr_setflags(&attr, flags);
	rc = posix_spawnp(&c->pid, r->argv[0], &fa, &attr, r->argv, r->envp);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	if (r->capture) {
		close(out[1]);
		close(err[1]);
	}
	if (rc != 0) {
		if (r->capture) {
			close(out[0]);
			close(err[0]);
		}
		c->pid = -1;
		errno = rc;
		return -1;
	}
	if (r->capture) {
		fcntl(out[0], F_SETFL, O_NONBLOCK);
		fcntl(err[0], F_SETFL, O_NONBLOCK);
		c->out = out[0];
		c->err = err[0];
	}
	return 0;
}

int
proc_loop_init(void)
{
	struct epoll_event	ev = { .events = EPOLLIN };

	if (epfd >= 0)
		return epfd;
	sigemptyset(&caught);
	sigaddset(&caught, SIGCHLD);
	sigaddset(&caught, SIGINT);
	sigaddset(&caught, SIGTERM);
	sigaddset(&caught, SIGHUP);
	sigaddset(&caught, SIGUSR1);
	if (sigprocmask(SIG_BLOCK, &caught, &saved_mask) < 0)
		return -1;
	if ((sigfd = signalfd(-1, &caught, SFD_CLOEXEC | SFD_NONBLOCK)) < 0)
		return -1;
	if ((epfd = epoll_create1(EPOLL_CLOEXEC)) < 0)
		return -1;
	ev.data.u64 = TAG_SIGNALS;
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, sigfd, &ev) < 0)
		return -1;
	return epfd;
}

void
proc_loop_release(void)
{
	if (epfd >= 0)
		close(epfd);
	if (sigfd >= 0)
		close(sigfd);
	epfd = sigfd = -1;
	sigprocmask(SIG_SETMASK, &saved_mask, NULL);
}

int
proc_watch(int fd, uint64_t tag)
{
	struct epoll_event	ev = { .events = EPOLLIN };

	ev.data.u64 = tag;
	return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
}

void
proc_unwatch(int fd)
{
	epoll_ctl(epfd, EPOLL_CTL_DEL, fd, NULL);
}

void
proc_usage_add(struct proc_usage *a, const struct proc_usage *b)
{
	a->user_us += b->user_us;
	a->sys_us += b->sys_us;
	if (b->max_rss_kb > a->max_rss_kb)
		a->max_rss_kb = b->max_rss_kb;
	a->inblock += b->inblock;
	a->oublock += b->oublock;
	a->nvcsw += b->nvcsw;
	a->nivcsw += b->nivcsw;
}

static void
usage_of(struct proc_usage *u, const struct rusage *ru)
{
	u->user_us = (int64_t)ru->ru_utime.tv_sec * 1000000 +
	    ru->ru_utime.tv_usec;
	u->sys_us = (int64_t)ru->ru_stime.tv_sec * 1000000 +
	    ru->ru_stime.tv_usec;
	u->max_rss_kb = ru->ru_maxrss;
	u->inblock = ru->ru_inblock;
	u->oublock = ru->ru_oublock;
	u->nvcsw = ru->ru_nvcsw;
	u->nivcsw = ru->ru_nivcsw;
}

/* Reaps every exited child into ev, with its usage; returns how many fit. */
static int
reap(struct proc_event *ev, int n)
{
	struct rusage	ru;
	int		k = 0, status;
	pid_t		pid;

	while (k < n && (pid = wait4(-1, &status, WNOHANG, &ru)) > 0) {
		ev[k].kind = PROC_EV_CHILD;
		ev[k].pid = pid;
		ev[k].status = status;
		usage_of(&ev[k].usage, &ru);
		k++;
	}
	return k;
}

/* Drains the signalfd; SIGCHLD means reap, others are reported. */
static int
read_signals(struct proc_event *ev, int n)
{
	struct signalfd_siginfo	si;
	int			k = 0, child = 0;

	while (read(sigfd, &si, sizeof si) == (ssize_t)sizeof si) {
		if (si.ssi_signo == SIGCHLD)
			child = 1;
		else if (k < n) {
			ev[k].kind = PROC_EV_SIGNAL;
			ev[k].sig = (int)si.ssi_signo;
			k++;
		}
	}
	if (child)
		k += reap(ev + k, n - k);
	return k;
}

int
proc_wait(int64_t deadline, struct proc_event *ev, int n)
{
	struct epoll_event	evs[64];
	int			timeout = -1, r, i, k = 0;

	/* Children may have exited while nothing was watching. */
	if ((k = reap(ev, n)) > 0)
		return k;
	if (deadline > 0) {
		int64_t	left = deadline - clock_mono_ns();

		if (left <= 0) {
			ev[0].kind = PROC_EV_TIMEOUT;
			return 1;
		}
		timeout = (int)((left + 999999) / 1000000);
	}
	r = epoll_wait(epfd, evs, n < 64 ? n : 64, timeout);
	if (r < 0)
		return errno == EINTR ? 0 : -1;
	if (r == 0) {
		ev[0].kind = PROC_EV_TIMEOUT;
		return 1;
	}
	for (i = 0; i < r && k < n; i++) {
		if (evs[i].data.u64 == TAG_SIGNALS) {
			k += read_signals(ev + k, n - k);
			continue;
		}
		ev[k].kind = PROC_EV_READ;
		ev[k].tag = evs[i].data.u64;
		k++;
	}
	return k;
}

void
proc_kill_group(pid_t pid, int sig)
{
	if (pid <= 0)
		return;
	kill(-pid, sig);
	if (sig == SIGTERM || sig == SIGINT || sig == SIGHUP)
		kill(-pid, SIGCONT);
}

int
proc_stat(pid_t pid, struct proc_stat *st)
{
	char			 path[64], buf[1024], *p;
	unsigned long long	 t;
	ssize_t			 n;
	int			 fd, pgrp;

	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	/*
	 * The command may hold spaces and parens: count from the last ')'.
	 * Then: state ppid pgrp ... and starttime, the 22nd field.
	 */
	if ((p = strrchr(buf, ')')) == NULL ||
	    sscanf(p + 1, " %c %*d %d", &st->state, &pgrp) != 2)
		return -1;
	st->pgrp = pgrp;
	for (n = 2; *p != '\0' && n < 22; p++)
		if (*p == ' ')
			n++;
	if (sscanf(p, "%llu", &t) != 1)
		return -1;
	st->start_time = t;
	return 0;
}

uint64_t
proc_start_time(pid_t pid)
{
	struct proc_stat	st;

	return proc_stat(pid, &st) == 0 ? st.start_time : 0;
}

bool
proc_group_alive(pid_t pgrp)
{
	struct proc_stat	 st;
	struct dirent		*de;
	DIR			*d;
	bool			 alive = false;
	long			 pid;
	char			*end;

	if (kill(-pgrp, 0) < 0 && errno == ESRCH)
		return false;
	/* A member may be a zombie that its reaper has not got to yet. */
	if ((d = opendir("/proc")) == NULL)
		return true;
	while (!alive && (de = readdir(d)) != NULL) {
		pid = strtol(de->d_name, &end, 10);
		if (*end == '\0' && pid > 0 && proc_stat((pid_t)pid, &st) == 0)
			alive = st.pgrp == pgrp && st.state != 'Z' &&
			    st.state != 'X';
	}
	closedir(d);
	return alive;
}

const char *
proc_boot_id(void)
{
	static char	id[64];
	ssize_t		n;
	int		fd;

	if (id[0] != '\0')
		return id;
	if ((fd = open("/proc/sys/kernel/random/boot_id",
	    O_RDONLY | O_CLOEXEC)) < 0)
		return "";
	n = read(fd, id, sizeof id - 1);
	close(fd);
	if (n <= 0)
		return id[0] = '\0', id;
	id[n] = '\0';
	id[strcspn(id, "\n")] = '\0';
	return id;
}

bool
proc_still_runs(pid_t pid, uint64_t start, const char *boot)
{
	struct proc_stat	st;

	if (pid <= 1 || boot == NULL || strcmp(boot, proc_boot_id()) != 0)
		return false;
	if (proc_stat(pid, &st) == 0)
		return st.start_time == start && st.state != 'Z' &&
		    st.state != 'X';
	/* The leader is gone; while its group lives, its id is not reused. */
	return proc_group_alive(pid);
}

void
proc_raise_fd_limit(void)
{
	struct rlimit	rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

long
proc_fd_limit(void)
{
	struct rlimit	rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur == RLIM_INFINITY)
		return 1 << 20;
	return (long)rl.rlim_cur;
}

/* True when the NUL-separated environ text holds exactly the entry kv. */
static int
environ_has(const char *env, size_t len, const char *kv, size_t kvlen)
{
	const char	*p = env, *end = env + len;

	while (p < end) {
		size_t	n = strnlen(p, (size_t)(end - p));

		if (n == kvlen && memcmp(p, kv, kvlen) == 0)
			return 1;
		p += n + 1;
	}
	return 0;
}

size_t
proc_with_env(const char *kv, pid_t *out, size_t max)
{
	DIR		*d = opendir("/proc");
	struct dirent	*e;
	char		 path[64], *buf = xmalloc(1 << 18);
	size_t		 found = 0, kvlen = strlen(kv);
	pid_t		 self = getpid();

	if (d == NULL) {
		free(buf);
		return 0;
	}
	while ((e = readdir(d)) != NULL) {
		pid_t	pid = (pid_t)strtol(e->d_name, NULL, 10);
		ssize_t	n;
		int	fd;

		if (pid <= 0 || pid == self)
			continue;
		snprintf(path, sizeof path, "/proc/%d/environ", (int)pid);
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
			continue;
		n = read(fd, buf, (1 << 18) - 1);
		close(fd);
		if (n <= 0 || !environ_has(buf, (size_t)n, kv, kvlen))
			continue;
		if (found < max)
			out[found] = pid;
		found++;
	}
	closedir(d);
	free(buf);
	return found;
}
