/*
 * request.c - step 5: check that the descriptor we were given is a
 * connected AF_UNIX stream socket, then read one bounded request from it.
 */
#include "config.h"

#include <errno.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "openfile.h"

int request_socket_ok(int fd)
{
	struct sockaddr_un peer;
	socklen_t plen = sizeof peer;
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
	if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &v, &len) < 0 || v != 0)
		return 0;
	return getpeername(fd, (struct sockaddr *)&peer, &plen) == 0;
}

/* Reads exactly len bytes.  Control data (descriptors the client sent) is
 * never received: the kernel discards it.  Returns 0 or -1. */
static int read_exact(int fd, void *buf, size_t len)
{
	char *p = buf;

	while (len > 0) {
		ssize_t n = read(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int request_read(int sock, struct proto_request *req)
{
	unsigned char hdr[PROTO_REQ_HDR];
	char path[PROTO_PATH_MAX];
	long len;

	if (read_exact(sock, hdr, sizeof hdr) < 0)
		return -1;
	len = proto_request_check(hdr, req);
	if (len < 0)
		return errno == EPROTO ? -1 : errno;
	if (read_exact(sock, path, (size_t)len) < 0)
		return -1;
	if (proto_request_path(req, path, (size_t)len) < 0)
		return errno;
	return 0;
}
