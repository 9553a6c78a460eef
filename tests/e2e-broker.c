/* SPDX-License-Identifier: ISC */
/*
 * e2e-broker.c - e2e-client's commands about openfiled: what one
 * connection per process must survive (a restart, fork, a change of ids,
 * many calls) and what a raw client may try on the socket.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "myopen.h"
#include "protocol.h"
#include "e2e-client.h"

/* Opens path and checks that it reads want.  Returns 0, or the errno (or
 * -1 for other content). */
static int open_check(const char *path, const char *want)
{
	char buf[256];
	int fd = my_open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return errno;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	buf[n < 0 ? 0 : n] = '\0';
	return strcmp(buf, want) == 0 ? 0 : -1;
}

/* loop PATH WANT N: N opens; loop-while PATH WANT FILE: opens while FILE
 * exists, one at least.  Prints "ok N", or the first failure and how many
 * went well. */
static int cmd_loop(const char *path, const char *want, int n, const char *file)
{
	int i;

	for (i = 0; file != NULL ? i == 0 || access(file, F_OK) == 0 : i < n; i++) {
		int r = open_check(path, want);

		if (r != 0) {
			fprintf(out, "fail at %d: %s\n", i, r < 0 ? "wrong content" : ename(r));
			return 1;
		}
	}
	fprintf(out, "ok %d\n", i);
	return 0;
}

/* hold PATH WANT SECONDS: one open (the connection), "served", then
 * SECONDS holding the connection without a request, then "ok". */
static int cmd_hold(const char *path, const char *want, int secs)
{
	int r = open_check(path, want);

	if (r != 0) {
		fprintf(out, "fail: %s\n", r < 0 ? "wrong content" : ename(r));
		return 1;
	}
	fprintf(out, "served\n");
	fflush(out);
	sleep((unsigned)secs);
	fprintf(out, "ok\n");
	return 0;
}

/* forked A WANT_A B WANT_B N: one call (the connection), then fork; parent
 * and child each make N calls at once, the child for B, the parent for A.
 * A shared connection would cross their answers. */
static int cmd_forked(char **argv, int n)
{
	int st, bad = 0;
	pid_t pid;

	if (open_check(argv[0], argv[1]) != 0) {
		fprintf(out, "fail: the first call\n");
		return 1;
	}
	pid = fork();
	if (pid < 0)
		return 1;
	for (int i = 0; i < n; i++)
		bad += pid == 0 ? open_check(argv[2], argv[3]) != 0 :
				  open_check(argv[0], argv[1]) != 0;
	if (pid == 0)
		_exit(bad != 0);
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		bad++;
	fprintf(out, bad ? "fail: %d wrong answers\n" : "ok\n", bad);
	return bad != 0;
}

/* One call for path as we are: says how it went. */
static void first_call(const char *path)
{
	int fd = my_open(path, O_RDONLY | O_CLOEXEC);

	fprintf(out, "before: %s, ", fd >= 0 ? "ok" : ename(errno));
	if (fd >= 0)
		close(fd);
}

/* Becomes uid:gid with no groups, for good.  Returns 0, or 1 and says so. */
static int drop_to(uid_t uid, gid_t gid)
{
	if (setgroups(0, NULL) < 0 || setresgid(gid, gid, gid) < 0 ||
	    setresuid(uid, uid, uid) < 0) {
		fprintf(out, "fail: cannot drop\n");
		return 1;
	}
	return 0;
}

/* drop PATH UID GID: as root, one call; then become UID:GID (no groups) and
 * call again: the second answer must be UID's. */
static int cmd_drop(const char *path, uid_t uid, gid_t gid)
{
	first_call(path);
	if (drop_to(uid, gid) != 0)
		return 1;
	return report(my_open(path, O_RDONLY | O_CLOEXEC));
}

/* Our descriptor connected to the broker's socket sock (the library's
 * connection), or -1. */
