/* service.c: service instances' records and locks in .muster/state/services. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "state/journal.h"
#include "state/lock.h"
#include "def/project.h"
#include "state/record.h"
#include "svc/service.h"
#include "base/value.h"

int
svc_env_open(struct svcenv *e, struct project *p, int verbose)
{
	char	*state = record_state_dir(p), self[4096];
	ssize_t	 n;

	memset(e, 0, sizeof *e);
	e->p = p;
	e->verbose = verbose;
	e->dir = xasprintf("%s/services", state);
	free(state);
	/* mkdir -p, each 0700, never following a link at the end. */
	{
		char	*s;

		for (s = e->dir + 1; (s = strchr(s, '/')) != NULL; s++) {
			*s = '\0';
			mkdir(e->dir, 0700);
			*s = '/';
		}
		mkdir(e->dir, 0700);
	}
	e->dirfd = open(e->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC |
	    O_NOFOLLOW);
	if (e->dirfd < 0) {
		error("cannot open '%s':", e->dir);
		return EXIT_IO;
	}
	n = readlink("/proc/self/exe", self, sizeof self - 1);
	e->self = xstrdup(n > 0 ? (self[n] = '\0', self) : "muster");
	return 0;
}

void
svc_env_close(struct svcenv *e)
{
	if (e->dirfd >= 0)
		close(e->dirfd);
	free(e->dir);
	free(e->self);
	memset(e, 0, sizeof *e);
	e->dirfd = -1;
}

static bool
name_ok(const char *s)
{
	size_t	len = strlen(s);

	return len > 0 && len <= 63 && s[0] != '.' && s[0] != '-' &&
	    strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789_.-") == len;
}

/* A record has at least these, as strings. */
static bool
record_ok(struct json_object *r, struct buf *why)
{
	static const char *const	keys[] = { "name", "class", "state" };
	struct json_object		*v;
	size_t				 i;

	for (i = 0; i < nitems(keys); i++)
		if (!json_object_object_get_ex(r, keys[i], &v) ||
		    !json_object_is_type(v, json_type_string)) {
			buf_printf(why, "no '%s' string", keys[i]);
			return false;
		}
	return true;
}

