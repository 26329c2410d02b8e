/* project.c: finding .muster, reading its files, dispatching documents by kind. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "def/load.h"
#include "def/project.h"

static const char *const folders[] = { "workflows", "tools", "serviceclasses",
	"mcpservers" };

_Static_assert(offsetof(struct workflow, loc) == offsetof(struct tool, loc) &&
    offsetof(struct workflow, loc) == offsetof(struct service_class, loc) &&
    offsetof(struct workflow, loc) == offsetof(struct mcp_server, loc),
    "add_name() finds every definition's loc at one offset");

static int
is_dir(const char *path)
{
	struct stat	st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* "a/./b" -> "a/b"; a leading "./" goes. */
static char *
join(const char *a, const char *b)
{
	if (a == NULL || strcmp(a, ".") == 0 || *a == '\0')
		return xstrdup(b);
	return xasprintf("%s%s%s", a, a[strlen(a) - 1] == '/' ? "" : "/", b);
}

/* True when d is a .muster folder: by its name, or what it holds. */
static bool
looks_like_dir(const char *d)
{
	static const char *const in[] = { "workflows", "tools",
	    "serviceclasses", "config.yaml", "state" };
	const char	*b;
	size_t		 i, len = strlen(d);
	char		*path;
	bool		 yes = false;

	while (len > 1 && d[len - 1] == '/')
		len--;
	for (b = d + len; b > d && b[-1] != '/'; b--)
		;
	if ((size_t)(d + len - b) == 7 && strncmp(b, ".muster", 7) == 0)
		return true;
	for (i = 0; i < nitems(in) && !yes; i++) {
		path = join(d, in[i]);
		yes = access(path, F_OK) == 0;
		free(path);
	}
	return yes;
}

int
project_find(const char *cdir, char **root, char **dir)
{
	const char	*env = getenv("MUSTER_DIR");
	char		*base, *d, real[PATH_MAX];
	struct stat	 st;
	dev_t		 dev;

	if (env != NULL && *env != '\0' && cdir == NULL) {
		if (!is_dir(env))
			return error("MUSTER_DIR '%s' is not a folder", env);
		d = join(env, ".muster");
		if (!looks_like_dir(env) && is_dir(d)) {
			/* The project's folder rather than its .muster. */
			*dir = d;
			*root = xstrdup(env);
			return 0;
		}
		free(d);
		if (!looks_like_dir(env))
			return error("MUSTER_DIR '%s' is neither a .muster "
			    "folder nor a project folder holding one", env);
		*dir = xstrdup(env);
		*root = xasprintf("%s/..", env);
		return 0;
	}
	if (cdir != NULL && !is_dir(cdir))
		return error("-C '%s': no such folder", cdir);
	d = cdir != NULL ? join(cdir, ".muster") : NULL;
	if (d != NULL && !is_dir(d) && looks_like_dir(cdir)) {
		/* -C at the .muster folder itself. */
		free(d);
		*dir = xstrdup(cdir);
		*root = xasprintf("%s/..", cdir);
		return 0;
	}
	free(d);
	base = xstrdup(cdir ? cdir : ".");
	if (stat(base, &st) < 0) {
		free(base);
		return error("cannot stat '%s':", cdir ? cdir : ".");
	}
	dev = st.st_dev;
	/* Upwards like git, but not across a file system boundary. */
	for (;;) {
		d = join(base, ".muster");
		if (is_dir(d)) {
			*root = base;
			*dir = d;
			return 0;
		}
		free(d);
		if (realpath(base, real) == NULL || strcmp(real, "/") == 0)
			break;
		d = strcmp(base, ".") == 0 ? xstrdup("..") :
		    xasprintf("%s/..", base);
		free(base);
		base = d;
		if (stat(base, &st) < 0 || st.st_dev != dev)
			break;
	}
	free(base);
	*root = *dir = NULL;
	return 1;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
yaml_name(const char *n)
{
	size_t	len = strlen(n);

	return n[0] != '.' && ((len > 5 && strcmp(n + len - 5, ".yaml") == 0) ||
	    (len > 4 && strcmp(n + len - 4, ".yml") == 0));
}

/* Appends the definition files of folder dir to *files, sorted by name. */
static int
list_folder(const char *dir, char ***files, size_t *n, size_t *cap)
{
	DIR		*d = opendir(dir);
	struct dirent	*e;
	size_t		 first = *n;

	if (d == NULL)
		return errno == ENOENT ? 0 :
		    error("cannot read folder '%s':", dir);
	while ((e = readdir(d)) != NULL) {
		if (!yaml_name(e->d_name))
			continue;
		xgrow(files, cap, *n + 1, sizeof **files);
		(*files)[(*n)++] = join(dir, e->d_name);
	}
	closedir(d);
	if (*n > first)		/* *files is still NULL in an empty folder */
		xqsort(*files + first, *n - first, sizeof **files, cmp_str);
	return 0;
}

static void	free_strs(char **, size_t);

/* The folder a definition file belongs in, from its first kind: line. */
static const char *
folder_for(const char *path)
{
	static const char *const kinds[] = { "Workflow", "Tool",
	    "ServiceClass" };
	char	 text[8192];
	ssize_t	 n;
	int	 fd;
	size_t	 i;
	char	*k;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) < 0)
		return NULL;
	n = read(fd, text, sizeof text - 1);
	close(fd);
	text[n > 0 ? n : 0] = '\0';
	for (k = text; (k = strstr(k, "kind:")) != NULL; k++) {
		if (k != text && k[-1] != '\n' && k[-1] != ' ' &&
		    k[-1] != '{')
			continue;
		k += 5;
		k += strspn(k, " \t\"'");
		for (i = 0; i < nitems(kinds); i++)
			if (strncmp(k, kinds[i], strlen(kinds[i])) == 0 &&
			    !isalnum((unsigned char)k[strlen(kinds[i])]))
				return folders[i];
		break;
	}
	return NULL;
}

