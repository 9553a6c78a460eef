/* SPDX-License-Identifier: ISC */
/*
 * compile.c - compiling a valid policy into the image the helper and
 * openfiled read (format.h): every rule parsed, with its file, line and
 * text for the record; an index by the rule's subject and the literal
 * directories its pattern starts with, so that a call costs the same with
 * 100,000 rules as with one; and the identity (device, inode, size, mtime,
 * ctime) of every file and directory the policy was read from, so that the
 * engine can tell the image is stale.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "text-int.h"

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
	uint64_t h = img_hash(key, len);
	size_t i;

	if (t->used * 2 >= t->cap) { /* grow, keeping it at most half full */
		struct table n = { calloc(t->cap ? t->cap * 2 : 16, sizeof *n.e),
				   t->cap ? t->cap * 2 : 16, 0 };

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
	if (r->subject.kind == SUBJ_ANY)
		snprintf(out, len, "*");
	else if (r->subject.name != NULL)
		snprintf(out, len, "%c:%s", r->subject.kind == SUBJ_USER ? 'u' : 'g',
			 r->subject.name);
	else
		snprintf(out, len, "%c:%u", r->subject.kind == SUBJ_USER ? 'U' : 'G',
			 (unsigned)r->subject.id);
}

/* The entry of the key "SKEY\0PREFIX", with the first pl bytes of prefix;
 * NULL when out of memory. */
