/* SPDX-License-Identifier: ISC */
/*
 * match.h - path patterns as the engine matches them: whole components,
 * "*" within one, "**" across them, %-substitutions of the caller's
 * identity.  The compiler (admin/pattern.c) makes the components and
 * writes them as format.h says; the matcher reads them where they lie in
 * the compiled policy.
 */
#ifndef OPENFILE_POLICY_MATCH_H
#define OPENFILE_POLICY_MATCH_H

#include <stddef.h>

#include "policy.h"

/* A canonical path of at most PATH_MAX bytes has at most this many. */
#define PATH_COMPS_MAX 2048

enum comp_kind { COMP_LITERAL, COMP_GLOB, COMP_GLOBSTAR };

/* Tokens of a glob component: bytes, the star, and substitutions. */
#define TOK_STAR 256
#define TOK_VAR 257 /* + the substitution letter */

struct path_comp {
	const char *s;
	size_t len;
};

/* Splits an absolute path into components.  Returns their number, or
 * SIZE_MAX when there are more than cap. */
size_t path_split(const char *path, struct path_comp *out, size_t cap);

/* Whether pattern (as format.h writes it) matches the path of n
 * components pc.  below: the path is a directory and the pattern may
 * match what is in it (at least one more component), rather than the path
 * itself.  deny: a substitution whose name the name service could not
 * tell matches any name (fails closed in a deny rule); otherwise it
 * matches none. */
int pattern_match(const char *pattern, const struct policy_caller *c,
		  const struct path_comp *pc, size_t n, int below, int deny);

/* Whether the n bytes at s match the nt tokens at t, as one component. */
int tok_match(const short *t, size_t nt, const char *s, size_t n);

#endif /* OPENFILE_POLICY_MATCH_H */
