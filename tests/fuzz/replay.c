/* SPDX-License-Identifier: ISC */
/*
 * replay.c - runs a fuzz target over every file of its seed corpus, without
 * libFuzzer, so that make check replays each seed (and every crash that
 * became a seed).  Speaks TAP: one case per file.
 */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
	const char *srcdir = getenv("srcdir");
	char dir[4096], path[8192];
	char *names[4096];
	size_t n = 0;
	struct dirent *e;
	DIR *d;

	/* replay-NAME replays corpus/NAME. */
	const char *name = strrchr(argv[0], '-');

	if (argc != 1 || name == NULL) {
		fprintf(stderr, "usage: replay-CORPUS\n");
		return 2;
	}
	name++;
	snprintf(dir, sizeof dir, "%s/tests/fuzz/corpus/%s", srcdir ? srcdir : ".",
		 name);
	if ((d = opendir(dir)) == NULL) {
		printf("Bail out! cannot read %s\n", dir);
		return 1;
	}
	while ((e = readdir(d)) != NULL && n < sizeof names / sizeof names[0])
		if (e->d_name[0] != '.')
			names[n++] = strdup(e->d_name);
	closedir(d);
	qsort(names, n, sizeof names[0], by_name);
	for (size_t i = 0; i < n; i++) {
		FILE *f;
		unsigned char *buf;
		long len;

		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		if ((f = fopen(path, "rb")) == NULL || fseek(f, 0, SEEK_END) < 0 ||
		    (len = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) < 0 ||
		    (buf = malloc((size_t)len + 1)) == NULL ||
		    fread(buf, 1, (size_t)len, f) != (size_t)len) {
			printf("not ok %zu - %s: cannot read\n", i + 1, names[i]);
			continue;
		}
		fclose(f);
		LLVMFuzzerTestOneInput(buf, (size_t)len);
		printf("ok %zu - %s seed %s\n", i + 1, name, names[i]);
		free(buf);
		free(names[i]);
	}
	printf("1..%zu\n", n);
	return 0;
}
