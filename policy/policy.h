/*
 * policy.h - the policy language: loading, parsing and deciding.
 *
 * The format is described in openfile.policy(5).  The loader and parser
 * never exit and never print: every problem goes to the caller's diagnostic
 * callback as file, line, column and message, and a policy with any error
 * must be treated as denying everything.
 */
#ifndef OPENFILE_POLICY_H
#define OPENFILE_POLICY_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Access words; a request needs a set of them, a rule grants or denies one. */
enum policy_access {
	ACC_READ = 1u << 0,
	ACC_WRITE = 1u << 1,
	ACC_APPEND = 1u << 2,
	ACC_CREATE = 1u << 3,
	ACC_TRUNCATE = 1u << 4,
	ACC_ANY = (1u << 5) - 1,
};

/* Object types a rule applies to (type=). */
enum policy_type {
	TYPE_FILE = 1u << 0,
	TYPE_DIR = 1u << 1,
	TYPE_DEVICE = 1u << 2,
	TYPE_FIFO = 1u << 3,
	TYPE_ANY = (1u << 4) - 1,
};

enum policy_subject_kind { SUBJ_ANY, SUBJ_USER, SUBJ_GROUP };

/* A compiled pattern: absolute, split into components. */
struct pattern {
	struct pattern_comp *comps;
	size_t ncomps;
	int has_globstar;
};

struct policy_rule {
	const char *file;       /* owned by the policy */
	unsigned line;
	unsigned subject_col;   /* where the subject's name or id stands */
	unsigned pattern_col;
	char *text;             /* the rule as written, for logs */
	int allow;
	enum policy_subject_kind subject;
	char *subject_name;     /* NULL when the subject is numeric or any */
	uint32_t subject_id;
	unsigned access;        /* enum policy_access bits */
	unsigned types;         /* enum policy_type bits */
	int mode;               /* mode= limit for created files, -1 if none */
	struct pattern pat;
};

struct policy;

/*
 * Called once per problem found.  line and col count from 1; col is 0 when
 * the problem is about the whole file.
 */
typedef void policy_diag_fn(void *ctx, const char *file, unsigned line,
			    unsigned col, const char *msg);

enum policy_load_flags {
	/* Refuse files and directories above them that are not owned by root
	 * or are writable by group or others (the helper always sets this). */
	POLICY_LOAD_SECURE = 1u << 0,
};

struct policy *policy_new(void);
void policy_free(struct policy *pol);

/*
 * Reads the policy file at path, then the drop-ins dropin_dir/ *.conf in
 * lexical order (dropin_dir may be NULL), following include lines.
 * Reports every problem to diag.  Returns 0 when the whole policy is valid,
 * -1 when anything was wrong (the policy must then deny everything).
 */
int policy_load(struct policy *pol, const char *path, const char *dropin_dir,
		unsigned flags, policy_diag_fn *diag, void *ctx);

/*
 * Parses buf (len bytes) as a policy file called name, appending its rules.
 * include lines are followed with the flags given.  Same return as
 * policy_load.
 */
int policy_parse(struct policy *pol, const char *name, const char *buf,
		 size_t len, unsigned flags, policy_diag_fn *diag, void *ctx);

/*
 * Loads like policy_load, but from the compiled cache at cache_path when it
 * was written for exactly these files and every one of them is still as it
 * was; *stale is then NULL.  Otherwise reads the files, and *stale says why
 * the cache was not used.  A policy from the cache decides and answers
 * policy_may_traverse as the full one would, but holds no rules to count
 * or list.
 */
extern const char policy_cache_absent[]; /* *stale when there is none */
int policy_load_cached(struct policy *pol, const char *cache_path,
		       const char *path, const char *dropin_dir,
		       unsigned flags, policy_diag_fn *diag, void *ctx,
		       const char **stale);

/*
 * Writes the cache of a policy loaded with policy_load (and valid) from
 * path and dropin_dir, atomically.  Returns 0, or -1 with *why.
 */
int policy_cache_write(const struct policy *pol, const char *path,
		       const char *dropin_dir, const char *cache_path,
		       const char **why);

/* Whether a change at path can change what a policy loaded now would be:
 * path is one of the files the policy was read from or looked for (an
 * include that was missing or refused: the policy failed), one of the
 * directories its globs read or would read, a name in one of those, or a
 * directory on the way to any of them. */
int policy_reads(const struct policy *pol, const char *path);

/* The path of the i-th of those files and directories, or NULL past the
 * last. */
const char *policy_source_at(const struct policy *pol, size_t i);

size_t policy_rule_count(const struct policy *pol);
const struct policy_rule *policy_rule_at(const struct policy *pol, size_t i);

