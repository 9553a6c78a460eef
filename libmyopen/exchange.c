/* SPDX-License-Identifier: ISC */
/*
 * exchange.c - the request and its reply, the same over both transports:
 * the helper on a socketpair (helper.c) and openfiled on a connection
 * (broker.c).  Here once, so that a request is sent by fd passing's one
 * send loop and a reply is judged by one check, whichever way it came;
 * each transport keeps only what differs (waiting, and what a missing
 * reply means).
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "exchange.h"
#include "fdpass.h"
#include "protocol.h"

int exchange_send_request(int sock, const char *path, size_t pathlen,
			  int flags, mode_t mode, int fd)
{
	unsigned char msg[PROTO_REQ_HDR + PROTO_PATH_MAX];

	if (pathlen > PROTO_PATH_MAX) {
		errno = ENAMETOOLONG;
		return -1;
	}
	proto_request_header(msg, (uint32_t)flags, (uint32_t)mode,
			     (uint32_t)pathlen);
	memcpy(msg + PROTO_REQ_HDR, path, pathlen);
	return fdpass_send(sock, fd, msg, PROTO_REQ_HDR + pathlen);
}

int exchange_recv_reply(int sock, int flags)
{
	unsigned char rep[PROTO_REPLY_LEN];
	int fd = -1, status;
	ssize_t n = fdpass_recv(sock, &fd, NULL, rep, sizeof rep, flags);

	/* A peer that ends before reading the request resets the
	 * connection: that too is no reply. */
	if (n < 0 && errno != ECONNRESET)
		return EXCHANGE_BROKEN;
	if (n < (ssize_t)sizeof rep)
		return EXCHANGE_NO_REPLY;
	if (proto_reply_decode(rep, &status) < 0 || (status == 0) != (fd >= 0)) {
		if (fd >= 0)
			close(fd);
		errno = EPROTO;
		return EXCHANGE_BROKEN;
	}
	if (status != 0) {
		errno = proto_status_errno(status);
		return -1;
	}
	return fd;
}