static void
warn_misplaced(const char *path, const char *why)
{
	struct loc	 l = { path, 1, 1 };
	const char	*f = folder_for(path);

	if (f != NULL)
		loc_warn(&l, "%s: muster does not read it; move it to "
		    ".muster/%s/", why, f);
	else
		loc_warn(&l, "%s: muster does not read it; definitions go in "
		    ".muster/workflows/, tools/ or serviceclasses/", why);
}

/* Warns of the YAML files of folder dir, which muster does not read. */
static void
warn_folder(const char *dir, const char *why)
{
	char	**files = NULL;
	size_t	  n = 0, cap = 0, i;

	if (list_folder(dir, &files, &n, &cap) < 0)
		return;
	for (i = 0; i < n; i++)
		warn_misplaced(files[i], why);
	free_strs(files, n);
}

/*
 * Definition files where muster does not look: directly in .muster/ (but
 * config.yaml) or in a folder it does not know (.muster/workflow/).
 */
static void
warn_stray_files(const char *dir)
{
	static const char *const known[] = { "workflows", "tools",
	    "serviceclasses", "state", "mcpservers" };
	struct dirent	**ents, *e;
	struct stat	  st;
	char		 *path;
	size_t		  i;
	int		  n, k;

	if ((n = scandir(dir, &ents, NULL, alphasort)) < 0)
		return;
	for (k = 0; k < n; free(ents[k++])) {
		e = ents[k];
		if (e->d_name[0] == '.')
			continue;
		path = join(dir, e->d_name);
		for (i = 0; i < nitems(known); i++)
			if (strcmp(e->d_name, known[i]) == 0)
				break;
		if (yaml_name(e->d_name) && strcmp(e->d_name, "config.yaml") &&
		    strcmp(e->d_name, "config.yml") &&
		    stat(path, &st) == 0 && S_ISREG(st.st_mode))
			warn_misplaced(path, "a file directly in .muster/");
		else if (i == nitems(known) && stat(path, &st) == 0 &&
		    S_ISDIR(st.st_mode)) {
			struct buf	why = BUF_INIT;

			buf_printf(&why, "a file in .muster/%s/", e->d_name);
			warn_folder(path, buf_str(&why));
			buf_release(&why);
		}
		free(path);
	}
	free(ents);
}

