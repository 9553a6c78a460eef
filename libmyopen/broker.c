/* SPDX-License-Identifier: ISC */
/*
 * broker.c - my_open() through openfiled: one connection per process, made
 * at the first call and kept.
 *
 * The broker knows us by the credentials the kernel captured at connect,
 * so the connection is only used by the process that made it and while
 * its uid, gid and groups are still those: after fork() the child
 * reconnects, and so does a process that changed its ids.  The socket is
 * trusted only when it is root's, in a directory only root may write, and
 * the process listening on it was root (SO_PEERCRED).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "endpoint.h"
#include "exchange.h"
#include "fdpass.h"
#include "protocol.h"
#include "socket-path.h"
#include "spin.h"
#include "transport.h"
#include "umask-of.h"


/* After a failed connect, the helper serves for this long before we try
 * again: no broker should not cost every call a connect. */
#define RETRY_NS 1000000000LL
/* A broker whose backlog has no room for us within CONNECT_MS (it does not
 * accept: stuck, or flooded by someone), or that does not greet us within
 * GREETING_MS of accepting us, is not used, and was sent no request.  Its
 * main process greets as it accepts, so the greeting waits only for the
 * connections ahead of ours. */
#define CONNECT_MS 100
#define GREETING_MS 1000
/* Groups checked without allocating. */
#define SMALL_GROUPS 64

struct ids {
	uid_t uid;
	gid_t gid;
	size_t ngroups;
	gid_t *groups; /* small, or allocated */
	gid_t small[SMALL_GROUPS];
};

/* Error-checking, made so by setup(): see lock_connection(). */
static pthread_mutex_t lock;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static struct {
	int fd;             /* the connection, or -1 */
	pid_t pid;          /* the process that made it */
	dev_t dev;          /* the socket, to notice a descriptor the */
	ino_t ino;          /* program closed and reused */
	uid_t uid;
	gid_t gid;
	size_t ngroups;
	gid_t *groups;      /* small, or allocated */
	gid_t small[SMALL_GROUPS];
	long long failed;   /* when connecting last failed, or 0 */
	int hello_due;      /* the hello's reply is still to be read */
	struct spin spin;   /* how we wait for the broker */
} conn = { .fd = -1 };

/* Our ids now.  Returns 0, or -1 when real and effective ids differ: the
 * broker would see the effective ones, the helper sees the real ones, and
 * only the helper's answer is the one my_open(3) documents. */
static int ids_now(struct ids *id)
{
	uid_t r, e, s;
	gid_t rg, eg, sg;
	int n;

	if (getresuid(&r, &e, &s) < 0 || getresgid(&rg, &eg, &sg) < 0 ||
	    r != e || rg != eg) {
		errno = EPERM;
		return -1;
	}
	id->uid = r;
	id->gid = rg;
	id->groups = id->small;
	n = getgroups(SMALL_GROUPS, id->small);
	if (n < 0 && errno == EINVAL) {
		n = getgroups(0, NULL);
		id->groups = n < 0 ? NULL : malloc(((size_t)n + 1) * sizeof(gid_t));
		if (id->groups == NULL)
			return -1;
		n = getgroups(n, id->groups);
	}
	if (n < 0) {
		if (id->groups != id->small)
			free(id->groups);
		return -1;
	}
	id->ngroups = (size_t)n;
	return 0;
}

static void ids_free(struct ids *id)
{
	if (id->groups != id->small)
		free(id->groups);
}

static int ids_same(const struct ids *id)
{
	return conn.uid == id->uid && conn.gid == id->gid &&
	       conn.ngroups == id->ngroups &&
	       memcmp(conn.groups, id->groups, id->ngroups * sizeof(gid_t)) == 0;
}

/* Waits until fd has something for us (or an error, or end of file:
 * whoever reads next finds out), at most timeout_ms (-1: no limit).
 * Returns 0, or -1 with errno (ETIMEDOUT). */
