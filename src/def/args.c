/* args.c: `--arg K=V` and `--args-file F`, turned into a checked input. */
#include <stdlib.h>
#include <string.h>

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

void
args_release(struct args *a)
{
	free(a->kv);
	a->kv = NULL;
	a->n = a->cap = 0;
}

/* Reads --args-file: a YAML (or JSON) mapping of argument names to values. */
static struct json_object *
read_file(const char *path)
{
	struct arena		 ar = ARENA_INIT;
	struct loader		 ld = { .a = &ar, .file = path };
	struct json_object	*o = NULL;
	struct ydoc		*docs;
	size_t			 n;

	if (ynode_load_file(&ar, NULL, path, path, YNODE_MAX_FILE, &docs, &n) < 0)
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
