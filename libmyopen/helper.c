/* SPDX-License-Identifier: ISC */
/*
 * helper.c - my_open()'s request through a helper of its own: spawn the
 * setuid helper on a socketpair, send the request, receive the
 * descriptor, reap the helper.  Its own file beside broker.c, the other
 * transport: what the two share (the request and the reply) is
 * exchange.c, and my_open() (myopen.c) chooses between them.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exchange.h"
#include "protocol.h"
#include "transport.h"

#ifndef OPENFILE_HELPER_PATH
#error "OPENFILE_HELPER_PATH must be defined by the build"
#endif

/* The helper finds its end of the socketpair here (argv[1] says so too). */
#define HELPER_FD 3

/*
 * Starts the helper in the directory dirfd (AT_FDCWD: ours) with sock on
 * HELPER_FD, an empty environment, every signal at its default disposition
 * and none blocked, so that nothing the host program set up reaches it.
 * The helper resets them too, as it must for any caller; asking for every
 * default here is still the cheapest spawn: without it, glibc's child
 * reads each disposition to find the handled ones (122 system calls
 * against 64 with glibc 2.36).  Returns 0 and sets *pid, or an errno.
 */
static int spawn_helper(int sock, int dirfd, pid_t *pid)
{
	static char arg0[] = "openfile", arg1[] = "3";
	char *const argv[] = { arg0, arg1, NULL };
	static char *const envp[] = { NULL };
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none, all;
	int err;

	sigemptyset(&none);
	sigfillset(&all);
	if ((err = posix_spawnattr_init(&attr)) != 0)
		return err;
	if ((err = posix_spawn_file_actions_init(&fa)) != 0)
		goto out_attr;
	if ((err = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK |
					    POSIX_SPAWN_SETSIGDEF)) != 0 ||
	    (err = posix_spawnattr_setsigmask(&attr, &none)) != 0 ||
	    (err = posix_spawnattr_setsigdefault(&attr, &all)) != 0 ||
	    (err = posix_spawn_file_actions_adddup2(&fa, sock, HELPER_FD)) != 0 ||
	    (dirfd != AT_FDCWD &&
	     (err = posix_spawn_file_actions_addfchdir_np(&fa, dirfd)) != 0))
		goto out_fa;
	err = posix_spawn(pid, OPENFILE_HELPER_PATH, &fa, &attr, argv, envp);
out_fa:
	posix_spawn_file_actions_destroy(&fa);
out_attr:
	posix_spawnattr_destroy(&attr);
	return err;
}

/*
 * Reaps our own child and no other.  With a pidfd, a pid reused after the
 * host reaped ours cannot make us reap one of its children.  Returns the
 * helper's exit code, or -1 when it was killed or someone else reaped it
 * (SIGCHLD ignored, or a handler calling waitpid(-1)).
 */
static int reap(pid_t pid, int pidfd)
{
	siginfo_t si;
	int status;

	for (;;) {
		if (pidfd >= 0) {
			memset(&si, 0, sizeof si);
			if (waitid(P_PIDFD, (id_t)pidfd, &si, WEXITED) == 0)
				return si.si_code == CLD_EXITED ? si.si_status : -1;
		} else if (waitpid(pid, &status, 0) == pid) {
			return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
		}
		if (errno != EINTR)
			return -1;
	}
}

/* The errno for a helper that ended (exit code, or -1) without an answer. */
static int exit_errno(int code)
{
	if (code == -1)
		return EIO;
	if (code == 0)
		return EPROTO; /* success without a descriptor */
	return proto_status_errno(code);
}

/*
 * Waits until the helper answered or ended.  The socket alone cannot tell:
 * a child another thread forked in the meantime may hold the helper's end
 * open.  Returns 1 if there is something to read.
 */
static int await_helper(int sock, int pidfd)
{
	struct pollfd p[2] = { { sock, POLLIN, 0 }, { pidfd, POLLIN, 0 } };

	if (pidfd < 0)
		return 1; /* no pidfd: read, the end of the socket tells */
	for (;;) {
		if (poll(p, 2, -1) > 0)
			/* An answer is queued before the helper exits, so it
			 * shows here whenever the helper sent one. */
			return (p[0].revents & (POLLIN | POLLHUP | POLLERR)) != 0;
		if (errno != EINTR)
			return 1;
	}
}