static int await(int fd, int timeout_ms)
{
	struct pollfd p = { fd, POLLIN, 0 };
	long long end = now_ns() + timeout_ms * 1000000LL;

	for (;;) {
		long long left = end - now_ns();
		struct timespec ts = { left / 1000000000LL, left % 1000000000LL };
		int r;

		if (timeout_ms >= 0 && left <= 0) {
			errno = ETIMEDOUT;
			return -1;
		}
		/* Without a limit, ts is never read. */
		r = spin_wait(&conn.spin, &p, 1, timeout_ms < 0 ? NULL : &ts, NULL);
		if (r > 0)
			return 0;
		if (r < 0 && errno != EINTR)
			return -1;
	}
}

/* Whether conn.fd is still the socket we connected. */
static int still_ours(void)
{
	struct stat st;

	return fstat(conn.fd, &st) == 0 && S_ISSOCK(st.st_mode) &&
	       st.st_dev == conn.dev && st.st_ino == conn.ino;
}

/* Drops the connection; closes the descriptor only if it is still ours. */
static void forget(int close_it)
{
	if (conn.fd >= 0 && close_it && still_ours())
		close(conn.fd);
	conn.fd = -1;
	if (conn.groups != conn.small)
		free(conn.groups);
	conn.groups = NULL;
}

static void lock_init(void)
{
	pthread_mutexattr_t a;

	(void)pthread_mutexattr_init(&a);
	(void)pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ERRORCHECK);
	(void)pthread_mutex_init(&lock, &a);
	(void)pthread_mutexattr_destroy(&a);
}

/* Takes the lock.  A thread that finds it held by itself was jumped out of
 * an earlier call (a signal handler's siglongjmp, which my_open(3) warns
 * against): that call left the connection in a state no one knows, so it
 * is dropped, instead of waiting for ever on the thread's own lock. */
static void lock_connection(void)
{
	if (pthread_mutex_lock(&lock) == EDEADLK)
		forget(1);
}

/* fork(): the child must not share the parent's connection (it would get
 * the parent's answers), nor find the lock held by a thread it lacks. */
static void before_fork(void)
{
	lock_connection();
}

static void after_fork_parent(void)
{
	pthread_mutex_unlock(&lock);
}

static void after_fork_child(void)
{
	lock_init();
	forget(1);
	conn.failed = 0;
}

static void setup(void)
{
	lock_init();
	(void)pthread_atfork(before_fork, after_fork_parent, after_fork_child);
}

/* Whether the broker's directory and socket are root's: anything else was
 * not made by openfiled (the peer check after connect is what proves it). */
static int socket_trusted(void)
{
	struct stat d, s;

	if (lstat(OPENFILE_SOCKET_DIR, &d) < 0 || lstat(OPENFILE_SOCKET_PATH, &s) < 0)
		return -1; /* errno: no broker */
	if (!S_ISDIR(d.st_mode) || d.st_uid != 0 || (d.st_mode & 022) != 0 ||
	    !S_ISSOCK(s.st_mode) || s.st_uid != 0) {
		errno = EPERM;
		return -1;
	}
	return 0;
}

/* Reads a message of exactly len bytes, which carries no descriptor.
 * Returns 0, or -1 with errno: ECONNREFUSED when the broker ended the
 * connection instead (it turned us away). */
static int recv_plain(int fd, unsigned char *buf, size_t len)
{
	int got = -1;
	ssize_t n = fdpass_recv(fd, &got, NULL, buf, len, MSG_CMSG_CLOEXEC);

	if (got >= 0) {
		close(got);
		errno = EPROTO;
		return -1;
	}
	if (n != (ssize_t)len) {
		errno = n < 0 && errno != ECONNRESET ? errno : ECONNREFUSED;
		return -1;
	}
	return 0;
}

/* The hello: our root directory goes along, so that a broker in another
 * mount namespace refuses us (EXDEV) rather than open its own files under
 * our names.  Then the main process's greeting, for which we wait a
 * bounded time: once greeted, a worker answers within the broker's own
 * limits, so our request may follow before the hello's reply. */
