/*
 * cache.c - a compiled index of the policy, so that a call costs the same
 * with 100,000 rules as with one.
 *
 * Root writes it (openfile-policy compile) from a valid policy.  It holds
 * every rule's text with its file and line, indexed by the rule's subject
 * and the literal directories its pattern starts with, plus the identity
 * (device, inode, size, mtime, ctime) of every file and directory the
 * policy was read from.  The helper uses it only while all of those are
 * exactly as they were, and then parses just the rules that could apply to
 * this caller at this path, with the one parser, and decides on them with
 * the one engine: only rules whose subject covers the caller and whose
 * literal prefix is a prefix of the path can match, so the decision is the
 * same as over the whole policy.  Anything amiss and it reads the policy
 * files as always.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "policy-int.h"

#define CACHE_MAGIC 0x4350464fu /* "OFPC" */
#define CACHE_VERSION 2u        /* bump if the layout below changes */
#define CACHE_NO_GROUP_NAMES 1u /* flag: no rule names a group */
#define HDR_LEN 64u
#define SRC_LEN 72u
#define RULE_LEN 16u
#define SLOT_LEN 32u
#define CACHE_MAX (1u << 30)

/*
 * Layout, host byte order, every offset from the start of the file:
 *   header   u32 magic, version; u64 size; u32 nsources, sources_off,
 *            nrules, rules_off, nslots, slots_off, main_off, main_len,
 *            dropin_off, dropin_len (0, 0: none), flags, pad
 *            (flags: CACHE_NO_GROUP_NAMES; a cache written before there
 *            were flags has 0 there, which claims nothing)
 *   source   u32 path_off, path_len, kind, pad; u64 dev, ino, size;
 *            i64 mtime_s, mtime_ns, ctime_s, ctime_ns
 *   rule     u32 source, line, text_off, text_len
 *   slot     u64 hash (0: empty); u32 key_off, key_len, list_off, list_len,
 *            below, pad          (key: "SUBJECT\nPREFIX"; a deny naming a
 *            user or group is also under "u?" or "g?", for callers whose
 *            name is unknown: version 2)
 *   lists    u32 rule indices, ascending
 *   strings  each followed by a NUL
 */

struct policy_cache {
	unsigned char *base;
	size_t size;
	uint32_t nsources, nrules, nslots, flags;
	size_t sources_off, rules_off, slots_off;
	struct policy **scratch; /* rules parsed for decisions, kept until close */
	size_t nscratch;
};

static uint64_t hash_key(const char *k, size_t len)
{
	uint64_t h = 14695981039346656037ull;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)k[i]) * 1099511628211ull;
	return h | 1; /* 0 marks an empty slot */
}

static uint32_t rd32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof v);
	return v;
}

static uint64_t rd64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof v);
	return v;
}

/* --- writing ------------------------------------------------------------- */

struct buf {
	unsigned char *p;
	size_t len, cap;
	int failed;
};

static size_t put(struct buf *b, const void *data, size_t len)
{
	size_t at = b->len;

	if (b->len + len > b->cap) {
		size_t cap = b->cap ? b->cap : 65536;
		unsigned char *np;

		while (cap < b->len + len)
			cap *= 2;
		if ((np = realloc(b->p, cap)) == NULL) {
			b->failed = 1;
			return at;
		}
		b->p = np;
		b->cap = cap;
	}
	if (data != NULL)
		memcpy(b->p + b->len, data, len);
	else
		memset(b->p + b->len, 0, len);
	b->len += len;
	return at;
}

/* A string into the file, with its NUL.  Returns its offset. */
static uint32_t put_str(struct buf *b, const char *s, size_t len)
{
	size_t at = put(b, s, len);

	put(b, "", 1);
	return (uint32_t)at;
}

struct entry {
	char *key;
	size_t keylen;
	uint64_t hash;
	uint32_t *idx;
	size_t n, cap;
	int below;
};

struct table {
	struct entry *e;
	size_t cap, used;
};

