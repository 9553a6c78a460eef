/*
 * worker.c - one openfiled worker: a process per connection, forked by the
 * main process, which becomes the caller (the uid, gid and groups the
 * kernel captured at connect) with the helper's two capabilities in its
 * permitted set only, confines itself, and then serves the connection's
 * requests with the helper's own request handler (serve.c).
 *
 * It serves until the client closes, it was idle too long, or it is told
 * to retire (the policy changed, openfiled stops).  Retiring closes our
 * reading side first, so that a client's next request fails to send
 * (EPIPE: the library reconnects and sends it again, nothing was done)
 * instead of vanishing; a request that arrived before is still answered.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "openfiled.h"

/* Where the worker keeps what it was given: nothing else stays open. */
#define CONN_FD 3
#define RETIRE_FD 4

static volatile sig_atomic_t stop;

static void on_stop(int sig)
{
	(void)sig;
	stop = 1;
}

/* Signals: SIGTERM, SIGINT and SIGHUP ask us to retire, and are let in
 * only while we wait for a request; SIGALRM (a request that took longer
 * than HELPER_TIMEOUT) ends us, as it ends a helper.  The main process
 * left every other disposition at its default but SIGPIPE's, ignored:
 * a client gone makes the send fail instead. */
static void worker_signals(sigset_t *waiting)
{
	struct sigaction sa;
	sigset_t block;

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_stop;
	sigemptyset(&block);
	for (int sig = 0; sig < 3; sig++) {
		int s = sig == 0 ? SIGTERM : sig == 1 ? SIGINT : SIGHUP;

		(void)sigaction(s, &sa, NULL);
		sigaddset(&block, s);
	}
	if (sigprocmask(SIG_SETMASK, &block, NULL) < 0)
		_exit(HELPER_EXIT_SYSTEM);
	sigemptyset(waiting);
}

/* Whether the client's root directory is ours: the same directory on the
 * same mount.  Another mount namespace or a chroot names other files. */
static int same_root(int rootfd)
{
	struct statx a, b;

	return statx(rootfd, "", AT_EMPTY_PATH, STATX_INO | STATX_MNT_ID, &a) == 0 &&
	       statx(AT_FDCWD, "/", 0, STATX_INO | STATX_MNT_ID, &b) == 0 &&
	       (a.stx_mask & STATX_MNT_ID) && (b.stx_mask & STATX_MNT_ID) &&
	       a.stx_dev_major == b.stx_dev_major &&
	       a.stx_dev_minor == b.stx_dev_minor && a.stx_ino == b.stx_ino &&
	       a.stx_mnt_id == b.stx_mnt_id;
}

/* The connection's first message.  Returns 0 when the client may go on. */
static int hello(void)
{
	int rootfd = -1, status;

	alarm(HELPER_TIMEOUT);
	status = request_read_hello(CONN_FD, &rootfd);
	if (status == 0)
		status = rootfd >= 0 && same_root(rootfd) ? 0 : EXDEV;
	if (rootfd >= 0)
		close(rootfd);
	if (status >= 0)
		serve_reply(CONN_FD, status, -1);
	alarm(0);
	return status == 0 ? 0 : -1;
}

/* Whether a request (or part of one) is waiting on our connection. */
static int pending(void)
{
	char c;

	return recv(CONN_FD, &c, 1, MSG_PEEK | MSG_DONTWAIT) > 0;
}

static int serve_one(const struct request_env *env, const struct policy_caller *pc)
{
	int st;

	alarm(HELPER_TIMEOUT);
	st = serve_request(CONN_FD, env, pc, 1);
	alarm(0);
	return st;
}

/* Stops taking requests, answers those already sent, and ends. */
static void __attribute__((noreturn)) retire(const struct request_env *env,
					     const struct policy_caller *pc)
{
	(void)shutdown(CONN_FD, SHUT_RD);
	while (pending() && serve_one(env, pc) >= 0)
		;
	_exit(0);
}

void worker_run(int conn, int retire_fd, const struct peer *who,
		const struct policy *pol, int idle_timeout)
{
	struct rlimit files = { 64, 64 }, nocore = { 0, 0 };
	struct request_env env = { pol, -1, 0 };
	struct caller_id caller;
	sigset_t waiting;
	const char *why;

	/* Nothing of the main process's but the two descriptors we need;
	 * syslog's own is closed by closelog, never behind its back. */
	closelog();
	/* Above both places first, so that neither lands on the other. */
	conn = fcntl(conn, F_DUPFD_CLOEXEC, RETIRE_FD + 1);
	retire_fd = fcntl(retire_fd, F_DUPFD_CLOEXEC, RETIRE_FD + 1);
	if (conn < 0 || retire_fd < 0 || dup2(conn, CONN_FD) < 0 ||
	    dup2(retire_fd, RETIRE_FD) < 0)
		_exit(HELPER_EXIT_SYSTEM);
	fds_close_from(RETIRE_FD + 1);
	audit_reopen();
	worker_signals(&waiting);
	/* The client applied its umask to the mode it sent, as the kernel
	 * applies the helper's (the caller's) to the helper's creations. */
	umask(0);
	(void)setrlimit(RLIMIT_NOFILE, &files);
	(void)setrlimit(RLIMIT_CORE, &nocore);
	/* The caller's ids and groups as the kernel captured them. */
	if (priv_drop(who->uid, who->gid, who->ngroups, who->groups, &why) < 0) {
		audit_error("connection from uid %u: %s", (unsigned)who->uid, why);
		_exit(HELPER_EXIT_NOPRIV);
	}
	if (caller_load(&caller) < 0) {
		audit_error("cannot learn the identity of uid %u", (unsigned)who->uid);
		_exit(HELPER_EXIT_SYSTEM);
	}
	/* Landlock for the whole connection: below every place the policy
	 * could grant this caller anything. */
	if (pol != NULL && confine_paths(pol, &caller.pc, NULL) < 0) {
		audit_error("cannot confine the worker with Landlock");
		_exit(HELPER_EXIT_SYSTEM);
	}
	env.confined = 1;
	if (confine_syscalls(1) < 0) {
		audit_error("cannot install the system call filter");
		_exit(HELPER_EXIT_SYSTEM);
	}
	if (hello() < 0)
		_exit(0);
	for (;;) {
		struct pollfd p[2] = { { CONN_FD, POLLIN, 0 }, { RETIRE_FD, POLLIN, 0 } };
		/* Afresh each time: the kernel writes the time left back. */
		struct timespec idle = { idle_timeout, 0 };
		int n = ppoll(p, 2, idle_timeout > 0 ? &idle : NULL, &waiting);

		if (n < 0 && errno != EINTR)
			_exit(HELPER_EXIT_SYSTEM);
		/* Told to go, or idle for too long. */
		if (stop || n == 0 || (n > 0 && p[1].revents != 0))
			retire(&env, &caller.pc);
		if (n < 0)
			continue;
		/* Readable: a request, or the client's end of file. */
		if (serve_one(&env, &caller.pc) < 0)
			_exit(0); /* the client closed, or spoke nonsense */
	}
}
