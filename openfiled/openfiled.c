/* SPDX-License-Identifier: ISC */
/*
 * openfiled - the broker behind my_open(3): the helper's requests, policy
 * and answers over a long-lived unix socket instead of a process per open.
 *
 * The main process never reads what a client sends.  It accepts, takes the
 * caller's identity from the kernel (SO_PEERCRED, SO_PEERGROUPS), and hands
 * the connection to a worker (worker.c) that became that caller and serves
 * it with the helper's request handler; so one slow, silent or hostile
 * client, or a stalled filesystem, holds only its own worker.  A worker
 * whose client went away offers itself for the same caller's next
 * connection: a program run again and again (mycat) finds its worker ready,
 * with no fork and no set-up.  Only a connection of exactly its uid, gid
 * and groups is ever handed to it.  The main process
 * reads the compiled policy, and reads it again on SIGHUP or when it or
 * anything it was compiled from changes; workers of the old policy then
 * retire and their clients reconnect.  See openfiled(8).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "clock.h"
#include "compiled-policy.h"
#include "fdpass.h"
#include "inherit.h"
#include "openfile.h"
#include "paths.h"
#include "policy.h"
#include "priv.h"
#include "protocol.h"
#include "request.h"
#include "socket-path.h"
#include "spin.h"
#include "worker.h"

/* Wait this long after a change to the policy's files before reading
 * them (an editor's rename, a package's several files), however often
 * they change meanwhile. */
#define RELOAD_QUIET_MS 200
/* Connections taken on in one turn of the main loop, at most. */
#define ACCEPT_BATCH 64

struct opts {
	int to_stderr;
	long max_conn;  /* connections served at once */
	long max_user;  /* connections served at once for one uid */
	long idle;      /* seconds a worker waits for a request; 0: for ever */
	long spares;    /* workers kept, ready, after their connection */
	struct spin spin; /* how a worker waits for the next request */
};

/* A worker, from its fork until it is reaped. */
struct worker {
	pid_t pid;
	int fd;              /* our end of its socket; -1: it is ending */
	int busy;            /* serving a connection, or was told one */
	long long made;      /* when it was forked (ms): WORKER_REUSE from then */
	unsigned long freed; /* when it last offered itself: the oldest goes */
	struct peer who;     /* whom it became; groups are ours to free */
};

static struct worker *workers;
static long nworkers, maxworkers;
/* What the main loop polls: its own three, then worker i's socket at 3 + i
 * (-1, which poll skips, for one ending). */
static struct pollfd *polled;

static void __attribute__((noreturn)) usage(int status)
{
	fprintf(status ? stderr : stdout,
		"usage: openfiled [--stderr] [--max-connections N] [--max-per-user N]\n"
		"                 [--idle-timeout SECONDS] [--spares N] [--spin MICROSECONDS]\n"
		"Serves my_open(3) requests on " OPENFILE_SOCKET_PATH ".  See openfiled(8).\n");
	exit(status);
}

static long number(const char *opt, const char *arg, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno != 0 || end == arg || *end != '\0' || v < min || v > max) {
		fprintf(stderr, "openfiled: %s: expected a number from %ld to %ld, got '%s'\n",
			opt, min, max, arg);
		exit(2);
	}
	return v;
}

