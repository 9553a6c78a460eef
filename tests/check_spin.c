/* SPDX-License-Identifier: ISC */
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

#include "clock.h"
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

/* This thread's CPU time: a wait that spins uses it, one that sleeps
 * does not. */
static long long cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void spin_set(struct spin *s, long long ns, int hot)
{
	memset(s, 0, sizeof *s);
	s->ns = ns;
	s->hot = hot;
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

	spin_init(&s, 0, 0);
	ck_assert_int_eq(s.ns, 0);
	ck_assert_int_eq(s.hot, 1);
	spin_init(&s, 250, 1);
	ck_assert_int_eq(s.ns, cpus() > 1 ? 250000 : 0);
	ck_assert_int_eq(s.hot, 1);
	ck_assert_int_eq(s.budgeted, 1);
	ck_assert_int_eq(s.budget, s.ns);
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
		spin_init(&s, SPIN_MAX_US, 0);
		_exit(s.ns == 0 ? 0 : 1);
	}
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st));
	ck_assert_int_eq(WEXITSTATUS(st), 0);
}
END_TEST

/* An answer already there is taken at once, hot or cold, and a wait
 * that ends within the window leaves the next one hot. */
START_TEST(ready_at_once_warms)
{
	for (int hot = 1; hot >= 0; hot--) {
		struct spin s;
		struct pollfd p = { sv[0], POLLIN, 0 };
		char c;

		spin_set(&s, 1000000000LL, hot);
		ck_assert_int_eq(write(sv[1], "x", 1), 1);
		ck_assert_int_eq(spin_wait(&s, &p, 1, NULL, NULL), 1);
		ck_assert(p.revents & POLLIN);
		ck_assert_int_eq(s.hot, 1);
		ck_assert_int_eq(read(sv[0], &c, 1), 1);
	}
}
END_TEST

/* Nothing comes: the spin uses its window, then the timeout; the peer
 * did not keep to the window, so the next wait sleeps at once. */
START_TEST(nothing_comes_cools)
{
	const long long window = 30000000LL; /* 30 ms */
	struct spin s;
	struct pollfd p = { sv[0], POLLIN, 0 };
	struct timespec timeout = { 0, 10000000 };
	long long t = now_ns(), c;

	spin_set(&s, window, 1);
	ck_assert_int_eq(spin_wait(&s, &p, 1, &timeout, NULL), 0);
	ck_assert_int_ge(now_ns() - t, window);
	ck_assert_int_eq(s.hot, 0);
	/* Cold: a 50 ms wait that sleeps through, using next to no CPU. */
	timeout.tv_nsec = 50000000;
	c = cpu_ns();
	ck_assert_int_eq(spin_wait(&s, &p, 1, &timeout, NULL), 0);
	ck_assert_int_lt(cpu_ns() - c, 10000000);
	ck_assert_int_eq(s.hot, 0);
}
END_TEST

struct late {
	int fd;
	clockid_t waiter;  /* the waiting thread's CPU clock */
	long long cpu;     /* write once it used this much; 0: after 50 ms */
};

/* Writes a byte once the waiter used l->cpu of CPU time (or after 10 s:
 * a waiter that sleeps never does), or 50 ms later: a condition, not a
 * time, so that a loaded machine only makes the wait longer. */
static void *write_later(void *arg)
{
	const struct late *l = arg;
	struct timespec d = { 0, l->cpu > 0 ? 1000000 : 50000000 }, used;
	long long start = now_ns();

	do
		nanosleep(&d, NULL);
	while (l->cpu > 0 && now_ns() - start < 10000000000LL &&
	       clock_gettime(l->waiter, &used) == 0 &&
	       used.tv_sec * 1000000000LL + used.tv_nsec < l->cpu);
	if (write(l->fd, "x", 1) != 1)
		return arg;
	return NULL;
}

/* Waits hot or cold for a byte written once the wait used cpu of CPU
 * time (0: 50 ms later); returns the CPU time the wait used. */
static long long wait_for_late_byte(struct spin *s, long long cpu)
{
	struct pollfd p = { sv[0], POLLIN, 0 };
	struct late l = { sv[1], 0, 0 };
	pthread_t t;
	long long c;
	void *r;

	ck_assert_int_eq(pthread_getcpuclockid(pthread_self(), &l.waiter), 0);
	c = cpu_ns();
	l.cpu = cpu > 0 ? c + cpu : 0;
	ck_assert_int_eq(pthread_create(&t, NULL, write_later, &l), 0);
	ck_assert_int_eq(spin_wait(s, &p, 1, NULL, NULL), 1);
	c = cpu_ns() - c;
	ck_assert_int_eq(pthread_join(t, &r), 0);
	ck_assert_ptr_null(r);
	return c;
}

/* Hot, the wait spins (uses CPU) until the answer comes, and stays hot;
 * cold, it sleeps. */
START_TEST(hot_spins_cold_sleeps)
{
	struct spin s;

	spin_set(&s, 10 * 1000000000LL, 1);
	ck_assert_int_ge(wait_for_late_byte(&s, 20000000), 10000000);
	ck_assert_int_eq(s.hot, 1);
	spin_set(&s, 10 * 1000000000LL, 0);
	ck_assert_int_lt(wait_for_late_byte(&s, 0), 10000000);
}
END_TEST

/* Budgeted, a wait spins no longer than the budget left plus the time
 * since the last wait ended (the work between them). */
