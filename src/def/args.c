/* args.c: `--arg K=V` and `--args-file F`, turned into a checked input. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "def/args.h"
#include "def/load.h"
#include "def/schema.h"
#include "base/value.h"

void
args_add(struct args *a, const char *kv)
{
	xgrow(&a->kv, &a->cap, a->n + 1, sizeof *a->kv);
	a->kv[a->n++] = kv;
}

int
args_add_env(struct args *a, const char *spec)
{
	const char	*eq = strchr(spec, '='), *v;
	char		*kv;

	if (eq == NULL || eq == spec || eq[1] == '\0')
		return error("--arg-env '%s': expected NAME=ENVVAR", spec);
	if ((v = getenv(eq + 1)) == NULL)
		return error("--arg-env %s: the environment has no '%s'", spec,
		    eq + 1);
	kv = xasprintf("%.*s=%s", (int)(eq - spec), spec, v);
	xgrow(&a->owned, &a->ocap, a->nowned + 1, sizeof *a->owned);
	a->owned[a->nowned++] = kv;
	args_add(a, kv);
	return 0;
}

void
args_release(struct args *a)
{
	size_t	i;

	for (i = 0; i < a->nowned; i++)
		free(a->owned[i]);
	free(a->owned);
	a->owned = NULL;
	a->nowned = a->ocap = 0;
	free(a->kv);
	a->kv = NULL;
	a->n = a->cap = 0;
}

/* Reads standard input whole (at most max bytes) into the arena. */
static int
read_stdin(struct arena *ar, size_t max, char **out, size_t *len)
{
	struct buf	b = BUF_INIT;
	char		chunk[8192];
	ssize_t		n;

	while ((n = read(STDIN_FILENO, chunk, sizeof chunk)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			buf_release(&b);
			return error("--args-file -: cannot read standard "
			    "input:");
		}
		if (b.len + (size_t)n > max) {
			buf_release(&b);
			return error("--args-file -: more than %zu bytes", max);
		}
		buf_add(&b, chunk, (size_t)n);
	}
	*len = b.len;
	*out = arena_alloc(ar, b.len + 1);
	if (b.len > 0)
		memcpy(*out, b.s, b.len);
	buf_release(&b);
	return 0;
}

/*
 * Reads --args-file: a YAML (or JSON) mapping of argument names to values;
 * "-" is standard input.
 */
static struct json_object *
read_file(const char *path)
{
	struct arena		 ar = ARENA_INIT;
	struct loader		 ld = { .a = &ar, .file = path };
	struct json_object	*o = NULL;
	struct ydoc		*docs;
	size_t			 n, len;
	char			*text;

	if (strcmp(path, "-") == 0) {
		ld.file = path = "<stdin>";
		if (read_stdin(&ar, YNODE_MAX_FILE, &text, &len) < 0 ||
		    ynode_load_buf(&ar, NULL, path, text, len, &docs, &n) < 0)
			goto out;
	} else if (ynode_load_file(&ar, NULL, path, path, YNODE_MAX_FILE,
	    &docs, &n) < 0)
		goto out;
	if (n != 1 || docs[0].root == NULL ||
	    docs[0].root->kind != YNODE_MAP) {
		error("--args-file '%s': expected one mapping of argument "
		    "names to values", path);
		goto out;
	}
	ld.text = docs[0].text;
	ld.textlen = docs[0].textlen;
	if ((o = load_json(&ld, docs[0].root, "args")) != NULL)
		json_object_get(o);	/* outlive the arena's reference */
out:
	arena_release(&ar);
	return o;
}

int
args_input(const struct args *a, const struct schema *s,
    struct json_object **out)
{
	struct json_object	*in, *bad = json_object_new_object();
	struct buf		 why = BUF_INIT;
	size_t			 i;
	int			 rc = 0;

	*out = NULL;
	if (a->file != NULL) {
		if ((in = read_file(a->file)) == NULL) {
			json_object_put(bad);
			return -1;
		}
	} else
		in = json_object_new_object();
	for (i = 0; i < a->n; i++) {
		const char		*eq = strchr(a->kv[i], '=');
		const struct arg	*arg;
		struct json_object	*v;
		char			*name;

		if (eq == NULL || eq == a->kv[i]) {
			rc = error("--arg '%s': expected NAME=VALUE", a->kv[i]);
			continue;
		}
		name = xstrndup(a->kv[i], (size_t)(eq - a->kv[i]));
		if ((arg = schema_find(s, name)) == NULL)
			v = json_object_new_string(eq + 1);	/* reported below */
		else if ((v = schema_convert(arg, eq + 1, &why)) == NULL &&
		    why.len > 0) {
			rc = error("argument '%s' %s", name, buf_str(&why));
			buf_truncate(&why, 0);
			json_object_object_add(bad, name, NULL);
			json_object_object_del(in, name);
			free(name);
			continue;
		}
		json_object_object_add(in, name, v);
		free(name);
	}
	if (schema_apply(s, in, bad, out) < 0 || rc < 0) {
		json_object_put(*out);
		*out = NULL;
		rc = -1;
	}
	json_object_put(in);
	json_object_put(bad);
	buf_release(&why);
	return rc;
}

struct json_object *
args_loose(const struct args *a)
{
	struct json_object	*in;
	struct buf		 why = BUF_INIT;
	size_t			 i;

	if (a->file != NULL) {
		if ((in = read_file(a->file)) == NULL)
			return NULL;
	} else
		in = json_object_new_object();
	for (i = 0; i < a->n; i++) {
		const char		*eq = strchr(a->kv[i], '=');
		struct json_object	*v;
		char			*name;
		int			 ok;

		if (eq == NULL || eq == a->kv[i]) {
			error("--arg '%s': expected NAME=VALUE", a->kv[i]);
			json_object_put(in);
			in = NULL;
			break;
		}
		v = json_parse(eq + 1, strlen(eq + 1), &ok, &why);
		if (!ok)
			v = json_object_new_string(eq + 1);
		name = xstrndup(a->kv[i], (size_t)(eq - a->kv[i]));
		json_object_object_add(in, name, v);
		free(name);
		buf_truncate(&why, 0);
	}
	buf_release(&why);
	return in;
}
