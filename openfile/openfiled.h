/* openfiled.h - the broker's parts: its main process and its workers. */
#ifndef OPENFILE_OPENFILED_H
#define OPENFILE_OPENFILED_H

#include <sys/types.h>

#include "openfile.h"
#include "socket-path.h"


/* Who connected, as the kernel captured it at connect(2). */
struct peer {
	pid_t pid;
	uid_t uid;
	gid_t gid;
	size_t ngroups;
	gid_t *groups;
};

/* worker.c: serves the connection conn for the caller who, with pol (NULL
 * when unusable: everything is denied), until the client closes, it is
 * idle for idle_timeout seconds (0: never), or retire_fd (a pipe's
 * reading end) becomes readable or hung up.  Never returns. */
void worker_run(int conn, int retire_fd, const struct peer *who,
		const struct policy *pol, int idle_timeout)
	__attribute__((noreturn));

#endif /* OPENFILE_OPENFILED_H */
