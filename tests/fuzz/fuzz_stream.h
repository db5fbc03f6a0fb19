/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * The input format of fuzz_stream.c, shared with the seed-corpus
 * generator so that both agree on it.
 */
#ifndef QACCEL_FUZZ_STREAM_H
#define QACCEL_FUZZ_STREAM_H

#include <stdint.h>
#include <stdio.h>

#include "runtime/ref/qaccel_ref.h"

#define FUZZ_MAX_BUFS 8
#define FUZZ_MAX_BUF_SIZE 1024

/* Writes one fuzz input: buffer table, content seed, stream. */
static inline int fuzz_stream_write(FILE *f, const uint64_t *sizes,
				    uint32_t n, uint32_t seed,
				    const void *stream, uint32_t len)
{
	if (n < 1 || n > FUZZ_MAX_BUFS)
		return -1;
	fputc((int)(n - 1), f);
	for (uint32_t i = 0; i < n; i++) {
		if (sizes[i] > FUZZ_MAX_BUF_SIZE)
			return -1;
		fputc((int)(sizes[i] & 0xff), f);
		fputc((int)(sizes[i] >> 8), f);
	}
	fwrite(&seed, 4, 1, f);
	fwrite(stream, len, 1, f);
	return ferror(f) ? -1 : 0;
}

#endif /* QACCEL_FUZZ_STREAM_H */
