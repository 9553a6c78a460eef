/* SPDX-License-Identifier: ISC */
/*
 * check_fdpass.c - my_send_fd() and my_recv_fd() over a socketpair:
 * the normal case and every way a peer can send the wrong thing.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

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
	suite_add_tcase(s, tc);
	return tu_run(s);
}
