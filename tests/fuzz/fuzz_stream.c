// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * libFuzzer target for the command-stream validator: validate, then
 * execute what it accepts. Whatever qaccel_validate() lets through runs on
 * separately allocated, exactly sized buffers, so ASan reports any access
 * the validator should have prevented and UBSan any arithmetic the kernels
 * leave undefined; buffer contents (multipliers, tables, activations) come
 * from the input too, since the engine must survive any of them.
 *
 * Input layout (fuzz_stream.h writes it for the seed corpus):
 *   u8      n - 1: buffer count, 1..FUZZ_MAX_BUFS
 *   u16[n]  buffer sizes, little-endian, taken modulo FUZZ_MAX_BUF_SIZE + 1
 *   u32     seed of the buffer contents
 *   ...     the command stream (copied to an 8-aligned allocation)
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_stream.h"

/* The validator's contract on rejection, checked on every input. */
static void check_rejection(int ret, const struct qaccel_validate_error *e,
			    uint32_t len)
{
	if (ret != -EINVAL && ret != -E2BIG && ret != -EOVERFLOW)
		__builtin_trap();
	if (!e->reason)
		__builtin_trap();
	if (e->cmd_index == UINT32_MAX ? e->offset != 0 : e->offset > len)
		__builtin_trap();
}

static void fill(uint8_t *p, uint64_t n, uint32_t seed)
{
	uint32_t x = seed | 1;

	for (uint64_t i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		p[i] = (uint8_t)x;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct qaccel_buf_view views[FUZZ_MAX_BUFS];
	uint64_t sizes[FUZZ_MAX_BUFS];
	struct qaccel_validate_error e = { 0 };
	uint32_t n, seed, len;
	size_t head;
	uint64_t *stream;
	int ret;

	if (size < 1)
		return 0;
	n = data[0] % FUZZ_MAX_BUFS + 1;
	head = 1 + 2 * n + 4;
	if (size < head || size - head > QACCEL_MAX_STREAM_SIZE + 8)
		return 0;
	for (uint32_t i = 0; i < n; i++)
		sizes[i] = (data[1 + 2 * i] | (data[2 + 2 * i] << 8)) %
			   (FUZZ_MAX_BUF_SIZE + 1);
	memcpy(&seed, data + 1 + 2 * n, 4);
	len = (uint32_t)(size - head);
	/* Exactly len bytes, so ASan sees a read past the stream too. */
	stream = malloc(len ? len : 1);
	if (!stream)
		return 0;
	memcpy(stream, data + head, len);
	ret = qaccel_validate(stream, len, sizes, n, &e);
	if (ret) {
		check_rejection(ret, &e, len);
		free(stream);
		return 0;
	}
	for (uint32_t i = 0; i < n; i++) {
		views[i].ptr = malloc(sizes[i] ? sizes[i] : 1);
		views[i].size = sizes[i];
		fill(views[i].ptr, sizes[i], seed + i);
	}
	qaccel_exec_stream(stream, views, NULL, NULL);
	for (uint32_t i = 0; i < n; i++)
		free(views[i].ptr);
	free(stream);
	return 0;
}