/* The file name without folder and extension: the default metadata.name. */
static const char *
base_name(struct arena *a, const char *path)
{
	const char	*b = strrchr(path, '/');
	size_t		 len;

	b = b ? b + 1 : path;
	len = strlen(b);
	if (len > 5 && strcmp(b + len - 5, ".yaml") == 0)
		len -= 5;
	else if (len > 4 && strcmp(b + len - 4, ".yml") == 0)
		len -= 4;
	return arena_strndup(a, b, len);
}

enum { DF_API, DF_KIND, DF_METADATA, DF_SPEC, DF_STATUS, DF_COUNT };
static const struct field	doc_fields[DF_COUNT] = {
	[DF_API] = { "apiVersion", NULL }, [DF_KIND] = { "kind", NULL },
	[DF_METADATA] = { "metadata", NULL }, [DF_SPEC] = { "spec", NULL },
	[DF_STATUS] = { "status", NULL },
};

static const struct field	meta_fields[] = {
	{ "name", NULL }, { "namespace", NULL }, { "labels", NULL },
	{ "annotations", NULL }, { "description", NULL }, { "version", NULL },
};

static const char *const	kinds[] = { "Workflow", "Tool", "ServiceClass",
	"MCPServer" };

/* The container-kit document's spelling: stages of tools. */
#define STAGES_API_VERSION	"orchestration/v1"

static int
check_header(struct loader *ld, const struct ydoc *doc,
    const struct ynode *const *f, int *kind, bool *stages)
{
	struct loc	 l = { ld->file, doc->root->line, doc->root->col };
	const char	*s, *sg;
	size_t		 i;

	if (f[DF_API] == NULL)
		return loc_error(&l, "no 'apiVersion' (use %s)",
		    MUSTER_API_VERSION);
	if (load_str(ld, f[DF_API], "apiVersion", &s) < 0)
		return -1;
	*stages = strcmp(s, STAGES_API_VERSION) == 0;
	if (strcmp(s, MUSTER_API_VERSION) != 0 && !*stages) {
		l = load_loc(ld, f[DF_API]);
		return loc_error(&l, "unknown apiVersion '%s' (use %s)", s,
		    MUSTER_API_VERSION);
	}
	if (f[DF_KIND] == NULL)
		return loc_error(&l, "no 'kind' (use Workflow, Tool, "
		    "ServiceClass or MCPServer)");
	if (load_str(ld, f[DF_KIND], "kind", &s) < 0)
		return -1;
	for (i = 0; i < nitems(kinds); i++)
		if (strcmp(s, kinds[i]) == 0) {
			*kind = (int)i;
			if (*stages && i != 0) {
				l = load_loc(ld, f[DF_KIND]);
				return loc_error(&l, "apiVersion %s describes "
				    "workflows only; a %s takes apiVersion %s",
				    STAGES_API_VERSION, s, MUSTER_API_VERSION);
			}
			return 0;
		}
	l = load_loc(ld, f[DF_KIND]);
	if ((sg = suggest(s, kinds, nitems(kinds))) != NULL)
		return loc_error(&l, "unknown kind '%s' (did you mean '%s'?)",
		    s, sg);
	return loc_error(&l, "unknown kind '%s' (use Workflow, Tool, "
	    "ServiceClass or MCPServer)", s);
}

/* Registers a definition's name; duplicates and reserved names fail. */
static int
add_name(struct loader *ld, struct hmap *names, const char *kind,
    const char *name, struct loc *l, void *def)
{
	void		*old;

	if (strcmp(kind, "tool") == 0 && (strncmp(name, "core_", 5) == 0 ||
	    strncmp(name, "workflow_", 9) == 0))
		return loc_error(l, "tool name '%s' is reserved: 'core_' and "
		    "'workflow_' name built-in tools", name);
	if ((old = hmap_put(names, name, def)) != NULL) {
		/* Every kind of definition keeps its loc at one offset. */
		loc_error(l, "duplicate %s '%s'", kind, name);
		loc_note((struct loc *)((char *)old +
		    offsetof(struct workflow, loc)), "first defined here");
		return -1;
	}
	return 0;
}

