/* SPDX-License-Identifier: ISC */
/* endpoint.h - a unix socket's address from a path, for my_listen(3) and
 * my_connect(3) and for the broker's own socket. */
#ifndef MYOPEN_ENDPOINT_H
#define MYOPEN_ENDPOINT_H

#include <sys/un.h>

/* Fills *sa for path.  Returns 0, or -1 with errno: EFAULT (NULL), ENOENT
 * (empty), ENAMETOOLONG (longer than sun_path holds with its NUL). */
int endpoint_address(const char *path, struct sockaddr_un *sa);

#endif /* MYOPEN_ENDPOINT_H */
