/* retain.c: the retention policy of config.yaml, applied to executions. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "def/model.h"
#include "state/index.h"
#include "state/lock.h"
#include "state/record.h"
#include "state/retain.h"

/* The count a look left, and the one now: look again past this slack. */
#define SLACK_MIN	16

static const struct retain_rule *
rule_of(const struct retention *r, const char *workflow)
{
	size_t	i;

	for (i = 0; workflow != NULL && i < r->nrules; i++)
		if (strcmp(r->rules[i].workflow, workflow) == 0)
			return &r->rules[i];
	return &r->dflt;
}

/* How many a look found last time, from state/retention (0: none). */
static long
last_count(const char *state)
{
	char	*path = xasprintf("%s/retention", state), buf[32];
	ssize_t	 n = -1;
	int	 fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	if (fd >= 0) {
		n = read(fd, buf, sizeof buf - 1);
		close(fd);
	}
	free(path);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return strtol(buf, NULL, 10);
}

static void
save_count(const char *state, size_t n)
{
	char	*path = xasprintf("%s/retention", state);
	char	*tmp = xasprintf("%s/.retention.%ld", state, (long)getpid());
	char	 buf[32];
	int	  fd, len = snprintf(buf, sizeof buf, "%zu\n", n);

	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
	    0600);
	if (fd >= 0 && write(fd, buf, (size_t)len) == len && close(fd) == 0)
		(void)rename(tmp, path);
	else {
		if (fd >= 0)
			close(fd);
		unlink(tmp);
	}
	free(tmp);
	free(path);
}

/* Counts per workflow, in the order met (newest first). */
struct tally {
	const char	**names;
	int64_t		 *seen;
	size_t		  n, cap;
};

static int64_t *
tally_of(struct tally *t, const char *name)
{
	size_t	i;

	for (i = 0; i < t->n; i++)
		if (strcmp(t->names[i], name) == 0)
			return &t->seen[i];
	xgrow(&t->names, &t->cap, t->n + 1, sizeof *t->names);
	t->seen = xreallocarray(t->seen, t->cap, sizeof *t->seen);
	t->names[t->n] = xstrdup(name);
	t->seen[t->n] = 0;
	return &t->seen[t->n++];
}

static void
tally_release(struct tally *t)
{
	size_t	i;

	for (i = 0; i < t->n; i++)
		free((char *)t->names[i]);
	free(t->names);
	free(t->seen);
}

/* 1 removed, 0 kept (its lock is held now), -1 error. */
static int
remove_idle(int efd, const char *id)
{
	int	dfd, lfd = -1, r, rc;

	dfd = openat(efd, id, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (dfd < 0)
		return errno == ENOENT ? 0 : -1;
	r = lock_take_existing(dfd, "lock", &lfd);
	if (r == LOCK_BUSY)
		rc = 0;
	else if (r < 0 && errno != ENOENT)
		rc = -1;
	else
		rc = record_remove(efd, id) == 0 ? 1 : -1;
	if (lfd >= 0)
		close(lfd);
	close(dfd);
	return rc;
}

/* Whether execution id (summary s) goes under rule u, given its rank. */
static bool
expired(const struct retention *r, const struct retain_rule *u,
    struct json_object *s, int64_t rank, int64_t now)
{
	const char	*st = json_object_get_string(json_object_object_get(s,
			    "status"));
	int64_t		 at = record_parse_time(json_object_get_string(
			    json_object_object_get(s, "started_at")));

	if (st == NULL || strcmp(st, "running") == 0)
		return false;
	if (r->keep_resumable && strcmp(st, "completed") != 0)
		return false;	/* resume may still want it */
	return (u->keep > 0 && rank > u->keep) ||
	    (u->max_age_ns > 0 && at != 0 && now - at > u->max_age_ns);
}

int
retain_apply(const char *state, const struct retention *r, bool force,
    bool dry, FILE *out, struct retained *res)
{
	struct tally	 t = { 0 };
	char		**ids = NULL, *execs;
	size_t		 n = 0, i, slack;
	int64_t		 now = clock_wall_ns();
	int		 efd, rc = 0, x;

	memset(res, 0, sizeof *res);
	if (!r->enabled || record_list(state, &ids, &n) < 0)
		return r->enabled ? -1 : 0;
	slack = r->dflt.keep / 10 > SLACK_MIN ? (size_t)r->dflt.keep / 10 :
	    SLACK_MIN;
	res->seen = n;
	if (!force && (long)n <= last_count(state) + (long)slack) {
		res->skipped = true;
		goto out;
	}
	execs = xasprintf("%s/executions", state);
	efd = open(execs, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	free(execs);
	for (i = 0; efd >= 0 && i < n; i++) {
		struct json_object	*s = record_summary(state, ids[i]);
		const char		*wf = json_object_get_string(
					    json_object_object_get(s,
					    "workflow_name"));
		int64_t			*rank;

		if (s == NULL || wf == NULL) {
			json_object_put(s);
			res->kept++;
			continue;
		}
		record_liveness(state, ids[i], s);
		rank = tally_of(&t, wf);
		++*rank;
		if (!expired(r, rule_of(r, wf), s, *rank, now))
			x = 0;
		else if (dry)
			x = fprintf(out, "would remove %s\n", ids[i]) > 0;
		else if ((x = remove_idle(efd, ids[i])) < 0)
			rc = error("cannot remove execution %s:", ids[i]);
		if (x == 1)
			res->removed++;
		else
			res->kept++;
		json_object_put(s);
	}
	if (efd >= 0)
		close(efd);
	if (!dry)
		save_count(state, n - res->removed);
	if (!dry && res->removed > 0)
		index_rebuild(state);
out:
	for (i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
	tally_release(&t);
	return rc;
}
