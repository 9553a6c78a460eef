/* SPDX-License-Identifier: ISC */
/*
 * bench-transport - times one way of getting a descriptor, or of running a
 * command, call after call, for bench/transport.sh to summarise.
 *
 *   bench-transport [-n CALLS] [-t THREADS] [-m MIB [-H]] [-f FILE]
 *                   [-x TEXTBOOK] LABEL=CASE... [-- COMMAND [ARG...]]
 *
 * CASE is one of:
 *   open          open(2)+close(2) of FILE, the floor
 *   my_open       my_open(3)+close(2) of FILE, over the transport libmyopen
 *                 takes (OPENFILE_TRANSPORT in the environment chooses)
 *   my_open_null  my_open(3) of FILE where a helper that does nothing stands
 *                 in for the helper: must fail with EPROTO, as a helper that
 *                 exits 0 without answering makes it
 *   textbook      textbook_open() of FILE through the helper TEXTBOOK
 *                 (textbook.c, UNIX Network Programming 15.7)
 *   relay         a request the size of my_open()'s sent to a process of
 *                 the thread's own, which opens FILE and sends the
 *                 descriptor back: the floor of any broker on this machine,
 *                 with no policy, privilege or confinement at all; both
 *                 ends wait as a broker connection's do (common/spin.h)
 *   minbroker     the minimal policy-free broker: a process of the
 *                 thread's own that listens on a unix socket, accepts the
 *                 thread's one connection and asks its SO_PEERCRED, then
 *                 for each request checks that the path lies in FILE's
 *                 directory, open()s it and sends the descriptor back;
 *                 both ends wait in poll(2), as a simple broker would
 *   spawn         posix_spawn(3) COMMAND with its standard output on
 *                 /dev/null and wait for it; it must exit 0
 *
 * Each of THREADS threads (1) makes one untimed call of every case, so that
 * lazy binding and cold caches are paid before the clock runs, then waits
 * for the others and makes CALLS calls (20) of every case, the cases taking
 * turns call by call.  With -m the process first allocates and touches MIB
 * MiB, in 4 KiB pages unless -H lets transparent huge pages back them: a
 * large caller, whose page tables fork(2) copies.
 *
 * Output, after the last call: "LABEL NANOSECONDS" for every call, then,
 * with a single case, "LABEL:cps RATE", its calls a second over the wall
 * time from the first thread starting to the last one finishing.  A failed
 * call ends the run with the reason on standard error and exit status 1.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <spawn.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <limits.h>
#include <string.h>
#include <sys/mman.h>

#include <sys/socket.h>
#include <sys/un.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "myopen.h"
#include "spin.h"
#include "textbook.h"

#define MAX_CASES 8
#define MAX_THREADS 64

extern char **environ;

enum kind { OPEN, MY_OPEN, MY_OPEN_NULL, TEXTBOOK, SPAWN, RELAY, MINBROKER };

static const char *const kind_names[] = {
	[OPEN] = "open", [MY_OPEN] = "my_open", [MY_OPEN_NULL] = "my_open_null",
	[TEXTBOOK] = "textbook", [SPAWN] = "spawn", [RELAY] = "relay",
	[MINBROKER] = "minbroker",
};

struct bench_case {
	const char *label;
	enum kind kind;
};

/* A server process of a thread's own: the relay or the minimal broker. */
struct server {
	int sock; /* -1 before the first call */
	pid_t pid;
	struct spin spin;
};

struct worker {
	pthread_t tid;
	long long *ns; /* call i of case k at i * ncases + k */
	long long start, end;
	struct server relay, minbroker;
	char why[512]; /* the first failure, empty if none */
};

static struct bench_case cases[MAX_CASES];
static int ncases, calls = 20;
static const char *file, *textbook;
static char **command;
static posix_spawn_file_actions_t quiet; /* standard output on /dev/null */
static pthread_barrier_t ready;

static int spawn_wait(char *why, size_t len)
{
	int err, status;
	pid_t pid;

	err = posix_spawn(&pid, command[0], &quiet, NULL, command, environ);
	if (err != 0) {
		snprintf(why, len, "%s: %s", command[0], strerror(err));
		return -1;
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			snprintf(why, len, "waitpid: %s", strerror(errno));
			return -1;
		}
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFEXITED(status))
		snprintf(why, len, "%s: exit status %d", command[0],
			 WEXITSTATUS(status));
	else
		snprintf(why, len, "%s: killed by signal %d", command[0],
			 WTERMSIG(status));
	return -1;
}