static struct entry *table_get(struct table *t, const char *key, size_t len)
{
	uint64_t h = hash_key(key, len);
	size_t i;

	if (t->used * 2 >= t->cap) { /* grow, keeping it at most half full */
		struct table n = { calloc(t->cap ? t->cap * 2 : 1024, sizeof *n.e),
				   t->cap ? t->cap * 2 : 1024, 0 };

		if (n.e == NULL)
			return NULL;
		for (size_t k = 0; k < t->cap; k++) {
			if (t->e[k].key == NULL)
				continue;
			for (i = t->e[k].hash & (n.cap - 1); n.e[i].key != NULL;
			     i = (i + 1) & (n.cap - 1))
				;
			n.e[i] = t->e[k];
			n.used++;
		}
		free(t->e);
		*t = n;
	}
	for (i = h & (t->cap - 1); t->e[i].key != NULL; i = (i + 1) & (t->cap - 1))
		if (t->e[i].hash == h && t->e[i].keylen == len &&
		    memcmp(t->e[i].key, key, len) == 0)
			return &t->e[i];
	if ((t->e[i].key = malloc(len + 1)) == NULL)
		return NULL;
	memcpy(t->e[i].key, key, len);
	t->e[i].key[len] = '\0';
	t->e[i].keylen = len;
	t->e[i].hash = h;
	t->used++;
	return &t->e[i];
}

static int entry_add(struct entry *e, uint32_t idx)
{
	if (e->n == e->cap) {
		size_t cap = e->cap ? e->cap * 2 : 4;
		uint32_t *ni = realloc(e->idx, cap * sizeof *ni);

		if (ni == NULL)
			return -1;
		e->idx = ni;
		e->cap = cap;
	}
	e->idx[e->n++] = idx;
	return 0;
}

/* The index key of a rule's subject, as the caller's keys are made. */
static void subject_key(const struct policy_rule *r, char *out, size_t len)
{
	if (r->subject == SUBJ_ANY)
		snprintf(out, len, "*");
	else if (r->subject_name != NULL)
		snprintf(out, len, "%c:%s", r->subject == SUBJ_USER ? 'u' : 'g',
			 r->subject_name);
	else
		snprintf(out, len, "%c:%u", r->subject == SUBJ_USER ? 'U' : 'G',
			 (unsigned)r->subject_id);
}

/* The entry of the key "SKEY\nPREFIX", with the first pl bytes of prefix;
 * NULL when out of memory. */
static struct entry *entry_at(struct table *t, const char *skey,
			      const char *prefix, size_t pl)
{
	char key[PATH_MAX + 300];
	size_t sl = strlen(skey);

	memcpy(key, skey, sl);
	key[sl] = '\n';
	memcpy(key + sl + 1, prefix, pl);
	return table_get(t, key, sl + 1 + pl);
}

/* Indexes rule i under its subject and literal prefix, and marks every
 * directory above that prefix as having an allow rule below it.  A deny
 * naming a user or group applies to a caller whose name the name service
 * could not tell: it is found under "u?" or "g?" too. */
static int index_rule(struct table *t, const struct policy_rule *r, uint32_t i)
{
	char skey[300], prefix[PATH_MAX];
	struct entry *e;
	size_t pl;

	subject_key(r, skey, sizeof skey);
	pattern_literal_prefix(&r->pat, prefix, sizeof prefix);
	pl = strlen(prefix);
	if ((e = entry_at(t, skey, prefix, pl)) == NULL || entry_add(e, i) < 0)
		return -1;
	if (!r->allow && r->subject_name != NULL &&
	    ((e = entry_at(t, r->subject == SUBJ_USER ? "u?" : "g?", prefix, pl)) == NULL ||
	     entry_add(e, i) < 0))
		return -1;
	if (!r->allow)
		return 0;
	/* "/a/b" has "/" and "/a" above it. */
	for (size_t k = pl; k > 1;) {
		while (k > 0 && prefix[k - 1] != '/')
			k--;
		k = k > 1 ? k - 1 : 1;
		if ((e = entry_at(t, skey, prefix, k)) == NULL)
			return -1;
		e->below = 1;
		if (k == 1)
			break;
	}
	return 0;
}

