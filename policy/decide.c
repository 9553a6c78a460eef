/*
 * decide.c - the decision: for each access word the request needs, the
 * last rule that matches the caller, the object's type, the path and that
 * word decides; every word must be allowed, and no match denies.  Only
 * the rules the compiled policy's index names as candidates are read.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "image.h"

/* A name the name service could not tell might be the one a rule names:
 * the rule fails closed, a deny applying and an allow not. */
int policy_subject_covers(const struct policy_subject *s, int allow,
			  const struct policy_caller *c)
{
	int unknown = 0;

	switch (s->kind) {
	case SUBJ_ANY:
		return 1;
	case SUBJ_USER:
		if (s->name == NULL)
			return s->id == (uint32_t)c->uid;
		if (c->user != NULL)
			return strcmp(s->name, c->user) == 0;
		return !allow && c->user_unknown;
	case SUBJ_GROUP:
		for (size_t i = 0; i < c->ngroups; i++) {
			if (s->name == NULL ? s->id == (uint32_t)c->gids[i] :
				    c->group_names[i] != NULL &&
					    strcmp(s->name, c->group_names[i]) == 0)
				return 1;
			unknown |= c->group_names[i] == NULL &&
				   c->group_unknown != NULL && c->group_unknown[i];
		}
		return !allow && s->name != NULL && unknown;
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

int policy_decide(const struct policy *pol, const struct policy_caller *caller,
		  const char *path, unsigned type, unsigned access,
		  struct policy_decision *d)
{
	struct path_comp pc[PATH_COMPS_MAX];
	size_t n = path_split(path, pc, PATH_COMPS_MAX), nidx;
	unsigned left = access & ACC_ANY;
	uint32_t *idx;

	memset(d, 0, sizeof *d);
	d->mode = -1;
	if (n == SIZE_MAX || path[0] != '/' || left == 0 ||
	    image_candidates(pol, caller, path, 0, NULL, &idx, &nidx) < 0)
		return 0;
	for (size_t i = nidx; i-- > 0 && left != 0;) {
		struct rule_view r;
		unsigned bits;

		if (image_rule(pol, idx[i], &r) < 0)
			break; /* damaged: nothing it says counts */
		bits = r.access & left;
		if (bits == 0 || !(r.types & type) ||
		    !policy_subject_covers(&r.subject, r.allow, caller) ||
		    !pattern_match_comps(&r.pat, caller, pc, n, 0, !r.allow))
			continue;
		if (!r.allow) {
			d->rule = r.origin;
			free(idx);
			return 0;
		}
		if (bits & ACC_CREATE)
			d->mode = r.mode;
		if (d->rule.file == NULL)
			d->rule = r.origin;
		left &= ~bits;
	}
	free(idx);
	if (left != 0) {
		memset(&d->rule, 0, sizeof d->rule); /* some word was granted by no rule */
		d->mode = -1;
		return 0;
	}
	d->allow = 1;
	return 1;
}

int policy_may_traverse(const struct policy *pol,
			const struct policy_caller *caller, const char *dir)
{
	struct path_comp pc[PATH_COMPS_MAX];
	size_t n = path_split(dir, pc, PATH_COMPS_MAX), nidx;
	int below = 0, found = 0;
	uint32_t *idx;

	if (n == SIZE_MAX ||
	    image_candidates(pol, caller, dir, 1, &below, &idx, &nidx) < 0)
		return 0;
	for (size_t i = nidx; !below && !found && i-- > 0;) {
		struct rule_view r;

		if (image_rule(pol, idx[i], &r) < 0)
			break;
		found = r.allow && policy_subject_covers(&r.subject, 1, caller) &&
			pattern_match_comps(&r.pat, caller, pc, n, 1, 0);
	}
	free(idx);
	return below || found;
}

int policy_grant_roots(const struct policy *pol,
		       const struct policy_caller *caller, const char *path,
		       void (*fn)(void *ctx, const char *root, unsigned access),
		       void *ctx)
{
	uint32_t *idx;
	size_t nidx;
	int rc = 0;

	if (image_candidates(pol, caller, path, 0, NULL, &idx, &nidx) < 0)
		return -1;
	for (size_t i = 0; i < nidx && rc == 0; i++) {
		struct rule_view r;

		if (image_rule(pol, idx[i], &r) < 0)
			rc = -1;
		else if (r.allow && policy_subject_covers(&r.subject, 1, caller))
			fn(ctx, r.prefix, r.access);
	}
	free(idx);
	return rc;
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
