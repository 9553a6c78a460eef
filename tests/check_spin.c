/*
 * check_spin.c - spin_wait(): a wait that polls for a bounded window
 * before it sleeps, only while the peer keeps to that window, never with
 * one CPU, and as open to signals as the ppoll(2) it stands for.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "spin.h"
#include "testutil.h"

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

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int cpus(void)
{
	cpu_set_t set;

	ck_assert_int_eq(sched_getaffinity(0, sizeof set, &set), 0);
	return CPU_COUNT(&set);
}

START_TEST(window_from_microseconds)
{
	struct spin s;

	spin_init(&s, 0);
	ck_assert_int_eq(s.ns, 0);
	ck_assert_int_eq(s.hot, 1);
	spin_init(&s, 250);
	ck_assert_int_eq(s.ns, cpus() > 1 ? 250000 : 0);
	ck_assert_int_eq(s.hot, 1);
}
END_TEST

/* Pinned to one CPU, a process never spins: its peer needs that CPU. */
START_TEST(no_window_on_one_cpu)
{
	cpu_set_t one;
	pid_t pid;
	int st;

	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct spin s;

		CPU_ZERO(&one);
		CPU_SET((size_t)sched_getcpu(), &one);
		if (sched_setaffinity(0, sizeof one, &one) < 0)
			_exit(2);
		spin_init(&s, SPIN_MAX_US);
		_exit(s.ns == 0 ? 0 : 1);
	}
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st));
	ck_assert_int_eq(WEXITSTATUS(st), 0);
}
END_TEST

START_TEST(ready_at_once)
{
	struct spin s = { 1000000000LL, 1 };
	struct pollfd p = { sv[0], POLLIN, 0 };

	ck_assert_int_eq(write(sv[1], "x", 1), 1);
	ck_assert_int_eq(spin_wait(&s, &p, 1, NULL, NULL), 1);
	ck_assert(p.revents & POLLIN);
	ck_assert_int_eq(s.hot, 1);
}
END_TEST

/* Nothing comes: the spin ends with its window, then the timeout; the
 * peer did not keep to the window, so the next wait sleeps at once. */
START_TEST(nothing_comes_cools)
{
	const long long window = 20000000LL; /* 20 ms */
	struct spin s = { window, 1 };
	struct pollfd p = { sv[0], POLLIN, 0 };
	struct timespec timeout = { 0, 10000000 };
	long long t = now_ns();

	ck_assert_int_eq(spin_wait(&s, &p, 1, &timeout, NULL), 0);
	ck_assert_int_ge(now_ns() - t, window);
	ck_assert_int_eq(s.hot, 0);
	/* Cold: no spinning, only the timeout's wait (far below the window,
	 * which a spin would have filled first). */
	timeout.tv_nsec = 0;
	t = now_ns();
	ck_assert_int_eq(spin_wait(&s, &p, 1, &timeout, NULL), 0);
	ck_assert_int_lt(now_ns() - t, window);
	ck_assert_int_eq(s.hot, 0);
}
END_TEST

/* A wait that ends within the window, asleep, makes the next one spin. */
START_TEST(quick_answer_warms)
{
	struct spin s = { 1000000000LL, 0 };
	struct pollfd p = { sv[0], POLLIN, 0 };

	ck_assert_int_eq(write(sv[1], "x", 1), 1);
	ck_assert_int_eq(spin_wait(&s, &p, 1, NULL, NULL), 1);
	ck_assert_int_eq(s.hot, 1);
}
END_TEST

static void *write_later(void *arg)
{
	struct timespec d = { 0, 2000000 };

	nanosleep(&d, NULL);
	if (write(*(int *)arg, "x", 1) != 1)
		return arg;
	return NULL;
}

/* An answer that comes while we spin is taken, and we stay hot. */
START_TEST(caught_while_spinning)
{
	struct spin s = { 10 * 1000000000LL, 1 };
	struct pollfd p = { sv[0], POLLIN, 0 };
	pthread_t t;
	void *r;

	ck_assert_int_eq(pthread_create(&t, NULL, write_later, &sv[1]), 0);
	ck_assert_int_eq(spin_wait(&s, &p, 1, NULL, NULL), 1);
	ck_assert_int_eq(pthread_join(t, &r), 0);
	ck_assert_ptr_null(r);
	ck_assert_int_eq(s.hot, 1);
}
END_TEST

/* End of file and a peer gone are events too: the reader finds out. */
START_TEST(hangup_ends_the_wait)
{
	struct spin s = { 1000000000LL, 1 };
	struct pollfd p = { sv[0], POLLIN, 0 };

	close(sv[1]);
	sv[1] = -1;
	ck_assert_int_eq(spin_wait(&s, &p, 1, NULL, NULL), 1);
}
END_TEST

static volatile sig_atomic_t got_usr1;

static void on_usr1(int sig)
{
	(void)sig;
	got_usr1 = 1;
}

/* A signal the mask lets in ends a spin as it ends ppoll's sleep; one
 * it keeps out does not. */
START_TEST(signals_as_ppoll)
{
	struct spin s = { 10 * 1000000000LL, 1 };
	struct pollfd p = { sv[0], POLLIN, 0 };
	struct timespec timeout = { 0, 0 };
	struct sigaction sa;
	sigset_t block, open_mask, keep_out;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_usr1;
	ck_assert_int_eq(sigaction(SIGUSR1, &sa, NULL), 0);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	ck_assert_int_eq(sigprocmask(SIG_BLOCK, &block, NULL), 0);
	ck_assert_int_eq(raise(SIGUSR1), 0);
	/* Kept out: the spin runs its (short) window and times out. */
	s.ns = 5000000LL;
	keep_out = block;
	ck_assert_int_eq(spin_wait(&s, &p, 1, &timeout, &keep_out), 0);
	ck_assert_int_eq(got_usr1, 0);
	/* Let in: the spin ends at once with EINTR. */
	s.ns = 10 * 1000000000LL;
	s.hot = 1;
	sigemptyset(&open_mask);
	ck_assert_int_eq(spin_wait(&s, &p, 1, NULL, &open_mask), -1);
	ck_assert_int_eq(errno, EINTR);
	ck_assert_int_eq(got_usr1, 1);
	ck_assert_int_eq(sigprocmask(SIG_UNBLOCK, &block, NULL), 0);
}
END_TEST

/* No window: exactly ppoll, hot or not. */
START_TEST(no_window_is_ppoll)
{
	struct spin s = { 0, 1 };
	struct pollfd p = { sv[0], POLLIN, 0 };
	struct timespec timeout = { 0, 0 };

	ck_assert_int_eq(spin_wait(&s, &p, 1, &timeout, NULL), 0);
	ck_assert_int_eq(write(sv[1], "x", 1), 1);
	ck_assert_int_eq(spin_wait(&s, &p, 1, &timeout, NULL), 1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("spin");
	TCase *tc = tcase_create("socketpair");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, window_from_microseconds);
	tcase_add_test(tc, no_window_on_one_cpu);
	tcase_add_test(tc, ready_at_once);
	tcase_add_test(tc, nothing_comes_cools);
	tcase_add_test(tc, quick_answer_warms);
	tcase_add_test(tc, caught_while_spinning);
	tcase_add_test(tc, hangup_ends_the_wait);
	tcase_add_test(tc, signals_as_ppoll);
	tcase_add_test(tc, no_window_is_ppoll);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
