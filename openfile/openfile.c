/* SPDX-License-Identifier: ISC */
/*
 * openfile - the setuid helper behind my_open(3).
 *
 * main() is the list of the security steps, in order; see openfile(8).
 * Exit status: 0 when a descriptor was sent, else the errno value sent
 * (the same in-band), or one of the HELPER_EXIT_* codes of protocol.h.
 *
 * Each module offers what its header declares.  Which uses which (each
 * only modules below it, besides common/ and policy/):
 *
 *   openfile.c      the helper: inherit, priv, caller, confine, serve,
 *                   request, audit
 *   openfiled.c     the broker's main process: worker, inherit, priv,
 *                   request, audit
 *   worker.c        a broker worker: opener, inherit, priv, caller,
 *                   confine, serve, request, audit
 *   opener.c        a worker's thread for truncating opens: confine
 *   serve.c         the one request handler: request, resolve, priv, audit
 *   resolve.c       steps 6 to 8: confine, priv, audit
 *   caller.c        who asks: audit
 *   confine.c       seccomp and Landlock: priv
 *   request.c, audit.c, inherit.c, priv.c: none
 *
 * openfile.h is no module's: the time limit and the coverage build's
 * _exit, which every part keeps to alike.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "audit.h"
#include "caller.h"
#include "compiled-policy.h"
#include "confine.h"
#include "inherit.h"
#include "openfile.h"
#include "policy.h"
#include "priv.h"
#include "protocol.h"
#include "request.h"
#include "serve.h"

#define SOCK_FD 3
/* The stack the helper's deepest frames (path buffers) fit in, with room
 * to spare; a caller's lower hard limit is refused, not crashed into. */
#define HELPER_STACK (256 * 1024)

/* A helper that cannot serve says so in-band too, for hosts that never
 * see its exit status. */
static void __attribute__((noreturn)) fail(int code)
{
	serve_reply(SOCK_FD, code, -1);
	_exit(code);
}

/* Makes fds 0, 1 and 2 exist, so that no file the helper opens can land
 * on a standard stream (open takes the lowest free one: fd, or it
 * failed), and closes every descriptor but those and the socket. */
static void fds_sanitize(void)
{
	for (int fd = 0; fd < 3; fd++)
		if (fcntl(fd, F_GETFD) < 0 &&
		    open("/dev/null", O_RDWR | O_NOCTTY) != fd)
			_exit(HELPER_EXIT_SYSTEM);
	fds_close_from(SOCK_FD + 1);
}

/* Raises a soft limit to want, within what the caller may raise. */
static void raise_limit(int resource, rlim_t want)
{
	struct rlimit rl;

	if (getrlimit(resource, &rl) == 0 && rl.rlim_cur < want) {
		rl.rlim_cur = rl.rlim_max < want ? rl.rlim_max : want;
		(void)setrlimit(resource, &rl);
	}
}

/*
 * Throws the environment away, resets every signal the caller may have
 * ignored or blocked, and sets the limits the helper relies on.
 */
static void env_sanitize(void)
{
	struct rlimit nocore = { 0, 0 };
	sigset_t none;

	if (clearenv() != 0 || setenv("PATH", "/usr/bin:/bin", 1) != 0)
		_exit(HELPER_EXIT_SYSTEM);
	if (signals_default() < 0)
		_exit(HELPER_EXIT_SYSTEM);
	sigemptyset(&none);
	if (sigprocmask(SIG_SETMASK, &none, NULL) < 0)
		_exit(HELPER_EXIT_SYSTEM);
	(void)setrlimit(RLIMIT_CORE, &nocore);
	/* No file size limit the caller set stops a record; a helper with
	 * file capabilities only may raise the soft one (at a lower hard
	 * limit SIGXFSZ ends it before it answers, as for a grant). */
	if (setrlimit(RLIMIT_FSIZE, &(struct rlimit){ RLIM_INFINITY, RLIM_INFINITY }) < 0)
		raise_limit(RLIMIT_FSIZE, RLIM_INFINITY);
	/* A few descriptors of our own, and stack for our deepest frames;
	 * limits_ok() refuses when even that is too little. */
	raise_limit(RLIMIT_NOFILE, 64);
	raise_limit(RLIMIT_STACK, HELPER_STACK);
	alarm(HELPER_TIMEOUT);
}

