/* SPDX-License-Identifier: MIT */
/*
 * The smallest real job, for the drm backend's tests and bench: a stream
 * of one COPY of byte 0 of buffer 0 to byte dst of the same buffer.
 */
#ifndef QACCEL_TEST_COPY_STREAM_H
#define QACCEL_TEST_COPY_STREAM_H

#include <stdint.h>
#include <string.h>

#include "uapi/qaccel_cmd.h"

struct copy_stream {
	struct qaccel_stream_header h;
	struct qaccel_cmd_copy c;
};

/* Writes the stream at mem (8-aligned, room for the struct); its size. */
static inline uint32_t copy_stream(void *mem, uint32_t dst)
{
	struct copy_stream *s = mem;

	memset(s, 0, sizeof(*s));
	s->h = (struct qaccel_stream_header){ .magic = QACCEL_STREAM_MAGIC,
		.version = QACCEL_ISA_VERSION, .size = sizeof(*s), .num_cmds = 1 };
	s->c.hdr = (struct qaccel_cmd_header){ QACCEL_OP_COPY, sizeof(s->c) };
	s->c.dst.offset = dst;
	for (int k = 0; k < 4; k++) {
		s->c.dims[k] = 1;
		s->c.src_strides[k] = 1;
		s->c.dst_strides[k] = 1;
	}
	return sizeof(*s);
}

#endif /* QACCEL_TEST_COPY_STREAM_H */