/*
 * Whether a rule names a group: only then can the names of a caller's
 * supplementary groups matter (the primary group's may, through %g).
 * Looking them up costs a lookup in the group database each, which may be
 * a network directory.  0 for no policy.
 */
int policy_names_groups(const struct policy *pol);

/* Who is asking, as the kernel says. */
struct policy_caller {
	uid_t uid;
	const char *user;               /* user name, NULL if none */
	size_t ngroups;                 /* primary group first */
	const gid_t *gids;
	const char *const *group_names; /* parallel to gids, entries may be NULL */
	/* Which NULL names the name service failed to tell, as against
	 * having no entry: a rule that needs such a name fails closed, a
	 * deny applying and an allow not (by its subject, %u, %g). */
	int user_unknown;
	const unsigned char *group_unknown; /* parallel to gids, or NULL */
};

struct policy_decision {
	int allow;
	const struct policy_rule *rule; /* the deciding rule, NULL if none */
	int mode;                       /* mode= of the rule granting create */
};

/*
 * Decides whether caller may open path (absolute, canonical: no ".", "..",
 * empty or trailing components) of the given type (one enum policy_type
 * bit) with every access in access.  Each access word is decided on its own
 * by the last rule that matches the caller, the type, the path and that
 * word; all must be allowed.  No match denies.  Returns 1 for allow, 0 for
 * deny, and fills *d.
 */
int policy_decide(const struct policy *pol, const struct policy_caller *caller,
		  const char *path, unsigned type, unsigned access,
		  struct policy_decision *d);

/*
 * Whether some allow rule for caller could match a path strictly below the
 * directory dir (absolute, canonical): where the helper may use its search
 * right on the caller's behalf.  Returns 1 or 0.
 */
int policy_may_traverse(const struct policy *pol,
			const struct policy_caller *caller, const char *dir);

/* Reads all of fd, a policy file of at most 64 MiB.  Returns a buffer to
 * free, or NULL with *why. */
char *policy_read_all(int fd, size_t *len, const char **why);

/* The enum policy_type bit of a file mode; 0 for what no rule can grant. */
unsigned policy_type_of(mode_t mode);

/*
 * Calls fn for every allow rule for caller whose literal prefix (the
 * directories before its first wildcard, or the whole path) is path or lies
 * above it: the places below which the policy could grant this caller
 * something at path, with the rule's access words.  An over-approximation
 * of the decision for confinement.  path NULL: every allow rule for caller
 * (a policy from the cache cannot tell those).  Returns 0, or -1 when it
 * cannot tell.
 */
int policy_grant_roots(const struct policy *pol,
		       const struct policy_caller *caller, const char *path,
		       void (*fn)(void *ctx, const char *root, unsigned access),
		       void *ctx);

/* Whether the rule's subject covers caller (a deny naming users or groups
 * does where a name is unknown, an allow does not). */
int policy_rule_applies(const struct policy_rule *r,
			const struct policy_caller *caller);

/* Parses access words ("read,write") as a rule does.  Returns the bits,
 * or 0 for an unknown or empty word. */
unsigned policy_parse_access(const char *words);

/* Whether every request the rule earlier decides is also matched by the
 * later rule, so that the earlier can never decide anything.  Errs on the
 * side of no: 1 only when it is certain. */
int policy_rule_covers(const struct policy_rule *later,
		       const struct policy_rule *earlier);

/* Whether the allow rule grants directories (type=dir) below which lies
 * something the deny rule names, for some caller both apply to: a
 * descriptor on such a directory reaches it through openat(2) with the
 * caller's own rights, which no rule can refuse.  Errs on the side of
 * yes. */
int policy_dir_grant_reaches(const struct policy_rule *grant,
			     const struct policy_rule *deny);

/* The leading components of pat that hold no wildcard or substitution, as
 * a path ("/" for none) into buf.  Returns their number. */
size_t pattern_literal_prefix(const struct pattern *pat, char *buf, size_t len);

/* The access words in bits as "read,write" into buf.  Returns buf. */
const char *policy_access_str(unsigned access, char *buf, size_t len);

/* Pattern compilation and matching, for the parser and the tests. */
int pattern_compile(struct pattern *pat, const char *text, size_t len,
		    size_t *errpos, const char **errmsg);
void pattern_free(struct pattern *pat);
int pattern_match(const struct pattern *pat, const struct policy_caller *caller,
		  const char *path);
/* Whether pat could match some path strictly below the directory dir. */
int pattern_match_below(const struct pattern *pat,
			const struct policy_caller *caller, const char *dir);

#endif /* OPENFILE_POLICY_H */
