/* SPDX-License-Identifier: ISC */
/*
 * bench-open - times my_open()+close() of one path, n times, and prints
 * each time in nanoseconds, one a line, for bench/ scripts to summarise.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "myopen.h"
#include "clock.h"

int main(int argc, char **argv)
{
	int n;

	if (argc != 3 || (n = atoi(argv[2])) <= 0) {
		fprintf(stderr, "usage: bench-open PATH N\n");
		return 2;
	}
	for (int i = 0; i < n; i++) {
		long long t0 = now_ns();
		int fd = my_open(argv[1], O_RDONLY | O_CLOEXEC);

		if (fd < 0) {
			fprintf(stderr, "bench-open: %s: %s\n", argv[1], strerror(errno));
			return 1;
		}
		close(fd);
		printf("%lld\n", now_ns() - t0);
	}
	return 0;
}