/* Whether fd is a connected unix stream socket. */
static int socket_ok(int fd)
{
	struct sockaddr_un peer;
	socklen_t plen = sizeof peer;

	return unix_stream_socket(fd, 0) &&
	       getpeername(fd, (struct sockaddr *)&peer, &plen) == 0;
}

static int limits_ok(void)
{
	struct rlimit stack;

	return getrlimit(RLIMIT_STACK, &stack) == 0 && stack.rlim_cur >= HELPER_STACK;
}

int main(int argc, char *argv[])
{
	struct request_env env = { NULL, -1, 0, 0, NULL, NULL };
	struct caller_id caller;
	struct ucred peer;
	const char *why;
	struct stat st;
	int status;

	/* 1: fds 0-2 exist, nothing else is inherited but the socket. */
	fds_sanitize();
	/* 2: no environment, no signal state, no locale from the caller. */
	env_sanitize();
	/* argv[0] is never printed: only told apart from the empty string
	 * that no caller but an attacker passes. */
	if (argc != 2 || argv[0][0] == '\0' || strcmp(argv[1], "3") != 0)
		_exit(HELPER_EXIT_USAGE);
	/* Diagnostics to stderr only when it is a terminal the caller owns,
	 * never to a file the caller chose. */
	audit_init("openfile", isatty(2) && fstat(2, &st) == 0 &&
				       st.st_uid == getuid(), 0);
	/* Nothing is ever written to a descriptor 3 that is not our socket. */
	if (!socket_ok(SOCK_FD)) {
		audit_error("descriptor 3 is not a connected unix stream socket");
		_exit(HELPER_EXIT_PROTOCOL);
	}
	if (!limits_ok()) {
		audit_error("the caller's stack limit is below %d KiB", HELPER_STACK / 1024);
		fail(HELPER_EXIT_SYSTEM);
	}
#ifdef OPENFILE_NSS_HELPER_PATH
	/* Static, the helper knows the names the files hold; a caller that
	 * only a name service module knows is handed to openfile-nss, the
	 * same steps linked dynamically, while an exec can still raise
	 * privilege (priv_drop sets no_new_privs). */
	if ((status = caller_load(&caller, 1)) == CALLER_NSS) {
		execv(OPENFILE_NSS_HELPER_PATH, argv);
		audit_error("cannot run %s: %s", OPENFILE_NSS_HELPER_PATH, strerror(errno));
		fail(HELPER_EXIT_SYSTEM);
	}
#endif
	/* 3: the caller's ids plus two capabilities, not effective. */
	if (priv_drop(getuid(), getgid(), 0, NULL, &why) < 0) {
		audit_error("%s", why);
		fail(HELPER_EXIT_NOPRIV);
	}
	/* The audit file, if a helper with file capabilities could not open
	 * it as its caller. */
	if (priv_raise(1) == 0)
		audit_open();
	priv_lower();
	/* 4: the compiled policy, checked; unusable means deny. */
	env.pol = policy_read();
#ifndef OPENFILE_NSS_HELPER_PATH
	/* Who asks, by name too, as the caller: the names of the
	 * supplementary groups only if a rule names a group. */
	status = caller_load(&caller, policy_names_groups(env.pol));
#endif
	if (status < 0) {
		audit_error("cannot learn the caller's identity");
		fail(HELPER_EXIT_SYSTEM);
	}
	env.client = request_peer(SOCK_FD, &peer) == 0 ? peer.pid : 0;
	/* Only the calls the rest needs, from here on. */
	if (confine_syscalls(0) < 0) {
		audit_error("cannot install the system call filter");
		fail(HELPER_EXIT_SYSTEM);
	}
	/* 5-9: the request, answered and logged; the exit status repeats
	 * the answer. */
	status = serve_request(SOCK_FD, &env, &caller.pc, 0);
	return status < 0 ? HELPER_EXIT_PROTOCOL : status;
}
