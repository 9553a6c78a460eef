/* SPDX-License-Identifier: ISC */
/*
 * image.c - reading the compiled policy (format.h): mapped whole, its
 * header, tables and sources checked when it is opened, in a time that
 * does not grow with the rules, so that a call costs the same with
 * 100,000 rules as with one.
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

#include "image.h"
#include "secure-open.h"

#define RECOMPILE ": run openfile-policy compile"

/* A table of n records of type t at off, aligned and inside the image;
 * or NULL. */
#define TABLE(pol, off, n, t) \
	((const t *)table(pol, off, n, sizeof(t), _Alignof(t)))

static const void *table(const struct policy *pol, uint32_t off, uint32_t n,
			 size_t len, size_t align)
{
	return off % align == 0 && off + (uint64_t)n * len <= pol->size ?
		       pol->base + off : NULL;
}

int image_check(struct policy *pol, char *why, size_t whylen)
{
	const struct img_header *h = (const void *)pol->base;

	if (pol->size < sizeof *h || h->magic != IMG_MAGIC ||
	    h->version != IMG_VERSION || h->size != pol->size ||
	    pol->base[pol->size - 1] != '\0' || h->nslots == 0 ||
	    (h->nslots & (h->nslots - 1)) != 0 ||
	    !(pol->sources = TABLE(pol, h->sources, h->nsources, struct img_source)) ||
	    !(pol->slots = TABLE(pol, h->slots, h->nslots, struct img_slot)) ||
	    !(pol->rules = TABLE(pol, h->rules, h->nrules, struct img_rule)) ||
	    !(pol->lists = TABLE(pol, h->lists, h->nlists, uint32_t)))
		goto bad;
	pol->h = *h;
	for (uint32_t i = 0; i < h->nsources; i++)
		if (pol->sources[i].path >= pol->size || pol->sources[i].kind > SRC_ABSENT)
			goto bad;
	return 0;
bad:
	snprintf(why, whylen, "not a compiled policy of this version, or damaged" RECOMPILE);
	return -1;
}

const char *policy_source_at(const struct policy *pol, size_t i)
{
	return i < pol->h.nsources ? image_str(pol, pol->sources[i].path) : NULL;
}

void policy_free(struct policy *pol)
{
	if (pol != NULL && pol->mapped)
		munmap((void *)pol->base, pol->size);
	else if (pol != NULL)
		free((void *)pol->base);
	free(pol);
}

/* Whether source s is exactly as it was compiled; else what changed, in
 * buf. */
static int source_same(const struct img_source *s, const char *path,
		       struct policy_walk *w, unsigned flags, char *buf, size_t len)
{
	char whypath[PATH_MAX];
	const char *why;
	struct stat st;
	int fd, same;

	if (s->kind == SRC_ABSENT) {
		if (lstat(path, &st) < 0 && errno == ENOENT)
			return 1;
		snprintf(buf, len, "%s appeared", path);
		return 0;
	}
	fd = policy_open_checked(w, path, flags, s->kind == SRC_DIR, &why, whypath,
				 sizeof whypath);
	if (fd < 0) {
		snprintf(buf, len, "%s %s", whypath[0] ? whypath : path, why);
		return 0;
	}
	same = fstat(fd, &st) == 0 && st.st_dev == s->dev && st.st_ino == s->ino &&
	       (s->kind == SRC_DIR || (uint64_t)st.st_size == s->size) &&
	       st.st_mtim.tv_sec == s->mtime_s && st.st_mtim.tv_nsec == s->mtime_ns &&
	       st.st_ctim.tv_sec == s->ctime_s && st.st_ctim.tv_nsec == s->ctime_ns;
	close(fd);
	if (!same)
		snprintf(buf, len, "%s changed", path);
	return same;
}

struct policy *policy_open_compiled(const char *path, const char *main_path,
				    unsigned flags, char *why, size_t whylen)
{
	struct policy_walk w = { .n = 0 };
	char changed[PATH_MAX + 128];
	const char *reason;
	struct policy *pol = NULL;
	struct stat st;
	int fd = policy_open_checked(&w, path, flags, 0, &reason, changed,
				     sizeof changed);

	if (fd < 0) {
		if (errno == ENOENT)
			snprintf(why, whylen, "no compiled policy" RECOMPILE);
		else
			snprintf(why, whylen, "refusing the compiled policy: %s %s",
				 changed[0] ? changed : path, reason);
		goto fail;
	}
	if (fstat(fd, &st) < 0 || st.st_size < (off_t)sizeof(struct img_header) ||
	    st.st_size > (off_t)IMG_MAX || (pol = calloc(1, sizeof *pol)) == NULL ||
	    (pol->base = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd,
			      0)) == MAP_FAILED) {
		snprintf(why, whylen, "not a compiled policy, or damaged" RECOMPILE);
		close(fd);
		free(pol);
		pol = NULL;
		goto fail;
	}
	close(fd);
	pol->size = (size_t)st.st_size;
	pol->mapped = 1;
	if (image_check(pol, why, whylen) < 0)
		goto fail;
	if (pol->h.nsources == 0 || strcmp(policy_source_at(pol, 0), main_path) != 0) {
		snprintf(why, whylen, "not compiled from %s" RECOMPILE, main_path);
		goto fail;
	}
	for (uint32_t i = 0; i < pol->h.nsources; i++)
		if (!source_same(&pol->sources[i], policy_source_at(pol, i), &w, flags,
				 changed, sizeof changed)) {
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
	return pol->h.nrules;
}

/* Said once when it was compiled: a scan of the rules would cost as much
 * as they are many. */
int policy_names_groups(const struct policy *pol)
{
	return pol != NULL && !(pol->h.flags & IMG_NO_GROUP_NAMES);
}