static void parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "stderr", no_argument, NULL, 'e' },
		{ "max-connections", required_argument, NULL, 'c' },
		{ "max-per-user", required_argument, NULL, 'u' },
		{ "idle-timeout", required_argument, NULL, 'i' },
		{ "spares", required_argument, NULL, 's' },
		{ "spin", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	long spin_us = SPIN_DEFAULT_US;
	int c;

	*o = (struct opts){ .max_conn = 1024, .max_user = 128, .idle = 300, .spares = 16 };
	while ((c = getopt_long(argc, argv, "ec:u:i:s:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'e':
			o->to_stderr = 1;
			break;
		case 'c':
			o->max_conn = number("--max-connections", optarg, 1, 65536);
			break;
		case 'u':
			o->max_user = number("--max-per-user", optarg, 1, 65536);
			break;
		case 'i':
			o->idle = number("--idle-timeout", optarg, 0, 86400);
			break;
		case 's':
			o->spares = number("--spares", optarg, 0, 1024);
			break;
		case 'p':
			spin_us = number("--spin", optarg, 0, SPIN_MAX_US);
			break;
		case 'h':
			usage(0);
		case 'V':
			printf("openfiled %s\n", PACKAGE_VERSION);
			exit(0);
		default:
			usage(2);
		}
	}
	if (optind != argc) {
		fprintf(stderr, "openfiled: unexpected argument '%s'\n", argv[optind]);
		usage(2);
	}
	/* Our CPUs are the workers'. */
	spin_init(&o->spin, spin_us, 1);
}

/* Every connection takes SO_PASSCRED from the listening socket as it is
 * made, so the kernel attaches the sender's credentials to every byte a
 * client sends, its first included: a worker answers each request as its
 * sender is then (worker.c). */
static int pass_credentials(int lfd)
{
	int on = 1;

	return setsockopt(lfd, SOL_SOCKET, SO_PASSCRED, &on, sizeof on);
}

/* The socket systemd passed (LISTEN_FDS, one socket on fd 3), -1 when it
 * passed none, or exits when it passed something else. */
static int inherited_socket(void)
{
	const char *pid = getenv("LISTEN_PID"), *fds = getenv("LISTEN_FDS");
	int fd = 3;

	if (pid == NULL || fds == NULL || strtol(pid, NULL, 10) != (long)getpid())
		return -1;
	unsetenv("LISTEN_PID");
	unsetenv("LISTEN_FDS");
	unsetenv("LISTEN_FDNAMES");
	if (strcmp(fds, "1") != 0 || !unix_stream_socket(fd, 1)) {
		audit_error("socket activation: expected one listening unix stream socket on descriptor 3 (LISTEN_FDS=%s)",
			    fds);
		exit(1);
	}
	if (fcntl(fd, F_SETFD, FD_CLOEXEC) < 0 ||
	    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) < 0 ||
	    pass_credentials(fd) < 0)
		exit(1);
	return fd;
}

/* Creates the socket's directory (root's, 0755) as far as it is missing,
 * and checks that it is root's and writable by root alone. */
static int socket_dir(void)
{
	char path[] = OPENFILE_SOCKET_DIR;
	struct stat st;
	int fd;

	for (char *p = path + 1; ; p++) {
		if (*p == '/' || *p == '\0') {
			char c = *p;

			*p = '\0';
			if (mkdir(path, 0755) < 0 && errno != EEXIST) {
				audit_error("cannot create %s: %s", path, strerror(errno));
				exit(1);
			}
			*p = c;
			if (c == '\0')
				break;
		}
	}
	fd = open(OPENFILE_SOCKET_DIR, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0 || st.st_uid != 0 ||
	    (st.st_mode & 022) != 0) {
		audit_error("%s must be a directory owned by root and writable by root alone",
			    OPENFILE_SOCKET_DIR);
		exit(1);
	}
	return fd;
}

/* Our own listening socket, with a lock that keeps a second openfiled off
 * it.  Sets *ino to the socket's inode, to remove only ours at the end. */