/* The sizes of my_open()'s request header and of its answer. */
#define RELAY_HDR 20
#define RELAY_REPLY 12

/* Waits for sock to be readable as each end of a broker connection
 * waits: spinning first, with the default window.  Without spin, in
 * poll(2) alone. */
static void server_await(int sock, struct spin *spin)
{
	struct pollfd p = { sock, POLLIN, 0 };

	while ((spin != NULL ? spin_wait(spin, &p, 1, NULL, NULL) : poll(&p, 1, -1)) < 0 &&
	       errno == EINTR)
		;
}

/* A server: for each request, open the path it names (only in FILE's
 * directory, for the minimal broker) and send it back, or the errno of a
 * failed open. */
static void __attribute__((noreturn)) serve(int sock, int minbroker)
{
	char req[RELAY_HDR + PATH_MAX];
	size_t len = RELAY_HDR + strlen(file);
	size_t dir = (size_t)(strrchr(file, '/') - file) + 1;
	struct spin spin, *sp = minbroker ? NULL : &spin;

	spin_init(&spin, SPIN_DEFAULT_US, 1);
	for (;;) {
		int fd = -1, got;

		server_await(sock, sp);
		if (my_recv_fd(sock, &fd, req, len, 0) != (ssize_t)len)
			_exit(0);
		if (fd >= 0)
			close(fd);
		req[len] = '\0';
		fd = -1;
		errno = EACCES;
		if (!minbroker || strncmp(req + RELAY_HDR, file, dir) == 0)
			fd = open(req + RELAY_HDR, O_RDONLY | O_CLOEXEC);
		memcpy(req, &errno, sizeof errno);
		got = my_send_fd(sock, fd, req, RELAY_REPLY);
		if (fd >= 0)
			close(fd);
		if (got < 0)
			_exit(1);
	}
}

/* The minimal broker's process: its one connection, and who made it. */
static void __attribute__((noreturn)) minbroker_serve(int lsock)
{
	struct ucred cred;
	socklen_t clen = sizeof cred;
	int sock = accept4(lsock, NULL, NULL, SOCK_CLOEXEC);

	if (sock < 0 || getsockopt(sock, SOL_SOCKET, SO_PEERCRED, &cred, &clen) < 0)
		_exit(1);
	close(lsock);
	serve(sock, 1);
}

/* Starts the thread's server: a socket pair for the relay; for the
 * minimal broker a listening socket (abstract: no file to clean up) it
 * accepts our connection on. */
