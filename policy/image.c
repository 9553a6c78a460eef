/*
 * image.c - reading the compiled policy (format.h): mapped whole, its
 * header and sources checked when it is opened, each rule and index slot
 * checked when a decision reads it, so that a call costs the same with
 * 100,000 rules as with one and a damaged image denies.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "format.h"
#include "image.h"
#include "secure-open.h"

#define RECOMPILE ": run openfile-policy compile"

/* A string at off, len long, NUL-terminated, inside the image; or NULL. */
static const char *str_at(const struct policy *pol, uint32_t off, uint32_t len)
{
	if ((uint64_t)off + len >= pol->size || pol->base[off + len] != '\0')
		return NULL;
	return (const char *)pol->base + off;
}

const unsigned char *image_source(const struct policy *pol, size_t i)
{
	return pol->base + pol->sources_off + i * IMG_SRC_LEN;
}

const char *policy_source_at(const struct policy *pol, size_t i)
{
	const unsigned char *p;

	if (i >= pol->nsources)
		return NULL;
	p = image_source(pol, i);
	return str_at(pol, rd32(p), rd32(p + 4));
}

/* Checks the header, the tables' bounds and the sources' names. */
int image_check(struct policy *pol, char *why, size_t whylen)
{
	const unsigned char *h = pol->base;

	if (pol->size < IMG_HDR_LEN)
		goto bad;
	pol->nsources = rd32(h + 16), pol->sources_off = rd32(h + 20);
	pol->nrules = rd32(h + 24), pol->rules_off = rd32(h + 28);
	pol->nslots = rd32(h + 32), pol->slots_off = rd32(h + 36);
	pol->flags = rd32(h + 40);
	if (rd32(h) != IMG_MAGIC || rd32(h + 4) != IMG_VERSION ||
	    rd64(h + 8) != pol->size || pol->nslots == 0 ||
	    (pol->nslots & (pol->nslots - 1)) != 0 ||
	    pol->sources_off + (uint64_t)pol->nsources * IMG_SRC_LEN > pol->size ||
	    pol->rules_off + (uint64_t)pol->nrules * IMG_RULE_LEN > pol->size ||
	    pol->slots_off + (uint64_t)pol->nslots * IMG_SLOT_LEN > pol->size)
		goto bad;
	for (uint32_t i = 0; i < pol->nsources; i++)
		if (policy_source_at(pol, i) == NULL || rd32(image_source(pol, i) + 8) > SRC_ABSENT)
			goto bad;
	return 0;
bad:
	snprintf(why, whylen, "not a compiled policy of this version, or damaged" RECOMPILE);
	return -1;
}

void policy_free(struct policy *pol)
{
	if (pol == NULL)
		return;
	if (pol->mapped)
		munmap(pol->base, pol->size);
	else
		free(pol->base);
	free(pol);
}

/* NULL when source i is exactly as it was compiled, else what changed,
 * in buf. */
static const char *source_changed(const struct policy *pol,
				  struct policy_walk *w, uint32_t i,
				  unsigned flags, char *buf, size_t len)
{
	const unsigned char *p = image_source(pol, i);
	const char *path = policy_source_at(pol, i), *why;
	char whypath[PATH_MAX];
	uint32_t kind = rd32(p + 8);
	struct stat st;
	int fd, same;

	if (kind == SRC_ABSENT) {
		if (lstat(path, &st) < 0 && errno == ENOENT)
			return NULL;
		snprintf(buf, len, "%s appeared", path);
		return buf;
	}
	fd = policy_open_checked(w, path, flags, kind == SRC_DIR, &why, whypath,
				 sizeof whypath);
	if (fd < 0) {
		snprintf(buf, len, "%s %s", whypath[0] ? whypath : path, why);
		return buf;
	}
	same = fstat(fd, &st) == 0 && (uint64_t)st.st_dev == rd64(p + 16) &&
	       (uint64_t)st.st_ino == rd64(p + 24) &&
	       (kind == SRC_DIR || (uint64_t)st.st_size == rd64(p + 32)) &&
	       (uint64_t)st.st_mtim.tv_sec == rd64(p + 40) &&
	       (uint64_t)st.st_mtim.tv_nsec == rd64(p + 48) &&
	       (uint64_t)st.st_ctim.tv_sec == rd64(p + 56) &&
	       (uint64_t)st.st_ctim.tv_nsec == rd64(p + 64);
	close(fd);
	if (same)
		return NULL;
	snprintf(buf, len, "%s changed", path);
	return buf;
}