static int library_connection(const char *sock)
{
	for (int fd = 3; fd < 1024; fd++) {
		struct sockaddr_un sa;
		socklen_t len = sizeof sa;

		if (getpeername(fd, (struct sockaddr *)&sa, &len) == 0 &&
		    sa.sun_family == AF_UNIX && strcmp(sa.sun_path, sock) == 0)
			return fd;
	}
	return -1;
}

/* inherit SOCKET PATH UID GID whole|split: as root, one call (the library
 * connects as root); then, become UID:GID, a request for PATH sent by hand
 * on the library's connection (split: its header sent before the drop,
 * as root), as code run after a privilege drop could; then my_open
 * again, which connects anew. */
static int cmd_inherit(char **argv)
{
	const char *path = argv[1];
	unsigned char hdr[PROTO_REQ_HDR];
	int split = strcmp(argv[4], "split") == 0, conn, r;

	first_call(path);
	if ((conn = library_connection(argv[0])) < 0) {
		fprintf(out, "fail: no connection\n");
		return 1;
	}
	proto_request_header(hdr, O_RDONLY, 0, (uint32_t)strlen(path));
	if ((split && send(conn, hdr, sizeof hdr, MSG_NOSIGNAL) != (ssize_t)sizeof hdr) ||
	    drop_to((uid_t)atoi(argv[2]), (gid_t)atoi(argv[3])) != 0 ||
	    (!split && send(conn, hdr, sizeof hdr, MSG_NOSIGNAL) != (ssize_t)sizeof hdr) ||
	    send(conn, path, strlen(path), MSG_NOSIGNAL) != (ssize_t)strlen(path)) {
		fprintf(out, "fail: send\n");
		return 1;
	}
	r = recv_answer(conn);
	fprintf(out, "by hand: %s, library: ", r >= 0 ? "ok" : ename(-r));
	if (r >= 0)
		close(r);
	return report(my_open(path, O_RDONLY | O_CLOEXEC));
}

static sigjmp_buf jump_back;

static void jump_out(int sig)
{
	(void)sig;
	siglongjmp(jump_back, 1);
}

/* jump PATH WANT FILE: a call for PATH that a SIGALRM handler leaves by
 * siglongjmp after a second (the test makes its worker's set-up hang),
 * "jumped"; then, once FILE is gone, another call, which must answer. */
static int cmd_jump(const char *path, const char *want, const char *file)
{
	struct sigaction sa;
	int r;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = jump_out;
	if (sigaction(SIGALRM, &sa, NULL) < 0)
		return 1;
	if (sigsetjmp(jump_back, 1) == 0) {
		alarm(1);
		r = my_open(path, O_RDONLY | O_CLOEXEC);
		fprintf(out, "fail: not left by the jump: %s\n", r >= 0 ? "ok" : ename(errno));
		return 1;
	}
	fprintf(out, "jumped, ");
	fflush(out);
	while (access(file, F_OK) == 0)
		usleep(10000);
	r = open_check(path, want);
	fprintf(out, "then %s\n", r == 0 ? "answered" : r < 0 ? "wrong content" : ename(r));
	return r != 0;
}

static struct sockaddr_un socket_address(const char *sock)
{
	struct sockaddr_un sa;

	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	snprintf(sa.sun_path, sizeof sa.sun_path, "%s", sock);
	return sa;
}

static int connect_raw(const char *sock)
{
	struct sockaddr_un sa = socket_address(sock);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		fprintf(out, "fail: connect: %s\n", ename(errno));
		exit(1);
	}
	return fd;
}

/* Reads the main process's greeting.  Returns 0, or 1 and says why. */
static int greeted(int fd)
{
	unsigned char g[PROTO_HELLO_LEN];

	if (recv(fd, g, sizeof g, MSG_WAITALL) != (ssize_t)sizeof g ||
	    proto_hello_check(g, PROTO_GREETING_MAGIC) < 0) {
		fprintf(out, "fail: no greeting\n");
		return 1;
	}
	return 0;
}