static int hello(int fd)
{
	unsigned char msg[PROTO_HELLO_LEN];
	int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);

	proto_hello_encode(msg, PROTO_HELLO_MAGIC);
	if (root < 0 || fdpass_send(fd, root, msg, sizeof msg) < 0) {
		if (root >= 0)
			close(root);
		return -1;
	}
	close(root);
	if (await(fd, GREETING_MS) < 0 || recv_plain(fd, msg, sizeof msg) < 0)
		return -1;
	return proto_hello_check(msg, PROTO_GREETING_MAGIC);
}

/* The hello's reply, after our first request was sent.  The worker reads
 * no request before it answered 0, so any other end means that request
 * was not served: the helper may serve it.  Returns 0 or -1 with errno. */
static int hello_reply(int fd)
{
	unsigned char rep[PROTO_REPLY_LEN];
	int status;

	if (await(fd, -1) < 0 || recv_plain(fd, rep, sizeof rep) < 0 ||
	    proto_reply_decode(rep, &status) < 0)
		return -1;
	if (status != 0) {
		errno = proto_status_errno(status);
		return -1;
	}
	return 0;
}

/* Connects fd to sa, waiting at most CONNECT_MS for room in the
 * listener's backlog: a send timeout bounds a unix socket's connect.
 * Returns 0, or -1 with errno (ETIMEDOUT). */
static int connect_bounded(int fd, const struct sockaddr_un *sa)
{
	static const struct timeval forever = { 0, 0 };
	long long end = now_ns() + CONNECT_MS * 1000000LL;

	for (;;) {
		long long left_us = (end - now_ns()) / 1000;
		struct timeval tv = { left_us / 1000000, left_us % 1000000 };

		/* Past the deadline (a timeout of 0 would be none at all). */
		if (left_us <= 0) {
			errno = ETIMEDOUT;
			return -1;
		}
		if (setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv) < 0)
			return -1;
		if (connect(fd, (const struct sockaddr *)sa, sizeof *sa) == 0)
			break;
		if (errno == EAGAIN) {
			errno = ETIMEDOUT;
			return -1;
		}
		if (errno != EINTR)
			return -1;
	}
	/* Requests are sent as long as they take: a send cut short would
	 * leave half a request, which the helper must not serve again. */
	return setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &forever, sizeof forever);
}

/* Connects, checks who listens, says hello and is greeted.  Returns 0 or
 * -1 with errno. */
static int connect_broker(const struct ids *id)
{
	struct sockaddr_un sa;
	struct ucred peer;
	socklen_t len = sizeof peer;
	struct stat st;
	int fd, err;

	if (socket_trusted() < 0)
		return -1;
	spin_init(&conn.spin, spin_us_setting(secure_getenv("OPENFILE_SPIN")), 0);
	if (endpoint_address(OPENFILE_SOCKET_PATH, &sa) < 0)
		return -1;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect_bounded(fd, &sa) < 0)
		goto fail;
	/* Whoever listens was root when it did: only root's openfiled. */
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &peer, &len) < 0)
		goto fail;
	if (len != sizeof peer || peer.uid != 0) {
		errno = EPERM;
		goto fail;
	}
	if (hello(fd) < 0 || fstat(fd, &st) < 0)
		goto fail;
	/* No allocation for the usual few groups: a small program's first
	 * malloc sets up its whole heap. */
	conn.groups = id->ngroups <= SMALL_GROUPS ? conn.small :
		      malloc(id->ngroups * sizeof(gid_t));
	if (conn.groups == NULL)
		goto fail;
	memcpy(conn.groups, id->groups, id->ngroups * sizeof(gid_t));
	conn.ngroups = id->ngroups;
	conn.uid = id->uid;
	conn.gid = id->gid;
	conn.dev = st.st_dev;
	conn.ino = st.st_ino;
	conn.pid = getpid();
	conn.fd = fd;
	conn.failed = 0;
	conn.hello_due = 1;
	return 0;
fail:
	err = errno;
	close(fd);
	errno = err;
	return -1;
}

