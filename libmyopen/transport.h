/* SPDX-License-Identifier: ISC */
/* transport.h - the library's two ways to the same request handler, which
 * my_open() chooses between: the setuid helper, spawned per call
 * (helper.c), and the openfiled broker, over one connection per process
 * (broker.c). */
#ifndef MYOPEN_TRANSPORT_H
#define MYOPEN_TRANSPORT_H

#include <fcntl.h>
#include <stddef.h>
#include <sys/types.h>

/* The request through a helper of its own, for path under the directory
 * dirfd when path is relative (AT_FDCWD: the working directory).  Returns
 * the descriptor, or -1 and sets errno. */
int helper_openat(int dirfd, const char *path, size_t pathlen, int flags,
		  mode_t mode);

/* broker_openat's "no broker to ask, nothing was sent": errno says why, and
 * the caller may use the helper instead. */
#define BROKER_UNAVAILABLE (-2)

/* The request through openfiled, dirfd as helper_openat's.  Returns the
 * descriptor, -1 with errno (the answer, or the connection failed once the
 * request was sent), or BROKER_UNAVAILABLE.  retry_soon: try to connect
 * even if that failed less than a second ago. */
int broker_openat(int dirfd, const char *path, size_t pathlen, int flags,
		  mode_t mode, int retry_soon);

#endif /* MYOPEN_TRANSPORT_H */
