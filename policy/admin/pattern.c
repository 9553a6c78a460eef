/* SPDX-License-Identifier: ISC */
/*
 * pattern.c - compiling path patterns ("*" within a component, "**"
 * across components, %-substitutions of the caller's identity) into the
 * components the engine matches (match.h), and comparing them for
 * openfile-policy check.
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy-text.h"

static int var_ok(int c)
{
	return c == 'u' || c == 'U' || c == 'g' || c == 'G';
}

/*
 * Compiles one component of len bytes (escapes still in).  Returns 0, or -1
 * with *errpos (offset in the component) and *errmsg set.
 */
static int comp_compile(struct pattern_comp *pc, const char *s, size_t len,
			size_t *errpos, const char **errmsg)
{
	short *tok;
	size_t n = 0, bytes = 0;
	int glob = 0;

	if (len == 2 && s[0] == '*' && s[1] == '*') {
		pc->kind = COMP_GLOBSTAR;
		return 0;
	}
	tok = malloc(sizeof *tok * (len + 1));
	if (tok == NULL) {
		*errpos = 0;
		*errmsg = "out of memory";
		return -1;
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\\') {
			if (++i == len) {
				*errpos = i - 1;
				*errmsg = "'\\' at the end of the pattern escapes nothing";
				goto fail;
			}
			tok[n++] = (unsigned char)s[i];
			bytes++;
		} else if (c == '*') {
			if (i + 1 < len && s[i + 1] == '*') {
				*errpos = i;
				*errmsg = "'**' must be a whole path component, as in /dir/**/name";
				goto fail;
			}
			tok[n++] = TOK_STAR;
			glob = 1;
		} else if (c == '%') {
			if (i + 1 < len && s[i + 1] == '%') {
				tok[n++] = '%';
				bytes++;
				i++;
			} else if (i + 1 < len && var_ok(s[i + 1])) {
				tok[n++] = (short)(TOK_VAR + s[++i]);
				glob = 1;
			} else {
				*errpos = i;
				*errmsg = "unknown substitution (expected %u, %U, %g, %G or %%)";
				goto fail;
			}
		} else {
			tok[n++] = c;
			bytes++;
		}
	}
	if (!glob && bytes > NAME_MAX) {
		*errpos = 0;
		*errmsg = "path component longer than 255 bytes can never match";
		goto fail;
	}
	if (!glob && ((n == 1 && tok[0] == '.') ||
		      (n == 2 && tok[0] == '.' && tok[1] == '.'))) {
		*errpos = 0;
		*errmsg = "'.' and '..' are not allowed in patterns: write the path without them";
		goto fail;
	}
	pc->kind = glob ? COMP_GLOB : COMP_LITERAL;
	pc->tok = tok;
	pc->ntok = n;
	if (!glob) {
		/* Literal components compare as plain bytes. */
		char *lit = malloc(n + 1);

		if (lit == NULL) {
			*errpos = 0;
			*errmsg = "out of memory";
			goto fail;
		}
		for (size_t i = 0; i < n; i++)
			lit[i] = (char)tok[i];
		lit[n] = '\0';
		free(tok);
		pc->tok = NULL;
		pc->lit = lit;
	}
	return 0;
fail:
	free(tok);
	return -1;
}

void pattern_free(struct pattern *pat)
{
	for (size_t i = 0; i < pat->ncomps; i++) {
		free(pat->comps[i].tok);
		free(pat->comps[i].lit);
	}
	free(pat->comps);
	memset(pat, 0, sizeof *pat);
}

