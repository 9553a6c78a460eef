/* SPDX-License-Identifier: ISC */
/*
 * endpoint.c - named endpoints: my_listen(), my_connect() and my_accept(),
 * the socket, bind, listen, accept and peer-credential steps every program
 * passing descriptors between unrelated processes needs, with the stale
 * socket question answered once.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "endpoint.h"
#include "myopen.h"

ssize_t path_arg(const char *path, size_t max)
{
	size_t len;

	if (path == NULL) {
		errno = EFAULT;
		return -1;
	}
	len = strlen(path);
	if (len == 0 || len > max) {
		errno = len == 0 ? ENOENT : ENAMETOOLONG;
		return -1;
	}
	return (ssize_t)len;
}

int endpoint_address(const char *path, struct sockaddr_un *sa)
{
	ssize_t len = path_arg(path, sizeof sa->sun_path - 1);

	if (len < 0)
		return -1;
	memset(sa, 0, sizeof *sa);
	sa->sun_family = AF_UNIX;
	memcpy(sa->sun_path, path, (size_t)len + 1);
	return 0;
}

/* Connects a new socket to sa, without waiting for room in a full backlog
 * when probing.  Returns the socket, or -1 with errno. */
static int connect_to(const struct sockaddr_un *sa, int probe)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC |
			(probe ? SOCK_NONBLOCK : 0), 0), err;

	if (fd < 0)
		return -1;
	/* A unix socket's connect interrupted before it was accepted into
	 * the backlog is not in progress: it can be made again. */
	while (connect(fd, (const struct sockaddr *)sa, sizeof *sa) < 0) {
		if (errno == EINTR)
			continue;
		err = errno;
		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

/*
 * Removes the socket file at sa if nobody listens on it: the kernel
 * refuses a connection to a socket file no socket is bound to any more.
 * Anything else stays: a live endpoint (the probe connects, or finds its
 * backlog full), a file that is not a socket, one we may not connect to.
 * Returns 0 when it is gone, or -1 with errno EADDRINUSE (or lstat's).
 */
static int remove_stale(const struct sockaddr_un *sa)
{
	struct stat before, after;
	int fd;

	if (lstat(sa->sun_path, &before) < 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISSOCK(before.st_mode)) {
		errno = EADDRINUSE;
		return -1;
	}
	fd = connect_to(sa, 1);
	if (fd >= 0)
		close(fd);
	if (fd >= 0 || errno != ECONNREFUSED) {
		errno = EADDRINUSE;
		return -1;
	}
	/* Still the socket we found dead, not one bound since. */
	if (lstat(sa->sun_path, &after) < 0 || after.st_dev != before.st_dev ||
	    after.st_ino != before.st_ino || unlink(sa->sun_path) < 0) {
		errno = EADDRINUSE;
		return -1;
	}
	return 0;
}

int my_listen(const char *path, int backlog)
{
	struct sockaddr_un sa;
	int fd, err;

	if (endpoint_address(path, &sa) < 0)
		return -1;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	/* Once more after a stale socket is removed, and no more: a
	 * second EADDRINUSE means someone else is binding there now. */
	for (int tries = 0;; tries++) {
		if (bind(fd, (const struct sockaddr *)&sa, sizeof sa) == 0)
			break;
		if (errno != EADDRINUSE || tries > 0 || remove_stale(&sa) < 0)
			goto fail;
	}
	if (listen(fd, backlog) < 0) {
		err = errno;
		(void)unlink(sa.sun_path); /* ours: bound just now */
		errno = err;
		goto fail;
	}
	return fd;
fail:
	err = errno;
	close(fd);
	errno = err;
	return -1;
}

int my_connect(const char *path)
{
	struct sockaddr_un sa;

	if (endpoint_address(path, &sa) < 0)
		return -1;
	return connect_to(&sa, 0);
}

int my_accept(int listener, uid_t *uid, gid_t *gid)
{
	struct ucred peer;
	socklen_t len = sizeof peer;
	int fd, err;

	do
		fd = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
	while (fd < 0 && (errno == EINTR || errno == ECONNABORTED));
	if (fd < 0 || (uid == NULL && gid == NULL))
		return fd;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &peer, &len) < 0 ||
	    len != sizeof peer) {
		err = len != sizeof peer ? EPROTO : errno;
		close(fd);
		errno = err;
		return -1;
	}
	if (uid != NULL)
		*uid = peer.uid;
	if (gid != NULL)
		*gid = peer.gid;
	return fd;
}
