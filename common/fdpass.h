/* SPDX-License-Identifier: ISC */
/* fdpass.h - one descriptor with a few bytes over an AF_UNIX stream
 * socket, for both sides; not part of the library's interface (its
 * my_send_fd(3) and my_recv_fd(3) are these). */
#ifndef OPENFILE_FDPASS_H
#define OPENFILE_FDPASS_H

#include <stddef.h>
#include <sys/socket.h>
#include <sys/types.h>

/* No one sender: pid 0 is never a process's, -1 never a user's. */
#define FDPASS_NO_SENDER ((struct ucred){ 0, (uid_t)-1, (gid_t)-1 })

/* my_send_fd(3).  Returns 0, or -1 and sets errno. */
int fdpass_send(int sock, int fd, const void *data, size_t len);

/*
 * my_recv_fd(3), which is this with from NULL; with from, on a socket with
 * SO_PASSCRED, also takes the SCM_CREDENTIALS the kernel attaches to every
 * part of a message: *from gets the pid, uid and gid of the process that
 * sent it, as they were when it sent it, or FDPASS_NO_SENDER when a part
 * came without credentials or parts came from different processes or
 * ids.  Returns as my_recv_fd.
 */
ssize_t fdpass_recv(int sock, int *fd, struct ucred *from, void *data,
		    size_t len, int flags);

#endif /* OPENFILE_FDPASS_H */
