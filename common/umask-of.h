/* SPDX-License-Identifier: ISC */
/*
 * umask-of.h - a process's umask, which a process that opens a file for
 * it applies as its own: the library's for the broker (which cannot see
 * it; the helper inherits it), openfile-run's supervisor for the command.
 * Read from /proc (Linux 4.7), never by setting it, which would race
 * with other threads creating files.
 */
#ifndef OPENFILE_UMASK_OF_H
#define OPENFILE_UMASK_OF_H

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The umask in status, a /proc/PID/status path, or -1. */
static inline int umask_of(const char *status)
{
	char buf[1024];
	int fd = open(status, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof buf - 1);
	const char *u;

	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	u = strstr(buf, "\nUmask:");
	return u == NULL ? -1 : (int)(strtoul(u + 7, NULL, 8) & 0777);
}

#endif /* OPENFILE_UMASK_OF_H */