/*
 * Reads the helper's answer.  The in-band record decides whenever it
 * arrived whole; the exit status only explains a helper that ended without
 * one.  Reaps the helper.  Returns the descriptor, or -1 and sets errno.
 */
static int receive_answer(int sock, pid_t pid, int pidfd, int cloexec)
{
	int fd = EXCHANGE_NO_REPLY, err, code;

	if (await_helper(sock, pidfd))
		fd = exchange_recv_reply(sock, cloexec ? MSG_CMSG_CLOEXEC : 0);
	err = errno;
	code = reap(pid, pidfd);
	if (fd >= 0)
		return fd;
	errno = fd == EXCHANGE_NO_REPLY ? exit_errno(code) : err;
	return -1;
}

/*
 * path under the directory dirfd, by the kernel's name for the directory,
 * into buf (size bytes).  For a directory the caller may look up but not
 * search, where the helper cannot be made to stand (fchdir(2) needs the
 * search right): the helper then resolves the whole path, and the policy
 * decides, as for my_open(3) of that path.  Returns its length, or -1 and
 * sets errno.
 */
static ssize_t path_under(int dirfd, const char *path, char *buf, size_t size)
{
	char proc[32];
	ssize_t n;

	snprintf(proc, sizeof proc, "/proc/self/fd/%d", dirfd);
	n = readlink(proc, buf, size);
	if (n <= 0 || buf[0] != '/') {
		errno = n < 0 ? errno : ENOENT;
		return -1;
	}
	if ((size_t)n + 1 + strlen(path) >= size) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (n == 1)
		n = 0; /* "/": no "//" */
	return snprintf(buf + n, size - (size_t)n, "/%s", path) + n;
}

int helper_openat(int dirfd, const char *path, size_t pathlen, int flags,
		  mode_t mode)
{
	char whole[PROTO_PATH_MAX + 1];
	int sv[2], fd, err, pidfd;
	ssize_t n;
	pid_t pid;

	if (path[0] == '/')
		dirfd = AT_FDCWD;
	if (dirfd != AT_FDCWD &&
	    faccessat(dirfd, "", X_OK, AT_EMPTY_PATH | AT_EACCESS) < 0) {
		if ((n = path_under(dirfd, path, whole, sizeof whole)) < 0)
			return -1;
		path = whole;
		pathlen = (size_t)n;
		dirfd = AT_FDCWD;
	}

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return -1;
	/* posix_spawn's dup2 onto itself would keep close-on-exec set. */
	if (sv[1] == HELPER_FD) {
		int moved = fcntl(sv[1], F_DUPFD_CLOEXEC, HELPER_FD + 1);

		if (moved < 0)
			goto fail;
		close(sv[1]);
		sv[1] = moved;
	}
	err = spawn_helper(sv[1], dirfd, &pid);
	close(sv[1]);
	sv[1] = -1;
	if (err != 0) {
		/* posix_spawn reports exec failures of the helper itself. */
		errno = (err == ENOENT || err == EACCES || err == ENOEXEC ||
			 err == ENOTDIR || err == ELOOP) ? ENOSYS : err;
		goto fail;
	}
	/* Without a pidfd (old kernels, no descriptor to spare) the socket's
	 * end of file is the only sign of a helper that died. */
	pidfd = pidfd_open(pid, 0);
	/* A helper that refuses early closes its end: the answer explains. */
	(void)exchange_send_request(sv[0], path, pathlen, flags & ~O_CLOEXEC, mode,
				    -1);
	fd = receive_answer(sv[0], pid, pidfd, (flags & O_CLOEXEC) != 0);
	err = errno;
	if (pidfd >= 0)
		close(pidfd);
	close(sv[0]);
	errno = err;
	return fd;
fail:
	err = errno;
	close(sv[0]);
	if (sv[1] >= 0)
		close(sv[1]);
	errno = err;
	return -1;
}
