/* SPDX-License-Identifier: ISC */
/*
 * textbook.c - the client half of UNIX Network Programming 15.7: socketpair,
 * fork, the child execl's the helper with the socket, the path and the mode
 * on its command line, the parent waitpid's and then receives the
 * descriptor.  The fork copies the caller's page tables, which posix_spawn,
 * as libmyopen uses it, does not.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "myopen.h"
#include "textbook.h"

int textbook_open(const char *helper, const char *path, int mode)
{
	char argsock[16], argmode[16], c;
	int sv[2], status, err = 0, fd = -1;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return -1;
	/* Formatted before the fork: a threaded caller's child may only make
	 * async-signal-safe calls until it execs. */
	snprintf(argsock, sizeof argsock, "%d", sv[1]);
	snprintf(argmode, sizeof argmode, "%d", mode);
	pid = fork();
	if (pid == 0) {
		close(sv[0]);
		execl(helper, "openfile", argsock, path, argmode, (char *)NULL);
		_exit(errno); /* the book's protocol: the status is the errno */
	}
	if (pid < 0)
		err = errno;
	close(sv[1]);
	while (err == 0 && waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			err = errno;
	/* Only a helper that exited 0 sent anything. */
	if (err == 0 && !WIFEXITED(status)) {
		err = EIO;
	} else if (err == 0 && (err = WEXITSTATUS(status)) == 0) {
		if (my_recv_fd(sv[0], &fd, &c, 1, 0) < 0)
			err = errno;
		else if (fd < 0)
			err = EPROTO;
	}
	close(sv[0]);
	if (fd < 0)
		errno = err;
	return fd;
}
