/* SPDX-License-Identifier: ISC */
/*
 * image.h - the compiled policy as the engine holds it: the image (mapped
 * or in memory) and its tables, whose bounds image_check checked once.
 * What lies inside the tables (a string's offset, a rule's index) is
 * checked where it is read.
 */
#ifndef OPENFILE_POLICY_IMAGE_H
#define OPENFILE_POLICY_IMAGE_H

#include <stddef.h>

#include "format.h"
#include "policy.h"

struct policy {
	const unsigned char *base;
	size_t size;
	int mapped; /* else malloc'd */
	struct img_header h;
	const struct img_source *sources;
	const struct img_slot *slots;
	const struct img_rule *rules;
	const uint32_t *lists;
};

/* Checks the header, the tables' bounds and the sources.  Returns 0, or
 * -1 with why. */
int image_check(struct policy *pol, char *why, size_t whylen);

/* The string at off, or NULL when off lies outside the image. */
static inline const char *image_str(const struct policy *pol, uint32_t off)
{
	return off < pol->size ? (const char *)pol->base + off : NULL;
}

#endif /* OPENFILE_POLICY_IMAGE_H */
