/* SPDX-License-Identifier: ISC */
/* resolve.h - steps 6 to 8: resolve, decide on the real object, open it. */
#ifndef OPENFILE_RESOLVE_H
#define OPENFILE_RESOLVE_H

#include <stddef.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "audit.h"
#include "policy.h"
#include "protocol.h"

/* What a request is served with: the same for both transports but for
 * where a relative path starts and when Landlock is applied. */
struct request_env {
	const struct policy *pol; /* NULL: unusable, everything is denied */
	int cwd;                  /* the caller's working directory as the
				   * client sent it, or -1: our own */
	int confined;             /* Landlock was applied for the whole
				   * connection, not per request */
	pid_t client;             /* the process that made the socket or
				   * connection (SO_PEERCRED), or 0 */
	const struct ucred *sender; /* a broker connection's caller: its
				   * requests must be sent with its uid and
				   * gid (SCM_CREDENTIALS); NULL: the helper */
	/* Makes the opens that must hold the truncate right, which this
	 * thread gave up (a worker's opener); NULL: this thread makes them. */
	int (*opener)(int (*fn)(void *), void *arg);
};

/* Returns the descriptor or -errno; fills a, and real (reallen bytes)
 * with the path the decision was made on. */
int open_request(const struct request_env *env, const struct proto_request *req,
		 struct audit_rec *a, char *real, size_t reallen);

#endif /* OPENFILE_RESOLVE_H */
