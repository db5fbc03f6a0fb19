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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct qaccel_buf_view views[FUZZ_MAX_BUFS];
	struct qaccel_validate_error e = { 0 };
	struct fuzz_input in;
	int ret;

	if (fuzz_input_parse(data, size, &in))
		return 0;
	ret = qaccel_validate(in.stream, in.len, in.sizes, in.n, &e);
	if (ret) {
		check_rejection(ret, &e, in.len);
		free(in.stream);
		return 0;
	}
	for (uint32_t i = 0; i < in.n; i++) {
		views[i].ptr = malloc(in.sizes[i] ? in.sizes[i] : 1);
		views[i].size = in.sizes[i];
		fuzz_fill(views[i].ptr, in.sizes[i], in.seed + i);
	}
	qaccel_exec_stream(in.stream, views, NULL, NULL);
	for (uint32_t i = 0; i < in.n; i++)
		free(views[i].ptr);
	free(in.stream);
	return 0;
}
