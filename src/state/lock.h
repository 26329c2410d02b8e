/* lock.h: kernel locks on executions and workflows, released on death. */
#ifndef MUSTER_LOCK_H
#define MUSTER_LOCK_H

#include <sys/types.h>

enum {
	LOCK_TAKEN = 0,
	LOCK_BUSY = 1
};

/*
 * Takes an exclusive flock on dirfd/name (created 0600, never through a
 * symlink, close-on-exec so no child holds it), waiting for it when wait
 * is set; the holder may remove the file to drop the lock for good.
 * Writes this pid into it.  Returns LOCK_TAKEN with *fd, LOCK_BUSY
 * with the holder's pid in *holder (0 when unknown), or -1 after an error.
 */
int	lock_take(int dirfd, const char *name, int wait, int *fd,
	    pid_t *holder);
/*
 * Without taking it: the pid holding the lock, 0 when it is free (or the
 * file does not exist), -1 after an error.
 */
pid_t	lock_holder(int dirfd, const char *name);
/*
 * Takes the lock on dirfd/name without waiting and without creating the
 * file (a removal must not race a run that is about to take it).  Returns
 * LOCK_TAKEN with *fd, LOCK_BUSY, or -1 (errno ENOENT: no lock file).
 */
int	lock_take_existing(int dirfd, const char *name, int *fd);
/*
 * True when the kernel says pid holds the lock on dirfd/name (from
 * /proc/locks; when that cannot be read, true).  The pid a lock file
 * names is only what some process wrote there.
 */
int	lock_held_by(int dirfd, const char *name, pid_t pid);

#endif
