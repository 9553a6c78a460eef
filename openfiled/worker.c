/* SPDX-License-Identifier: ISC */
/*
 * worker.c - an openfiled worker: a process forked by the main process,
 * which becomes a caller (the uid, gid and groups the kernel captured at
 * connect) with the helper's two capabilities in its permitted set only,
 * confines itself, and then serves connections of that caller, one at a
 * time, with the helper's own request handler (serve.c).
 *
 * Connections come from the main process over a socket of the worker's
 * own (SCM_RIGHTS).  Once a connection's client has closed it, the worker
 * says so on that socket and waits for another: the main process hands it
 * only a connection of exactly the same caller.  So a program run again
 * and again finds a worker ready, with no fork and no set-up.  A worker
 * takes new connections for WORKER_REUSE seconds after it was made (the
 * names of its caller's user and groups, looked up then, are never older),
 * and ends when it waits longer than the idle timeout, when the main
 * process lets it go, or when it is told to retire.
 *
 * Retiring (the policy changed, openfiled stops) closes our reading side
 * first, so that a client's next request fails to send (EPIPE: the library
 * reconnects and sends it again, nothing was done) instead of vanishing; a
 * request that arrived before is still answered.
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
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "caller.h"
#include "clock.h"
#include "confine.h"
#include "fdpass.h"
#include "inherit.h"
#include "openfile.h"
#include "opener.h"
#include "paths.h"
#include "policy.h"
#include "priv.h"
#include "protocol.h"
#include "request.h"
#include "serve.h"
#include "spin.h"
#include "worker.h"

/* Where the worker keeps its socket to the main process: nothing else
 * stays open but the connection it serves.  The main process sends
 * nothing over it while we serve a connection (we are busy): the socket
 * is readable then only when the main process let us go (end of file). */
#define MAIN_FD 3

