/* index.c: state/index: one execution id a line, oldest first, appended to
 * as each execution is created.  history and status read its end instead
 * of listing a folder of 100,000 executions.  A lock (flock on the file)
 * orders the writers; readers trust what is there, check that the newest
 * entries still exist, and rebuild a missing index from the folder. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/util.h"
#include "state/index.h"
#include "state/record.h"

#define ID_LEN	20		/* YYYYMMDD-HHMMSS-xxxx */
#define CHECKED	64		/* newest entries checked to exist */
#define TAIL	4096		/* bytes an append looks back for its id */

static char *
index_path(const char *state)
{
	return xasprintf("%s/index", state);
}

static int
open_locked(const char *path, int flags)
{
	int	fd = open(path, flags | O_CLOEXEC | O_NOFOLLOW, 0600);

	if (fd >= 0 && flock(fd, LOCK_EX) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

void
index_add(const char *state, const char *id)
{
	char	*path = index_path(state), tail[TAIL + 1], line[64];
	off_t	 end;
	ssize_t	 n;
	int	 fd, len;

	/* No index yet: the first reader builds it, this id included. */
	if ((fd = open_locked(path, O_RDWR | O_APPEND)) < 0) {
		free(path);
		return;
	}
	/* A reader that built it just now may have listed this id. */
	end = lseek(fd, 0, SEEK_END);
	n = pread(fd, tail, TAIL, end > TAIL ? end - TAIL : 0);
	tail[n > 0 ? n : 0] = '\0';
	if (n > 0 && tail[n - 1] != '\n') {
		/* A torn line (a writer died): dropped, not glued to this. */
		char	*nl = strrchr(tail, '\n');

		end = nl != NULL ? end - (n - (nl + 1 - tail)) :
		    end > TAIL ? end : 0;
		if (ftruncate(fd, end) < 0) {
			close(fd);
			free(path);
			return;
		}
	}
	len = snprintf(line, sizeof line, "%s\n", id);
	if (strstr(tail, line) == NULL && write(fd, line, (size_t)len) != len)
		(void)ftruncate(fd, end);	/* no torn line */
	close(fd);
	free(path);
}

/* Replaces the index with ids (newest first); the caller holds the lock. */
static void
write_ids(const char *state, char **ids, size_t n)
{
	char		*path = index_path(state);
	char		*tmp = xasprintf("%s/.index.%ld", state,
			    (long)getpid());
	struct buf	 b = BUF_INIT;
	size_t		 i;
	int		 fd;

	for (i = n; i > 0; i--)
		buf_printf(&b, "%s\n", ids[i - 1]);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
	    0600);
	if (fd >= 0 && write(fd, b.s ? b.s : "", b.len) == (ssize_t)b.len &&
	    close(fd) == 0) {
		if (rename(tmp, path) < 0)
			unlink(tmp);
	} else {
		if (fd >= 0)
			close(fd);
		unlink(tmp);
	}
	buf_release(&b);
	free(tmp);
	free(path);
}

/*
 * Lists the folder and writes the index from it, holding the index's lock
 * from before the listing so that no append made meanwhile is lost.
 * Returns what record_scan() does, with *ids.
 */
static int
scan_and_write(const char *state, char ***ids, size_t *n)
{
	char	*path = index_path(state);
	int	 lock = open_locked(path, O_RDWR | O_CREAT), rc;

	free(path);
	rc = record_scan(state, ids, n);
	if (rc == 0 && lock >= 0)
		write_ids(state, *ids, *n);
	if (lock >= 0)
		close(lock);
	return rc;
}

void
index_rebuild(const char *state)
{
	char	**ids = NULL;
	size_t	  n = 0, i;

	if (scan_and_write(state, &ids, &n) == 0)
		for (i = 0; i < n; i++)
			free(ids[i]);
	free(ids);
}

/* Reads the whole index into *text; -1 when there is none. */
static int
read_index(const char *state, struct buf *text)
{
	char	*path = index_path(state), chunk[65536];
	ssize_t	 n;
	int	 fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	free(path);
	if (fd < 0)
		return -1;
	while ((n = read(fd, chunk, sizeof chunk)) > 0)
		buf_add(text, chunk, (size_t)n);
	close(fd);
	return n < 0 ? -1 : 0;
}

/* Builds a missing index from the folder; its listing is the answer. */
static int
build(const char *state, char ***ids, size_t *n)
{
	char		*execs = xasprintf("%s/executions", state);
	struct stat	 st;
	int		 ok = stat(execs, &st) == 0;

	free(execs);
	if (!ok || scan_and_write(state, ids, n) < 0)
		return 1;
	return 0;
}

int
index_list(const char *state, char ***ids, size_t *n)
{
	struct buf	 text = BUF_INIT;
	const char	*p, *line;
	char		*path, *dir;
	size_t		 cap = 0, checked = 0;

	*ids = NULL;
	*n = 0;
	if (read_index(state, &text) < 0) {
		buf_release(&text);
		return build(state, ids, n);
	}
	/* From the end: newest first. */
	for (p = text.s != NULL ? text.s + text.len : NULL; p != NULL &&
	    p > text.s; p = line) {
		for (line = p - 1; line > text.s && line[-1] != '\n'; line--)
			;
		if ((size_t)(p - line) != ID_LEN + 1 || p[-1] != '\n')
			continue;	/* not a whole line: skipped */
		dir = xstrndup(line, ID_LEN);
		if (!record_id_ok(dir)) {
			free(dir);
			continue;
		}
		if (checked < CHECKED) {
			/* The newest matter most: a removed one is dropped. */
			path = xasprintf("%s/executions/%s", state, dir);
			checked++;
			if (access(path, F_OK) < 0) {
				free(path);
				free(dir);
				continue;
			}
			free(path);
		}
		xgrow(ids, &cap, *n + 2, sizeof **ids);
		(*ids)[(*n)++] = dir;
	}
	if (*ids == NULL)
		*ids = xcalloc(1, sizeof **ids);
	buf_release(&text);
	return 0;
}
