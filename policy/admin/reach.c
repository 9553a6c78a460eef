/* SPDX-License-Identifier: ISC */
/*
 * reach.c - what openfile-policy check says about pairs of rules: a later
 * rule that always overrides an earlier one, and what a directory grant
 * gives away (a descriptor on a directory reaches what lies below with the
 * caller's own rights, through openat, past any deny).
 */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "policy-text.h"

/* The tokens of a component, with every substitution a star (any name may
 * stand there), into out (room for PATH_MAX).  Returns their number. */
static size_t any_name_tokens(const struct pattern_comp *pc, short *out)
{
	size_t n = 0;

	if (pc->kind == COMP_LITERAL)
		for (; pc->lit[n] != '\0'; n++)
			out[n] = (unsigned char)pc->lit[n];
	else
		for (; n < pc->ntok; n++)
			out[n] = pc->tok[n] >= TOK_VAR ? TOK_STAR : pc->tok[n];
	return n;
}

/* Whether some name matches both components.  Two globs, each with a
 * star, share a name exactly when the bytes before their first stars
 * agree, and those after their last stars. */
static int comps_meet(const struct pattern_comp *a, const struct pattern_comp *b)
{
	short x[PATH_MAX], y[PATH_MAX];
	size_t nx, ny, px = 0, py = 0, sx = 0, sy = 0, k;

	if (a->kind == COMP_LITERAL && b->kind == COMP_LITERAL)
		return strcmp(a->lit, b->lit) == 0;
	if (b->kind == COMP_LITERAL)
		return comps_meet(b, a);
	ny = any_name_tokens(b, y);
	if (a->kind == COMP_LITERAL)
		return tok_match(y, ny, a->lit, strlen(a->lit));
	nx = any_name_tokens(a, x);
	while (x[px] != TOK_STAR)
		px++;
	while (y[py] != TOK_STAR)
		py++;
	while (x[nx - 1 - sx] != TOK_STAR)
		sx++;
	while (y[ny - 1 - sy] != TOK_STAR)
		sy++;
	k = sx < sy ? sx : sy;
	return memcmp(x, y, (px < py ? px : py) * sizeof *x) == 0 &&
	       memcmp(x + nx - k, y + ny - k, k * sizeof *x) == 0;
}

/* A component as pattern_meets_below sees it: one name, any number of
 * names, or a component of the pattern. */
struct meet_comp {
	enum { MEET_ONE, MEET_ANY, MEET_COMP } kind;
	const struct pattern_comp *c;
};

/* pat's components into m (room for ncomps + 3): a trailing "**" takes a
 * name or more; with below, "one name or more" follows, for what is
 * strictly below what pat names.  Returns their number. */
static size_t meet_comps(const struct pattern *pat, int below,
			 struct meet_comp *m)
{
	size_t n = 0;

	for (size_t i = 0; i < pat->ncomps; i++) {
		if (pat->comps[i].kind != COMP_GLOBSTAR) {
			m[n++] = (struct meet_comp){ MEET_COMP, &pat->comps[i] };
			continue;
		}
		if (i == pat->ncomps - 1)
			m[n++] = (struct meet_comp){ MEET_ONE, NULL };
		m[n++] = (struct meet_comp){ MEET_ANY, NULL };
	}
	if (below) {
		m[n++] = (struct meet_comp){ MEET_ONE, NULL };
		m[n++] = (struct meet_comp){ MEET_ANY, NULL };
	}
	return n;
}

/* memo[i * (nb + 1) + j]: 0 unknown, 1 no, 2 yes. */
static int meet_from(const struct meet_comp *a, size_t na, size_t i,
		     const struct meet_comp *b, size_t nb, size_t j,
		     unsigned char *memo)
{
	unsigned char *m = &memo[i * (nb + 1) + j];
	int r;

	if (*m != 0)
		return *m == 2;
	if (i == na && j == nb)
		r = 1;
	else if (i < na && a[i].kind == MEET_ANY)
		r = meet_from(a, na, i + 1, b, nb, j, memo) ||
		    (j < nb && meet_from(a, na, i, b, nb, j + 1, memo));
	else if (j < nb && b[j].kind == MEET_ANY)
		r = meet_from(a, na, i, b, nb, j + 1, memo) ||
		    (i < na && meet_from(a, na, i + 1, b, nb, j, memo));
	else if (i == na || j == nb)
		r = 0;
	else
		r = (a[i].kind == MEET_ONE || b[j].kind == MEET_ONE ||
		     comps_meet(a[i].c, b[j].c)) &&
		    meet_from(a, na, i + 1, b, nb, j + 1, memo);
	*m = r ? 2 : 1;
	return r;
}

/* Whether some path pat matches could lie strictly below one dir matches,
 * substitutions standing for any name (0 only when certain). */
static int pattern_meets_below(const struct pattern *dir, const struct pattern *pat)
{
	struct meet_comp *a = calloc(dir->ncomps + 3, sizeof *a),
			 *b = calloc(pat->ncomps + 3, sizeof *b);
	size_t na = a ? meet_comps(dir, 1, a) : 0, nb = b ? meet_comps(pat, 0, b) : 0;
	unsigned char *memo = calloc((na + 1) * (nb + 1), 1);
	int r = 1; /* not sure: yes */

	if (a != NULL && b != NULL && memo != NULL)
		r = meet_from(a, na, 0, b, nb, 0, memo);
	free(a);
	free(b);
	free(memo);
	return r;
}

/* Whether one caller can be both rules' subject (1 unless certainly not:
 * a name and an id may be one user, and a caller has several groups). */
static int subjects_meet(const struct policy_rule *a,
			 const struct policy_rule *b)
{
	if (a->subject.kind != SUBJ_USER || b->subject.kind != SUBJ_USER ||
	    (a->subject.name == NULL) != (b->subject.name == NULL))
		return 1;
	return a->subject.name != NULL ? strcmp(a->subject.name, b->subject.name) == 0 :
					 a->subject.id == b->subject.id;
}

int policy_dir_grant_reaches(const struct policy_rule *grant,
			     const struct policy_rule *deny)
{
	return grant->allow && (grant->types & TYPE_DIR) && !deny->allow &&
	       subjects_meet(grant, deny) &&
	       pattern_meets_below(&grant->pat, &deny->pat);
}

static int subject_covers(const struct policy_subject *a,
			  const struct policy_subject *b)
{
	if (a->kind == SUBJ_ANY)
		return 1;
	if (a->kind != b->kind)
		return 0;
	if (a->name != NULL || b->name != NULL)
		return a->name != NULL && b->name != NULL &&
		       strcmp(a->name, b->name) == 0;
	return a->id == b->id;
}

int policy_rule_covers(const struct policy_rule *later,
		       const struct policy_rule *earlier)
{
	return (earlier->access & ~later->access) == 0 &&
	       (earlier->types & ~later->types) == 0 &&
	       subject_covers(&later->subject, &earlier->subject) &&
	       pattern_covers(&later->pat, &earlier->pat);
}
