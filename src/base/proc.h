/* proc.h: child processes: starting, watching, signalling, reaping. */
#ifndef MUSTER_PROC_H
#define MUSTER_PROC_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* What to start. */
struct proc_req {
	char *const	*argv;		/* argv[0] is looked up in PATH */
	char *const	*envp;
	const char	*dir;		/* working folder, or NULL */
	int		 capture;	/* stdout and stderr to pipes (else inherit) */
	int		 new_session;	/* setsid: a daemon, not a step */
	int		 keep_group;	/* stay in the parent's process group */
	int		 out_fd;	/* with !capture: stdout and stderr here (-1: inherit) */
};

/* A started child. */
struct child {
	pid_t	pid;		/* also its process group */
	int	out, err;	/* our ends of its stdout and stderr, or -1 */
};

/*
 * Starts a child in a process group of its own, stdin /dev/null, no other
 * descriptors.  Returns 0, or -1 with errno set (the child could not be
 * started, e.g. the program does not exist: ENOENT).
 */
int	proc_start(const struct proc_req *, struct child *);

/*
 * Prepares the event loop: blocks SIGCHLD, SIGINT, SIGTERM and SIGHUP and
 * returns an epoll descriptor watching a signalfd for them.
 */
int	proc_loop_init(void);
void	proc_loop_release(void);
/* Watches fd for input, with tag handed back by proc_wait(). */
int	proc_watch(int fd, uint64_t tag);
void	proc_unwatch(int fd);

/* What the kernel counted for a reaped child and the children it waited
 * for (wait4's rusage). */
struct proc_usage {
	int64_t	user_us, sys_us;	/* CPU time */
	int64_t	max_rss_kb;		/* largest resident set */
	int64_t	inblock, oublock;	/* file system blocks in and out */
	int64_t	nvcsw, nivcsw;		/* voluntary, involuntary switches */
};

/* Adds b to a: times and counts summed, the larger max_rss_kb kept. */
void	proc_usage_add(struct proc_usage *a, const struct proc_usage *b);

/* One thing that happened while waiting. */
struct proc_event {
	enum {
		PROC_EV_TIMEOUT,	/* the deadline passed */
		PROC_EV_READ,		/* a watched fd is readable or closed */
		PROC_EV_CHILD,		/* a child exited: pid, status */
		PROC_EV_SIGNAL		/* SIGINT, SIGTERM or SIGHUP: sig */
	} kind;
	uint64_t	tag;
	pid_t		pid;
	int		status;		/* as from waitpid */
	int		sig;
	struct proc_usage usage;	/* PROC_EV_CHILD: what it used */
};

/*
 * Waits until something happens or deadline (monotonic ns; 0 = none)
 * passes; fills up to n events (every exited child is reaped) and returns
 * how many, or -1 on error.
 */
int	proc_wait(int64_t deadline, struct proc_event *, int n);

/* Sends sig to the process group of pid (and SIGCONT after SIGTERM). */
void	proc_kill_group(pid_t, int sig);

/* What /proc/PID/stat says of a process. */
struct proc_stat {
	char		state;		/* R S D Z T ... */
	pid_t		pgrp;
	uint64_t	start_time;	/* clock ticks since boot */
};
/* Reads it: 0, or -1 when there is no such process. */
int	 proc_stat(pid_t, struct proc_stat *);
/* The start time of pid from /proc (clock ticks since boot), or 0. */
uint64_t proc_start_time(pid_t);
/* True while a process of group pgrp lives (zombies do not count). */
bool	 proc_group_alive(pid_t pgrp);
/* This boot's id, from /proc/sys/kernel/random/boot_id, or "". */
const char *proc_boot_id(void);
/*
 * True while the process recorded as pid, started at start (clock ticks
 * since boot) during boot, still runs, or while members of its process
 * group do after it ended.  Another process given the same pid later, or
 * after a reboot, is not it.
 */
bool	 proc_still_runs(pid_t pid, uint64_t start, const char *boot);

/*
 * Finds live processes (not this one) whose environment holds the entry
 * kv ("NAME=value"): up to max pids into out; returns how many there are.
 */
size_t	proc_with_env(const char *kv, pid_t *out, size_t max);

/* Makes sure this process may have n more descriptors open, if it can. */
void	proc_raise_fd_limit(void);
/* The number of descriptors this process may open. */
long	proc_fd_limit(void);

#endif
