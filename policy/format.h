/*
 * format.h - the layout of the compiled policy, which openfile-policy
 * compile writes (admin/compile.c) and the engine reads (image.c).
 *
 * Host byte order, every offset from the start of the image:
 *   header   u32 magic, version; u64 size; u32 nsources, sources_off,
 *            nrules, rules_off, nslots, slots_off, flags; pad to 64
 *   source   u32 path_off, path_len, kind, pad; u64 dev, ino, size;
 *            i64 mtime_s, mtime_ns, ctime_s, ctime_ns   (the first is
 *            the policy file itself)
 *   rule     u32 file_off, file_len, line, text_off, text_len, bits,
 *            subject_id, name_off, name_len (0: no name), mode (-1:
 *            none), prefix_off, prefix_len, comps_off, ncomps
 *            bits: allow 0, subject kind 8-9, access 16-20, types 24-27
 *   comp     u32 data_off; u16 n; u8 kind; u8 pad: a literal's n bytes,
 *            or a glob's n u16 tokens (TOK_STAR, TOK_VAR + letter, byte)
 *   slot     u64 hash (0: empty); u32 key_off, key_len, list_off,
 *            list_len, below, pad   (key "SUBJECT\nPREFIX": the rules
 *            of that subject whose literal prefix is PREFIX; below: an
 *            allow rule's prefix lies deeper.  A deny naming a user or
 *            group is also under "u?" or "g?", for callers whose name is
 *            unknown.  Key "SUBJECT": all its allow rules.)
 *   lists    u32 rule indices, ascending
 *   strings  each followed by a NUL
 */
#ifndef OPENFILE_POLICY_FORMAT_H
#define OPENFILE_POLICY_FORMAT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define IMG_MAGIC 0x4350464fu /* "OFPC" */
#define IMG_VERSION 3u        /* bump if the layout above changes */
#define IMG_NO_GROUP_NAMES 1u /* flag: no rule names a group */
#define IMG_HDR_LEN 64u
#define IMG_SRC_LEN 72u
#define IMG_RULE_LEN 56u
#define IMG_COMP_LEN 8u
#define IMG_SLOT_LEN 32u
#define IMG_MAX (1u << 30)

/* What a source was: a file read, a directory a drop-in glob read, or a
 * directory such a glob names that did not exist. */
enum img_source_kind { SRC_FILE, SRC_DIR, SRC_ABSENT };

/* The hash of an index key (never 0, which marks an empty slot). */
static inline uint64_t img_hash(const char *k, size_t len)
{
	uint64_t h = 14695981039346656037ull;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)k[i]) * 1099511628211ull;
	return h | 1;
}

static inline uint32_t rd32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof v);
	return v;
}

static inline uint64_t rd64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof v);
	return v;
}

#endif /* OPENFILE_POLICY_FORMAT_H */
