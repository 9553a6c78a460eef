/* SPDX-License-Identifier: ISC */
/*
 * myopen.h - open files through the privileged, policy-checked helper or
 * broker.
 *
 * my_open() is a drop-in for open(2) for files the calling program may not
 * open itself.  It asks the broker openfiled(8) over one connection per
 * process when a trustworthy one runs, else it spawns the setuid helper
 * openfile(8) with posix_spawn(3) for the call; either checks the
 * administrator's policy (openfile.policy(5)) with the same code, opens the
 * file with least privilege and passes the descriptor back.  The calling
 * process never gains privilege: it receives one descriptor with the access
 * mode the policy allowed.  my_openat() is the same under a directory
 * descriptor.
 *
 * The descriptor passing underneath, my_send_fds() and my_recv_fds(), and
 * named endpoints (my_listen(), my_connect(), my_accept()) are here too,
 * for programs that pass descriptors between processes of their own.
 *
 * All functions are thread-safe, never exit and never touch signal
 * dispositions; the only global state is the broker connection, under a
 * mutex (a child after fork() makes its own).  See my_open(3).
 */
#ifndef MYOPEN_H
#define MYOPEN_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Opens path like open(2), through the broker or the helper.  flags are
 * open(2) flags;
 * when O_CREAT is given a third argument, mode_t mode, is read.  O_CLOEXEC
 * is honoured atomically.  O_NOCTTY is always in effect.
 *
 * Returns a descriptor on success, -1 and sets errno on error.  Besides the
 * errno values of open(2) (EACCES for anything the policy refuses, whether
 * or not the file exists; ENOENT only where the policy would allow it):
 *   ENOSYS  the helper is missing or cannot be executed
 *   EPERM   the helper runs without privilege (not setuid, nosuid mount,
 *           or the caller set PR_SET_NO_NEW_PRIVS)
 *   EIO     the helper (or the broker's worker) died without answering
 *   EPROTO  the helper's answer was malformed
 *   EINVAL  flags the helper does not support (O_PATH, O_TMPFILE, ...)
 */
int my_open(const char *path, int flags, ...);

/*
 * Opens path like openat(2), through the broker or the helper: a relative
 * path under the directory dirfd, or the working directory for AT_FDCWD
 * (then it is my_open()); an absolute path ignores dirfd.  The policy
 * decides on the path the directory has, as for my_open() of the whole
 * path: a directory descriptor grants nothing the policy would not.
 * Besides my_open()'s errors: EBADF (dirfd is not an open descriptor),
 * ENOTDIR (nor a directory's).
 */
int my_openat(int dirfd, const char *path, int flags, ...);

/*
 * Opens path like fopen(3) (modes r, w, a, each with optional + and the
 * glibc extensions e for close-on-exec and x for exclusive creation; b is
 * ignored), through my_open().
 *
 * Returns a stream on success, NULL and sets errno on error.
 */
FILE *my_fopen(const char *path, const char *mode);

/* The most descriptors my_send_fds() and my_recv_fds() pass in one message
 * (the kernel's SCM_MAX_FD). */
#define MY_MAX_FDS 253

/*
 * Sends len bytes of data (1 <= len) and the nfds descriptors fds[0..nfds)
 * (0 <= nfds <= MY_MAX_FDS) in one message over the connected AF_UNIX
 * stream socket sock.  Retries on EINTR, and on ENOBUFS and ENOMEM (the
 * kernel lacked buffer space) after 1, 2, 4, ... 64 ms: at most 127 ms in
 * all.  Never raises SIGPIPE.  Blocks until all bytes are sent.
 *
 * Returns 0 on success, -1 and sets errno on error (EINVAL for bad
 * arguments).
 */
int my_send_fds(int sock, const int *fds, size_t nfds, const void *data,
		size_t len);

/*
 * Receives exactly len bytes of data (1 <= len) from the connected AF_UNIX
 * stream socket sock, with at most *nfds (<= MY_MAX_FDS) descriptors
 * attached, into fds.  flags may hold MSG_CMSG_CLOEXEC.  Every control
 * message is checked: anything but SCM_RIGHTS (credentials, for one),
 * more descriptors than *nfds, a truncated control message make the call
 * fail with every received descriptor closed.  Retries on EINTR.
 *
 * On return *nfds is the number of descriptors received into fds[0..*nfds)
 * and the rest of the room holds -1.  Returns the number of bytes received:
 * len on success, less than len (and possibly 0) when the peer closed the
 * connection first, in which case no descriptor is returned.  Returns -1
 * and sets errno on error:
 *   EPROTO  unexpected control data (all descriptors closed)
 *   EMFILE  descriptors were sent but could not be received because the
 *           descriptor limit was reached
 */
ssize_t my_recv_fds(int sock, int *fds, size_t *nfds, void *data, size_t len,
		    int flags);

/* my_send_fds() with the one descriptor fd, or none when fd is -1. */
int my_send_fd(int sock, int fd, const void *data, size_t len);

/* my_recv_fds() with room for one descriptor: *fd is it, or -1 if none
 * came. */
ssize_t my_recv_fd(int sock, int *fd, void *data, size_t len, int flags);

/*
 * A named endpoint for passing descriptors between unrelated processes.
 *
 * my_listen() makes a SOCK_STREAM unix socket (close-on-exec) bound at path
 * and listening with backlog.  A socket file already there that nobody
 * listens on (connecting to it is refused) is replaced; a live one or any
 * other file is EADDRINUSE.  A path longer than a socket address holds
 * is ENAMETOOLONG.  The socket file takes the process's umask; the caller
 * removes it (unlink) when done.
 *
 * my_connect() connects a close-on-exec stream socket to the endpoint at
 * path.
 *
 * my_accept() accepts a connection on listener (close-on-exec) and, when
 * uid or gid is not NULL, stores the peer's ids as the kernel recorded them
 * when it connected (SO_PEERCRED).
 *
 * Each returns a descriptor, or -1 and sets errno.
 */
int my_listen(const char *path, int backlog);
int my_connect(const char *path);
int my_accept(int listener, uid_t *uid, gid_t *gid);

#ifdef __cplusplus
}
#endif

#endif /* MYOPEN_H */
