/* SPDX-License-Identifier: ISC */
/* fdpass.h - descriptors with a few bytes over an AF_UNIX stream socket,
 * for both sides; not part of the library's interface (its my_send_fds(3)
 * and my_recv_fds(3) are these). */
#ifndef OPENFILE_FDPASS_H
#define OPENFILE_FDPASS_H

#include <stddef.h>
#include <sys/socket.h>
#include <sys/types.h>

/* No one sender: pid 0 is never a process's, -1 never a user's. */
#define FDPASS_NO_SENDER ((struct ucred){ 0, (uid_t)-1, (gid_t)-1 })

/* The most descriptors one message carries: the kernel's SCM_MAX_FD. */
#define FDPASS_MAX_FDS 253

/*
 * my_send_fds(3).  When sendmsg fails for want of buffer space (ENOBUFS,
 * ENOMEM) and busy is not NULL, busy(tries) is called with 0, 1, ... and
 * the part is sent again if it returns 0.  Returns 0, or -1 and sets
 * errno.
 */
int fdpass_sendv(int sock, const int *fds, size_t nfds, const void *data,
		 size_t len, int (*busy)(unsigned tries));

/* fdpass_sendv's one descriptor (none when fd is -1), never waiting. */
static inline int fdpass_send(int sock, int fd, const void *data, size_t len)
{
	return fdpass_sendv(sock, &fd, fd >= 0, data, len, NULL);
}

/*
 * my_recv_fds(3), which is this with from NULL; with from, on a socket with
 * SO_PASSCRED, also takes the SCM_CREDENTIALS the kernel attaches to every
 * part of a message: *from gets the pid, uid and gid of the process that
 * sent it, as they were when it sent it, or FDPASS_NO_SENDER when a part
 * came without credentials or parts came from different processes or
 * ids.  Returns as my_recv_fds.
 */
ssize_t fdpass_recvv(int sock, int *fds, size_t *nfds, struct ucred *from,
		     void *data, size_t len, int flags);

/* fdpass_recvv with room for one descriptor: my_recv_fd(3) with from. */
static inline ssize_t fdpass_recv(int sock, int *fd, struct ucred *from,
				  void *data, size_t len, int flags)
{
	size_t n = 1;

	return fdpass_recvv(sock, fd, &n, from, data, len, flags);
}

#endif /* OPENFILE_FDPASS_H */
