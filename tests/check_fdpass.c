/* SPDX-License-Identifier: ISC */
/*
 * check_fdpass.c - my_send_fds() and my_recv_fds(), and their one
 * descriptor case my_send_fd() and my_recv_fd(), over a socketpair: the
 * normal case and every way a peer can send the wrong thing; and the
 * named endpoints of my_listen(), my_connect() and my_accept().
 */
#include "config.h"

#include <check.h>
#include <seccomp.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "fdpass.h"
#include "myopen.h"
#include "testutil.h"

/* A raw message, checked to have gone whole. */
#define send_raw(sock, data, len, fd, n) \
	ck_assert_int_eq(tu_send_fds(sock, data, len, fd, n), (ssize_t)(len))

static int sv[2];

static void setup(void)
{
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
}

static void teardown(void)
{
	close(sv[0]);
	close(sv[1]);
}

START_TEST(passes_one_fd)
{
	struct stat a, b;
	char buf[4];
	int fd = open("/dev/null", O_RDONLY), got = -2;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(my_send_fd(sv[0], fd, "abcd", 4), 0);
	ck_assert_int_eq(my_recv_fd(sv[1], &got, buf, 4, 0), 4);
	ck_assert_int_ge(got, 0);
	ck_assert_int_ne(got, fd);
	ck_assert_mem_eq(buf, "abcd", 4);
	fstat(fd, &a);
	fstat(got, &b);
	ck_assert(a.st_ino == b.st_ino && a.st_dev == b.st_dev);
	ck_assert_int_eq(fcntl(got, F_GETFD) & FD_CLOEXEC, 0);
	close(fd);
	close(got);
}
END_TEST

START_TEST(cloexec_when_asked)
{
	char buf[1];
	int got;

	ck_assert_int_eq(my_send_fd(sv[0], 0, "x", 1), 0);
	ck_assert_int_eq(my_recv_fd(sv[1], &got, buf, 1, MSG_CMSG_CLOEXEC), 1);
	ck_assert_int_ne(fcntl(got, F_GETFD) & FD_CLOEXEC, 0);
	close(got);
}
END_TEST

START_TEST(data_without_fd)
{
	char buf[3];
	int got = 7;

	ck_assert_int_eq(my_send_fd(sv[0], -1, "xyz", 3), 0);
	ck_assert_int_eq(my_recv_fd(sv[1], &got, buf, 3, 0), 3);
	ck_assert_int_eq(got, -1);
}
END_TEST

START_TEST(message_in_pieces)
{
	char buf[6];
	int got;

	send_raw(sv[0], "ab", 2, 0, 1);
	send_raw(sv[0], "cdef", 4, -1, 0);
	ck_assert_int_eq(my_recv_fd(sv[1], &got, buf, 6, 0), 6);
	ck_assert_mem_eq(buf, "abcdef", 6);
	ck_assert_int_ge(got, 0);
	close(got);
}
END_TEST

START_TEST(two_fds_rejected_and_closed)
{
	char buf[4];
	int got = 7, before = tu_count_fds();

	send_raw(sv[0], "abcd", 4, 0, 2);
	errno = 0;
	ck_assert_int_eq(my_recv_fd(sv[1], &got, buf, 4, 0), -1);
	ck_assert_int_eq(errno, EPROTO);
	ck_assert_int_eq(got, -1);
	ck_assert_int_eq(tu_count_fds(), before);
}
END_TEST

START_TEST(fds_in_two_messages_rejected)
{
	char buf[4];
	int got, before = tu_count_fds();

	send_raw(sv[0], "ab", 2, 0, 1);
	send_raw(sv[0], "cd", 2, 0, 1);
	ck_assert_int_eq(my_recv_fd(sv[1], &got, buf, 4, 0), -1);
	ck_assert_int_eq(errno, EPROTO);
	ck_assert_int_eq(tu_count_fds(), before);
}
END_TEST

START_TEST(many_fds_truncated_and_closed)
{
	char buf[4];
	int got, before = tu_count_fds();

	send_raw(sv[0], "abcd", 4, 0, 253);
	ck_assert_int_eq(my_recv_fd(sv[1], &got, buf, 4, 0), -1);
	ck_assert_int_eq(errno, EPROTO);
	ck_assert_int_eq(tu_count_fds(), before);
}
END_TEST

