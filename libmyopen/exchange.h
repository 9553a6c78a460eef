/* SPDX-License-Identifier: ISC */
/* exchange.h - one request and its reply, as both of the library's
 * transports (the helper, the broker) exchange them. */
#ifndef MYOPEN_EXCHANGE_H
#define MYOPEN_EXCHANGE_H

#include <stddef.h>
#include <sys/types.h>

/* exchange_recv_reply's answers besides a descriptor and -1 (a refusal). */
#define EXCHANGE_NO_REPLY (-2) /* the peer ended before a whole reply */
#define EXCHANGE_BROKEN (-3)   /* a malformed reply, or the receive failed */

/*
 * Sends one request for path (pathlen bytes, at most PROTO_PATH_MAX) on
 * sock, with fd attached when it is not -1.  Returns 0, or -1 and sets
 * errno.
 */
int exchange_send_request(int sock, const char *path, size_t pathlen,
			  int flags, mode_t mode, int fd);

/*
 * Receives the reply to one request on sock; flags as my_recv_fd(3)'s.
 * Returns the descriptor; -1 with errno for a refusal (the reply's status
 * as my_open(3) reports it); EXCHANGE_NO_REPLY when the peer ended the
 * connection first; EXCHANGE_BROKEN with errno: EPROTO for a malformed
 * reply (a descriptor attached exactly when the status is 0, or none is
 * taken), else the receive's error.  No descriptor stays open but the one
 * returned.
 */
int exchange_recv_reply(int sock, int flags);

#endif /* MYOPEN_EXCHANGE_H */
