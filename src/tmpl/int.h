/* tmpl-int.h: the template engine's private types: tokens, AST, values. */
#ifndef MUSTER_TMPL_INT_H
#define MUSTER_TMPL_INT_H

#include <locale.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "base/arena.h"
#include "tmpl/tmpl.h"
#include "base/util.h"

struct json_object;

/* c is one of the bytes of set; never true for NUL, unlike strchr(). */
#define IN_SET(set, c)	((c) != 0 && strchr((set), (c)) != NULL)

/* Tokens, as Go's text/template/parse lexer makes them. */
enum tok {
	T_ERROR, T_EOF, T_TEXT, T_LDELIM, T_RDELIM, T_SPACE, T_ASSIGN,
	T_DECLARE, T_PIPE, T_LPAREN, T_RPAREN, T_CHAR, T_STRING, T_RAWSTRING,
	T_CHARCONST, T_NUMBER, T_COMPLEX, T_BOOL, T_DOT, T_FIELD, T_VARIABLE,
	T_IDENT, T_NIL,
	/* keywords */
	T_BLOCK, T_BREAK, T_CONTINUE, T_DEFINE, T_ELSE, T_END, T_IF, T_RANGE,
	T_TEMPLATE, T_WITH
};

struct token {
	enum tok	 type;
	unsigned	 pos;		/* byte offset in the source */
	unsigned	 len;
	const char	*s;		/* into the source, or the error text */
};

struct tokens {
	struct token	*v;
	size_t		 n, cap;
	char		 errmsg[256];
};
/* Lexes the whole source; the last token is T_EOF or T_ERROR. */
void	 lex_all(const char *src, size_t len, struct tokens *);
/* 1 when rune r may appear in identifiers (Go: letter, digit or '_'). */
int	 lex_is_alnum(uint32_t r);
/* Decodes one UTF-8 rune; invalid input gives 0xFFFD and width 1. */
uint32_t utf8_decode(const char *s, size_t n, size_t *width);
size_t	 utf8_encode(char *out, uint32_t r);

/* Value kinds: Go's reflect kinds as JSON data meets them. */
enum tv_kind {
	TV_MISSING,	/* Go's invalid reflect.Value: a missing key */
	TV_NIL,		/* a nil interface: JSON null inside a container */
	TV_BOOL, TV_INT, TV_UINT, TV_FLOAT, TV_COMPLEX, TV_STRING,
	TV_LIST, TV_MAP, TV_TIME
};

struct ttime {
	int64_t	 sec;
	int32_t	 nsec;
	int32_t	 off;		/* seconds east of UTC (TLOC_FIXED) */
	int	 loc;		/* TLOC_* */
	const char *zone;	/* TLOC_FIXED: the zone's name, or NULL */
};
enum { TLOC_UTC, TLOC_LOCAL, TLOC_FIXED };

/* A value that borrows: strings and containers point into json-c objects,
 * the AST or the rendering's scratch memory. */
struct tval {
	unsigned char	 kind;
	unsigned char	 iface;		/* an interface{} from a container */
	unsigned char	 gt;		/* GT_*: the Go type, where it shows */
	union {
		int			 b;
		int64_t			 i;
		uint64_t		 u;
		double			 f;
		double			 c[2];
		struct { const char *p; size_t n; } s;
		struct json_object	*j;		/* TV_LIST, TV_MAP */
		const struct ttime	*t;
	} u;
};

/* Go types that print like another kind but that typeOf, deepEqual and
 * method calls tell apart. */
enum { GT_PLAIN, GT_INT64, GT_STRINGS, GT_INTS, GT_DURATION, GT_SEMVER };

/* Converts a json-c object into a value (NULL is TV_NIL). */
void	 tval_from_json(struct tval *, struct json_object *);
/* Go's truthiness. */
int	 tval_truth(const struct tval *);
/* Go's type name ("string", "int", "[]interface {}", ...). */
const char *tval_type(const struct tval *);
/* Number of elements of a list or map. */
size_t	 tval_len(const struct tval *);

