/* SPDX-License-Identifier: ISC */
/*
 * request.c - step 5: check that the descriptor we were given is a
 * connected AF_UNIX stream socket, then read one bounded request from it.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fdpass.h"
#include "request.h"

int unix_stream_socket(int fd, int listening)
{
	int v;
	socklen_t len = sizeof v;
	struct stat st;

	if (fstat(fd, &st) < 0 || !S_ISSOCK(st.st_mode))
		return 0;
	if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &v, &len) < 0 || v != AF_UNIX)
		return 0;
	len = sizeof v;
	if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, &len) < 0 || v != SOCK_STREAM)
		return 0;
	len = sizeof v;
	return getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &v, &len) == 0 &&
	       v == (listening != 0);
}

int request_peer(int fd, struct ucred *uc)
{
	socklen_t len = sizeof *uc;

	return getsockopt(fd, SOL_SOCKET, SO_PEERCRED, uc, &len) == 0 &&
	       len == sizeof *uc ? 0 : -1;
}

/*
 * Reads exactly len bytes, and their sender into *from when from is not
 * NULL (fdpass_recv).  A descriptor the client attached is kept in *fd
 * when fd is not NULL and none was kept yet, else closed; more than one
 * at once makes the request malformed (fdpass_recv closes them all), so a
 * client can never fill our table.  Returns 0, -1, or -2 for the end of
 * the connection before any byte.
 */
static int read_exact(int sock, void *buf, size_t len, int *fd,
		      struct ucred *from)
{
	int got = -1;
	ssize_t n = fdpass_recv(sock, &got, from, buf, len, MSG_CMSG_CLOEXEC);

	if (n != (ssize_t)len) {
		if (got >= 0)
			close(got);
		return n == 0 ? -2 : -1;
	}
	if (got >= 0 && fd != NULL && *fd < 0)
		*fd = got;
	else if (got >= 0)
		close(got);
	return 0;
}

int request_read(int sock, struct proto_request *req, int *cwdfd,
		 struct ucred *from)
{
	unsigned char hdr[PROTO_REQ_HDR];
	char path[PROTO_PATH_MAX];
	struct ucred rest;
	long len;

	if ((len = read_exact(sock, hdr, sizeof hdr, cwdfd, from)) < 0)
		return (int)len;
	len = proto_request_check(hdr, req);
	if (len < 0)
		return errno == EPROTO ? -1 : errno;
	if (read_exact(sock, path, (size_t)len, cwdfd, from ? &rest : NULL) < 0)
		return -1;
	/* Begun by one process and ended by another: no one's. */
	if (from != NULL && memcmp(&rest, from, sizeof rest) != 0)
		*from = FDPASS_NO_SENDER;
	if (proto_request_path(req, path, (size_t)len) < 0)
		return errno;
	return 0;
}

#ifdef OPENFILE_BROKER
int request_read_hello(int sock, int *rootfd, struct ucred *from)
{
	unsigned char hello[PROTO_HELLO_LEN];

	if (read_exact(sock, hello, sizeof hello, rootfd, from) < 0)
		return -1;
	return proto_hello_check(hello, PROTO_HELLO_MAGIC) < 0 ? EPROTO : 0;
}

int request_sender_ok(const struct ucred *from, const struct ucred *sender)
{
	return from->pid != 0 && from->uid == sender->uid &&
	       from->gid == sender->gid;
}
#endif
