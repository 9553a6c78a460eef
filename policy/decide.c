/* SPDX-License-Identifier: ISC */
/*
 * decide.c - the decisions: for each access word the request needs, the
 * last rule that matches the caller, the object's type, the path and that
 * word decides; every word must be allowed, and no match denies.  Only
 * the rules the compiled policy's index names as candidates are read, in
 * the order the index gives them: the last is the one of highest index.
 */
#include "config.h"

#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "image.h"
#include "match.h"

/* A look at the candidates for a caller at a path, and what it found. */
struct scan {
	const struct policy_caller *c;
	const struct path_comp *pc;
	size_t n;        /* the path's components; SIZE_MAX: no path */
	int below;       /* is something below the path (a directory) granted? */
	int reached;     /* ... yes */
	unsigned type, access;        /* the request to decide */
	const struct img_rule *by[5]; /* the last rule matching each word */
	void (*fn)(void *ctx, const char *root, unsigned access);
	void *ctx;       /* where allow rules start, for grant_roots */
};

/* Looks at rule i.  Returns 0, or -1 when the image is damaged there. */
static int scan_rule(const struct policy *pol, struct scan *s, uint32_t i)
{
	const struct img_rule *r = i < pol->h.nrules ? &pol->rules[i] : NULL;
	unsigned access;
	int allow;

	if (r == NULL || r->file >= pol->size || r->text >= pol->size ||
	    r->prefix >= pol->size || r->pattern >= pol->size ||
	    (access = r->bits >> IMG_ACCESS_SHIFT & ACC_ANY) == 0 ||
	    (r->bits >> IMG_TYPES_SHIFT & TYPE_ANY) == 0 || r->mode < -1 || r->mode > 0777)
		return -1;
	allow = r->bits & IMG_ALLOW;
	if (s->fn != NULL) {
		if (allow)
			s->fn(s->ctx, image_str(pol, r->prefix), access);
	} else if (s->below) {
		s->reached = s->reached || (allow && pattern_match(image_str(pol, r->pattern),
								   s->c, s->pc, s->n, 1, 0));
	} else if ((r->bits >> IMG_TYPES_SHIFT & s->type) && (access & s->access) &&
		   pattern_match(image_str(pol, r->pattern), s->c, s->pc, s->n, 0, !allow)) {
		for (unsigned w = 0; w < 5; w++)
			if ((access & s->access & 1u << w) && (s->by[w] == NULL || r > s->by[w]))
				s->by[w] = r;
	}
	return 0;
}

/* Looks at the rules listed under key; at_path: key is the path's own. */
static int scan_key(const struct policy *pol, struct scan *s, const char *key,
		    size_t len, int at_path)
{
	uint64_t h = img_hash(key, len);
	uint32_t mask = pol->h.nslots - 1;

	for (uint32_t k = 0, i = (uint32_t)h & mask; k <= mask; k++, i = (i + 1) & mask) {
		const struct img_slot *sl = &pol->slots[i];

		if (sl->hash == 0)
			return 0;
		if (sl->hash != h || sl->keylen != len)
			continue;
		if ((uint64_t)sl->key + len > pol->size ||
		    (uint64_t)sl->list + sl->n > pol->h.nlists)
			return -1;
		if (memcmp(pol->base + sl->key, key, len) != 0)
			continue;
		s->reached |= at_path && s->below && sl->below;
		for (uint32_t r = 0; r < sl->n; r++)
			if (scan_rule(pol, s, pol->lists[sl->list + r]) < 0)
				return -1;
		return 0;
	}
	return 0;
}

/* Looks at the rules of the subject kind and name (format.h): under each
 * of the path's directories from "/" down to the path itself, or with no
 * path, all its allow rules. */
static int scan_subject(const struct policy *pol, struct scan *s,
			const char *kind, const char *name)
{
	char key[320 + PATH_MAX];
	size_t l = strlen(kind), nl = strlen(name);

	if (nl > IMG_NAME_MAX)
		return 0; /* no rule names it */
	memcpy(key, kind, l);
	memcpy(key + l, name, nl);
	l += nl;
	if (s->n == SIZE_MAX)
		return scan_key(pol, s, key, l, 0);
	key[l++] = '\0';
	key[l] = '/';
	for (size_t d = 0; d <= s->n; d++) {
		if (d > 0) {
			memcpy(key + l + 1, s->pc[d - 1].s, s->pc[d - 1].len);
			l += 1 + s->pc[d - 1].len;
			key[l] = '/';
		}
		if (scan_key(pol, s, key, d > 0 ? l : l + 1, d == s->n) < 0)
			return -1;
	}
	return 0;
}

