/* SPDX-License-Identifier: ISC */
/*
 * mycat - cat(1) through my_open(3): concatenate files that the openfile
 * policy lets the caller read.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "myopen.h"

/* Copies fd to standard output.  Returns 0, or -1 with errno (and *rd
 * telling whether reading or writing failed). */
static int copy(int fd, int *rd)
{
	char buf[65536];

	for (;;) {
		ssize_t n = read(fd, buf, sizeof buf);

		if (n == 0)
			return 0;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			*rd = 1;
			return -1;
		}
		for (char *p = buf; n > 0;) {
			ssize_t w = write(STDOUT_FILENO, p, (size_t)n);

			if (w < 0) {
				if (errno == EINTR)
					continue;
				*rd = 0;
				return -1;
			}
			p += w;
			n -= w;
		}
	}
}

static int cat_one(const char *name)
{
	int fd, rd = 0, rc;

	if (strcmp(name, "-") == 0) {
		fd = STDIN_FILENO;
	} else if ((fd = my_open(name, O_RDONLY | O_CLOEXEC)) < 0) {
		fprintf(stderr, "mycat: %s: %s\n", name, strerror(errno));
		return 1;
	}
	rc = copy(fd, &rd);
	if (rc < 0)
		fprintf(stderr, "mycat: %s: %s\n", rd ? name : "write error",
			strerror(errno));
	if (fd != STDIN_FILENO)
		close(fd);
	return rc < 0 ? 1 : 0;
}

int main(int argc, char *argv[])
{
	int i = 1, status = 0;

	if (argc > 1 && strcmp(argv[1], "--") == 0)
		i++;
	else if (argc > 1 && argv[1][0] == '-' && argv[1][1] != '\0') {
		if (strcmp(argv[1], "--help") == 0) {
			printf("usage: mycat [FILE]...\n"
			       "Concatenate FILEs to standard output, opening each through the\n"
			       "openfile policy (see mycat(1)).  With no FILE, or FILE -, read\n"
			       "standard input.\n");
			return 0;
		}
		if (strcmp(argv[1], "--version") == 0) {
			printf("mycat (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
			return 0;
		}
		fprintf(stderr, "mycat: unknown option '%s'\nusage: mycat [FILE]...\n",
			argv[1]);
		return 2;
	}
	if (i == argc)
		return cat_one("-");
	for (; i < argc; i++)
		status |= cat_one(argv[i]);
	return status;
}