/* AST */
enum ntype {
	N_LIST, N_TEXT, N_ACTION, N_IF, N_RANGE, N_WITH, N_TEMPLATE, N_BREAK,
	N_CONTINUE, N_PIPE, N_CMD, N_FIELD, N_CHAIN, N_VAR, N_FUNC, N_DOT,
	N_NIL, N_BOOL, N_NUMBER, N_STRING
};

struct tfunc;
struct node;
struct exec;
struct shstate;

struct number {
	unsigned	 is_int:1, is_uint:1, is_float:1, is_complex:1;
	int64_t		 i;
	uint64_t	 u;
	double		 f, c[2];
	struct tval	 ideal;		/* the value where no type is asked */
	int		 overflow;	/* ideal is "overflows int" */
};

struct node {
	unsigned char	 type;
	unsigned	 pos, end;	/* byte span in the source */
	union {
		struct { struct node **v; unsigned n; } list;	/* LIST, CMD */
		struct { const char *s; size_t n; } text; /* TEXT, STRING */
		struct node	*action;			/* ACTION */
		struct {				/* IF RANGE WITH */
			struct node	*pipe, *list, *elselist;
		} ctl;
		struct {					/* TEMPLATE */
			const char	*name;
			struct node	*pipe;
		} call;
		struct {					/* PIPE */
			struct node	**cmds;
			unsigned	  ncmds;
			int		  decl[2];		/* var ids */
			unsigned	  ndecl;
			int		  assign;
		} pipe;
		struct {		/* FIELD, VAR (var >= 0), CHAIN */
			const char	**ident;
			unsigned	  n;
			int		  var;
			struct node	 *base;			/* CHAIN */
		} field;
		const struct tfunc	*fn;			/* FUNC */
		int			 b;			/* BOOL */
		struct number		*num;			/* NUMBER */
	} u;
};

/* Literals (tmpl-lit.c). */
int	 lit_number(struct number *, const char *, size_t, enum tok,
	    char *err, size_t errlen);
int	 lit_unquote(struct arena *, const char *, size_t, const char **out,
	    size_t *outlen);
int	 lit_parse_float(const char *, size_t, double *);
/* strconv.ParseInt(s, 0, 64): 0, -1 bad syntax, -2 out of range. */
int	 lit_parse_int(const char *, size_t, int64_t *);

struct tdefine {
	const char	*name;
	struct node	*list;
};

struct tmpl {
	struct arena	 arena;
	char		*src;
	size_t		 len;
	struct node	*root;
	struct tdefine	*defs;
	size_t		 ndefs;
	const char	**vars;		/* variable names by id; 0 is "$" */
	size_t		 nvars;
};

/* Fills err with the line and column of byte offset pos. */
void	 tmpl_seterr(struct tmpl_error *, const char *src, size_t len,
	    unsigned pos, const char *fmt, ...) PRINTF(5, 6);


/* Parameter types: what Go's evalArg checks before the call.  P_MAP takes
 * a map or nil (a missing key), P_LIST a list or nil, P_U32 an integer
 * literal only, P_FLOAT any number literal or a float, P_CERT a map from
 * the certificate generators. */
enum ptype { P_ANY, P_STRING, P_INT, P_BOOL, P_MAP, P_LIST, P_TIME, P_U32,
	P_FLOAT, P_CERT, P_INT64 };

struct tfunc {
	const char	*name;
	int		(*fn)(struct exec *, struct tval *args, int n,
			    struct tval *res);
	signed char	 nfixed;	/* fixed parameters */
	unsigned char	 variadic;	/* 1: more of the last type */
	unsigned char	 types[6];	/* P_* of each parameter */
	unsigned char	 special;	/* 1: and, 2: or (short-circuit) */
	const char	*sig;		/* "trunc N S": for the documentation */
	const char	*example;	/* a template that shows it */
};

const struct tfunc *tfunc_find(const char *name, size_t len);
/* The whole table, sorted by name. */
const struct tfunc *tfunc_table(size_t *n);

/* The function library: builtins (tmpl-func.c), muster's (tmpl-lib.c,
 * tmpl-time.c). */
