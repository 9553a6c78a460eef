/* SPDX-License-Identifier: ISC */
/*
 * check_fakepeer.c - my_open() against a hostile helper (fake-helper):
 * every wrong answer gives a documented errno, and every descriptor it
 * sent is closed, with no zombie left.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "myopen.h"
#include "testutil.h"

static const struct {
	const char *path;
	int err;
} cases[] = {
	{ "/fake/two-fds", EPROTO },
	{ "/fake/253-fds", EPROTO },
	{ "/fake/no-fd", EPROTO },
	{ "/fake/denied-with-fd", EPROTO },
	{ "/fake/truncated", EPROTO },
	{ "/fake/bad-magic", EPROTO },
	{ "/fake/bad-status", EPROTO },
	{ "/fake/garbage", EPROTO },
	{ "/fake/fds-in-two-messages", EPROTO },
	{ "/fake/exit-13", EACCES },
	{ "/fake/silent-0", EPROTO },
	{ "/fake/killed", EIO },
};

START_TEST(wrong_answer_documented_errno_nothing_leaked)
{
	int before = tu_count_fds();

	errno = 0;
	ck_assert_int_eq(my_open(cases[_i].path, O_RDONLY), -1);
	ck_assert_msg(errno == cases[_i].err, "%s: errno %d, want %d",
		      cases[_i].path, errno, cases[_i].err);
	ck_assert_int_eq(tu_count_fds(), before);
	ck_assert_int_eq(waitpid(-1, NULL, WNOHANG), -1); /* no child left */
	ck_assert_int_eq(errno, ECHILD);
}
END_TEST

START_TEST(wrong_answers_with_sigchld_ignored)
{
	signal(SIGCHLD, SIG_IGN);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		errno = 0;
		ck_assert_int_eq(my_open(cases[i].path, O_RDONLY), -1);
		/* Without an exit status, a helper that ended without a
		 * whole answer is a helper that died. */
		ck_assert_msg(errno == cases[i].err ||
				      (errno == EIO && (cases[i].err == EACCES ||
							cases[i].err == EPROTO)),
			      "%s: errno %d", cases[i].path, errno);
	}
}
END_TEST

START_TEST(a_right_answer_still_works)
{
	int fd = my_open("/fake/good", O_RDONLY | O_CLOEXEC);

	ck_assert_int_ge(fd, 0);
	ck_assert(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	close(fd);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("fakepeer");
	TCase *tc = tcase_create("hostile helper");

	tcase_add_loop_test(tc, wrong_answer_documented_errno_nothing_leaked, 0,
			    (int)(sizeof cases / sizeof cases[0]));
	tcase_add_test(tc, wrong_answers_with_sigchld_ignored);
	tcase_add_test(tc, a_right_answer_still_works);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