START_TEST(budget_bounds_the_spin)
{
	struct spin s;
	struct pollfd p = { sv[0], POLLIN, 0 };
	struct timespec timeout = { 0, 0 };
	long long t;

	/* Nothing left, nothing done since: no spinning at all. */
	spin_set(&s, 10 * 1000000000LL, 1);
	s.budgeted = 1;
	t = now_ns();
	s.woke = t;
	ck_assert_int_eq(spin_wait(&s, &p, 1, &timeout, NULL), 0);
	ck_assert_int_lt(now_ns() - t, 1000000000LL);
	/* 40 ms of work since the last wait: a spin of about that. */
	s.hot = 1;
	s.budget = 0;
	s.woke = now_ns() - 40000000LL;
	t = now_ns();
	ck_assert_int_eq(spin_wait(&s, &p, 1, &timeout, NULL), 0);
	ck_assert_int_ge(now_ns() - t, 30000000LL);
	ck_assert_int_lt(now_ns() - t, 1000000000LL);
	ck_assert_int_le(s.budget, 0);
	/* Not budgeted: the whole window, whatever was done. */
	spin_set(&s, 60000000LL, 1);
	s.woke = now_ns();
	t = now_ns();
	ck_assert_int_eq(spin_wait(&s, &p, 1, &timeout, NULL), 0);
	ck_assert_int_ge(now_ns() - t, 60000000LL);
}
END_TEST

/* End of file and a peer gone are events too: the reader finds out. */
START_TEST(hangup_ends_the_wait)
{
	struct spin s;
	struct pollfd p = { sv[0], POLLIN, 0 };

	spin_set(&s, 1000000000LL, 1);
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
 * it keeps out does not.  Taken up again, the wait goes on with the same
 * window, not a new one. */
START_TEST(signals_as_ppoll)
{
	struct spin s;
	struct pollfd p = { sv[0], POLLIN, 0 };
	struct timespec timeout = { 0, 0 };
	struct sigaction sa;
	sigset_t block, open_mask;
	long long t;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_usr1;
	ck_assert_int_eq(sigaction(SIGUSR1, &sa, NULL), 0);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	ck_assert_int_eq(sigprocmask(SIG_BLOCK, &block, NULL), 0);
	ck_assert_int_eq(raise(SIGUSR1), 0);
	/* Kept out: the spin runs its (short) window and times out. */
	spin_set(&s, 5000000LL, 1);
	ck_assert_int_eq(spin_wait(&s, &p, 1, &timeout, &block), 0);
	ck_assert_int_eq(got_usr1, 0);
	/* Let in: the spin ends at once with EINTR. */
	spin_set(&s, 300000000LL, 1);
	sigemptyset(&open_mask);
	t = now_ns();
	ck_assert_int_eq(spin_wait(&s, &p, 1, NULL, &open_mask), -1);
	ck_assert_int_eq(errno, EINTR);
	ck_assert_int_eq(got_usr1, 1);
	ck_assert_int_lt(now_ns() - t, 300000000LL);
	/* Taken up again 200 ms into its 300 ms window: it spins out the
	 * rest, not another 300 ms. */
	s.since = now_ns() - 200000000LL;
	t = now_ns();
	ck_assert_int_eq(spin_wait(&s, &p, 1, &timeout, &open_mask), 0);
	ck_assert_int_lt(now_ns() - t, 250000000LL);
	ck_assert_int_eq(s.hot, 0);
	ck_assert_int_eq(s.since, 0);
	ck_assert_int_eq(sigprocmask(SIG_UNBLOCK, &block, NULL), 0);
}
END_TEST

/* No window: exactly ppoll, hot or not. */
START_TEST(no_window_is_ppoll)
{
	struct spin s;
	struct pollfd p = { sv[0], POLLIN, 0 };
	struct timespec timeout = { 0, 0 };

	spin_set(&s, 0, 1);

	ck_assert_int_eq(spin_wait(&s, &p, 1, &timeout, NULL), 0);
	ck_assert_int_eq(write(sv[1], "x", 1), 1);
	ck_assert_int_eq(spin_wait(&s, &p, 1, &timeout, NULL), 1);
}
END_TEST

/* OPENFILE_SPIN: digits within range, or the default. */
START_TEST(settings)
{
	ck_assert_int_eq(spin_us_setting(NULL), SPIN_DEFAULT_US);
	ck_assert_int_eq(spin_us_setting("0"), 0);
	ck_assert_int_eq(spin_us_setting("250"), 250);
	ck_assert_int_eq(spin_us_setting("1000"), 1000);
	ck_assert_int_eq(spin_us_setting("1001"), SPIN_DEFAULT_US);
	ck_assert_int_eq(spin_us_setting(""), SPIN_DEFAULT_US);
	ck_assert_int_eq(spin_us_setting("-5"), SPIN_DEFAULT_US);
	ck_assert_int_eq(spin_us_setting("+5"), SPIN_DEFAULT_US);
	ck_assert_int_eq(spin_us_setting(" 5"), SPIN_DEFAULT_US);
	ck_assert_int_eq(spin_us_setting("5us"), SPIN_DEFAULT_US);
	ck_assert_int_eq(spin_us_setting("99999999999999999999999"), SPIN_DEFAULT_US);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("spin");
	TCase *tc = tcase_create("socketpair");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, window_from_microseconds);
	tcase_add_test(tc, no_window_on_one_cpu);
	tcase_add_test(tc, ready_at_once_warms);
	tcase_add_test(tc, nothing_comes_cools);
	tcase_add_test(tc, hot_spins_cold_sleeps);
	tcase_add_test(tc, budget_bounds_the_spin);
	tcase_add_test(tc, hangup_ends_the_wait);
	tcase_add_test(tc, signals_as_ppoll);
	tcase_add_test(tc, no_window_is_ppoll);
	tcase_add_test(tc, settings);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