static void table_free(struct table *t)
{
	for (size_t i = 0; i < t->cap; i++) {
		free(t->e[i].key);
		free(t->e[i].idx);
	}
	free(t->e);
}

static long source_of(const struct policy *pol, const char *file)
{
	for (size_t i = 0; i < pol->nsources; i++)
		if (pol->sources[i].kind == SRC_FILE &&
		    strcmp(pol->sources[i].path, file) == 0)
			return (long)i;
	return -1;
}

static int build(const struct policy *pol, const char *main_path,
		 const char *dropin, struct buf *b, const char **why)
{
	struct table t = { NULL, 0, 0 };
	size_t hdr, srcs, rules, slots;
	uint32_t nslots = 16;

	for (size_t i = 0; i < pol->nrules; i++)
		if (index_rule(&t, &pol->rules[i], (uint32_t)i) < 0) {
			table_free(&t);
			*why = "out of memory";
			return -1;
		}
	while (nslots < t.used * 2)
		nslots *= 2;
	hdr = put(b, NULL, HDR_LEN);
	srcs = put(b, NULL, SRC_LEN * pol->nsources);
	rules = put(b, NULL, RULE_LEN * pol->nrules);
	slots = put(b, NULL, (size_t)SLOT_LEN * nslots);
	for (size_t i = 0; i < pol->nsources && !b->failed; i++) {
		const struct policy_source *s = &pol->sources[i];
		uint32_t off = put_str(b, s->path, strlen(s->path));
		unsigned char *p;
		uint64_t v[7] = { s->dev, s->ino, (uint64_t)s->size,
				  (uint64_t)s->mtime.tv_sec, (uint64_t)s->mtime.tv_nsec,
				  (uint64_t)s->ctime.tv_sec, (uint64_t)s->ctime.tv_nsec };
		uint32_t h[4] = { off, (uint32_t)strlen(s->path), (uint32_t)s->kind, 0 };

		if (b->failed)
			break;
		p = b->p + srcs + i * SRC_LEN;
		memcpy(p, h, sizeof h);
		memcpy(p + 16, v, sizeof v);
	}
	for (size_t i = 0; i < pol->nrules && !b->failed; i++) {
		const struct policy_rule *r = &pol->rules[i];
		long src = source_of(pol, r->file);
		uint32_t off = put_str(b, r->text, strlen(r->text));
		uint32_t v[4] = { (uint32_t)src, r->line, off, (uint32_t)strlen(r->text) };

		if (src < 0) {
			table_free(&t);
			*why = "a rule comes from a file that was not recorded";
			return -1;
		}
		if (!b->failed)
			memcpy(b->p + rules + i * RULE_LEN, v, sizeof v);
	}
	for (size_t i = 0; i < t.cap && !b->failed; i++) {
		const struct entry *e = &t.e[i];
		uint32_t koff, loff, v[6];
		size_t s;

		if (e->key == NULL)
			continue;
		koff = put_str(b, e->key, e->keylen);
		loff = (uint32_t)put(b, e->idx, e->n * sizeof *e->idx);
		for (s = e->hash & (nslots - 1); !b->failed &&
		     rd64(b->p + slots + s * SLOT_LEN) != 0; s = (s + 1) & (nslots - 1))
			;
		if (b->failed)
			break;
		v[0] = koff, v[1] = (uint32_t)e->keylen, v[2] = loff;
		v[3] = (uint32_t)e->n, v[4] = (uint32_t)e->below, v[5] = 0;
		memcpy(b->p + slots + s * SLOT_LEN, &e->hash, sizeof e->hash);
		memcpy(b->p + slots + s * SLOT_LEN + 8, v, sizeof v);
	}
	table_free(&t);
	if (!b->failed) {
		uint32_t moff = put_str(b, main_path, strlen(main_path));
		uint32_t doff = dropin ? put_str(b, dropin, strlen(dropin)) : 0;
		uint32_t h[15] = { CACHE_MAGIC, CACHE_VERSION, 0, 0,
				   (uint32_t)pol->nsources, (uint32_t)srcs,
				   (uint32_t)pol->nrules, (uint32_t)rules, nslots,
				   (uint32_t)slots, moff, (uint32_t)strlen(main_path),
				   doff, dropin ? (uint32_t)strlen(dropin) : 0,
				   policy_names_groups(pol) ? 0 : CACHE_NO_GROUP_NAMES };
		uint64_t size = b->len;

		if (!b->failed) {
			memcpy(b->p + hdr, h, sizeof h);
			memcpy(b->p + hdr + 8, &size, sizeof size);
		}
	}
	if (b->failed || b->len > CACHE_MAX) {
		*why = b->failed ? "out of memory" : "the cache would exceed 1 GiB";
		return -1;
	}
	return 0;
}

