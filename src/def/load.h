/* load.h: what the loader's files share: decoding YAML nodes into the model. */
#ifndef MUSTER_LOAD_H
#define MUSTER_LOAD_H

#include <stdbool.h>
#include <stdint.h>

#include "def/model.h"
#include "def/ynode.h"

/* The state of one load: where errors go and what was read. */
struct loader {
	struct project	*p;
	struct arena	*a;
	const char	*file;		/* the file being decoded, as shown */
	const char	*text;		/* its bytes, for template positions */
	size_t		 textlen;
	const char	*mark;		/* the start of line mark_line of text, */
	int		 mark_line;	/* so scans go forward, not from 1 */
	uint64_t	 typos;		/* fields the last load_fields() */
					/* suggested for an unknown one */
};

/* A field of a mapping: its name and an older spelling that loads too. */
struct field {
	const char	*name;
	const char	*alias;
};

struct loc	 load_loc(const struct loader *, const struct ynode *);
/*
 * Sets slot[i] to the value of fields[i] in map (NULL when absent).
 * Reports unknown fields (with a suggestion), both spellings of one field,
 * and map not being a mapping.  what names the map in messages.
 */
int		 load_fields(struct loader *, const struct ynode *map,
		    const char *what, const struct field *fields, size_t n,
		    const struct ynode **slot);
/* The same, where what is "FMT" with one %s, formatted only for errors. */
int		 load_fieldsf(struct loader *, const struct ynode *map,
		    const char *fmt, const char *arg,
		    const struct field *fields, size_t n,
		    const struct ynode **slot);
/*
 * True when the last load_fields() suggested field i for a misspelt key:
 * its absence is then already reported.
 */
bool		 load_typo(const struct loader *, int i);
/* Reports that n should be `want` ("a string") in field name. */
int		 load_type_error(struct loader *, const struct ynode *n,
		    const char *name, const char *want);

/* Scalar readers: each reports a wrong type and returns -1. */
int		 load_str(struct loader *, const struct ynode *,
		    const char *name, const char **out);
/*
 * One of n names (an enum's, in its order): its index in *out, else
 * "unknown NAME 'x' (use a, b or c)".
 */
int		 load_choice(struct loader *, const struct ynode *,
		    const char *name, const char *const *names, size_t n,
		    int *out);
int		 load_bool(struct loader *, const struct ynode *,
		    const char *name, bool *out);
int		 load_int(struct loader *, const struct ynode *,
		    const char *name, int64_t min, int64_t max, int64_t *out);
int		 load_duration(struct loader *, const struct ynode *,
		    const char *name, int64_t *ns);
/* A list of strings. */
int		 load_strs(struct loader *, const struct ynode *,
		    const char *name, const char ***out, struct loc **locs,
		    size_t *n);
/* Checks a name against ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,62}$. */
int		 load_name(struct loader *, const struct ynode *,
		    const char *what, const char **out);

/* A string that may hold template actions; parsed now. */
int		 load_tstr(struct loader *, const struct ynode *,
		    const char *name, struct tstr *);
/* An argv list of templated strings. */
/* shell: sh, bash, or an argv list the script's file is added to. */
int		 load_shell(struct loader *, const struct ynode *,
		    struct shell *);
int		 load_argv(struct loader *, const struct ynode *,
		    const char *name, struct tstr **, size_t *);
/* Any value whose string leaves may be templates. */
int		 load_tval(struct loader *, const struct ynode *,
		    const char *name, struct tval **);
/* A map of names to templated strings (env). */
int		 load_env(struct loader *, const struct ynode *,
		    const char *name, struct tval **);
/*
 * Converts a node to JSON (a new reference, owned by the arena's
 * cleanups when own is set).  Returns NULL after reporting an error.
 */
struct json_object *load_json(struct loader *, const struct ynode *,
		    const char *name);

/* Definitions of the three kinds; they add to ld->p. */
int		 load_workflow(struct loader *, const struct ynode *spec,
		    struct workflow *);
int		 load_tool(struct loader *, const struct ynode *spec,
		    struct tool *);
int		 load_class(struct loader *, const struct ynode *spec,
		    struct service_class *);
int		 load_mcp_server(struct loader *, const struct ynode *spec,
		    struct mcp_server *);
int		 load_schema(struct loader *, const struct ynode *,
		    struct schema *);
int		 load_expect(struct loader *, const struct ynode *,
		    const char *name, struct expect *);
/*
 * Loads the project's config.yaml at path into p->config (load-config.c);
 * the defaults when there is none.  0, or -1 after reporting errors.
 */
int		 load_config(struct project *, const char *path);
/* config.yaml's retention (load-retention.c); the default policy. */
int		 load_retention(struct loader *, const struct ynode *,
		    struct retention *);
void		 retention_default(struct retention *);
/* retry: {attempts, delay, backoff, maxDelay} (and the older spellings). */
int		 load_retry(struct loader *, const struct ynode *,
		    const char *name, struct retry *);
/* onError: a step's rules for its failures (load-route.c). */
int		 load_routes(struct loader *, const struct ynode *,
		    struct step *);
/*
 * Checks the onError rules of w's steps: the tool a rule names, and (when
 * targets: the recovery list loaded) each redirect's recovery step.
 */
int		 route_resolve(struct workflow *, bool targets);
/* A workflow in the container-kit spelling (apiVersion orchestration/v1). */
int		 load_stages_workflow(struct loader *, const struct ynode *spec,
		    struct workflow *);
/* load-exec.c: `executor: local|slurm` and `resources: {...}`. */
int		 load_executor(struct loader *, const struct ynode *,
		    enum executor *);
int		 load_resources(struct loader *, const struct ynode *,
		    struct resources **);

#endif
