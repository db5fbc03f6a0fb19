/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * The input format of fuzz_stream.c, shared with the seed-corpus
 * generator so that both agree on it.
 */
#ifndef QACCEL_FUZZ_STREAM_H
#define QACCEL_FUZZ_STREAM_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/ref/qaccel_ref.h"

#define FUZZ_MAX_BUFS 8
#define FUZZ_MAX_BUF_SIZE 1024

/* One fuzz input taken apart: buffer table, content seed, stream. */
struct fuzz_input {
	uint32_t n, seed, len;
	uint64_t sizes[FUZZ_MAX_BUFS];
	/* Exactly len bytes (8-aligned), so ASan sees a read past its end. */
	uint64_t *stream;
};

/* 0, or -1 when the input is too short or long, or out of memory. */
static inline int fuzz_input_parse(const uint8_t *data, size_t size, struct fuzz_input *in)
{
	size_t head;

	if (size < 1)
		return -1;
	in->n = data[0] % FUZZ_MAX_BUFS + 1;
	head = 1 + 2 * in->n + 4;
	if (size < head || size - head > QACCEL_MAX_STREAM_SIZE + 8)
		return -1;
	for (uint32_t i = 0; i < in->n; i++)
		in->sizes[i] = (data[1 + 2 * i] | (data[2 + 2 * i] << 8)) %
			       (FUZZ_MAX_BUF_SIZE + 1);
	memcpy(&in->seed, data + 1 + 2 * in->n, 4);
	in->len = (uint32_t)(size - head);
	in->stream = malloc(in->len ? in->len : 1);
	if (!in->stream)
		return -1;
	memcpy(in->stream, data + head, in->len);
	return 0;
}

/* A buffer's contents from its seed (xorshift32): the same for every run. */
static inline void fuzz_fill(uint8_t *p, uint64_t n, uint32_t seed)
{
	uint32_t x = seed | 1;

	for (uint64_t i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		p[i] = (uint8_t)x;
	}
}

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
