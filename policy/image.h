/*
 * image.h - the compiled policy as the decisions read it: the rules that
 * may apply to a caller at a path, found through the index, and each rule
 * decoded where it lies, every offset checked against the image's size.
 */
#ifndef OPENFILE_POLICY_IMAGE_H
#define OPENFILE_POLICY_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "match.h"
#include "policy.h"

/* A compiled policy: the image, mapped or in memory, and its header. */
struct policy {
	unsigned char *base;
	size_t size;
	int mapped; /* else malloc'd */
	uint32_t nsources, nrules, nslots, flags;
	size_t sources_off, rules_off, slots_off;
};

/* Checks the header, the tables' bounds and the sources' names.  Returns
 * 0, or -1 with why. */
int image_check(struct policy *pol, char *why, size_t whylen);

/* Source i's record (i < nsources). */
const unsigned char *image_source(const struct policy *pol, size_t i);

/* A rule, pointing into the image. */
struct rule_view {
	int allow;
	struct policy_subject subject;
	unsigned access, types;
	int mode;
	struct policy_origin origin;
	const char *prefix; /* the literal directories its pattern starts with */
	struct pattern_view pat;
};

/*
 * The indices of the rules that may apply to caller at path, ascending
 * (policy order), into *idx (to free) and *n: only rules whose subject
 * covers the caller and whose literal prefix is path or lies above it can
 * match, so a decision on them alone is the decision on the whole policy.
 * for_dir: *below is set when an allow rule's prefix lies below path.
 * path NULL: every allow rule for caller.  Returns 0, or -1 (no memory,
 * a path too long).
 */
int image_candidates(const struct policy *pol, const struct policy_caller *caller,
		     const char *path, int for_dir, int *below, uint32_t **idx,
		     size_t *n);

/* Rule i, decoded.  Returns 0, or -1 when the image is damaged there. */
int image_rule(const struct policy *pol, uint32_t i, struct rule_view *r);

#endif /* OPENFILE_POLICY_IMAGE_H */