static int own_socket(ino_t *ino)
{
	struct sockaddr_un sa;
	struct stat st;
	int dfd = socket_dir(), lock, fd;
	mode_t old;

	lock = openat(dfd, "openfiled.lock", O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (lock < 0 || flock(lock, LOCK_EX | LOCK_NB) < 0) {
		audit_error("%s/openfiled.lock: %s", OPENFILE_SOCKET_DIR,
			    errno == EWOULDBLOCK ? "another openfiled is running" : strerror(errno));
		exit(1);
	}
	close(dfd);
	_Static_assert(sizeof OPENFILE_SOCKET_PATH <= sizeof sa.sun_path,
		       "the socket's path is too long for a unix socket (configure --runstatedir)");
	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, OPENFILE_SOCKET_PATH, sizeof OPENFILE_SOCKET_PATH);
	/* A socket left by an openfiled that ended without removing it. */
	if (unlink(OPENFILE_SOCKET_PATH) < 0 && errno != ENOENT) {
		audit_error("cannot remove the old %s: %s", OPENFILE_SOCKET_PATH, strerror(errno));
		exit(1);
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	/* Anyone may connect: the policy decides what they get. */
	old = umask(0111);
	if (fd < 0 || pass_credentials(fd) < 0 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 ||
	    listen(fd, SOMAXCONN) < 0 || stat(OPENFILE_SOCKET_PATH, &st) < 0) {
		audit_error("cannot listen on %s: %s", OPENFILE_SOCKET_PATH, strerror(errno));
		exit(1);
	}
	umask(old);
	*ino = st.st_ino;
	return fd; /* the lock stays open, and held, until we exit */
}

/* The caller's identity from the kernel, as it was at connect(2), which
 * is how long its groups are too: the first SO_PEERGROUPS says (ERANGE). */
static int peer_of(int conn, struct peer *who)
{
	struct ucred uc;
	socklen_t len = 0;

	memset(who, 0, sizeof *who);
	if (request_peer(conn, &uc) < 0)
		return -1;
	if ((getsockopt(conn, SOL_SOCKET, SO_PEERGROUPS, NULL, &len) < 0 && errno != ERANGE) ||
	    (who->groups = malloc(len + sizeof *who->groups)) == NULL ||
	    getsockopt(conn, SOL_SOCKET, SO_PEERGROUPS, who->groups, &len) < 0) {
		free(who->groups);
		return -1;
	}
	who->pid = uc.pid;
	who->uid = uc.uid;
	who->gid = uc.gid;
	who->ngroups = len / sizeof *who->groups;
	return 0;
}

/* A worker that is free: ready for a connection of its caller's. */
static int is_free(const struct worker *w)
{
	return w->fd >= 0 && !w->busy;
}

/* Connections being served, by everyone (uid -1) or by uid: every worker
 * but the free ones (one ending may still be answering). */
static long count_busy(uid_t uid)
{
	long n = 0;

	for (long i = 0; i < nworkers; i++)
		n += !is_free(&workers[i]) && (uid == (uid_t)-1 || workers[i].who.uid == uid);
	return n;
}

/* Says how many connections were turned away, at most every 10 s. */
static void refused(const struct peer *who, const char *why)
{
	static time_t last;
	static long count;
	time_t now = time(NULL);

	count++;
	if (now - last < 10)
		return;
	audit_notice("refused %ld connection(s), the last from uid %u pid %d: %s (clients use the helper meanwhile)",
		     count, (unsigned)who->uid, (int)who->pid, why);
	last = now;
	count = 0;
}

static int same_peer(const struct peer *a, const struct peer *b)
{
	return a->uid == b->uid && a->gid == b->gid && a->ngroups == b->ngroups &&
	       memcmp(a->groups, b->groups, a->ngroups * sizeof *a->groups) == 0;
}

/* Lets worker w go: it sees its socket end, and ends once it has no
 * connection to finish. */
static void let_go(struct worker *w)
{
	if (w->fd >= 0)
		close(w->fd);
	w->fd = -1;
}

/* Hands conn over worker socket wfd, with the pid of the process that
 * connected, for the worker's audit records.  Returns 0 or -1. */
static int send_conn(int wfd, int conn, pid_t pid)
{
	char msg[1 + sizeof pid] = { 'c' };

	memcpy(msg + 1, &pid, sizeof pid);
	return fdpass_send(wfd, conn, msg, sizeof msg) == 0 ? 0 : -1;
}

/* Forks a worker for who, and hands it conn.  Returns 0, the worker
 * keeping who's groups (who->groups is then NULL), or -1. */
static int fork_worker(int conn, struct peer *who, const struct policy *pol,
		       const struct opts *o)
{
	struct worker *w = &workers[nworkers];
	int sv[2];

	if (nworkers >= maxworkers) {
		errno = EAGAIN;
		return -1;
	}
	/* Our end never blocks: a worker that does not read its socket (one
	 * subverted by its client) must not stall us. */
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return -1;
	if (fcntl(sv[0], F_SETFL, O_NONBLOCK) < 0) {
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	if ((w->pid = fork()) == 0)
		worker_run(sv[1], who, pol, (int)o->idle, &o->spin);
	close(sv[1]);
	/* Waits in its socket until the worker is ready for it. */
	if (w->pid < 0 || send_conn(sv[0], conn, who->pid) < 0) {
		int err = errno;

		close(sv[0]); /* a worker that was made ends at once */
		errno = err;
		return -1;
	}
	w->who = *who;
	who->groups = NULL;
	w->fd = sv[0];
	w->busy = 1;
	w->made = now_ms();
	nworkers++;
	return 0;
}

/* Hands conn to a free worker of who's, if one still takes it (one that
 * has just retired does not: it ends).  WORKER_REUSE is kept here too,
 * not only by the worker.  Returns 0 or -1. */
static int hand_over(int conn, const struct peer *who)
{
	for (long i = 0; i < nworkers; i++) {
		struct worker *w = &workers[i];

		if (!is_free(w) || !same_peer(&w->who, who))
			continue;
		if (now_ms() - w->made < WORKER_REUSE * 1000LL &&
		    send_conn(w->fd, conn, who->pid) == 0) {
			w->busy = 1;
			return 0;
		}
		let_go(w);
	}
	return -1;
}

/* Tells the client that its connection was taken on, before any worker
 * can answer it (the stream keeps the order): it may send its request
 * without waiting for the hello's reply, which a worker gives within its
 * own time limits.  The socket is new, so this never blocks.  Returns 0,
 * or -1 when the client is gone. */
static int greet(int conn)
{
	unsigned char g[PROTO_HELLO_LEN];

	proto_hello_encode(g, PROTO_GREETING_MAGIC);
	return send(conn, g, sizeof g, MSG_DONTWAIT | MSG_NOSIGNAL) == (ssize_t)sizeof g ? 0 : -1;
}

/* Takes on the next connection waiting.  Returns 0, or -1 when none was
 * taken (none waiting, or accept failed). */
static int accept_one(int lfd, const struct policy *pol, const struct opts *o)
{
	int conn = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	struct peer who;

	if (conn < 0) {
		if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED)
			audit_error("accept: %s", strerror(errno));
		return -1;
	}
	if (peer_of(conn, &who) < 0) {
		audit_error("cannot learn who connected: %s", strerror(errno));
		close(conn);
		return 0;
	}
	if (count_busy((uid_t)-1) >= o->max_conn)
		refused(&who, "--max-connections reached");
	else if (count_busy(who.uid) >= o->max_user)
		refused(&who, "--max-per-user reached for this uid");
	else if (greet(conn) == 0 && hand_over(conn, &who) < 0 &&
		 fork_worker(conn, &who, pol, o) < 0)
		audit_error("cannot start a worker: %s", strerror(errno));
	free(who.groups);
	close(conn);
	return 0;
}

/* Worker w says it is free, or (end of file) that it is ending.  The free
 * ones over --spares go, the longest free first.  Only a busy worker may
 * say it is free, once: one that says anything else is let go, so that it
 * never gets a connection it did not ask for. */
static void heard_from(struct worker *w, const struct opts *o)
{
	static unsigned long clock;
	char buf[16];
	ssize_t n = read(w->fd, buf, sizeof buf);
	long nfree = 0, old = -1;

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n != 1 || buf[0] != 'f' || !w->busy) {
		if (n > 0)
			audit_error("worker %d for uid %u spoke out of turn: it takes no more connections",
				    (int)w->pid, (unsigned)w->who.uid);
		let_go(w);
		return;
	}
	w->busy = 0;
	w->freed = ++clock;
	for (long i = 0; i < nworkers; i++) {
		if (!is_free(&workers[i]))
			continue;
		nfree++;
		if (old < 0 || workers[i].freed < workers[old].freed)
			old = i;
	}
	if (nfree > o->spares)
		let_go(&workers[old]);
}

