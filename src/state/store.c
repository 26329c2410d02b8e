/* store.c: the state folder: where it is, execution ids, record times and
 * the removal of an execution's folder. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "base/value.h"
#include "def/model.h"
#include "state/record.h"

char *
record_state_dir(const struct project *p)
{
	const char	*s = p->config.state_dir;

	if (s == NULL)
		return xasprintf("%s/state", p->dir);
	if (s[0] == '/' || strcmp(p->root, ".") == 0)
		return xstrdup(s);
	return xasprintf("%s/%s", p->root, s);
}

int
record_dir_safe(int fd, const char *path)
{
	struct stat	st;

	if (fstat(fd, &st) < 0)
		return error("cannot read '%s':", path);
	if (!S_ISDIR(st.st_mode))
		return error("'%s' is not a folder", path);
	if (st.st_uid != geteuid() && st.st_uid != 0)
		return error("'%s' belongs to another user (uid %d); muster "
		    "keeps its state only in folders of its own user or root",
		    path, (int)st.st_uid);
	if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0)
		return error("'%s' may be written by other users (mode %03o); "
		    "muster refuses to keep its state there: chmod go-w '%s'",
		    path, (unsigned)(st.st_mode & 0777), path);
	return 0;
}

int
record_subdirs_safe(int dirfd, const char *dir)
{
	static const char *const	subs[] = { "logs", "out" };
	struct stat			st;
	size_t				i;

	for (i = 0; i < 2; i++) {
		if (fstatat(dirfd, subs[i], &st, AT_SYMLINK_NOFOLLOW) < 0) {
			if (errno == ENOENT)
				continue;	/* made when needed */
			return error("cannot read '%s/%s':", dir, subs[i]);
		}
		if (S_ISLNK(st.st_mode))
			return error("'%s/%s' is a symbolic link, which muster "
			    "does not follow: remove it", dir, subs[i]);
		if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid() ||
		    (st.st_mode & (S_IWGRP | S_IWOTH)) != 0)
			return error("'%s/%s' is not a private folder of this "
			    "user", dir, subs[i]);
	}
	return 0;
}

int
record_open_exec(const char *state_dir, const char *id, int *code)
{
	char	*execs = xasprintf("%s/executions", state_dir), *dir = NULL;
	int	 efd = -1, fd = -1;

	*code = EXIT_STATE;
	if (!record_id_ok(id)) {
		error("no execution '%s'", id);
		goto out;
	}
	dir = xasprintf("%s/%s", execs, id);
	efd = open(execs, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (efd >= 0)
		fd = openat(efd, id, O_RDONLY | O_DIRECTORY | O_CLOEXEC |
		    O_NOFOLLOW);
	if (fd < 0) {
		if (errno == ENOENT)
			error("no execution '%s'", id);
		else if (errno == ELOOP || errno == ENOTDIR)
			error("'%s' is a symbolic link or no folder, which "
			    "muster does not follow", efd < 0 ? execs : dir);
		else {
			error("cannot open '%s':", efd < 0 ? execs : dir);
			*code = EXIT_IO;
		}
		goto out;
	}
	if (record_dir_safe(efd, execs) < 0 || record_dir_safe(fd, dir) < 0 ||
	    record_subdirs_safe(fd, dir) < 0) {
		close(fd);
		fd = -1;
	}
out:
	if (efd >= 0)
		close(efd);
	free(execs);
	free(dir);
	return fd;
}

bool
record_id_ok(const char *id)
{
	size_t	len = strlen(id);

	/* YYYYMMDD-HHMMSS-xxxx, and nothing that could leave the folder. */
	return len >= 20 && len < 32 && id[0] != '.' && id[0] != '-' &&
	    strspn(id, "0123456789abcdef-") == len;
}

void
record_time(char *buf, size_t len, int64_t wall_ns)
{
	time_t		t = (time_t)(wall_ns / 1000000000);
	struct tm	tm;
	size_t		n;

	gmtime_r(&t, &tm);
	n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, len - n, ".%03dZ",
	    (int)(wall_ns / 1000000 % 1000));
}

int64_t
record_parse_time(const char *s)
{
	struct tm	tm;
	const char	*p;
	int		ms = 0, i;

	memset(&tm, 0, sizeof tm);
	if (s == NULL || (p = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm)) == NULL)
		return 0;
	/* Nanoseconds in an int64_t reach from 1678 to 2262. */
	if (tm.tm_year < 1700 - 1900 || tm.tm_year > 2261 - 1900)
		return 0;
	if (*p == '.') {
		for (i = 0, p++; i < 3 && *p >= '0' && *p <= '9'; i++, p++)
			ms = ms * 10 + (*p - '0');
		if (i != 3)
			return 0;
	}
	if (*p == 'Z')
		p++;
	if (*p != '\0')
		return 0;
	return ((int64_t)timegm(&tm) * 1000 + ms) * 1000000;
}

/* Removes folder name in dirfd and what it holds, following no link. */
static int
remove_tree(int dirfd, const char *name, int depth)
{
	struct dirent	*e;
	DIR		*d;
	int		 fd, rc = 0;

	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC |
	    O_NOFOLLOW);
	if (fd < 0 || depth > 4 || (d = fdopendir(fd)) == NULL) {
		if (fd >= 0)
			close(fd);
		return unlinkat(dirfd, name, 0);
	}
	while ((e = readdir(d)) != NULL) {
		struct stat	st;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISDIR(st.st_mode))
			rc |= remove_tree(fd, e->d_name, depth + 1);
		else
			rc |= unlinkat(fd, e->d_name, 0);
	}
	closedir(d);
	return rc | unlinkat(dirfd, name, AT_REMOVEDIR);
}

int
record_remove(int dirfd, const char *name)
{
	return remove_tree(dirfd, name, 0);
}

struct json_object *
record_checkpoint(const char *name, const char *step, struct json_object *done)
{
	struct json_object	*o = json_object_new_object();
	char			 t[40];

	record_time(t, sizeof t, clock_wall_ns());
	json_set(o, "t", json_str("checkpoint"));
	json_set(o, "name", json_str(name));
	json_set(o, "at", json_str(t));
	if (step != NULL)
		json_set(o, "step", json_str(step));
	json_set(o, "done", done);
	return o;
}
