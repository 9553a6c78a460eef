/* SPDX-License-Identifier: ISC */
/*
 * from-image.c - the engine's policy from an image compiled in memory, as
 * openfile-policy decides with it: the same reader and decisions as the
 * helper's, without the file and its freshness.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "image.h"

struct policy *policy_from_image(void *image, size_t len, char *why,
				 size_t whylen)
{
	struct policy *pol = calloc(1, sizeof *pol);

	if (pol == NULL) {
		free(image);
		snprintf(why, whylen, "out of memory");
		return NULL;
	}
	pol->base = image;
	pol->size = len;
	if (image_check(pol, why, whylen) < 0) {
		policy_free(pol);
		return NULL;
	}
	return pol;
}