/* Reaps workers, and tells of those that did not end well. */
static void reap(void)
{
	int st;
	pid_t pid;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		for (long i = 0; i < nworkers; i++) {
			struct worker *w = &workers[i];

			if (w->pid != pid)
				continue;
			if (WIFSIGNALED(st) && WTERMSIG(st) == SIGALRM)
				audit_notice("worker %d for uid %u: its set-up, a hello or a request took longer than %d s; it ended (a request's client got EIO)",
					     (int)pid, (unsigned)w->who.uid, HELPER_TIMEOUT);
			else if (WIFSIGNALED(st))
				audit_error("worker %d for uid %u killed by signal %d (%s)",
					    (int)pid, (unsigned)w->who.uid, WTERMSIG(st),
					    strsignal(WTERMSIG(st)));
			let_go(w);
			free(w->who.groups);
			*w = workers[--nworkers];
			break;
		}
	}
}

/*
 * The compiled policy and the files it was compiled from are watched
 * through their directories: each one from "/" down to the compiled
 * policy and to every file and directory the policy was read from or
 * looked for (policy_source_at), so that a file changed, added, removed
 * or renamed, or a directory on the way replaced, is seen: a new compiled
 * policy is read, a change to its sources makes it stale (denying all)
 * until it is compiled again.  An event counts only there (policy_reads),
 * so that the rest of /etc, say, does not make openfiled read it again.
 * A directory has an entry for each name it was watched by (renamed, or
 * mounted twice).
 */
