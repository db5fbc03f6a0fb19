// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * libFuzzer target: validate-then-execute. Input: one byte n (buffer count,
 * 1..8), n little-endian u16 buffer sizes (at most 1024 bytes each), then a
 * command stream. Whatever the validator accepts is executed on exactly
 * sized heap buffers, so ASan reports any access it should have prevented.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/ref/qaccel_ref.h"

#define FUZZ_MAX_BUFS 8
#define FUZZ_MAX_BUF_SIZE 1024

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct qaccel_buf_view views[FUZZ_MAX_BUFS];
	uint64_t sizes[FUZZ_MAX_BUFS];
	uint64_t *stream;
	size_t n, head, len;

	if (size < 1)
		return 0;
	n = data[0] % FUZZ_MAX_BUFS + 1;
	head = 1 + 2 * n;
	if (size < head)
		return 0;
	for (size_t i = 0; i < n; i++)
		sizes[i] = (data[1 + 2 * i] | (data[2 + 2 * i] << 8)) % (FUZZ_MAX_BUF_SIZE + 1);
	len = size - head;
	if (len > QACCEL_MAX_STREAM_SIZE)
		return 0;
	stream = malloc(len + 8);
	memcpy(stream, data + head, len);
	if (qaccel_validate(stream, (uint32_t)len, sizes, (uint32_t)n, NULL) == 0) {
		for (size_t i = 0; i < n; i++) {
			views[i].ptr = malloc(sizes[i] ? sizes[i] : 1);
			views[i].size = sizes[i];
			memset(views[i].ptr, (int)i * 37, sizes[i]);
		}
		qaccel_exec_stream(stream, views, NULL, NULL);
		for (size_t i = 0; i < n; i++)
			free(views[i].ptr);
	}
	free(stream);
	return 0;
}
