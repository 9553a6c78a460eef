/* fdpass.h - my_recv_fd with the sender's credentials, for openfiled's
 * workers; not part of the library's interface. */
#ifndef OPENFILE_FDPASS_H
#define OPENFILE_FDPASS_H

#include <sys/socket.h>
#include <sys/types.h>

/* No one sender: pid 0 is never a process's, -1 never a user's. */
#define FDPASS_NO_SENDER ((struct ucred){ 0, (uid_t)-1, (gid_t)-1 })

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
