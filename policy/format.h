/* SPDX-License-Identifier: ISC */
/*
 * format.h - the layout of the compiled policy, which openfile-policy
 * compile writes (admin/compile.c) and the engine reads (image.c).
 *
 * Host byte order and alignment, every offset from the start of the
 * image, in this order:
 *   header   struct img_header
 *   sources  struct img_source[nsources]: the files and directories it
 *            was compiled from, the policy file itself first
 *   slots    struct img_slot[nslots]: a hash table (linear probing, a
 *            power of two long) from a key to a list of rules
 *   rules    struct img_rule[nrules], in policy order
 *   lists    uint32_t[nlists]: each slot's rule indices, ascending
 *   strings  each followed by a NUL; the image ends with a NUL, so a
 *            string at any offset inside it ends inside it
 *
 * A slot's key is "SUBJECT\0PREFIX": the rules of that subject whose
 * literal prefix (the directories before the pattern's first wildcard)
 * is PREFIX; below: an allow rule's prefix of that subject lies deeper.
 * SUBJECT is "*", "U:UID", "u:NAME", "G:GID" or "g:NAME"; a deny naming
 * a user or group is also under "u?" or "g?", for callers whose name the
 * name service could not tell.  Key "SUBJECT" alone: all its allow rules.
 * A rule is found only under keys its subject covers, so the reader
 * never looks at its subject.
 *
 * A pattern is "/C1/C2..." ("" for "/" itself), each component "**" (any
 * number of components), or bytes where '*' is the star, '%' and a letter
 * a substitution and '\\' escapes the byte after it.
 */
#ifndef OPENFILE_POLICY_FORMAT_H
#define OPENFILE_POLICY_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#define IMG_MAGIC 0x4350464fu /* "OFPC" */
#define IMG_VERSION 4u        /* bump if the layout above changes */
#define IMG_NO_GROUP_NAMES 1u /* flag: no rule names a group */
#define IMG_MAX (1u << 30)
#define IMG_NAME_MAX 255 /* the longest user or group name a rule names */

struct img_header {
	uint32_t magic, version;
	uint64_t size; /* of the whole image */
	uint32_t flags;
	uint32_t nsources, sources, nslots, slots, nrules, rules, nlists, lists;
	uint32_t pad;
};

/* What a source was: a file read, a directory a drop-in glob read, or a
 * directory such a glob names that did not exist. */
enum img_source_kind { SRC_FILE, SRC_DIR, SRC_ABSENT };

struct img_source {
	uint64_t dev, ino, size;
	int64_t mtime_s, mtime_ns, ctime_s, ctime_ns;
	uint32_t path; /* a string */
	uint32_t kind; /* enum img_source_kind */
};

struct img_slot {
	uint64_t hash; /* img_hash of the key; 0: an empty slot */
	uint32_t key, keylen;
	uint32_t list, n; /* lists[list] to lists[list + n - 1] */
	uint32_t below, pad;
};

/* The access words and types of a rule, in bits. */
#define IMG_ALLOW 1u
#define IMG_ACCESS_SHIFT 8
#define IMG_TYPES_SHIFT 16

struct img_rule {
	uint32_t bits;
	int32_t mode;                   /* mode= (-1: none) */
	uint32_t line;
	uint32_t file, text;            /* strings: where it is written, as written */
	uint32_t prefix, pattern;       /* strings: its literal prefix, its pattern */
};

/* The hash of an index key (never 0, which marks an empty slot). */
static inline uint64_t img_hash(const char *k, size_t len)
{
	uint64_t h = 14695981039346656037ull;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)k[i]) * 1099511628211ull;
	return h | 1;
}

#endif /* OPENFILE_POLICY_FORMAT_H */