/*
 * A change made in the same clock tick as the compile's look at a file
 * leaves its times unchanged, and the cache would pass for current.  So
 * the sources must be older than a tick (a second where the filesystem
 * keeps whole seconds) before they are trusted: wait that long, then check
 * that nothing moved.  Returns 0, or -1 with *why.
 */
static int sources_settled(const struct policy *pol, const char **why)
{
	long long window = 20000000, need = 0, now_ns;
	struct timespec now;
	int coarse = 1;

	for (size_t i = 0; i < pol->nsources; i++)
		if (pol->sources[i].kind != SRC_ABSENT &&
		    (pol->sources[i].mtime.tv_nsec || pol->sources[i].ctime.tv_nsec))
			coarse = 0;
	if (coarse)
		window = 1000000000;
	clock_gettime(CLOCK_REALTIME, &now);
	now_ns = now.tv_sec * 1000000000LL + now.tv_nsec;
	for (size_t i = 0; i < pol->nsources; i++) {
		const struct timespec *t[2] = { &pol->sources[i].mtime,
						&pol->sources[i].ctime };

		for (int k = 0; k < 2 && pol->sources[i].kind != SRC_ABSENT; k++) {
			long long age = now_ns - (t[k]->tv_sec * 1000000000LL + t[k]->tv_nsec);

			if (age < window && window - age > need)
				need = window - age;
		}
	}
	if (need == 0)
		return 0;
	now.tv_sec = (time_t)(need / 1000000000LL);
	now.tv_nsec = (long)(need % 1000000000LL);
	while (nanosleep(&now, &now) < 0 && errno == EINTR)
		;
	for (size_t i = 0; i < pol->nsources; i++) {
		const struct policy_source *src = &pol->sources[i];
		struct stat st;
		int gone = lstat(src->path, &st) < 0;

		if (src->kind == SRC_ABSENT ? !gone :
		    gone || st.st_dev != src->dev || st.st_ino != src->ino ||
		    (src->kind == SRC_FILE && st.st_size != src->size) ||
		    st.st_mtim.tv_sec != src->mtime.tv_sec ||
		    st.st_mtim.tv_nsec != src->mtime.tv_nsec ||
		    st.st_ctim.tv_sec != src->ctime.tv_sec ||
		    st.st_ctim.tv_nsec != src->ctime.tv_nsec) {
			*why = "the policy changed while it was being compiled: compile again";
			return -1;
		}
	}
	return 0;
}

