/* SPDX-License-Identifier: ISC */
/*
 * match.c - matching a path against a compiled pattern, on whole
 * components, so "/srv/data" can never match "/srv/database".
 */
#include "config.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "match.h"

/* The value of substitution v for caller c, or NULL; *unknown: the name
 * service failed to tell it, as against there being none. */
static const char *var_value(int v, const struct policy_caller *c, char *num,
			     size_t len, int *unknown)
{
	*unknown = 0;
	if (v == 'u') {
		*unknown = c->user == NULL && c->user_unknown;
		return c->user;
	}
	if (v != 'U' && (c->ngroups == 0 || (v != 'g' && v != 'G')))
		return NULL;
	if (v == 'g') {
		*unknown = c->group_names[0] == NULL && c->group_unknown != NULL &&
			   c->group_unknown[0];
		return c->group_names[0];
	}
	snprintf(num, len, "%u", v == 'U' ? (unsigned)c->uid : (unsigned)c->gids[0]);
	return num;
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

/* Whether the pattern component p, len bytes, matches the path component
 * s, its substitutions made for caller c: with deny, one whose name is
 * unknown is a star; a value that cannot stand in one component matches
 * nothing. */
static int comp_match(const char *p, size_t len, const struct policy_caller *c,
		      int deny, const struct path_comp *s)
{
	short t[PATH_MAX + NAME_MAX];
	size_t n = 0, cap = sizeof t / sizeof t[0];

	for (size_t i = 0; i < len && n < cap; i++) {
		int var = p[i] == '%' && i + 1 < len, unknown = 0;
		char num[16];
		const char *v = var ? var_value(p[++i], c, num, sizeof num, &unknown) : NULL;

		if (var ? deny && unknown : p[i] == '*') {
			t[n++] = TOK_STAR;
		} else if (!var) {
			i += p[i] == '\\' && i + 1 < len;
			t[n++] = (unsigned char)p[i];
		} else if (v == NULL || v[0] == '\0' || strchr(v, '/') ||
			   strcmp(v, ".") == 0 || strcmp(v, "..") == 0 ||
			   strlen(v) > cap - n) {
			return 0;
		} else {
			while (*v != '\0')
				t[n++] = (unsigned char)*v++;
		}
	}
	return n < cap && tok_match(t, n, s->s, s->len);
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

int pattern_match(const char *pattern, const struct policy_caller *c,
		  const struct path_comp *pc, size_t n, int below, int deny)
{
	unsigned char a[PATH_COMPS_MAX + 1], b[PATH_COMPS_MAX + 1];
	unsigned char *cur = a, *next = b, *t;
	int star = 0, left = 0;

	/* cur[j]: the pattern's components so far match the path's first j.
	 * left: with some of the pattern left, for what is below the path. */
	memset(cur, 0, n + 1);
	cur[0] = 1;
	for (const char *p = pattern, *e; *p == '/'; p = e) {
		int inside;

		left |= cur[n];
		e = strchrnul(++p, '/');
		star = e - p == 2 && p[0] == '*' && p[1] == '*';
		/* A last ** is what is inside, not the directory itself. */
		inside = star && *e == '\0' && !below;
		for (size_t j = 0; j <= n; j++)
			next[j] = star ? (!inside && cur[j]) ||
						 (j > 0 && (cur[j - 1] || next[j - 1])) :
				  j > 0 && cur[j - 1] &&
					 comp_match(p, (size_t)(e - p), c, deny, &pc[j - 1]);
		t = cur;
		cur = next;
		next = t;
	}
	/* A last ** below the path leaves itself for what is below. */
	return below ? left || (star && cur[n]) : cur[n];
}