static int
load_definition(struct loader *ld, int kind, bool stages, const char *name,
    struct loc l, const struct ynode *spec)
{
	struct project	*p = ld->p;
	int		 rc;

	if (kind == 0) {
		struct workflow	*w = arena_alloc(ld->a, sizeof *w);

		w->name = name;
		w->loc = l;
		w->file = ld->file;
		w->stages = stages;
		rc = stages ? load_stages_workflow(ld, spec, w) :
		    load_workflow(ld, spec, w);
		w->broken = rc != 0;
		rc |= add_name(ld, &p->workflow_names, "workflow", name, &w->loc,
		    w);
		xgrow(&p->workflows, &p->wcap, p->nworkflows + 1,
		    sizeof *p->workflows);
		p->workflows[p->nworkflows++] = w;
		return rc;
	}
	if (kind == 1) {
		struct tool	*t = arena_alloc(ld->a, sizeof *t);

		t->name = name;
		t->loc = l;
		t->file = ld->file;
		rc = load_tool(ld, spec, t);
		rc |= add_name(ld, &p->tool_names, "tool", name, &t->loc, t);
		xgrow(&p->tools, &p->tcap, p->ntools + 1, sizeof *p->tools);
		p->tools[p->ntools++] = t;
		return rc;
	}
	if (kind == 3) {
		struct mcp_server	*m = arena_alloc(ld->a, sizeof *m);

		m->name = name;
		m->loc = l;
		m->file = ld->file;
		rc = load_mcp_server(ld, spec, m);
		m->broken = rc != 0;
		rc |= add_name(ld, &p->mcp_names, "MCP server", name, &m->loc,
		    m);
		xgrow(&p->mcpservers, &p->mcap, p->nmcp + 1,
		    sizeof *p->mcpservers);
		p->mcpservers[p->nmcp++] = m;
		return rc;
	}
	{
		struct service_class	*c = arena_alloc(ld->a, sizeof *c);

		c->name = name;
		c->loc = l;
		c->file = ld->file;
		rc = load_class(ld, spec, c);
		c->broken = rc != 0;
		rc |= add_name(ld, &p->class_names, "service class", name,
		    &c->loc, c);
		xgrow(&p->classes, &p->ccap, p->nclasses + 1,
		    sizeof *p->classes);
		p->classes[p->nclasses++] = c;
		return rc;
	}
}

static int
load_document(struct loader *ld, const struct ydoc *doc, const char *path)
{
	const struct ynode	*f[DF_COUNT], *m[nitems(meta_fields)];
	const char		*name;
	struct loc		 l = { ld->file, doc->root->line,
				    doc->root->col };
	int			 kind = 0, rc, spec_typo;
	bool			 stages = false;

	if (load_fields(ld, doc->root, "a definition", doc_fields, DF_COUNT,
	    f) < 0 && doc->root->kind != YNODE_MAP)
		return -1;
	spec_typo = load_typo(ld, DF_SPEC);
	if (check_header(ld, doc, f, &kind, &stages) < 0)
		return -1;
	name = base_name(ld->a, path);
	rc = 0;
	if (f[DF_METADATA] != NULL) {
		rc = load_fields(ld, f[DF_METADATA], "metadata", meta_fields,
		    nitems(meta_fields), m);
		if (m[0] != NULL) {
			l = load_loc(ld, m[0]);
			if (load_name(ld, m[0], "name", &name) < 0)
				return -1;
		}
	}
	if (f[DF_SPEC] == NULL)
		return spec_typo ? -1 : loc_error(&l, "%s '%s' "
		    "has no 'spec'", kinds[kind], name);
	return load_definition(ld, kind, stages, name, l, f[DF_SPEC]) | rc;
}

