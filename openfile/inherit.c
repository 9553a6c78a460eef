/*
 * inherit.c - what a setuid program inherits from its caller, undone: the
 * helper's first steps make its process its own (descriptors, signals,
 * environment, limits) before anything the caller set up can matter.
 */
#include "config.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
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

/*
 * Makes fds 0, 1 and 2 exist, so that no file the helper opens can land on
 * a standard stream, and closes every descriptor but those and keep.
 */
void fds_sanitize(int keep)
{
	for (int fd = 0; fd < 3; fd++) {
		if (fcntl(fd, F_GETFD) < 0) {
			int n = open("/dev/null", O_RDWR | O_NOCTTY);

			if (n < 0)
				_exit(HELPER_EXIT_SYSTEM);
			if (n != fd) /* a lower one was free: cannot happen */
				_exit(HELPER_EXIT_SYSTEM);
		}
	}
	if (keep > 3 && close_range(3, (unsigned)keep - 1, 0) < 0)
		_exit(HELPER_EXIT_SYSTEM);
	fds_close_from(keep + 1);
}

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

/*
 * Throws the environment away, resets every signal the caller may have
 * ignored or blocked, and sets the limits the helper relies on.
 */
void env_sanitize(void)
{
	struct rlimit nocore = { 0, 0 }, files, stack;
	sigset_t none;

	if (clearenv() != 0 || setenv("PATH", "/usr/bin:/bin", 1) != 0)
		_exit(HELPER_EXIT_SYSTEM);
	if (signals_default() < 0)
		_exit(HELPER_EXIT_SYSTEM);
	sigemptyset(&none);
	if (sigprocmask(SIG_SETMASK, &none, NULL) < 0)
		_exit(HELPER_EXIT_SYSTEM);
	(void)setrlimit(RLIMIT_CORE, &nocore);
	/* A few descriptors of our own, within what the caller may raise. */
	if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < 64 &&
	    files.rlim_max > files.rlim_cur) {
		files.rlim_cur = files.rlim_max < 64 ? files.rlim_max : 64;
		(void)setrlimit(RLIMIT_NOFILE, &files);
	}
	/* Stack for our deepest frames, too, within what the caller may
	 * raise; limits_ok() refuses when even that is too little. */
	if (getrlimit(RLIMIT_STACK, &stack) == 0 && stack.rlim_cur < HELPER_STACK) {
		stack.rlim_cur = stack.rlim_max < HELPER_STACK ? stack.rlim_max : HELPER_STACK;
		(void)setrlimit(RLIMIT_STACK, &stack);
	}
	alarm(HELPER_TIMEOUT);
}

int limits_ok(void)
{
	struct rlimit stack;

	return getrlimit(RLIMIT_STACK, &stack) == 0 && stack.rlim_cur >= HELPER_STACK;
}
