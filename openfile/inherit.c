/* SPDX-License-Identifier: ISC */
/*
 * inherit.c - descriptors and signal dispositions a process inherits,
 * undone: the helper's (its caller's: openfile.c undoes the rest too),
 * openfiled's (whatever started it), a worker's (its main process's).
 */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "inherit.h"
#include "ksig.h"
#include "openfile.h"
#include "protocol.h"

#ifndef HAVE_CLOSE_RANGE
static int close_range(unsigned first, unsigned last, int flags)
{
	return (int)syscall(SYS_close_range, first, last, flags);
}
#endif

void fds_close_from(int first)
{
	if (close_range((unsigned)first, ~0u, 0) < 0) {
		/* Old kernels: fall back to closing one by one. */
		struct rlimit rl;

		if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
			_exit(HELPER_EXIT_SYSTEM);
		for (rlim_t fd = (rlim_t)first; fd < rl.rlim_cur && fd < 65536; fd++)
			close((int)fd);
	}
}

/* A signal glibc's sigaction refuses (its own two): SIG_IGN, which the
 * caller may have set with the system call, is undone; a handler there is
 * glibc's own and stays. */
static int kernel_default(int sig)
{
	struct ksigaction old, dfl;

	memset(&dfl, 0, sizeof dfl);
	if (ksig_action(sig, NULL, &old) < 0)
		return -1;
	return old.handler == SIG_IGN ? ksig_action(sig, &dfl, NULL) : 0;
}

int signals_default(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	for (int sig = 1; sig < NSIG; sig++)
		if (sigaction(sig, &sa, NULL) < 0 && sig != SIGKILL &&
		    sig != SIGSTOP && kernel_default(sig) < 0)
			return -1;
	return 0;
}