START_TEST(many_messages_of_fds_all_closed)
{
	char buf[4];
	int got, before = tu_count_fds();

	send_raw(sv[0], "a", 1, 0, 16);
	send_raw(sv[0], "b", 1, 0, 16);
	send_raw(sv[0], "cd", 2, 0, 16);
	ck_assert_int_eq(my_recv_fd(sv[1], &got, buf, 4, 0), -1);
	ck_assert_int_eq(errno, EPROTO);
	ck_assert_int_eq(tu_count_fds(), before);
}
END_TEST

START_TEST(credentials_rejected)
{
	int on = 1, got;
	char buf[4];

	ck_assert_int_eq(setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof on), 0);
	send_raw(sv[0], "abcd", 4, -1, 0);
	ck_assert_int_eq(my_recv_fd(sv[1], &got, buf, 4, 0), -1);
	ck_assert_int_eq(errno, EPROTO);
}
END_TEST

static void pass_credentials(int sock)
{
	int on = 1;

	ck_assert_int_eq(setsockopt(sock, SOL_SOCKET, SO_PASSCRED, &on, sizeof on), 0);
}

START_TEST(sender_credentials)
{
	struct ucred from;
	char buf[4];
	int got;

	pass_credentials(sv[1]);
	send_raw(sv[0], "ab", 2, 0, 1);
	send_raw(sv[0], "cd", 2, -1, 0);
	ck_assert_int_eq(fdpass_recv(sv[1], &got, &from, buf, 4, 0), 4);
	ck_assert_int_ge(got, 0);
	ck_assert_int_eq(from.pid, getpid());
	ck_assert_int_eq(from.uid, getuid());
	ck_assert_int_eq(from.gid, getgid());
	close(got);
}
END_TEST

/* A message whose parts two processes sent has no sender. */
START_TEST(parts_of_two_senders_have_none)
{
	struct ucred from;
	char buf[4];
	int got, st;
	pid_t pid;

	pass_credentials(sv[1]);
	send_raw(sv[0], "ab", 2, -1, 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		_exit(tu_send_fds(sv[0], "cd", 2, -1, 0) != 2);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert_int_eq(st, 0);
	ck_assert_int_eq(fdpass_recv(sv[1], &got, &from, buf, 4, 0), 4);
	ck_assert_int_eq(from.pid, 0);
}
END_TEST

/* Sent before the receiver asked for credentials, a message carries
 * none: the kernel then says uid and gid 65534, which must never pass
 * for a caller's; the pid, 0, tells. */
START_TEST(sent_before_passcred_has_no_sender)
{
	struct ucred from;
	char buf[4];
	int got;

	send_raw(sv[0], "abcd", 4, -1, 0);
	pass_credentials(sv[1]);
	ck_assert_int_eq(fdpass_recv(sv[1], &got, &from, buf, 4, 0), 4);
	ck_assert_int_eq(from.pid, 0);
}
END_TEST

START_TEST(zero_byte_eof)
{
	char buf[4];
	int got = 7;

	close(sv[0]);
	sv[0] = -1;
	ck_assert_int_eq(my_recv_fd(sv[1], &got, buf, 4, 0), 0);
	ck_assert_int_eq(got, -1);
}
END_TEST

START_TEST(short_message_drops_fd)
{
	char buf[8];
	int got = 7, before = tu_count_fds();

	send_raw(sv[0], "abc", 3, 0, 1);
	close(sv[0]);
	sv[0] = -1;
	ck_assert_int_eq(my_recv_fd(sv[1], &got, buf, 8, 0), 3);
	ck_assert_int_eq(got, -1);
	ck_assert_int_eq(tu_count_fds(), before - 1);
}
END_TEST

START_TEST(descriptor_limit_is_emfile)
{
	struct rlimit rl;
	char buf[4];
	int got, top;

	ck_assert_int_eq(my_send_fd(sv[0], 0, "abcd", 4), 0);
	/* Fill every slot below the limit so the kernel must drop it. */
	top = tu_count_fds() + 3;
	rl.rlim_cur = rl.rlim_max = (rlim_t)top;
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
	while (dup(0) >= 0)
		;
	ck_assert_int_eq(my_recv_fd(sv[1], &got, buf, 4, 0), -1);
	ck_assert_int_eq(errno, EMFILE);
}
END_TEST

START_TEST(bad_arguments)
{
	char buf[1];
	int got;

	ck_assert_int_eq(my_send_fd(sv[0], -1, "", 0), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(my_recv_fd(sv[1], &got, buf, 0, 0), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(my_recv_fd(sv[1], &got, buf, 1, MSG_PEEK), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(my_send_fd(-1, -1, "x", 1), -1);
	ck_assert_int_eq(errno, EBADF);
}
END_TEST

START_TEST(send_to_closed_peer_no_sigpipe)
{
	close(sv[1]);
	sv[1] = -1;
	ck_assert_int_eq(my_send_fd(sv[0], -1, "x", 1), -1);
	ck_assert_int_eq(errno, EPIPE);
}
END_TEST

/* The kernel refusing every send for want of buffer space (err): my_send_fd
 * and my_send_fds wait 1 + 2 + ... + 64 = 127 ms, then fail with it.  In a
 * child, whose seccomp filter makes sendmsg fail so. */
static void check_busy_bounded(int err)
{
	int st, fds[2] = { 0, 1 };
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
		long long t0, ms1, ms2;

		if (ctx == NULL ||
		    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(err), SCMP_SYS(sendmsg), 0) < 0 ||
		    seccomp_load(ctx) < 0)
			_exit(10);
		t0 = now_ns();
		if (my_send_fd(sv[0], 0, "x", 1) != -1 || errno != err)
			_exit(11);
		ms1 = (now_ns() - t0) / 1000000;
		t0 = now_ns();
		if (my_send_fds(sv[0], fds, 2, "x", 1) != -1 || errno != err)
			_exit(12);
		ms2 = (now_ns() - t0) / 1000000;
		/* At least the back-off; at most a loaded machine's more. */
		_exit(ms1 >= 127 && ms1 < 2000 && ms2 >= 127 && ms2 < 2000 ? 0 : 13);
	}
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st));
	ck_assert_int_eq(WEXITSTATUS(st), 0);
}

