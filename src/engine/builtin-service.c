/* builtin-service.c: the core_service* built-in tools.  Those that change
 * an instance run `muster service ...` as the step's process (so a step
 * waiting for health never blocks the scheduler); the class queries run
 * in-process. */
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "engine/builtin.h"
#include "def/project.h"
#include "engine/tool.h"
#include "base/value.h"

/* The subcommands' words: which arguments each takes. */
static const struct {
	const char	*sub;
	bool		 name, timeout, force, args;
} shapes[] = {
	{ "create", false, true, false, true },
	{ "start", true, true, false, false },
	{ "stop", true, false, false, false },
	{ "restart", true, true, false, false },
	{ "delete", true, false, true, false },
	{ "status", true, false, false, false },
	{ "wait", true, true, false, false },
	{ "list", false, false, false, false },
	{ "scale", true, true, false, false },
};

/* timeout: a duration ("30s") or a number of seconds. */
static int
timeout_arg(struct json_object *in, struct strv *argv, struct buf *err)
{
	struct json_object	*v;
	const char		*why;
	int64_t			 ns;

	if (!json_object_object_get_ex(in, "timeout", &v) || v == NULL)
		return 0;
	if (json_object_is_type(v, json_type_int) &&
	    json_object_get_int64(v) > 0) {
		strv_add(argv, xstrdup("--timeout"));
		strv_add(argv, xasprintf("%llds",
		    (long long)json_object_get_int64(v)));
		return 0;
	}
	if (!json_object_is_type(v, json_type_string) ||
	    duration_parse(json_object_get_string(v), &ns, &why) < 0 ||
	    ns <= 0) {
		buf_adds(err, "argument 'timeout' must be a duration such as "
		    "\"30s\", or a number of seconds");
		return -1;
	}
	strv_add(argv, xstrdup("--timeout"));
	strv_add(argv, xstrdup(json_object_get_string(v)));
	return 0;
}

/* The class's arguments go to file as a JSON mapping. */
static int
args_arg(struct json_object *in, const char *file, struct strv *argv,
    struct buf *err)
{
	struct json_object	*v;
	const char		*text;
	size_t			 len, off = 0;
	int			 fd;

	if (!json_object_object_get_ex(in, "args", &v) || v == NULL)
		return 0;
	if (!json_object_is_type(v, json_type_object)) {
		buf_adds(err, "argument 'args' must be a mapping");
		return -1;
	}
	if (file == NULL || (fd = open(file, O_WRONLY | O_CREAT | O_TRUNC |
	    O_CLOEXEC | O_NOFOLLOW, 0600)) < 0) {
		buf_printf(err, "cannot write '%s'", file ? file : "args");
		return -1;
	}
	text = json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE);
	for (len = strlen(text); off < len; ) {
		ssize_t	w = write(fd, text + off, len - off);

		if (w <= 0)
			break;
		off += (size_t)w;
	}
	close(fd);
	strv_add(argv, xstrdup("--args-file"));
	strv_add(argv, xstrdup(file));
	return 0;
}

int
builtin_service_argv(const char *sub, struct json_object *in,
    const char *args_file, struct strv *argv, struct buf *err)
{
	struct json_object	*v;
	const char		*name = NULL, *class = NULL;
	size_t			 i;

	for (i = 0; strcmp(shapes[i].sub, sub) != 0; i++)
		;
	if (builtin_arg_str(in, "name", &name, err) < 0 ||
	    builtin_arg_str(in, "serviceClassName", &class, err) < 0)
		return -1;
	if (shapes[i].args && class == NULL) {
		buf_adds(err, "argument 'serviceClassName' is required");
		return -1;
	}
	if (shapes[i].name && name == NULL) {
		buf_adds(err, "argument 'name' is required");
		return -1;
	}
	strv_add(argv, xstrdup("--json"));
	strv_add(argv, xstrdup("service"));
	strv_add(argv, xstrdup(sub));
	if ((shapes[i].timeout && timeout_arg(in, argv, err) < 0) ||
	    (shapes[i].args && args_arg(in, args_file, argv, err) < 0))
		return -1;
	if (shapes[i].force && json_object_object_get_ex(in, "force", &v) &&
	    json_object_get_boolean(v))
		strv_add(argv, xstrdup("--force"));
	strv_add(argv, xstrdup("--"));
	if (class != NULL && shapes[i].args)
		strv_add(argv, xstrdup(class));
	if (name != NULL && (shapes[i].name || shapes[i].args))
		strv_add(argv, xstrdup(name));
	if (strcmp(sub, "scale") == 0) {
		int64_t	n;

		if (builtin_arg_int(in, "replicas", -1, 0, 1000000, &n,
		    err) < 0)
			return -1;
		if (n < 0) {
			buf_adds(err, "argument 'replicas' is required");
			return -1;
		}
		strv_add(argv, xasprintf("%lld", (long long)n));
	}
	return 0;
}

