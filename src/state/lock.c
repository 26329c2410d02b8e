/* lock.c: kernel locks on executions and workflows, released on death. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "state/lock.h"
#include "base/util.h"

static pid_t
read_pid(int fd)
{
	char	buf[32];
	ssize_t	n = pread(fd, buf, sizeof buf - 1, 0);

	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return (pid_t)strtol(buf, NULL, 10);
}

int
lock_take(int dirfd, const char *name, int wait, int *out, pid_t *holder)
{
	struct stat	held, now;
	char		buf[32];
	int		fd, n;

	*out = -1;
	*holder = 0;
again:
	fd = openat(dirfd, name, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
	    0600);
	if (fd < 0)
		return -1;
	while (flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB)) < 0) {
		if (errno == EINTR)
			continue;
		if (errno == EWOULDBLOCK) {
			*holder = read_pid(fd);
			close(fd);
			return LOCK_BUSY;
		}
		n = errno;
		close(fd);
		errno = n;
		return -1;
	}
	/*
	 * A holder that removed the file while we waited took the lock with
	 * it: the lock is whatever file has the name now.
	 */
	if (fstat(fd, &held) < 0 || fstatat(dirfd, name, &now,
	    AT_SYMLINK_NOFOLLOW) < 0 || held.st_ino != now.st_ino ||
	    held.st_dev != now.st_dev) {
		close(fd);
		goto again;
	}
	/* Only for messages: the kernel knows who holds the lock. */
	n = snprintf(buf, sizeof buf, "%d\n", (int)getpid());
	if (ftruncate(fd, 0) < 0 || pwrite(fd, buf, (size_t)n, 0) != n) {
		n = errno;
		close(fd);
		errno = n;
		return -1;
	}
	*out = fd;
	return LOCK_TAKEN;
}

pid_t
lock_holder(int dirfd, const char *name)
{
	pid_t	pid;
	int	fd;

	fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return errno == ENOENT ? 0 : -1;
	if (flock(fd, LOCK_SH | LOCK_NB) == 0) {
		close(fd);
		return 0;
	}
	pid = errno == EWOULDBLOCK ? read_pid(fd) : -1;
	if (pid == 0)
		pid = 1;	/* held, by a pid it has not written yet */
	close(fd);
	return pid;
}

int
lock_held_by(int dirfd, const char *name, pid_t pid)
{
	struct stat	 st;
	char		 line[256], want[64];
	FILE		*f;
	int		 found = 0;
	long		 holder;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return 0;
	if ((f = fopen("/proc/locks", "re")) == NULL)
		return 1;
	/* "1: FLOCK  ADVISORY  WRITE PID MAJ:MIN:INODE 0 EOF" */
	snprintf(want, sizeof want, " %02x:%02x:%lu ", major(st.st_dev),
	    minor(st.st_dev), (unsigned long)st.st_ino);
	while (!found && fgets(line, sizeof line, f) != NULL) {
		char	*at = strstr(line, want), *p;

		if (at == NULL || strstr(line, " FLOCK ") == NULL ||
		    strstr(line, "->") != NULL)
			continue;
		/* The pid is the word just before the device. */
		for (p = at; p > line && p[-1] != ' '; p--)
			;
		holder = strtol(p, NULL, 10);
		found = holder == (long)pid;
	}
	fclose(f);
	return found;
}

int
lock_take_existing(int dirfd, const char *name, int *out)
{
	int	fd, e;

	*out = -1;
	if ((fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0)
		return -1;
	while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno == EINTR)
			continue;
		e = errno;
		close(fd);
		if (e == EWOULDBLOCK)
			return LOCK_BUSY;
		errno = e;
		return -1;
	}
	*out = fd;
	return LOCK_TAKEN;
}
