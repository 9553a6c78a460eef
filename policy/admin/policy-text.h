/* SPDX-License-Identifier: ISC */
/*
 * policy-text.h - the policy language, for the administrator's tool only:
 * loading and parsing the text (openfile.policy(5)), compiling it into
 * the image the engine reads (policy.h), and the analyses of
 * openfile-policy check.  None of it runs privileged.
 *
 * The loader and parser never exit and never print: every problem goes to
 * the caller's diagnostic callback as file, line, column and message, and
 * a policy with any error cannot be compiled.
 */
#ifndef OPENFILE_POLICY_TEXT_H
#define OPENFILE_POLICY_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "match.h"
#include "policy.h"

/* A compiled pattern component. */
struct pattern_comp {
	enum comp_kind kind;
	char *lit;   /* COMP_LITERAL: the bytes, NUL-terminated */
	short *tok;  /* COMP_GLOB: bytes, TOK_STAR, TOK_VAR + letter */
	size_t ntok;
};

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
	struct policy_subject subject; /* its name owned by the rule */
	unsigned access;        /* enum policy_access bits */
	unsigned types;         /* enum policy_type bits */
	int mode;               /* mode= limit for created files, -1 if none */
	struct pattern pat;
};

/* A policy as read from its text. */
struct policy_text;

/*
 * Called once per problem found.  line and col count from 1; col is 0 when
 * the problem is about the whole file.
 */
typedef void policy_diag_fn(void *ctx, const char *file, unsigned line,
			    unsigned col, const char *msg);

struct policy_text *policy_text_new(void);
void policy_text_free(struct policy_text *pt);

/*
 * Reads the policy file at path, then the drop-ins dropin_dir/ *.conf in
 * lexical order (dropin_dir may be NULL), following include lines.
 * Reports every problem to diag.  Returns 0 when the whole policy is valid,
 * -1 when anything was wrong (it then cannot be compiled).
 */
int policy_load(struct policy_text *pt, const char *path, const char *dropin_dir,
		unsigned flags, policy_diag_fn *diag, void *ctx);

/*
 * Parses buf (len bytes) as a policy file called name, appending its rules.
 * include lines are followed with the flags given.  Same return as
 * policy_load.
 */
int policy_parse(struct policy_text *pt, const char *name, const char *buf,
		 size_t len, unsigned flags, policy_diag_fn *diag, void *ctx);

size_t policy_text_count(const struct policy_text *pt);
const struct policy_rule *policy_rule_at(const struct policy_text *pt, size_t i);

/* Compiles a valid policy into an image in memory (malloc'd): each rule
 * parsed, indexed by subject and literal prefix, with the identities of
 * the files and directories it was read from.  Returns 0, or -1 with
 * *why. */
int policy_compile(const struct policy_text *pt, unsigned char **image,
		   size_t *len, const char **why);

/* The engine's policy of pt, compiled in memory: what the helper would
 * decide with it.  NULL with *why. */
struct policy *policy_text_compiled(const struct policy_text *pt,
				    const char **why);

/* Compiles pt and writes the image to path, atomically, once the files it
 * was read from are old enough for a change to show.  Returns 0, or -1
 * with *why. */
int policy_compile_write(const struct policy_text *pt, const char *path,
			 const char **why);

/* Whether a rule of subject s (an allow rule or not) covers caller, as
 * the compiled policy's index finds it (format.h): a deny naming users or
 * groups does where a name is unknown, an allow does not. */
int policy_subject_covers(const struct policy_subject *s, int allow,
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

int pattern_compile(struct pattern *pat, const char *text, size_t len,
		    size_t *errpos, const char **errmsg);
void pattern_free(struct pattern *pat);

/* Whether every path b matches, a matches too (1 only when certain). */
int pattern_covers(const struct pattern *a, const struct pattern *b);

/* Reads all of fd, a policy file of at most 64 MiB.  Returns a buffer to
 * free, or NULL with *why. */
char *policy_read_all(int fd, size_t *len, const char **why);

#endif /* OPENFILE_POLICY_TEXT_H */
