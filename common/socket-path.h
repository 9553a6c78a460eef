/* SPDX-License-Identifier: ISC */
/* socket-path.h - where openfiled listens, as the build configured it;
 * the library and the broker must agree. */
#ifndef OPENFILE_SOCKET_PATH_H
#define OPENFILE_SOCKET_PATH_H

#ifndef OPENFILE_SOCKET_PATH
#error "OPENFILE_SOCKET_PATH must be defined by the build"
#endif
#ifndef OPENFILE_SOCKET_DIR
#error "OPENFILE_SOCKET_DIR must be defined by the build"
#endif

#endif /* OPENFILE_SOCKET_PATH_H */