struct watch {
	int wd;
	char *dir;
};
static struct watch *watches;
static size_t nwatches;

/* Watches dir.  Returns 1 when it was not watched by this name before, 0
 * when it was, -1 when it cannot be (no such directory). */
static int watch_dir(int ino, const char *dir)
{
	const uint32_t ev = IN_CLOSE_WRITE | IN_MODIFY | IN_MOVED_TO | IN_MOVED_FROM |
			    IN_CREATE | IN_DELETE | IN_ATTRIB | IN_DELETE_SELF |
			    IN_MOVE_SELF | IN_ONLYDIR | IN_DONT_FOLLOW;
	int wd = inotify_add_watch(ino, dir, ev);
	struct watch *nw;
	char *copy;

	if (wd < 0) {
		if (errno != ENOENT && errno != ENOTDIR)
			audit_notice("cannot watch %s (%s): only SIGHUP reloads the policy",
				     dir, strerror(errno));
		return -1;
	}
	for (size_t i = 0; i < nwatches; i++)
		if (watches[i].wd == wd && strcmp(watches[i].dir, dir) == 0)
			return 0;
	/* Unrecorded, its events count whatever they name. */
	if ((copy = strdup(dir)) == NULL ||
	    (nw = realloc(watches, (nwatches + 1) * sizeof *nw)) == NULL) {
		free(copy);
		return 1;
	}
	watches = nw;
	watches[nwatches++] = (struct watch){ wd, copy };
	return 1;
}

/* Watches every directory from "/" down to path, and path when it is one,
 * as far as they exist: a missing one's creation shows in the one above.
 * Returns how many were not watched before. */
static int watch_down(int ino, const char *path)
{
	char dir[PATH_MAX];
	size_t n = strlen(path);
	int fresh = 0;

	if (ino < 0 || path[0] != '/' || n >= sizeof dir)
		return 0;
	memcpy(dir, path, n + 1);
	/* "/", then path up to each later '/', then path. */
	for (size_t e = 1; e <= n; e++) {
		int r;

		if (e > 1 && dir[e] != '/' && dir[e] != '\0')
			continue;
		dir[e] = '\0';
		r = watch_dir(ino, dir);
		dir[e] = path[e];
		if (r < 0)
			break;
		fresh += r;
	}
	return fresh;
}

/* Watches the compiled policy and what pol (as last read, or NULL) was
 * compiled from (the policy and its drop-ins at least, before the first
 * reading).  Returns how many directories were not watched before: a
 * change there while the policy was read went unseen. */
static int watch_policy(int ino, const struct policy *pol)
{
	const char *path;
	int fresh = watch_down(ino, OPENFILE_POLICY_CACHE) +
		    watch_down(ino, OPENFILE_POLICY_PATH) +
		    watch_down(ino, OPENFILE_POLICY_DIR);

	for (size_t i = 0; pol != NULL && (path = policy_source_at(pol, i)) != NULL; i++)
		fresh += watch_down(ino, path);
	return fresh;
}