/* Loads one file of definitions; path is also its name in messages. */
static int
load_file(struct project *p, const char *path)
{
	struct loader	 ld = { .p = p, .a = &p->arena };
	struct arena	 tree = ARENA_INIT;	/* the nodes: let go after */
	struct ydoc	*docs;
	size_t		 n, i;
	int		 rc = 0;
	bool		 empty = true;

	ld.file = arena_strdup(&p->arena, path);
	if (ynode_load_file(&p->arena, &tree, path, ld.file,
	    p->config.max_file, &docs, &n) < 0) {
		arena_release(&tree);
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (docs[i].root == NULL)
			continue;	/* an empty document, as after '---' */
		ld.text = docs[i].text;
		ld.textlen = docs[i].textlen;
		rc |= load_document(&ld, &docs[i], path);
		empty = false;
	}
	arena_release(&tree);
	if (empty) {
		struct loc	l = { ld.file, 1, 1 };

		rc = loc_error(&l, "the file holds no definition; add one "
		    "(apiVersion, kind, spec) or delete the file");
	}
	return rc;
}

/* Prints only messages about the files named on the command line. */
struct only_files {
	char	**names;
	size_t	  n;
	int	  last_kept;	/* a note belongs to the error before it */
	int	  errors;	/* kept errors: what the load's verdict is */
	void	(*prev)(const char *, size_t, void *);	/* kept lines go */
	void	 *prev_arg;				/* here */
};

static void
filter_sink(const char *line, size_t len, void *arg)
{
	struct only_files	*o = arg;
	size_t			 i;
	int			 keep = strncmp(line, "muster: ", 8) == 0;

	for (i = 0; i < o->n && !keep; i++) {
		size_t	k = strlen(o->names[i]);

		keep = strncmp(line, o->names[i], k) == 0 && line[k] == ':';
	}
	if ((strstr(line, ": note: ") != NULL ||
	    strstr(line, ": hint: ") != NULL) && !keep)
		keep = o->last_kept;
	else
		o->last_kept = keep;
	if (keep && (strstr(line, ": error: ") != NULL ||
	    (strncmp(line, "muster: ", 8) == 0 && strncmp(line + 8,
	    "warning", 7) != 0)))
		o->errors++;
	if (keep && o->prev != NULL)
		o->prev(line, len, o->prev_arg);
	else if (keep)
		fwrite(line, 1, len, stderr);
}

/* The project's name for path when it is one of its files, else path. */
static char *
project_name_of(char **files, size_t n, const char *path)
{
	char	real[PATH_MAX], other[PATH_MAX];
	size_t	i;

	if (realpath(path, real) == NULL)
		return xstrdup(path);
	for (i = 0; i < n; i++)
		if (realpath(files[i], other) != NULL &&
		    strcmp(real, other) == 0)
			return xstrdup(files[i]);
	return xstrdup(path);
}

