/* SPDX-License-Identifier: ISC */
/* supervise.h - run a command under a seccomp filter whose open, openat
 * and creat calls this process answers (openfile-run --mode seccomp). */
#ifndef SUPERVISE_H
#define SUPERVISE_H
#include <sys/types.h>

/* Whether the running kernel has what supervise_run needs
 * (SECCOMP_RET_USER_NOTIF with SECCOMP_ADDFD_FLAG_SEND, Linux 5.14). */
int supervise_supported(void);

/* How an open the kernel refused is asked again: my_open() in
 * openfile-run, a stand-in in tests.  Returns a descriptor, or -1 and
 * errno. */
typedef int (*supervise_open_fn)(const char *path, int flags, mode_t mode);

/* Runs argv (argv[0] looked up on PATH as execvp(3) does) in a child
 * under the filter and answers its open, openat and creat calls (and its
 * descendants') through open_fn until it ends.  Returns its wait status
 * (as waitpid(2) gives it), or -1 and errno when it could not be started
 * (the command did not run). */
int supervise_run(char *const argv[], supervise_open_fn open_fn);
#endif
