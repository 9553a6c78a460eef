/*
 * match.h - path patterns as the engine matches them: whole components,
 * "*" within one, "**" across them, %-substitutions of the caller's
 * identity.  The compiler (admin/pattern.c) makes the components; the
 * matcher reads them where they lie in the compiled policy.
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

/* One component: a literal's n bytes, or a glob's n tokens as u16 in host
 * order, unaligned. */
struct comp_view {
	enum comp_kind kind;
	size_t n;
	const unsigned char *data;
};

/* A pattern's components, as the compiled policy holds them (checked). */
struct pattern_view {
	const unsigned char *base;  /* the image */
	const unsigned char *comps; /* ncomps component records */
	size_t ncomps;
	int has_globstar;
};

struct path_comp {
	const char *s;
	size_t len;
};

/* Splits an absolute path into components.  Returns their number, or
 * SIZE_MAX when there are more than cap. */
size_t path_split(const char *path, struct path_comp *out, size_t cap);

/* Component i of p. */
void pattern_comp_at(const struct pattern_view *p, size_t i,
		     struct comp_view *c);

/* below: the path is a directory and the pattern may match what is in it
 * (at least one more component), rather than the path itself.  deny: a
 * substitution whose name the name service could not tell matches any
 * name (fails closed in a deny rule); otherwise it matches none. */
int pattern_match_comps(const struct pattern_view *pat,
			const struct policy_caller *c,
			const struct path_comp *pc, size_t n, int below,
			int deny);

/* Whether the n bytes at s match the nt tokens at t, as one component. */
int tok_match(const short *t, size_t nt, const char *s, size_t n);

#endif /* OPENFILE_POLICY_MATCH_H */
