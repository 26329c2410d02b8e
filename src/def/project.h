/* project.h: finding a project's .muster folder and loading all of it. */
#ifndef MUSTER_PROJECT_H
#define MUSTER_PROJECT_H

#include <stdbool.h>

#include "def/model.h"

#define MUSTER_API_VERSION	"muster.giantswarm.io/v1alpha1"

/*
 * Finds the .muster folder: $MUSTER_DIR when set (the folder itself), else
 * DIR/.muster for `-C DIR`, else .muster in the current folder or the
 * nearest parent.  Returns 0 with new strings in *root and *dir (paths as
 * the user would type them), or -1 after an error.
 */
int		 project_find(const char *cdir, char **root, char **dir);

/*
 * Loads every definition of the project found from cdir, plus the files in
 * extra (which may lie outside it), and checks them all.  Every problem is
 * reported; when extra is given, only problems in those files.  Returns the
 * project, or NULL after errors (exit 2) or when no project was found and
 * extra is empty (*missing set).
 */
struct project	*project_load(const char *cdir, char **extra, size_t nextra,
		    int *missing);
void		 project_free(struct project *);
/* Makes later loads run project_check_scripts() on everything too. */
void		 project_load_scripts(bool on);
/*
 * Like project_load(), but for commands that act on what exists
 * (executions, instances): problems in the definitions are kept, not
 * printed, and the project is returned whatever they are.  Ask
 * project_usable_*() before using a definition.  NULL only when no
 * project was found (*missing set) or it could not be read.
 */
struct project	*project_open(const char *cdir, int *missing);
/*
 * 0 when the definition and everything it uses loaded without errors;
 * else returns -1, after printing those errors and a line naming it when
 * report is set.
 */
int		 project_usable_workflow(struct project *,
		    const struct workflow *, bool report);
int		 project_usable_class(struct project *,
		    const struct service_class *, bool report);

/* Checks references across the loaded definitions (check.c). */
int		 project_check(struct project *);
/*
 * Checks that the run: scripts of workflow only (every workflow when NULL)
 * and of the tools it calls parse (`sh -n`): a process each, so not part
 * of every load (check-script.c).
 */
int		 project_check_scripts(struct project *,
		    const struct workflow *only);
/*
 * Resolves a tool name: a Tool file, a core_* built-in or workflow_<name>.
 * Reports an unknown one at l (or as a plain error when l is NULL).
 */
int		 project_resolve_tool(struct project *, const char *name,
		    const struct loc *l, enum tool_ref *, struct tool **,
		    struct workflow **, int *builtin);

#endif
