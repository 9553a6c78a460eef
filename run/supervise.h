/* SPDX-License-Identifier: ISC */
/* supervise.h - run a command under a seccomp filter whose open, openat
 * and creat calls this process answers (openfile-run --mode seccomp).
 * doc/seccomp-mode.md says how, what it leaves out and what it costs. */
#ifndef SUPERVISE_H
#define SUPERVISE_H
#include <sys/types.h>

/* Whether the running kernel has what supervise_run needs
 * (SECCOMP_RET_USER_NOTIF with SECCOMP_ADDFD_FLAG_SEND, Linux 5.14) on an
 * architecture this file knows.  Asks the kernel itself, in a short-lived
 * child (a fork): 1 or 0. */
int supervise_supported(void);

/* How an open the kernel refused is asked again: my_open() in
 * openfile-run, a stand-in in tests.  path is absolute; flags are the
 * command's with O_CLOEXEC added (the descriptor is the supervisor's
 * until it is handed over); mode is the command's, and the process umask
 * is the command's during the call.  Returns a descriptor, or -1 and
 * errno. */
typedef int (*supervise_open_fn)(const char *path, int flags, mode_t mode);

/* Runs argv (argv[0] looked up on PATH as execvp(3) does) in a child
 * under the filter and answers its open, openat and creat calls (and its
 * descendants') through open_fn until it ends.  Returns its wait status
 * (as waitpid(2) gives it), or -1 and errno when it could not be started
 * (the command did not run): EINVAL for no argv[0] or no open_fn;
 * execvp's errno (ENOENT: not found); or that of setting up the filter
 * (ENOSYS, EINVAL: not supported; EBUSY: this process already runs under
 * a filter with a listener).
 *
 * While it runs it sets handlers for SIGINT, SIGTERM, SIGHUP, SIGQUIT
 * and SIGCHLD, which it blocks but while it waits, and forwards the
 * first four to the command (those a process sent; a terminal's reach
 * the command itself); other threads should block them.  It makes this
 * process a child subreaper and reaps every child that ends: the caller
 * has no other children then.  One call at a time; it restores all of
 * that before it returns. */
int supervise_run(char *const argv[], supervise_open_fn open_fn);
#endif