#define TFN(f)	int f(struct exec *, struct tval *, int, struct tval *)
TFN(fn_default); TFN(fn_upper); TFN(fn_lower); TFN(fn_title); TFN(fn_trim);
TFN(fn_replace); TFN(fn_contains); TFN(fn_hasprefix); TFN(fn_hassuffix);
TFN(fn_split); TFN(fn_splitlist); TFN(fn_join); TFN(fn_quote); TFN(fn_add);
TFN(fn_sub); TFN(fn_mul); TFN(fn_div); TFN(fn_mod); TFN(fn_now);
TFN(fn_timeadd); TFN(fn_timeformat); TFN(fn_randomstring);
TFN(fn_randomint); TFN(fn_env); TFN(fn_tojson); TFN(fn_fromjson);
TFN(fn_b64enc); TFN(fn_b64dec); TFN(fn_regexmatch); TFN(fn_regexrepl);
TFN(fn_required);
#include "tmpl/fn.h"
/* Sprig's strval: a string as is, anything else as %v. */
int	 tval_strval(struct exec *, const struct tval *, struct tval *out);
/* The same, copied NUL-terminated into the rendering's memory. */
int	 tval_strcpy(struct exec *, const struct tval *, char **out);

/* Sprig's conversions (cast.c): cast.ToInt64 and cast.ToFloat64 with the
 * errors dropped (unreadable is 0). */
int64_t	 cast_int64(const struct tval *);
double	 cast_float64(const struct tval *);
/* A value as a new JSON reference (NULL for nil), to store in a list. */
struct json_object *tval_json(const struct tval *);
/* Sprig's strslice into a new JSON list (*out even on failure). */
int	 tval_strslice(struct exec *, const struct tval *,
	    struct json_object **out);
/* reflect.DeepEqual. */
int	 tval_equal(const struct tval *, const struct tval *, unsigned depth);
/* Go's reflect kind name: "int", "slice", "map", "invalid", ... */
const char *tval_kind(const struct tval *);
/* Results: each returns 0, or -1 after exec_fail(). */
int	 ret_buf(struct exec *, struct buf *, struct tval *);
/* Go's unicode for one rune: IsSpace, ToUpper, ToLower (lib.c); case and
 * classes beyond ASCII come from the C.UTF-8 locale, or (locale_t)0. */
int	 rune_space(uint32_t);
uint32_t rune_upper(uint32_t);
uint32_t rune_lower(uint32_t);
locale_t rune_locale(void);
int	 ret_bool(struct tval *, int);
int	 ret_int(struct tval *, int64_t, int gt);
int	 ret_float(struct tval *, double);
/* Takes over a new JSON reference (list, map, scalar or NULL). */
int	 ret_json(struct exec *, struct json_object *, int gt, struct tval *);

/* Work one rendering may do before it is stopped. */
#define MAX_STEPS	50000000ULL
#define MAX_SCRATCH	((size_t)TMPL_MAX_OUTPUT * 16)

/* The state of one rendering (tmpl-exec.c; expressions in tmpl-eval.c). */
struct var {
	int		 id;
	struct tval	 v;
};

struct exec {
	const struct tmpl	*t;
	unsigned		 flags;
	struct buf		*out;
	size_t			 start;
	struct var		*vars, small[16];
	size_t			 nvars, capvars, vbase;
	unsigned		 depth;
	uint64_t		 steps;
	struct arena		 scratch;
	struct json_object	**keep;
	size_t			 nkeep, capkeep;
	struct tmpl_error	*err;
	unsigned		 pos, end;
	const char		*calling;
	struct shstate		*sh;
	struct buf		 tmp;
};

/* Notes the node being evaluated, for error positions. */
void	 exec_at(struct exec *, const struct node *);
/* One level deeper; -1 past TMPL_MAX_DEPTH. */
int	 exec_depth_in(struct exec *);
int	 exec_push_var(struct exec *, int id, const struct tval *);
/* The innermost variable id of the current template, or NULL (failed). */
struct var *exec_find_var(struct exec *, int id);
/* Evaluates a pipeline, declaring or assigning its variables. */
int	 eval_pipe(struct exec *, const struct tval *dot, const struct node *,
	    struct tval *out);

