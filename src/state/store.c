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
