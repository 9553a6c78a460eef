/* SPDX-License-Identifier: ISC */
/*
 * spin.c - bounded busy-polling before sleeping; see spin.h.
 */
#include "config.h"

#include <errno.h>
#include <sched.h>

#include "clock.h"
#include "spin.h"

void spin_init(struct spin *s, long us, int budgeted)
{
	cpu_set_t set;

	s->ns = 0;
	if (us > 0 && sched_getaffinity(0, sizeof set, &set) == 0 &&
	    CPU_COUNT(&set) > 1)
		s->ns = us * 1000LL;
	s->hot = 1;
	s->budgeted = budgeted;
	s->budget = s->ns;
	s->since = 0;
	s->woke = 0;
}

int spin_wait(struct spin *s, struct pollfd *p, nfds_t n,
	      const struct timespec *timeout, const sigset_t *mask)
{
	static const struct timespec zero = { 0, 0 };
	long long now, end;
	int r = 0;

	if (s->ns == 0)
		return ppoll(p, n, timeout, mask);
	now = now_ns();
	/* A new wait, not one taken up again after a signal, which must not
	 * give the spin a new window. */
	if (s->since == 0) {
		s->since = now;
		if (s->woke != 0)
			s->budget += now - s->woke;
	}
	end = s->since + s->ns;
	if (s->budgeted && now + s->budget < end)
		end = now + s->budget;
	if (s->hot) {
		long long start = now;

		/* A zero timeout still lets in the signals mask allows. */
		while ((r = ppoll(p, n, &zero, mask)) == 0 && (now = now_ns()) < end)
			;
		s->budget -= now_ns() - start;
	}
	if (r == 0)
		r = ppoll(p, n, timeout, mask);
	/* A signal tells nothing of the peer; a timeout, that it is slow. */
	if (r < 0 && errno == EINTR)
		return r;
	now = now_ns();
	s->hot = r > 0 && now - s->since < s->ns;
	s->since = 0;
	s->woke = now;
	return r;
}
