/*
 * pattern.c - path patterns: "*" within a component, "**" across
 * components, %-substitutions of the caller's identity.  Matching works on
 * whole components, so "/srv/data" can never match "/srv/database".
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy-int.h"

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

/* The value of a substitution for this caller, NULL if it has none. */
static const char *var_value(int v, const struct policy_caller *c, char *num,
			     size_t numlen)
{
	switch (v) {
	case 'u':
		return c->user;
	case 'U':
		snprintf(num, numlen, "%u", (unsigned)c->uid);
		return num;
	case 'g':
		return c->ngroups > 0 ? c->group_names[0] : NULL;
	case 'G':
		if (c->ngroups == 0)
			return NULL;
		snprintf(num, numlen, "%u", (unsigned)c->gids[0]);
		return num;
	}
	return NULL;
}

/* Whether the caller lacks the value of a substitution because the name
 * service failed, not because there is no such name. */
static int var_unknown(int v, const struct policy_caller *c)
{
	if (v == 'u')
		return c->user == NULL && c->user_unknown;
	return v == 'g' && c->ngroups > 0 && c->group_names[0] == NULL &&
	       c->group_unknown != NULL && c->group_unknown[0];
}

/*
 * Expands the substitutions of a glob component into tokens in out; with
 * deny, one whose name is unknown becomes a star.  Returns the token
 * count, or -1 when a value is missing, cannot stand in one component, or
 * does not fit.
 */
static long expand(const struct pattern_comp *pc,
		   const struct policy_caller *c, int deny, short *out,
		   size_t cap)
{
	size_t n = 0;

	for (size_t i = 0; i < pc->ntok; i++) {
		char num[16];
		const char *v;
		size_t vl;

		if (pc->tok[i] < TOK_VAR || (deny && var_unknown(pc->tok[i] - TOK_VAR, c))) {
			if (n == cap)
				return -1;
			out[n++] = pc->tok[i] < TOK_VAR ? pc->tok[i] : TOK_STAR;
			continue;
		}
		v = var_value(pc->tok[i] - TOK_VAR, c, num, sizeof num);
		if (v == NULL || (vl = strlen(v)) == 0 || strchr(v, '/') ||
		    strcmp(v, ".") == 0 || strcmp(v, "..") == 0 ||
		    vl > cap - n)
			return -1;
		for (size_t k = 0; k < vl; k++)
			out[n++] = (unsigned char)v[k];
	}
	return (long)n;
}

/* Backtracks to the last star only: linear in practice, never
 * exponential. */
int tok_match(const short *t, size_t nt, const char *s, size_t n)
{
	size_t ti = 0, si = 0, star = SIZE_MAX, mark = 0;

	while (si < n) {
		if (ti < nt && t[ti] == TOK_STAR) {
			star = ti++;
			mark = si;
		} else if (ti < nt && t[ti] == (unsigned char)s[si]) {
			ti++;
			si++;
		} else if (star != SIZE_MAX) {
			ti = star + 1;
			si = ++mark;
		} else {
			return 0;
		}
	}
	while (ti < nt && t[ti] == TOK_STAR)
		ti++;
	return ti == nt;
}

static int comp_match(const struct pattern_comp *pc,
		      const struct policy_caller *c, int deny,
		      const struct path_comp *p)
{
	short buf[PATH_MAX + NAME_MAX];
	long n;

	if (pc->kind == COMP_LITERAL)
		return strlen(pc->lit) == p->len &&
		       memcmp(pc->lit, p->s, p->len) == 0;
	n = expand(pc, c, deny, buf, sizeof buf / sizeof buf[0]);
	return n >= 0 && tok_match(buf, (size_t)n, p->s, p->len);
}

size_t path_split(const char *path, struct path_comp *out, size_t cap)
{
	size_t n = 0;

	for (const char *p = path; *p != '\0';) {
		const char *e;

		while (*p == '/')
			p++;
		if (*p == '\0')
			break;
		e = strchrnul(p, '/');
		if (n == cap)
			return SIZE_MAX;
		out[n].s = p;
		out[n].len = (size_t)(e - p);
		n++;
		p = e;
	}
	return n;
}

int pattern_match_comps(const struct pattern *pat,
			const struct policy_caller *c,
			const struct path_comp *pc, size_t n, int below,
			int deny)
{
	unsigned char a[PATH_COMPS_MAX + 1], b[PATH_COMPS_MAX + 1];
	unsigned char *next = a, *cur = b;
	size_t m = pat->ncomps;

	if (!pat->has_globstar && !below) {
		if (m != n)
			return 0;
		for (size_t i = 0; i < n; i++)
			if (!comp_match(&pat->comps[i], c, deny, &pc[i]))
				return 0;
		return 1;
	}
	/* cur[j]: pattern components i.. match path components j.. (and, with
	 * below, at least one more component after them). */
	for (size_t j = 0; j <= n; j++)
		next[j] = !below && j == n;
	for (size_t i = m; i-- > 0;) {
		const struct pattern_comp *p = &pat->comps[i];
		unsigned char *t;

		for (size_t j = n + 1; j-- > 0;) {
			if (below && j == n)
				cur[j] = 1; /* a component is left for below */
			else if (p->kind == COMP_GLOBSTAR)
				/* A trailing ** is what is inside, not the
				 * directory itself: it needs a component. */
				cur[j] = i == m - 1 && !below ? j < n :
				      (next[j] || (j < n && cur[j + 1]));
			else
				cur[j] = j < n && next[j + 1] &&
					 comp_match(p, c, deny, &pc[j]);
		}
		t = next;
		next = cur;
		cur = t;
	}
	return next[0];
}

static int match_path(const struct pattern *pat, const struct policy_caller *c,
		      const char *path, int below)
{
	struct path_comp pc[PATH_COMPS_MAX];
	size_t n = path_split(path, pc, PATH_COMPS_MAX);

	return n != SIZE_MAX && pattern_match_comps(pat, c, pc, n, below, 0);
}

int pattern_match(const struct pattern *pat, const struct policy_caller *c,
		  const char *path)
{
	return match_path(pat, c, path, 0);
}

int pattern_match_below(const struct pattern *pat,
			const struct policy_caller *c, const char *dir)
{
	return match_path(pat, c, dir, 1);
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