/* Whether the events in buf (len bytes) may change the compiled policy
 * or make pol (as read, or NULL) stale.  Forgets the watches the kernel
 * dropped. */
static int policy_touched(const char *buf, size_t len, const struct policy *pol)
{
	int touched = 0;

	for (size_t o = 0; o + sizeof(struct inotify_event) <= len;) {
		struct inotify_event ev;
		const char *name = buf + o + sizeof ev;
		int known = 0;

		memcpy(&ev, buf + o, sizeof ev);
		o += sizeof ev + ev.len;
		for (size_t i = 0; i < nwatches; i++) {
			const char *dir = watches[i].dir;
			char path[PATH_MAX];

			if (watches[i].wd != ev.wd)
				continue;
			known = 1;
			if (ev.mask & IN_IGNORED) {
				free(watches[i].dir);
				watches[i--] = watches[--nwatches];
				continue;
			}
			if ((size_t)snprintf(path, sizeof path, "%s%s%.*s", dir,
					     strcmp(dir, "/") && ev.len ? "/" : "",
					     (int)strnlen(name, ev.len), name) >= sizeof path ||
			    path_leads_to(path, OPENFILE_POLICY_CACHE) ||
			    (pol != NULL && policy_reads(pol, path)))
				touched = 1;
		}
		/* Lost events (the queue overflowed), or a watch we could not
		 * record. */
		if (!known && !(ev.mask & IN_IGNORED))
			touched = 1;
	}
	return touched;
}

/* Reads the compiled policy.  NULL when it is unusable: workers then deny
 * everything. */
static struct policy *load(void)
{
	struct policy *pol = policy_read();

	if (pol == NULL)
		audit_error("the policy %s is unusable: denying every request until it is fixed",
			    OPENFILE_POLICY_CACHE);
	else
		audit_notice("policy %s read: %zu rule%s", OPENFILE_POLICY_CACHE,
			     policy_rule_count(pol), policy_rule_count(pol) == 1 ? "" : "s");
	return pol;
}

/* Room for a socket to each worker besides our own few descriptors (the
 * usual soft limit, 1024, is short of the default --max-connections), or
 * fewer connections: out of descriptors, accept would fail over and over. */
static void enough_descriptors(struct opts *o)
{
	struct rlimit r;
	rlim_t want = (rlim_t)(o->max_conn + o->spares + 1 + 64);

	if (getrlimit(RLIMIT_NOFILE, &r) < 0 || r.rlim_cur >= want)
		return;
	r.rlim_cur = r.rlim_max < want ? r.rlim_max : want;
	if (setrlimit(RLIMIT_NOFILE, &r) < 0 && getrlimit(RLIMIT_NOFILE, &r) < 0)
		return;
	if (r.rlim_cur >= want)
		return;
	o->max_conn = (long)r.rlim_cur - 64 - o->spares - 1;
	if (o->max_conn < 1)
		o->max_conn = 1;
	audit_notice("only %lu descriptors (RLIMIT_NOFILE): serving at most %ld connections at once",
		     (unsigned long)r.rlim_cur, o->max_conn);
}

