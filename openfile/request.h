/* SPDX-License-Identifier: ISC */
/* request.h - step 5: the socket, and one bounded request read from it. */
#ifndef OPENFILE_REQUEST_H
#define OPENFILE_REQUEST_H

#include <sys/socket.h>
#include <sys/types.h>

#include "protocol.h"

/* Whether fd is an AF_UNIX stream socket, listening or not as asked. */
int unix_stream_socket(int fd, int listening);
/* The process at the other end of fd, as it was when it connected or made
 * the pair (SO_PEERCRED), into *uc.  Returns 0 or -1. */
int request_peer(int fd, struct ucred *uc);
/* Reads one request.  Returns 0, an errno value for a request that gets an
 * answer, -1 for a malformed one (no answer), or -2 when the client closed
 * the connection before sending anything.  A descriptor sent with
 * it goes to *cwdfd when cwdfd is not NULL (and *cwdfd was -1); any other
 * is closed.  With from (a socket with SO_PASSCRED), the whole request's
 * sender goes to *from (fdpass_recv), FDPASS_NO_SENDER when no one
 * process sent all of it. */
int request_read(int sock, struct proto_request *req, int *cwdfd,
		 struct ucred *from);
#ifdef OPENFILE_BROKER
/* Reads openfiled's hello, the client's root directory into *rootfd, and
 * its sender into *from.  Returns 0, EPROTO for a wrong one, or -1 when
 * there was none. */
int request_read_hello(int sock, int *rootfd, struct ucred *from);
/* Whether a message read with its sender from may be answered for sender:
 * sent by one process whose uid and gid were sender's when it sent it. */
int request_sender_ok(const struct ucred *from, const struct ucred *sender);
#endif

#endif /* OPENFILE_REQUEST_H */
