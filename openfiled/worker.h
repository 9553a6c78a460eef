/* SPDX-License-Identifier: ISC */
/* worker.h - an openfiled worker, which the main process forks. */
#ifndef OPENFILE_WORKER_H
#define OPENFILE_WORKER_H

#include <stddef.h>
#include <sys/types.h>

#include "policy.h"
#include "spin.h"

/* Who connected, as the kernel captured it at connect(2). */
struct peer {
	pid_t pid;
	uid_t uid;
	gid_t gid;
	size_t ngroups;
	gid_t *groups;
};

#ifndef WORKER_REUSE /* the test build's workers retire sooner */
#define WORKER_REUSE 600
#endif

/* worker.c: becomes the caller who and serves, with pol (NULL when
 * unusable: everything is denied), the connections of who's that come
 * over main_fd, one at a time, each until its client closes it, waiting
 * for each request as spin says; it ends
 * when it waited idle_timeout seconds (0: no limit) for a request or a
 * connection, when WORKER_REUSE old at the end of a connection or while
 * waiting for one, and when the main process lets it go (closes its end
 * of main_fd).  Never returns. */
void worker_run(int main_fd, const struct peer *who,
		const struct policy *pol, int idle_timeout,
		const struct spin *spin)
	__attribute__((noreturn));

#endif /* OPENFILE_WORKER_H */
