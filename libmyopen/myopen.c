/* SPDX-License-Identifier: ISC */
/*
 * myopen.c - the library's public entry points.  my_open() and my_fopen()
 * choose the transport: openfiled when it is there (broker.c), else a
 * helper of the call's own (helper.c); my_openat() is my_open() under a
 * directory.  my_send_fds() and my_recv_fds(), with my_send_fd() and
 * my_recv_fd() their one-descriptor case, are the public names of
 * common/fdpass.c, which the privileged side calls by its own names so as
 * not to depend on this library; the library calls them by those too, so
 * that a program defining a function of a public name cannot stand in for
 * ours.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "endpoint.h"
#include "fdpass.h"
#include "fopen-flags.h"
#include "myopen.h"
#include "protocol.h"
#include "transport.h"

/* Which transport OPENFILE_TRANSPORT asks for (see my_open(3)). */
enum transport { ANY, BROKER, HELPER };

static enum transport transport(void)
{
	const char *t = secure_getenv("OPENFILE_TRANSPORT");

	if (t != NULL && strcmp(t, "broker") == 0)
		return BROKER;
	if (t != NULL && strcmp(t, "helper") == 0)
		return HELPER;
	return ANY;
}

/* my_open's and my_openat's third argument, read only when flags say it
 * is there. */
static mode_t mode_arg(int flags, va_list ap)
{
	if ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE)
		return (mode_t)va_arg(ap, int);
	return 0;
}

/* my_openat(), which my_open() is with AT_FDCWD. */
static int open_at(int dirfd, const char *path, int flags, mode_t mode)
{
	ssize_t pathlen = path_arg(path, PROTO_PATH_MAX);
	struct stat st;
	enum transport t;
	int fd;

	if (pathlen < 0)
		return -1;
	/* As openat(2): an absolute path ignores dirfd, a relative one needs
	 * a directory.  Its search right is not asked for: the policy grants
	 * under it as under the same directory named in full. */
	if (path[0] == '/')
		dirfd = AT_FDCWD;
	if (dirfd != AT_FDCWD && fstat(dirfd, &st) < 0)
		return -1;
	if (dirfd != AT_FDCWD && !S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	/* The broker when there is a trustworthy one, else the helper; never
	 * the helper once the broker was sent the request. */
	t = transport();
	if (t != HELPER) {
		fd = broker_openat(dirfd, path, (size_t)pathlen, flags, mode,
				   t == BROKER);
		if (fd != BROKER_UNAVAILABLE || t == BROKER)
			return fd == BROKER_UNAVAILABLE ? -1 : fd;
	}
	return helper_openat(dirfd, path, (size_t)pathlen, flags, mode);
}

int my_open(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = mode_arg(flags, ap);
	va_end(ap);
	return open_at(AT_FDCWD, path, flags, mode);
}

int my_openat(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = mode_arg(flags, ap);
	va_end(ap);
	return open_at(dirfd, path, flags, mode);
}

FILE *my_fopen(const char *path, const char *mode)
{
	FILE *fp;
	int flags, fd, err;

	if (mode == NULL || (flags = fopen_flags(mode, 0)) < 0) {
		errno = EINVAL;
		return NULL;
	}
	fd = my_open(path, flags, 0666);
	if (fd < 0)
		return NULL;
	fp = fdopen(fd, mode);
	if (fp == NULL) {
		err = errno;
		close(fd);
		errno = err;
	}
	return fp;
}

/* Back-off while the kernel lacks buffer space for a message: 1, 2, 4, 8,
 * 16, 32 and 64 ms, at most 127 ms in all (my_send_fds(3)). */
#define BUSY_TRIES 7

static int busy(unsigned tries)
{
	struct timespec ts = { 0, (1L << tries) * 1000000L };

	if (tries >= BUSY_TRIES)
		return -1;
	(void)nanosleep(&ts, NULL);
	return 0;
}

int my_send_fds(int sock, const int *fds, size_t nfds, const void *data,
		size_t len)
{
	return fdpass_sendv(sock, fds, nfds, data, len, busy);
}

ssize_t my_recv_fds(int sock, int *fds, size_t *nfds, void *data, size_t len,
		    int flags)
{
	return fdpass_recvv(sock, fds, nfds, NULL, data, len, flags);
}

int my_send_fd(int sock, int fd, const void *data, size_t len)
{
	return fdpass_sendv(sock, &fd, fd >= 0, data, len, busy);
}

ssize_t my_recv_fd(int sock, int *fd, void *data, size_t len, int flags)
{
	return fdpass_recv(sock, fd, NULL, data, len, flags);
}
