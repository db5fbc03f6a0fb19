/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * The reference int8 engine: validator, executor and one kernel per command.
 *
 * Freestanding C: no libc, no floating point, no allocation, no VLAs, small
 * stack frames. The same sources build into qaccel.ko (the simulated engine)
 * and into libqaccel (the ref backend). Documentation/isa.rst is the spec.
 */
#ifndef QACCEL_REF_H
#define QACCEL_REF_H

#include "qaccel_ref_types.h"
#include "../../uapi/qaccel_cmd.h"

/**
 * struct qaccel_buf_view - one entry of the buffer table as the engine sees it
 * @ptr: CPU address of byte 0 (at least 8-byte aligned)
 * @size: bytes the buffer holds
 */
struct qaccel_buf_view {
	u8 *ptr;
	u64 size;
};

/**
 * struct qaccel_validate_error - where and why a stream was rejected
 * @offset: byte offset in the stream of the first bad command (0 when the
 *	stream header itself is bad)
 * @cmd_index: index of that command, or U32_MAX for the stream header
 * @reason: static, human-readable description (no formatting needed)
 */
struct qaccel_validate_error {
	u32 offset;
	u32 cmd_index;
	const char *reason;
};

/*
 * Validate a whole stream against the sizes of its buffer table.
 * Returns 0, or -EINVAL (bad field, opcode or size), -EOVERFLOW (a reference
 * reaches past its buffer or the stream) or -E2BIG (over a limit) with *err
 * filled in (err may be NULL).
 */
int qaccel_validate(const void *stream, u32 stream_size,
		    const u64 *buf_sizes, u32 num_bufs,
		    struct qaccel_validate_error *err);

/*
 * Run one command of an accepted stream. Commands of a stream that
 * qaccel_validate() has not accepted with the same buffer sizes must never
 * be passed here.
 */
void qaccel_exec_cmd(const struct qaccel_cmd_header *cmd,
		     const struct qaccel_buf_view *bufs);

/*
 * Run every command of an accepted stream in order. should_stop, if not
 * NULL, is polled between commands; when it returns true the run ends early
 * and -ECANCELED is returned. Otherwise returns 0.
 */
int qaccel_exec_stream(const void *stream, const struct qaccel_buf_view *bufs,
		       bool (*should_stop)(void *ctx), void *ctx);

/* Name of an opcode ("CONV_2D"...), or NULL for an unknown one. */
const char *qaccel_opcode_name(u32 opcode);

/* Body size that a command of this opcode must have, or 0 if unknown. */
u32 qaccel_cmd_size(u32 opcode);

/* One kernel per command; each is only ever called on validated commands. */
void qaccel_ref_conv2d(const struct qaccel_cmd_conv2d *c,
		       const struct qaccel_buf_view *bufs);
void qaccel_ref_dwconv2d(const struct qaccel_cmd_dwconv2d *c,
			 const struct qaccel_buf_view *bufs);
void qaccel_ref_fc(const struct qaccel_cmd_fc *c,
		   const struct qaccel_buf_view *bufs);
void qaccel_ref_binary(const struct qaccel_cmd_binary *c,
		       const struct qaccel_buf_view *bufs);
void qaccel_ref_pool2d(const struct qaccel_cmd_pool2d *c,
		       const struct qaccel_buf_view *bufs);
void qaccel_ref_lut(const struct qaccel_cmd_lut *c,
		    const struct qaccel_buf_view *bufs);
void qaccel_ref_softmax(const struct qaccel_cmd_softmax *c,
			const struct qaccel_buf_view *bufs);
void qaccel_ref_copy(const struct qaccel_cmd_copy *c,
		     const struct qaccel_buf_view *bufs);
void qaccel_ref_pad(const struct qaccel_cmd_pad *c,
		    const struct qaccel_buf_view *bufs);
void qaccel_ref_mean(const struct qaccel_cmd_mean *c,
		     const struct qaccel_buf_view *bufs);
void qaccel_ref_requantize(const struct qaccel_cmd_requantize *c,
			   const struct qaccel_buf_view *bufs);
void qaccel_ref_softmax_f32(const struct qaccel_cmd_softmax_f32 *c,
			    const struct qaccel_buf_view *bufs);
void qaccel_ref_mean_f32(const struct qaccel_cmd_mean_f32 *c,
			 const struct qaccel_buf_view *bufs);

#endif /* QACCEL_REF_H */
