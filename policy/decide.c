/*
 * decide.c - the decision: for each access word the request needs, the
 * last rule that matches the caller, the object's type, the path and that
 * word decides; every word must be allowed, and no match denies.
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>
#include <string.h>

#include "policy-int.h"

/* A name the name service could not tell might be the one a rule names:
 * the rule fails closed, a deny applying and an allow not. */
static int subject_match(const struct policy_rule *r,
			 const struct policy_caller *c)
{
	int unknown = 0;

	switch (r->subject) {
	case SUBJ_ANY:
		return 1;
	case SUBJ_USER:
		if (r->subject_name == NULL)
			return r->subject_id == (uint32_t)c->uid;
		if (c->user != NULL)
			return strcmp(r->subject_name, c->user) == 0;
		return !r->allow && c->user_unknown;
	case SUBJ_GROUP:
		for (size_t i = 0; i < c->ngroups; i++) {
			if (r->subject_name == NULL ?
				    r->subject_id == (uint32_t)c->gids[i] :
				    c->group_names[i] != NULL &&
					    strcmp(r->subject_name, c->group_names[i]) == 0)
				return 1;
			unknown |= c->group_names[i] == NULL &&
				   c->group_unknown != NULL && c->group_unknown[i];
		}
		return !r->allow && r->subject_name != NULL && unknown;
	}
	return 0;
}

unsigned policy_type_of(mode_t m)
{
	if (S_ISREG(m))
		return TYPE_FILE;
	if (S_ISDIR(m))
		return TYPE_DIR;
	if (S_ISCHR(m) || S_ISBLK(m))
		return TYPE_DEVICE;
	if (S_ISFIFO(m))
		return TYPE_FIFO;
	return 0; /* sockets and the rest: no rule can grant them */
}

int policy_rule_applies(const struct policy_rule *r,
			const struct policy_caller *caller)
{
	return subject_match(r, caller);
}

int policy_names_groups(const struct policy *pol)
{
	if (pol == NULL)
		return 0;
	if (pol->cache != NULL)
		return cache_names_groups(pol);
	for (size_t i = 0; i < pol->nrules; i++)
		if (pol->rules[i].subject == SUBJ_GROUP &&
		    pol->rules[i].subject_name != NULL)
			return 1;
	return 0;
}

int policy_decide(const struct policy *pol, const struct policy_caller *caller,
		  const char *path, unsigned type, unsigned access,
		  struct policy_decision *d)
{
	struct path_comp pc[PATH_COMPS_MAX];
	size_t n = path_split(path, pc, PATH_COMPS_MAX);
	unsigned left = access & ACC_ANY;

	memset(d, 0, sizeof *d);
	d->mode = -1;
	if (n == SIZE_MAX || path[0] != '/' || left == 0)
		return 0;
	if (pol->cache != NULL) {
		/* Only these rules can match: decide on them alone. */
		const struct policy *sub = cache_candidates(pol, caller, path, 0, NULL);

		return sub != NULL &&
		       policy_decide(sub, caller, path, type, access, d);
	}
	for (size_t i = pol->nrules; i-- > 0 && left != 0;) {
		const struct policy_rule *r = &pol->rules[i];
		unsigned bits = r->access & left;

		if (bits == 0 || !(r->types & type) ||
		    !subject_match(r, caller) ||
		    !pattern_match_comps(&r->pat, caller, pc, n, 0, !r->allow))
			continue;
		if (!r->allow) {
			d->rule = r;
			return 0;
		}
		if (bits & ACC_CREATE)
			d->mode = r->mode;
		if (d->rule == NULL)
			d->rule = r;
		left &= ~bits;
	}
	if (left != 0) {
		d->rule = NULL; /* some word was granted by no rule */
		d->mode = -1;
		return 0;
	}
	d->allow = 1;
	return 1;
}

static int subject_covers(const struct policy_rule *a,
			  const struct policy_rule *b)
{
	if (a->subject == SUBJ_ANY)
		return 1;
	if (a->subject != b->subject)
		return 0;
	if (a->subject_name != NULL || b->subject_name != NULL)
		return a->subject_name != NULL && b->subject_name != NULL &&
		       strcmp(a->subject_name, b->subject_name) == 0;
	return a->subject_id == b->subject_id;
}

int policy_rule_covers(const struct policy_rule *later,
		       const struct policy_rule *earlier)
{
	return (earlier->access & ~later->access) == 0 &&
	       (earlier->types & ~later->types) == 0 &&
	       subject_covers(later, earlier) &&
	       pattern_covers(&later->pat, &earlier->pat);
}

int policy_may_traverse(const struct policy *pol,
			const struct policy_caller *caller, const char *dir)
{
	if (pol->cache != NULL) {
		int below = 0;

		pol = cache_candidates(pol, caller, dir, 1, &below);
		if (pol == NULL || below)
			return pol != NULL;
	}
	for (size_t i = pol->nrules; i-- > 0;) {
		const struct policy_rule *r = &pol->rules[i];

		if (r->allow && subject_match(r, caller) &&
		    pattern_match_below(&r->pat, caller, dir))
			return 1;
	}
	return 0;
}

int policy_grant_roots(const struct policy *pol,
		       const struct policy_caller *caller, const char *path,
		       void (*fn)(void *ctx, const char *root, unsigned access),
		       void *ctx)
{
	if (pol->cache != NULL &&
	    (path == NULL || (pol = cache_candidates(pol, caller, path, 0, NULL)) == NULL))
		return -1;
	for (size_t i = 0; i < pol->nrules; i++) {
		const struct policy_rule *r = &pol->rules[i];
		char root[PATH_MAX];
		size_t n;

		if (!r->allow || !subject_match(r, caller))
			continue;
		pattern_literal_prefix(&r->pat, root, sizeof root);
		n = strlen(root);
		if (path == NULL || n == 1 || (strncmp(path, root, n) == 0 &&
			       (path[n] == '/' || path[n] == '\0')))
			fn(ctx, root, r->access);
	}
	return 0;
}

const char *policy_access_str(unsigned access, char *buf, size_t len)
{
	static const char *const words[] = { "read", "write", "append",
					     "create", "truncate" };
	size_t o = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < 5 && o < len; i++)
		if (access & (1u << i))
			o += (size_t)snprintf(buf + o, len - o,
					      "%s%s", o ? "," : "", words[i]);
	return buf;
}