/* stall SOCKET SECONDS: connects, sends half a hello, says "stalling",
 * and waits SECONDS at most for the broker to close the connection:
 * "closed after N s", or "open". */
static int cmd_stall(const char *sock, int secs)
{
	int fd = connect_raw(sock);
	struct pollfd p = { fd, POLLIN, 0 };
	struct timespec t0, t1;
	char c;
	ssize_t n = 1;

	if (write(fd, "OPF", 3) != 3 || greeted(fd) != 0)
		return 1;
	fprintf(out, "stalling\n");
	fflush(out);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (poll(&p, 1, secs * 1000) == 1)
		n = recv(fd, &c, 1, MSG_DONTWAIT);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (n == 0 || (n < 0 && errno == ECONNRESET))
		fprintf(out, "closed after %ld s\n", (long)(t1.tv_sec - t0.tv_sec));
	else
		fprintf(out, "open\n");
	return 0;
}

/* inject SOCKET PATH N: a raw client's hello, then a request for the
 * absolute PATH with N (1 to 8) descriptors attached: "closed" when the
 * broker ended the connection without an answer. */
static int cmd_inject(const char *sock, const char *path, int nfds)
{
	unsigned char hello[PROTO_HELLO_LEN], hdr[PROTO_REQ_HDR], rep[PROTO_REPLY_LEN];
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(8 * sizeof(int))];
	} cm;
	struct iovec iov[2];
	struct msghdr msg;
	int fd = connect_raw(sock), root = open("/", O_PATH | O_CLOEXEC), fds[8], got;
	ssize_t n;

	proto_hello_encode(hello, PROTO_HELLO_MAGIC);
	if (my_send_fd(fd, root, hello, sizeof hello) < 0 || greeted(fd) != 0 ||
	    my_recv_fd(fd, &got, rep, sizeof rep, 0) != (ssize_t)sizeof rep) {
		fprintf(out, "fail: hello\n");
		return 1;
	}
	for (int i = 0; i < 8; i++)
		fds[i] = open("/dev/null", O_RDONLY | O_CLOEXEC);
	proto_request_header(hdr, O_RDONLY, 0, (uint32_t)strlen(path));
	iov[0] = (struct iovec){ hdr, sizeof hdr };
	iov[1] = (struct iovec){ (void *)path, strlen(path) };
	memset(&msg, 0, sizeof msg);
	memset(&cm, 0, sizeof cm);
	msg.msg_iov = iov;
	msg.msg_iovlen = 2;
	msg.msg_control = cm.buf;
	msg.msg_controllen = sizeof cm.buf;
	cm.h.cmsg_level = SOL_SOCKET;
	cm.h.cmsg_type = SCM_RIGHTS;
	if (nfds < 1 || nfds > 8)
		return 2;
	msg.msg_controllen = CMSG_SPACE((size_t)nfds * sizeof(int));
	cm.h.cmsg_len = CMSG_LEN((size_t)nfds * sizeof(int));
	memcpy(CMSG_DATA(&cm.h), fds, (size_t)nfds * sizeof(int));
	if (sendmsg(fd, &msg, MSG_NOSIGNAL) < 0) {
		fprintf(out, "fail: send: %s\n", ename(errno));
		return 1;
	}
	n = my_recv_fd(fd, &got, rep, sizeof rep, 0);
	if (n != (ssize_t)sizeof rep) {
		fprintf(out, "closed\n");
		return 0;
	}
	return report(got);
}

/* squat SOCKET SECONDS: a listener at SOCKET that never accepts, its
 * backlog filled by our own connections; "ready", then SECONDS. */
