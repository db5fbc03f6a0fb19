/* SPDX-License-Identifier: MIT */
/*
 * Building blocks of compilation: a growing command stream, a constants blob
 * (weights, biases, multipliers, tables) and the activation arena planner.
 */
#ifndef QACCEL_EMIT_H
#define QACCEL_EMIT_H

#include <stddef.h>
#include <stdint.h>

struct qc_bytes {
	uint8_t *data;
	size_t size;
	size_t cap;
};

/* Appends size bytes aligned to align (a power of two); -ENOMEM or 0. */
int qc_bytes_append(struct qc_bytes *b, const void *data, size_t size,
		    size_t align, size_t *offset);
void qc_bytes_free(struct qc_bytes *b);

struct qc_stream {
	struct qc_bytes bytes;	/* header placeholder first */
	uint32_t num_cmds;
};

int qc_stream_init(struct qc_stream *s);
/* cmd starts with struct qaccel_cmd_header; opcode and size are filled in. */
int qc_stream_emit(struct qc_stream *s, uint32_t opcode, void *cmd, uint32_t size);
/* Writes the header; the stream is then complete. */
int qc_stream_finish(struct qc_stream *s);

/* One buffer whose lifetime is [first, last] in operator order. */
struct qc_arena_item {
	size_t size;
	int first, last;
	size_t offset;		/* output */
};

/*
 * Places items so that two whose lifetimes overlap never share bytes;
 * returns the arena size. Largest first, each at the lowest offset that fits.
 */
size_t qc_plan_arena(struct qc_arena_item *items, size_t n, size_t align);

#endif /* QACCEL_EMIT_H */
