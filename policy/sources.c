/* SPDX-License-Identifier: ISC */
/*
 * sources.c - what a compiled policy was compiled from, for openfiled to
 * watch: a change there makes it stale.
 */
#include "config.h"

#include <string.h>

#include "image.h"

/* Whether dir is a directory strictly above path. */
static int above(const char *dir, const char *path)
{
	size_t n = strlen(dir);

	if (n == 1)
		return dir[0] == '/' && path[0] == '/' && path[1] != '\0';
	return strncmp(dir, path, n) == 0 && path[n] == '/';
}

int path_leads_to(const char *path, const char *target)
{
	return strcmp(target, path) == 0 || above(path, target);
}

int policy_reads(const struct policy *pol, const char *path)
{
	for (uint32_t i = 0; i < pol->h.nsources; i++) {
		const char *s = policy_source_at(pol, i);
		size_t n = strlen(s);

		if (path_leads_to(path, s))
			return 1;
		if (pol->sources[i].kind != SRC_FILE && above(s, path) &&
		    strchr(path + n + (n > 1), '/') == NULL)
			return 1;
	}
	return 0;
}