static void
free_strs(char **v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Whether loads check every run: script with `sh -n` (validate does). */
static bool	check_scripts;

void
project_load_scripts(bool on)
{
	check_scripts = on;
}

static int
load_all(struct project *p, char **extra, size_t nextra)
{
	struct only_files	 o = { NULL, 0, 0, 0, NULL, NULL };
	char			**files = NULL;
	size_t			  n = 0, cap = 0, i, j;
	int			  rc = 0;

	for (i = 0; p->dir != NULL && i < nitems(folders); i++) {
		char	*d = join(p->dir, folders[i]);

		rc |= list_folder(d, &files, &n, &cap);
		free(d);
	}
	if (nextra > 0) {
		o.names = xcalloc(nextra, sizeof *o.names);
		for (i = 0; i < nextra; i++)
			o.names[o.n++] = project_name_of(files, n, extra[i]);
		for (i = 0; i < nextra; i++) {
			for (j = 0; j < n; j++)
				if (strcmp(files[j], o.names[i]) == 0)
					break;
			if (j == n) {
				xgrow(&files, &cap, n + 1, sizeof *files);
				files[n++] = xstrdup(o.names[i]);
			}
		}
		error_get_sink(&o.prev, &o.prev_arg);
		error_set_sink(filter_sink, &o);
	}
	if (p->dir != NULL) {
		char	*cf = join(p->dir, "config.yaml");

		rc |= load_config(p, cf);
		free(cf);
		warn_stray_files(p->dir);
	}
	else
		p->config.max_file = YNODE_MAX_FILE;
	for (i = 0; i < n; i++)
		rc |= load_file(p, files[i]);
	if (rc == 0)
		rc = project_check(p);
	else
		project_check(p);
	if (check_scripts)
		rc |= project_check_scripts(p, NULL);
	/* Files named: their problems decide, not the others'. */
	if (nextra > 0) {
		error_set_sink(o.prev, o.prev_arg);
		rc = o.errors > 0 ? -1 : 0;
	}
	free_strs(files, n);
	free_strs(o.names, o.n);
	return rc;
}

/* Keeps a tolerant load's messages and notes the files they name. */
static void
keep_sink(const char *line, size_t len, void *arg)
{
	struct project	*p = arg;
	const char	*m = strstr(line, ": error: ");
	const char	*e, *c;
	int		 colons = 0;

	buf_add(&p->problems, line, len);
	if (m == NULL)
		m = strstr(line, ": note: ");
	if (m == NULL) {
		/* Warnings and hints make nothing unusable. */
		if (strncmp(line, "muster: warning: ", 17) != 0 &&
		    strstr(line, ": warning: ") == NULL &&
		    strstr(line, ": hint: ") == NULL)
			p->bad_all = 1;
		return;
	}
	/* FILE:LINE:COL: back over ":COL" and ":LINE". */
	for (e = m; e > line && colons < 2; )
		if (*--e == ':')
			colons++;
	if (colons < 2) {
		p->bad_all = 1;
		return;
	}
	c = arena_strndup(&p->arena, line, (size_t)(e - line));
	hmap_put(&p->bad_files, c, (void *)c);
}

static struct project *
open_project(const char *cdir, char **extra, size_t nextra, int *missing,
    int tolerant)
{
	struct project	*p = xcalloc(1, sizeof *p);
	char		*root, *dir;
	unsigned	 before = error_count();
	int		 r;

	*missing = 0;
	if ((r = project_find(cdir, &root, &dir)) < 0) {
		free(p);
		return NULL;
	}
	if (r > 0 && nextra == 0) {
		*missing = 1;
		free(p);
		return NULL;
	}
	if (r == 0) {
		p->root = arena_strdup(&p->arena, root);
		p->dir = arena_strdup(&p->arena, dir);
		free(root);
		free(dir);
	}
	if (tolerant) {
		error_set_sink(keep_sink, p);
		load_all(p, NULL, 0);
		error_set_sink(NULL, NULL);
		return p;
	}
	if (load_all(p, extra, nextra) < 0 || (nextra == 0 &&
	    error_count() != before)) {
		project_free(p);
		return NULL;
	}
	return p;
}

struct project *
project_load(const char *cdir, char **extra, size_t nextra, int *missing)
{
	return open_project(cdir, extra, nextra, missing, 0);
}

struct project *
project_open(const char *cdir, int *missing)
{
	return open_project(cdir, NULL, 0, missing, 1);
}

void
project_free(struct project *p)
{
	size_t	i;

	if (p == NULL)
		return;
	for (i = 0; i < p->nworkflows; i++)
		hmap_release(&p->workflows[i]->ids);
	hmap_release(&p->workflow_names);
	hmap_release(&p->tool_names);
	hmap_release(&p->class_names);
	hmap_release(&p->mcp_names);
	hmap_release(&p->mcp_tools);
	free(p->mcpservers);
	hmap_release(&p->bad_files);
	buf_release(&p->problems);
	free(p->workflows);
	free(p->tools);
	free(p->classes);
	arena_release(&p->arena);
	free(p);
}

struct workflow *
project_workflow(const struct project *p, const char *name)
{
	return hmap_get(&p->workflow_names, name);
}

struct tool *
project_tool(const struct project *p, const char *name)
{
	return hmap_get(&p->tool_names, name);
}

struct service_class *
project_class(const struct project *p, const char *name)
{
	return hmap_get(&p->class_names, name);
}

struct mcp_server *
project_mcp(const struct project *p, const char *name)
{
	return hmap_get(&p->mcp_names, name);
}
