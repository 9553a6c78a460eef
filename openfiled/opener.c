/* SPDX-License-Identifier: ISC */
/*
 * opener.c - a worker's opener: a thread that keeps the truncate right
 * of the worker's Landlock domain, which the worker's own thread gives
 * up.
 * Landlock narrows only the thread that asks, and for good, and the
 * worker serves many requests: so the opens that must hold the right
 * (the policy grants truncate on their object) are handed to the opener,
 * and every other open, on the worker's thread, cannot get it.  The two
 * take turns on one futex word: a mutex and condition variable cost twice
 * the time, for the lock the woken thread must take again.
 */
#include "config.h"

#include <linux/futex.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "confine.h"
#include "opener.h"

enum { OPENER_NONE, OPENER_IDLE, OPENER_GO, OPENER_DONE };
static struct {
	atomic_int state;
	int (*fn)(void *);
	void *arg;
	int rc;
} opener;

static void opener_wait(int until)
{
	int s;

	while ((s = atomic_load(&opener.state)) != until)
		syscall(SYS_futex, &opener.state, FUTEX_WAIT_PRIVATE, s, NULL, NULL, 0);
}

/* Sets the state to to, wakes the other thread, and waits for until. */
static void opener_turn(int to, int until)
{
	atomic_store(&opener.state, to);
	syscall(SYS_futex, &opener.state, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	opener_wait(until);
}

static void *opener_main(void *unused)
{
	(void)unused;
	for (opener_turn(OPENER_IDLE, OPENER_GO);; opener_turn(OPENER_DONE, OPENER_GO))
		opener.rc = opener.fn(opener.arg);
	return NULL;
}

int opener_start(void)
{
	pthread_t t;

	if (!confine_can_split_truncate())
		return 0;
	if (pthread_create(&t, NULL, opener_main, NULL) != 0)
		return -1;
	/* Started: its own set-up (rseq, robust futexes) is done before the
	 * system call filter, which does not allow it. */
	opener_wait(OPENER_IDLE);
	return confine_drop_truncate() < 0 ? -1 : 1;
}

int opener_open(int (*fn)(void *), void *arg)
{
	opener.fn = fn;
	opener.arg = arg;
	opener_turn(OPENER_GO, OPENER_DONE);
	return opener.rc;
}
