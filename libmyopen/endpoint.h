/* SPDX-License-Identifier: ISC */
/* endpoint.h - a unix socket's address from a path, for my_listen(3) and
 * my_connect(3) and for the broker's own socket; and the check of a path
 * argument all the library's calls make. */
#ifndef MYOPEN_ENDPOINT_H
#define MYOPEN_ENDPOINT_H

#include <stddef.h>
#include <sys/types.h>
#include <sys/un.h>

/* The length of path, a caller's argument, at most max.  Returns it, or
 * -1 with errno: EFAULT (NULL), ENOENT (empty), ENAMETOOLONG. */
ssize_t path_arg(const char *path, size_t max);

/* Fills *sa for path.  Returns 0, or -1 with errno: EFAULT (NULL), ENOENT
 * (empty), ENAMETOOLONG (longer than sun_path holds with its NUL). */
int endpoint_address(const char *path, struct sockaddr_un *sa);

#endif /* MYOPEN_ENDPOINT_H */