/* Sends the request on our connection, connecting first when there is
 * none.  A connection the broker ended while we were idle (its worker
 * retired: the policy changed, or it restarted) refuses the send, so
 * nothing was done: connect again and send it again.  Returns 0, or
 * BROKER_UNAVAILABLE with errno. */
static int send_on_connection(const struct ids *id, const char *path,
			      size_t pathlen, int flags, mode_t mode, int cwd,
			      int retry_soon)
{
	for (int attempt = 0; attempt < 2; attempt++) {
		if (conn.fd < 0) {
			if (!retry_soon && conn.failed != 0 &&
			    now_ns() - conn.failed < RETRY_NS) {
				errno = ECONNREFUSED;
				return BROKER_UNAVAILABLE;
			}
			if (connect_broker(id) < 0) {
				conn.failed = now_ns();
				return BROKER_UNAVAILABLE;
			}
		}
		if (exchange_send_request(conn.fd, path, pathlen, flags, mode,
					  cwd) == 0)
			return 0;
		forget(1);
		if (errno != EPIPE && errno != ECONNRESET)
			break;
	}
	return BROKER_UNAVAILABLE;
}

/* The process's umask, which the broker cannot see (the helper inherits
 * it), else the strictest. */
static mode_t current_umask(void)
{
	int u = umask_of("/proc/self/status");

	return u < 0 ? 077 : (mode_t)u;
}

static int ask(const struct ids *id, int dirfd, const char *path,
	       size_t pathlen, int flags, mode_t mode, int retry_soon)
{
	int cwd = -1, fd, r, err;

	if (conn.fd >= 0 && (conn.pid != getpid() || !ids_same(id) || !still_ours()))
		forget(conn.pid == getpid());
	/* A relative path goes with its directory, my_openat's or our
	 * working directory: through /proc even where we may not search it,
	 * as the helper would stand in it.  openfiled resolves either as it
	 * would a path from its own lookup of the directory's name. */
	if (path[0] != '/' && dirfd == AT_FDCWD &&
	    (cwd = open("/proc/self/cwd", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0 &&
	    (cwd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		return BROKER_UNAVAILABLE;
	if (flags & O_CREAT)
		mode &= ~current_umask();
	r = send_on_connection(id, path, pathlen, flags & ~O_CLOEXEC, mode,
			       cwd >= 0 || path[0] == '/' ? cwd : dirfd, retry_soon);
	if (cwd >= 0)
		close(cwd);
	if (r < 0)
		return r;
	if (conn.hello_due) {
		if (hello_reply(conn.fd) < 0) {
			err = errno;
			forget(1);
			conn.failed = now_ns();
			errno = err;
			return BROKER_UNAVAILABLE;
		}
		conn.hello_due = 0;
	}
	(void)await(conn.fd, -1);
	fd = exchange_recv_reply(conn.fd,
				 (flags & O_CLOEXEC) ? MSG_CMSG_CLOEXEC : 0);
	/* An answer, or no room for its descriptor: the kernel dropped it
	 * with the whole answer read, so the connection is still in step. */
	if (fd >= -1 || (fd == EXCHANGE_BROKEN && errno == EMFILE))
		return fd >= 0 ? fd : -1;
	/* The worker died mid-request (EIO, as a helper that died), or the
	 * stream is out of step: never use it again. */
	err = fd == EXCHANGE_NO_REPLY ? EIO : errno;
	forget(1);
	errno = err;
	return -1;
}

int broker_openat(int dirfd, const char *path, size_t pathlen, int flags,
		  mode_t mode, int retry_soon)
{
	struct ids id;
	int r, err;

	(void)pthread_once(&once, setup);
	if (ids_now(&id) < 0)
		return BROKER_UNAVAILABLE;
	lock_connection();
	r = ask(&id, dirfd, path, pathlen, flags, mode, retry_soon);
	err = errno;
	pthread_mutex_unlock(&lock);
	ids_free(&id);
	errno = err;
	return r;
}