static volatile sig_atomic_t stop;
static int conn_fd = -1;

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
	static const int retiring[] = { SIGTERM, SIGINT, SIGHUP };
	struct sigaction sa;
	sigset_t block;

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_stop;
	sigemptyset(&block);
	for (size_t i = 0; i < sizeof retiring / sizeof retiring[0]; i++) {
		(void)sigaction(retiring[i], &sa, NULL);
		sigaddset(&block, retiring[i]);
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

/* The connection's first message, which its caller must have sent.
 * Returns 0 when the client may go on. */
static int hello(const struct ucred *sender)
{
	struct ucred from;
	int rootfd = -1, status;

	alarm(HELPER_TIMEOUT);
	status = request_read_hello(conn_fd, &rootfd, &from);
	if (status == 0 && !request_sender_ok(&from, sender))
		status = EPERM;
	if (status == 0)
		status = rootfd >= 0 && same_root(rootfd) ? 0 : EXDEV;
	if (rootfd >= 0)
		close(rootfd);
	if (status >= 0)
		serve_reply(conn_fd, status, -1);
	alarm(0);
	return status == 0 ? 0 : -1;
}

/* Whether a request (or part of one) is waiting on our connection. */
static int pending(void)
{
	char c;

	return recv(conn_fd, &c, 1, MSG_PEEK | MSG_DONTWAIT) > 0;
}

static int serve_one(const struct request_env *env, const struct policy_caller *pc)
{
	int st;

	alarm(HELPER_TIMEOUT);
	st = serve_request(conn_fd, env, pc, 1);
	alarm(0);
	return st;
}

/* Stops taking requests, answers those already sent, and ends. */
static void __attribute__((noreturn)) retire(const struct request_env *env,
					     const struct policy_caller *pc)
{
	(void)shutdown(conn_fd, SHUT_RD);
	while (pending() && serve_one(env, pc) >= 0)
		;
	_exit(0);
}

/* The next connection, which the main process sends over MAIN_FD with
 * the pid of the process that connected (into *pid).  Told to go, or idle
 * for too long, we stop taking any (shutdown: the main process's next
 * hand-over fails, and it forks a worker instead) but still serve one sent
 * before.  Returns the connection; ends when there is none. */
static int await_connection(const sigset_t *waiting, int idle_timeout, pid_t *pid)
{
	for (;;) {
		struct pollfd p = { MAIN_FD, POLLIN, 0 };
		struct timespec idle = { idle_timeout, 0 };
		int n = ppoll(&p, 1, idle_timeout > 0 ? &idle : NULL, waiting), fd = -1;
		char msg[1 + sizeof *pid];

		if (n < 0 && errno != EINTR)
			_exit(HELPER_EXIT_SYSTEM);
		if (stop || n == 0)
			(void)shutdown(MAIN_FD, SHUT_RD);
		else if (n < 0)
			continue;
		/* A pid and the connection; nothing (end of file, or after
		 * the shutdown) ends us. */
		if (fdpass_recv(MAIN_FD, &fd, NULL, msg, sizeof msg,
				MSG_CMSG_CLOEXEC) != (ssize_t)sizeof msg || fd < 0)
			_exit(0);
		memcpy(pid, msg + 1, sizeof *pid);
		return fd;
	}
}

/* Serves the connection until its client closes it, and returns then;
 * ends for anything else. */
static void serve_connection(const struct request_env *env,
			     const struct policy_caller *pc,
			     const sigset_t *waiting, int idle_timeout,
			     struct spin spin)
{
	if (hello(env->sender) < 0)
		_exit(0);
	for (;;) {
		struct pollfd p[2] = { { conn_fd, POLLIN, 0 }, { MAIN_FD, POLLIN, 0 } };
		/* Afresh each time: the kernel writes the time left back. */
		struct timespec idle = { idle_timeout, 0 };
		int n = spin_wait(&spin, p, 2, idle_timeout > 0 ? &idle : NULL,
				  waiting);

		if (n < 0 && errno != EINTR)
			_exit(HELPER_EXIT_SYSTEM);
		/* Told to go, or idle for too long. */
		if (stop || n == 0 || (n > 0 && p[1].revents != 0))
			retire(env, pc);
		if (n < 0)
			continue;
		/* Readable: a request, or the client's end of file. */
		switch (serve_one(env, pc)) {
		case -2:
			return;  /* closed between requests */
		case -1:
			_exit(0); /* spoke nonsense, or closed mid-request */
		}
	}
}

void worker_run(int main_fd, const struct peer *who,
		const struct policy *pol, int idle_timeout,
		const struct spin *spin)
{
	struct rlimit files = { 64, 64 }, nocore = { 0, 0 };
	/* Whom every message must come from: the kernel attaches its sender
	 * to each (openfiled's listening socket has SO_PASSCRED, which its
	 * connections take on from their start). */
	struct ucred sender = { who->pid, who->uid, who->gid };
	struct request_env env = { pol, -1, 0, 0, &sender, NULL };
	struct caller_id caller;
	long long made = now_ns();
	sigset_t waiting;
	const char *why;
	int split = 0;

	/* Nothing of the main process's but the descriptor we need; the
	 * log's are closed by audit_close, never behind its back. */
	audit_close();
	if (main_fd != MAIN_FD && dup2(main_fd, MAIN_FD) < 0)
		_exit(HELPER_EXIT_SYSTEM);
	fds_close_from(MAIN_FD + 1);
	audit_open();
	worker_signals(&waiting);
	/* The set-up is bounded as a request is (looking up names can hang
	 * on a network directory): the client, greeted by the main process,
	 * has sent its request and waits for our hello's reply without a
	 * limit of its own.  The first hello sets the alarm again. */
	alarm(HELPER_TIMEOUT);
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
#ifdef OPENFILE_TEST_HOOKS
	{
		struct stat hang;

		/* Test builds only: a set-up that hangs, as looking up names
		 * in a stalled network directory would. */
		if (stat(OPENFILE_POLICY_PATH "-worker-setup-hangs", &hang) == 0)
			pause();
	}
#endif
	if (caller_load(&caller, policy_names_groups(pol)) < 0) {
		audit_error("cannot learn the identity of uid %u", (unsigned)who->uid);
		_exit(HELPER_EXIT_SYSTEM);
	}
	/* Landlock for the worker's life: below every place the policy could
	 * grant this caller anything; the truncate right, there, only for the
	 * opens that must hold it, which a thread of ours makes (opener.c). */
	if (pol != NULL && (confine_paths(pol, &caller.pc, NULL, 1) < 0 ||
			    (split = opener_start()) < 0)) {
		audit_error("cannot confine the worker with Landlock");
		_exit(HELPER_EXIT_SYSTEM);
	}
	if (split)
		env.opener = opener_open;
	env.confined = 1;
	if (confine_syscalls(1) < 0) {
		audit_error("cannot install the system call filter");
		_exit(HELPER_EXIT_SYSTEM);
	}
	/* The first connection is on its way. */
	for (int wait = idle_timeout;;) {
		long long left;

		conn_fd = await_connection(&waiting, wait, &env.client);
		serve_connection(&env, &caller.pc, &waiting, idle_timeout, *spin);
		close(conn_fd);
		/* Free: the main process may hand us another connection, until
		 * we are WORKER_REUSE old. */
		left = WORKER_REUSE - (now_ns() - made) / 1000000000;
		if (stop || left <= 0 || write(MAIN_FD, "f", 1) != 1)
			_exit(0);
		wait = idle_timeout > 0 && idle_timeout < left ? idle_timeout : (int)left;
	}
}
