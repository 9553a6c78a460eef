/* SPDX-License-Identifier: ISC */
/* logsink.h - the places audit records go, as the helper and openfiled
 * open them and openfile-policy check looks for them. */
#ifndef OPENFILE_LOGSINK_H
#define OPENFILE_LOGSINK_H

/* A datagram socket connected to the unix socket at path, or -1. */
int logsink_connect(const char *path);
/* The audit file at path, opened to append (created, mode 0600, when
 * create), or -1 with errno: EPERM when it is not a regular file owned by
 * root that only root may write to, whose records no one else could
 * forge; ELOOP for a symbolic link. */
int logsink_open_file(const char *path, int create);

#endif /* OPENFILE_LOGSINK_H */