/* Reads dirfd/name as one JSON object, or NULL (errno ENOENT: none). */
static struct json_object *
read_json(int dirfd, const char *name, struct buf *why)
{
	struct json_object	*o;
	struct buf		 b = BUF_INIT;
	char			 chunk[8192];
	ssize_t			 n;
	int			 fd, ok;

	if ((fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0)
		return NULL;
	while ((n = read(fd, chunk, sizeof chunk)) > 0)
		buf_add(&b, chunk, (size_t)n);
	close(fd);
	o = json_parse(buf_str(&b), b.len, &ok, why);
	buf_release(&b);
	if (!ok || !json_object_is_type(o, json_type_object) ||
	    !record_ok(o, why)) {
		if (ok && why->len == 0)
			buf_adds(why, "not a JSON object");
		json_object_put(o);
		errno = EINVAL;
		return NULL;
	}
	return o;
}

int
svc_absent(struct svcenv *e, const char *name)
{
	char	*file;
	int	 rc = 0;

	if (!name_ok(name))
		return error("bad service name '%s': use 1 to 63 letters, "
		    "digits, '_', '.' or '-'", name), EXIT_USAGE;
	file = xasprintf("%s.json", name);
	if (faccessat(e->dirfd, file, F_OK, AT_SYMLINK_NOFOLLOW) == 0) {
		error("service '%s' exists already (see 'muster service "
		    "start')", name);
		rc = EXIT_USAGE;
	}
	free(file);
	return rc;
}

int
svc_open(struct svcenv *e, const char *name, struct svc *s)
{
	struct buf	 why = BUF_INIT;
	char		*lock, *file;
	pid_t		 holder;
	int		 r;

	memset(s, 0, sizeof *s);
	s->lock_fd = -1;
	s->dirfd = e->dirfd;
	if (!name_ok(name)) {
		error("bad service name '%s': use 1 to 63 letters, digits, "
		    "'_', '.' or '-'", name);
		return EXIT_USAGE;
	}
	s->name = xstrdup(name);
	lock = xasprintf("%s.lock", name);
	r = lock_take(e->dirfd, lock, 0, &s->lock_fd, &holder);
	if (r == LOCK_BUSY) {
		/* Another command works on it: take turns, never race. */
		if (e->verbose >= 0)
			fprintf(stderr, "muster: service '%s' is busy (pid %d); "
			    "waiting\n", name, (int)holder);
		r = lock_take(e->dirfd, lock, 1, &s->lock_fd, &holder);
	}
	free(lock);
	if (r != LOCK_TAKEN) {
		error("cannot lock service '%s':", name);
		return EXIT_IO;
	}
	file = xasprintf("%s.json", name);
	s->rec = read_json(e->dirfd, file, &why);
	free(file);
	if (s->rec == NULL && errno != ENOENT) {
		error("service '%s' is corrupt: %s/%s.json: %s", name, e->dir,
		    name, why.len ? buf_str(&why) : strerror(errno));
		buf_release(&why);
		return EXIT_STATE;
	}
	buf_release(&why);
	if (s->rec == NULL)
		return 1;
	s->class = project_class(e->p, svc_str(s, "class"));
	if (s->class != NULL && e->p->problems.len > 0 &&
	    project_usable_class(e->p, s->class, false) < 0) {
		/* Only what needs the class refuses (open_existing). */
		s->class = NULL;
		s->class_broken = true;
	}
	return 0;
}

int
svc_save(struct svcenv *e, struct svc *s)
{
	struct buf	 b = BUF_INIT;
	char		*file = xasprintf("%s.json", s->name), t[40];
	int		 rc;

	record_time(t, sizeof t, clock_wall_ns());
	json_set(s->rec, "updated_at", json_str(t));
	json_to_buf(&b, s->rec);
	buf_addc(&b, '\n');
	rc = state_replace(e->dirfd, file, b.s, b.len,
	    e->p->config.fsync);
	if (rc < 0)
		error("cannot write '%s/%s':", e->dir, file);
	free(file);
	buf_release(&b);
	return rc;
}

void
svc_close(struct svc *s)
{
	char	*lock;

	if (s->lock_fd >= 0 && s->rec == NULL) {
		/* Nothing to guard: leave no file behind (see lock_take). */
		lock = xasprintf("%s.lock", s->name);
		unlinkat(s->dirfd, lock, 0);
		free(lock);
	}
	if (s->lock_fd >= 0)
		close(s->lock_fd);
	json_object_put(s->rec);
	free(s->name);
	memset(s, 0, sizeof *s);
	s->lock_fd = -1;
}

const char *
svc_str(struct svc *s, const char *key)
{
	struct json_object	*v;

	if (s->rec == NULL || !json_object_object_get_ex(s->rec, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

void
svc_set_state(struct svc *s, const char *state, const char *err)
{
	json_set(s->rec, "state", json_str(state));
	json_set(s->rec, "error", json_str(err));
}

struct json_object *
svc_data(struct svc *s)
{
	struct json_object	*d = json_object_new_object(), *v;

	json_set(d, "name", json_str(s->name));
	json_set(d, "input", json_object_object_get_ex(s->rec, "args", &v) ?
	    json_object_get(v) : json_object_new_object());
	json_set(d, "outputs", json_object_object_get_ex(s->rec,
	    "tool_outputs", &v) ? json_object_get(v) :
	    json_object_new_object());
	if (json_object_object_get_ex(s->rec, "replicas", &v))
		json_set(d, "replicas", json_object_get(v));
	return d;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * A listed instance whose daemon is dead is shown failed, whatever its
 * record last said (a list probes nothing and writes nothing).
 */
static void
mark_dead(struct json_object *r)
{
	struct svc	 s = { .rec = r };
	const char	*st = svc_str(&s, "state");

	if (json_object_object_get(r, "daemon") == NULL || st == NULL ||
	    strcmp(st, "stopped") == 0 || strcmp(st, "failed") == 0 ||
	    daemon_alive(&s))
		return;
	json_set(r, "state", json_str("failed"));
	json_set(r, "error", json_str("the daemon is gone"));
	json_object_object_del(r, "health");
}

int
svc_list(struct svcenv *e, struct json_object **out)
{
	struct buf	 why = BUF_INIT;
	DIR		*d;
	struct dirent	*de;
	char		**names = NULL;
	size_t		 n = 0, cap = 0, i, len;
	int		 fd;

	*out = json_object_new_array();
	/* A description of its own: a dup would share the read position. */
	if ((fd = openat(e->dirfd, ".", O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) < 0 || (d = fdopendir(fd)) == NULL) {
		error("cannot read '%s':", e->dir);
		if (fd >= 0)
			close(fd);
		return EXIT_IO;
	}
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len > 5 && strcmp(de->d_name + len - 5, ".json") == 0 &&
		    de->d_name[0] != '.') {
			xgrow(&names, &cap, n + 1, sizeof *names);
			names[n++] = xstrdup(de->d_name);
		}
	}
	closedir(d);
	xqsort(names, n, sizeof *names, by_name);
	for (i = 0; i < n; i++) {
		struct json_object	*r;

		buf_truncate(&why, 0);
		if ((r = read_json(e->dirfd, names[i], &why)) != NULL) {
			mark_dead(r);
			json_object_array_add(*out, r);
		}
		else if (errno != ENOENT)	/* deleted meanwhile: fine */
			warn("skipping '%s/%s': %s", e->dir, names[i],
			    why.len ? buf_str(&why) : strerror(errno));
		free(names[i]);
	}
	free(names);
	buf_release(&why);
	return 0;
}
