/*
 * timing.h - the clock every bench program reads, so that their figures
 * compare.
 */
#ifndef BENCH_TIMING_H
#define BENCH_TIMING_H

#include <time.h>

/* Monotonic: the VM's wall clock may be stepped while we measure. */
static inline long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

#endif /* BENCH_TIMING_H */