int pattern_compile(struct pattern *pat, const char *text, size_t len,
		    size_t *errpos, const char **errmsg)
{
	size_t i = 1, cap = 0;

	memset(pat, 0, sizeof *pat);
	if (len == 0 || text[0] != '/') {
		*errpos = 0;
		*errmsg = "pattern must be an absolute path (start with '/')";
		return -1;
	}
	if (len > PATH_MAX - 1) {
		*errpos = PATH_MAX - 1;
		*errmsg = "pattern longer than 4095 bytes can never match";
		return -1;
	}
	if (len == 1)
		return 0; /* "/" itself: no components */
	while (i <= len) {
		size_t start = i, epos;

		while (i < len && text[i] != '/')
			i++;
		if (i == start) {
			*errpos = start;
			*errmsg = i == len ? "pattern must not end with '/'" :
					     "empty path component ('//')";
			goto fail;
		}
		if (pat->ncomps == cap) {
			struct pattern_comp *nc;

			cap = cap ? cap * 2 : 8;
			nc = realloc(pat->comps, cap * sizeof *nc);
			if (nc == NULL) {
				*errpos = start;
				*errmsg = "out of memory";
				goto fail;
			}
			pat->comps = nc;
		}
		memset(&pat->comps[pat->ncomps], 0, sizeof pat->comps[0]);
		if (comp_compile(&pat->comps[pat->ncomps], text + start,
				 i - start, &epos, errmsg) < 0) {
			*errpos = start + epos;
			goto fail;
		}
		if (pat->comps[pat->ncomps].kind == COMP_GLOBSTAR)
			pat->has_globstar = 1;
		pat->ncomps++;
		i++;
	}
	return 0;
fail:
	pattern_free(pat);
	return -1;
}

/* Whether component a matches every name component b matches. */
static int comp_covers(const struct pattern_comp *a, const struct pattern_comp *b)
{
	if (a->kind == COMP_LITERAL)
		return b->kind == COMP_LITERAL && strcmp(a->lit, b->lit) == 0;
	if (a->ntok == 1 && a->tok[0] == TOK_STAR)
		return 1; /* "*" is any one component */
	for (size_t i = 0; i < a->ntok; i++)
		if (a->tok[i] >= TOK_VAR)
			return b->kind == COMP_GLOB && b->ntok == a->ntok &&
			       memcmp(a->tok, b->tok, a->ntok * sizeof *a->tok) == 0;
	if (b->kind == COMP_LITERAL)
		return tok_match(a->tok, a->ntok, b->lit, strlen(b->lit));
	return b->ntok == a->ntok &&
	       memcmp(a->tok, b->tok, a->ntok * sizeof *a->tok) == 0;
}

/* memo[i * (nb + 1) + j]: 0 unknown, 1 no, 2 yes. */
static int covers_from(const struct pattern *a, size_t i, const struct pattern *b,
		       size_t j, unsigned char *memo)
{
	unsigned char *m = &memo[i * (b->ncomps + 1) + j];
	int r;

	if (*m != 0)
		return *m == 2;
	if (i == a->ncomps)
		r = j == b->ncomps;
	else if (a->comps[i].kind == COMP_GLOBSTAR && i == a->ncomps - 1)
		r = j < b->ncomps; /* what is inside: one component or more */
	else if (a->comps[i].kind == COMP_GLOBSTAR)
		r = covers_from(a, i + 1, b, j, memo) ||
		    (j < b->ncomps && covers_from(a, i, b, j + 1, memo));
	else if (j == b->ncomps || b->comps[j].kind == COMP_GLOBSTAR)
		r = 0;
	else
		r = comp_covers(&a->comps[i], &b->comps[j]) &&
		    covers_from(a, i + 1, b, j + 1, memo);
	*m = r ? 2 : 1;
	return r;
}

int pattern_covers(const struct pattern *a, const struct pattern *b)
{
	unsigned char *memo = calloc((a->ncomps + 1) * (b->ncomps + 1), 1);
	int r;

	if (memo == NULL)
		return 0; /* not sure: no */
	r = covers_from(a, 0, b, 0, memo);
	free(memo);
	return r;
}

size_t pattern_literal_prefix(const struct pattern *pat, char *buf, size_t len)
{
	size_t n = 0, o = 0;

	buf[0] = '\0';
	while (n < pat->ncomps && pat->comps[n].kind == COMP_LITERAL) {
		int w = snprintf(buf + o, len - o, "/%s", pat->comps[n].lit);

		if (w < 0 || (size_t)w >= len - o)
			break;
		o += (size_t)w;
		n++;
	}
	if (o == 0)
		snprintf(buf, len, "/");
	return n;
}
