/* SPDX-License-Identifier: ISC */
/*
 * fdpass.c - passing descriptors with a few bytes over an AF_UNIX stream
 * socket, checking every field of what arrives.  Under names of its own:
 * the helper and openfiled call these, and libmyopen's public
 * my_send_fds() and my_recv_fds() (and their one-descriptor case,
 * my_send_fd() and my_recv_fd()) are thin entry points to them, so that
 * the privileged side never depends on the client library and the checks
 * live here only.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fdpass.h"

/* Room for one descriptor more than the receiver takes, so that a peer
 * sending a few too many is told apart from a receiver that hit its
 * descriptor limit, and a peer sending many more has the kernel drop them
 * unopened. */
union fdpass_cmsg {
	struct cmsghdr hdr;
	char buf[CMSG_SPACE(sizeof(int) * (FDPASS_MAX_FDS + 1)) +
		 CMSG_SPACE(sizeof(struct ucred))];
};

int fdpass_sendv(int sock, const int *fds, size_t nfds, const void *data,
		 size_t len, int (*busy)(unsigned tries))
{
	union fdpass_cmsg cm;
	struct iovec iov;
	struct msghdr msg;
	const char *p = data;
	unsigned tries = 0;

	if (data == NULL || len == 0 || nfds > FDPASS_MAX_FDS ||
	    (fds == NULL && nfds > 0)) {
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
		if (nfds > 0) {
			memset(&cm, 0, sizeof cm);
			msg.msg_control = cm.buf;
			msg.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
			cm.hdr.cmsg_level = SOL_SOCKET;
			cm.hdr.cmsg_type = SCM_RIGHTS;
			cm.hdr.cmsg_len = CMSG_LEN(sizeof(int) * nfds);
			memcpy(CMSG_DATA(&cm.hdr), fds, sizeof(int) * nfds);
		}
		n = sendmsg(sock, &msg, MSG_NOSIGNAL);
		if (n < 0) {
			/* Nothing went: the same part again. */
			if (errno == EINTR || (busy != NULL &&
			    (errno == ENOBUFS || errno == ENOMEM) && busy(tries++) == 0))
				continue;
			return -1;
		}
		/* The descriptors went with the first byte sent. */
		nfds = 0;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * Collects the descriptors of one received message into fds (at most room
 * in all, *nfds so far) and, when cred is not NULL, its credentials into
 * *cred (FDPASS_NO_SENDER when none came), and checks that nothing else
 * came.  Descriptors beyond room are closed.
 * Returns 0, or -1 with errno EPROTO for any other control message or a
 * descriptor too many.
 */
static int collect(struct msghdr *msg, int *fds, size_t room, size_t *nfds,
		   struct ucred *cred)
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
			if (*nfds < room) {
				fds[(*nfds)++] = fd;
			} else {
				close(fd); /* more than we take: never keep it */
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

ssize_t fdpass_recvv(int sock, int *fds, size_t *nfds, struct ucred *from,
		     void *data, size_t len, int flags)
{
	size_t room, got = 0;
	int err = 0;

	if (nfds == NULL || (room = *nfds) > FDPASS_MAX_FDS ||
	    (fds == NULL && room > 0) || data == NULL || len == 0 ||
	    (flags & ~MSG_CMSG_CLOEXEC) != 0) {
		errno = EINVAL;
		return -1;
	}
	*nfds = 0;
	for (size_t i = 0; i < room; i++)
		fds[i] = -1;
	if (from != NULL)
		*from = FDPASS_NO_SENDER;
	while (got < len) {
		union fdpass_cmsg cm;
		struct iovec iov = { (char *)data + got, len - got };
		struct msghdr msg;
		struct ucred part;
		size_t before = *nfds;
		ssize_t n;

		memset(&msg, 0, sizeof msg);
		msg.msg_iov = &iov;
		msg.msg_iovlen = 1;
		msg.msg_control = cm.buf;
		msg.msg_controllen = CMSG_SPACE(sizeof(int) * (room + 1)) +
				     CMSG_SPACE(sizeof(struct ucred));
		n = recvmsg(sock, &msg, flags);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			err = errno;
			break;
		}
		if (collect(&msg, fds, room, nfds, from != NULL ? &part : NULL) < 0) {
			err = EPROTO;
			break;
		}
		if (msg.msg_flags & MSG_CTRUNC) {
			/* Nothing installed: the kernel dropped the descriptors
			 * because our limit was reached.  Some installed: the
			 * peer sent more than we make room for. */
			err = *nfds == before ? EMFILE : EPROTO;
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
	/* A short message carries no answer. */
	for (; (err != 0 || got < len) && *nfds > 0; --*nfds) {
		close(fds[*nfds - 1]);
		fds[*nfds - 1] = -1;
	}
	if (err != 0) {
		errno = err;
		return -1;
	}
	return (ssize_t)got;
}
