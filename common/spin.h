/* SPDX-License-Identifier: ISC */
/*
 * spin.h - waiting for a peer that answers within microseconds, without
 * going to sleep first.
 *
 * A process that sleeps in poll(2) and is woken by its peer on another
 * CPU waits for that CPU to leave its idle state, which on a virtual
 * machine is a trip through the hypervisor: 20 to 60 us on the project's
 * VM, several times what the broker does for a request.  So each end of a
 * broker connection first polls without a timeout, for a bounded window,
 * and sleeps only if nothing came in that time.  The price is CPU time,
 * so an end spins only while its peer keeps to the window (the last
 * wait's event came within it: a program opening many files in a row,
 * not one that reads each through first), and never where its CPU
 * affinity allows one CPU, where spinning only delays the peer.  A
 * budgeted end (a broker worker) also spins in all no longer than it
 * worked between its waits, plus one window: a client can make it spin
 * only by paying with requests, and at most doubles what those cost it.
 * The same idea as adaptive mutexes and the kernel's socket busy polling.
 */
#ifndef OPENFILE_SPIN_H
#define OPENFILE_SPIN_H

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <time.h>

/* Both ends' window unless configured (openfiled --spin, OPENFILE_SPIN),
 * and the most either takes, in microseconds. */
#define SPIN_DEFAULT_US 100
#define SPIN_MAX_US 1000

struct spin {
	long long ns;     /* the window; 0: never spin */
	int hot;          /* the last wait's event came within it */
	int budgeted;     /* spin no longer than the work between waits */
	long long budget; /* what is left of that, ns */
	long long since;  /* when the wait under way began; 0: none */
	long long woke;   /* when the last wait ended; 0: none yet */
};

/* A window of us microseconds, or none where this process may run on
 * only one CPU; hot, as the first wait of a connection is due at once,
 * with one window of budget when budgeted. */
void spin_init(struct spin *s, long us, int budgeted);

/* ppoll(2), spinning first while s is hot; returns what ppoll returns.
 * Called again after EINTR, it goes on with the same window. */
int spin_wait(struct spin *s, struct pollfd *p, nfds_t n,
	      const struct timespec *timeout, const sigset_t *mask);

/* A window in microseconds as a setting spells it (OPENFILE_SPIN):
 * digits only, at most SPIN_MAX_US; anything else (NULL too) is the
 * default.  Inline: only a client reads the setting, and openfiled,
 * which links spin.c, carries none of it. */
static inline long spin_us_setting(const char *v)
{
	char *end;
	long us;

	if (v == NULL || *v < '0' || *v > '9')
		return SPIN_DEFAULT_US;
	errno = 0;
	us = strtol(v, &end, 10);
	return errno != 0 || *end != '\0' || us > SPIN_MAX_US ? SPIN_DEFAULT_US : us;
}

#endif /* OPENFILE_SPIN_H */