int policy_cache_write(const struct policy *pol, const char *main_path,
		       const char *dropin_dir, const char *cache_path,
		       const char **why)
{
	struct buf b = { NULL, 0, 0, 0 };
	char tmp[PATH_MAX];
	int fd, rc = -1;

	if (pol->cache != NULL || pol->failed) {
		*why = "only a policy read whole and valid can be compiled";
		return -1;
	}
	if (pol->uncacheable) {
		*why = "the policy includes files through a directory pattern, which a cache cannot watch";
		return -1;
	}
	if (sources_settled(pol, why) < 0 ||
	    build(pol, main_path, dropin_dir, &b, why) < 0)
		goto out;
	if ((size_t)snprintf(tmp, sizeof tmp, "%s.XXXXXX", cache_path) >= sizeof tmp) {
		*why = "the cache's name is too long";
		goto out;
	}
	if ((fd = mkstemp(tmp)) < 0) {
		*why = strerror(errno);
		goto out;
	}
	/* Complete on disk before it takes the place of the old one. */
	if (write(fd, b.p, b.len) != (ssize_t)b.len || fchmod(fd, 0644) < 0 ||
	    fsync(fd) < 0 || rename(tmp, cache_path) < 0) {
		*why = strerror(errno);
		unlink(tmp);
	} else {
		rc = 0;
	}
	close(fd);
out:
	free(b.p);
	return rc;
}

/* --- reading ------------------------------------------------------------- */

const char policy_cache_absent[] = "does not exist";

/* A string at off, len long, NUL-terminated, inside the file; or NULL. */
static const char *str_at(const struct policy_cache *c, uint32_t off,
			  uint32_t len)
{
	if ((uint64_t)off + len >= c->size || c->base[off + len] != '\0')
		return NULL;
	return (const char *)c->base + off;
}

/* Whether a file or directory is exactly as the cache recorded it. */
static int source_same(struct policy *pol, const struct policy_cache *c,
		       uint32_t i, unsigned flags)
{
	const unsigned char *p = c->base + c->sources_off + (size_t)i * SRC_LEN;
	const char *path = str_at(c, rd32(p), rd32(p + 4)), *why;
	char whypath[PATH_MAX];
	uint32_t kind = rd32(p + 8);
	struct stat st;
	int fd, same;

	if (path == NULL)
		return 0;
	if (kind == SRC_ABSENT)
		return lstat(path, &st) < 0 && errno == ENOENT;
	fd = policy_open_checked(pol, path, flags, kind == SRC_DIR, &why, whypath,
				 sizeof whypath);
	if (fd < 0)
		return 0;
	same = fstat(fd, &st) == 0 && (uint64_t)st.st_dev == rd64(p + 16) &&
	       (uint64_t)st.st_ino == rd64(p + 24) &&
	       (kind == SRC_DIR || (uint64_t)st.st_size == rd64(p + 32)) &&
	       (uint64_t)st.st_mtim.tv_sec == rd64(p + 40) &&
	       (uint64_t)st.st_mtim.tv_nsec == rd64(p + 48) &&
	       (uint64_t)st.st_ctim.tv_sec == rd64(p + 56) &&
	       (uint64_t)st.st_ctim.tv_nsec == rd64(p + 64);
	close(fd);
	return same;
}

static int same_str(const struct policy_cache *c, uint32_t off, uint32_t len,
		    const char *s)
{
	const char *v;

	if (s == NULL)
		return off == 0 && len == 0;
	v = str_at(c, off, len);
	return v != NULL && strcmp(v, s) == 0;
}