static int cmd_squat(const char *sock, int secs)
{
	struct sockaddr_un sa = socket_address(sock);
	int l = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), n = 0;

	if (l < 0 || bind(l, (struct sockaddr *)&sa, sizeof sa) < 0 ||
	    chmod(sock, 0666) < 0 || listen(l, 0) < 0) {
		fprintf(out, "fail: listen: %s\n", ename(errno));
		return 1;
	}
	for (;; n++) {
		int c = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

		if (c < 0 || connect(c, (struct sockaddr *)&sa, sizeof sa) < 0)
			break;
	}
	fprintf(out, errno == EAGAIN && n > 0 ? "ready\n" : "fail: %s\n", ename(errno));
	sleep((unsigned)secs);
	unlink(sock);
	return 0;
}

/* flood SOCKET N SECONDS: N connections, made as fast as the backlog lets
 * them in and never spoken on; "flooding" once the backlog was full, then
 * they are held for SECONDS. */
static int cmd_flood(const char *sock, int n, int secs)
{
	struct sockaddr_un sa = socket_address(sock);
	struct rlimit nofile;
	time_t end = time(NULL) + secs;
	int full = 0;

	if (getrlimit(RLIMIT_NOFILE, &nofile) == 0) {
		nofile.rlim_cur = nofile.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &nofile);
	}
	for (int made = 0; made < n && time(NULL) < end;) {
		int c = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

		if (c < 0)
			break; /* as many as we may hold */
		if (connect(c, (struct sockaddr *)&sa, sizeof sa) == 0) {
			made++;
			continue;
		}
		close(c);
		if (errno != EAGAIN) {
			fprintf(out, "fail: connect: %s\n", ename(errno));
			return 1;
		}
		if (!full++)
			fprintf(out, "flooding\n");
	}
	if (!full)
		fprintf(out, "flooding\n");
	while (time(NULL) < end)
		sleep(1);
	return 0;
}

int broker_main(int argc, char **argv)
{
	if (argc == 5 && strcmp(argv[1], "loop") == 0)
		return cmd_loop(argv[2], argv[3], atoi(argv[4]), NULL);
	if (argc == 5 && strcmp(argv[1], "loop-while") == 0)
		return cmd_loop(argv[2], argv[3], 0, argv[4]);
	if (argc == 7 && strcmp(argv[1], "forked") == 0)
		return cmd_forked(argv + 2, atoi(argv[6]));
	if (argc == 5 && strcmp(argv[1], "drop") == 0)
		return cmd_drop(argv[2], (uid_t)atoi(argv[3]), (gid_t)atoi(argv[4]));
	if (argc == 7 && strcmp(argv[1], "inherit") == 0)
		return cmd_inherit(argv + 2);
	if (argc == 5 && strcmp(argv[1], "hold") == 0)
		return cmd_hold(argv[2], argv[3], atoi(argv[4]));
	if (argc == 4 && strcmp(argv[1], "stall") == 0)
		return cmd_stall(argv[2], atoi(argv[3]));
	if (argc == 5 && strcmp(argv[1], "inject") == 0)
		return cmd_inject(argv[2], argv[3], atoi(argv[4]));
	if (argc == 5 && strcmp(argv[1], "jump") == 0)
		return cmd_jump(argv[2], argv[3], argv[4]);
	if (argc == 4 && strcmp(argv[1], "squat") == 0)
		return cmd_squat(argv[2], atoi(argv[3]));
	if (argc == 5 && strcmp(argv[1], "flood") == 0)
		return cmd_flood(argv[2], atoi(argv[3]), atoi(argv[4]));
	return -1;
}

const char broker_usage[] =
	"loop PATH WANT N | loop-while PATH WANT FILE | hold PATH WANT SECONDS | forked A WANT_A B WANT_B N |\n"
	"  drop PATH UID GID | inherit SOCKET PATH UID GID whole|split |\n"
	"  stall SOCKET SECONDS | inject SOCKET PATH N | squat SOCKET SECONDS |\n"
	"  flood SOCKET N SECONDS | jump PATH WANT FILE";
