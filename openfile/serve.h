/* SPDX-License-Identifier: ISC */
/* serve.h - the one request handler of both transports. */
#ifndef OPENFILE_SERVE_H
#define OPENFILE_SERVE_H

#include "policy.h"
#include "resolve.h"

/* Sends a reply: status, and fd when status is 0. */
void serve_reply(int sock, int status, int fd);
/* Reads one request from sock and answers it (steps 5 to 9).  With
 * cwd_from_client, a relative path must come with the caller's working
 * directory as a descriptor.  Returns the status answered, -1 for a
 * malformed request, which gets no answer, or -2 for none at all. */
int serve_request(int sock, const struct request_env *env,
		  const struct policy_caller *caller, int cwd_from_client);

#endif /* OPENFILE_SERVE_H */