int main(int argc, char **argv)
{
	static const int handled[] = { SIGCHLD, SIGHUP, SIGTERM, SIGINT };
	struct opts o;
	struct policy *pol;
	sigset_t sigs;
	int lfd, sfd, ino;
	ino_t sock_ino = 0;
	long long reload_at = 0;
	const char *why;

	parse_args(argc, argv, &o);
	umask(022);
	/* Until it serves, whoever started it reads stderr: a fatal error
	 * goes there too, --stderr or not. */
	audit_init("openfiled", 1, o.to_stderr);
	if (priv_broker(&why) < 0) {
		audit_error("%s", why);
		return 1;
	}
	if ((lfd = inherited_socket()) < 0)
		lfd = own_socket(&sock_ino);
	enough_descriptors(&o);
	/* Those serving and ending (at most --max-connections) and the free
	 * (at most --spares). */
	maxworkers = o.max_conn + o.spares;
	workers = calloc((size_t)maxworkers, sizeof *workers);
	polled = calloc((size_t)maxworkers + 3, sizeof *polled);
	sigemptyset(&sigs);
	for (size_t i = 0; i < sizeof handled / sizeof handled[0]; i++)
		sigaddset(&sigs, handled[i]);
	/* Whatever started us may have ignored some signals: a worker
	 * inherits their dispositions and relies on them. */
	if (signals_default() < 0 || signal(SIGPIPE, SIG_IGN) == SIG_ERR ||
	    workers == NULL || polled == NULL || sigprocmask(SIG_BLOCK, &sigs, NULL) < 0 ||
	    (sfd = signalfd(-1, &sigs, SFD_CLOEXEC | SFD_NONBLOCK)) < 0) {
		audit_error("cannot set up: %s", strerror(errno));
		return 1;
	}
	audit_init("openfiled", o.to_stderr, 1);
	if ((ino = inotify_init1(IN_CLOEXEC | IN_NONBLOCK)) < 0)
		audit_notice("cannot watch the policy (%s): only SIGHUP reloads it",
			     strerror(errno));
	watch_policy(ino, NULL);
	pol = load();
	if (watch_policy(ino, pol) > 0)
		reload_at = now_ms() + RELOAD_QUIET_MS;
	audit_notice("listening on %s%s", OPENFILE_SOCKET_PATH,
		     sock_ino ? "" : " (socket activation)");
	for (;;) {
		struct pollfd *p = polled;
		long long wait = reload_at ? reload_at - now_ms() : -1;
		struct signalfd_siginfo si;
		char buf[4096];
		ssize_t got;
		long n = nworkers;

		p[0] = (struct pollfd){ lfd, POLLIN, 0 };
		p[1] = (struct pollfd){ sfd, POLLIN, 0 };
		p[2] = (struct pollfd){ ino, POLLIN, 0 };
		for (long i = 0; i < n; i++)
			p[3 + i] = (struct pollfd){ workers[i].fd, POLLIN, 0 };
		if (reload_at && wait < 0)
			wait = 0;
		if (poll(p, (nfds_t)n + 3, (int)wait) < 0 && errno != EINTR) {
			audit_error("poll: %s", strerror(errno));
			return 1;
		}
		/* Before any reaping moves the workers about; not one let go
		 * meanwhile. */
		for (long i = 0; i < n; i++)
			if (p[3 + i].revents != 0 && workers[i].fd == p[3 + i].fd)
				heard_from(&workers[i], &o);
		while (read(sfd, &si, sizeof si) == (ssize_t)sizeof si) {
			if (si.ssi_signo == SIGCHLD)
				reap();
			else if (si.ssi_signo == SIGHUP)
				reload_at = now_ms();
			else
				goto stop;
		}
		while (ino >= 0 && (got = read(ino, buf, sizeof buf)) > 0)
			if (policy_touched(buf, (size_t)got, pol) && reload_at == 0)
				reload_at = now_ms() + RELOAD_QUIET_MS;
		if (reload_at && now_ms() >= reload_at) {
			reload_at = 0;
			/* A rotated audit file is let go with the old policy. */
			audit_close();
			audit_open();
			policy_free(pol);
			pol = load();
			/* Read again where it was read unwatched. */
			if (watch_policy(ino, pol) > 0)
				reload_at = now_ms() + RELOAD_QUIET_MS;
			/* Workers of the old policy answer what they were
			 * sent and end; they take no other connection. */
			for (long i = 0; i < nworkers; i++)
				let_go(&workers[i]);
		}
		/* The backlog in batches: a flood of connections over their
		 * uid's limit is shed at the pace of accept, not of a turn of
		 * this loop, so that others find room and are greeted. */
		for (int k = 0; (p[0].revents & POLLIN) && k < ACCEPT_BATCH; k++)
			if (accept_one(lfd, pol, &o) < 0)
				break;
	}
stop:
	/* Remove the socket only if it is still the one we made. */
	if (sock_ino != 0) {
		struct stat st;

		if (stat(OPENFILE_SOCKET_PATH, &st) == 0 && st.st_ino == sock_ino)
			unlink(OPENFILE_SOCKET_PATH);
	}
	audit_notice("stopping; %ld worker(s) finish their requests and end",
		     count_busy((uid_t)-1));
	return 0;
}