/* Maps and checks a cache.  Returns it, or NULL with *why. */
static struct policy_cache *cache_open(struct policy *pol,
				       const char *cache_path,
				       const char *main_path, const char *dropin,
				       unsigned flags, const char **why)
{
	struct policy_cache *c;
	char whypath[PATH_MAX];
	struct stat st;
	const unsigned char *h;
	int fd = policy_open_checked(pol, cache_path, flags, 0, why, whypath,
				     sizeof whypath);

	if (fd < 0) {
		if (errno == ENOENT)
			*why = policy_cache_absent;
		return NULL;
	}
	if (fstat(fd, &st) < 0 || st.st_size < (off_t)HDR_LEN ||
	    st.st_size > (off_t)CACHE_MAX || (c = calloc(1, sizeof *c)) == NULL) {
		close(fd);
		*why = "is not a policy cache";
		return NULL;
	}
	c->size = (size_t)st.st_size;
	c->base = mmap(NULL, c->size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (c->base == MAP_FAILED) {
		free(c);
		*why = strerror(errno);
		return NULL;
	}
	h = c->base;
	c->nsources = rd32(h + 16), c->sources_off = rd32(h + 20);
	c->nrules = rd32(h + 24), c->rules_off = rd32(h + 28);
	c->nslots = rd32(h + 32), c->slots_off = rd32(h + 36);
	c->flags = rd32(h + 56);
	*why = "is not a policy cache of this version";
	if (rd32(h) != CACHE_MAGIC || rd32(h + 4) != CACHE_VERSION ||
	    rd64(h + 8) != c->size || c->nslots == 0 ||
	    (c->nslots & (c->nslots - 1)) != 0 ||
	    (uint64_t)c->sources_off + (uint64_t)c->nsources * SRC_LEN > c->size ||
	    (uint64_t)c->rules_off + (uint64_t)c->nrules * RULE_LEN > c->size ||
	    (uint64_t)c->slots_off + (uint64_t)c->nslots * SLOT_LEN > c->size ||
	    c->nsources == 0)
		goto fail;
	*why = "was written for another policy";
	/* The policy itself is always the first source. */
	if (!same_str(c, rd32(c->base + c->sources_off),
		      rd32(c->base + c->sources_off + 4), main_path) ||
	    !same_str(c, rd32(h + 40), rd32(h + 44), main_path) ||
	    !same_str(c, rd32(h + 48), rd32(h + 52), dropin))
		goto fail;
	*why = "is stale: the policy changed since (run openfile-policy compile)";
	for (uint32_t i = 0; i < c->nsources; i++)
		if (!source_same(pol, c, i, flags))
			goto fail;
	return c;
fail:
	munmap(c->base, c->size);
	free(c);
	return NULL;
}

void policy_cache_close(struct policy *pol)
{
	struct policy_cache *c = pol->cache;

	if (c == NULL)
		return;
	for (size_t i = 0; i < c->nscratch; i++)
		policy_free(c->scratch[i]);
	free(c->scratch);
	munmap(c->base, c->size);
	free(c);
	pol->cache = NULL;
}

int policy_load_cached(struct policy *pol, const char *cache_path,
		       const char *path, const char *dropin_dir,
		       unsigned flags, policy_diag_fn *diag, void *ctx,
		       const char **stale)
{
	struct policy_walk w;
	int began = policy_walk_begin(pol, &w), rc = 0;

	pol->cache = cache_open(pol, cache_path, path, dropin_dir, flags, stale);
	if (pol->cache != NULL)
		*stale = NULL;
	else
		rc = policy_load(pol, path, dropin_dir, flags, diag, ctx);
	policy_walk_end(pol, began);
	return rc;
}

/* The rule indices stored under key, or NULL. */
static const unsigned char *lookup(const struct policy_cache *c,
				   const char *key, size_t len, uint32_t *n,
				   int *below)
{
	uint64_t h = hash_key(key, len);

	for (uint32_t probes = 0, i = (uint32_t)h & (c->nslots - 1);
	     probes < c->nslots; probes++, i = (i + 1) & (c->nslots - 1)) {
		const unsigned char *s = c->base + c->slots_off + (size_t)i * SLOT_LEN;
		uint64_t sh = rd64(s);
		const char *k;

		if (sh == 0)
			return NULL;
		if (sh != h || rd32(s + 12) != len ||
		    (k = str_at(c, rd32(s + 8), (uint32_t)len)) == NULL ||
		    memcmp(k, key, len) != 0)
			continue;
		*n = rd32(s + 20);
		*below |= rd32(s + 24) != 0;
		if ((uint64_t)rd32(s + 16) + (uint64_t)*n * 4 > c->size)
			return NULL;
		return c->base + rd32(s + 16);
	}
	return NULL;
}

/* Said once when the cache was written: a scan of its keys would cost as
 * much as the rules are many. */
int cache_names_groups(const struct policy *pol)
{
	return !(pol->cache->flags & CACHE_NO_GROUP_NAMES);
}

static int by_index(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

typedef char subject_key_t[300];

/* The caller's subject keys, as index_rule makes a rule's, in an array to
 * free.  NULL when out of memory. */
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

/* Parses the rules at the given indices into a new scratch policy. */
static const struct policy *parse_rules(struct policy_cache *c,
					const uint32_t *idx, size_t n)
{
	struct policy *sub = policy_new(), **ns;

	if (sub == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		const unsigned char *r = c->base + c->rules_off + (size_t)idx[i] * RULE_LEN;
		const unsigned char *s;
		const char *file, *text, *name;

		if (idx[i] >= c->nrules || rd32(r) >= c->nsources)
			goto fail;
		s = c->base + c->sources_off + (size_t)rd32(r) * SRC_LEN;
		file = str_at(c, rd32(s), rd32(s + 4));
		text = str_at(c, rd32(r + 8), rd32(r + 12));
		if (file == NULL || text == NULL ||
		    (name = policy_intern_file(sub, file)) == NULL ||
		    parse_rule_line(sub, name, rd32(r + 4), text, rd32(r + 12)) < 0)
			goto fail;
	}
	if ((ns = realloc(c->scratch, (c->nscratch + 1) * sizeof *ns)) == NULL)
		goto fail;
	c->scratch = ns;
	c->scratch[c->nscratch++] = sub;
	return sub;
fail:
	policy_free(sub);
	return NULL;
}

const struct policy *cache_candidates(const struct policy *pol,
				      const struct policy_caller *caller,
				      const char *path, int for_dir, int *below)
{
	struct policy_cache *c = pol->cache;
	struct path_comp pc[PATH_COMPS_MAX];
	char key[PATH_MAX + 301];
	size_t ncomp = path_split(path, pc, PATH_COMPS_MAX), nkeys, nidx = 0, cap = 0;
	uint32_t *idx = NULL;
	const struct policy *sub = NULL;
	subject_key_t *keys;
	int dummy = 0;

	if (strlen(path) >= PATH_MAX || ncomp == SIZE_MAX ||
	    (keys = caller_keys(caller, &nkeys)) == NULL)
		return NULL;
	for (size_t k = 0; k < nkeys; k++) {
		size_t sl = strlen(keys[k]), len;

		memcpy(key, keys[k], sl);
		key[sl] = '\n';
		len = sl + 1;
		/* "/", then "/a", "/a/b", ... up to the path itself. */
		for (size_t depth = 0; depth <= ncomp; depth++) {
			const unsigned char *list;
			uint32_t n = 0;
			int *b = for_dir && depth == ncomp ? below : &dummy;

			if (depth == 0) {
				key[len] = '/';
				list = lookup(c, key, len + 1, &n, b);
			} else {
				key[len++] = '/';
				memcpy(key + len, pc[depth - 1].s, pc[depth - 1].len);
				len += pc[depth - 1].len;
				list = lookup(c, key, len, &n, b);
			}
			if (list == NULL || n == 0)
				continue;
			if (nidx + n > cap) {
				uint32_t *ni;

				cap = (nidx + n) * 2;
				if ((ni = realloc(idx, cap * sizeof *ni)) == NULL)
					goto out;
				idx = ni;
			}
			memcpy(idx + nidx, list, (size_t)n * 4);
			nidx += n;
		}
	}
	if (nidx > 0)
		qsort(idx, nidx, sizeof *idx, by_index);
	{ /* rules in policy order, each once */
		size_t u = 0;

		for (size_t i = 0; i < nidx; i++)
			if (u == 0 || idx[u - 1] != idx[i])
				idx[u++] = idx[i];
		nidx = u;
	}
	sub = parse_rules(c, idx, nidx);
out:
	free(idx);
	free(keys);
	return sub;
}