/* Looks at every rule that may apply to the caller at path (NULL:
 * anywhere): only rules whose subject covers the caller and whose literal
 * prefix is path or lies above it can match.  Returns 0, or -1 when the
 * path is too long or the image damaged. */
static int scan(const struct policy *pol, struct scan *s, const char *path)
{
	const struct policy_caller *c = s->c;
	struct path_comp pc[PATH_COMPS_MAX];
	char id[16];
	int unknown = 0, rc;

	s->pc = pc;
	s->n = path == NULL ? SIZE_MAX : path_split(path, pc, PATH_COMPS_MAX);
	if (path != NULL && (s->n == SIZE_MAX || strlen(path) >= PATH_MAX))
		return -1;
	snprintf(id, sizeof id, "%u", (unsigned)c->uid);
	rc = scan_subject(pol, s, "*", "") | scan_subject(pol, s, "U:", id);
	if (c->user != NULL || c->user_unknown)
		rc |= scan_subject(pol, s, c->user ? "u:" : "u?", c->user ? c->user : "");
	for (size_t i = 0; i < c->ngroups; i++) {
		snprintf(id, sizeof id, "%u", (unsigned)c->gids[i]);
		rc |= scan_subject(pol, s, "G:", id);
		if (c->group_names[i] != NULL)
			rc |= scan_subject(pol, s, "g:", c->group_names[i]);
		unknown |= c->group_names[i] == NULL && c->group_unknown != NULL &&
			   c->group_unknown[i];
	}
	if (unknown)
		rc |= scan_subject(pol, s, "g?", "");
	return rc;
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
	struct scan s = { .c = caller, .type = type, .access = access & ACC_ANY };
	const struct img_rule *last = NULL, *deny = NULL, *r;
	int all = 1;

	memset(d, 0, sizeof *d);
	d->mode = -1;
	if (path[0] != '/' || s.access == 0 || scan(pol, &s, path) < 0)
		return 0;
	for (unsigned w = 0; w < 5; w++) {
		if (!(s.access & 1u << w))
			continue;
		r = s.by[w];
		all &= r != NULL;
		if (r != NULL && !(r->bits & IMG_ALLOW) && (deny == NULL || r > deny))
			deny = r;
		else if (r != NULL && (last == NULL || r > last))
			last = r;
	}
	/* A deny decides, and is named even where some word was granted by
	 * no rule. */
	r = deny != NULL ? deny : all ? last : NULL;
	if (r != NULL)
		d->rule = (struct policy_origin){ image_str(pol, r->file), r->line,
						  image_str(pol, r->text) };
	if (r == NULL || r == deny)
		return 0;
	d->mode = s.by[3] != NULL ? s.by[3]->mode : -1; /* ACC_CREATE's */
	d->allow = 1;
	return 1;
}

int policy_may_traverse(const struct policy *pol,
			const struct policy_caller *caller, const char *dir)
{
	struct scan s = { .c = caller, .below = 1 };

	return scan(pol, &s, dir) == 0 && s.reached;
}

int policy_grant_roots(const struct policy *pol,
		       const struct policy_caller *caller, const char *path,
		       void (*fn)(void *ctx, const char *root, unsigned access),
		       void *ctx)
{
	struct scan s = { .c = caller, .fn = fn, .ctx = ctx };

	return scan(pol, &s, path);
}

unsigned policy_open_access(int flags, int create)
{
	int acc = flags & O_ACCMODE;
	unsigned need = 0;

	if (acc == O_RDONLY || acc == O_RDWR)
		need |= ACC_READ;
	if (acc == O_WRONLY || acc == O_RDWR)
		need |= (flags & O_APPEND) ? ACC_APPEND : ACC_WRITE;
	if (flags & O_TRUNC) /* Linux truncates even with O_RDONLY */
		need |= ACC_TRUNCATE;
	/* What it creates is new: nothing to truncate. */
	return create ? (need | ACC_CREATE) & ~ACC_TRUNCATE : need;
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