static int server_start(struct server *srv, int minbroker)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	socklen_t salen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 +
				      (size_t)snprintf(sa.sun_path + 1, sizeof sa.sun_path - 1,
						       "openfile-bench-%d-%p", (int)getpid(),
						       (void *)srv));
	int sv[2];

	if (!minbroker) {
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
			return -1;
	} else if ((sv[1] = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) {
		return -1;
	} else if (bind(sv[1], (struct sockaddr *)&sa, salen) < 0 || listen(sv[1], 1) < 0 ||
		   (sv[0] = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) {
		close(sv[1]);
		return -1;
	}
	srv->pid = fork();
	if (srv->pid == 0) {
		close(sv[0]);
		if (minbroker)
			minbroker_serve(sv[1]);
		serve(sv[1], 0);
	}
	close(sv[1]);
	if (srv->pid < 0 ||
	    (minbroker && connect(sv[0], (struct sockaddr *)&sa, salen) < 0)) {
		close(sv[0]);
		return -1;
	}
	srv->sock = sv[0];
	spin_init(&srv->spin, SPIN_DEFAULT_US, 0);
	return 0;
}

static int server_open(struct server *srv, int minbroker)
{
	char req[RELAY_HDR + PATH_MAX] = { 0 };
	size_t len = RELAY_HDR + strlen(file);
	ssize_t n;
	int fd = -1;

	if (srv->sock < 0 && server_start(srv, minbroker) < 0)
		return -1;
	memcpy(req + RELAY_HDR, file, len - RELAY_HDR);
	if (my_send_fd(srv->sock, -1, req, len) < 0)
		return -1;
	server_await(srv->sock, minbroker ? NULL : &srv->spin);
	n = my_recv_fd(srv->sock, &fd, req, RELAY_REPLY, MSG_CMSG_CLOEXEC);
	if (n != RELAY_REPLY) {
		if (n >= 0)
			errno = EPIPE; /* the server is gone */
		return -1;
	}
	if (fd < 0)
		memcpy(&errno, req, sizeof errno);
	return fd;
}

/* One call of c by w.  Returns 0, or -1 with w->why filled in. */
static int one_call(const struct bench_case *c, struct worker *w)
{
	char *why = w->why;
	size_t len = sizeof w->why;
	int fd = -1;

	switch (c->kind) {
	case OPEN:
		fd = open(file, O_RDONLY | O_CLOEXEC);
		break;
	case MY_OPEN:
		fd = my_open(file, O_RDONLY | O_CLOEXEC);
		break;
	case MY_OPEN_NULL:
		fd = my_open(file, O_RDONLY | O_CLOEXEC);
		if (fd < 0 && errno == EPROTO)
			return 0;
		if (fd >= 0) {
			close(fd);
			snprintf(why, len, "%s: %s answered: %s", c->label,
				 file, "the do-nothing helper is not in place");
		} else {
			snprintf(why, len, "%s: %s: %s, not EPROTO", c->label,
				 file, strerror(errno));
		}
		return -1;
	case TEXTBOOK:
		fd = textbook_open(textbook, file, O_RDONLY);
		break;
	case SPAWN:
		return spawn_wait(why, len);
	case RELAY:
		fd = server_open(&w->relay, 0);
		break;
	case MINBROKER:
		fd = server_open(&w->minbroker, 1);
		break;
	}
	if (fd < 0) {
		snprintf(why, len, "%s: %s: %s", c->label, file,
			 strerror(errno));
		return -1;
	}
	close(fd);
	return 0;
}

static void *work(void *arg)
{
	struct worker *w = arg;
	int ok = 1;

	for (int k = 0; k < ncases && ok; k++)
		ok = one_call(&cases[k], w) == 0;
	/* Every thread waits here, failed or not, so that none is left
	 * waiting for it. */
	pthread_barrier_wait(&ready);
	if (!ok)
		return NULL;
	w->start = now_ns();
	for (int i = 0; i < calls; i++) {
		for (int k = 0; k < ncases; k++) {
			long long t0 = now_ns();

			if (one_call(&cases[k], w) < 0)
				return NULL;
			w->ns[i * ncases + k] = now_ns() - t0;
		}
	}
	w->end = now_ns();
	/* All closed before any is waited for: a server forked after another
	 * holds a copy of the other's socket until it ends. */
	for (struct server *srv = &w->relay; srv <= &w->minbroker; srv++)
		if (srv->sock >= 0)
			close(srv->sock);
	for (struct server *srv = &w->relay; srv <= &w->minbroker; srv++)
		if (srv->sock >= 0)
			waitpid(srv->pid, NULL, 0);
	return NULL;
}

/* A large caller: mib MiB of its own memory in use before the clock runs. */
static void make_resident(long mib, int huge)
{
	size_t size = (size_t)mib << 20, page = (size_t)sysconf(_SC_PAGESIZE);
	volatile char *mem;
	void *p;

	if (posix_memalign(&p, page, size) != 0) {
		fprintf(stderr, "bench-transport: no %ld MiB\n", mib);
		exit(1);
	}
	/* With huge pages, fork copies a 512th of the page tables; a heap
	 * grown in small pieces would not get them. */
	if (!huge && madvise(p, size, MADV_NOHUGEPAGE) < 0) {
		perror("bench-transport: madvise");
		exit(1);
	}
#ifdef MADV_POPULATE_WRITE
	/* Write-faults every page at once, three times faster here than
	 * a trap a page (Linux 5.14 and later). */
	if (madvise(p, size, MADV_POPULATE_WRITE) == 0)
		return;
#endif
	mem = p;
	for (size_t off = 0; off < size; off += page)
		mem[off] = 1;
}

static int parse_case(const char *arg, struct bench_case *c)
{
	const char *eq = strchr(arg, '=');
	size_t n;

	if (eq == NULL || eq == arg)
		return -1;
	/* The label names the script's files: no spaces, no slashes. */
	n = (size_t)(eq - arg);
	if (strspn(arg, "abcdefghijklmnopqrstuvwxyz0123456789_-") != n)
		return -1;
	for (size_t k = 0; k < sizeof kind_names / sizeof kind_names[0]; k++) {
		if (strcmp(eq + 1, kind_names[k]) == 0) {
			char *label = strndup(arg, n);

			if (label == NULL)
				return -1;
			c->label = label;
			c->kind = (enum kind)k;
			return 0;
		}
	}
	return -1;
}

static void __attribute__((noreturn)) usage(void)
{
	fprintf(stderr, "usage: bench-transport [-n CALLS] [-t THREADS] "
			"[-m MIB [-H]] [-f FILE] [-x TEXTBOOK]\n"
			"                       LABEL=CASE... "
			"[-- COMMAND [ARG...]]\n"
			"CASE: open, my_open, my_open_null, textbook, spawn, "
			"relay, minbroker\n");
	exit(2);
}

int main(int argc, char *argv[])
{
	struct worker *w;
	long mib = 0;
	int opt, threads = 1, huge = 0, devnull;
	int needs_file = 0, needs_command = 0;
	long long first, last;

	while ((opt = getopt(argc, argv, "+n:t:m:Hf:x:")) != -1) {
		switch (opt) {
		case 'n':
			calls = atoi(optarg);
			break;
		case 't':
			threads = atoi(optarg);
			break;
		case 'm':
			mib = atol(optarg);
			break;
		case 'H':
			huge = 1;
			break;
		case 'f':
			file = optarg;
			break;
		case 'x':
			textbook = optarg;
			break;
		default:
			usage();
		}
	}
	for (; optind < argc && strcmp(argv[optind], "--") != 0; optind++) {
		if (ncases == MAX_CASES ||
		    parse_case(argv[optind], &cases[ncases]) < 0)
			usage();
		needs_file |= cases[ncases].kind != SPAWN;
		needs_command |= cases[ncases].kind == SPAWN;
		if (cases[ncases++].kind == TEXTBOOK && textbook == NULL)
			usage();
	}
	if (optind + 1 < argc)
		command = &argv[optind + 1];
	if (ncases == 0 || calls <= 0 || threads <= 0 ||
	    threads > MAX_THREADS || mib < 0 || (needs_file && file == NULL) ||
	    (file != NULL && strlen(file) >= PATH_MAX) ||
	    (needs_command && command == NULL))
		usage();

	if ((devnull = open("/dev/null", O_WRONLY | O_CLOEXEC)) < 0 ||
	    posix_spawn_file_actions_init(&quiet) != 0 ||
	    posix_spawn_file_actions_adddup2(&quiet, devnull,
					     STDOUT_FILENO) != 0) {
		perror("bench-transport: /dev/null");
		return 1;
	}
	if (mib > 0)
		make_resident(mib, huge);
	w = calloc((size_t)threads, sizeof *w);
	if (w == NULL ||
	    pthread_barrier_init(&ready, NULL, (unsigned)threads) != 0) {
		perror("bench-transport");
		return 1;
	}
	for (int t = 0; t < threads; t++) {
		w[t].ns = calloc((size_t)(calls * ncases), sizeof *w[t].ns);
		w[t].relay.sock = w[t].minbroker.sock = -1;
		if (w[t].ns == NULL ||
		    pthread_create(&w[t].tid, NULL, work, &w[t]) != 0) {
			perror("bench-transport");
			return 1;
		}
	}
	for (int t = 0; t < threads; t++)
		pthread_join(w[t].tid, NULL);
	for (int t = 0; t < threads; t++) {
		if (w[t].why[0] != '\0') {
			fprintf(stderr, "bench-transport: %s\n", w[t].why);
			return 1;
		}
	}

	first = w[0].start;
	last = w[0].end;
	for (int t = 0; t < threads; t++) {
		if (w[t].start < first)
			first = w[t].start;
		if (w[t].end > last)
			last = w[t].end;
		for (int i = 0; i < calls * ncases; i++)
			printf("%s %lld\n", cases[i % ncases].label,
			       w[t].ns[i]);
	}
	if (ncases == 1)
		printf("%s:cps %.1f\n", cases[0].label,
		       (double)threads * calls * 1e9 / (double)(last - first));
	return fflush(stdout) == 0 ? 0 : 1;
}