/* Maps the image at path.  NULL with why. */
static struct policy *image_map(struct policy_walk *w, const char *path,
				unsigned flags, char *why, size_t whylen)
{
	char whypath[PATH_MAX];
	const char *reason;
	struct policy *pol;
	struct stat st;
	int fd = policy_open_checked(w, path, flags, 0, &reason, whypath,
				     sizeof whypath);

	if (fd < 0) {
		if (errno == ENOENT)
			snprintf(why, whylen, "no compiled policy" RECOMPILE);
		else
			snprintf(why, whylen, "refusing the compiled policy: %s %s",
				 whypath[0] ? whypath : path, reason);
		return NULL;
	}
	if (fstat(fd, &st) < 0 || st.st_size < (off_t)IMG_HDR_LEN ||
	    st.st_size > (off_t)IMG_MAX || (pol = calloc(1, sizeof *pol)) == NULL) {
		close(fd);
		snprintf(why, whylen, "not a compiled policy, or damaged" RECOMPILE);
		return NULL;
	}
	pol->size = (size_t)st.st_size;
	pol->base = mmap(NULL, pol->size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (pol->base == MAP_FAILED) {
		snprintf(why, whylen, "cannot map it: %s", strerror(errno));
		free(pol);
		return NULL;
	}
	pol->mapped = 1;
	return pol;
}

struct policy *policy_open_compiled(const char *path, const char *main_path,
				    unsigned flags, char *why, size_t whylen)
{
	struct policy_walk w = { .n = 0 };
	struct policy *pol = image_map(&w, path, flags, why, whylen);
	char changed[PATH_MAX + 128];

	if (pol == NULL || image_check(pol, why, whylen) < 0)
		goto fail;
	if (pol->nsources == 0 || strcmp(policy_source_at(pol, 0), main_path) != 0) {
		snprintf(why, whylen, "not compiled from %s" RECOMPILE, main_path);
		goto fail;
	}
	for (uint32_t i = 0; i < pol->nsources; i++)
		if (source_changed(pol, &w, i, flags, changed, sizeof changed) != NULL) {
			snprintf(why, whylen, "the policy changed after it was compiled (%s)" RECOMPILE,
				 changed);
			goto fail;
		}
	policy_walk_end(&w);
	return pol;
fail:
	policy_walk_end(&w);
	policy_free(pol);
	return NULL;
}

size_t policy_rule_count(const struct policy *pol)
{
	return pol->nrules;
}

/* Said once when it was compiled: a scan of the rules would cost as much
 * as they are many. */
int policy_names_groups(const struct policy *pol)
{
	return pol != NULL && !(pol->flags & IMG_NO_GROUP_NAMES);
}

/* The rule indices stored under key, or NULL. */
static const unsigned char *lookup(const struct policy *pol, const char *key,
				   size_t len, uint32_t *n, int *below)
{
	uint64_t h = img_hash(key, len);

	for (uint32_t probes = 0, i = (uint32_t)h & (pol->nslots - 1);
	     probes < pol->nslots; probes++, i = (i + 1) & (pol->nslots - 1)) {
		const unsigned char *s = pol->base + pol->slots_off + (size_t)i * IMG_SLOT_LEN;
		uint64_t sh = rd64(s);
		const char *k;

		if (sh == 0)
			return NULL;
		if (sh != h || rd32(s + 12) != len ||
		    (k = str_at(pol, rd32(s + 8), (uint32_t)len)) == NULL ||
		    memcmp(k, key, len) != 0)
			continue;
		*n = rd32(s + 20);
		*below |= rd32(s + 24) != 0;
		if ((uint64_t)rd32(s + 16) + (uint64_t)*n * 4 > pol->size)
			return NULL;
		return pol->base + rd32(s + 16);
	}
	return NULL;
}

static int by_index(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

typedef char subject_key_t[300];

/* The caller's subject keys, as the compiler makes a rule's, in an array
 * to free.  NULL when out of memory. */
static subject_key_t *caller_keys(const struct policy_caller *pc, size_t *n)
{
	subject_key_t *keys = calloc(4 + 2 * pc->ngroups, sizeof *keys);
	int unknown = 0;

	*n = 0;
	if (keys == NULL)
		return NULL;
	snprintf(keys[(*n)++], sizeof *keys, "*");
	snprintf(keys[(*n)++], sizeof *keys, "U:%u", (unsigned)pc->uid);
	if (pc->user != NULL)
		snprintf(keys[(*n)++], sizeof *keys, "u:%s", pc->user);
	else if (pc->user_unknown)
		snprintf(keys[(*n)++], sizeof *keys, "u?");
	for (size_t i = 0; i < pc->ngroups; i++) {
		snprintf(keys[(*n)++], sizeof *keys, "G:%u", (unsigned)pc->gids[i]);
		if (pc->group_names[i] != NULL)
			snprintf(keys[(*n)++], sizeof *keys, "g:%s", pc->group_names[i]);
		else
			unknown |= pc->group_unknown != NULL && pc->group_unknown[i];
	}
	if (unknown)
		snprintf(keys[(*n)++], sizeof *keys, "g?");
	return keys;
}

/* Appends the n indices at list to *idx. */
static int add_list(uint32_t **idx, size_t *nidx, size_t *cap,
		    const unsigned char *list, uint32_t n)
{
	if (*nidx + n > *cap) {
		uint32_t *ni;

		*cap = (*nidx + n) * 2;
		if ((ni = realloc(*idx, *cap * sizeof *ni)) == NULL)
			return -1;
		*idx = ni;
	}
	memcpy(*idx + *nidx, list, (size_t)n * 4);
	*nidx += n;
	return 0;
}

int image_candidates(const struct policy *pol, const struct policy_caller *caller,
		     const char *path, int for_dir, int *below, uint32_t **idx,
		     size_t *nidx)
{
	struct path_comp pc[PATH_COMPS_MAX];
	char key[PATH_MAX + 301];
	size_t ncomp = path ? path_split(path, pc, PATH_COMPS_MAX) : 0, nkeys, cap = 0, u = 0;
	subject_key_t *keys;
	int dummy = 0, rc = -1;

	*idx = NULL;
	*nidx = 0;
	if ((path != NULL && strlen(path) >= PATH_MAX) || ncomp == SIZE_MAX ||
	    (keys = caller_keys(caller, &nkeys)) == NULL)
		return -1;
	for (size_t k = 0; k < nkeys; k++) {
		size_t len = strlen(keys[k]);
		const unsigned char *list;
		uint32_t n = 0;

		memcpy(key, keys[k], len);
		if (path == NULL) {
			list = lookup(pol, key, len, &n, &dummy);
			if (list != NULL && add_list(idx, nidx, &cap, list, n) < 0)
				goto out;
			continue;
		}
		key[len++] = '\n';
		/* "/", then "/a", "/a/b", ... up to the path itself. */
		for (size_t depth = 0; depth <= ncomp; depth++) {
			int *b = for_dir && depth == ncomp ? below : &dummy;

			if (depth == 0) {
				key[len] = '/';
				list = lookup(pol, key, len + 1, &n, b);
			} else {
				key[len++] = '/';
				memcpy(key + len, pc[depth - 1].s, pc[depth - 1].len);
				len += pc[depth - 1].len;
				list = lookup(pol, key, len, &n, b);
			}
			if (list != NULL && add_list(idx, nidx, &cap, list, n) < 0)
				goto out;
		}
	}
	/* Rules in policy order, each once. */
	if (*nidx > 0)
		qsort(*idx, *nidx, sizeof **idx, by_index);
	for (size_t i = 0; i < *nidx; i++)
		if (u == 0 || (*idx)[u - 1] != (*idx)[i])
			(*idx)[u++] = (*idx)[i];
	*nidx = u;
	rc = 0;
out:
	if (rc < 0) {
		free(*idx);
		*idx = NULL;
	}
	free(keys);
	return rc;
}

int image_rule(const struct policy *pol, uint32_t i, struct rule_view *r)
{
	const unsigned char *p;
	uint32_t bits, nlen, coff, ncomps;

	if (i >= pol->nrules)
		return -1;
	p = pol->base + pol->rules_off + (size_t)i * IMG_RULE_LEN;
	bits = rd32(p + 20);
	nlen = rd32(p + 32);
	coff = rd32(p + 48);
	ncomps = rd32(p + 52);
	r->origin.file = str_at(pol, rd32(p), rd32(p + 4));
	r->origin.line = rd32(p + 8);
	r->origin.text = str_at(pol, rd32(p + 12), rd32(p + 16));
	r->allow = bits & 1;
	r->subject.kind = (enum policy_subject_kind)((bits >> 8) & 3);
	r->subject.id = rd32(p + 24);
	r->subject.name = nlen ? str_at(pol, rd32(p + 28), nlen) : NULL;
	r->access = (bits >> 16) & ACC_ANY;
	r->types = (bits >> 24) & TYPE_ANY;
	r->mode = (int)rd32(p + 36);
	r->prefix = str_at(pol, rd32(p + 40), rd32(p + 44));
	if (r->origin.file == NULL || r->origin.text == NULL || r->prefix == NULL ||
	    (nlen && r->subject.name == NULL) || r->subject.kind > SUBJ_GROUP ||
	    r->access == 0 || r->types == 0 || r->mode < -1 || r->mode > 0777 ||
	    ncomps > PATH_COMPS_MAX ||
	    (uint64_t)coff + (uint64_t)ncomps * IMG_COMP_LEN > pol->size)
		return -1;
	r->pat = (struct pattern_view){ pol->base, pol->base + coff, ncomps, 0 };
	for (uint32_t k = 0; k < ncomps; k++) {
		const unsigned char *c = r->pat.comps + (size_t)k * IMG_COMP_LEN;
		uint16_t n;

		memcpy(&n, c + 4, sizeof n);
		if (c[6] > COMP_GLOBSTAR ||
		    (uint64_t)rd32(c) + (uint64_t)n * (c[6] == COMP_GLOB ? 2 : 1) > pol->size)
			return -1;
		r->pat.has_globstar |= c[6] == COMP_GLOBSTAR;
	}
	return 0;
}
