/* SPDX-License-Identifier: MIT */
/*
 * What the compiler hands the runtime: a command stream, the constants blob
 * (buffer 0 of the stream's buffer table), the arena size (buffer 1), and
 * where each model input and output lives in the arena.
 */
#ifndef QACCEL_PROGRAM_H
#define QACCEL_PROGRAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "qaccel.h"

enum { QC_BUF_CONSTS = 0, QC_BUF_ARENA = 1, QC_NUM_BUFS = 2 };

/**
 * struct qc_io - one model input or output
 * @info: what the user sees (name, user dtype, shape, scale, zero point)
 * @arena_offset: where its int8 data lives in the arena
 * @elems: number of elements
 * @host_float: the user side is float32; the runtime quantizes inputs and
 *	dequantizes outputs on the host with @q_scale and @q_zero_point
 */
struct qc_io {
	struct qaccel_tensor_info info;
	char *name;
	size_t arena_offset;
	size_t elems;
	bool host_float;
	float q_scale;
	int32_t q_zero_point;
};

/* One line per TFLite operator for `qaccel inspect` and -v. */
struct qc_op_note {
	char text[160];
};

struct qc_program {
	uint8_t *stream;
	uint32_t stream_size;
	uint8_t *consts;
	size_t consts_size;
	size_t arena_size;
	int num_inputs, num_outputs;
	struct qc_io *inputs, *outputs;
	int num_notes;
	struct qc_op_note *notes;
};

void qc_program_free(struct qc_program *p);

#endif /* QACCEL_PROGRAM_H */