START_TEST(enobufs_backs_off_bounded)
{
	check_busy_bounded(ENOBUFS);
	check_busy_bounded(ENOMEM);
}
END_TEST

/* Other errors are not retried. */
START_TEST(other_send_errors_at_once)
{
	long long t0 = now_ns();

	close(sv[1]);
	sv[1] = -1;
	ck_assert_int_eq(my_send_fds(sv[0], NULL, 0, "x", 1), -1);
	ck_assert_int_eq(errno, EPIPE);
	ck_assert_int_lt((now_ns() - t0) / 1000000, 100);
}
END_TEST

/* Whether a and b are the same open file. */
static int same_file(int a, int b)
{
	struct stat x, y;

	return fstat(a, &x) == 0 && fstat(b, &y) == 0 &&
	       x.st_ino == y.st_ino && x.st_dev == y.st_dev;
}

START_TEST(passes_three_fds)
{
	int fds[3], got[5] = { 7, 7, 7, 7, 7 };
	size_t n = 5;
	char buf[2];

	fds[0] = open("/dev/null", O_RDONLY);
	fds[1] = open("/", O_RDONLY | O_DIRECTORY);
	ck_assert_int_ge(fds[0], 0);
	ck_assert_int_ge(fds[1], 0);
	fds[2] = sv[0];
	ck_assert_int_eq(my_send_fds(sv[0], fds, 3, "hi", 2), 0);
	ck_assert_int_eq(my_recv_fds(sv[1], got, &n, buf, 2, MSG_CMSG_CLOEXEC), 2);
	ck_assert_uint_eq(n, 3);
	ck_assert_mem_eq(buf, "hi", 2);
	for (int i = 0; i < 3; i++) {
		ck_assert(same_file(fds[i], got[i]));
		ck_assert_int_ne(fcntl(got[i], F_GETFD) & FD_CLOEXEC, 0);
		close(got[i]);
	}
	ck_assert_int_eq(got[3], -1);
	ck_assert_int_eq(got[4], -1);
	close(fds[0]);
	close(fds[1]);
}
END_TEST