/* True when word names a program that can be run: a path or on $PATH. */
static bool
runnable(const char *word)
{
	const char	*path = getenv("PATH"), *p, *colon;
	char		*full;
	bool		 ok = false;

	if (strchr(word, '/') != NULL)
		return access(word, X_OK) == 0;
	for (p = path ? path : "/usr/bin:/bin"; !ok; p = colon + 1) {
		colon = strchrnul(p, ':');
		full = xasprintf("%.*s%s%s", (int)(colon - p), p,
		    colon > p ? "/" : "", word);
		ok = access(full, X_OK) == 0;
		free(full);
		if (*colon == '\0')
			break;
	}
	return ok;
}

/* Checks a command's first word when it is no template. */
static void
check_program(const struct tstr *argv0, const char *what, struct buf *why)
{
	if (argv0 == NULL || argv0->src == NULL ||
	    strstr(argv0->src, "{{") != NULL || runnable(argv0->src))
		return;
	buf_printf(why, "%s%s: '%s' is not installed", why->len ? "; " : "",
	    what, argv0->src);
}

/* Why class c cannot be used here, or nothing (depth bounds a cycle). */
static void
unavailable(struct project *p, const struct service_class *c,
    struct buf *why, int depth)
{
	const struct lifecycle	*lcs[] = { c->start, c->stop, c->restart,
				    c->status, c->health_tool };
	size_t			 i;

	if (c->ndaemon_cmd > 0)
		check_program(&c->daemon_cmd[0], "daemon", why);
	if (c->probe == PROBE_EXEC && c->nexec_cmd > 0)
		check_program(&c->exec_cmd[0], "healthCheck", why);
	for (i = 0; i < nitems(lcs); i++) {
		struct tool	*t = lcs[i] ? project_tool(p, lcs[i]->tool) :
				    NULL;

		if (t != NULL && t->ncommand > 0)
			check_program(&t->command[0], lcs[i]->tool, why);
	}
	for (i = 0; i < c->ndeps && depth < 16; i++) {
		struct buf	dep = BUF_INIT;

		if (c->dep_classes[i] != NULL)
			unavailable(p, c->dep_classes[i], &dep, depth + 1);
		if (dep.len > 0)
			buf_printf(why, "%sdependency '%s': %s", why->len ?
			    "; " : "", c->deps[i], buf_str(&dep));
		buf_release(&dep);
	}
}

static struct json_object *
describe(struct project *p, const struct service_class *c)
{
	struct json_object	*o = json_object_new_object(), *deps;
	struct buf		 why = BUF_INIT;
	size_t			 i;

	unavailable(p, c, &why, 0);
	json_set(o, "name", json_str(c->name));
	if (c->description != NULL)
		json_set(o, "description", json_str(c->description));
	json_set(o, "available", json_object_new_boolean(why.len == 0));
	if (why.len > 0)
		json_set(o, "reason", json_str(buf_str(&why)));
	json_set(o, "daemon", json_object_new_boolean(c->ndaemon_cmd > 0));
	deps = json_object_new_array();
	for (i = 0; i < c->ndeps; i++)
		json_object_array_add(deps, json_str(c->deps[i]));
	json_set(o, "dependencies", deps);
	buf_release(&why);
	return o;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp((*(struct service_class *const *)a)->name,
	    (*(struct service_class *const *)b)->name);
}

int
builtin_serviceclass_list(struct project *p, struct json_object *args,
    struct json_object **result, struct buf *err)
{
	struct service_class	**c = xcalloc(p->nclasses + 1, sizeof *c);
	struct json_object	 *list = json_object_new_array();
	size_t			  i;

	(void)args;
	(void)err;
	if (p->nclasses > 0)	/* p->classes is NULL without classes */
		memcpy(c, p->classes, p->nclasses * sizeof *c);
	xqsort(c, p->nclasses, sizeof *c, by_name);
	for (i = 0; i < p->nclasses; i++)
		json_object_array_add(list, describe(p, c[i]));
	free(c);
	*result = json_object_new_object();
	json_set(*result, "serviceClasses", list);
	return 0;
}

int
builtin_serviceclass_available(struct project *p, struct json_object *args,
    struct json_object **result, struct buf *err)
{
	const struct service_class	*c;
	const char			*name;

	if (builtin_arg_str(args, "name", &name, err) < 0)
		return -1;
	if (name == NULL && builtin_arg_str(args, "serviceClassName", &name,
	    err) < 0)
		return -1;
	if (name == NULL) {
		buf_adds(err, "argument 'name' is required");
		return -1;
	}
	if ((c = project_class(p, name)) == NULL) {
		buf_printf(err, "no service class '%s'", name);
		return -1;
	}
	*result = describe(p, c);
	return 0;
}
