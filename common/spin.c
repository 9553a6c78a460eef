/*
 * spin.c - bounded busy-polling before sleeping; see spin.h.
 */
#include "config.h"

#include <sched.h>

#include "spin.h"

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

void spin_init(struct spin *s, long us)
{
	cpu_set_t set;

	s->ns = 0;
	s->hot = 1;
	if (us > 0 && sched_getaffinity(0, sizeof set, &set) == 0 &&
	    CPU_COUNT(&set) > 1)
		s->ns = us * 1000LL;
}

int spin_wait(struct spin *s, struct pollfd *p, nfds_t n,
	      const struct timespec *timeout, const sigset_t *mask)
{
	static const struct timespec zero = { 0, 0 };
	long long since;
	int r = 0;

	if (s->ns == 0)
		return ppoll(p, n, timeout, mask);
	since = now_ns();
	/* A zero timeout still lets in the signals mask allows. */
	while (s->hot && (r = ppoll(p, n, &zero, mask)) == 0 &&
	       now_ns() - since < s->ns)
		;
	if (r == 0)
		r = ppoll(p, n, timeout, mask);
	/* A signal tells nothing of the peer; a timeout, that it is slow. */
	if (r >= 0)
		s->hot = r > 0 && now_ns() - since < s->ns;
	return r;
}
