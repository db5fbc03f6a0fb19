/* SPDX-License-Identifier: MIT */
/*
 * The clock and the sort every bench program uses for its medians: the
 * same monotonic clock everywhere, so rows of different programs compare.
 */
#ifndef QACCEL_BENCH_TIME_H
#define QACCEL_BENCH_TIME_H

#include <time.h>

static inline double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static inline double now_ms(void)
{
	return now_s() * 1e3;
}

/* For qsort over doubles, ascending. */
static inline int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

#endif /* QACCEL_BENCH_TIME_H */
