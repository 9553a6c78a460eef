/* SPDX-License-Identifier: ISC */
/*
 * clock.h - the one clock for intervals: the library's, the broker's
 * (its connections' spinning, its workers' age, its reloads), and every
 * bench program's, so that their figures compare.
 */
#ifndef OPENFILE_CLOCK_H
#define OPENFILE_CLOCK_H

#include <time.h>

/* Monotonic: the VM's wall clock may be stepped while we measure. */
static inline long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static inline long long now_ms(void)
{
	return now_ns() / 1000000;
}

#endif /* OPENFILE_CLOCK_H */
