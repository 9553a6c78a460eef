/* SPDX-License-Identifier: ISC */
/*
 * fdpass.c - passing one descriptor with a few bytes over an AF_UNIX stream
 * socket, checking every field of what arrives.  Under names of its own:
 * the helper and openfiled call these, and libmyopen's public my_send_fd()
 * and my_recv_fd() are thin entry points to them, so that the privileged
 * side never depends on the client library and the checks live here only.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fdpass.h"

/* Room for more descriptors than we accept, so that a peer sending a few
 * too many is told apart from a receiver that hit its descriptor limit. */
#define FDPASS_MAX_FDS 16

union fdpass_cmsg {
	struct cmsghdr hdr;
	char buf[CMSG_SPACE(sizeof(int) * FDPASS_MAX_FDS) +
		 CMSG_SPACE(sizeof(struct ucred))];
};

int fdpass_send(int sock, int fd, const void *data, size_t len)
{
	union fdpass_cmsg cm;
	struct iovec iov;
	struct msghdr msg;
	const char *p = data;

	if (data == NULL || len == 0) {
		errno = EINVAL;
		return -1;
	}
	while (len > 0) {
		ssize_t n;

		memset(&msg, 0, sizeof msg);
		iov.iov_base = (void *)p;
		iov.iov_len = len;
		msg.msg_iov = &iov;
		msg.msg_iovlen = 1;
		if (fd >= 0) {
			memset(&cm, 0, sizeof cm);
			msg.msg_control = cm.buf;
			msg.msg_controllen = CMSG_SPACE(sizeof(int));
			cm.hdr.cmsg_level = SOL_SOCKET;
			cm.hdr.cmsg_type = SCM_RIGHTS;
			cm.hdr.cmsg_len = CMSG_LEN(sizeof(int));
			memcpy(CMSG_DATA(&cm.hdr), &fd, sizeof fd);
		}
		n = sendmsg(sock, &msg, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		/* The descriptor went with the first byte sent. */
		fd = -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static void close_all(int *fds, size_t n)
{
	for (size_t i = 0; i < n; i++)
		close(fds[i]);
}

/*
 * Collects the descriptors of one received message into fds (at most
 * FDPASS_MAX_FDS in all) and, when cred is not NULL, its credentials into
 * *cred (FDPASS_NO_SENDER when none came), and checks that nothing else
 * came.
 * Returns 0, or -1 with errno EPROTO for any other control message.
 */
static int collect(struct msghdr *msg, int *fds, size_t *nfds, struct ucred *cred)
{
	int bad = 0, creds = 0;

	for (struct cmsghdr *c = CMSG_FIRSTHDR(msg); c != NULL;
	     c = CMSG_NXTHDR(msg, c)) {
		size_t n;

		if (cred != NULL && c->cmsg_level == SOL_SOCKET &&
		    c->cmsg_type == SCM_CREDENTIALS) {
			/* The kernel gives one, whole, to a socket with
			 * SO_PASSCRED. */
			if (creds++ > 0 || c->cmsg_len != CMSG_LEN(sizeof *cred))
				bad = 1;
			else
				memcpy(cred, CMSG_DATA(c), sizeof *cred);
			continue;
		}
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS ||
		    c->cmsg_len < CMSG_LEN(0)) {
			bad = 1;
			continue;
		}
		n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < n; i++) {
			int fd;

			memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof fd);
			if (*nfds < FDPASS_MAX_FDS) {
				fds[(*nfds)++] = fd;
			} else {
				close(fd); /* more than we track: never keep it */
				bad = 1;
			}
		}
	}
	if (cred != NULL && creds == 0)
		*cred = FDPASS_NO_SENDER;
	if (bad) {
		errno = EPROTO;
		return -1;
	}
	return 0;
}

ssize_t fdpass_recv(int sock, int *fd, struct ucred *from, void *data,
		    size_t len, int flags)
{
	int fds[FDPASS_MAX_FDS];
	size_t nfds = 0, got = 0;
	int err = 0;

	if (fd == NULL || data == NULL || len == 0 ||
	    (flags & ~MSG_CMSG_CLOEXEC) != 0) {
		errno = EINVAL;
		return -1;
	}
	*fd = -1;
	if (from != NULL)
		*from = FDPASS_NO_SENDER;
	while (got < len) {
		union fdpass_cmsg cm;
		struct iovec iov = { (char *)data + got, len - got };
		struct msghdr msg;
		struct ucred part;
		size_t before = nfds;
		ssize_t n;

		memset(&msg, 0, sizeof msg);
		msg.msg_iov = &iov;
		msg.msg_iovlen = 1;
		msg.msg_control = cm.buf;
		msg.msg_controllen = sizeof cm.buf;
		n = recvmsg(sock, &msg, flags);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			err = errno;
			break;
		}
		if (collect(&msg, fds, &nfds, from != NULL ? &part : NULL) < 0) {
			err = EPROTO;
			break;
		}
		if (msg.msg_flags & MSG_CTRUNC) {
			/* Nothing installed: the kernel dropped the descriptor
			 * because our limit was reached.  Some installed: the
			 * peer sent more than we make room for. */
			err = nfds == before ? EMFILE : EPROTO;
			break;
		}
		if (n == 0)
			break;
		/* One receive never joins parts of different senders; a
		 * message whose parts differ has none. */
		if (from != NULL && got == 0)
			*from = part;
		else if (from != NULL && memcmp(&part, from, sizeof part) != 0)
			*from = FDPASS_NO_SENDER;
		got += (size_t)n;
	}
	if (err == 0 && nfds > 1)
		err = EPROTO;
	if (err != 0) {
		close_all(fds, nfds);
		errno = err;
		return -1;
	}
	if (nfds == 1) {
		if (got < len)
			close(fds[0]); /* a short message carries no answer */
		else
			*fd = fds[0];
	}
	return (ssize_t)got;
}