static struct entry *entry_at(struct table *t, const char *skey,
			      const char *prefix, size_t pl)
{
	char key[PATH_MAX + 300];
	size_t sl = strlen(skey);

	memcpy(key, skey, sl);
	key[sl] = '\0';
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
	if (!r->allow && r->subject.name != NULL &&
	    ((e = entry_at(t, r->subject.kind == SUBJ_USER ? "u?" : "g?", prefix, pl)) == NULL ||
	     entry_add(e, i) < 0))
		return -1;
	if (!r->allow)
		return 0;
	/* All of a subject's allow rules, for the places it may be granted. */
	if ((e = table_get(t, skey, strlen(skey))) == NULL || entry_add(e, i) < 0)
		return -1;
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

/* Offsets of the strings every rule shares: the names of the files (and
 * an empty one past them). */
static int put_files(const struct policy_text *pol, struct buf *b, uint32_t *off)
{
	for (size_t i = 0; i < pol->nfiles; i++)
		off[i] = put_str(b, pol->files[i], strlen(pol->files[i]));
	off[pol->nfiles] = put_str(b, "", 0);
	return b->failed ? -1 : 0;
}

static size_t file_index(const struct policy_text *pol, const char *file)
{
	size_t i = 0;

	while (i < pol->nfiles && pol->files[i] != file)
		i++;
	return i;
}

/* A pattern as format.h says, into the file.  Returns its offset. */
static uint32_t put_pattern(struct buf *b, const struct pattern *pat)
{
	size_t at = b->len;

	for (size_t k = 0; k < pat->ncomps; k++) {
		const struct pattern_comp *c = &pat->comps[k];
		size_t n = c->kind == COMP_LITERAL ? strlen(c->lit) : c->ntok;

		put(b, "/**", c->kind == COMP_GLOBSTAR ? 3 : 1);
		for (size_t i = 0; i < n; i++) {
			int tok = c->kind == COMP_LITERAL ? (unsigned char)c->lit[i] : c->tok[i];
			int esc = tok == '*' || tok == '%' || tok == '\\';
			char out[2] = { '\\', (char)tok };

			if (tok == TOK_STAR) {
				put(b, "*", 1);
			} else if (tok >= TOK_VAR) {
				out[0] = '%';
				out[1] = (char)(tok - TOK_VAR);
				put(b, out, 2);
			} else {
				put(b, out + !esc, 1 + (size_t)esc);
			}
		}
	}
	put(b, "", 1);
	return (uint32_t)at;
}

/* Rule r's record at rec, its strings after the rest. */
static void put_rule(struct buf *b, size_t rec, const struct policy_rule *r,
		     uint32_t file_off)
{
	char prefix[PATH_MAX];
	struct img_rule v = {
		.bits = (r->allow ? IMG_ALLOW : 0) | r->access << IMG_ACCESS_SHIFT |
			r->types << IMG_TYPES_SHIFT,
		.mode = r->mode, .line = r->line, .file = file_off,
	};

	pattern_literal_prefix(&r->pat, prefix, sizeof prefix);
	v.text = put_str(b, r->text, strlen(r->text));
	v.prefix = put_str(b, prefix, strlen(prefix));
	v.pattern = put_pattern(b, &r->pat);
	if (!b->failed)
		memcpy(b->p + rec, &v, sizeof v);
}

/* Whether a rule names a group (policy_names_groups). */
static int names_groups(const struct policy_text *pol)
{
	for (size_t i = 0; i < pol->nrules; i++)
		if (pol->rules[i].subject.kind == SUBJ_GROUP &&
		    pol->rules[i].subject.name != NULL)
			return 1;
	return 0;
}

/* The index: each slot where the table has its entry (the same probing
 * from the same hash), and their lists. */
static void put_index(struct buf *b, const struct table *t, size_t slots,
		      size_t lists)
{
	uint32_t nlists = 0;

	for (size_t i = 0; i < t->cap && !b->failed; i++) {
		const struct entry *e = &t->e[i];
		struct img_slot v = { .hash = e->hash, .keylen = (uint32_t)e->keylen,
				      .list = nlists, .n = (uint32_t)e->n,
				      .below = (uint32_t)e->below };

		if (e->key == NULL)
			continue;
		v.key = put_str(b, e->key, e->keylen);
		if (b->failed)
			break;
		memcpy(b->p + slots + i * sizeof v, &v, sizeof v);
		if (e->n > 0)
			memcpy(b->p + lists + nlists * sizeof *e->idx, e->idx,
			       e->n * sizeof *e->idx);
		nlists += (uint32_t)e->n;
	}
}

static int build(const struct policy_text *pol, struct buf *b, const char **why)
{
	struct table t = { NULL, 0, 0 };
	struct img_header h = { .magic = IMG_MAGIC, .version = IMG_VERSION,
				.flags = names_groups(pol) ? 0 : IMG_NO_GROUP_NAMES };
	uint32_t *file_off = calloc(pol->nfiles + 1, sizeof *file_off);

	for (size_t i = 0; i < pol->nrules && file_off != NULL; i++)
		if (index_rule(&t, &pol->rules[i], (uint32_t)i) < 0) {
			table_free(&t);
			free(file_off);
			*why = "out of memory";
			return -1;
		}
	h.nsources = (uint32_t)pol->nsources;
	h.nslots = t.cap ? (uint32_t)t.cap : 1;
	h.nrules = (uint32_t)pol->nrules;
	for (size_t i = 0; i < t.cap; i++)
		h.nlists += (uint32_t)t.e[i].n;
	/* In this order, each table is aligned as its records need. */
	put(b, NULL, sizeof h);
	h.sources = (uint32_t)put(b, NULL, sizeof(struct img_source) * h.nsources);
	h.slots = (uint32_t)put(b, NULL, sizeof(struct img_slot) * h.nslots);
	h.rules = (uint32_t)put(b, NULL, sizeof(struct img_rule) * h.nrules);
	h.lists = (uint32_t)put(b, NULL, sizeof(uint32_t) * h.nlists);
	if (file_off == NULL || put_files(pol, b, file_off) < 0)
		b->failed = 1;
	for (size_t i = 0; i < pol->nsources && !b->failed; i++) {
		const struct policy_source *s = &pol->sources[i];
		struct img_source v = {
			s->dev, s->ino, (uint64_t)s->size, s->mtime.tv_sec, s->mtime.tv_nsec,
			s->ctime.tv_sec, s->ctime.tv_nsec, put_str(b, s->path, strlen(s->path)),
			(uint32_t)s->kind
		};

		if (!b->failed)
			memcpy(b->p + h.sources + i * sizeof v, &v, sizeof v);
	}
	for (size_t i = 0; i < pol->nrules && !b->failed; i++)
		put_rule(b, h.rules + i * sizeof(struct img_rule), &pol->rules[i],
			 file_off[file_index(pol, pol->rules[i].file)]);
	free(file_off);
	put_index(b, &t, h.slots, h.lists);
	table_free(&t);
	put(b, "", 1); /* the image ends with a NUL (format.h) */
	h.size = b->len;
	if (!b->failed)
		memcpy(b->p, &h, sizeof h);
	if (b->failed || b->len > IMG_MAX) {
		*why = b->failed ? "out of memory" : "the compiled policy would exceed 1 GiB";
		return -1;
	}
	return 0;
}

int policy_compile(const struct policy_text *pol, unsigned char **image,
		   size_t *len, const char **why)
{
	struct buf b = { NULL, 0, 0, 0 };

	if (pol->failed) {
		*why = "the policy has errors";
		return -1;
	}
	if (pol->uncacheable) {
		*why = "the policy includes files through a directory pattern, which a compiled policy cannot watch";
		return -1;
	}
	if (build(pol, &b, why) < 0) {
		free(b.p);
		return -1;
	}
	*image = b.p;
	*len = b.len;
	return 0;
}

struct policy *policy_text_compiled(const struct policy_text *pt,
				    const char **why)
{
	static char msg[256];
	unsigned char *image;
	struct policy *pol;
	size_t len;

	if (policy_compile(pt, &image, &len, why) < 0)
		return NULL;
	if ((pol = policy_from_image(image, len, msg, sizeof msg)) == NULL)
		*why = msg;
	return pol;
}

/*
 * A change made in the same clock tick as the compile's look at a file
 * leaves its times unchanged, and the cache would pass for current.  So
 * the sources must be older than a tick (a second where the filesystem
 * keeps whole seconds) before they are trusted: wait that long, then check
 * that nothing moved.  Returns 0, or -1 with *why.
 */
static int sources_settled(const struct policy_text *pol, const char **why)
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

int policy_compile_write(const struct policy_text *pol, const char *path,
			 const char **why)
{
	unsigned char *image = NULL;
	char tmp[PATH_MAX];
	size_t len;
	int fd, rc = -1;

	if (sources_settled(pol, why) < 0 ||
	    policy_compile(pol, &image, &len, why) < 0)
		return -1;
	if ((size_t)snprintf(tmp, sizeof tmp, "%s.XXXXXX", path) >= sizeof tmp) {
		*why = "the name is too long";
		goto out;
	}
	if ((fd = mkstemp(tmp)) < 0) {
		*why = strerror(errno);
		goto out;
	}
	/* Complete on disk before it takes the place of the old one. */
	if (write(fd, image, len) != (ssize_t)len || fchmod(fd, 0644) < 0 ||
	    fsync(fd) < 0 || rename(tmp, path) < 0) {
		*why = strerror(errno);
		unlink(tmp);
	} else {
		rc = 0;
	}
	close(fd);
out:
	free(image);
	return rc;
}