START_TEST(passes_the_most_fds)
{
	int fds[MY_MAX_FDS], got[MY_MAX_FDS];
	size_t n = MY_MAX_FDS;
	int before = tu_count_fds();
	char buf[1];

	for (int i = 0; i < MY_MAX_FDS; i++)
		fds[i] = i % 2 ? sv[0] : sv[1];
	ck_assert_int_eq(my_send_fds(sv[0], fds, MY_MAX_FDS, "x", 1), 0);
	ck_assert_int_eq(my_recv_fds(sv[1], got, &n, buf, 1, 0), 1);
	ck_assert_uint_eq(n, MY_MAX_FDS);
	for (int i = 0; i < MY_MAX_FDS; i++) {
		ck_assert(same_file(fds[i], got[i]));
		close(got[i]);
	}
	ck_assert_int_eq(tu_count_fds(), before);
	ck_assert_int_eq(my_send_fds(sv[0], fds, MY_MAX_FDS + 1, "x", 1), -1);
	ck_assert_int_eq(errno, EINVAL);
}
END_TEST

/* The descriptors of one message, whichever of its parts they came with. */
START_TEST(fds_over_parts_of_one_message)
{
	int got[3];
	size_t n = 3;
	char buf[4];

	send_raw(sv[0], "ab", 2, 0, 2);
	send_raw(sv[0], "cd", 2, 0, 1);
	ck_assert_int_eq(my_recv_fds(sv[1], got, &n, buf, 4, 0), 4);
	ck_assert_uint_eq(n, 3);
	for (int i = 0; i < 3; i++)
		close(got[i]);
}
END_TEST

/* Four bytes with sent descriptors, received with room for room (at
 * most 3): refused with EPROTO, every descriptor closed. */
static void check_refused(int sent, size_t room)
{
	int got[3] = { 7, 7, 7 }, before = tu_count_fds();
	size_t n = room;
	char buf[4];

	send_raw(sv[0], "abcd", 4, 0, sent);
	errno = 0;
	ck_assert_int_eq(my_recv_fds(sv[1], got, &n, buf, 4, 0), -1);
	ck_assert_int_eq(errno, EPROTO);
	ck_assert_uint_eq(n, 0);
	for (size_t i = 0; i < room; i++)
		ck_assert_int_eq(got[i], -1);
	ck_assert_int_eq(tu_count_fds(), before);
}

START_TEST(more_fds_than_room_rejected_and_closed)
{
	check_refused(3, 2);
}
END_TEST

/* Far more than the room: the kernel truncates the control message. */
START_TEST(truncated_fds_rejected_and_closed)
{
	check_refused(MY_MAX_FDS, 3);
}
END_TEST

START_TEST(no_room_takes_none)
{
	size_t n = 0;
	char buf[2];
	int before = tu_count_fds();

	ck_assert_int_eq(my_send_fds(sv[0], NULL, 0, "ok", 2), 0);
	ck_assert_int_eq(my_recv_fds(sv[1], NULL, &n, buf, 2, 0), 2);
	send_raw(sv[0], "no", 2, 0, 1);
	ck_assert_int_eq(my_recv_fds(sv[1], NULL, &n, buf, 2, 0), -1);
	ck_assert_int_eq(errno, EPROTO);
	ck_assert_int_eq(tu_count_fds(), before);
}
END_TEST

START_TEST(credentials_rejected_with_fds)
{
	int on = 1;

	ck_assert_int_eq(setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof on), 0);
	check_refused(2, 3);
}
END_TEST

START_TEST(short_message_drops_fds)
{
	int got[3], before = tu_count_fds();
	size_t n = 3;
	char buf[8];

	send_raw(sv[0], "abc", 3, 0, 3);
	close(sv[0]);
	sv[0] = -1;
	ck_assert_int_eq(my_recv_fds(sv[1], got, &n, buf, 8, 0), 3);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(got[0], -1);
	ck_assert_int_eq(tu_count_fds(), before - 1);
}
END_TEST