/* exec services for the function library */
int	 exec_fail(struct exec *, const char *fmt, ...) PRINTF(2, 3);
void	*exec_alloc(struct exec *, size_t);
char	*exec_strdup(struct exec *, const char *, size_t);
/* Keeps a json-c object alive until the rendering ends. */
struct json_object *exec_keep(struct exec *, struct json_object *);
void	 tval_str(struct tval *, const char *, size_t);

/* fmt's flags for one verb. */
struct ff {
	int	 plus, minus, sharp, space, zero, plus_v, sharp_v;
	int	 wid, prec, widp, precp;
};
/* fmt's printArg (depth 0) and printValue (inside containers). */
int	 print_arg(struct buf *, const struct tval *, int verb, struct ff *);
int	 print_val(struct buf *, const struct tval *, int verb, struct ff *,
	    unsigned depth);
/* Sorted keys of a JSON object; the caller frees the array. */
const char **tmpl_map_keys(struct json_object *, size_t *n);

/* Printing (Go's fmt).  Each returns 0, -1 when a value is nested too
 * deep, or -2 when the text grows past TMPL_MAX_OUTPUT. */
int	 print_value(struct buf *, const struct tval *);	/* Fprint */
int	 print_sprint(struct buf *, const struct tval *, int n, int ln);
int	 print_sprintf(struct buf *, const char *fmt, size_t flen,
	    const struct tval *, int n);

/* strconv.c: Go's strconv, which fmt and encoding/json print with. */
/* strconv.Quote (ascii: QuoteToASCII). */
void	 print_quote(struct buf *, const char *, size_t, int ascii);
/* strconv.AppendFloat(v, verb, prec, 64), with its sign. */
void	 print_float(struct buf *, double, char verb, int prec);
/* strconv.IsPrint: 1 when r stands for itself inside quotes. */
int	 rune_printable(uint32_t r);
/* r inside quotes q, escaped as strconv does (ascii: QuoteToASCII's way). */
void	 print_rune_escaped(struct buf *, uint32_t r, char q, int ascii);

/* Go's encoding/json Marshal; -1 with a reason in *why. */
int	 print_json(struct buf *, const struct tval *, const char **why);
/* A time as Go's Time.String() does. */
void	 time_string(struct buf *, const struct ttime *);
void	 time_format(struct buf *, const struct ttime *, const char *layout,
	    size_t n);
/* A time value in the rendering's memory. */
int	 time_value(struct exec *, const struct ttime *, struct tval *);
/* time.ParseInLocation(layout, value, time.Local); 0 or -1. */
int	 time_parse_layout(struct ttime *, const char *layout, size_t,
	    const char *value, size_t);
/* Calls method name of recv (method.c): 1 done, 0 no such method, -1
 * failed. */
int	 tmpl_method(struct exec *, const struct tval *recv, const char *name,
	    struct tval *args, int n, struct tval *out);
int	 tmpl_has_methods(const struct tval *);
/* The Compare method of semver's versions. */
int	 semver_compare(struct exec *, const struct tval *,
	    const struct tval *, struct tval *);
/* Go's Duration.String. */
void	 duration_string(struct buf *, int64_t ns);
/* Parses RFC 3339; 0 or -1. */
int	 time_parse_rfc3339(struct ttime *, const char *, size_t);

/* Shell-context tracking for TMPL_SHELL (tmpl-shell.c). */
struct shstate {
	unsigned char	 stack[64];	/* SH_* contexts, innermost last */
	unsigned	 parens[64];	/* open '(' inside $( ) and $(( )) */
	unsigned	 sp;
	int		 word_start, dollar, bslash, lt, fresh;
	int		 hstate, hquoted, hdash;
	char		 hdelim[64];
	size_t		 hlen;
	struct buf	 line;		/* the here-document line so far */
	int		 tainted;	/* a value is on that line */
	const char	*why;		/* set once the script is broken */
};
void	 shell_init(struct shstate *);
void	 shell_release(struct shstate *);
/* Follows n bytes of script text (value: they come from a value). */
void	 shell_feed(struct shstate *, const char *, size_t, int value);
/* Appends v escaped for the current context; -1 with *why on refusal. */
int	 shell_escape(struct shstate *, struct buf *, const char *, size_t,
	    const char **why);

#endif
