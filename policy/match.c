/*
 * match.c - matching a path against a compiled pattern, on whole
 * components, so "/srv/data" can never match "/srv/database".
 */
#include "config.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "format.h"
#include "match.h"

void pattern_comp_at(const struct pattern_view *p, size_t i,
		     struct comp_view *c)
{
	const unsigned char *r = p->comps + i * IMG_COMP_LEN;
	uint16_t n;

	memcpy(&n, r + 4, sizeof n);
	c->kind = (enum comp_kind)r[6];
	c->n = n;
	c->data = p->base + rd32(r);
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
static long expand(const struct comp_view *pc, const struct policy_caller *c,
		   int deny, short *out, size_t cap)
{
	size_t n = 0;

	for (size_t i = 0; i < pc->n; i++) {
		char num[16];
		const char *v;
		uint16_t t;
		size_t vl;

		memcpy(&t, pc->data + 2 * i, sizeof t);
		if (t < TOK_VAR || (deny && var_unknown(t - TOK_VAR, c))) {
			if (n == cap)
				return -1;
			out[n++] = t < TOK_VAR ? (short)t : TOK_STAR;
			continue;
		}
		v = var_value(t - TOK_VAR, c, num, sizeof num);
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

static int comp_match(const struct comp_view *pc, const struct policy_caller *c,
		      int deny, const struct path_comp *p)
{
	short buf[PATH_MAX + NAME_MAX];
	long n;

	if (pc->kind == COMP_LITERAL)
		return pc->n == p->len && memcmp(pc->data, p->s, p->len) == 0;
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

int pattern_match_comps(const struct pattern_view *pat,
			const struct policy_caller *c,
			const struct path_comp *pc, size_t n, int below,
			int deny)
{
	unsigned char a[PATH_COMPS_MAX + 1], b[PATH_COMPS_MAX + 1];
	unsigned char *next = a, *cur = b;
	size_t m = pat->ncomps;
	struct comp_view p;

	if (!pat->has_globstar && !below) {
		if (m != n)
			return 0;
		for (size_t i = 0; i < n; i++) {
			pattern_comp_at(pat, i, &p);
			if (!comp_match(&p, c, deny, &pc[i]))
				return 0;
		}
		return 1;
	}
	/* cur[j]: pattern components i.. match path components j.. (and, with
	 * below, at least one more component after them). */
	for (size_t j = 0; j <= n; j++)
		next[j] = !below && j == n;
	for (size_t i = m; i-- > 0;) {
		unsigned char *t;

		pattern_comp_at(pat, i, &p);
		for (size_t j = n + 1; j-- > 0;) {
			if (below && j == n)
				cur[j] = 1; /* a component is left for below */
			else if (p.kind == COMP_GLOBSTAR)
				/* A trailing ** is what is inside, not the
				 * directory itself: it needs a component. */
				cur[j] = i == m - 1 && !below ? j < n :
				      (next[j] || (j < n && cur[j + 1]));
			else
				cur[j] = j < n && next[j + 1] &&
					 comp_match(&p, c, deny, &pc[j]);
		}
		t = next;
		next = cur;
		cur = t;
	}
	return next[0];
}