START_TEST(fds_bad_arguments)
{
	int fds[1] = { 0 };
	size_t n = MY_MAX_FDS + 1;
	char buf[1];

	ck_assert_int_eq(my_send_fds(sv[0], NULL, 1, "x", 1), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(my_send_fds(sv[0], fds, 1, "x", 0), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(my_recv_fds(sv[1], fds, NULL, buf, 1, 0), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(my_recv_fds(sv[1], fds, &n, buf, 1, 0), -1);
	ck_assert_int_eq(errno, EINVAL);
	n = 1;
	ck_assert_int_eq(my_recv_fds(sv[1], NULL, &n, buf, 1, 0), -1);
	ck_assert_int_eq(errno, EINVAL);
	fds[0] = -1;
	ck_assert_int_eq(my_send_fds(sv[0], fds, 1, "x", 1), -1);
	ck_assert_int_eq(errno, EBADF);
}
END_TEST

/* Named endpoints, in a directory of their own. */
static char dir[] = "/tmp/check_fdpass.XXXXXX";
static char path[sizeof dir + 16];

static void endpoint_setup(void)
{
	strcpy(dir, "/tmp/check_fdpass.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/sock", dir);
}

static void endpoint_teardown(void)
{
	(void)unlink(path);
	ck_assert_int_eq(rmdir(dir), 0);
}

START_TEST(endpoint_passes_fds_and_ids)
{
	int l = my_listen(path, 4), c, a, fds[2], got[2];
	size_t n = 2;
	uid_t uid = (uid_t)-1;
	gid_t gid = (gid_t)-1;
	char buf[1];

	ck_assert_int_ge(l, 0);
	ck_assert_int_ne(fcntl(l, F_GETFD) & FD_CLOEXEC, 0);
	c = my_connect(path);
	ck_assert_int_ge(c, 0);
	ck_assert_int_ne(fcntl(c, F_GETFD) & FD_CLOEXEC, 0);
	a = my_accept(l, &uid, &gid);
	ck_assert_int_ge(a, 0);
	ck_assert_int_ne(fcntl(a, F_GETFD) & FD_CLOEXEC, 0);
	ck_assert_int_eq(uid, getuid());
	ck_assert_int_eq(gid, getgid());
	fds[0] = l;
	fds[1] = c;
	ck_assert_int_eq(my_send_fds(c, fds, 2, "!", 1), 0);
	ck_assert_int_eq(my_recv_fds(a, got, &n, buf, 1, MSG_CMSG_CLOEXEC), 1);
	ck_assert_uint_eq(n, 2);
	ck_assert(same_file(got[0], l) && same_file(got[1], c));
	close(got[0]);
	close(got[1]);
	close(a);
	close(c);
	/* Ids are optional. */
	c = my_connect(path);
	a = my_accept(l, NULL, NULL);
	ck_assert_int_ge(a, 0);
	close(a);
	close(c);
	close(l);
}
END_TEST

START_TEST(endpoint_stale_socket_replaced)
{
	struct stat st;
	int l = my_listen(path, 1), c;

	ck_assert_int_ge(l, 0);
	close(l); /* the file stays, nobody listens */
	ck_assert_int_eq(lstat(path, &st), 0);
	ck_assert_int_eq(my_connect(path), -1);
	ck_assert_int_eq(errno, ECONNREFUSED);
	l = my_listen(path, 1);
	ck_assert_int_ge(l, 0);
	c = my_connect(path);
	ck_assert_int_ge(c, 0);
	close(c);
	close(l);
}
END_TEST

START_TEST(endpoint_live_socket_kept)
{
	int l = my_listen(path, 1), c;

	ck_assert_int_ge(l, 0);
	ck_assert_int_eq(my_listen(path, 1), -1);
	ck_assert_int_eq(errno, EADDRINUSE);
	/* Still the first one's. */
	c = my_connect(path);
	ck_assert_int_ge(c, 0);
	ck_assert_int_eq(my_accept(l, NULL, NULL) >= 0, 1);
	close(c);
	close(l);
}
END_TEST

/* Even with a full backlog, whose connect would wait. */
START_TEST(endpoint_busy_socket_kept)
{
	int l = my_listen(path, 0), c[4];

	ck_assert_int_ge(l, 0);
	for (int i = 0; i < 4; i++) {
		struct sockaddr_un sa = { .sun_family = AF_UNIX };

		c[i] = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
		strcpy(sa.sun_path, path);
		(void)connect(c[i], (struct sockaddr *)&sa, sizeof sa);
	}
	ck_assert_int_eq(my_listen(path, 1), -1);
	ck_assert_int_eq(errno, EADDRINUSE);
	for (int i = 0; i < 4; i++)
		close(c[i]);
	close(l);
}
END_TEST

START_TEST(endpoint_other_files_kept)
{
	struct stat st;
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);

	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_int_eq(my_listen(path, 1), -1);
	ck_assert_int_eq(errno, EADDRINUSE);
	ck_assert_int_eq(lstat(path, &st), 0);
	ck_assert(S_ISREG(st.st_mode));
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(symlink("/nonexistent", path), 0);
	ck_assert_int_eq(my_listen(path, 1), -1);
	ck_assert_int_eq(errno, EADDRINUSE);
	ck_assert_int_eq(lstat(path, &st), 0);
	ck_assert(S_ISLNK(st.st_mode));
}
END_TEST

START_TEST(endpoint_bad_paths)
{
	char longpath[200];

	memset(longpath, 'a', sizeof longpath - 1);
	longpath[0] = '/';
	longpath[sizeof longpath - 1] = '\0';
	ck_assert_int_eq(my_listen(longpath, 1), -1);
	ck_assert_int_eq(errno, ENAMETOOLONG);
	ck_assert_int_eq(my_connect(longpath), -1);
	ck_assert_int_eq(errno, ENAMETOOLONG);
	ck_assert_int_eq(my_listen("", 1), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(my_connect(NULL), -1);
	ck_assert_int_eq(errno, EFAULT);
	ck_assert_int_eq(my_connect(path), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(my_accept(-1, NULL, NULL), -1);
	ck_assert_int_eq(errno, EBADF);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("fdpass");
	TCase *tc = tcase_create("socketpair");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, passes_one_fd);
	tcase_add_test(tc, cloexec_when_asked);
	tcase_add_test(tc, data_without_fd);
	tcase_add_test(tc, message_in_pieces);
	tcase_add_test(tc, two_fds_rejected_and_closed);
	tcase_add_test(tc, fds_in_two_messages_rejected);
	tcase_add_test(tc, many_fds_truncated_and_closed);
	tcase_add_test(tc, many_messages_of_fds_all_closed);
	tcase_add_test(tc, credentials_rejected);
	tcase_add_test(tc, sender_credentials);
	tcase_add_test(tc, parts_of_two_senders_have_none);
	tcase_add_test(tc, sent_before_passcred_has_no_sender);
	tcase_add_test(tc, zero_byte_eof);
	tcase_add_test(tc, short_message_drops_fd);
	tcase_add_test(tc, descriptor_limit_is_emfile);
	tcase_add_test(tc, bad_arguments);
	tcase_add_test(tc, send_to_closed_peer_no_sigpipe);
	tcase_add_test(tc, passes_three_fds);
	tcase_add_test(tc, passes_the_most_fds);
	tcase_add_test(tc, fds_over_parts_of_one_message);
	tcase_add_test(tc, more_fds_than_room_rejected_and_closed);
	tcase_add_test(tc, truncated_fds_rejected_and_closed);
	tcase_add_test(tc, no_room_takes_none);
	tcase_add_test(tc, credentials_rejected_with_fds);
	tcase_add_test(tc, short_message_drops_fds);
	tcase_add_test(tc, fds_bad_arguments);
	tcase_add_test(tc, enobufs_backs_off_bounded);
	tcase_add_test(tc, other_send_errors_at_once);
	suite_add_tcase(s, tc);
	tc = tcase_create("endpoint");
	tcase_add_checked_fixture(tc, endpoint_setup, endpoint_teardown);
	tcase_add_test(tc, endpoint_passes_fds_and_ids);
	tcase_add_test(tc, endpoint_stale_socket_replaced);
	tcase_add_test(tc, endpoint_live_socket_kept);
	tcase_add_test(tc, endpoint_busy_socket_kept);
	tcase_add_test(tc, endpoint_other_files_kept);
	tcase_add_test(tc, endpoint_bad_paths);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
