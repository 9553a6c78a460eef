/* policy-int.h - what the policy module's files share and nobody else. */
#ifndef OPENFILE_POLICY_INT_H
#define OPENFILE_POLICY_INT_H

#include <limits.h>
#include <time.h>

#include "policy.h"

/* A canonical path of at most PATH_MAX bytes has at most this many. */
#define PATH_COMPS_MAX 2048

enum comp_kind { COMP_LITERAL, COMP_GLOB, COMP_GLOBSTAR };

/* Tokens of a glob component: bytes, the star, and substitutions. */
#define TOK_STAR 256
#define TOK_VAR 257 /* + the substitution letter */

struct pattern_comp {
	enum comp_kind kind;
	char *lit;   /* COMP_LITERAL: the bytes, NUL-terminated */
	short *tok;  /* COMP_GLOB: bytes, TOK_STAR, TOK_VAR + letter */
	size_t ntok;
};

struct path_comp {
	const char *s;
	size_t len;
};

/* Splits an absolute path into components.  Returns their number, or
 * SIZE_MAX when there are more than cap. */
size_t path_split(const char *path, struct path_comp *out, size_t cap);

/* below: the path is a directory and the pattern may match what is in it
 * (at least one more component), rather than the path itself.  deny: a
 * substitution whose name the name service could not tell matches any
 * name (fails closed in a deny rule); otherwise it matches none. */
int pattern_match_comps(const struct pattern *pat,
			const struct policy_caller *c,
			const struct path_comp *pc, size_t n, int below,
			int deny);

/* Whether every path b matches, a matches too (1 only when certain). */
int pattern_covers(const struct pattern *a, const struct pattern *b);

/* Whether the n bytes at s match the nt tokens at t, as one component. */
int tok_match(const short *t, size_t nt, const char *s, size_t n);

/* Everything loading needs while files include each other. */
struct loader;

/* SRC_UNREAD: a file the policy names but that could not be read (missing,
 * unsafe): the policy failed. */
enum source_kind { SRC_FILE, SRC_DIR, SRC_ABSENT, SRC_UNREAD };

/* A file or directory the policy was read from, as it was then (the
 * identity only where the policy can be cached). */
struct policy_source {
	char *path;
	int kind;
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime, ctime;
};

struct policy_cache;

struct policy {
	struct policy_rule *rules;
	size_t nrules, cap;
	char **files; /* names of the files read, for the rules' file */
	size_t nfiles;
	struct loader *ld; /* set while loading */
	struct policy_source *sources;
	size_t nsources;
	int uncacheable; /* read from somewhere a cache cannot watch */
	int failed;      /* something was wrong: it must deny everything */
	struct policy_cache *cache; /* rules not loaded: ask the cache */
	struct policy **scratch; /* rules parsed from the cache, kept for
				  * the decisions that point into them */
	size_t nscratch;
	struct policy_walk *walk; /* set while loading or checking a cache */
};

/* The directories a secure load has checked, from "/" down the last path
 * opened, kept open: the next file below them (the policy, its drop-in
 * directory, each drop-in, the cache: all under one prefix) is not walked
 * to again.  Each is checked again (fstat) for each path that passes
 * through it; only the lookups are saved.  No one but root can rename
 * entries in a directory that passed, so its descriptor reaches what a
 * new lookup of its name would. */
#define WALK_DEPTH 32
struct policy_walk {
	int fd[WALK_DEPTH]; /* fd[0] is "/"; n == 0: nothing checked yet */
	size_t end[WALK_DEPTH]; /* directory i is path[0..end[i]) */
	char path[PATH_MAX];
	unsigned n;
};

/* Gives pol a walk for the length of a load unless it has one; returns
 * whether it did, for policy_walk_end. */
int policy_walk_begin(struct policy *pol, struct policy_walk *w);
void policy_walk_end(struct policy *pol, int began);

/* Opens a policy file (dir: a directory) with the checks flags ask for.
 * Returns the descriptor, or -1 with *why and maybe whypath set. */
int policy_open_checked(struct policy *pol, const char *path, unsigned flags,
			int dir, const char **why, char *whypath, size_t wplen);

/* Parses one rule's text as if it stood at file:line. */
int parse_rule_line(struct policy *pol, const char *file, unsigned line,
		    const char *text, size_t len);

/* cache.c: the rules that may apply to a caller at a path, parsed into a
 * scratch policy owned by pol (for_dir: rules that may match below the
 * directory path, and *below set when one lies deeper).  NULL on error. */
const struct policy *cache_candidates(const struct policy *pol,
				      const struct policy_caller *caller,
				      const char *path, int for_dir, int *below);
void policy_cache_close(struct policy *pol);
/* policy_names_groups for a policy in its cache. */
int cache_names_groups(const struct policy *pol);

/* Parses one file's text; name must already be owned by pol. */
int parse_text(struct policy *pol, const char *name, const char *buf,
	       size_t len, unsigned flags, policy_diag_fn *diag, void *ctx);

/* Follows an include line.  Returns 0, or -1 after reporting. */
int load_include(struct policy *pol, const char *pattern, const char *file,
		 unsigned line, unsigned col, unsigned flags,
		 policy_diag_fn *diag, void *ctx);

/* Keeps a copy of a file name for the lifetime of pol.  NULL on ENOMEM. */
const char *policy_intern_file(struct policy *pol, const char *name);

#endif /* OPENFILE_POLICY_INT_H */
