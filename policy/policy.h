/* SPDX-License-Identifier: ISC */
/*
 * policy.h - the policy engine the helper and openfiled run: the compiled
 * policy, read with its safety and freshness checks, and the decisions
 * over it.  openfile-policy compile writes it from the policy's text
 * (admin/policy-text.h); doc/policy-engine.md says why the privileged side
 * reads nothing else.
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

/* Whom a rule is about. */
struct policy_subject {
	enum policy_subject_kind kind;
	const char *name; /* NULL when the subject is numeric or any */
	uint32_t id;
};

enum policy_load_flags {
	/* Refuse files and directories above them that are not owned by root
	 * or are writable by group or others (the helper always sets this). */
	POLICY_LOAD_SECURE = 1u << 0,
};

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

/* Where a rule stands, for the record; file NULL: no rule. */
struct policy_origin {
	const char *file;
	unsigned line;
	const char *text; /* the rule as written */
};

struct policy_decision {
	int allow;
	struct policy_origin rule; /* the deciding rule */
	int mode;                  /* mode= of the rule granting create */
};

/* A compiled policy. */
struct policy;

/*
 * Reads the compiled policy at path, which must have been compiled from
 * the policy file main_path, checked (with POLICY_LOAD_SECURE) as the
 * policy's own files are, and current: every file and directory it was
 * compiled from still exactly as it was.  Returns it, or NULL with a
 * sentence for the administrator in why: the policy then denies
 * everything.
 */
struct policy *policy_open_compiled(const char *path, const char *main_path,
				    unsigned flags, char *why, size_t whylen);

/* A compiled policy from len bytes at image (malloc'd; it then owns them),
 * as openfile-policy compiles one in memory: no freshness to check.
 * Returns it, or NULL with why (and image freed). */
struct policy *policy_from_image(void *image, size_t len, char *why,
				 size_t whylen);

void policy_free(struct policy *pol);

size_t policy_rule_count(const struct policy *pol);

/*
 * Decides whether caller may open path (absolute, canonical: no ".", "..",
 * empty or trailing components) of the given type (one enum policy_type
 * bit) with every access in access.  Each access word is decided on its own
 * by the last rule that matches the caller, the type, the path and that
 * word; all must be allowed.  No match denies, and so does a compiled
 * policy found damaged.  Returns 1 for allow, 0 for deny, and fills *d.
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

/*
 * Calls fn for every allow rule for caller whose literal prefix (the
 * directories before its first wildcard, or the whole path) is path or lies
 * above it: the places below which the policy could grant this caller
 * something at path, with the rule's access words.  An over-approximation
 * of the decision for confinement.  path NULL: every allow rule for caller.
 * In no set order, and a rule may come more than once (a group listed
 * twice).  Returns 0, or -1 when it cannot tell.
 */
int policy_grant_roots(const struct policy *pol,
		       const struct policy_caller *caller, const char *path,
		       void (*fn)(void *ctx, const char *root, unsigned access),
		       void *ctx);

/*
 * Whether a rule names a group: only then can the names of a caller's
 * supplementary groups matter (the primary group's may, through %g).
 * Looking them up costs a lookup in the group database each, which may be
 * a network directory.  0 for no policy.
 */
int policy_names_groups(const struct policy *pol);

/* Whether a change at path can make the policy stale: path is one of the
 * files and directories it was compiled from, a name in one of those
 * directories, or a directory on the way to any of them. */
int policy_reads(const struct policy *pol, const char *path);

/* Whether path is target or a directory on the way to it. */
int path_leads_to(const char *path, const char *target);

/* The path of the i-th of those files and directories, or NULL past the
 * last. */
const char *policy_source_at(const struct policy *pol, size_t i);

/* The enum policy_type bit of a file mode; 0 for what no rule can grant. */
unsigned policy_type_of(mode_t mode);

/* The access words an open(2) with flags needs: of the object that
 * exists, or (create) of the file it creates where nothing was.  The
 * helper decides on these; openfile-policy test --flags explains them. */
unsigned policy_open_access(int flags, int create);

/* The access words in bits as "read,write" into buf.  Returns buf. */
const char *policy_access_str(unsigned access, char *buf, size_t len);

#endif /* OPENFILE_POLICY_H */
